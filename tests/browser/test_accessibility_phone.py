"""axe-core on every public page type at phone width (see tests/browser/accessibility.py)."""

import pytest

from tests.browser.accessibility import assert_no_violations_on_every_page_type

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page_type_has_no_accessibility_violations_at_phone_width(request):
    assert_no_violations_on_every_page_type(request, "phone")
