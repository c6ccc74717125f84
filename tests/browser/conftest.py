"""Real headless Chromium (Debian's) driven by Playwright against the live server."""

import os
import time

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the live server's
# database access from the test itself is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.factories import make_user  # noqa: E402
from tests.tools import AXE, CHROMIUM, require_tools  # noqa: E402

# As root, without a sandbox; no background traffic to Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    require_tools(CHROMIUM, AXE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _page(browser, site, **options):
    context = browser.new_context(locale="de-DE", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.foreign_requests = []
    page.on("request", lambda r: r.url.startswith(site) or page.foreign_requests.append(r.url))
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return context, page


def wait_until(page, expression, timeout=10):
    """Poll a JS expression from outside the page (page scripts may not eval under our CSP)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout} s: {expression}")


@pytest.fixture
def site(live_server):
    """The demo data set behind a live server; returns its base URL."""
    call_command("load_demo_data", verbosity=0)
    call_command("find_parallel_offers", verbosity=0)
    return live_server.url


@pytest.fixture
def phone(browser, site):
    context, page = _page(browser, site, **PHONE)
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser, site):
    context, page = _page(browser, site, java_script_enabled=False, **PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser, site):
    # axe is injected as a script; a Content-Security-Policy must not stop the test tool.
    context, page = _page(browser, site, bypass_csp=True, **DESKTOP)
    yield page
    context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        })"""
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def tab_until(page, predicate, limit=80):
    """Press Tab until the focused element satisfies a JS predicate; fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"never reached an element with {predicate}")


def focus_is_visible(page):
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, shadow: s.boxShadow}; })()"
    )
    return style["outline"] != "none" or style["shadow"] != "none"


def log_in_as_superuser(page, site, url):
    """Open ``url`` as a new superuser, through the admin login form it leads to.

    (Transactional tests flush the group the migrations made; a superuser has every right.)
    """
    make_user("chefin", is_staff=True, is_superuser=True)
    page.goto(site + url)
    page.get_by_label("Benutzername").fill("chefin")
    page.get_by_label("Passwort").fill("correct-horse-battery")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(site + url)
