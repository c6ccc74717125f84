"""Random and hostile input never breaks the public forms or the filters."""

import pytest
from django.core import mail
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contributions.forms import PartnerOfferForm, SubmissionForm
from offers.models import ChangeReport, Offer, Submission
from offers.validators import HTML_TAG
from tests.factories import make_offer
from tests.test_submissions import valid_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def coordinators(settings):
    """Coordinators get an email for every submission and report, so each one is checked."""
    settings.COORDINATION_EMAILS = ["koordination@example.org"]


# Control characters and the odd Unicode that breaks email headers, IDNA and terminals.
ODD_CHARACTERS = (
    "\x00\x01\x08\t\n\x0b\x0c\r\x1b\x7f\x85\xa0\xad\u2028\u2029\u200b\u200e\u202e\ufeff\uffff"
)
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(ODD_CHARACTERS), st.characters(codec="utf-8"), st.sampled_from("aä@.-")
    ),
    max_size=60,
)
HOSTILE_TEXT = st.one_of(
    st.text(max_size=400),
    ODD_TEXT,
    ODD_TEXT.map(lambda text: f"erika@exa{text}mple.org"),
    ODD_TEXT.map(lambda text: f"Kurs{text}Bcc: x@evil.example"),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "\x00",
            "' OR 1=1 --",
            "𝕏" * 300,
            "a" * 6000,
            "javascript:alert(1)",
            "../../etc/passwd",
            "%00",
            "ä" * 301,
            " ",
            "\u202e",
            "0",
            "Kurs\rBcc: x@evil.example",
            "a@exa\u2028mple.org",
            "X\rY",
            "a@\uffffx.org",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "on",
        ]
    ),
)
FIELD_VALUE = st.one_of(HOSTILE_TEXT, st.lists(HOSTILE_TEXT, max_size=3))

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_every_email_belongs_to_a_stored_row():
    """No email leaves without the submission or report it speaks of."""
    references = set(Submission.objects.values_list("reference", flat=True))
    for message in mail.outbox:
        if "Änderung gemeldet" in message.subject:
            assert ChangeReport.objects.exists()
        else:
            assert any(reference in message.subject + message.body for reference in references), (
                message.subject
            )
        assert "\n" not in message.subject and "\r" not in message.subject


def assert_stored_rows_are_valid():
    for offer in Offer.objects.exclude(slug__in=["ziel", "partner-ziel"]):
        offer.full_clean(exclude=["slug"])
        assert offer.status == Offer.Status.SUBMITTED
        # A lone "<" is text (templates escape it); a tag is refused.
        assert not HTML_TAG.search(offer.title + offer.summary + offer.description)
    for report in ChangeReport.objects.all():
        report.full_clean()


@EXAMPLES
@given(
    changes=st.dictionaries(
        st.sampled_from(sorted(SubmissionForm.base_fields)),
        FIELD_VALUE,
        max_size=8,
    )
)
def test_submission_form_never_fails_and_stores_only_valid_offers(client, changes):
    cache.clear()
    response = client.post("/angebot-melden/", valid_submission(**changes))

    assert response.status_code in (302, 400, 429)
    assert_stored_rows_are_valid()
    assert_every_email_belongs_to_a_stored_row()


@EXAMPLES
@given(
    data=st.dictionaries(
        st.sampled_from(["reason", "message", "reporter_email", "homepage", "csrfmiddlewaretoken"]),
        FIELD_VALUE,
        max_size=5,
    )
)
def test_change_report_form_never_fails_and_stores_only_valid_reports(client, data):
    cache.clear()
    offer = Offer.objects.filter(slug="ziel").first() or make_offer(
        slug="ziel"
    )  # the published target

    response = client.post(f"/angebote/{offer.slug}/aenderung-melden/", data)

    assert response.status_code in (302, 400, 429)
    assert_stored_rows_are_valid()
    assert_every_email_belongs_to_a_stored_row()


@EXAMPLES
@given(
    changes=st.dictionaries(
        st.sampled_from(sorted(PartnerOfferForm.base_fields)),
        FIELD_VALUE,
        max_size=8,
    )
)
def test_partner_form_never_fails_and_stores_only_valid_offers(client, changes):
    from offers.models import PartnerAccount
    from tests.factories import make_provider, make_user
    from tests.test_submissions import partner_form_data

    account = PartnerAccount.objects.select_related("user", "provider").first()
    if account is None:
        account = PartnerAccount.objects.create(user=make_user(), provider=make_provider())
    offer = Offer.objects.filter(slug="partner-ziel").first() or make_offer(
        slug="partner-ziel", provider=account.provider, citywide=True
    )
    client.force_login(account.user)

    response = client.post(
        f"/partner/angebote/{offer.pk}/bearbeiten/", partner_form_data(offer, **changes)
    )

    assert response.status_code in (302, 400)
    offer.refresh_from_db()
    offer.full_clean(exclude=["slug"])


@EXAMPLES
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "alter",
                "phase",
                "thema",
                "sozialraum",
                "zielgruppe",
                "sprache",
                "kostenlos",
                "barrierefrei",
                "traeger",
                "sortierung",
                "page",
            ]
        ),
        FIELD_VALUE,
        max_size=6,
    )
)
def test_offer_list_answers_any_query(client, params):
    response = client.get("/angebote/", params)

    assert response.status_code == 200
