"""What must always hold is enforced by the database, and forms say it in German."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from networks.models import Membership
from offers.models import AgePhase, Language, Offer
from tests.factories import make_network, make_offer, make_provider

pytestmark = pytest.mark.django_db


def assert_violates(constraint_name, change, unique_columns=None):
    """``change()`` fails on exactly this constraint.

    PostgreSQL names every constraint; SQLite names a CHECK constraint but
    reports a UNIQUE one by its columns, so those tests name the columns too.
    """
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        change()
    message = str(excinfo.value)
    expected = [constraint_name]
    if unique_columns:
        expected.append(f"UNIQUE constraint failed: {unique_columns}")
    assert any(text in message for text in expected), message


def test_min_age_above_max_age_is_refused_by_the_database():
    offer = make_offer(min_age_months=10, max_age_months=20)

    assert_violates(
        "offer_min_age_lte_max_age",
        lambda: Offer.objects.filter(pk=offer.pk).update(min_age_months=30),
    )


def test_age_bounds_before_pregnancy_are_refused():
    offer = make_offer()

    assert_violates(
        "offer_age_bounds_in_range",
        lambda: Offer.objects.filter(pk=offer.pk).update(min_age_months=-10),
    )


def test_unknown_status_and_cost_are_refused():
    offer = make_offer()

    assert_violates(
        "offer_status_valid", lambda: Offer.objects.filter(pk=offer.pk).update(status="live")
    )
    assert_violates(
        "offer_cost_valid", lambda: Offer.objects.filter(pk=offer.pk).update(cost="cheap")
    )


def test_end_date_before_start_date_is_refused():
    offer = make_offer(valid_from=datetime.date(2026, 5, 1))

    assert_violates(
        "offer_valid_from_lte_valid_until",
        lambda: Offer.objects.filter(pk=offer.pk).update(valid_until=datetime.date(2026, 4, 1)),
    )


def test_slugs_are_unique():
    make_offer(slug="elterncafe")
    provider = make_provider(slug="traeger")

    assert_violates("offer_slug_unique", lambda: make_offer(slug="elterncafe"), "offers_offer.slug")
    assert_violates(
        "provider_slug_unique", lambda: make_provider(slug=provider.slug), "offers_provider.slug"
    )


def test_language_codes_are_two_lower_case_letters():
    assert_violates(
        "language_code_two_lowercase_letters",
        lambda: Language.objects.create(code="DE", name="Großbuchstaben"),
    )
    assert_violates(
        "language_code_two_lowercase_letters",
        lambda: Language.objects.create(code="x", name="Zu kurz"),
    )


def test_age_phase_must_end_after_it_starts():
    phase = AgePhase.objects.get(slug="3-6")

    assert_violates(
        "agephase_min_months_lte_max_months",
        lambda: AgePhase.objects.filter(pk=phase.pk).update(max_months=10),
    )


def test_a_provider_is_member_of_a_network_once():
    provider = make_provider()
    network = make_network(members=[provider])

    assert_violates(
        "membership_network_provider_unique",
        lambda: Membership.objects.create(network=network, provider=provider),
        "networks_membership.network_id, networks_membership.provider_id",
    )


def test_forms_say_the_age_rule_in_german():
    offer = make_offer()
    offer.min_age_months = 40
    offer.max_age_months = 12

    with translation.override("de"), pytest.raises(ValidationError) as excinfo:
        offer.full_clean()

    assert excinfo.value.message_dict["max_age_months"] == [
        "Das Höchstalter darf nicht unter dem Mindestalter liegen."
    ]


def test_forms_say_the_date_rule_in_german():
    offer = make_offer(valid_from=datetime.date(2026, 5, 1))
    offer.valid_until = datetime.date(2026, 4, 1)

    with translation.override("de"), pytest.raises(ValidationError) as excinfo:
        offer.full_clean()

    assert excinfo.value.message_dict["valid_until"] == [
        "Das Enddatum darf nicht vor dem Startdatum liegen."
    ]


def test_summary_longer_than_300_characters_is_refused_by_forms():
    offer = make_offer()
    offer.summary = "x" * 301

    with translation.override("de"), pytest.raises(ValidationError) as excinfo:
        offer.full_clean()

    assert "summary" in excinfo.value.message_dict


def test_the_model_refuses_html_and_odd_phone_numbers_for_every_form_and_the_admin():
    offer = make_offer()
    offer.title = "<b>Krabbelgruppe</b>"
    offer.description = "Mehr unter <a href=x>hier</a>"
    offer.contact_phone = "ruf mich an"
    offer.schedule = "Für Kinder <3 Jahren, dienstags"  # a lone "<" is text
    offer.summary_ar = "<script>alert(1)</script>"  # translations follow the same rules

    with translation.override("de"), pytest.raises(ValidationError) as excinfo:
        offer.full_clean()

    errors = excinfo.value.message_dict
    # The German texts also under their column's name (the admin's field).
    assert sorted(errors) == [
        "contact_phone",
        "description",
        "description_de",
        "summary_ar",
        "title",
        "title_de",
    ]
    assert "ohne HTML-Code" in errors["title"][0]
    assert "nur mit Ziffern" in errors["contact_phone"][0]


def test_an_offer_needs_a_place_or_a_way_to_reach_families():
    with translation.override("de"), pytest.raises(ValidationError) as excinfo:
        Offer.validate_place(locations=[], citywide=False, outreach=False, online=False)

    assert excinfo.value.messages == [
        "Geben Sie mindestens einen Ort an oder kreuzen Sie an, dass das Angebot "
        "stadtweit gilt, zur Familie kommt oder online stattfindet."
    ]
    Offer.validate_place(locations=[], citywide=False, outreach=False, online=True)
