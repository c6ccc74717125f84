"""What only a browser shows: the filter form on a phone, keyboard use."""

import re

import pytest

from offers.models import District, Offer
from tests.browser.conftest import focus_is_visible, tab_until, wait_until

# The live server needs committed data; the site fixture loads the vocabulary
# and the demo data afresh for every test (a flush removes migration data).
pytestmark = pytest.mark.django_db(transaction=True)


def expected_count(district_slug=None):
    offers = Offer.objects.published().for_age_range(12, 35)
    if district_slug:
        offers = offers.in_district(District.objects.get(slug=district_slug))
    return offers.count()


def results_heading(page):
    return page.locator("#results-heading").inner_text().strip()


def test_phone_with_javascript_filters_by_age_without_reloading(phone, site):
    phone.goto(site + "/")
    phone.get_by_role("link", name="1–2 Jahre").click()
    phone.wait_for_url(re.compile(r"/angebote/\?alter=1-2$"))
    assert results_heading(phone) == f"{expected_count()} Angebote gefunden"

    phone.evaluate("window.notReloaded = true")
    phone.get_by_text("Suche verfeinern").click()
    district = phone.get_by_label("Sozialraum")
    district.focus()
    district.select_option("sterkrade-mitte")
    wait_until(phone, "location.search.includes('sozialraum=sterkrade-mitte')")
    wait_until(
        phone,
        f"document.querySelector('#results-heading').textContent.includes('{expected_count('sterkrade-mitte')} Angebot')",
    )

    assert phone.evaluate("window.notReloaded") is True
    assert phone.url.endswith("/angebote/?alter=1-2&sozialraum=sterkrade-mitte")
    assert phone.evaluate("document.activeElement.id") == "id_sozialraum"
    assert phone.get_by_label("Sozialraum").is_visible()
    assert (
        phone.locator("#directory-status")
        .inner_text()
        .startswith(str(expected_count("sterkrade-mitte")))
    )
    assert phone.foreign_requests == []
    assert phone.csp_violations == []


def test_phone_without_javascript_filters_by_age_with_the_button(phone_without_js, site):
    page = phone_without_js
    page.goto(site + "/")
    page.get_by_role("link", name="1–2 Jahre").click()
    page.wait_for_url(re.compile(r"alter=1-2"))

    page.get_by_text("Suche verfeinern").click()
    page.get_by_label("Sozialraum").select_option("sterkrade-mitte")
    page.get_by_role("button", name="Angebote anzeigen").click()
    page.wait_for_url(re.compile(r"sozialraum=sterkrade-mitte"))

    assert "alter=1-2" in page.url
    assert results_heading(page) == f"{expected_count('sterkrade-mitte')} Angebote gefunden"
    assert page.get_by_role("link", name=re.compile("Sozialraum: Sterkrade-Mitte")).is_visible()


def test_keyboard_only_path_from_start_page_to_a_phone_number(desktop, site):
    desktop.goto(site + "/")

    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    assert focus_is_visible(desktop)
    desktop.keyboard.press("Enter")

    tab_until(desktop, "el.textContent.trim() === '1–2 Jahre'")
    assert focus_is_visible(desktop)
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"alter=1-2"))

    tab_until(desktop, "el.closest('.offer-card__title') !== null")
    assert focus_is_visible(desktop)
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"/angebote/[a-z0-9-]+/$"))

    tab_until(desktop, "(el.getAttribute('href') || '').startsWith('tel:')")
    assert focus_is_visible(desktop)
    assert re.fullmatch(
        r"Anrufen 0208 000-\d{4}", desktop.evaluate("document.activeElement.textContent.trim()")
    )
    assert desktop.foreign_requests == []


def test_quick_filter_changes_show_the_results_of_the_address_shown(phone, site):
    phone.goto(site + "/angebote/?alter=1-2")
    phone.get_by_text("Suche verfeinern").click()
    held = []

    def hold_the_first(route):
        # The first change's answer is held back until the second one has arrived.
        if "sozialraum=osterfeld" in route.request.url and not held:
            held.append(route)
        else:
            route.continue_()

    phone.route(re.compile(r"/angebote/\?"), hold_the_first)
    district = phone.get_by_label("Sozialraum")
    district.select_option("osterfeld")
    wait_until(phone, "location.search.includes('sozialraum=osterfeld')")
    assert held, "the first request never left"
    district = phone.get_by_label("Sozialraum")
    district.select_option("sterkrade-mitte")
    expected = f"{expected_count('sterkrade-mitte')} Angebot"
    wait_until(
        phone, f"document.querySelector('#results-heading').textContent.includes('{expected}')"
    )

    held[0].continue_()  # the old answer arrives late (or not at all: it was aborted)
    phone.wait_for_timeout(500)

    assert phone.url.endswith("/angebote/?alter=1-2&sozialraum=sterkrade-mitte")
    assert expected in results_heading(phone)
    assert phone.get_by_label("Sozialraum").input_value() == "sterkrade-mitte"
