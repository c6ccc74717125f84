"""Offers whose filter values may have changed, for the in-memory facet index.

Each process keeps bitmaps of which published offers every filter value
selects (``offers.facet_index``). A row here tells every process to reload
one offer; a row without an offer tells them to rebuild everything.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FacetChange(models.Model):
    """One change, written in the transaction of the change itself."""

    id = models.BigAutoField(primary_key=True)
    # Not a foreign key: the id of a deleted offer has to stay readable.
    offer_id = models.IntegerField(_("offer id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("facet change")
        verbose_name_plural = _("facet changes")
        default_permissions = ()

    def __str__(self):
        return f"{self.pk}: {self.offer_id or 'all'}"
