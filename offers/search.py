"""Full-text search over offers, on PostgreSQL and on SQLite.

PostgreSQL keeps a stored, GIN-indexed ``tsvector`` (title weighted above
summary above description) in a generated column, built with the text
search configuration ``german_unaccent``: German stemming after removing
accents, so "Kinder" finds "Kind" and "sprachforderung" finds
"Sprachförderung". Migration 0002 creates that configuration.

SQLite has no stemming; the same generated column holds the three texts
lower-cased with umlauts and a few other accents folded, and a query word
matches as a substring after a light German suffix strip. That is enough
for a newcomer's laptop; production runs PostgreSQL.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Case, F, Q, Value, When

SEARCH_CONFIG = "german_unaccent"

# Folded the same way in SQL (for the stored document) and in Python (for the query).
# The generated column's SQL is built from this table: changing it needs a
# migration that recreates the column on SQLite.
FOLDED_CHARACTERS = {
    "ä": "a",
    "ö": "o",
    "ü": "u",
    "ß": "ss",
    "Ä": "a",
    "Ö": "o",
    "Ü": "u",
    "é": "e",
    "è": "e",
    "ç": "c",
    "Ç": "c",
    "ş": "s",
    "Ş": "s",
    "ğ": "g",
    "ı": "i",
    "İ": "i",
}
# Suffixes removed from SQLite query words so "Familien" still finds "Familie".
GERMAN_SUFFIXES = ("innen", "ern", "en", "er", "es", "e", "n", "s")
WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 8


class SearchDocumentField(SearchVectorField):
    """A ``tsvector`` on PostgreSQL, folded plain text elsewhere."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Func):
    """The generated search column's expression for title, summary and description."""

    arity = 3
    output_field = SearchDocumentField()

    def as_postgresql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression, weight in zip(self.get_source_expressions(), "ABC", strict=False):
            sql, expression_params = compiler.compile(expression)
            parts.append(
                f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, "
                f"coalesce({sql}, '')), '{weight}')"
            )
            params.extend(expression_params)
        return " || ".join(parts), params

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(f"coalesce({sql}, '')")
            params.extend(expression_params)
        # One replace() chain around the joined texts: SQLite's parser stack is shallow.
        sql = " || ' ' || ".join(parts)
        for original, folded in FOLDED_CHARACTERS.items():
            sql = f"replace({sql}, '{original}', '{folded}')"
        return f"lower({sql})", params


def query_words(text):
    """The words of a user's query, at most MAX_QUERY_WORDS of them."""
    return WORD.findall(text or "")[:MAX_QUERY_WORDS]


def fold(word):
    word = "".join(FOLDED_CHARACTERS.get(char, char) for char in word)
    return word.lower()


def strip_suffix(word):
    for suffix in GERMAN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def search_offers(queryset, text):
    """Offers matching every word of ``text``, annotated with ``rank``.

    A query without words filters nothing; every offer then ranks 0.
    """
    words = query_words(text)
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=models.FloatField()))
    if connections[queryset.db].vendor == "postgresql":
        # Only \w characters reach the tsquery, so no user input can break its syntax.
        # Every word is a prefix so a half-typed word ("Sprachf") already finds.
        tsquery = " & ".join(f"'{word.lower()}':*" for word in words)
        query = SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG)
        return queryset.filter(search_document=query).annotate(
            rank=SearchRank(F("search_document"), query)
        )
    condition = Q()
    title_matches = Q()
    summary_matches = Q()
    for word in words:
        stem = strip_suffix(fold(word))
        condition &= Q(search_document__contains=stem)
        title_matches &= Q(title__icontains=word)
        summary_matches &= Q(summary__icontains=word)
    return queryset.filter(condition).annotate(
        rank=Case(
            When(title_matches, then=Value(1.0)),
            When(summary_matches, then=Value(0.5)),
            default=Value(0.1),
            output_field=models.FloatField(),
        )
    )
