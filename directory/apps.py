from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Public directory")

    def ready(self):
        from directory.cache import connect_invalidation

        connect_invalidation()
