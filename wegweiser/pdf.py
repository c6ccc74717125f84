"""The Wegweiser as a tagged A4 PDF, set by Typst (wegweiser/typst/guide.typ).

Python decides what the guide says, in the reader's language; the Typst
document decides how it looks. The texts reach Typst as one JSON document
and are shown as text only, never read as markup. Typst reads no file but
its own template (its root is the template's folder) and fetches nothing; it
runs in a process of its own (wegweiser/typeset.py) that gives its memory
back when the guide is done.
"""

import functools
import json
import logging
import subprocess
import sys
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wegweiser.guide import absolute

logger = logging.getLogger(__name__)

TEMPLATE = Path(__file__).resolve().parent / "typst" / "guide.typ"
TYPESET = Path(__file__).resolve().parent / "typeset.py"
# A guide of 500 offers takes about a second; this only stops one that hangs.
TIMEOUT_SECONDS = 60


class TypesetError(RuntimeError):
    """Typst could not set the guide (a fault in the template or the machine)."""


@functools.lru_cache(maxsize=8192)
def qr_code(url):
    """A QR code of ``url``: its side in modules and one grey value a module (0: dark).

    The template scales it up without smoothing, so it prints sharp at any size.
    Kept in the process: a guide needs hundreds, and an address's code never changes.
    """
    matrix = segno.make(url, error="m", micro=False).matrix
    return {
        "size": len(matrix),
        "pixels": [0 if module else 255 for row in matrix for module in row],
    }


def _code(url, alt):
    return {**qr_code(url), "alt": alt}


def count(number):
    return ngettext("%(counter)s offer", "%(counter)s offers", number) % {"counter": number}


def date(value, format_name="DATE_FORMAT"):
    return formats.date_format(value, format_name)


def entry_lines(offer):
    """What the guide says of an offer besides its title and summary: (label, text) pairs."""
    lines = []
    groups = ", ".join(group.name for group in offer.target_groups.all())
    whom = capfirst(offer.age_range_display)
    lines.append((_("For whom"), f"{whom} – {groups}" if groups else whom))
    places = []
    for location in offer.locations.all():
        place = f"{location.name}, {location.street}, {location.postal_code} {location.city}"
        if location.neighbourhood:
            place += f" ({location.neighbourhood.name})"
        if location.wheelchair_accessible:
            place += ", " + _("wheelchair accessible")
        places.append(place)
    if offer.place_modes:
        places.append(", ".join(str(mode) for mode in offer.place_modes))
    if places:
        lines.append((_("Where"), "; ".join(places)))
    # The schedule's lines (e.g. one a weekday) in one line of print.
    when = " · ".join(
        " ".join(line.split()) for line in offer.schedule.splitlines() if line.strip()
    )
    if offer.valid_until:
        until = _("Until %(date)s.") % {"date": date(offer.valid_until)}
        when = f"{when} {until}" if when else until
    if when:
        lines.append((_("When"), when))
    cost = str(offer.get_cost_display())
    if offer.cost_note:
        cost += f" – {offer.cost_note}"
    cost += ". " + (
        _("Registration required.") if offer.registration_required else _("No registration needed.")
    )
    if offer.registration_note:
        cost += f" {offer.registration_note}"
    languages = ", ".join(language.name for language in offer.languages.all())
    if languages:
        cost += f" · {_('Languages')}: {languages}"
    lines.append((_("Cost"), cost))
    contact = [offer.provider.name, offer.contact_name]
    if offer.contact_phone:
        # Isolated left to right (U+2066 … U+2069): in Arabic its digit groups keep their order.
        contact.append(f"{_('phone')} \u2066{offer.contact_phone}\u2069")
    contact += [offer.contact_email, offer.website]
    lines.append((_("Contact"), ", ".join(part for part in contact if part)))
    return lines


def written_in(offer, name):
    """The language of ``offer.<name>`` where it is not the guide's (the German text standing in
    for a missing translation), else None."""
    language = translation.get_language()
    written = offer.text_language(name, language)
    return None if written == language else written


def guide_document(guide):
    """Everything the printed guide says, for the template: plain data, translated."""
    sections = guide.sections()
    list_url = guide.list_url()
    offer_code = _("QR code of the offer's page")
    return {
        "lang": translation.get_language(),
        "title": f"{_('Guide for families')} – {guide.place}",
        "author": _("City of Oberhausen, Office for Equal Opportunities"),
        "description": _("Prevention offers for families in Oberhausen"),
        "footer": " · ".join(
            [
                _("Guide for families"),
                str(guide.place),
                _("As of %(date)s") % {"date": date(guide.date, "SHORT_DATE_FORMAT")},
            ]
        ),
        "cover": {
            "kicker": " · ".join(
                [_("City of Oberhausen"), _("Prevention chain “Kein Kind zurücklassen!”")]
            ),
            "heading": _("Guide for families"),
            "place": str(guide.place),
            "filters": [
                f"{label}: {value}" if value else str(label) for label, value in guide.filters()
            ],
            "count": f"{count(guide.total)} · {_('As of %(date)s') % {'date': date(guide.date)}}",
            "intro": _(
                "Help for families from pregnancy to the start of working life: offers of the "
                "city, of independent providers, associations, health services and schools. "
                "Each offer has a QR code that leads to its page on the internet."
            ),
            "online": _(
                "Always up to date on the internet, with times, contact persons and changes:"
            ),
            "url": list_url,
            "qr": _code(list_url, _("QR code of this selection on the internet")),
        },
        "contents": _("Contents"),
        "page": _("page"),
        # Points from an offer to the part it is described in, in the reading direction.
        "arrow": "←" if translation.get_language_bidi() else "→",
        "sections": [
            {
                "key": section.anchor,
                "title": str(section.title),
                "ages": section.ages,
                "count": f"– {count(section.total)}",
                "offers": [
                    {
                        "pk": offer.pk,
                        "url": (url := absolute(reverse("directory:detail", args=[offer.slug]))),
                        "title": offer.title,
                        "title_lang": written_in(offer, "title"),
                        "summary": offer.summary,
                        "summary_lang": written_in(offer, "summary"),
                        "lines": entry_lines(offer),
                        "qr": _code(url, offer_code),
                    }
                    for offer in section.offers
                ],
                "see_also_heading": _("Also for this age, described in an earlier section")
                if section.offers
                else _("For this age, described in an earlier section"),
                "see_also": [
                    {
                        "pk": offer.pk,
                        "title": offer.title,
                        "title_lang": written_in(offer, "title"),
                        "section": str(described_in.title),
                    }
                    for offer, described_in in section.see_also
                ],
            }
            for section in sections
        ],
    }


def typeset(document, template=None):
    """The PDF's bytes for a guide's ``document`` (``guide_document``), set by Typst."""
    template = template or TEMPLATE
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(TYPESET), str(template), str(settings.WEGWEISER_FONT_DIR)],
            input=json.dumps(document, ensure_ascii=False).encode(),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise TypesetError(f"Typst took more than {TIMEOUT_SECONDS} s") from error
    messages = done.stderr.decode(errors="replace").strip()
    if done.returncode:
        raise TypesetError(messages or f"Typst ended with status {done.returncode}")
    for message in messages.splitlines():  # e.g. a font missing: printed in another font
        logger.warning("Wegweiser: %s", message)
    return done.stdout


def render_guide(guide):
    """The PDF's bytes for a ``wegweiser.guide.Guide``."""
    return typeset(guide_document(guide))
