"""Keeping the search's derived data current: each offer's provider and places in words,
and the vocabulary (``SearchTerm``) that typos and compounds are matched against: the
German texts' and places' words only (a Turkish "hakkındaki" is no compound of "Kind").

``Offer.search_context`` holds the provider's name and short name and the
names, streets, postal codes, Stadtteile and Sozialräume of the offer's places
and the Sozialräume it names, and the offer's title, summary and description
in the other languages (a search in Turkish finds the Turkish text); the
generated search document weights it between the summary and the
description. It cannot be a generated column itself: the texts live in other
tables, and a generated column over thirty columns would be rewritten for
every language added.

The receivers below only refresh this derived data, like the page cache's
version bumps; they hold no business logic. Whatever changes one of those
texts through ``save()`` (admin, moderation, partner forms) refreshes the
offers concerned in the same transaction. Bulk writes send no signals: they
call ``rebuild_search_index()`` themselves (the demo loader does), and
``manage.py rebuild_search_index`` rebuilds everything and prunes words no
offer uses any more (nightly, or after an import).
"""

from django.db import models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Replace
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from offers.facet_index import record_change
from offers.models import (
    District,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    SearchTerm,
    refresh_deferred,
)
from offers.words import text_terms

BATCH_SIZE = 2000


class JoinedText(models.Aggregate):
    """The texts of a group joined by spaces: string_agg on PostgreSQL, group_concat elsewhere."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class SpacedText(models.Func):
    """Texts joined by spaces, NULL as nothing: SQL's ``||``, on PostgreSQL and SQLite alike.

    (Django's ``Concat`` nests a function per pair: slow to compile for many texts.)
    """

    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(f"COALESCE(CAST({sql} AS TEXT), '')")
            params.extend(expression_params)
        return "(" + " || ' ' || ".join(parts) + ")", params


def _area_words(name):
    """An area's name as words: "Alstaden/Lirich" would be one token, not two place names."""
    return Replace(SpacedText(name), Value("/"), Value(" "), output_field=models.TextField())


def _context_expression(offer_model, translations=True):
    """SQL for an offer's ``search_context``, from its provider, places and named Sozialräume,
    and its texts in the other languages (unless ``translations`` is False)."""
    provider_model = offer_model._meta.get_field("provider").related_model
    places = offer_model._meta.get_field("locations").remote_field.through
    named = offer_model._meta.get_field("districts").remote_field.through
    # A plain QuerySet: the provider's manager reads translated fields in the reader's
    # language (offers/translation.py); this SQL must not depend on who is reading.
    provider = (
        models.QuerySet(provider_model)
        .filter(pk=OuterRef("provider_id"))
        .order_by()
        .values(text=SpacedText("name", "short_name"))
    )
    place_text = SpacedText(
        "location__name",
        "location__street",
        "location__postal_code",
        "location__neighbourhood__name",
        _area_words("location__neighbourhood__district__name"),
    )
    place_texts = (
        places.objects.filter(offer_id=OuterRef("pk"))
        .values("offer_id")
        .annotate(text=JoinedText(place_text))
        .values("text")
    )
    district_texts = (
        named.objects.filter(offer_id=OuterRef("pk"))
        .values("offer_id")
        .annotate(text=JoinedText(_area_words("district__name")))
        .values("text")
    )
    return SpacedText(
        Subquery(provider),
        Subquery(place_texts),
        Subquery(district_texts),
        *(_translations(offer_model) if translations else ()),
    )


# The texts families search in the other languages (a Turkish reader types Turkish).
SEARCHED_TRANSLATIONS = ("title", "summary", "description")


def _translations(offer_model):
    """The offer's searched texts in the other languages, as far as ``offer_model`` (perhaps an
    earlier migration's) has their columns."""
    columns = {field.name for field in offer_model._meta.concrete_fields}
    return [name for name in Offer.translation_columns(SEARCHED_TRANSLATIONS) if name in columns]


def _terms_of(rows):
    """{folded word: spelling} of texts, row by row."""
    terms = {}
    for texts in rows:
        for term, spelling in text_terms(*texts).items():
            terms.setdefault(term, spelling)
    return terms


def _add_terms(terms, term_model):
    """Add the words the vocabulary does not have yet (usually none: one look-up)."""
    words = sorted(terms)
    missing = []
    for start in range(0, len(words), BATCH_SIZE):
        chunk = words[start : start + BATCH_SIZE]
        known = set(term_model.objects.filter(term__in=chunk).values_list("term", flat=True))
        missing += [term_model(term=w, spelling=terms[w]) for w in chunk if w not in known]
    # ignore_conflicts: another request may add the same word at the same moment.
    term_model.objects.bulk_create(missing, ignore_conflicts=True, batch_size=BATCH_SIZE)


def refresh_search_index(offers, term_model=SearchTerm):
    """Recompute the search context of ``offers`` (a QuerySet) and add their words.

    One query reads the texts and the context as it should be; rows are only
    written when their context changed (each write re-indexes the row).
    """
    rows = list(
        offers.annotate(
            fresh_context=_context_expression(offers.model),
            german_context=_context_expression(offers.model, translations=False),
        ).values_list(
            "pk",
            "search_context",
            "fresh_context",
            "german_context",
            "title",
            "summary",
            "description",
        )
    )
    changed = {pk: fresh for pk, old, fresh, *_ in rows if old != fresh}
    if changed:
        offers.model._base_manager.filter(pk__in=changed).update(
            search_context=Case(
                *[When(pk=pk, then=Value(text)) for pk, text in changed.items()],
                output_field=models.TextField(),
            )
        )
        if offers.model is Offer:  # not in a migration: the searches kept in memory are stale
            record_change(changed, offers.db)
    _add_terms(_terms_of(row[3:] for row in rows), term_model)


def rebuild_search_index(offer_model=Offer, term_model=SearchTerm, prune=True):
    """Every offer's search context and the whole vocabulary, in batches; returns (offers, words).

    With ``prune``, words that no offer uses any more are deleted.
    """
    ids = list(offer_model._base_manager.order_by("pk").values_list("pk", flat=True))
    terms = {}
    for start in range(0, len(ids), BATCH_SIZE):
        batch = offer_model._base_manager.filter(pk__in=ids[start : start + BATCH_SIZE])
        batch.update(search_context=_context_expression(offer_model))
        texts = batch.annotate(
            german_context=_context_expression(offer_model, translations=False)
        ).values_list("german_context", "title", "summary", "description")
        for term, spelling in _terms_of(texts).items():
            terms.setdefault(term, spelling)
    if prune:
        stale = sorted(set(term_model.objects.values_list("term", flat=True)) - terms.keys())
        for start in range(0, len(stale), BATCH_SIZE):
            term_model.objects.filter(term__in=stale[start : start + BATCH_SIZE]).delete()
    _add_terms(terms, term_model)
    return len(ids), len(terms)


# --- Receivers: each save of a text the search reads refreshes the offers concerned ---------

OFFER_TEXT_FIELDS = {
    "title",
    "summary",
    "description",
    "provider",
    "provider_id",
    *_translations(Offer),
}


def _offer_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or refresh_deferred(instance):
        return
    if update_fields is not None and not OFFER_TEXT_FIELDS & set(update_fields):
        return
    refresh_search_index(Offer.objects.filter(pk=instance.pk))


def _offers_of(instance):
    """The offers whose search context reads ``instance`` (a provider, place or area)."""
    if isinstance(instance, Provider):
        return Offer.objects.filter(provider_id=instance.pk)
    if isinstance(instance, Location):
        return Offer.objects.filter(locations=instance.pk)
    if isinstance(instance, Neighbourhood):
        return Offer.objects.filter(locations__neighbourhood=instance.pk)
    return Offer.objects.filter(
        models.Q(locations__neighbourhood__district=instance.pk) | models.Q(districts=instance.pk)
    )


def _context_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_index(Offer.objects.filter(pk__in=_offers_of(instance).values("pk")))


def _context_deleting(sender, instance, **kwargs):
    # The links are gone once the row is: remember the offers before.
    instance._search_offer_ids = list(_offers_of(instance).values_list("pk", flat=True))


def _context_deleted(sender, instance, **kwargs):
    ids = getattr(instance, "_search_offer_ids", [])
    if ids:
        refresh_search_index(Offer.objects.filter(pk__in=ids))


def _places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # Changed from the offer's side (the admin, the forms, save_with_relations); from the
    # other side pk_set names the offers.
    if action in ("post_add", "post_remove", "post_clear") and not refresh_deferred(instance):
        ids = list(pk_set or []) if reverse else [instance.pk]
        if ids:
            refresh_search_index(Offer.objects.filter(pk__in=ids))


def connect_search_index():
    post_save.connect(_offer_saved, sender=Offer, dispatch_uid="search-offer-saved")
    for model in (Provider, Location, Neighbourhood, District):
        name = model.__name__
        post_save.connect(_context_saved, sender=model, dispatch_uid=f"search-saved-{name}")
    # Only these can go while offers still point at them (the links go with them);
    # a provider or Stadtteil in use is protected from deletion.
    for model in (Location, District):
        name = model.__name__
        pre_delete.connect(_context_deleting, sender=model, dispatch_uid=f"search-deleting-{name}")
        post_delete.connect(_context_deleted, sender=model, dispatch_uid=f"search-deleted-{name}")
    for relation in ("locations", "districts"):
        m2m_changed.connect(
            _places_changed,
            sender=getattr(Offer, relation).through,
            dispatch_uid=f"search-m2m-{relation}",
        )
