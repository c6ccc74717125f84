"""axe-core on every public page type in real Chromium (the tests: one file per width).

One file per width, so that the two test processes share the longest browser tests
(whole files per process).
"""

from tests.browser.conftest import axe_violations
from tests.pages import MAP_TILE_URL, in_language, page_type_urls


def assert_no_violations_on_every_page_type(request, viewport, language="de"):
    request.getfixturevalue("settings").MAP_TILE_URL = MAP_TILE_URL
    site = request.getfixturevalue("site")
    page = request.getfixturevalue("desktop")
    if viewport == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    failures = {}
    for name, url in in_language(page_type_urls(), language).items():
        page.goto(site + url)
        if name == "submit" and viewport == "phone":
            page.locator("form.long-form button[type=submit]").click()  # its errors too
            page.wait_for_selector("#error-summary")
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert failures == {}
    assert page.foreign_requests == []
