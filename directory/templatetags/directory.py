import json
import re
import threading
from collections import OrderedDict

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()

# Rendered offer cards of this process, per version of the offers and language.
CARDS_KEPT = 5000
_cards = OrderedDict()
_cards_lock = threading.Lock()

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


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language of the site."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return [
        {
            "code": code,
            "name_local": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _ in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def offer_card(context, offer):
    """An offer's card, rendered once per version of the offers and language in each process.

    Twenty cards were half of the list's rendering time. A card shows the
    offer, its provider and its places; a change to any of them replaces the
    version (``directory.cache``), so no card outlives what it shows. Pages
    that pass no ``offers_version`` render their cards every time.
    """
    version = context.get("offers_version")
    if version is None:
        return render_to_string("includes/_offer_card.html", {"offer": offer})
    key = (version, get_language(), offer.pk)
    html = _cards.get(key)
    if html is None:
        html = render_to_string("includes/_offer_card.html", {"offer": offer})
        with _cards_lock:
            _cards[key] = html
            while len(_cards) > CARDS_KEPT:
                _cards.popitem(last=False)
    return html
