from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = _("Prevention offers")

    def ready(self):
        from offers.facet_index import connect_facet_index
        from offers.search_index import connect_search_index

        connect_search_index()
        connect_facet_index()
