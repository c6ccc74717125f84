"""The steering area works for a coordinator in a real browser, accessibly."""

import re

import pytest

from tests.browser.conftest import axe_violations, log_in_as_superuser
from tests.pages import steering_urls

pytestmark = pytest.mark.django_db(transaction=True)


def test_steering_pages_have_no_accessibility_violations(desktop, site):
    log_in_as_superuser(desktop, site, "/koordination/")

    failures = {}
    for url in steering_urls().values():
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

    # The print view comes out as A4 landscape (842 × 595 points).
    desktop.goto(site + "/koordination/druck/")
    pdf = desktop.pdf(prefer_css_page_size=True)
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (round(width), round(height)) == (842, 595)
