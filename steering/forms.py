from django import forms
from django.utils.translation import gettext_lazy as _

from offers.models import AgePhase, District, Language, Offer, TargetGroup, Topic
from steering.coverage import DIMENSIONS


class ScopeForm(forms.Form):
    """Which matrix: the whole city or one Sozialraum; rows by topic, target group or language."""

    sozialraum = forms.ModelChoiceField(
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("whole city"),
        label=_("Social area"),
    )
    zeilen = forms.ChoiceField(
        choices=[(key, dimension.label) for key, dimension in DIMENSIONS.items()],
        required=False,
        label=_("Rows"),
    )

    def scope(self):
        """(dimension, district) as asked, falling back to the defaults for invalid input."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return DIMENSIONS[cleaned.get("zeilen") or "thema"], cleaned.get("sozialraum")


class PairFilterForm(forms.Form):
    """The cell a coordinator came from: phase, Sozialraum and a topic, target group or language."""

    phase = forms.ModelChoiceField(
        queryset=AgePhase.objects.all(), to_field_name="slug", required=False
    )
    sozialraum = forms.ModelChoiceField(
        queryset=District.objects.all(), to_field_name="slug", required=False
    )
    thema = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False
    )
    zielgruppe = forms.ModelChoiceField(
        queryset=TargetGroup.objects.all(), to_field_name="slug", required=False
    )
    sprache = forms.ModelChoiceField(
        queryset=Language.objects.all(), to_field_name="code", required=False
    )

    def matches(self, pair):
        """Whether a pair belongs to the cell asked for (invalid values are ignored)."""
        if not self.is_bound:
            return True
        self.is_valid()
        cleaned = {name: value for name, value in self.cleaned_data.items() if value}
        if "phase" in cleaned and cleaned["phase"].pk not in pair.phases:
            return False
        if "sozialraum" in cleaned and cleaned["sozialraum"].pk not in pair.districts:
            return False
        return all(
            cleaned[dimension.key].pk in pair.shared[dimension.relation]
            for dimension in DIMENSIONS.values()
            if dimension.key in cleaned
        )


class ReviewForm(forms.Form):
    first = forms.ModelChoiceField(queryset=Offer.objects.all(), widget=forms.HiddenInput)
    second = forms.ModelChoiceField(queryset=Offer.objects.all(), widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Note (optional)"),
        help_text=_("Why both offers are meant to exist side by side."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(_("Choose two different offers."))
        return cleaned
