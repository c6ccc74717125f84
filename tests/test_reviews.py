"""The freshness loop: providers confirm their offers; overdue ones are followed up."""

import datetime
import io
import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from offers.models import ChangeReport, Offer, ReviewRequest, add_months
from tests.factories import make_offer, make_offers, make_provider

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.COORDINATION_EMAILS = ["koordination@example.org"]
    settings.SITE_URL = "https://praevention.example.org"
    cache.clear()


def verified_months_ago(months, **fields):
    fields.setdefault("contact_email", "kontakt@example.org")
    return make_offer(last_verified_at=add_months(TODAY, -months), **fields)


@pytest.fixture
def send_requests(committed):
    """Run the daily command as cron would: its emails go out when it commits."""

    def run():
        out = io.StringIO()
        with committed():
            call_command("send_review_requests", stdout=out)
        return out.getvalue()

    return run


def link_in(message):
    return re.search(r"https://praevention\.example\.org(/angebot-pruefen/\S+/)", message.body)[1]


def test_due_offers_get_one_request_and_one_reminder_four_weeks_later(send_requests):
    due = verified_months_ago(13, title="Fällig")
    verified_months_ago(11, title="Noch aktuell")
    verified_months_ago(13, title="Entwurf", status=Offer.Status.DRAFT)
    verified_months_ago(13, title="Archiviert", status=Offer.Status.ARCHIVED)
    verified_months_ago(13, title="Ohne Adresse", contact_email="")

    output = send_requests()

    assert "request: Fällig → kontakt@example.org" in output
    assert "no email address: Ohne Adresse" in output
    assert [m.to for m in mail.outbox] == [["kontakt@example.org"]]
    assert "Ist „Fällig“ noch aktuell?" == mail.outbox[0].subject
    assert link_in(mail.outbox[0])
    assert "0 requests, 0 reminders" in send_requests()  # the same day again

    ReviewRequest.objects.update(sent_at=timezone.now() - datetime.timedelta(days=29))
    assert "reminder: Fällig" in send_requests()
    assert mail.outbox[-1].subject == "Erinnerung: Ist „Fällig“ noch aktuell?"
    assert "0 requests, 0 reminders" in send_requests()
    assert due.review_requests.count() == 1 and len(mail.outbox) == 2


def test_the_provider_address_is_used_when_the_offer_has_none(send_requests):
    verified_months_ago(13, contact_email="", provider=make_provider(email="traeger@example.org"))

    send_requests()

    assert mail.outbox[0].to == ["traeger@example.org"]


def request_link(send_requests, offer):
    send_requests()
    return link_in(next(m for m in mail.outbox if offer.title in m.subject))


def test_yes_everything_is_right_verifies_the_offer_once(client, send_requests):
    offer = verified_months_ago(13, title="Babytreff")
    link = request_link(send_requests, offer)

    page = client.get(link)
    assert page.status_code == 200 and "Ist dieses Angebot noch aktuell?" in page.content.decode()
    offer.refresh_from_db()
    assert offer.last_verified_at < TODAY  # opening the page changes nothing

    response = client.post(link, {"answer": "confirmed"})

    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.last_verified_at == TODAY and offer.last_verified_by is None
    assert "Prüf-Link" in offer.history.first().history_change_reason
    assert "kontakt@example.org" in offer.history.first().history_change_reason
    assert ReviewRequest.objects.get().answer == "confirmed"
    again = client.post(link, {"answer": "ended"})
    assert again.status_code == 410 and "bereits benutzt" in again.content.decode()
    assert not ChangeReport.objects.exists()
    assert "0 requests" in send_requests()


def test_the_offer_no_longer_exists_reaches_the_coordinators(client, send_requests):
    offer = verified_months_ago(13, title="Babytreff")
    link = request_link(send_requests, offer)

    client.post(link, {"answer": "ended"})

    report = ChangeReport.objects.get()
    assert report.offer == offer and report.reason == ChangeReport.Reason.ENDED
    assert mail.outbox[-1].to == ["koordination@example.org"]
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED  # the coordinators confirm and archive
    assert ReviewRequest.objects.get().answer == "ended"


def test_something_has_changed_opens_the_change_report_prefilled(client, send_requests):
    offer = verified_months_ago(13, title="Babytreff", slug="babytreff")
    other = verified_months_ago(13, title="Anderes", slug="anderes")
    link = request_link(send_requests, offer)

    response = client.post(link, {"answer": "changed"})
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.startswith("/angebote/babytreff/aenderung-melden/?pruefung=")
    page = client.get(form_url).content.decode()
    assert 'value="kontakt@example.org"' in page and "Prüfanfrage" in page
    # The link's token is for this offer only.
    foreign = form_url.replace("babytreff", "anderes")
    assert 'value="kontakt@example.org"' not in client.get(foreign).content.decode()
    client.post(foreign, {"reason": "times", "message": "x", "reporter_email": "", "homepage": ""})
    assert ReviewRequest.objects.get(offer=offer).answered_at is None
    assert other.change_reports.count() == 1

    client.post(
        form_url,
        {"reason": "times", "message": "Jetzt donnerstags", "reporter_email": "", "homepage": ""},
    )

    assert offer.change_reports.get().message == "Jetzt donnerstags"
    assert ReviewRequest.objects.get(offer=offer).answer == "changed"
    assert client.get(link).status_code == 410


def test_changed_expired_or_unknown_links_change_nothing(client, monkeypatch, send_requests):
    offer = verified_months_ago(13, title="Babytreff")
    link = request_link(send_requests, offer)
    review = ReviewRequest.objects.get()

    tampered = client.post(link.replace("/angebot-pruefen/", "/angebot-pruefen/x"))
    assert tampered.status_code == 400 and "unvollständig" in tampered.content.decode()
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 61 * 24 * 3600)
    old_token = review.token()
    monkeypatch.undo()
    expired = client.post(f"/angebot-pruefen/{old_token}/", {"answer": "confirmed"})
    assert expired.status_code == 410 and "abgelaufen" in expired.content.decode()
    assert client.post(link, {"answer": "vielleicht"}).status_code == 400
    offer.refresh_from_db()
    assert offer.last_verified_at < TODAY
    assert not ChangeReport.objects.exists()


def test_overdue_offers_can_leave_the_public_pages_with_a_warning_first(
    client, coordinator_client, settings, send_requests
):
    settings.HIDE_OVERDUE_AFTER_MONTHS = 3
    hidden = verified_months_ago(16, title="Lange nicht geprüft", slug="lange")
    soon = make_offer(
        title="Bald ausgeblendet",
        slug="bald",
        last_verified_at=add_months(TODAY + datetime.timedelta(days=10), -15),
    )
    verified_months_ago(13, title="Fällig, noch sichtbar")

    titles = {o.title for o in client.get("/angebote/").context["page"].object_list}
    assert titles == {"Bald ausgeblendet", "Fällig, noch sichtbar"}
    assert client.get("/angebote/lange/").status_code == 404
    index = coordinator_client.get("/admin/").content.decode()
    assert "innerhalb von zwei Wochen" in index
    warned = coordinator_client.get(f"/admin/offers/offer/{soon.pk}/change/")
    assert "verlässt dieses Angebot die öffentlichen Seiten am" in warned.content.decode()
    gone = coordinator_client.get(f"/admin/offers/offer/{hidden.pk}/change/")
    assert "nicht auf den öffentlichen Seiten" in gone.content.decode()

    # The review loop still reaches the hidden offer, and its answer brings it back.
    link = request_link(send_requests, hidden)
    client.post(link, {"answer": "confirmed"})
    assert client.get("/angebote/lange/").status_code == 200


def test_hiding_is_off_by_default(client):
    verified_months_ago(40, title="Uralt", slug="uralt")

    assert client.get("/angebote/uralt/").status_code == 200


def test_coordinators_see_overdue_offers_longest_overdue_first(coordinator_client, send_requests):
    verified_months_ago(13, title="Seit einem Monat")
    verified_months_ago(20, title="Seit acht Monaten")
    make_offer(title="Nie geprüft", last_verified_at=None, contact_email="")
    verified_months_ago(2, title="Aktuell")
    send_requests()

    response = coordinator_client.get("/koordination/pruefung/")

    titles = [offer.title for offer in response.context["offers"]]
    assert titles == ["Nie geprüft", "Seit acht Monaten", "Seit einem Monat"]
    html = response.content.decode()
    assert "angefragt, noch keine Antwort" in html and "keine E-Mail-Adresse" in html


@pytest.mark.parametrize("size", [1, 20, 100])
def test_the_overdue_list_costs_a_fixed_number_of_queries(
    coordinator_client, django_assert_max_num_queries, size, send_requests
):
    make_offers(size, last_verified_at=add_months(TODAY, -13), contact_email="kontakt@example.org")
    send_requests()

    with django_assert_max_num_queries(12):
        assert coordinator_client.get("/koordination/pruefung/").status_code == 200


def test_months_are_added_as_calendars_count_them():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), -12) == datetime.date(2023, 2, 28)
    assert add_months(datetime.date(2026, 11, 24), -12) == datetime.date(2025, 11, 24)
