"""Small factories: each makes a valid object with as little as the test must say.

What a factory makes counts as committed, as data that was there before the
test's story begins: its ``on_commit`` callbacks (cache invalidation) run.
"""

import functools
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from networks.models import Membership, Network
from offers.models import (
    District,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    TargetGroup,
    Topic,
)

_numbers = itertools.count(1)


def committed(factory):
    @functools.wraps(factory)
    def wrapper(*args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return factory(*args, **kwargs)

    return wrapper


def make_user(username=None, *, groups=(), **fields):
    username = username or f"user{next(_numbers)}"
    user = get_user_model().objects.create_user(
        username=username, password="correct-horse-battery", **fields
    )
    user.groups.add(*[Group.objects.get(name=name) for name in groups])
    return user


@committed
def make_provider(**fields):
    number = next(_numbers)
    fields.setdefault("name", f"Träger {number}")
    fields.setdefault("slug", f"traeger-{number}")
    fields.setdefault("kind", Provider.Kind.FREE)
    return Provider.objects.create(**fields)


@committed
def make_location(provider=None, neighbourhood="lirich", **fields):
    number = next(_numbers)
    fields.setdefault("name", f"Standort {number}")
    fields.setdefault("street", f"Teststraße {number}")
    fields.setdefault("postal_code", "46049")
    return Location.objects.create(
        provider=provider or make_provider(),
        neighbourhood=Neighbourhood.objects.get(slug=neighbourhood) if neighbourhood else None,
        **fields,
    )


def _new_offer(relations, fields):
    number = next(_numbers)
    fields.setdefault("title", f"Angebot {number}")
    fields.setdefault("slug", f"angebot-{number}")
    fields.setdefault("summary", "Ein Testangebot.")
    fields.setdefault("status", Offer.Status.PUBLISHED)
    if "provider" not in fields:
        fields["provider"] = make_provider()
    return Offer(**fields), relations


def _relations(topics, target_groups, districts, languages, locations):
    return {
        "topics": list(Topic.objects.filter(slug__in=topics)),
        "target_groups": list(TargetGroup.objects.filter(slug__in=target_groups)),
        "districts": list(District.objects.filter(slug__in=districts)),
        "languages": list(Language.objects.filter(code__in=languages)),
        "locations": list(locations),
    }


@committed
def make_offer(
    *,
    topics=("bildung",),
    target_groups=("eltern",),
    districts=(),
    languages=("de",),
    locations=(),
    **fields,
):
    """A published offer for all ages unless the test says otherwise."""
    offer, relations = _new_offer(
        _relations(topics, target_groups, districts, languages, locations), fields
    )
    offer.save_with_relations(relations)
    return offer


@committed
def make_offers(
    count,
    *,
    topics=("bildung",),
    target_groups=("eltern",),
    districts=(),
    languages=("de",),
    locations=(),
    **fields,
):
    """``count`` offers as ``make_offer`` makes them, inserted in bulk (for tests of many).

    A field given as a function gets the offer's number (0, 1, …): ``title=lambda n: …``.
    """
    relations = _relations(topics, target_groups, districts, languages, locations)
    return Offer.objects.create_with_relations(
        [
            _new_offer(relations, {k: v(n) if callable(v) else v for k, v in fields.items()})
            for n in range(count)
        ]
    )


@committed
def make_network(members=(), coordinators=(), offers=(), **fields):
    number = next(_numbers)
    fields.setdefault("name", f"Netzwerk {number}")
    fields.setdefault("slug", f"netzwerk-{number}")
    network = Network.objects.create(**fields)
    for provider in coordinators:
        Membership.objects.create(
            network=network, provider=provider, role=Membership.Role.COORDINATION
        )
    for provider in members:
        Membership.objects.create(network=network, provider=provider)
    network.offers.set(offers)
    return network
