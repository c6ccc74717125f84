"""axe-core on every public page type at desktop width (see tests/browser/accessibility.py).

The first half of the site's languages here, the rest in
test_accessibility_desktop_more.py, so the two test processes share the work.
"""

import pytest
from django.conf import settings

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


FIRST_HALF = [code for code, _ in settings.LANGUAGES][: (len(settings.LANGUAGES) + 1) // 2]


@pytest.mark.parametrize("language", FIRST_HALF)
def test_every_page_type_has_no_accessibility_violations_at_desktop_width(request, language):
    assert_no_violations_on_every_page_type(request, "desktop", language)
