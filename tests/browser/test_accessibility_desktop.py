"""axe-core on every public page type at desktop width (see tests/browser/accessibility.py).

In German, English and Turkish here; Ukrainian, Russian and Arabic in
test_accessibility_desktop_more.py, so the two test processes share the work.
"""

import pytest

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["de", "en", "tr"])
def test_every_page_type_has_no_accessibility_violations_at_desktop_width(request, language):
    assert_no_violations_on_every_page_type(request, "desktop", language)
