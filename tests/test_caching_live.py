"""The page cache with real connections: a live server and an editor's open transaction.

Transactional tests (the database is emptied after each) live in files of
their own, so that test runners that hand out whole files to workers
(pytest-xdist ``--dist loadfile``) run them after the others.
"""

import threading

import pytest
from django.db import connection, transaction

from offers.models import Offer
from tests.factories import make_offer


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_while_a_page_is_rendered_is_shown_next_time(live_server, settings):
    """Two real connections: an editor's open transaction and a visitor's page.

    The cache is one outside the database (here the process's memory, in
    production Redis or Memcached): what is written there is seen at once,
    committed or not.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections that see each other's commits only (PostgreSQL)")
    import urllib.request

    from offers.vocabulary import load_vocabulary

    load_vocabulary()  # a flush by an earlier live-server test removed it
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE = True
    offer = make_offer(title="Elterncafé", slug="elterncafe", summary="Alter Text.")
    url = live_server.url + "/angebote/elterncafe/"

    def page():
        with urllib.request.urlopen(url) as response:
            return response.read().decode()

    saved, release = threading.Event(), threading.Event()

    def editor():
        with transaction.atomic():
            Offer.objects.filter(pk=offer.pk).update(summary="Neuer Text.")
            edited = Offer.objects.get(pk=offer.pk)
            edited.save()  # the signal fires inside the open transaction
            saved.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=editor)
    thread.start()
    saved.wait(10)
    assert "Alter Text." in page()  # rendered and stored before the edit commits
    release.set()
    thread.join(10)

    assert "Neuer Text." in page()
