"""One URL per page type of the public site, on the demo data set."""

from networks.models import Network
from offers.models import Offer


def page_type_urls():
    offer = Offer.objects.published().filter(locations__isnull=False, networks__isnull=False).first()
    return {
        "start": "/",
        "list": "/angebote/",
        "list-filtered": "/angebote/?alter=2&sozialraum=sterkrade-mitte&kostenlos=1",
        "list-search": "/angebote/?q=Hebamme",
        "list-errors": "/angebote/?alter=99&thema=unbekannt",
        "list-empty": "/angebote/?q=Zauberschule",
        "list-page-2": "/angebote/?page=2",
        "list-english": "/en/angebote/",
        "offer": offer.get_absolute_url(),
        "providers": "/traeger/",
        "provider": f"/traeger/{offer.provider.slug}/",
        "networks": "/netzwerke/",
        "network": Network.objects.order_by("name").first().get_absolute_url(),
        "chain": "/praeventionskette/",
        "chain-district": "/praeventionskette/?sozialraum=osterfeld",
        "imprint": "/impressum/",
        "privacy": "/datenschutz/",
        "accessibility": "/barrierefreiheit/",
        "not-found": "/angebote/gibt-es-nicht/",
    }
