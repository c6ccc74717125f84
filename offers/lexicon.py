"""The words of every offer's search document with the offers that have them (PostgreSQL).

A word searched for the first time was a scan of the whole offer table: the
search document of each row tested against the query (100–150 ms at 100 000
offers for a word in half of them, whatever indexes there are: a GIN index
still visits every matching row). The lexicon keeps, per process, each word
form (lexeme) of the documents with a bitmap of the offers whose document
has it: read once with the facet index (1.4 s and about 50 MB more per
worker at 100 000 generated offers, whose numbers make 100 000 lexemes; a
city's texts have a few thousand), a search is then the union of the
bitmaps of the lexemes each word is a prefix of, intersected word by word:
well under a millisecond.

The rules stay PostgreSQL's: the query is the same tsquery
(``SearchPlan.tsquery_text``), normalised by the database with the same text
search configuration; only its lexemes are looked up here. A query of any
other shape than "every word, each one of a few prefixes" is left to SQL
(``evaluate`` returns None), as is everything on SQLite.

The lexicon is not changed by edits: the facet index remembers which offers
changed since it was read and searches those in SQL (``FacetState.search``).
"""

import array
import bisect
import re
import sys

from django.db import connections
from pyroaring import BitMap, FrozenBitMap

from offers.search import SEARCH_CONFIG

# One token of a normalised tsquery: a quoted lexeme (with an optional prefix
# mark and nothing else), an operator or a parenthesis.
_TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:\*)?(?![:\w])|([&|()]))")


class Lexicon:
    """Sorted lexemes and, for each, the offers whose search document has it: a bitmap, or
    the offer's id where only one has it (most lexemes at 100 000 generated offers are
    their numbers, and a bitmap of one costs ten times an int)."""

    def __init__(self, lexemes, offers):
        self.lexemes = lexemes
        self.offers = offers

    @classmethod
    def read(cls, using):
        """Every lexeme of every offer's search document (one query); None on SQLite."""
        connection = connections[using]
        if connection.vendor != "postgresql":
            return None
        rows = []
        with connection.cursor() as cursor:
            # Each lexeme's offer ids as one string of 4-byte integers: no Python int per id
            # (100 MB of them for a moment at 100 000 offers, which the process then kept).
            cursor.execute(
                "SELECT word.lexeme, string_agg(int4send(offer.id::int4), ''::bytea)"
                " FROM offers_offer offer CROSS JOIN LATERAL unnest(offer.search_document) word"
                " GROUP BY word.lexeme"
            )
            while batch := cursor.fetchmany(1000):
                rows += [(lexeme, _offers(data)) for lexeme, data in batch]
        rows.sort(key=lambda row: row[0])
        return cls([lexeme for lexeme, _ in rows], [offers for _, offers in rows])

    def __len__(self):
        return len(self.lexemes)

    def having(self, lexeme, prefix):
        """The offers with ``lexeme`` in their document, or (``prefix``) a lexeme starting so."""
        start = bisect.bisect_left(self.lexemes, lexeme)
        stop = start
        while stop < len(self.lexemes) and (
            self.lexemes[stop].startswith(lexeme) if prefix else self.lexemes[stop] == lexeme
        ):
            stop += 1
        offers = self.offers[start:stop]
        found = BitMap.union(BitMap(), *(o for o in offers if not isinstance(o, int)))
        found.update(o for o in offers if isinstance(o, int))
        return found

    def evaluate(self, plan, using):
        """The offers whose search document matches ``plan`` (a ``SearchPlan``), or None when
        the database's form of its query is not one this can read."""
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, plan.tsquery_text()]
            )
            (normalised,) = cursor.fetchone()
        tokens = _tokens(normalised)
        if not tokens:
            return None
        try:
            found, rest = self._any(tokens)
        except _Unreadable:
            return None
        return None if rest else found

    # A tiny parser of what PostgreSQL prints: "|" of "&" of lexemes or parentheses.

    def _any(self, tokens):
        found, tokens = self._every(tokens)
        while tokens and tokens[0] == "|":
            more, tokens = self._every(tokens[1:])
            found = found | more
        return found, tokens

    def _every(self, tokens):
        found, tokens = self._one(tokens)
        while tokens and tokens[0] == "&":
            more, tokens = self._one(tokens[1:])
            found = found & more
        return found, tokens

    def _one(self, tokens):
        if not tokens:
            raise _Unreadable
        token, rest = tokens[0], tokens[1:]
        if token == "(":
            found, rest = self._any(rest)
            if not rest or rest[0] != ")":
                raise _Unreadable
            return found, rest[1:]
        if isinstance(token, tuple):
            return self.having(*token), rest
        raise _Unreadable


def _offers(data):
    """The offer ids of ``int4send`` values one after another: an id alone, or a bitmap."""
    ids = array.array("I", data)
    if sys.byteorder == "little":  # int4send writes big-endian
        ids.byteswap()
    return ids[0] if len(ids) == 1 else FrozenBitMap(ids)


class _Unreadable(Exception):
    pass


def _tokens(text):
    """("lexeme", prefix) tuples and operators; [] for anything else (negation, phrases, weights)."""
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return []
        lexeme, prefix, operator = match.groups()
        tokens.append(operator or (lexeme.replace("''", "'"), bool(prefix)))
        position = match.end()
    return tokens
