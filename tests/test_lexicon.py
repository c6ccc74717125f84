"""The lexicon answers a search nobody made yet exactly as the SQL search would (PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyroaring import BitMap

from offers import facet_index
from offers.facet_index import facet_state
from offers.lexicon import Lexicon, _tokens
from offers.models import Offer
from offers.search import plan_search
from tests.factories import make_offer
from tests.pages import names_offers_by_id
from tests.test_search_relevance import CASES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the lexicon reads PostgreSQL's search documents; SQLite searches in SQL")


def sql_search(plan):
    return BitMap(Offer.objects.search(plan).order_by().values_list("pk", flat=True))


QUERIES = [query for query, _rule, _kind in CASES] + [
    "Familie",
    "Eltern Kind",
    "Café",
    "a",
    "Zauberschule",
    "straße",
    "O'Neill",
    "Sprachförderung Kita Osterfeld",
]


def test_every_query_of_the_relevance_set_finds_what_sql_finds(demo):
    lexicon = Lexicon.read("default")
    assert len(lexicon) > 500

    answered = 0
    for query in QUERIES:
        plan = plan_search(query)
        found = lexicon.evaluate(plan, "default")
        if found is not None:
            answered += 1
            assert found == sql_search(plan), query
    assert answered >= len(QUERIES) - 2  # all but queries of another shape


def test_a_search_after_edits_finds_the_offers_as_they_are_now(demo):
    facet_index.forget_facet_states()
    state = facet_state()
    assert state.lexicon is not None
    kept = make_offer(title="Zauberflötenkurs für Kinder")
    renamed = Offer.objects.published().filter(title__icontains="Elterncafé").first()
    renamed.title = "Treffpunkt am Morgen"
    renamed.save()

    state = facet_state()
    assert {kept.pk, renamed.pk} <= set(state.lexicon_stale)
    plan = plan_search("Zauberflötenkurs")
    with CaptureQueriesContext(connection) as queries:
        found = state.search(plan)
    read = [q["sql"] for q in queries if '"offers_offer"' in q["sql"]]
    assert len(read) == 1 and names_offers_by_id(read[0])  # the changed offers only
    assert set(found) == {kept.pk}
    for query in ["Elterncafé", "Treffpunkt", "Kinder"]:
        plan = plan_search(query)
        assert state.search(plan) == sql_search(plan) & state.published, query


def test_a_query_of_another_shape_is_left_to_sql(demo):
    lexicon = Lexicon.read("default")
    plan = plan_search("der die das")  # stop words only: the database's query is empty

    assert lexicon.evaluate(plan, "default") is None
    assert facet_state().search(plan) == sql_search(plan)


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("'famili':*", [("famili", True)]),
        (
            "( 'a':* | 'b' ) & 'it''s':*",
            ["(", ("a", True), "|", ("b", False), ")", "&", ("it's", True)],
        ),
        ("'a':*A", []),  # a weight
        ("!'a'", []),
        ("'a' <-> 'b'", []),
        ("", []),
    ],
)
def test_only_prefixes_and_their_operators_are_read(text, tokens):
    assert _tokens(text) == tokens
