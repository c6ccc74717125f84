"""The list's orders (title, recently verified, newest) come from the facet index's blocks.

Compared with the documented rule over every page, before and after changes,
with blocks of two offers so that skipping whole blocks is exercised.
"""

import datetime

import pytest
from django.utils import timezone

from offers import facet_index
from offers.models import Offer
from offers.words import fold
from tests.factories import make_offer, make_user


def _with(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _expected(order, offers):
    """The documented orders: titles case- and umlaut-folded; newest and recently verified first."""
    keys = {
        "titel": lambda o: (fold(o.title), o.title, o.pk),
        "geprueft": lambda o: (
            o.last_verified_at is None,
            -(o.last_verified_at or datetime.date.min).toordinal(),
            fold(o.title),
            o.title,
            o.pk,
        ),
        "neu": lambda o: (
            o.published_at is None,
            -o.published_at.timestamp() if o.published_at else 0,
            -o.pk,
        ),
    }
    return [o.title for o in sorted(offers, key=keys[order])]


def _listed(client, params):
    titles, page = [], 1
    while True:
        response = client.get("/angebote/", {**params, "page": page})
        titles += [offer.title for offer in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return titles
        page += 1


@pytest.mark.parametrize("order", ["titel", "geprueft", "neu"])
def test_every_order_pages_through_the_selection_after_changes(
    db, client, monkeypatch, order, settings
):
    monkeypatch.setattr(facet_index, "BLOCK", 2)  # many blocks, so skipping them is tested
    monkeypatch.setattr("directory.views.OFFERS_PER_PAGE", 3)
    today = timezone.localdate()
    titles = ["Zoo", "Ärztin", "arzt", "Bad", "Öl", "Ofen", "bad", "Mitte", "Nest"]
    offers = [
        make_offer(
            title=title,
            topics=["sport"] if i % 2 else ["bildung"],
            last_verified_at=today - datetime.timedelta(days=i % 4) if i % 3 else None,
            published_at=timezone.now() - datetime.timedelta(hours=i % 5) if i % 4 else None,
        )
        for i, title in enumerate(titles)
    ]
    assert _listed(client, {"sortierung": order}) == _expected(order, offers)

    _with(offers[0], title="Aal").save()
    offers[3].archive(by=make_user())
    offers += [make_offer(title=t, topics=["sport"]) for t in ("Kino", "Äpfel", "Yoga", "Nadel")]
    published = list(Offer.objects.published())

    assert _listed(client, {"sortierung": order}) == _expected(order, published)
    sport = [o for o in published if o.topics.filter(slug="sport").exists()]
    assert _listed(client, {"sortierung": order, "thema": "sport"}) == _expected(order, sport)


def test_titles_are_in_german_dictionary_order(db, client):
    for title in ["Zoo", "Ärztin", "arzt", "Bad", "Öl", "Ofen"]:
        make_offer(title=title)

    response = client.get("/angebote/")

    titles = [offer.title for offer in response.context["page"].object_list]
    assert titles == ["arzt", "Ärztin", "Bad", "Ofen", "Öl", "Zoo"]
