"""Arabic is read from right to left: the layout mirrors, numbers keep their order.

Checked in real Chromium at phone width, on screenshots and on the boxes the
browser laid out.
"""

import io

import pytest
from PIL import Image

from offers.models import Offer

pytestmark = pytest.mark.django_db(transaction=True)


def ink_columns(png):
    """The first and last pixel column with dark ink (text) of a screenshot, and its width."""
    image = Image.open(io.BytesIO(png)).convert("L")
    columns = [
        x
        for x in range(image.width)
        if any(image.getpixel((x, y)) < 100 for y in range(image.height))
    ]
    return columns[0], columns[-1], image.width


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_arabic_page_mirrors_its_layout(phone, site):
    phone.goto(site + "/angebote/")
    german_first, _, width = ink_columns(phone.locator("h1").screenshot())
    german_brand = box(phone, ".brand")

    phone.goto(site + "/ar/angebote/")

    assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The heading's text starts at the right: on its screenshot the ink hugs the right edge.
    first, last, width = ink_columns(phone.locator("h1").screenshot())
    assert german_first < 5 and first > width / 3 and last > width - 5
    # The brand moves to the right, the language names follow it; nothing overflows.
    brand = box(phone, ".brand")
    assert brand["x"] > german_brand["x"] + 100
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The skip link, when focused, sits at the start of the line: the right.
    phone.keyboard.press("Tab")
    skip = box(phone, ".skip-link")
    assert skip["x"] + skip["width"] > 390 - 20


def test_a_phone_number_reads_left_to_right_in_arabic(phone, site):
    offer = Offer.objects.published().exclude(contact_phone="").first()

    phone.goto(f"{site}/ar/angebote/{offer.slug}/")

    number = phone.locator("bdi", has_text=offer.contact_phone)
    assert number.evaluate("element => getComputedStyle(element).direction") == "ltr"
    # Laid out left to right: its first digits stand left of its last.
    first_digits = offer.contact_phone.split()[0]
    text = number.inner_text()
    assert text.startswith(first_digits)
    number_box = number.bounding_box()
    prefix_box = phone.evaluate(
        """element => {
            const range = document.createRange();
            range.setStart(element.firstChild, 0);
            range.setEnd(element.firstChild, 4);
            const r = range.getBoundingClientRect();
            return {x: r.x, width: r.width};
        }""",
        number.element_handle(),
    )
    assert abs(prefix_box["x"] - number_box["x"]) < 2
