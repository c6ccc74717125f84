"""The map in real Chromium: not one request to the tile server before the visitor agrees.

The tile server is a second server on this machine (another origin than the
site); it answers every tile with a small PNG and records what it was asked.
"""

import base64
import http.server
import threading

import pytest
from django.http import QueryDict

from directory.filters import OfferFilter
from offers.models import Offer
from tests.browser.conftest import axe_violations, tab_until, wait_until
from tests.factories import make_location, make_offer
from wegweiser.maps import OfferMap

pytestmark = pytest.mark.django_db(transaction=True)

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def tile_server(settings):
    asked = []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    class TileServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # Leaflet drops tiles it no longer needs: a broken pipe is normal

    server = TileServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.MAP_TILE_URL = origin + "/{z}/{x}/{y}.png"
    yield origin, asked
    server.shutdown()
    server.server_close()


def markers(page):
    return page.locator(".leaflet-marker-icon")


def test_no_tile_is_fetched_before_consent_and_markers_work_by_keyboard(phone, site, tile_server):
    origin, asked = tile_server
    url = f"{site}/angebote/karte/?sozialraum=osterfeld"
    selection = OfferFilter(QueryDict("sozialraum=osterfeld"), queryset=Offer.objects.published())
    places = len(OfferMap(selection).geojson()["features"])
    assert places > 3

    phone.goto(url)
    phone.wait_for_load_state("networkidle")

    assert asked == [] and phone.foreign_requests == []
    assert markers(phone).count() == 0
    assert phone.get_by_role("button", name="Karte laden").is_visible()
    assert phone.get_by_text("Die Karte braucht JavaScript").is_hidden()

    phone.get_by_role("button", name="Karte laden").click()
    wait_until(phone, f"document.querySelectorAll('.leaflet-marker-icon').length === {places}")
    wait_until(phone, "document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    assert asked and all(path.endswith(".png") for path in asked)
    assert {request.split("/")[2] for request in phone.foreign_requests} == {origin[7:]}
    assert phone.csp_violations == []

    # A marker names its place and is reached with Tab; Enter opens its offers.
    tab_until(phone, "el.classList.contains('leaflet-marker-icon')")
    label = phone.evaluate("document.activeElement.getAttribute('alt')")
    assert " Angebot" in label
    phone.keyboard.press("Enter")
    popup = phone.locator(".leaflet-popup-content")
    popup.wait_for()
    assert label.split(":")[0] in popup.inner_text()
    assert popup.locator("a").count() >= 1


def test_a_popup_marks_the_german_titles_on_an_arabic_page(phone, site, tile_server):
    place = make_location(name="Treff Zauberwald", latitude=51.4806, longitude=6.8308)
    make_offer(title="Zauberwald-Café", title_ar="مقهى غابة زاوبر", locations=[place])
    make_offer(title="Zauberwald-Spielgruppe", locations=[place])

    phone.goto(f"{site}/ar/angebote/karte/?q=Zauberwald")
    phone.get_by_role("button", name="تحميل الخريطة").click()
    wait_until(phone, "document.querySelectorAll('.leaflet-marker-icon').length === 1")
    markers(phone).first.click()
    popup = phone.locator(".leaflet-popup-content")
    popup.wait_for()

    links = popup.locator("a").evaluate_all(
        "links => links.map(link => [link.textContent, link.lang, link.dir])"
    )
    assert links == [
        ["مقهى غابة زاوبر", "", ""],
        ["Zauberwald-Spielgruppe", "de", "ltr"],
    ]


def test_consent_holds_for_the_tab_only(phone, site, tile_server):
    origin, asked = tile_server
    url = f"{site}/angebote/karte/"

    phone.goto(url)
    phone.get_by_role("button", name="Karte laden").click()
    wait_until(phone, "document.querySelectorAll('.leaflet-marker-icon').length > 0")
    phone.goto(url)
    wait_until(phone, "document.querySelectorAll('.leaflet-marker-icon').length > 0")
    assert asked

    # Another tab of the same browser (sharing its cookies and localStorage)
    # asks again. The first tab may still be fetching tiles: count the new
    # tab's own requests.
    other_tab = phone.context.new_page()
    try:
        to_tile_server = []
        other_tab.on(
            "request",
            lambda request: request.url.startswith(origin) and to_tile_server.append(request.url),
        )
        other_tab.goto(url)
        other_tab.wait_for_load_state("networkidle")
        assert other_tab.get_by_role("button", name="Karte laden").is_visible()
        assert other_tab.locator(".leaflet-marker-icon").count() == 0
        assert to_tile_server == []
    finally:
        other_tab.close()


def test_without_javascript_the_page_lists_the_places(phone_without_js, site, tile_server):
    _origin, asked = tile_server

    phone_without_js.goto(f"{site}/angebote/karte/?sozialraum=osterfeld")

    assert phone_without_js.get_by_text("Die Karte braucht JavaScript").is_visible()
    assert phone_without_js.get_by_role("heading", name="Osterfeld-Mitte").is_visible()
    assert asked == [] and phone_without_js.foreign_requests == []


def test_the_loaded_map_has_no_accessibility_violations(desktop, site, tile_server):
    desktop.goto(f"{site}/angebote/karte/?sozialraum=osterfeld")
    desktop.get_by_role("button", name="Karte laden").click()
    wait_until(desktop, "document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    credit = desktop.locator(".leaflet-control-attribution a").first

    assert "underline" in credit.evaluate("link => getComputedStyle(link).textDecorationLine")
    assert axe_violations(desktop) == []
