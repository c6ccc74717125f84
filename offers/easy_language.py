"""A small checker for texts in Leichte Sprache (easy-to-read German).

Leichte Sprache has rules (Netzwerk Leichte Sprache, BITV 2.0 Anlage 2):
short sentences with one thought each, no abbreviations, numbers written as
digits. ``problems(text)`` names in German where a text breaks the ones a
program can see; a person still has to check the rest (every word known,
hard words explained). It warns, it does not forbid: coordinators decide.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# More words than this in one sentence is too long for Leichte Sprache.
MAX_WORDS = 12
# More than this many commas in a sentence usually means more than one thought.
MAX_COMMAS = 1

ABBREVIATIONS = re.compile(
    r"(?<![\w.])(?:z\.\s?B\.|u\.\s?a\.|d\.\s?h\.|u\.\s?U\.|o\.\s?Ä\.|i\.\s?d\.\s?R\.|bzw\.|usw\.|"
    r"etc\.|ca\.|evtl\.|ggf\.|inkl\.|zzgl\.|vgl\.|Nr\.|Tel\.|Str\.|Mo\.|Di\.|Mi\.|Do\.|Fr\.|"
    r"Sa\.|So\.|Std\.|Min\.|max\.|min\.|mind\.|bspw\.|sog\.|allg\.|z\.\s?T\.)",
    re.IGNORECASE,
)
# Numbers written as words (Leichte Sprache writes "3", not "drei"). "ein/eine" is left
# alone: it is the article far more often than the number.
NUMBER_WORDS = re.compile(
    r"\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|"
    r"(?:drei|vier|fünf|sech|sieb|acht|neun)zehn|zwanzig|dreißig|vierzig|fünfzig|"
    r"sechzig|siebzig|achtzig|neunzig|hundert|tausend)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text):
    """The text's sentences (a line break ends one too: lists are written one item a line)."""
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]


def problems(text):
    """What in ``text`` breaks the basic rules of Leichte Sprache, in German, in text order."""
    found = []
    for number, sentence in enumerate(sentences(ABBREVIATIONS.sub("X", text)), start=1):
        words = len(sentence.split())
        if words > MAX_WORDS:
            found.append(
                ngettext(
                    "Sentence %(number)d has %(words)d word; at most %(max)d are easy to read.",
                    "Sentence %(number)d has %(words)d words; at most %(max)d are easy to read.",
                    words,
                )
                % {"number": number, "words": words, "max": MAX_WORDS}
            )
        if sentence.count(",") > MAX_COMMAS:
            found.append(
                _("Sentence %(number)d has several parts: write one thought per sentence.")
                % {"number": number}
            )
    for abbreviation in dict.fromkeys(match.group() for match in ABBREVIATIONS.finditer(text)):
        found.append(
            _("“%(word)s” is an abbreviation: write the words out.") % {"word": abbreviation}
        )
    for word in dict.fromkeys(match.group() for match in NUMBER_WORDS.finditer(text)):
        found.append(_("“%(word)s”: write numbers as digits.") % {"word": word})
    return found
