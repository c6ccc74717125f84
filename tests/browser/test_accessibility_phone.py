"""axe-core on every public page type at phone width (see tests/browser/accessibility.py).

In German and in every right-to-left language (Arabic), where a phone's
narrow screen shows layout faults first.
"""

import pytest
from django.conf import settings
from django.utils.translation import get_language_info

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


RIGHT_TO_LEFT = [code for code, _ in settings.LANGUAGES if get_language_info(code)["bidi"]]


@pytest.mark.parametrize("language", [settings.LANGUAGE_CODE, *RIGHT_TO_LEFT])
def test_every_page_type_has_no_accessibility_violations_at_phone_width(request, language):
    assert_no_violations_on_every_page_type(request, "phone", language)
