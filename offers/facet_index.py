"""Which published offers each filter value selects, held in memory as bitmaps.

The option counts of the offer list ("Sport (412)") were ten aggregate
queries over every published offer: 0.7–1.5 s at 100 000 offers for each
filter combination nobody had asked for before. Here every value a filter
can take (an age, an age phase, a Sozialraum, a topic, a target group, a
language, a provider, free of charge, wheelchair accessible) has a bitmap of
the published offers it selects (``pyroaring``, bit n: the offer with id n).
A count is the size of an intersection: microseconds, whatever the number of
offers.

The rules stay the QuerySet's: the bitmaps are built by its own methods
(``published()``, ``served_districts()``, ``wheelchair_accessible()``) and
by ``ages_overlap``, the Python twin of ``age_overlap_q``; a test compares
every count with the SQL count of the same filters.

Staying current in every process: a save that can change what an offer is
found by writes the offer's id to ``FacetChange`` in the same transaction
(the receivers below only maintain this derived data, like the search
index's). Before each use a process reads the changes it has not seen (one
indexed query, usually empty) and reloads just those offers (seven small
queries); a search it kept is run again over the changed offers only. A
change to a Sozialraum, a Stadtteil, an age phase or another value the
filters offer is written without an offer and makes every process rebuild,
as a new day does (offers expire and overdue ones hide by date). Bulk writes
send no signals: they call ``record_change()`` themselves (the demo loader
does).

The list's orders live here too (``SortedOffers``, ``IndexedOrder``): a page
of any selection in title, verification or publication order without
sorting in SQL.

Change ids come from a sequence, and a transaction that took a lower id can
commit after one that took a higher: ids missing from what a process read are
remembered and asked for again for ``GAP_SECONDS``.

Servers call ``settle_after_rebuilds()``: a picture lives for a day, and
Python's full garbage collection passes walked its sort orders each time
(70–95 ms pauses at 100 000 offers, now and then in a request); after each
rebuild everything the process holds is moved out of their way
(``gc.freeze()``).
"""

import bisect
import datetime
import gc
import hashlib
import threading
import time
from collections import defaultdict

from django.core.cache import cache
from django.db import connections
from django.db.models import Max, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone
from pyroaring import BitMap, FrozenBitMap

from offers.ages import age_choices, parse_age
from offers.kept import Kept
from offers.lexicon import Lexicon
from offers.models import (
    OFFER_RELATIONS,
    AgePhase,
    District,
    FacetChange,
    Language,
    Location,
    Neighbourhood,
    Offer,
    TargetGroup,
    Topic,
    ages_overlap,
    refresh_deferred,
    related_id_column,
)
from offers.models.offers import shown_since
from offers.words import title_key

# How long a change id missing from a read is asked for again (its transaction may still commit).
GAP_SECONDS = 600
# More changed offers than this at once are read by a rebuild rather than one by one.
RELOAD_LIMIT = 2000
# Offers per block of a sort order (see SortedOffers).
BLOCK = 1024
# Search results kept per process (and carried over a change), and in the shared cache.
SEARCHES_KEPT = 256
SEARCH_SECONDS = 60 * 60
RELATIONS = {"topics": "topic", "target_groups": "target_group", "languages": "language"}
VOCABULARY = {
    "phase": AgePhase,
    "district": District,
    "topic": Topic,
    "target_group": TargetGroup,
    "language": Language,
}
FREE = ("free",)
WHEELCHAIR = ("wheelchair",)
# What an offer is or has besides its relations (the open data's features ask for them):
# ("flag", field) for its yes/no fields, ("has", field) for those it may leave empty.
FLAGS = ("citywide", "outreach", "online", "registration_required")
FILLED = ("min_age_months", "max_age_months", "website")
EMPTY = FrozenBitMap()


def age_keys():
    """(key, first month, last month) of every age choice of the public filter."""
    _, (_, exact), (_, ranges) = age_choices()
    return [(("age", value), *parse_age(value)) for value, _ in exact + ranges]


class FacetState:
    """One consistent picture: the published offers and each filter value's bitmap.

    Never changed once handed out (a change makes a new state), so a request
    reads one picture from start to end, whatever other threads do.
    """

    def __init__(
        self,
        using,
        day,
        published,
        bitmaps,
        vocabulary,
        orders,
        token,
        inherited=None,
        lexicon=None,
        lexicon_stale=EMPTY,
    ):
        self.using = using
        self.day = day  # (date, earliest verification still shown)
        self.published = published
        self.bitmaps = bitmaps
        # {"phase": [AgePhase, …], "district": …, "topic": …, "target_group": …, "language": …}
        self.vocabulary = vocabulary
        self.orders = orders  # {"title": SortedOffers, "verified": …, "newest": …}
        # The same in every process that has read the same changes (for the shared cache).
        self.token = token
        self._searches = Kept(SEARCHES_KEPT)
        self.inherited = inherited or {}  # {plan key: (result, offers changed since)}
        # The words of the search documents as the rebuild read them (offers.lexicon;
        # None on SQLite), and the offers changed since, which it may no longer describe.
        self.lexicon = lexicon
        self.lexicon_stale = lexicon_stale
        self._derived = {}

    def derived(self, key, compute):
        """``compute()``, made once for this picture: what pages read of it on every request
        (look-up tables, labels). ``key`` names it; it must depend on nothing else."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute()
            return value

    def get(self, key):
        """The published offers a filter value selects, e.g. ``("topic", 3)``, ``("age", "2")``."""
        return self.bitmaps.get(key, EMPTY)

    def related(self, pk):
        """{relation: objects} of published offer ``pk``: its topics, target groups and
        languages as this picture holds them, in the vocabulary's order (for
        ``Offer.take_related``)."""
        return {
            relation: [obj for obj in self.vocabulary[kind] if pk in self.get((kind, obj.pk))]
            for relation, kind in RELATIONS.items()
        }

    def keys(self, kind):
        """{id: bitmap} of every value of one kind ("provider", "topic", …)."""
        return {key[1]: bitmap for key, bitmap in self.bitmaps.items() if key[0] == kind}

    def search(self, plan, in_title_or_summary=False):
        """The published offers a search finds (``plan``: a ``SearchPlan``), kept for reuse.

        Kept per plan (the words and everything they match), so a new synonym
        makes a new search. Looked for in this process, then in the shared
        cache; after an edit, the search of the state before is only run
        again over the offers that changed since. A search nobody made yet is
        answered by the lexicon (a broad word in SQL: 0.1 s at 100 000 offers),
        in SQL only for the offers changed since the lexicon was read.
        ``in_title_or_summary``: only the offers
        with every word in their title or summary (a broad search's best
        candidates, ``offers.relevance``).
        """
        words = tuple(tuple(word.alternatives) for word in plan.words)
        plan_key = ("title or summary", *words) if in_title_or_summary else words

        def matching(offers):
            if in_title_or_summary:
                return offers.search_in_title_or_summary(plan)
            return offers.search(plan)

        found = self._searches.get(plan_key)
        if found is not None:
            return found
        before = self.inherited.get(plan_key)
        key = (
            "offers:facets:search:"
            + hashlib.sha256(repr((self.token, plan_key)).encode()).hexdigest()
        )
        shared = cache.get(key)
        offers = Offer.objects.using(self.using)
        if shared is not None:
            found = FrozenBitMap.deserialize(shared)
        elif before is not None:
            old, changed = before
            ids = matching(offers.among(changed)).values_list("pk", flat=True)
            found = ((old - changed) | FrozenBitMap(ids.order_by())) & self.published
            cache.set(key, found.serialize(), SEARCH_SECONDS)
        else:
            found = None if in_title_or_summary else self._from_lexicon(plan, offers)
            if found is None:
                found = FrozenBitMap(matching(offers).order_by().values_list("pk", flat=True))
            found &= self.published
            cache.set(key, found.serialize(), SEARCH_SECONDS)
        self._searches.put(plan_key, found)
        return found

    def _from_lexicon(self, plan, offers):
        """What ``offers.search(plan)`` finds, from the lexicon and the offers changed since it
        was read; None where the lexicon cannot answer (SQLite, too many changes, a query of
        another shape)."""
        stale = self.lexicon_stale
        if self.lexicon is None or len(stale) > RELOAD_LIMIT:
            return None
        found = self.lexicon.evaluate(plan, self.using)
        if found is None:
            return None
        changed = offers.among(stale).search(plan) if stale else offers.none()
        return FrozenBitMap(
            (found - stale) | BitMap(changed.order_by().values_list("pk", flat=True))
        )

    def searches_after(self, changed):
        """This state's searches for the next one: (result, offers changed since) per plan."""
        kept = {key: (found, changed) for key, found in self._searches.items()}
        for key, (found, earlier) in self.inherited.items():
            if key not in kept:
                kept[key] = (found, earlier | changed)
        return {
            key: value
            for key, value in list(kept.items())[-SEARCHES_KEPT:]
            if len(value[1]) <= RELOAD_LIMIT
        }

    def select(self, bitmaps):
        """The published offers in every bitmap given."""
        return self.published.intersection(*bitmaps) if bitmaps else self.published


class IndexedOrder:
    """A selection of published offers in one of the index's orders: a list for the paginator.

    ``order[20:40]`` finds the ids in the index and reads those offers: one
    query (plus the prefetch of ``for_cards()``). With them, offers whose
    ids ``known(pk)`` accepts are not read at all (the list keeps their cards
    rendered): ``OfferQuerySet.in_order``.
    """

    ordered = True

    def __init__(self, state, order, selection, queryset, known=None, cards=False):
        self.state = state
        self.order = order
        self.selection = selection
        self.queryset = queryset
        self.known = known
        self.cards = cards

    def for_cards(self):
        return IndexedOrder(
            self.state, self.order, self.selection, self.queryset, self.known, cards=True
        )

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step:
            raise TypeError("IndexedOrder supports slices only")
        ids = self.state.orders[self.order].page(self.selection, index.start or 0, index.stop)
        return self.queryset.in_order(ids, self.cards, self.known)


def _published_key(day):
    """What decides which offers are public on a day (besides their own fields)."""
    return (day, shown_since(day))


def _vocabulary(using):
    """The values the filters offer, in the order they are shown."""
    return {kind: list(model.objects.using(using)) for kind, model in VOCABULARY.items()}


# The list's orders, each as a sort key of a published offer's id, title key and dates.
ORDERS = {
    "title": lambda pk, title, verified, published: (title, pk),
    "verified": lambda pk, title, verified, published: (
        verified is None,
        -verified.toordinal() if verified else 0,
        title,
        pk,
    ),
    "newest": lambda pk, title, verified, published: (
        published is None,
        -published.timestamp() if published else 0,
        -pk,
    ),
}


class _Block:
    """Consecutive offers of one order: their sort keys, ids and bitmap. Never changed."""

    __slots__ = ("keys", "pks", "bitmap")

    def __init__(self, keys):
        self.keys = keys
        self.pks = [key[1] for key in keys]
        self.bitmap = FrozenBitMap(self.pks)


class SortedOffers:
    """The published offers in one order, cut into blocks with a bitmap each.

    A page of any selection skips whole blocks by the size of their
    intersection with it (in C) and walks one or two blocks in Python: about
    a hundred set operations at 100 000 offers, however sparse the selection
    or deep the page. A change rebuilds only the blocks it touches.
    """

    def __init__(self, blocks):
        self.blocks = blocks

    @classmethod
    def of(cls, keys):
        keys = sorted(keys)
        return cls([_Block(keys[i : i + BLOCK]) for i in range(0, len(keys), BLOCK)])

    def page(self, selection, start, stop):
        """The ids of ``selection`` from position ``start`` to before ``stop``, in this order."""
        ids, position = [], 0
        for block in self.blocks:
            if position >= stop:
                break
            inside = block.bitmap.intersection_cardinality(selection)
            if position + inside <= start:
                position += inside
                continue
            for pk in block.pks:
                if pk in selection:
                    if start <= position < stop:
                        ids.append(pk)
                    position += 1
        return ids

    def changed(self, gone, added):
        """A new order without the offers of bitmap ``gone`` and with the sort keys ``added``."""
        blocks = [
            _Block([key for key in block.keys if key[1] not in gone])
            if block.bitmap.intersection_cardinality(gone)
            else block
            for block in self.blocks
        ]
        blocks = [block for block in blocks if block.keys]
        for key in sorted(added):
            firsts = [block.keys[0] for block in blocks]
            at = max(bisect.bisect_right(firsts, key) - 1, 0)
            if not blocks:
                blocks.append(_Block([key]))
                continue
            keys = blocks[at].keys.copy()
            bisect.insort(keys, key)
            blocks[at : at + 1] = (
                [_Block(keys[: len(keys) // 2]), _Block(keys[len(keys) // 2 :])]
                if len(keys) > 2 * BLOCK
                else [_Block(keys)]
            )
        return SortedOffers(blocks)


def _load(using, day, vocabulary, offer_ids=None):
    """What the index holds of the published offers among ``offer_ids`` (None: all offers).

    Returns {key: [offer ids]}, the published ids and {order: [sort keys]}.
    Related rows are read for every offer in question and kept for the
    published ones: faster than joining each query with the published condition.
    """
    offers = Offer.objects.using(using)
    if offer_ids is not None:
        offers = offers.filter(pk__in=offer_ids)

    def related(queryset):
        return queryset if offer_ids is None else queryset.filter(offer_id__in=offer_ids)

    members = defaultdict(list)
    ranges = {}
    ages = age_keys() + [(("phase", p.pk), p.min_months, p.max_months) for p in vocabulary["phase"]]
    citywide = []
    published = set()
    sort_keys = {order: [] for order in ORDERS}
    rows = offers.published(day).values_list(
        "pk",
        "provider_id",
        "cost",
        "title",
        "last_verified_at",
        "published_at",
        *FLAGS,
        *FILLED,
    )
    for pk, provider_id, cost, title, verified, published_at, *facts in rows:
        flags = dict(zip(FLAGS, facts[: len(FLAGS)], strict=True))
        filled = dict(zip(FILLED, facts[len(FLAGS) :], strict=True))
        low, high, is_citywide = (
            filled["min_age_months"],
            filled["max_age_months"],
            flags["citywide"],
        )
        published.add(pk)
        members["provider", provider_id].append(pk)
        for name, value in flags.items():
            if value:
                members["flag", name].append(pk)
        for name, value in filled.items():
            if value is not None and value != "":
                members["has", name].append(pk)
        keys = ranges.get((low, high))
        if keys is None:
            keys = ranges[low, high] = [key for key, a, b in ages if ages_overlap(low, high, a, b)]
        for key in keys:
            members[key].append(pk)
        if is_citywide:
            citywide.append(pk)
        if cost == Offer.Cost.FREE:
            members[FREE].append(pk)
        title = title_key(title)
        for order, sort_key in ORDERS.items():
            sort_keys[order].append((sort_key(pk, title, verified, published_at), pk))
    for relation, kind in RELATIONS.items():
        through = getattr(Offer, relation).through.objects.using(using)
        for pk, value in related(through).values_list("offer_id", related_id_column(relation)):
            if pk in published:
                members[kind, value].append(pk)
    # Citywide offers serve every Sozialraum; what they name besides changes nothing.
    for pk, district_id in offers.served_districts():
        if pk in published:
            members["district", district_id].append(pk)
    for district in vocabulary["district"]:
        members["district", district.pk].extend(citywide)
    members[WHEELCHAIR] = [
        pk for pk in offers.wheelchair_accessible().values_list("pk", flat=True) if pk in published
    ]
    return members, published, sort_keys


class FacetIndex:
    """The current ``FacetState`` of one database, and what it has read of ``FacetChange``."""

    def __init__(self, using):
        self.using = using
        self.state = None
        self.last_change = 0
        self.stamp = None  # when the newest change read was written
        self.gaps = {}  # change id → when it was first missed
        self.lock = threading.Lock()

    def current(self):
        """The state after catching up with every committed change."""
        with self.lock:
            day = timezone.localdate()
            if self.state is None or self.state.day != _published_key(day):
                self._rebuild(day)
            else:
                self._catch_up()
            return self.state

    def _changes(self):
        # Asked on every request and nearly always answered "none": the question is written
        # out in SQL (compiling it with the ORM cost more than the query itself).
        ids = [self.last_change, *self.gaps]
        table = connections[self.using].ops.quote_name(FacetChange._meta.db_table)
        in_gaps = f" OR id IN ({', '.join(['%s'] * len(self.gaps))})" if self.gaps else ""
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id > %s{in_gaps} LIMIT 1", ids)
            if cursor.fetchone() is None:
                return []
        query = Q(id__gt=self.last_change)
        if self.gaps:
            query |= Q(id__in=list(self.gaps))
        return list(
            FacetChange.objects.using(self.using)
            .filter(query)
            .values_list("id", "offer_id", "created_at")
        )

    def _note_read(self, seen, newest):
        """``seen`` change ids were read, up to ``newest``: those between not read may still commit."""
        now = time.monotonic()
        self.gaps = {i: t for i, t in self.gaps.items() if i not in seen and now - t < GAP_SECONDS}
        for missing in set(range(self.last_change + 1, newest + 1)) - seen:
            self.gaps[missing] = now
        self.last_change = max(self.last_change, newest)

    def _catch_up(self):
        changes = self._changes()
        if not changes:
            return
        newest, _, written = max(changes)
        if newest > self.last_change:
            self.stamp = written
        self._note_read({i for i, _, _ in changes}, newest)
        offer_ids = {offer_id for _, offer_id, _ in changes}
        if None in offer_ids or len(offer_ids) > RELOAD_LIMIT:
            self._rebuild(timezone.localdate())
        else:
            self._reload(offer_ids)

    def _rebuild(self, day):
        changes = FacetChange.objects.using(self.using)
        newest, self.stamp = changes.order_by("-id").values_list("id", "created_at").first() or (
            0,
            None,
        )
        # Ids written in the last GAP_SECONDS and not visible yet may belong to
        # a transaction still running: they are asked for again.
        settled = timezone.now() - datetime.timedelta(seconds=GAP_SECONDS)
        floor = changes.filter(created_at__lt=settled).aggregate(floor=Max("id"))["floor"] or 0
        recent = set(changes.filter(id__gt=floor).values_list("id", flat=True))
        vocabulary = _vocabulary(self.using)
        members, published, sort_keys = _load(self.using, day, vocabulary)
        lexicon = Lexicon.read(self.using)
        self.last_change = floor
        self.gaps = {}
        self._note_read(recent, newest)
        self.state = FacetState(
            self.using,
            _published_key(day),
            FrozenBitMap(published),
            {key: FrozenBitMap(ids) for key, ids in members.items()},
            vocabulary,
            {order: SortedOffers.of(keys) for order, keys in sort_keys.items()},
            self._token(day),
            lexicon=lexicon,
        )
        if _settling:
            settle()

    def _token(self, day):
        # The newest change's time as well: SQLite hands a rolled-back id out again.
        stamp = self.stamp.isoformat() if self.stamp else None
        return (self.using, day.isoformat(), self.last_change, stamp, tuple(sorted(self.gaps)))

    def _reload(self, offer_ids):
        """A new state with just these offers read again."""
        old = self.state
        offer_ids = sorted(offer_ids)
        members, published, sort_keys = _load(self.using, old.day[0], old.vocabulary, offer_ids)
        gone = FrozenBitMap(offer_ids)
        bitmaps = {}
        for key in old.bitmaps.keys() | members.keys():
            bitmap = BitMap(old.bitmaps.get(key, EMPTY))
            bitmap.difference_update(gone)
            bitmap.update(members.get(key, ()))
            if bitmap:
                bitmaps[key] = FrozenBitMap(bitmap)
        now_published = BitMap(old.published)
        now_published.difference_update(gone)
        now_published.update(published)
        self.state = FacetState(
            self.using,
            old.day,
            FrozenBitMap(now_published),
            bitmaps,
            old.vocabulary,
            {order: old.orders[order].changed(gone, keys) for order, keys in sort_keys.items()},
            self._token(old.day[0]),
            old.searches_after(gone),
            lexicon=old.lexicon,
            lexicon_stale=old.lexicon_stale | gone,
        )


_indexes = {}
_indexes_lock = threading.Lock()
_settling = False


def settle():
    """Collect what is garbage now, then keep everything left out of the collector's passes.

    A full pass costs about 5 ms instead of 70–95 ms at 100 000 offers. What a
    request running meanwhile holds in reference cycles stays (once a rebuild).
    """
    gc.unfreeze()  # what the last rebuild froze may be garbage now
    gc.collect()
    gc.freeze()


def settle_after_rebuilds():
    """For servers (gunicorn.conf.py): ``settle()`` after every rebuild of an index."""
    global _settling
    _settling = True


def facet_state(using="default"):
    """The current picture of the published offers' filter values for database ``using``."""
    with _indexes_lock:
        index = _indexes.get(using)
        if index is None:
            index = _indexes[using] = FacetIndex(using)
    return index.current()


def forget_facet_states():
    """Drop every process's picture; the next use rebuilds (tests, after a rollback)."""
    with _indexes_lock:
        _indexes.clear()


def record_change(offer_ids=None, using="default"):
    """Tell every process that these offers (None: anything) may be found differently now."""
    if offer_ids is None:
        FacetChange.objects.using(using).create(offer_id=None)
        return
    FacetChange.objects.using(using).bulk_create(
        [FacetChange(offer_id=pk) for pk in sorted(set(offer_ids))]
    )


def prune_changes(older_than, using="default"):
    """Delete changes older than ``older_than`` (a datetime), keeping the newest row.

    The newest stays so that SQLite, which hands out the highest id plus one,
    never gives a new change an id a process has already read.
    """
    changes = FacetChange.objects.using(using)
    newest = changes.aggregate(newest=Max("id"))["newest"]
    if newest is None:
        return 0
    deleted, _ = changes.filter(created_at__lt=older_than, id__lt=newest).delete()
    return deleted


# --- Receivers: every save that can change what an offer is found by ---------------------------


def _offer_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw and not refresh_deferred(instance):
        record_change([instance.pk], using)


def _relation_changed(sender, instance, action, reverse, using=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not refresh_deferred(instance):
        # From the other side (topic.offers.add(…)) a clear names no offers: read everything.
        record_change(None if reverse else [instance.pk], using)


def _place_changed(sender, instance, raw=False, using=None, **kwargs):
    # Before a deletion (the links go with the row) and after a save.
    if not raw:
        ids = list(
            Offer.objects.using(using).filter(locations=instance.pk).values_list("pk", flat=True)
        )
        if ids:
            record_change(ids, using)


def _everything_changed(sender, instance=None, raw=False, using=None, **kwargs):
    if not raw:
        record_change(None, using)


def connect_facet_index():
    post_save.connect(_offer_changed, sender=Offer, dispatch_uid="facets-offer-saved")
    post_delete.connect(_offer_changed, sender=Offer, dispatch_uid="facets-offer-deleted")
    for relation in OFFER_RELATIONS:
        m2m_changed.connect(
            _relation_changed,
            sender=getattr(Offer, relation).through,
            dispatch_uid=f"facets-m2m-{relation}",
        )
    post_save.connect(_place_changed, sender=Location, dispatch_uid="facets-location-saved")
    pre_delete.connect(_place_changed, sender=Location, dispatch_uid="facets-location-deleting")
    # Which Sozialraum a Stadtteil belongs to, the Sozialräume themselves and the
    # age phases' bounds decide for many offers at once, and the vocabulary the
    # filters offer is part of the picture: everything is read again.
    for model in (Neighbourhood, *VOCABULARY.values()):
        name = model.__name__
        post_save.connect(_everything_changed, sender=model, dispatch_uid=f"facets-saved-{name}")
        post_delete.connect(
            _everything_changed, sender=model, dispatch_uid=f"facets-deleted-{name}"
        )
