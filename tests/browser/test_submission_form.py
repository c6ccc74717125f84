"""A partner fills the submission form with the keyboard alone."""

import re

import pytest

from offers.models import Offer, Submission
from tests.browser.conftest import axe_violations, focus_is_visible, tab_until

pytestmark = pytest.mark.django_db(transaction=True)


def type_into(page, field_id, text):
    tab_until(page, f"el.id === '{field_id}'", limit=120)
    assert focus_is_visible(page)
    page.keyboard.type(text)


def tick(page, label_text):
    tab_until(
        page,
        f"el.labels && el.labels[0] && el.labels[0].textContent.trim().startsWith('{label_text}')",
        limit=200,
    )
    page.keyboard.press("Space")


def test_keyboard_submission_with_errors_announced_then_corrected(desktop, site):
    desktop.goto(site + "/angebot-melden/")
    assert axe_violations(desktop) == []

    type_into(desktop, "id_title", "Babytreff Holten")
    type_into(desktop, "id_summary", "Offener Treff für Eltern mit Babys.")
    type_into(desktop, "id_proposed_provider_name", "Elterninitiative Holten e. V.")
    tick(desktop, "Kommt zur Familie")
    tick(desktop, "Eltern")
    tick(desktop, "Frühe Hilfen")
    type_into(desktop, "id_submitter_name", "Erika Beispiel")
    type_into(desktop, "id_submitter_email", "erika@example.org")
    # Consent is left out on purpose; Enter on the button sends the form.
    tab_until(desktop, "el.type === 'submit'", limit=60)
    desktop.keyboard.press("Enter")
    desktop.wait_for_selector("#error-summary")

    assert desktop.evaluate("document.activeElement.id") == "error-summary"
    summary = desktop.locator("#error-summary").inner_text()
    assert "Bitte korrigieren Sie eine Angabe" in summary
    assert "Bitte stimmen Sie der Veröffentlichung zu" in summary
    consent = desktop.locator("#id_consent")
    assert consent.get_attribute("aria-invalid") == "true"
    described_by = consent.get_attribute("aria-describedby").split()
    assert any("Bitte stimmen Sie" in desktop.locator(f"#{i}").inner_text() for i in described_by)
    assert desktop.locator("#id_title").input_value() == "Babytreff Holten"  # nothing lost
    assert axe_violations(desktop) == []

    desktop.keyboard.press("Tab")  # from the summary into its first link
    desktop.keyboard.press("Enter")
    tick(desktop, "Ich bin einverstanden")
    tab_until(desktop, "el.type === 'submit'", limit=20)
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"/angebot-melden/danke/"))

    submission = Submission.objects.get(offer__title="Babytreff Holten")
    assert submission.reference in desktop.locator("main").inner_text()
    assert submission.offer.status == Offer.Status.SUBMITTED
    assert submission.offer.outreach is True
    assert desktop.foreign_requests == []


def test_change_report_form_is_accessible_empty_and_with_errors(desktop, site):
    offer = Offer.objects.published().first()
    desktop.goto(f"{site}/angebote/{offer.slug}/aenderung-melden/")
    assert axe_violations(desktop) == []

    desktop.get_by_role("button", name="Senden").click()
    desktop.wait_for_selector("#error-summary")

    assert "Was stimmt nicht?" in desktop.locator("#error-summary").inner_text()
    assert axe_violations(desktop) == []
