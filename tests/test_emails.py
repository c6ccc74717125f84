"""Emails go out after the commit; a mail server that is down loses nothing."""

import re
import socket

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from offers import moderation
from offers.models import ChangeReport, Offer, OutgoingEmail, Submission
from tests.factories import make_offer
from tests.test_submissions import SUBMIT, valid_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def coordinators(settings):
    settings.COORDINATION_EMAILS = ["koordination@example.org"]


def closed_port():
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()


def test_with_the_mail_server_down_submitting_reporting_and_publishing_all_succeed(
    client, coordinator_client, coordinators, mail_server_down, django_capture_on_commit_callbacks
):
    response = client.post(SUBMIT, valid_submission())

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.reference in client.get(response["Location"]).content.decode()
    failed = OutgoingEmail.objects.failed()
    assert sorted(email.kind for email in failed) == [
        "submission_received",
        "submission_to_coordinators",
    ]
    assert all("ConnectionRefusedError" in email.last_error for email in failed)

    published = make_offer(slug="elterncafe")
    response = client.post(
        "/angebote/elterncafe/aenderung-melden/",
        {"reason": "times", "message": "Neue Zeiten", "homepage": ""},
    )
    assert response.status_code == 302
    assert ChangeReport.objects.get().offer == published

    response = coordinator_client.post(
        "/admin/offers/offer/", {"action": "publish", "_selected_action": [submission.offer.pk]}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.offer.status == Offer.Status.PUBLISHED
    assert submission.decision == Submission.Decision.PUBLISHED
    assert OutgoingEmail.objects.failed().count() == 4

    # The coordinators see it: on the admin start page and on the submission.
    index = coordinator_client.get("/admin/").content.decode()
    assert re.search(r"E-Mails, die nicht versendet werden konnten</a></th>\s*<td>4</td>", index)
    queue = coordinator_client.get("/admin/offers/submission/").content.decode()
    assert 'alt="False"' in queue


def test_failed_emails_are_sent_again_by_the_command_once_the_server_is_back(
    client, coordinators, mail_server_down, settings, capsys
):
    client.post(SUBMIT, valid_submission())
    assert mail.outbox == [] and OutgoingEmail.objects.failed().count() == 2

    with pytest.raises(SystemExit):
        call_command("send_emails")  # still down: says so and exits non-zero
    assert OutgoingEmail.objects.failed().get(kind="submission_received").attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_emails")

    assert sorted(m.to[0] for m in mail.outbox) == ["erika@example.org", "koordination@example.org"]
    assert not OutgoingEmail.objects.failed().exists()
    assert "2 sent, 0 still failing" in capsys.readouterr().out


def test_coordinators_send_failed_emails_again_from_the_admin(
    client, coordinator_client, coordinators, mail_server_down, settings
):
    client.post(SUBMIT, valid_submission())
    failed = list(OutgoingEmail.objects.failed().values_list("pk", flat=True))

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = coordinator_client.post(
        "/admin/offers/outgoingemail/",
        {"action": "send_again", "_selected_action": failed},
        follow=True,
    )

    assert "2 E-Mails versendet." in response.content.decode()
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 2


def test_no_email_leaves_before_the_commit_and_none_after_a_rollback(
    coordinators, django_capture_on_commit_callbacks
):
    offer = make_offer(status=Offer.Status.SUBMITTED)
    Submission.objects.create(
        offer=offer,
        submitter_name="Erika",
        submitter_email="erika@example.org",
        consent_at=offer.created_at,
    )

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            moderation.publish(offer, by=None)
            assert mail.outbox == []  # not before the commit
            raise RuntimeError("something after publishing failed")

    assert mail.outbox == []  # rolled back: nobody is told of a publication that did not happen
    assert not OutgoingEmail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(Offer.objects.get(pk=offer.pk), by=None)
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]


def test_the_confirmation_repeats_nothing_the_form_said(client, coordinators):
    client.post(
        SUBMIT,
        valid_submission(
            title="Gewinn! Jetzt klicken",
            submitter_name="Gewinnspiel https://spam.example",
            submitter_email="fremder@example.org",
        ),
    )

    confirmation = next(m for m in mail.outbox if m.to == ["fremder@example.org"])
    reference = Submission.objects.get().reference
    assert reference in confirmation.subject
    text = confirmation.subject + confirmation.body
    assert "Gewinn" not in text and "spam.example" not in text and "http" not in text
