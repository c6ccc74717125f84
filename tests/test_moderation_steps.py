"""Only the moderation steps change an offer's state; each checks its permission and records it."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from offers.models import ChangeReport, Offer, Submission
from tests.factories import make_offer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """Staff with only "view offer" and "change offer": may edit texts, not publish."""
    user = make_user("redakteur", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_offer",
                "change_offer",
                "view_changereport",
                "change_changereport",
                "view_historicaloffer",
            ]
        )
    )
    client.force_login(user)
    return client


def submitted_offer():
    offer = make_offer(
        title="Babytreff", status=Offer.Status.SUBMITTED, last_verified_at=None, citywide=True
    )
    Submission.objects.create(
        offer=offer,
        submitter_name="Erika",
        submitter_email="erika@example.org",
        consent_at=timezone.now(),
    )
    return offer


def change_form_data(client, url, **changes):
    """What the admin's change form would send back unchanged, plus ``changes``."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    data = {}
    for bound in context["adminform"].form:
        value = bound.value()
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif value is True:
            data[bound.html_name] = "on"
        elif value not in (None, False):
            data[bound.html_name] = str(value)
    for formset in context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial) or 0
    data.update(changes)
    return data


def change_url(offer):
    return reverse("admin:offers_offer_change", args=[offer.pk])


def test_the_change_form_shows_the_state_but_does_not_let_anyone_set_it(coordinator_client):
    offer = submitted_offer()

    form = coordinator_client.get(change_url(offer)).context["adminform"].form

    assert "status" not in form.fields
    assert "last_verified_at" not in form.fields and "published_at" not in form.fields


def test_a_crafted_post_of_the_change_form_does_not_publish(editor):
    offer = submitted_offer()
    data = change_form_data(
        editor,
        change_url(offer),
        title_de="Babytreff neu",  # the admin edits each language's column
        status="published",
        published_at="2026-01-01 10:00",
        last_verified_at="2026-01-01",
    )

    response = editor.post(change_url(offer), data)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    offer.refresh_from_db()
    assert offer.title == "Babytreff neu"  # the edit itself is saved
    assert offer.status == Offer.Status.SUBMITTED
    assert offer.published_at is None and offer.last_verified_at is None
    assert offer.submission.decision == Submission.Decision.PENDING
    assert offer not in Offer.objects.published()


def test_without_the_publish_permission_no_action_publishes(editor):
    offer = submitted_offer()

    for action in ["publish", "archive", "mark_verified", "reject"]:
        editor.post(
            reverse("admin:offers_offer_changelist"),
            {"action": action, "_selected_action": [offer.pk], "apply": "1", "reason": "weil"},
        )

    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED and offer.last_verified_at is None
    assert mail.outbox == []


def test_reverting_to_a_published_version_is_refused(coordinator_client, coordinator):
    offer = make_offer(title="Elterncafé")
    offer.archive(by=coordinator)
    published_version = offer.history.filter(status=Offer.Status.PUBLISHED).first()
    url = reverse(
        "admin:offers_offer_simple_history", args=[offer.pk, published_version.history_id]
    )

    assert coordinator_client.get(url).status_code == 200  # reading the old version is fine
    response = coordinator_client.post(url, change_form_data(coordinator_client, change_url(offer)))

    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED


def test_with_the_publish_permission_publishing_does_everything(
    coordinator_client, coordinator, settings
):
    settings.COORDINATION_EMAILS = ["koordination@example.org"]
    offer = submitted_offer()

    response = coordinator_client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "publish", "_selected_action": [offer.pk]},
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.published_at is not None
    assert offer.last_verified_at == timezone.localdate() and offer.last_verified_by == coordinator
    assert offer.submission.decision == Submission.Decision.PUBLISHED
    assert offer.submission.decided_by == coordinator and offer.submission.decided_at is not None
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]
    record = offer.history.first()
    assert record.history_user == coordinator and record.history_change_reason == "Veröffentlicht."


def test_change_reports_are_resolved_only_by_the_resolve_step(
    editor, coordinator_client, coordinator
):
    report = ChangeReport.objects.create(offer=make_offer(), reason=ChangeReport.Reason.TIMES)
    url = reverse("admin:offers_changereport_change", args=[report.pk])

    form = coordinator_client.get(url).context["adminform"].form
    assert "status" not in form.fields and "resolution_note" not in form.fields
    editor.post(url, {"status": "resolved", "resolution_note": "einfach so"})
    report.refresh_from_db()
    assert report.status == ChangeReport.Status.OPEN and report.resolution_note == ""

    coordinator_client.post(
        reverse("admin:offers_changereport_changelist"),
        {
            "action": "resolve",
            "_selected_action": [report.pk],
            "apply": "1",
            "reason": "Zeiten korrigiert.",
        },
    )
    report.refresh_from_db()
    assert report.status == ChangeReport.Status.RESOLVED
    assert report.resolved_by == coordinator and report.resolved_at is not None


def test_every_admin_save_records_a_reason(coordinator_client):
    offer = make_offer(title="Elterncafé", citywide=True)

    coordinator_client.post(
        change_url(offer),
        change_form_data(coordinator_client, change_url(offer), title_de="Elterncafé Lirich"),
    )
    coordinator_client.post(
        change_url(offer),
        change_form_data(
            coordinator_client,
            change_url(offer),
            summary_de="Neu.",
            change_reason="Anruf des Trägers",
        ),
    )

    reasons = list(
        offer.history.order_by("-history_date", "-history_id").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons[0] == "Anruf des Trägers"
    assert "In der Verwaltung geändert: Titel [de]." in reasons
    assert None not in reasons[:2] and "" not in reasons[:2]


def test_the_admin_refuses_line_breaks_in_single_line_fields(coordinator_client):
    offer = make_offer(title="Elterncafé", citywide=True)

    response = coordinator_client.post(
        change_url(offer),
        change_form_data(
            coordinator_client,
            change_url(offer),
            title_de="Elterncafé\rBcc: x@evil.example",
            contact_email="a@exa\u2028mple.org",
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "ohne Zeilenumbrüche" in " ".join(errors["title_de"])
    assert "an die wir nicht senden können" in " ".join(errors["contact_email"])
    offer.refresh_from_db()
    assert offer.title == "Elterncafé"
