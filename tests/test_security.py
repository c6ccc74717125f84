"""Security headers on every page type, no needless cookies, brute-force protection."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.factories import make_user
from tests.pages import page_type_urls

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent
FORM_PAGES = {"submit", "report-change", "partner-login", "review"}


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_hardened(response, url):
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert directives["default-src"] == ["'self'"], url
    assert "unsafe-inline" not in response["Content-Security-Policy"].replace(
        "style-src-attr 'unsafe-inline'", ""
    ), url
    assert "unsafe-eval" not in response["Content-Security-Policy"], url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    hsts = dict(
        part.strip().partition("=")[::2]
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 3600, url


def test_every_public_page_type_sends_the_security_headers(client, demo):
    for _name, url in {**page_type_urls(), "healthz": "/healthz"}.items():
        response = client.get(url, secure=True)
        assert response.status_code in (200, 400, 404), url
        assert_hardened(response, url)


def test_admin_pages_send_the_security_headers(client, demo):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    for url in ["/admin/login/", "/admin/", "/admin/offers/offer/", "/admin/offers/offer/add/"]:
        response = client.get(url, secure=True)
        assert response.status_code in (200, 302), url
        assert_hardened(response, url)


def test_anonymous_visits_set_no_cookies_except_csrf_on_forms(client, demo):
    for name, url in page_type_urls().items():
        response = client.get(url, secure=True)
        cookies = set(response.cookies)
        if name in FORM_PAGES:
            assert cookies == {"csrftoken"}, url
            assert (
                response.cookies["csrftoken"]["secure"]
                and response.cookies["csrftoken"]["samesite"] == "Lax"
            )
        else:
            assert cookies == set(), (url, cookies)


def test_public_pages_answer_only_the_methods_they_need(client, demo):
    for name, url in {**page_type_urls(), "healthz": "/healthz"}.items():
        # The review link's address takes POST; so does "near me" (the address stays out of URLs).
        form = name in FORM_PAGES | {"review-problem", "near"}
        assert client.head(url).status_code in (200, 400, 404), url
        for method in ["trace", "put", "patch", "delete", "options"]:
            response = getattr(client, method)(url)
            assert response.status_code == 405, (method, url)
            assert "GET" in response["Allow"] and "TRACE" not in response["Allow"], url
        if not form and name != "not-found":
            assert client.post(url).status_code == 405, url


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client):
    response = client.get("/angebote/")

    assert response.status_code == 301 and response["Location"] == "https://testserver/angebote/"


def test_production_settings_pass_the_deploy_check():
    environment = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "praevention.oberhausen.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_staff_login_is_locked_after_five_wrong_passwords_from_the_real_client(client):
    make_user("koordinatorin", is_staff=True, is_superuser=True)

    def attempt(password, client_ip):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "koordinatorin", "password": password},
            HTTP_X_FORWARDED_FOR=client_ip,
            REMOTE_ADDR="127.0.0.1",  # the proxy
        )

    for _ in range(4):
        assert attempt("falsch", "203.0.113.9").status_code == 200
    assert attempt("falsch", "203.0.113.9").status_code == 429  # the fifth locks
    locked = attempt("correct-horse-battery", "203.0.113.9")
    assert locked.status_code == 429
    assert "Anmeldung für eine Stunde gesperrt" in locked.content.decode()
    # Another client behind the same proxy is not locked out.
    assert attempt("correct-horse-battery", "203.0.113.10").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_client_trying_many_accounts_is_locked_out(client):
    make_user("koordinatorin", is_staff=True, is_superuser=True)

    def attempt(username, password, client_ip):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password},
            HTTP_X_FORWARDED_FOR=client_ip,
            REMOTE_ADDR="127.0.0.1",
        )

    statuses = [
        attempt(f"konto{number}", "Sommer2026!", "203.0.113.50").status_code for number in range(20)
    ]

    assert statuses[:19] == [200] * 19  # no account reached five failures ...
    assert statuses[19] == 429  # ... but the client reached twenty
    locked = attempt("koordinatorin", "correct-horse-battery", "203.0.113.50")
    assert locked.status_code == 429
    assert "Anmeldung für eine Stunde gesperrt" in locked.content.decode()
    assert attempt("koordinatorin", "correct-horse-battery", "203.0.113.51").status_code == 302


@pytest.mark.parametrize("password", ["kurz", "password1234", "123456789012", "koordinatorin1"])
def test_weak_passwords_are_refused(password):
    user = make_user("koordinatorin")

    with pytest.raises(ValidationError):
        validate_password(password, user)
