"""Words as the search compares them: folded, stripped of German endings, a little misspelt.

No database here: the search (``offers.search``), its index
(``offers.search_index``) and the synonym model share these rules, so a word
is folded the same way when it is stored and when a family types it.
"""

import re

# Folded the same way in SQL (for SQLite's stored document) and in Python (for
# the query and the vocabulary). The generated column's SQL is built from this
# table: changing it needs a migration that recreates the column on SQLite.
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
# Suffixes removed from query words so "Familien" still finds "Familie".
GERMAN_SUFFIXES = ("innen", "ern", "en", "er", "es", "e", "n", "s")
WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 8
# The vocabulary keeps words of these lengths (shorter ones are noise, longer ones typos).
TERM_MIN_LENGTH = 3
TERM_MAX_LENGTH = 60


def query_words(text):
    """The words of a user's query, at most MAX_QUERY_WORDS of them."""
    return WORD.findall(text or "")[:MAX_QUERY_WORDS]


_FOLDING = str.maketrans(FOLDED_CHARACTERS)


def fold(word):
    """Lower case with umlauts and a few other accents folded: "Förderung" → "forderung"."""
    return word.translate(_FOLDING).lower()


def title_key(title):
    """Titles in German dictionary order: case and umlauts folded ("Ärztin" with "Arzt")."""
    return (fold(title), title)


def strip_suffix(word):
    """``word`` without one German ending, keeping at least four letters."""
    for suffix in GERMAN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def text_terms(*texts):
    """{folded word: its first spelling} for the words of some texts the vocabulary keeps."""
    terms = {}
    for text in texts:
        for word in WORD.findall(text or ""):
            term = fold(word)
            if TERM_MIN_LENGTH <= len(term) <= TERM_MAX_LENGTH and not term.isdigit():
                terms.setdefault(term, word)
    return terms


def edit_distance(a, b, limit):
    """Optimal string alignment distance (a swap of two letters costs one), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous = None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if (
                previous_previous is not None
                and i > 1
                and j > 1
                and char_a == b[j - 2]
                and a[i - 2] == char_b
            ):
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_typos(word):
    """How many wrong, missing, extra or swapped letters a word may have and still match."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2
