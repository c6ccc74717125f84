"""Keeping the search's derived data current: each offer's provider and places in words,
and the vocabulary (``SearchTerm``) that typos and compounds are matched against.

``Offer.search_context`` holds the provider's name and short name and the
names, streets, postal codes, Stadtteile and Sozialräume of the offer's places
and the Sozialräume it names; the generated search document weights it
between the summary and the description. It cannot be a generated column
itself: the texts live in other tables.

The receivers below only refresh this derived data, like the page cache's
version bumps; they hold no business logic. Whatever changes one of those
texts through ``save()`` (admin, moderation, partner forms) refreshes the
offers concerned in the same transaction. Bulk writes send no signals: they
call ``rebuild_search_index()`` themselves (the demo loader does), and
``manage.py rebuild_search_index`` rebuilds everything and prunes words no
offer uses any more (nightly, or after an import).
"""

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Replace
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from offers.models import District, Location, Neighbourhood, Offer, Provider, SearchTerm
from offers.words import text_terms

BATCH_SIZE = 2000


class JoinedText(models.Aggregate):
    """The texts of a group joined by spaces: string_agg on PostgreSQL, group_concat elsewhere."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _area_words(name):
    """An area's name as words: "Alstaden/Lirich" would be one token, not two place names."""
    text = Coalesce(name, Value(""), output_field=models.TextField())
    return Replace(text, Value("/"), Value(" "), output_field=models.TextField())


def _context_expression(offer_model):
    """SQL for an offer's ``search_context``, from its provider, places and named Sozialräume."""
    provider_model = offer_model._meta.get_field("provider").related_model
    places = offer_model._meta.get_field("locations").remote_field.through
    named = offer_model._meta.get_field("districts").remote_field.through
    provider = provider_model.objects.filter(pk=OuterRef("provider_id")).values(
        text=Concat("name", Value(" "), "short_name", output_field=models.TextField())
    )
    place_text = Concat(
        "location__name",
        Value(" "),
        "location__street",
        Value(" "),
        "location__postal_code",
        Value(" "),
        Coalesce("location__neighbourhood__name", Value(""), output_field=models.TextField()),
        Value(" "),
        _area_words("location__neighbourhood__district__name"),
        output_field=models.TextField(),
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
        # "Alstaden/Lirich" would be one token: each part is a place name of its own.
        .annotate(text=JoinedText(_area_words("district__name")))
        .values("text")
    )
    return Concat(
        Coalesce(Subquery(provider), Value(""), output_field=models.TextField()),
        Value(" "),
        Coalesce(Subquery(place_texts), Value(""), output_field=models.TextField()),
        Value(" "),
        Coalesce(Subquery(district_texts), Value(""), output_field=models.TextField()),
        output_field=models.TextField(),
    )


def _terms_of(offers):
    """{folded word: spelling} of the offers' texts (one query)."""
    terms = {}
    for texts in offers.values_list("title", "summary", "description", "search_context").iterator(
        chunk_size=BATCH_SIZE
    ):
        for term, spelling in text_terms(*texts).items():
            terms.setdefault(term, spelling)
    return terms


def _add_terms(terms, term_model):
    term_model.objects.bulk_create(
        [term_model(term=term, spelling=spelling) for term, spelling in terms.items()],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )


def refresh_search_index(offers, term_model=SearchTerm):
    """Recompute the search context of ``offers`` (a QuerySet) and add their words (3 queries)."""
    offers.update(search_context=_context_expression(offers.model))
    _add_terms(_terms_of(offers), term_model)


def rebuild_search_index(offer_model=Offer, term_model=SearchTerm, prune=True):
    """Every offer's search context and the whole vocabulary, in batches; returns (offers, words).

    With ``prune``, words that no offer uses any more are deleted.
    """
    ids = list(offer_model._base_manager.order_by("pk").values_list("pk", flat=True))
    terms = {}
    for start in range(0, len(ids), BATCH_SIZE):
        batch = offer_model._base_manager.filter(pk__in=ids[start : start + BATCH_SIZE])
        batch.update(search_context=_context_expression(offer_model))
        for term, spelling in _terms_of(batch).items():
            terms.setdefault(term, spelling)
    if prune:
        stale = set(term_model.objects.values_list("term", flat=True)) - terms.keys()
        stale = sorted(stale)
        for start in range(0, len(stale), BATCH_SIZE):
            term_model.objects.filter(term__in=stale[start : start + BATCH_SIZE]).delete()
    _add_terms(terms, term_model)
    return len(ids), len(terms)


# --- Receivers: each save of a text the search reads refreshes the offers concerned ---------

OFFER_TEXT_FIELDS = {"title", "summary", "description", "provider", "provider_id"}


def _offer_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not OFFER_TEXT_FIELDS & set(update_fields)):
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
    if action == "pre_clear" and reverse:
        instance._search_offer_ids = list(
            sender.objects.filter(**{sender_field(sender, instance): instance.pk}).values_list(
                "offer_id", flat=True
            )
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        ids = [instance.pk]
    elif action == "post_clear":
        ids = getattr(instance, "_search_offer_ids", [])
    else:
        ids = list(pk_set or [])
    if ids:
        refresh_search_index(Offer.objects.filter(pk__in=ids))


def sender_field(through, instance):
    """The column of a many-to-many table of Offer that points at ``instance``'s model."""
    return next(
        field.attname
        for field in through._meta.get_fields()
        if field.many_to_one and field.related_model is type(instance)
    )


def connect_search_index():
    post_save.connect(_offer_saved, sender=Offer, dispatch_uid="search-offer-saved")
    for model in (Provider, Location, Neighbourhood, District):
        name = model.__name__
        post_save.connect(_context_saved, sender=model, dispatch_uid=f"search-saved-{name}")
        pre_delete.connect(_context_deleting, sender=model, dispatch_uid=f"search-deleting-{name}")
        post_delete.connect(_context_deleted, sender=model, dispatch_uid=f"search-deleted-{name}")
    for relation in ("locations", "districts"):
        m2m_changed.connect(
            _places_changed,
            sender=getattr(Offer, relation).through,
            dispatch_uid=f"search-m2m-{relation}",
        )
