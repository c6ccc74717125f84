"""The facet index (offers.facet_index): its counts are the SQL counts, before and after changes.

The list's option counts come from bitmaps held in each process. Every test
here compares them with the QuerySet's own answer: the same filters applied
in SQL and counted. The change tests build the index first and then change
the data the way the site does, so the index has to catch up by itself.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.filters import OfferFilter
from directory.panel import FilterPanel
from offers import facet_index
from offers.facet_index import facet_state, forget_facet_states, prune_changes
from offers.models import (
    AgePhase,
    District,
    FacetChange,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    TargetGroup,
    Topic,
)
from offers.search import plan_search
from tests.factories import make_location, make_offer, make_provider, make_user
from tests.pages import names_offers_by_id

AGE_VALUES = [key[1] for key, _, _ in facet_index.age_keys()]


def _filterset(params):
    return OfferFilter(QueryDict(params, mutable=False), queryset=Offer.objects.published())


def index_counts(params):
    """Everything the panel counts, as the page shows it."""
    filterset = _filterset(params)
    panel = FilterPanel(filterset, filterset.data)
    counts = {("total",): panel.total, **{(f,): n for f, n in panel.flag_counts.items()}}
    for facet in panel.facets:
        options = facet.options or [o for _, group in facet.groups for o in group]
        counts.update({(facet.name, option.value): option.count for option in options})
    counts.update({("loosen", chip.name): n for chip, n in panel.loosen})
    return counts


def sql_counts(params):
    """The same numbers counted in SQL, each with the QuerySet's own filter methods."""
    filterset = _filterset(params)
    active = filterset.active

    def count(name, value):
        others = filterset.queryset_without(name)
        return filterset.filters[name].filter(others, value).count()

    counts = {("total",): filterset.qs.count()}
    counts.update({(flag,): count(flag, True) for flag in OfferFilter.FLAGS})
    counts.update({("alter", value): count("alter", value) for value in AGE_VALUES})
    vocabularies = {
        "phase": (AgePhase.objects.all(), "slug"),
        "sozialraum": (District.objects.all(), "slug"),
        "thema": (Topic.objects.all(), "slug"),
        "zielgruppe": (TargetGroup.objects.all(), "slug"),
        "sprache": (Language.objects.all(), "code"),
    }
    for name, (objects, attribute) in vocabularies.items():
        counts.update({(name, getattr(o, attribute)): count(name, o) for o in objects})
    for provider in Provider.objects.all():
        n = count("traeger", provider)
        if n or getattr(active.get("traeger"), "pk", None) == provider.pk:
            counts["traeger", provider.slug] = n
    if not counts["total",] and active:
        counts.update(
            {("loosen", name): filterset.queryset_without(name).count() for name in active}
        )
    return counts


def assert_counts_match(params):
    assert index_counts(params) == sql_counts(params)


# --- The counts are the SQL counts, for any filter combination -----------------------------------


@pytest.fixture(scope="module")
def vocabulary(_demo_data_for_the_module, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            "phase": list(AgePhase.objects.values_list("slug", flat=True)),
            "sozialraum": list(District.objects.values_list("slug", flat=True)),
            "thema": list(Topic.objects.values_list("slug", flat=True)),
            "zielgruppe": list(TargetGroup.objects.values_list("slug", flat=True)),
            "sprache": list(Language.objects.values_list("code", flat=True)),
            "traeger": list(Provider.objects.values_list("slug", flat=True)),
        }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_count_is_the_sql_count_for_any_filters(demo, vocabulary, data):
    params = {}
    for name, values in [("alter", AGE_VALUES), *vocabulary.items()]:
        if data.draw(st.booleans(), label=f"use {name}"):
            params[name] = data.draw(st.sampled_from(values), label=name)
    for flag in OfferFilter.FLAGS:
        if data.draw(st.booleans(), label=flag):
            params[flag] = "1"
    if data.draw(st.booleans(), label="search"):
        params["q"] = data.draw(
            st.sampled_from(["Familie", "Kita", "Hebame", "Sprache Eltern", "Lirich", "zzzq"])
        )
    query = QueryDict(mutable=True)
    query.update(params)

    assert_counts_match(query.urlencode())


def test_the_start_page_counts_the_published_offers_by_topic(demo, client):
    response = client.get("/")

    topics = dict((topic.slug, n) for topic, n in response.context["topics"])
    assert response.context["total"] == Offer.objects.published().count()
    assert topics == {
        topic.slug: Offer.objects.published().with_topic(topic).count()
        for topic in Topic.objects.all()
    }


# --- After a change, every process catches up by itself -------------------------------------------


@pytest.fixture
def small_city(db):
    provider = make_provider(slug="klein")
    lirich = make_location(provider=provider, neighbourhood="lirich")
    osterfeld = make_location(provider=provider, neighbourhood="osterfeld-mitte")
    offers = [
        make_offer(provider=provider, locations=[lirich], topics=["sport"]),
        make_offer(provider=provider, locations=[osterfeld], topics=["bildung"], cost="paid"),
        make_offer(locations=[lirich], min_age_months=0, max_age_months=35, cost="low"),
        make_offer(citywide=True, topics=["sport", "kultur"]),
    ]
    return offers, lirich, osterfeld


def _other_district_neighbourhood(location):
    return Neighbourhood.objects.exclude(district=location.neighbourhood.district_id).first()


CHANGES = {
    "a topic added to an offer": lambda o, lirich, osterfeld: o[0].topics.add(
        Topic.objects.get(slug="kultur")
    ),
    "an offer archived": lambda o, lirich, osterfeld: o[0].archive(by=make_user()),
    "an offer expired": lambda o, lirich, osterfeld: _with(
        o[1], valid_until=timezone.localdate() - datetime.timedelta(days=1)
    ).save(),
    "an offer's ages changed": lambda o, lirich, osterfeld: _with(
        o[0], min_age_months=-9, max_age_months=-1
    ).save(),
    "an offer to another provider": lambda o, lirich, osterfeld: _with(
        o[2], provider=Provider.objects.get(slug="klein")
    ).save(),
    "an offer no longer citywide": lambda o, lirich, osterfeld: _with(o[3], citywide=False).save(
        update_fields=["citywide"]
    ),
    "an offer deleted": lambda o, lirich, osterfeld: o[1].delete(),
    "a new offer": lambda o, lirich, osterfeld: make_offer(locations=[osterfeld]),
    "a place moved to a Stadtteil of another Sozialraum": lambda o, lirich, osterfeld: _with(
        lirich, neighbourhood=_other_district_neighbourhood(lirich)
    ).save(),
    "a place made wheelchair accessible": lambda o, lirich, osterfeld: _with(
        osterfeld, wheelchair_accessible=True
    ).save(),
    "a place deleted": lambda o, lirich, osterfeld: Location.objects.get(pk=lirich.pk).delete(),
    "a Stadtteil given to another Sozialraum": lambda o, lirich, osterfeld: _with(
        Neighbourhood.objects.get(pk=osterfeld.neighbourhood_id),
        district=District.objects.exclude(pk=osterfeld.neighbourhood.district_id).first(),
    ).save(),
    "an age phase's bounds changed": lambda o, lirich, osterfeld: _with(
        AgePhase.objects.order_by("min_months").first(), max_months=47
    ).save(),
    "a new topic": lambda o, lirich, osterfeld: Topic.objects.create(name="Neu", slug="neu"),
}


def _with(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("params", ["", "sozialraum=osterfeld&thema=sport&kostenlos=1"])
def test_the_counts_follow_every_kind_of_change(small_city, change, params):
    offers, lirich, osterfeld = small_city
    before = index_counts(params)  # the index is built, as in a running process
    assert before == sql_counts(params)

    CHANGES[change](offers, lirich, osterfeld)

    assert index_counts(params) == sql_counts(params)


def test_a_change_costs_the_next_request_a_few_small_queries(
    small_city, django_assert_max_num_queries
):
    offers, lirich, osterfeld = small_city
    facet_state()
    offers[0].topics.add(Topic.objects.get(slug="kultur"))

    # Whether the change log has news, the news, then the one offer read again (offer,
    # three relations, its Sozialräume, its places): not the whole index.
    with django_assert_max_num_queries(8):
        state = facet_state()

    assert offers[0].pk in state.get(("topic", Topic.objects.get(slug="kultur").pk))


def test_a_state_in_use_never_changes_under_a_request(small_city):
    offers, lirich, osterfeld = small_city
    before = facet_state()
    published = len(before.published)

    offers[0].archive(by=make_user())
    after = facet_state()

    assert len(before.published) == published
    assert len(after.published) == published - 1


def test_a_change_committed_late_under_a_lower_id_is_not_missed(small_city):
    """Change ids come from a sequence: a transaction may commit after one with a higher id."""
    offers, lirich, osterfeld = small_city
    facet_state()
    newest = FacetChange.objects.order_by("-id").first().id
    # Edits that send no signals, each announced by hand under an id of its choosing:
    # first the one with the higher id becomes visible ...
    Offer.objects.filter(pk=offers[0].pk).update(cost="paid")
    FacetChange.objects.create(id=newest + 1002, offer_id=offers[0].pk)
    assert offers[0].pk not in facet_state().get(facet_index.FREE)
    # ... then the lower one, as if its transaction had committed later.
    Offer.objects.filter(pk=offers[2].pk).update(cost="free")
    FacetChange.objects.create(id=newest + 1001, offer_id=offers[2].pk)

    assert offers[2].pk in facet_state().get(facet_index.FREE)
    assert_counts_match("kostenlos=1")


def test_a_new_day_hides_what_expired_without_any_change(small_city, monkeypatch):
    offers, lirich, osterfeld = small_city
    today = timezone.localdate()
    Offer.objects.filter(pk=offers[0].pk).update(valid_until=today)
    facet_index.record_change([offers[0].pk])
    assert offers[0].pk in facet_state().published

    monkeypatch.setattr(timezone, "localdate", lambda *a: today + datetime.timedelta(days=1))

    assert offers[0].pk not in facet_state().published
    assert_counts_match("")


def test_a_server_keeps_each_rebuilt_index_out_of_the_garbage_collectors_passes(
    small_city, monkeypatch
):
    """gunicorn.conf.py asks for it: a full collection no longer walks the sort orders."""
    import gc

    monkeypatch.setattr(facet_index, "_settling", False)  # put back after the test

    def walked_by_the_collector(state):
        pks = state.orders["title"].blocks[0].pks
        return any(obj is pks for obj in gc.get_objects())  # the frozen ones are not listed

    try:
        gc.unfreeze()
        forget_facet_states()
        assert walked_by_the_collector(facet_state())  # tests and commands do not settle

        facet_index.settle_after_rebuilds()
        forget_facet_states()
        assert not walked_by_the_collector(facet_state())
    finally:
        gc.unfreeze()


def test_pruning_keeps_the_newest_change(small_city):
    later = timezone.now() + datetime.timedelta(days=1)
    newest = FacetChange.objects.order_by("-id").first()

    prune_changes(older_than=later)

    assert list(FacetChange.objects.values_list("id", flat=True)) == [newest.id]


def test_a_search_found_by_one_process_is_read_by_the_others(small_city, django_assert_num_queries):
    offers, lirich, osterfeld = small_city
    plan = plan_search("Testangebot")  # the factories' summary
    found = facet_state().search(plan)
    assert len(found) == len(offers)

    forget_facet_states()  # another process, which has read the same changes
    state = facet_state()
    with django_assert_num_queries(1):  # the shared cache, not the search
        assert state.search(plan) == found

    _with(offers[0], summary="Sonst nichts.").save()
    assert len(facet_state().search(plan)) == len(offers) - 1


def test_the_nightly_command_deletes_changes_older_than_a_day(small_city):
    old = FacetChange.objects.order_by("id").first()
    FacetChange.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    out = io.StringIO()

    call_command("prune_facet_changes", stdout=out)

    assert out.getvalue() == "1 changes deleted\n"
    assert not FacetChange.objects.filter(pk=old.pk).exists()


def test_a_provider_renamed_is_found_by_its_new_name_at_once(small_city):
    """A search kept in memory is read again when the texts it searched changed elsewhere."""
    offers, lirich, osterfeld = small_city
    plan = plan_search("Zauberwald")
    assert len(facet_state().search(plan)) == 0

    provider = Provider.objects.get(slug="klein")
    provider.name = "Zauberwald e. V."
    provider.save()

    assert set(facet_state().search(plan_search("Zauberwald"))) == {offers[0].pk, offers[1].pk}


def test_after_an_edit_a_kept_search_is_run_again_over_the_changed_offers_only(small_city):
    offers, lirich, osterfeld = small_city
    plan = plan_search("Testangebot")
    assert len(facet_state().search(plan)) == len(offers)

    _with(offers[0], summary="Sonst nichts.").save()
    new = make_offer(summary="Noch ein Testangebot.")
    offers[2].archive(by=make_user())
    state = facet_state()
    with CaptureQueriesContext(connection) as queries:
        found = state.search(plan)

    assert set(found) == {offers[1].pk, offers[3].pk, new.pk}
    assert set(found) == set(
        Offer.objects.published().search(plan).values_list("pk", flat=True)
    ) & set(state.published)
    searched = [q["sql"] for q in queries.captured_queries if "offers_offer" in q["sql"]]
    assert len(searched) == 1 and names_offers_by_id(searched[0])
