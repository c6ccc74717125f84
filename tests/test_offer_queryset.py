import datetime

import pytest
from django.utils import timezone

from offers.models import AgePhase, District, Language, Offer, TargetGroup, Topic
from tests.factories import make_location, make_offer, make_offers, make_provider

pytestmark = pytest.mark.django_db


def titles(queryset):
    return set(queryset.values_list("title", flat=True))


# --- published() ----------------------------------------------------------------------


def test_published_excludes_every_unpublished_state():
    today = timezone.localdate()
    make_offer(title="Öffentlich")
    make_offer(title="Läuft heute aus", valid_until=today)
    make_offer(title="Entwurf", status=Offer.Status.DRAFT)
    make_offer(title="Eingereicht", status=Offer.Status.SUBMITTED)
    make_offer(title="Archiviert", status=Offer.Status.ARCHIVED)
    make_offer(title="Abgelaufen", valid_until=today - datetime.timedelta(days=1))

    assert titles(Offer.objects.published()) == {"Öffentlich", "Läuft heute aus"}


def test_published_includes_offers_that_start_later():
    make_offer(
        title="Kurs ab nächstem Monat",
        valid_from=timezone.localdate() + datetime.timedelta(days=30),
    )

    assert titles(Offer.objects.published()) == {"Kurs ab nächstem Monat"}


# --- ages -------------------------------------------------------------------------------


def test_age_filter_includes_both_bounds_and_nothing_beyond():
    make_offer(title="0 bis 36 Monate", min_age_months=0, max_age_months=36)

    assert titles(Offer.objects.for_age_months(0)) == {"0 bis 36 Monate"}
    assert titles(Offer.objects.for_age_months(36)) == {"0 bis 36 Monate"}
    assert titles(Offer.objects.for_age_months(37)) == set()
    assert titles(Offer.objects.for_age_months(-1)) == set()


def test_age_filter_with_open_bounds():
    make_offer(title="ab 16", min_age_months=192, max_age_months=None)
    make_offer(title="bis 6", min_age_months=None, max_age_months=72)
    make_offer(title="alle", min_age_months=None, max_age_months=None)

    assert titles(Offer.objects.for_age_months(500)) == {"ab 16", "alle"}
    assert titles(Offer.objects.for_age_months(-5)) == {"bis 6", "alle"}
    assert titles(Offer.objects.for_age_months(100)) == {"alle"}


def test_pregnancy_is_negative_months():
    make_offer(title="Geburtsvorbereitung", min_age_months=-5, max_age_months=-1)
    make_offer(title="Hebamme", min_age_months=-9, max_age_months=12)
    make_offer(title="Krabbelgruppe", min_age_months=0, max_age_months=24)

    assert titles(Offer.objects.for_age_months(-3)) == {"Geburtsvorbereitung", "Hebamme"}
    assert titles(Offer.objects.for_age_months(0)) == {"Hebamme", "Krabbelgruppe"}


def test_in_phase_matches_offers_overlapping_the_phase():
    pregnancy = AgePhase.objects.get(slug="schwangerschaft-geburt")
    toddlers = AgePhase.objects.get(slug="0-3")
    make_offer(title="Schwangerschaft", min_age_months=-9, max_age_months=-1)
    make_offer(title="Hebamme", min_age_months=-9, max_age_months=12)
    make_offer(title="Kita", min_age_months=36, max_age_months=71)
    make_offer(title="Letzter Monat 0-3", min_age_months=35, max_age_months=40)

    assert titles(Offer.objects.in_phase(pregnancy)) == {"Schwangerschaft", "Hebamme"}
    assert titles(Offer.objects.in_phase(toddlers)) == {"Hebamme", "Letzter Monat 0-3"}


def test_shipped_age_phases_form_a_chain_without_holes():
    phases = list(AgePhase.objects.order_by("min_months"))

    assert [p.slug for p in phases] == [
        "schwangerschaft-geburt",
        "0-3",
        "3-6",
        "6-10",
        "10-16",
        "16-27",
    ]
    for earlier, later in zip(phases, phases[1:], strict=False):
        assert later.min_months == earlier.max_months + 1


# --- where, what, cost ------------------------------------------------------------------


def test_in_district_includes_citywide_offers_and_excludes_other_districts():
    sterkrade = District.objects.get(slug="sterkrade-mitte")
    make_offer(title="Sterkrade", districts=["sterkrade-mitte"])
    make_offer(title="Sterkrade und Osterfeld", districts=["sterkrade-mitte", "osterfeld"])
    make_offer(title="Stadtweit", citywide=True)
    make_offer(title="Lirich", districts=["alstaden-lirich"])

    assert titles(Offer.objects.in_district(sterkrade)) == {
        "Sterkrade",
        "Sterkrade und Osterfeld",
        "Stadtweit",
    }


def test_with_topic_and_target_group_and_language():
    make_offer(
        title="Sport für Kinder", topics=["sport"], target_groups=["kinder"], languages=["de", "tr"]
    )
    make_offer(title="Bildung für Eltern", topics=["bildung", "sprache"], target_groups=["eltern"])

    assert titles(Offer.objects.with_topic(Topic.objects.get(slug="sprache"))) == {
        "Bildung für Eltern"
    }
    assert titles(Offer.objects.for_target_group(TargetGroup.objects.get(slug="kinder"))) == {
        "Sport für Kinder"
    }
    assert titles(Offer.objects.in_language(Language.objects.get(code="tr"))) == {
        "Sport für Kinder"
    }


def test_filters_do_not_duplicate_offers_with_several_matches():
    make_offer(title="Zweimal", districts=["osterfeld", "sterkrade-mitte"], citywide=True)

    assert Offer.objects.in_district(District.objects.get(slug="osterfeld")).count() == 1


def test_free_of_charge():
    make_offer(title="Kostenlos", cost=Offer.Cost.FREE)
    make_offer(title="Beitrag", cost=Offer.Cost.LOW)
    make_offer(title="Kostenpflichtig", cost=Offer.Cost.PAID)

    assert titles(Offer.objects.free_of_charge()) == {"Kostenlos"}


def test_wheelchair_accessible_needs_one_accessible_place():
    make_offer(title="Barrierefrei", locations=[make_location(wheelchair_accessible=True)])
    make_offer(title="Treppe", locations=[make_location(wheelchair_accessible=False)])
    make_offer(title="Online", online=True)

    assert titles(Offer.objects.wheelchair_accessible()) == {"Barrierefrei"}


def test_needs_verification_after_twelve_months():
    today = timezone.localdate()
    make_offer(title="Nie geprüft", last_verified_at=None)
    make_offer(title="Vor 366 Tagen", last_verified_at=today - datetime.timedelta(days=366))
    make_offer(title="Vor 365 Tagen", last_verified_at=today - datetime.timedelta(days=365))

    assert titles(Offer.objects.needs_verification()) == {"Nie geprüft", "Vor 366 Tagen"}
    assert Offer.objects.get(title="Vor 365 Tagen").needs_verification() is False
    assert Offer.objects.get(title="Vor 366 Tagen").needs_verification() is True


def test_methods_chain_into_one_question():
    sterkrade = District.objects.get(slug="sterkrade-mitte")
    make_offer(title="Passt", min_age_months=12, max_age_months=48, districts=["sterkrade-mitte"])
    make_offer(title="Zu alt", min_age_months=72, max_age_months=120, districts=["sterkrade-mitte"])
    make_offer(title="Falscher Ort", min_age_months=12, max_age_months=48, districts=["osterfeld"])
    make_offer(title="Entwurf", status=Offer.Status.DRAFT, districts=["sterkrade-mitte"])

    result = Offer.objects.published().for_age_months(24).in_district(sterkrade)

    assert titles(result) == {"Passt"}


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, title",
    [
        ("Kinder", "Spielgruppe für jedes Kind"),
        ("Familien", "Treffpunkt Familie"),
        ("sprachforderung", "Sprachförderung in der Kita"),
        ("SPRACHFÖRDERUNG", "Sprachförderung in der Kita"),
        ("Sprachf", "Sprachförderung in der Kita"),
        ("elterncafe", "Elterncafé am Markt"),
    ],
)
def test_search_finds_word_forms_case_and_umlauts(query, title):
    make_offer(title="Spielgruppe für jedes Kind")
    make_offer(title="Treffpunkt Familie")
    make_offer(title="Sprachförderung in der Kita")
    make_offer(title="Elterncafé am Markt")

    assert title in titles(Offer.objects.search(query))


def test_search_needs_every_word_and_looks_at_summary_and_description():
    make_offer(
        title="Schwimmkurs",
        summary="Für Kinder ab vier Jahren.",
        description="Im Hallenbad Sterkrade.",
    )
    make_offer(title="Schwimmkurs für Erwachsene", summary="Abends.")

    assert titles(Offer.objects.search("Schwimmkurs Hallenbad")) == {"Schwimmkurs"}
    assert titles(Offer.objects.search("Schwimmkurs")) == {
        "Schwimmkurs",
        "Schwimmkurs für Erwachsene",
    }


def test_search_ranks_title_above_summary_above_description():
    make_offer(title="Beratung", description="Hier geht es auch um Erziehung.")
    make_offer(title="Erziehungsberatung konkret")
    make_offer(title="Sprechstunde", summary="Fragen zur Erziehung beantworten wir.")

    ranked = list(
        Offer.objects.search("Erziehung").order_by("-rank").values_list("title", flat=True)
    )

    assert ranked == ["Erziehungsberatung konkret", "Sprechstunde", "Beratung"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Elterncafé", "Schwimmkurs"}),  # no words: filters nothing
        ("   ", {"Elterncafé", "Schwimmkurs"}),
        ("'\":*&|!()", {"Elterncafé", "Schwimmkurs"}),  # only operators: no words either
        ("\\", {"Elterncafé", "Schwimmkurs"}),
        ("elterncafé' & !", {"Elterncafé"}),  # operators around a word do not change the word
        ("<script>", set()),
        ("a" * 500, set()),
        ("%", {"Elterncafé", "Schwimmkurs"}),
        ("Schwimm_urs", {"Schwimmkurs"}),  # one letter off in a long word is a typo
    ],
)
def test_search_survives_hostile_input(query, expected):
    make_offer(title="Elterncafé")
    make_offer(title="Schwimmkurs")

    assert titles(Offer.objects.search(query)) == expected


def test_an_underscore_is_no_wildcard(is_postgresql):
    make_offer(title="Elterncafé")

    # SQLite: "elt_" is a substring of nothing (and four letters allow no typo);
    # PostgreSQL's parser reads the underscore as a space, leaving the prefix "elt".
    assert titles(Offer.objects.search("Elt_")) == ({"Elterncafé"} if is_postgresql else set())
    assert titles(Offer.objects.search("El_e")) == set()


def test_search_is_found_after_an_edit():
    offer = make_offer(title="Krabbelgruppe")
    offer.title = "Babytreff"
    offer.save()

    assert titles(Offer.objects.search("Babytreff")) == {"Babytreff"}
    assert titles(Offer.objects.search("Krabbelgruppe")) == set()


def test_search_uses_german_stemming_on_postgresql(is_postgresql):
    if not is_postgresql:
        pytest.skip("stemming is PostgreSQL's; SQLite matches substrings")
    make_offer(title="Beratung für Mütter")

    assert titles(Offer.objects.search("Mutter")) == {"Beratung für Mütter"}


# --- fixed query count ------------------------------------------------------------------


def _read_everything(offers):
    for offer in offers:
        _ = offer.provider.name
        [t.name for t in offer.topics.all()]
        [g.name for g in offer.target_groups.all()]
        [lang.code for lang in offer.languages.all()]
        [d.name for d in offer.districts.all()]
        [(loc.name, loc.district) for loc in offer.locations.all()]


@pytest.mark.parametrize("size", [1, 20, 100])
def test_a_list_of_offers_costs_a_fixed_number_of_queries(size, django_assert_num_queries):
    location = make_location()
    make_offers(size, districts=["osterfeld"], topics=["sport", "bildung"], locations=[location])

    with django_assert_num_queries(6):
        _read_everything(Offer.objects.published().with_related())


def test_offers_created_in_bulk_are_recorded_and_found_as_single_saves_are():
    location = make_location(name="Familienzentrum Lirich")
    single = Offer(title="Babytreff einzeln", slug="einzeln", summary="x", provider=make_provider())
    single.save_with_relations(
        {"topics": Topic.objects.filter(slug="sport"), "locations": [location]}, reason="Import"
    )
    (bulk,) = Offer.objects.create_with_relations(
        [
            (
                Offer(
                    title="Babytreff gebündelt",
                    slug="buendel",
                    summary="x",
                    provider=make_provider(),
                ),
                {"topics": Topic.objects.filter(slug="sport"), "locations": [location]},
            )
        ],
        reason="Import",
    )

    for offer in (single, bulk):
        record = offer.history.get()
        assert record.history_change_reason == "Import"
        assert [row.topic.slug for row in record.topics.all()] == ["sport"]
        assert [row.location for row in record.locations.all()] == [location]
        assert list(record.districts.all()) == []
    # The search reads the place's name (the search context) for both.
    assert titles(Offer.objects.search("Lirich")) == {"Babytreff einzeln", "Babytreff gebündelt"}
