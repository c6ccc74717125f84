"""Partners submit offers and report changes; coordinators moderate."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.urls import reverse

from offers.models import ChangeReport, Location, Offer, Provider, Submission
from tests.conftest import log_in
from tests.factories import make_offer, make_provider, make_user
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

SUBMIT = "/angebot-melden/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def valid_submission(**changes):
    data = {
        "title": "Babytreff Holten",
        "summary": "Offener Treff für Eltern mit Babys.",
        "description": "Wir singen, spielen und trinken Tee.",
        "provider": "",
        "proposed_provider_name": "Elterninitiative Holten e. V.",
        "proposed_provider_kind": "association",
        "proposed_provider_website": "www.elterninitiative-holten.example.org",
        "proposed_location_name": "Gemeindehaus Holten",
        "proposed_street": "Bahnhofstraße 12",
        "proposed_postal_code": "46147",
        "proposed_neighbourhood": "holten",
        "districts": [],
        "min_age_months": "0",
        "max_age_months": "1",
        "target_groups": ["eltern"],
        "topics": ["fruehe-hilfen"],
        "languages": [],
        "schedule": "Donnerstags 10–11:30 Uhr",
        "cost": "free",
        "cost_note": "",
        "registration_required": "no",
        "registration_note": "",
        "valid_from": "",
        "valid_until": "",
        "contact_name": "Erika Beispiel",
        "contact_phone": "0208 000-4711",
        "contact_email": "erika@example.org",
        "website": "",
        "submitter_name": "Erika Beispiel",
        "submitter_organisation": "Elterninitiative Holten",
        "submitter_email": "erika@example.org",
        "consent": "on",
        "homepage": "",
    }
    data.update(changes)
    return data


def public_titles(client, **params):
    response = client.get("/angebote/", params)
    return {offer.title for offer in response.context["page"].object_list}


def test_the_whole_path_from_submission_to_publication(
    client, coordinator_client, coordinator_with_email
):
    response = client.post(SUBMIT, valid_submission())

    assert response.status_code == 302
    submission = Submission.objects.get()
    offer = submission.offer
    assert offer.status == Offer.Status.SUBMITTED and offer.provider is None
    assert offer.min_age_months == 0 and offer.max_age_months == 23
    thanks = client.get(response["Location"])
    assert submission.reference in thanks.content.decode()
    # Told by email: the submitter and the coordinators.
    assert [m.to for m in mail.outbox] == [["erika@example.org"], ["koordination@example.org"]]
    assert submission.reference in mail.outbox[0].subject
    assert "/admin/offers/offer/" in mail.outbox[1].body

    # Not public: no list, search, chain, no provider page.
    assert "Babytreff Holten" not in public_titles(client)
    assert "Babytreff Holten" not in public_titles(client, q="Babytreff")
    assert client.get(f"/angebote/{offer.slug}/").status_code == 404
    assert not Provider.objects.filter(name="Elterninitiative Holten e. V.").exists()

    # In the coordinators' queue, counted on the admin start page.
    index = coordinator_client.get("/admin/").content.decode()
    assert re.search(r"Eingereichte Angebote warten auf Prüfung</a></th>\s*<td>1</td>", index)
    queue = coordinator_client.get("/admin/offers/offer/", {"status__exact": "submitted"})
    assert [o.title for o in queue.context["cl"].result_list] == ["Babytreff Holten"]

    # The coordinator publishes: the proposed provider and place become real.
    mail.outbox.clear()
    coordinator_client.post(
        "/admin/offers/offer/", {"action": "publish", "_selected_action": [offer.pk]}
    )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.provider.name == "Elterninitiative Holten e. V."
    assert offer.provider.website == "https://www.elterninitiative-holten.example.org"
    assert offer.locations.get().street == "Bahnhofstraße 12"
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]
    assert "veröffentlicht" in mail.outbox[0].subject

    assert "Babytreff Holten" in public_titles(client)
    assert "Babytreff Holten" in public_titles(client, q="Babytreff")
    assert "Babytreff Holten" in public_titles(client, alter=0, sozialraum="sterkrade-nord")
    assert "Babytreff Holten" not in public_titles(client, sozialraum="osterfeld")
    chain = client.get("/praeventionskette/")
    row = dict((t.slug, cells) for t, cells in chain.context["rows"])["fruehe-hilfen"]
    assert row[1].count == 1


def test_rejection_tells_the_submitter_why(client, coordinator_client):
    client.post(SUBMIT, valid_submission())
    offer = Offer.objects.get(title="Babytreff Holten")
    mail.outbox.clear()

    confirm = coordinator_client.post(
        "/admin/offers/offer/", {"action": "reject", "_selected_action": [offer.pk]}
    )
    assert "Warum werden sie nicht veröffentlicht?" in confirm.content.decode()
    coordinator_client.post(
        "/admin/offers/offer/",
        {
            "action": "reject",
            "_selected_action": [offer.pk],
            "apply": "1",
            "reason": "Kein Angebot in Oberhausen.",
        },
    )

    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED
    assert offer.submission.decision == Submission.Decision.REJECTED
    assert mail.outbox[0].to == ["erika@example.org"]
    assert "Kein Angebot in Oberhausen." in mail.outbox[0].body


def test_submission_for_a_listed_provider_without_a_fixed_place(client):
    provider = make_provider(name="Familienzentrum Sonnenblume")

    response = client.post(
        SUBMIT,
        valid_submission(
            provider=provider.slug,
            proposed_provider_name="",
            proposed_location_name="",
            proposed_street="",
            proposed_postal_code="",
            proposed_neighbourhood="",
            outreach="on",
        ),
    )

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.provider == provider and offer.outreach and not offer.locations.exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "Dieses Feld ist zwingend erforderlich."),
        ({"summary": "x" * 301}, "summary", "höchstens 300 Zeichen"),
        ({"title": "<script>alert(1)</script>"}, "title", "ohne HTML-Code"),
        ({"description": "Hallo <b>fett</b>"}, "description", "ohne HTML-Code"),
        ({"consent": ""}, "consent", "Bitte stimmen Sie der Veröffentlichung zu"),
        ({"submitter_email": "keine-adresse"}, "submitter_email", "gültige E-Mail-Adresse"),
        ({"contact_phone": "ruf mich an"}, "contact_phone", "nur mit Ziffern"),
        (
            {"min_age_months": "6", "max_age_months": "2"},
            "max_age_months",
            "Das Höchstalter darf nicht unter dem Mindestalter liegen.",
        ),
        ({"valid_from": "2026-05-01", "valid_until": "2026-04-01"}, "valid_until", "Das Enddatum"),
        (
            {"proposed_provider_name": ""},
            "proposed_provider_name",
            "Wählen Sie den Träger aus der Liste",
        ),
        (
            {"proposed_street": "", "proposed_postal_code": ""},
            "proposed_street",
            "Geben Sie mindestens einen Ort an",
        ),
        ({"proposed_postal_code": "4614"}, "proposed_postal_code", "fünfstellige Postleitzahl"),
        ({"topics": []}, "topics", "Dieses Feld ist zwingend erforderlich."),
        ({"title": "Kurs\rBcc: x@evil.example"}, "title", "in eine Zeile, ohne Zeilenumbrüche"),
        ({"submitter_name": "Erika\u2028Beispiel"}, "submitter_name", "ohne Zeilenumbrüche"),
        ({"description": "Text\x1b[31m"}, "description", "Steuerzeichen"),
        (
            {"submitter_email": "a@exa\u2028mple.org"},
            "submitter_email",
            "an die wir nicht senden können",
        ),
        (
            {"contact_email": "a@exa\u200bmple.org"},
            "contact_email",
            "an die wir nicht senden können",
        ),
        ({"proposed_postal_code": "٤٦١٤٧"}, "proposed_postal_code", "fünfstellige Postleitzahl"),
    ],
)
def test_bad_input_gets_a_german_message_next_to_the_field_and_keeps_the_rest(
    client, changes, field, message
):
    response = client.post(SUBMIT, valid_submission(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert "Bitte korrigieren Sie" in html
    assert f'href="#id_{field}_field"' in html
    assert 'value="Erika Beispiel"' in html  # what was typed is still there
    assert "Donnerstags 10–11:30 Uhr" in html
    assert not Offer.objects.exists()
    assert mail.outbox == []


def test_multi_line_texts_keep_their_line_breaks(client):
    response = client.post(
        SUBMIT, valid_submission(description="Erste Zeile.\r\nZweite Zeile.\tTab.")
    )

    assert response.status_code == 302
    assert Offer.objects.get().description == "Erste Zeile.\r\nZweite Zeile.\tTab."


def test_a_change_report_with_an_undeliverable_email_is_refused_with_the_text_kept(client):
    make_offer(slug="elterncafe")

    response = client.post(
        "/angebote/elterncafe/aenderung-melden/",
        {
            "reason": "times",
            "message": "Neue Zeiten",
            "reporter_email": "a@exa\u2028mple.org",
            "homepage": "",
        },
    )

    assert response.status_code == 400
    assert "an die wir nicht senden können" in response.content.decode()
    assert "Neue Zeiten" in response.content.decode()
    assert not ChangeReport.objects.exists()


def test_errors_are_tied_to_their_fields_for_screen_readers(client):
    html = client.post(SUBMIT, valid_submission(title="")).content.decode()

    assert re.search(
        r'<input[^>]*aria-describedby="id_title_help id_title_error"[^>]*aria-invalid="true"', html
    ) or re.search(
        r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_title_help id_title_error"', html
    )
    assert 'id="id_title_error"' in html


def test_honeypot_looks_like_success_but_stores_nothing(client):
    response = client.post(SUBMIT, valid_submission(homepage="http://spam.example"))

    assert response.status_code == 302
    assert "Referenznummer" in client.get(response["Location"]).content.decode()
    assert not Offer.objects.exists() and not Submission.objects.exists()
    assert mail.outbox == []


def test_five_submissions_per_hour_and_address(client):
    for number in range(5):
        response = client.post(
            SUBMIT, valid_submission(title=f"Angebot {number}"), REMOTE_ADDR="192.0.2.10"
        )
        assert response.status_code == 302

    refused = client.post(SUBMIT, valid_submission(title="Angebot 6"), REMOTE_ADDR="192.0.2.10")
    other_address = client.post(
        SUBMIT, valid_submission(title="Angebot 7"), REMOTE_ADDR="192.0.2.11"
    )

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "in der letzten Stunde" in html and 'value="Angebot 6"' in html
    assert other_address.status_code == 302
    assert Offer.objects.count() == 6


def test_rate_limit_sees_the_client_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        client.post(
            SUBMIT, valid_submission(title=f"A{number}"), HTTP_X_FORWARDED_FOR="198.51.100.7"
        )

    blocked = client.post(SUBMIT, valid_submission(title="B"), HTTP_X_FORWARDED_FOR="198.51.100.7")
    other = client.post(SUBMIT, valid_submission(title="C"), HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert blocked.status_code == 429 and other.status_code == 302


def test_confirmation_page_needs_a_valid_token(client):
    assert client.get("/angebot-melden/danke/gefaelscht/").status_code == 404


# --- change reports -------------------------------------------------------------------


def test_change_report_reaches_the_coordinators_and_is_resolved(
    client, coordinator_client, coordinator_with_email
):
    offer = make_offer(title="Elterncafé", slug="elterncafe")
    page = client.get("/angebote/elterncafe/").content.decode()
    assert 'href="/angebote/elterncafe/aenderung-melden/"' in page

    response = client.post(
        "/angebote/elterncafe/aenderung-melden/",
        {
            "reason": "times",
            "message": "Jetzt mittwochs statt dienstags.",
            "reporter_email": "",
            "homepage": "",
        },
    )

    assert response.status_code == 302
    report = ChangeReport.objects.get()
    assert report.offer == offer and report.status == ChangeReport.Status.OPEN
    assert mail.outbox[0].to == ["koordination@example.org"]
    assert "mittwochs" in mail.outbox[0].body
    index = coordinator_client.get("/admin/").content.decode()
    assert re.search(r"Offene Änderungsmeldungen</a></th>\s*<td>1</td>", index)

    coordinator_client.post(
        "/admin/offers/changereport/",
        {
            "action": "resolve",
            "_selected_action": [report.pk],
            "apply": "1",
            "reason": "Zeiten korrigiert.",
        },
    )
    report.refresh_from_db()
    assert report.status == ChangeReport.Status.RESOLVED
    assert report.resolution_note == "Zeiten korrigiert."


def test_change_report_needs_a_reason_and_keeps_the_text(client):
    make_offer(slug="elterncafe")

    response = client.post(
        "/angebote/elterncafe/aenderung-melden/",
        {"message": "Telefon stimmt nicht", "homepage": ""},
    )

    assert response.status_code == 400
    assert "Telefon stimmt nicht" in response.content.decode()
    assert not ChangeReport.objects.exists()


def test_change_reports_only_for_public_offers(client):
    make_offer(slug="entwurf", status=Offer.Status.DRAFT)

    assert client.get("/angebote/entwurf/aenderung-melden/").status_code == 404


# --- history ---------------------------------------------------------------------------


def test_every_change_is_recorded_with_who_and_what(coordinator_client, coordinator):
    offer = make_offer(title="Alt", status=Offer.Status.SUBMITTED)
    offer.title = "Neu"
    offer._history_user = coordinator
    offer.save()
    offer.publish(by=coordinator)

    records = list(offer.history.all())
    assert records[0].history_user == coordinator
    assert records[0].history_change_reason == "Veröffentlicht."
    delta = records[1].diff_against(records[2])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("title", "Alt", "Neu")]
    page = coordinator_client.get(reverse("admin:offers_offer_history", args=[offer.pk]))
    assert page.status_code == 200
    assert "Veröffentlicht." in page.content.decode()


# --- partner accounts -------------------------------------------------------------------


def partner_form_data(offer, **changes):
    data = {
        "title": offer.title,
        "summary": offer.summary,
        "description": "",
        "citywide": "on",
        "min_age_months": "",
        "max_age_months": "",
        "target_groups": [g.slug for g in offer.target_groups.all()],
        "topics": [t.slug for t in offer.topics.all()],
        "schedule": "",
        "cost": "free",
        "registration_required": "no",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "website": "",
        "cost_note": "",
        "registration_note": "",
        "valid_from": "",
        "valid_until": "",
    }
    data.update(changes)
    return data


def test_anonymous_users_get_the_login_page(client):
    offer = make_offer()

    for url in ["/partner/", f"/partner/angebote/{offer.pk}/bearbeiten/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/partner/anmelden/")
    assert "Anmeldung für Partner" in client.get("/partner/anmelden/").content.decode()


def test_partner_sees_and_edits_only_their_providers_offers(
    client, partner, coordinator_with_email
):
    own = make_offer(
        title="Eigenes Angebot", provider=partner.partner_account.provider, citywide=True
    )
    foreign = make_offer(title="Fremdes Angebot")
    client.force_login(partner)

    dashboard = client.get("/partner/").content.decode()
    assert "Eigenes Angebot" in dashboard and "Fremdes Angebot" not in dashboard
    assert client.get(f"/partner/angebote/{foreign.pk}/bearbeiten/").status_code == 404
    response = client.post(
        f"/partner/angebote/{foreign.pk}/bearbeiten/", partner_form_data(foreign, title="Gekapert")
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Fremdes Angebot"

    response = client.post(
        f"/partner/angebote/{own.pk}/bearbeiten/",
        partner_form_data(own, title="Eigenes Angebot neu"),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Eigenes Angebot neu"
    assert own.status == Offer.Status.SUBMITTED  # back to review
    assert own not in Offer.objects.published()
    assert mail.outbox[0].to == ["koordination@example.org"]
    assert own.history.first().history_user == partner


def test_users_without_partner_account_are_refused(client):
    client.force_login(make_user("niemand"))

    assert client.get("/partner/").status_code == 403


def test_partner_edit_with_bad_input_keeps_it_and_explains(client, partner):
    own = make_offer(title="Eigenes", provider=partner.partner_account.provider, citywide=True)
    client.force_login(partner)

    response = client.post(
        f"/partner/angebote/{own.pk}/bearbeiten/",
        partner_form_data(own, title="<b>Neu</b>", citywide=""),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "ohne HTML-Code" in html and "Geben Sie mindestens einen Ort an" in html
    own.refresh_from_db()
    assert own.title == "Eigenes"
    assert Location.objects.count() == 0


def test_partner_edit_with_a_line_break_in_the_title_is_refused(client, partner):
    own = make_offer(title="Eigenes", provider=partner.partner_account.provider, citywide=True)
    client.force_login(partner)

    response = client.post(
        f"/partner/angebote/{own.pk}/bearbeiten/", partner_form_data(own, title="X\rY")
    )

    assert response.status_code == 400
    assert "ohne Zeilenumbrüche" in response.content.decode()
    own.refresh_from_db()
    assert own.title == "Eigenes"


def test_command_creates_a_partner_account_that_can_log_in(client, capsys):
    from django.core.management import call_command

    provider = make_provider(slug="sonnenblume")
    call_command("create_partner_account", "sonne", "sonne@example.org", "sonnenblume")

    password = re.search(r"shown once\): (\S+)", capsys.readouterr().out).group(1)
    assert log_in(client, "sonne", password, url="/partner/anmelden/")
    assert client.get("/partner/").status_code == 200
    assert provider.partner_accounts.get().user.email == "sonne@example.org"


def test_partner_form_refuses_impossible_place_numbers(client, partner):
    own = make_offer(title="Eigenes", provider=partner.partner_account.provider, citywide=True)
    client.force_login(partner)

    response = client.post(
        f"/partner/angebote/{own.pk}/bearbeiten/",
        partner_form_data(own, locations=["9223372036854775808", "abc"]),
    )

    assert response.status_code == 400
    assert "locations" in response.context["form"].errors


def test_a_partner_who_saves_the_form_unchanged_changes_nothing(client, partner):
    """Every value the form shows (ages in years, dates, yes/no, places) comes back as it was."""
    provider = partner.partner_account.provider
    place = Location.objects.create(
        provider=provider, name="Familienzentrum", street="Marktstraße 1", postal_code="46045"
    )
    own = make_offer(
        title="Eigenes",
        provider=provider,
        status=Offer.Status.SUBMITTED,
        description="Erste Zeile.\nZweite Zeile.",
        min_age_months=-9,
        max_age_months=35,
        registration_required=True,
        valid_from=datetime.date(2026, 9, 1),
        valid_until=datetime.date(2027, 7, 31),
        contact_phone="0208 000-4711",
        locations=[place],
        districts=["alstaden-lirich"],
        languages=("de", "tr"),
    )
    client.force_login(partner)
    url = f"/partner/angebote/{own.pk}/bearbeiten/"
    before = model_to_dict(Offer.objects.get(pk=own.pk))

    shown = form_data(client.get(url).content.decode(), url)
    # A date input only shows what it can parse: ISO dates, whatever the site's language.
    assert shown["valid_from"] == ["2026-09-01"]
    response = client.post(url, shown)

    assert response.status_code == 302
    after = model_to_dict(Offer.objects.get(pk=own.pk))
    assert after == before
    assert after["min_age_months"] == -9 and after["max_age_months"] == 35
    assert after["valid_from"] == datetime.date(2026, 9, 1) and after["registration_required"]


def test_a_submission_with_a_street_needs_its_postal_code_and_the_reverse(client):
    response = client.post(SUBMIT, valid_submission(proposed_postal_code=""))

    assert response.status_code == 400
    assert "Straße und Postleitzahl" in " ".join(
        response.context["form"].errors["proposed_postal_code"]
    )
    response = client.post(SUBMIT, valid_submission(proposed_street=""))
    assert "Straße und Postleitzahl" in " ".join(response.context["form"].errors["proposed_street"])
    assert not Offer.objects.exists()
