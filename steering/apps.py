from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    """The coordinators' view of the chain: coverage, parallel offers, population figures."""

    name = "steering"
    verbose_name = _("Steering")
