import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from demo.content import EASY_TEXTS
from demo.loader import generate_offers
from networks.models import Membership, Network
from offers.models import (
    AgePhase,
    ChangeReport,
    District,
    Location,
    Offer,
    Provider,
    Submission,
    Topic,
)
from steering.coverage import DIMENSIONS, coverage
from steering.models import ChildPopulation

pytestmark = pytest.mark.django_db

MODELS = [
    Provider,
    Location,
    Offer,
    Network,
    Membership,
    Submission,
    ChangeReport,
    ChildPopulation,
]


def snapshot():
    """Every row of the demo models, with their relations, as plain values."""
    rows = {model.__name__: sorted(map(repr, model.objects.values_list())) for model in MODELS}
    for relation in ("topics", "target_groups", "districts", "languages", "locations"):
        through = getattr(Offer, relation).through
        rows[relation] = sorted(map(repr, through.objects.values_list()))
    return rows


def test_demo_data_is_a_realistic_city(demo):
    assert Offer.objects.count() >= 150
    assert Provider.objects.count() >= 40
    assert Location.objects.count() >= 60
    assert Network.objects.count() >= 6
    assert set(Network.objects.values_list("name", flat=True)) >= {
        "Netzwerk Frühe Hilfen",
        "Bündnis für Familie",
        "AG Chancengleichheit",
        "Netzwerk Familienzentren",
        "achtung – Kinder von Anfang an begleiten",
    }


def test_demo_offers_cover_every_phase_topic_and_social_area(demo):
    published = Offer.objects.published()
    for phase in AgePhase.objects.all():
        assert published.in_phase(phase).exists(), phase
    for topic in Topic.objects.all():
        assert published.with_topic(topic).exists(), topic
    for district in District.objects.all():
        assert published.in_district(district).filter(citywide=False).exists(), district


def test_demo_data_has_every_state_coordinators_meet(demo):
    states = dict(Offer.objects.values_list("status").annotate(n=Count("pk")))
    expired = Offer.objects.filter(status=Offer.Status.PUBLISHED).exclude(
        pk__in=Offer.objects.published()
    )

    assert states.keys() == set(Offer.Status.values)
    assert expired.exists()
    assert Offer.objects.needs_verification().exists()


def test_demo_contacts_are_fictional(demo):
    emails = list(Offer.objects.values_list("contact_email", flat=True)) + list(
        Provider.objects.values_list("email", flat=True)
    )
    phones = list(Offer.objects.values_list("contact_phone", flat=True))

    assert all(re.fullmatch(r"[a-z.\-]+@([a-z\-]+\.)?example\.org", email) for email in emails)
    assert all(re.fullmatch(r"0208 000-\d{4}", phone) for phone in phones)


def test_demo_texts_have_correct_umlauts(demo):
    texts = " ".join(
        f"{title} {description}"
        for title, description in Offer.objects.values_list("title", "description")
    )

    assert "Mütter" in texts and "Sprachförderung" in texts and "Rückbildungskurs" in texts
    assert "Ã" not in texts and "\ufffd" not in texts


def test_loading_twice_changes_nothing(demo):
    before = snapshot()

    call_command("load_demo_data", verbosity=0)

    assert snapshot() == before


def test_generated_offers_top_up_to_the_number_asked(demo):
    call_command("load_demo_data", offers=30, verbosity=0)
    call_command("load_demo_data", offers=30, verbosity=0)
    generated = Offer.objects.filter(slug__startswith="generiert-")

    assert generated.count() == 30
    call_command("load_demo_data", offers=45, verbosity=0)
    assert generated.count() == 45
    assert not generated.annotate(n=Count("topics")).filter(n=0).exists()
    assert not generated.annotate(n=Count("languages")).filter(n=0).exists()


def test_generated_offers_are_searchable(demo):
    call_command("load_demo_data", offers=40, verbosity=0)
    offer = Offer.objects.filter(slug__startswith="generiert-").first()
    word = offer.title.split()[0]

    assert offer in Offer.objects.search(word)


def test_demo_moderation_queue_is_not_empty(demo):
    assert (
        Submission.objects.pending().count()
        == Offer.objects.filter(status=Offer.Status.SUBMITTED).count()
        > 0
    )
    assert ChangeReport.objects.open().count() == 3


def test_generated_offers_are_inserted_in_bulk(demo, django_assert_max_num_queries):
    # 600 offers with five relations each: a few statements per batch (SQLite splits
    # them at 999 parameters, and an offer has a column per text and language), never
    # one per offer.
    with django_assert_max_num_queries(100):
        added = generate_offers(600, batch_size=200)

    assert added == 600


def test_demo_data_gives_the_steering_area_something_to_show(demo):
    call_command("find_parallel_offers", verbosity=0)
    city = coverage(DIMENSIONS["thema"])

    assert city.totals["gaps"] > 0 and city.totals["thin"] > 0 and city.totals["parallel"] > 0
    assert len(city.pairs) >= 2
    assert city.year and city.demo_figures
    assert not ChildPopulation.objects.filter(is_demo=False).exists()
    # Plausible sizes: some 1 900 births a year in a city of 210 000.
    births = ChildPopulation.objects.filter(year=city.year, phase__slug="schwangerschaft-geburt")
    assert 1500 < sum(births.values_list("children", flat=True)) < 2300


def test_demo_places_lie_in_their_district_and_sort_by_distance(demo, client):
    from offers.geo import neighbourhood_place
    from offers.models import Location

    for location in Location.objects.select_related("neighbourhood"):
        centre = neighbourhood_place(location.neighbourhood)
        assert centre.distance_km(location.latitude, location.longitude) < 0.6, location

    html = client.get("/angebote/", {"naehe": "stadtteil:holten"}).content.decode()
    nearest = re.findall(r"Entfernung:</span> ca. ([\d,]+) km", html)
    assert nearest and float(nearest[0].replace(",", ".")) < 0.6
    assert nearest == sorted(nearest, key=lambda km: float(km.replace(",", ".")))


def test_demo_offers_have_texts_in_leichte_sprache(demo):
    easy = Offer.objects.exclude(easy_text="")

    assert set(easy.values_list("easy_text", flat=True)) == set(EASY_TEXTS.values())
    assert easy.published().count() >= 5


def test_demo_offers_show_their_translations(demo, client):
    cafe = Offer.objects.published().filter(title__startswith="Elterncafé – ").first()
    place = cafe.title.removeprefix("Elterncafé – ")
    page = client.get(f"/tr{cafe.get_absolute_url()}").content.decode()
    listing = client.get("/ar/angebote/", {"q": "مقهى"}).content.decode()

    assert f"مقهى الآباء والأمهات – {place}" in listing  # the place's name stays German
    assert f"<h1>Ebeveyn kafesi – {place}</h1>" in page
    assert "yalnızca Almanca" not in page  # title, summary and description in Turkish
    # A demo offer without translations stays German, marked as such.
    assert Offer.objects.published().filter(title_tr="").exists()
