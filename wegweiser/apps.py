from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WegweiserConfig(AppConfig):
    name = "wegweiser"
    verbose_name = _("Printed guide for families")

    def ready(self):
        from wegweiser import checks  # noqa: F401 (registers the font check)
