from django.utils.text import slugify

GERMAN_TRANSLITERATION = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


def german_slugify(text):
    """A URL slug the way Germans spell without umlauts: 'Dümpten' → 'duempten'."""
    text = text.lower()
    for umlaut, replacement in GERMAN_TRANSLITERATION:
        text = text.replace(umlaut, replacement)
    return slugify(text)
