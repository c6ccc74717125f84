import functools
import json
import re

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, pgettext

from directory import cards

register = template.Library()

# As django.utils.html.json_script does: no "</script>" or "<!--" can end the block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Data for <script type="application/ld+json">, safe against '</script>'."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


@register.filter
def tel_uri(number):
    """'0208 000-1234' → 'tel:+492080001234' so phones dial it from anywhere."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    return f"tel:{digits}"


@register.simple_tag
def text_attrs(obj, field):
    """Like ``german_text``, for a text that may be translated: only where the reader's language
    has none and the German one stands in (``provider.description`` reads the reader's
    language or German, offers/translation.py)."""
    language = get_language()
    if language == settings.LANGUAGE_CODE or getattr(obj, f"{field}_{language}", None):
        return ""
    return german_text()


@register.filter
def described_in_german_only(offer):
    """Whether the page should say the offer is described in German only: its summary or
    description has no text in the reader's language."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    return bool(offer.untranslated_texts(language, names=("summary", "description")))


@register.simple_tag
def german_text():
    """``cards.german_attributes()`` on a page in another language than German."""
    if get_language() == settings.LANGUAGE_CODE:
        return ""
    return cards.german_attributes()


@register.simple_tag
def list_separator():
    """What stands between the items of a list in the reader's language ("، " in Arabic)."""
    return pgettext("between the items of a list", ", ")


@register.filter
def join_list(items):
    return list_separator().join(str(item) for item in items)


@register.filter
def ltr(text):
    """``text`` kept left to right inside right-to-left text: a phone number's groups stay in order."""
    return format_html('<bdi dir="ltr">{}</bdi>', text)


@functools.lru_cache(maxsize=4096)
def _address_in(code, view_name, args, kwargs, urlconf):
    """The address of a resolved view in language ``code`` (None when it has none there)."""
    with translation.override(code):
        try:
            return reverse(view_name, args=args, kwargs=dict(kwargs), urlconf=urlconf)
        except NoReverseMatch:
            return None


def _addresses(request, path):
    """``path`` (with its query string) in every language of the site, as ``(code, url)``.

    The view the request was resolved to is reversed in each language, which
    is what ``translate_url`` does after resolving the path once per language;
    the same addresses come back for every page of a list, so they are kept.
    Without a request (the 503 page), or one not resolved to a named view,
    ``translate_url`` does it.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return [(code, translate_url(path, code)) for code, _ in settings.LANGUAGES]
    _, mark, query = path.partition("?")
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    kwargs = tuple(sorted(match.kwargs.items()))
    return [
        (code, (address + mark + query) if address else path)
        for code, _ in settings.LANGUAGES
        for address in [_address_in(code, match.view_name, tuple(match.args), kwargs, urlconf)]
    ]


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language of the site (German first: the default)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return [
        {
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "url": url,
            "absolute_url": settings.SITE_URL + url,
            "current": code == current,
        }
        for code, url in _addresses(request, path)
    ]


class KeptNode(template.Node):
    """What ``{% keep %}`` encloses, rendered once per process for each key."""

    LIMIT = 256  # keys are few: languages × address prefixes × the values named

    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.kept = {}

    def render(self, context):
        key = (
            get_language(),
            get_script_prefix(),
            settings.ROOT_URLCONF,
            *(value.resolve(context) for value in self.values),
        )
        html = self.kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.kept) >= self.LIMIT:
                self.kept.clear()
            self.kept[key] = html
        return html


@register.tag
def keep(parser, token):
    """``{% keep section %}…{% endkeep %}``: a part of the layout that depends on nothing but
    the reader's language and the values named (few, such as the page's section), rendered
    once per process for each: the header's and the footer's links and words are the same on
    every page, and rendering them was a tenth of a list page's time."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeptNode(nodelist, values)


@register.simple_tag(takes_context=True)
def offer_cards(context, offers):
    """The cards of ``offers``, one after the other (a template loop cost more than the kept
    cards themselves), kept rendered on pages that pass ``offers_version`` (``directory.cards``)."""
    version = context.get("offers_version")
    return mark_safe("".join(cards.card(offer, version) for offer in offers))
