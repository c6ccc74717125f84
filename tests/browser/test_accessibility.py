"""axe-core on every public page type, at phone and desktop width, in real Chromium.

A file of its own, so that test processes share the browser tests (whole files per process).
"""

import pytest

from tests.browser.conftest import axe_violations
from tests.pages import page_type_urls

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_type_has_no_accessibility_violations(request, site, viewport):
    page = request.getfixturevalue("desktop")
    if viewport == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    failures = {}
    for name, url in page_type_urls().items():
        page.goto(site + url)
        if name == "submit" and viewport == "phone":
            page.get_by_role("button", name="Angebot senden").click()  # and its error state
            page.wait_for_selector("#error-summary")
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert failures == {}
    assert page.foreign_requests == []
