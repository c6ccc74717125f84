"""axe-core on every public page type at desktop width in Ukrainian, Russian and Arabic."""

import pytest

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["uk", "ru", "ar"])
def test_every_page_type_has_no_accessibility_violations_at_desktop_width(request, language):
    assert_no_violations_on_every_page_type(request, "desktop", language)
