"""Search over offers, on PostgreSQL and on SQLite.

Each offer has a stored search document (a generated column) of its title,
summary, provider and places (``Offer.search_context``, kept by
``offers.search_index``) and description, weighted in that order.

A query is first *planned* against the vocabulary of the offers' texts
(``SearchTerm``) and the coordinators' synonyms (``SynonymGroup``): every
word may also match its synonyms, compounds that contain it ("Förderung" →
"Sprachförderung") and, when the vocabulary does not know it, the nearest
spellings with one wrong, missing, extra or swapped letter (two from nine
letters on). The plan costs two or three small queries, whatever the number of
offers, and is made once per request.

PostgreSQL: a ``tsvector`` built with ``german_unaccent`` (German stemming
after removing accents, migration 0002), GIN-indexed; every word a prefix;
ranked by ``ts_rank`` with the weights. Nearest spellings come from a trigram
index on the vocabulary (pg_trgm word similarity, ``<->>``). Broad searches
are ordered by ``offers.relevance``.

SQLite: the document is the folded plain text; a word matches as a substring
after a light German suffix strip; ranking only knows title and summary.
Nearest spellings are found by comparing, in Python, the vocabulary's words
of a similar length or with the same first two letters: fine for a city,
slow for a state.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Length

from offers.models.searches import SearchTerm, SynonymGroup
from offers.words import (
    FOLDED_CHARACTERS,
    WORD,
    allowed_typos,
    edit_distance,
    fold,
    query_words,
    strip_suffix,
)

SEARCH_CONFIG = "german_unaccent"
# A word this long (after its ending is stripped) also finds compounds containing it.
COMPOUND_MIN_LENGTH = 4
# At most this many compounds per word, the shortest first (closest to the word itself).
COMPOUND_LIMIT = 25
# Nearest words of the vocabulary looked at per unknown word, and corrections kept of them.
NEAR_LIMIT = 20
TYPO_LIMIT = 10
# "Did you mean": at most this many suggestions, each at most this many letters off.
SUGGESTION_LIMIT = 3
SUGGESTION_DISTANCE = 2


class SearchDocumentField(SearchVectorField):
    """A ``tsvector`` on PostgreSQL, folded plain text elsewhere."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Func):
    """The generated search column's expression: title, summary, context, description.

    Weights A, B, C, D in the order given (migration 0001 had three texts).
    """

    output_field = SearchDocumentField()

    def as_postgresql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression, weight in zip(self.get_source_expressions(), "ABCD", strict=False):
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
        return folded_sql(" || ' ' || ".join(parts)), params


def folded_sql(sql):
    """SQL folding a text expression as ``fold()`` does (SQLite's lower() only knows ASCII)."""
    for original, folded in FOLDED_CHARACTERS.items():
        sql = f"replace({sql}, '{original}', '{folded}')"
    return f"lower({sql})"


class Folded(models.Func):
    """A text column folded as ``fold()`` does, for SQLite's ranking."""

    arity = 1
    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return folded_sql(f"coalesce({sql}, '')"), params


@dataclass
class PlannedWord:
    """One word of a query and what else it may match."""

    text: str
    folded: str
    synonyms: list = field(default_factory=list)
    compounds: list = field(default_factory=list)
    typos: list = field(default_factory=list)
    # (distance, folded term, spelling) of the vocabulary's nearest words, for suggestions.
    near: list = field(default_factory=list)

    # The vocabulary has the word, or a word that starts with or contains it.
    known: bool = False

    @property
    def alternatives(self):
        """Everything the word matches, folded, the word itself first.

        Only whole words of word characters: nothing from the database or the user can
        break the tsquery's syntax.
        """
        seen = {}
        for term in [self.folded, *self.synonyms, *self.compounds, *self.typos]:
            if WORD.fullmatch(term):
                seen.setdefault(term, None)
        return list(seen)


@dataclass
class SearchPlan:
    """A query's words with their alternatives, looked up once and applied to any selection."""

    text: str
    words: list

    def suggestions(self):
        """Other spellings of the query that the vocabulary knows ("Meinten Sie …?").

        Unknown words are replaced by their nearest known words, best first.
        The caller checks that a suggestion finds something before showing it.
        """
        replacements = [
            [] if word.known else [spelling for _, _, spelling in word.near] for word in self.words
        ]
        suggestions = []
        for rank in range(max((len(r) for r in replacements), default=0)):
            text = " ".join(
                options[min(rank, len(options) - 1)] if options else word.text
                for word, options in zip(self.words, replacements, strict=True)
            )
            if text.lower() != self.text.lower() and text not in suggestions:
                suggestions.append(text)
            if len(suggestions) == SUGGESTION_LIMIT:
                break
        return suggestions

    def tsquery(self):
        """The PostgreSQL query: every word (or one of its alternatives) as a prefix."""
        return SearchQuery(self.tsquery_text(), search_type="raw", config=SEARCH_CONFIG)

    def tsquery_text(self):
        """The text of ``tsquery()``. Only word characters reach it, so no user input can
        break its syntax."""
        return " & ".join(
            "(" + " | ".join(f"'{term}':*" for term in word.alternatives) + ")"
            for word in self.words
        )


def plan_search(text, using="default"):
    """Look up the words of ``text`` in the vocabulary and the synonyms (2–3 queries)."""
    words = [PlannedWord(word, fold(word)) for word in query_words(text)]
    if not words:
        return SearchPlan(text or "", [])
    synonyms = SynonymGroup.objects.using(using).alternatives()
    stems = {strip_suffix(word.folded) for word in words}
    stems = sorted(stem for stem in stems if len(stem) >= COMPOUND_MIN_LENGTH)
    containing = []
    if stems:
        contains, starts = Q(), Q()
        for stem in stems:
            contains |= Q(term__contains=stem)
            starts |= Q(term__startswith=stem)
        # Compounds with the word inside come first: the prefix finds the others anyway,
        # and one of them is enough to know the word.
        containing = list(
            SearchTerm.objects.using(using)
            .filter(contains)
            .annotate(is_prefix=Case(When(starts, then=Value(1)), default=Value(0)))
            .order_by("is_prefix", Length("term"), "term")
            .values_list("term", flat=True)[: COMPOUND_LIMIT * len(stems) + len(stems)]
        )
    for word in words:
        stem = strip_suffix(word.folded)
        word.synonyms = sorted(synonyms.get(word.folded, set()) | synonyms.get(stem, set()))
        if len(stem) >= COMPOUND_MIN_LENGTH:
            word.known = any(stem in term for term in containing)
            # Words starting with the stem are found by the prefix already.
            word.compounds = [
                term for term in containing if stem in term and not term.startswith(stem)
            ][:COMPOUND_LIMIT]
        word.known = word.known or bool(word.synonyms)
    unknown = [word for word in words if not word.known and len(word.folded) >= 4]
    if unknown:
        near = _near_terms(sorted({word.folded for word in unknown}), using)
        for word in unknown:
            candidates = near.get(word.folded, [])
            word.near = _nearest_spellings(word.folded, candidates)
            word.typos = _corrected_prefixes(word.folded, [term for term, _ in candidates])
    return SearchPlan(text, words)


def _nearest_spellings(word, candidates):
    """[(distance, term, spelling)] of whole words at most SUGGESTION_DISTANCE letters off."""
    scored = sorted(
        (edit_distance(word, term, SUGGESTION_DISTANCE), len(term), term, spelling)
        for term, spelling in candidates
    )
    return [(d, term, spelling) for d, _, term, spelling in scored if d <= SUGGESTION_DISTANCE]


def _corrected_prefixes(word, terms):
    """The beginnings of vocabulary words that ``word`` misspells, to search as prefixes.

    "hebame" → "hebamm" (of "hebammensprechstunde"): a typo in a compound's head,
    or in a word typed half, still finds. A beginning may be one letter shorter
    or longer than the word, for a missing or an extra letter at its end.
    """
    allowed = allowed_typos(word)
    if not allowed:
        return []
    found = {}
    for term in terms:
        for length in (len(word) - 1, len(word), len(word) + 1):
            if length < COMPOUND_MIN_LENGTH or length > len(term):
                continue
            beginning = term[:length]
            distance = edit_distance(word, beginning, allowed)
            if 0 < distance <= allowed:
                found[beginning] = min(distance, found.get(beginning, distance))
    return sorted(found, key=lambda beginning: (found[beginning], len(beginning)))[:TYPO_LIMIT]


def _near_terms(words, using):
    """{word: [(term, spelling)]}: candidates from the vocabulary for the edit distance."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(SearchTerm._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT w.word, t.term, t.spelling
                FROM unnest(%s::text[]) AS w(word)
                CROSS JOIN LATERAL (
                    -- word_similarity: the word against the best-matching part of a term,
                    -- so a misspelt compound head finds the compound.
                    SELECT term, spelling FROM {table} ORDER BY term <->> w.word LIMIT %s
                ) AS t
                """,
                [words, NEAR_LIMIT],
            )
            rows = cursor.fetchall()
    else:
        # No trigram index: words of a similar length or with the same beginning.
        condition = Q()
        for word in words:
            condition |= Q(term__startswith=word[:2]) | Q(
                length__gte=len(word) - SUGGESTION_DISTANCE,
                length__lte=len(word) + SUGGESTION_DISTANCE,
            )
        terms = list(
            SearchTerm.objects.using(using)
            .annotate(length=Length("term"))
            .filter(condition)
            .values_list("term", "spelling")
        )
        rows = [
            (word, term, spelling)
            for word in words
            for term, spelling in terms
            if term.startswith(word[:2]) or abs(len(term) - len(word)) <= SUGGESTION_DISTANCE
        ]
    near = {}
    for word, term, spelling in rows:
        near.setdefault(word, []).append((term, spelling))
    return near


def search_offers(queryset, text):
    """Offers matching every word of ``text`` (a string or a ``SearchPlan``), with ``rank``.

    A query without words filters nothing; every offer then ranks 0.
    """
    plan = text if isinstance(text, SearchPlan) else plan_search(text, queryset.db)
    if not plan.words:
        return queryset.annotate(rank=Value(0.0, output_field=models.FloatField()))
    if connections[queryset.db].vendor == "postgresql":
        query = plan.tsquery()
        return queryset.filter(search_document=query).annotate(
            rank=SearchRank(F("search_document"), query)
        )
    condition = Q()
    title_matches = Q()
    summary_matches = Q()
    for word in plan.words:
        stems = [strip_suffix(term) for term in word.alternatives]
        condition &= _any_contains("search_document", stems)
        title_matches &= _any_contains("folded_title", stems)
        summary_matches &= _any_contains("folded_summary", stems)
    queryset = queryset.alias(folded_title=Folded("title"), folded_summary=Folded("summary"))
    return queryset.filter(condition).annotate(
        rank=Case(
            When(title_matches, then=Value(1.0)),
            When(summary_matches, then=Value(0.5)),
            default=Value(0.1),
            output_field=models.FloatField(),
        )
    )


def search_title_or_summary(queryset, plan):
    """Offers with every word of ``plan`` (a ``SearchPlan``) in their title or summary.

    The same words as ``search_offers``, in the generated column ``search_head``
    with a GIN index of its own: no rows but the matches' are read.
    """
    if not plan.words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(search_head=plan.tsquery())
    condition = Q()
    for word in plan.words:
        condition &= _any_contains("search_head", [strip_suffix(t) for t in word.alternatives])
    return queryset.filter(condition)


def _any_contains(name, terms):
    condition = Q()
    for term in terms:
        condition |= Q(**{f"{name}__contains": term})
    return condition
