"""The Wegweiser of a Sozialraum of the demo data, as professionals print it."""

import re

import pytest

from offers.models import AgePhase, District, Offer
from tests.test_wegweiser import PDF, SITE, links, offer_url, page_texts, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def test_the_guide_of_a_social_area_describes_each_offer_once_on_the_page_its_link_is(client, demo):
    district = District.objects.get(slug="sterkrade-mitte")
    phase = AgePhase.objects.get(slug="0-3")
    expected = list(Offer.objects.published().in_district(district).in_phase(phase))
    assert len(expected) > 10

    response = client.get(PDF, {"sozialraum": "sterkrade-mitte", "phase": "0-3"})

    reader = read_pdf(response)
    assert 'filename="wegweiser-sterkrade-mitte-0-3.pdf"' in response["Content-Disposition"]
    texts = page_texts(reader)
    assert "Wegweiser für Familien" in texts[0] and "Sterkrade-Mitte" in texts[0]
    assert f"{len(expected)} Angebote" in texts[0]
    # Each offer's title links to its page on the internet, once, where the title stands.
    pages = links(reader)
    offers_linked = {url: page for url, page in pages.items() if "/angebote/" in url}
    offers_linked.pop(f"{SITE}/angebote/?phase=0-3&sozialraum=sterkrade-mitte")
    assert set(offers_linked) == {offer_url(offer) for offer in expected}
    for offer in expected:
        assert " ".join(offer.title.split()) in texts[offers_linked[offer_url(offer)] - 1]
    # The contents name the section and the page it starts on.
    contents = re.search(r"0–3 Jahre \(von der Geburt bis 2 Jahren\)[ .]*?(\d+) –", texts[1])
    start = int(contents.group(1))
    assert texts[start - 1].startswith("0–3 Jahre")
    assert min(offers_linked.values()) == start
