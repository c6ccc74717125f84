"""The "near me" form: where a family lives, turned into a place of ``offers.geo``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from offers.geo import UnknownPlace, locate, neighbourhood_place
from offers.models import Neighbourhood


class NearForm(forms.Form):
    adresse = forms.CharField(
        label=_("Street and house number, or postal code"),
        help_text=_("For example “Marktstraße 10, 46045” or “46119”. It is not stored."),
        max_length=200,
        required=False,
    )
    stadtteil = forms.ModelChoiceField(
        label=_("or your district"),
        queryset=Neighbourhood.objects.filter(latitude__isnull=False, longitude__isnull=False),
        to_field_name="slug",
        empty_label=_("choose a district"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        neighbourhood = cleaned.get("stadtteil")
        address = cleaned.get("adresse")
        if self.errors:
            return cleaned
        try:
            if neighbourhood is not None:
                cleaned["place"] = neighbourhood_place(neighbourhood)
            elif address:
                cleaned["place"] = locate(address)
            else:
                self.add_error(
                    "adresse",
                    _("Please enter your street or postal code, or choose your district."),
                )
        except UnknownPlace as problem:
            self.add_error("stadtteil" if neighbourhood is not None else "adresse", str(problem))
        return cleaned
