"""The Wegweiser as a tagged A4 PDF: HTML and CSS rendered by WeasyPrint.

Everything the document shows is inside the HTML (styles, QR codes as data
URIs): WeasyPrint is allowed to fetch nothing else, so a text that names an
address can never make the server request it.
"""

import base64
import functools
import io

import segno
import weasyprint
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wegweiser.guide import absolute

# Only the data: URIs the template embeds; any other address is refused.
FETCHER = weasyprint.URLFetcher(allowed_protocols={"data"})


# An address's QR code never changes; making one takes 5 ms, a guide needs hundreds. Kept
# in the process (the shared cache would cost a query per new code).
@functools.lru_cache(maxsize=8192)
def qr_code(url):
    """A QR code of ``url`` as a PNG data URI, one pixel per module.

    The stylesheet scales it up without smoothing, so it prints sharp at any
    size; a PNG lays out much faster than the same code as SVG.
    """
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=1, border=0)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def render_guide(guide):
    """The PDF's bytes for a ``wegweiser.guide.Guide``."""
    sections = guide.sections()
    described = [offer for section in sections for offer in section.offers]
    for offer in described:
        offer.public_url = absolute(reverse("directory:detail", args=[offer.slug]))
        offer.qr_code = qr_code(offer.public_url)
    list_url = guide.list_url()
    html = render_to_string(
        "wegweiser/guide.html",
        {
            "guide": guide,
            "sections": sections,
            "list_url": list_url,
            "list_code": qr_code(list_url),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    return weasyprint.HTML(string=html, url_fetcher=FETCHER).write_pdf(pdf_tags=True)
