"""The steering area works for a coordinator in a real browser, accessibly."""

import pytest

from tests.browser.conftest import axe_violations
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_steering_pages_have_no_accessibility_violations(desktop, site):
    make_user("koordinatorin", is_staff=True, groups=["Koordination"])
    desktop.goto(site + "/koordination/")
    desktop.get_by_label("Benutzername").fill("koordinatorin")
    desktop.get_by_label("Passwort").fill("correct-horse-battery")
    desktop.get_by_role("button", name="Anmelden").click()
    desktop.wait_for_url(site + "/koordination/")

    failures = {}
    for url in [
        "/koordination/",
        "/koordination/?sozialraum=osterfeld&zeilen=sprache",
        "/koordination/parallelangebote/",
    ]:
        desktop.goto(site + url)
        violations = axe_violations(desktop)
        if violations:
            failures[url] = violations
    assert failures == {}

    # A coordinator follows a number to the offers behind it.
    desktop.goto(site + "/koordination/")
    desktop.locator(".coverage__offers").first.click()
    desktop.wait_for_url("**/admin/offers/offer/?**")
    assert "oeffentlich=ja" in desktop.url
