"""axe-core on every public page type at phone width (see tests/browser/accessibility.py).

In German and in Arabic (right to left), where a phone's narrow screen shows
layout faults first.
"""

import pytest

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_every_page_type_has_no_accessibility_violations_at_phone_width(request, language):
    assert_no_violations_on_every_page_type(request, "phone", language)
