from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oberhausen_praevention.health import healthz
from opendata.views import data_page, package_download
from wegweiser.views import map_geojson, map_page

admin.site.site_header = _("Prevention offers Oberhausen – coordination")
admin.site.site_title = _("Prevention offers Oberhausen")
admin.site.index_title = _("Curate offers, providers and networks")


def page(template, section=None):
    """A page whose text is its template (``templates/pages/``); ``section`` marks the header."""
    return TemplateView.as_view(
        template_name=f"pages/{template}.html",
        http_method_names=["get", "head"],
        extra_context={"section": section},
    )


urlpatterns = [
    path("admin/", admin.site.urls),
    # The coordinators' steering area speaks German only, like the admin.
    path("", include("steering.urls")),
    path("healthz", healthz, name="healthz"),
    # Open data for machines: one language, the standard's field names.
    path("api/hsds/", include("opendata.urls")),
    path("daten/praeventionsangebote-hsds.zip", package_download, name="data_package"),
]

# German pages without prefix, other languages under /en/ …: links stay shareable
# and no cookie is needed to remember the language.
urlpatterns += i18n_patterns(
    # Before the offers' own pages (angebote/<slug>/): "karte" is in Offer.RESERVED_SLUGS.
    path("angebote/karte/", map_page, name="map"),
    path("angebote/karte.geojson", map_geojson, name="map_geojson"),
    path("", include("directory.urls")),
    path("", include("contributions.urls")),
    path("wegweiser/", include("wegweiser.urls")),
    path("daten/", data_page, name="data"),
    path("impressum/", page("imprint"), name="imprint"),
    path("datenschutz/", page("privacy"), name="privacy"),
    path("barrierefreiheit/", page("accessibility"), name="accessibility"),
    # Leichte Sprache: easy-to-read German, its text in the templates (pages/easy_*.html).
    path("leichte-sprache/", page("easy_start", section="easy"), name="easy_start"),
    path("leichte-sprache/so-geht-es/", page("easy_help", section="easy"), name="easy_help"),
    prefix_default_language=False,
)
