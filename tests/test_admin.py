import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offers.models import ChangeReport, Offer, PartnerAccount, Submission
from tests.factories import make_location, make_network, make_offer, make_provider, make_user

pytestmark = pytest.mark.django_db

CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
    if model._meta.app_label in {"offers", "networks", "steering"}
)
# The most queries any changelist page may cost, whatever the number of rows
# (the offer list's vocabulary filters cost one query each).
MAX_CHANGELIST_QUERIES = 13


def grow_data_set(size):
    """More of everything, with relations, so that an N+1 query would show."""
    for _ in range(size):
        provider = make_provider()
        location = make_location(provider=provider)
        offer = make_offer(
            provider=provider,
            locations=[location],
            districts=["osterfeld", "mitte-styrum"],
            topics=["sport", "bildung"],
            status=Offer.Status.SUBMITTED,
        )
        make_network(coordinators=[provider], members=[make_provider()], offers=[offer])
        submission = Submission.objects.create(
            offer=offer,
            submitter_name="Erika",
            submitter_email="e@example.org",
            consent_at=timezone.now(),
        )
        ChangeReport.objects.create(offer=offer, reason=ChangeReport.Reason.TIMES)
        PartnerAccount.objects.create(user=make_user(), provider=provider)
        assert submission.reference


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelist_costs_a_fixed_number_of_queries(coordinator_client, changelist):
    grow_data_set(3)
    url = reverse(changelist)

    queries_before = count_queries(coordinator_client, url)
    grow_data_set(12)
    queries_after = count_queries(coordinator_client, url)

    assert queries_after == queries_before
    assert queries_after <= MAX_CHANGELIST_QUERIES


@pytest.mark.parametrize(
    "params, expected_titles",
    [
        ({"phase": "0-3"}, {"Krabbelgruppe"}),
        ({"sozialraum": "osterfeld"}, {"Schulsozialarbeit", "Stadtweite Beratung"}),
        ({"thema": "sport"}, {"Schulsozialarbeit"}),
        ({"pruefung": "faellig"}, {"Stadtweite Beratung"}),
        ({"status__exact": "draft"}, {"Entwurf"}),
    ],
)
def test_offer_filters_for_coordinators(coordinator_client, params, expected_titles):
    today = timezone.localdate()
    make_offer(title="Krabbelgruppe", min_age_months=0, max_age_months=24, last_verified_at=today)
    make_offer(
        title="Schulsozialarbeit",
        min_age_months=72,
        max_age_months=191,
        districts=["osterfeld"],
        topics=["sport"],
        last_verified_at=today,
    )
    make_offer(title="Stadtweite Beratung", min_age_months=192, citywide=True)
    make_offer(
        title="Entwurf", status=Offer.Status.DRAFT, min_age_months=120, last_verified_at=today
    )

    response = coordinator_client.get(reverse("admin:offers_offer_changelist"), params)

    assert {offer.title for offer in response.context["cl"].result_list} == expected_titles


def run_action(client, action, offers):
    return client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": action, "_selected_action": [offer.pk for offer in offers]},
        follow=True,
    )


def test_coordinator_publishes_submitted_offers(coordinator_client, coordinator):
    offer = make_offer(status=Offer.Status.SUBMITTED, last_verified_at=None)

    response = run_action(coordinator_client, "publish", [offer])

    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.published_at is not None
    assert offer.last_verified_at == timezone.localdate()
    assert offer.last_verified_by == coordinator
    assert "1 Angebot veröffentlicht." in response.content.decode()
    assert offer in Offer.objects.published()
    record = offer.history.first()
    assert record.history_user == coordinator and record.history_change_reason == "Veröffentlicht."


def test_coordinator_archives_offers(coordinator_client):
    offers = [make_offer(), make_offer()]

    response = run_action(coordinator_client, "archive", offers)

    assert "2 Angebote archiviert." in response.content.decode()
    assert not Offer.objects.published().exists()


def test_coordinator_marks_offers_verified(coordinator_client, coordinator):
    offer = make_offer(last_verified_at=None)

    run_action(coordinator_client, "mark_verified", [offer])

    offer.refresh_from_db()
    assert offer.last_verified_at == timezone.localdate()
    assert offer.last_verified_by == coordinator
    assert not Offer.objects.needs_verification().exists()


def test_staff_without_publish_permission_cannot_publish(client):
    editor = make_user(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_offer", "change_offer"])
    )
    client.force_login(editor)
    offer = make_offer(status=Offer.Status.SUBMITTED)

    response = client.get(reverse("admin:offers_offer_changelist"))
    run_action(client, "publish", [offer])

    offered_actions = response.context["cl"].model_admin.get_actions(response.wsgi_request)
    assert "publish" not in offered_actions
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED


def test_staff_outside_the_coordination_group_is_refused(client):
    client.force_login(make_user(is_staff=True))

    response = client.get(reverse("admin:offers_offer_changelist"))

    assert response.status_code == 403


def test_admin_refuses_an_offer_without_any_place(coordinator_client):
    provider = make_provider()

    response = coordinator_client.post(
        reverse("admin:offers_offer_add"),
        {
            "title": "Ohne Ort",
            "slug": "ohne-ort",
            "summary": "Kurz.",
            "provider": provider.pk,
            "status": "draft",
            "cost": "free",
            "topics": [],
            "target_groups": [],
        },
    )

    assert response.status_code == 200
    assert "Geben Sie mindestens einen Ort an" in response.content.decode()
    assert not Offer.objects.filter(slug="ohne-ort").exists()


def test_provider_autocomplete_finds_by_name(coordinator_client):
    make_provider(name="Familienzentrum Sonnenblume")
    make_provider(name="Sportverein")

    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "offers", "model_name": "offer", "field_name": "provider", "term": "sonnen"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Familienzentrum Sonnenblume"]
