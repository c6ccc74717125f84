"""The demo loader on a database without the demo data set: switches and repairs.

(Tests of the data set itself share one load: ``test_demo_data.py``.)
"""

import pytest
from django.core.management import CommandError, call_command

from offers.models import Topic
from tests.conftest import log_in

pytestmark = pytest.mark.django_db


def test_demo_login_is_refused_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_data", demo_login=True, verbosity=0)


def test_demo_login_opens_the_admin(db, settings, client):
    settings.DEBUG = True
    call_command("load_demo_data", demo_login=True, verbosity=0)

    assert log_in(client, "koordination", "oberhausen-demo")
    response = client.get("/admin/offers/offer/")
    assert response.status_code == 200
    assert log_in(client, "partner", "oberhausen-demo", url="/partner/anmelden/")
    assert "Familienzentrum Sonnenblume" in client.get("/partner/").content.decode()


def test_demo_data_restores_missing_vocabulary_but_keeps_edits(db):
    from offers.models import Neighbourhood

    Topic.objects.filter(slug="sport").update(name="Sport und Bewegung")
    Neighbourhood.objects.filter(slug="holten").delete()

    call_command("load_demo_data", verbosity=0)

    assert Topic.objects.get(slug="sport").name == "Sport und Bewegung"
    assert Neighbourhood.objects.get(slug="holten").district.slug == "sterkrade-nord"
