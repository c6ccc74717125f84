"""One URL per page type of the public site, on the demo data set."""

from django.conf import settings

from networks.models import Network
from offers.models import Offer, ReviewRequest

# The query a page's first request makes more on PostgreSQL, where building the facet
# index also reads the lexicon of the search documents (offers.lexicon).
LEXICON = int(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


def names_offers_by_id(sql):
    """Whether a query reads offers by their ids: an IN list, or on PostgreSQL one array
    (``OfferQuerySet.among``)."""
    return '"offers_offer"."id" IN (' in sql or '"offers_offer".id = ANY(' in sql


# The map page shows its consent box only with a tile server: the sweeps set this one
# (nothing is fetched from it before a click).
MAP_TILE_URL = "https://karten.example.org/{z}/{x}/{y}.png"


def page_type_urls():
    offer = (
        Offer.objects.published().filter(locations__isnull=False, networks__isnull=False).first()
    )
    easy = Offer.objects.published().exclude(easy_text="").first()
    return {
        "start": "/",
        "list": "/angebote/",
        "list-filtered": "/angebote/?alter=2&sozialraum=sterkrade-mitte&kostenlos=1",
        "list-search": "/angebote/?q=Hebamme",
        "list-errors": "/angebote/?alter=99&thema=unbekannt",
        "list-empty": "/angebote/?q=Zauberschule",
        "list-did-you-mean": "/angebote/?q=Hebanne",
        "list-page-2": "/angebote/?page=2",
        "list-near": "/angebote/?naehe=stadtteil:lirich&thema=beratung",
        "near": "/in-meiner-naehe/?alter=2",
        "map": "/angebote/karte/?sozialraum=osterfeld",
        "offer": offer.get_absolute_url(),
        "offer-easy": f"{easy.get_absolute_url()}leichte-sprache/",
        "easy-start": "/leichte-sprache/",
        "easy-help": "/leichte-sprache/so-geht-es/",
        "providers": "/traeger/",
        "provider": f"/traeger/{offer.provider.slug}/",
        "networks": "/netzwerke/",
        "network": Network.objects.order_by("name").first().get_absolute_url(),
        "chain": "/praeventionskette/",
        "chain-district": "/praeventionskette/?sozialraum=osterfeld",
        "imprint": "/impressum/",
        "privacy": "/datenschutz/",
        "accessibility": "/barrierefreiheit/",
        "open-data": "/daten/",
        "wegweiser": "/wegweiser/",
        "wegweiser-errors": "/wegweiser/pdf/?alter=99&sozialraum=atlantis",
        "not-found": "/angebote/gibt-es-nicht/",
        "submit": "/angebot-melden/",
        "report-change": f"{offer.get_absolute_url()}aenderung-melden/",
        "partner-login": "/partner/anmelden/",
        "review": review_url(offer),
        "review-problem": "/angebot-pruefen/kein-gueltiger-link/",
    }


def in_language(urls, code):
    """``urls`` (German, without prefix) in the language ``code``: /en/…, /ar/…"""
    if code == "de":
        return dict(urls)
    return {name: f"/{code}{url}" for name, url in urls.items()}


def review_url(offer):
    """The page a review request's email links to (a request is made for it)."""
    review = ReviewRequest.objects.create(offer=offer, email="kontakt@example.org")
    return f"/angebot-pruefen/{review.token()}/"


def form_error_urls():
    """Forms sent empty, so that they show their error state."""
    offer = Offer.objects.published().first()
    return {
        "submit-errors": "/angebot-melden/",
        "report-change-errors": f"{offer.get_absolute_url()}aenderung-melden/",
        "partner-login-errors": "/partner/anmelden/",
        "near-errors": "/in-meiner-naehe/",
    }


def steering_urls():
    """The coordinators' pages (they need a coordinator's login)."""
    return {
        "steering-city": "/koordination/",
        "steering-district-languages": "/koordination/?sozialraum=osterfeld&zeilen=sprache",
        "steering-parallel": "/koordination/parallelangebote/",
        "steering-print": "/koordination/druck/?zeilen=zielgruppe",
        "steering-overdue": "/koordination/pruefung/",
    }
