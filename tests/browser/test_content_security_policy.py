"""The Content-Security-Policy holds everywhere, and nothing the site needs breaks under it."""

import pytest

from offers.models import Offer
from tests.browser.conftest import log_in_as_superuser

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_pages_run_without_policy_violations(phone, site):
    offer = Offer.objects.published().first()
    for url in [
        "/",
        "/angebote/?alter=2",
        offer.get_absolute_url(),
        "/praeventionskette/",
        "/angebot-melden/",
    ]:
        phone.goto(site + url)
        phone.wait_for_load_state("load")
    assert phone.csp_violations == []


def test_admin_works_under_the_policy(phone, site):
    log_in_as_superuser(phone, site, "/admin/")

    offer = Offer.objects.filter(status=Offer.Status.SUBMITTED).first()
    for url in [
        "/admin/",
        "/admin/offers/offer/",
        f"/admin/offers/offer/{offer.pk}/change/",
        f"/admin/offers/offer/{offer.pk}/history/",
        "/admin/networks/network/add/",
        "/koordination/",
        "/koordination/parallelangebote/",
    ]:
        phone.goto(site + url)
        phone.wait_for_load_state("load")
    # The admin's own scripts (autocomplete, prepopulated slugs) ran: a slug is typed for us.
    phone.goto(site + "/admin/offers/topic/add/")
    phone.locator("#id_name_de").press_sequentially("Übergänge")  # German: the name in its column
    assert phone.locator("#id_slug").input_value() == "ubergange"
    assert phone.csp_violations == []
