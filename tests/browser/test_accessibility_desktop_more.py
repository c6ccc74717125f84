"""axe-core on every public page type at desktop width: the second half of the languages."""

import pytest
from django.conf import settings

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


SECOND_HALF = [code for code, _ in settings.LANGUAGES][(len(settings.LANGUAGES) + 1) // 2 :]


@pytest.mark.parametrize("language", SECOND_HALF)
def test_every_page_type_has_no_accessibility_violations_at_desktop_width(request, language):
    assert_no_violations_on_every_page_type(request, "desktop", language)
