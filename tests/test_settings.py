"""settings.py reads the environment and stops loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from oberhausen_praevention import env

PROJECT = Path(__file__).resolve().parent.parent


def load_settings(**variables):
    """Import settings in a fresh interpreter with exactly these variables."""
    environment = {"PATH": os.environ["PATH"], **variables}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import oberhausen_praevention.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_development_needs_nothing_but_debug():
    result = load_settings(DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "vielleicht"}, "DEBUG='vielleicht' is not a boolean"),
        ({"DEBUG": "false", "SECRET_KEY": "s3cret-for-the-test"}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://db/app"}, "unsupported scheme 'mysql'"),
        (
            {"DEBUG": "true", "MAP_TILE_URL": "https://tiles.example.org/tile.png"},
            "is not an http(s) tile address with {z}, {x} and {y}",
        ),
        (
            {"DEBUG": "true", "WEGWEISER_MAX_OFFERS": "0"},
            "WEGWEISER_MAX_OFFERS='0' must be at least 1",
        ),
        (
            {"DEBUG": "true", "WEGWEISER_FONT_DIR": "/nowhere/fonts"},
            "WEGWEISER_FONT_DIR='/nowhere/fonts' holds no DejaVuSans.ttf.",
        ),
        (
            {
                "DEBUG": "false",
                "ALLOWED_HOSTS": "example.org",
                "SECRET_KEY": "development-only-not-secret-oberhausen-praevention",
            },
            "SECRET_KEY is the development key",
        ),
    ],
)
def test_bad_environment_stops_the_start_with_a_clear_message(variables, message):
    result = load_settings(**variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_database_url_for_postgresql(monkeypatch):
    config = env.parse_database_url(
        "postgres://app:p%40ss@db.internal:5433/praevention?sslmode=require", "/srv"
    )

    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "praevention",
        "USER": "app",
        "PASSWORD": "p@ss",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }


def test_database_url_for_sqlite_is_relative_to_the_project():
    assert (
        env.parse_database_url("sqlite:///db.sqlite3", "/srv/app")["NAME"] == "/srv/app/db.sqlite3"
    )
    assert (
        env.parse_database_url("sqlite:////var/lib/app.db", "/srv/app")["NAME"] == "/var/lib/app.db"
    )


@pytest.mark.parametrize(
    "url", ["postgres://app:secret@db:5432/", "postgres://app:secret@db:port/app", "sqlite://"]
)
def test_broken_database_urls_are_refused_without_showing_the_password(url):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.parse_database_url(url, "/srv")

    assert "secret" not in str(excinfo.value)


def test_lists_refuse_empty_entries(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org,,www.example.org")

    with pytest.raises(ImproperlyConfigured, match="empty entry"):
        env.get_list("ALLOWED_HOSTS", [])


def test_numbers_must_be_numbers(monkeypatch):
    monkeypatch.setenv("CONN_MAX_AGE", "eine Minute")

    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.get_int("CONN_MAX_AGE", 60)


@pytest.mark.parametrize(
    "url, backend, location",
    [
        (
            "redis://cache.internal:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache.internal:6379/1",
        ),
        (
            "memcached://cache.internal:11211",
            "django.core.cache.backends.memcached.PyMemcacheCache",
            "cache.internal:11211",
        ),
    ],
)
def test_cache_url_chooses_the_shared_cache(url, backend, location):
    assert env.parse_cache_url(url) == {"BACKEND": backend, "LOCATION": location}


def test_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        env.parse_cache_url("locmem://")


def test_database_cache_has_room_for_many_filter_combinations():
    config = env.parse_cache_url("db")

    assert config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert config["OPTIONS"]["MAX_ENTRIES"] >= 10_000


def run_manage(*args, **variables):
    environment = {"PATH": os.environ["PATH"], **variables}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_manage_py_without_a_secret_key_fails_loudly_instead_of_switching_debug_on():
    result = run_manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "SECRET_KEY fehlt" in result.stderr
    assert "DEBUG=true" in result.stderr


def test_manage_py_works_on_a_developer_machine_that_says_so():
    assert run_manage("check", DEBUG="true").returncode == 0


def test_manage_py_on_a_configured_server_keeps_debug_off_and_checks_its_settings():
    result = run_manage(
        "check", SECRET_KEY="a-server-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr
