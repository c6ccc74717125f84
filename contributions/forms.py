"""Public forms: partners submit offers and report changes, partner accounts edit.

Every field has a length limit, no field accepts HTML, and every rejection
is a German message next to its field.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from offers.ages import (
    age_from_choices,
    age_to_choices,
    choice_from_months,
    months_from,
    months_to,
)
from offers.models import (
    ChangeReport,
    District,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    ProviderKind,
    TargetGroup,
    Topic,
)
from offers.validators import deliverable_email, multi_line, single_line

HTML_TAG = re.compile(r"<\s*[a-zA-Z!/?]")


def no_html(value):
    if HTML_TAG.search(value or ""):
        raise ValidationError(_("Please enter plain text without HTML code."), code="html")


phone_number = RegexValidator(
    r"^[0-9 +()/\-]{3,40}$",
    _("Enter a phone number using only digits, spaces and + - / ( )."),
)


def text(max_length, required=True, widget=None, validators=(), **kwargs):
    """A text field without HTML; one line unless it is a textarea."""
    lines = multi_line if isinstance(widget, forms.Textarea) else single_line
    return forms.CharField(
        max_length=max_length,
        required=required,
        validators=[no_html, lines, *validators],
        widget=widget,
        **kwargs,
    )


def email(**kwargs):
    return forms.EmailField(max_length=254, validators=[deliverable_email], **kwargs)


def textarea(max_length, rows=4, required=False, **kwargs):
    return text(
        max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        **kwargs,
    )


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choices by primary key that refuse numbers no database column can hold."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) >= 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class Honeypot(forms.CharField):
    """A field people never see; bots fill it in."""

    def __init__(self):
        super().__init__(
            required=False,
            max_length=200,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )


class HoneypotForm(forms.Form):
    """A public form with a field only bots fill in."""

    homepage = Honeypot()

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("homepage")) if hasattr(self, "cleaned_data") else False


class OfferContentForm(forms.Form):
    """What an offer says about itself: shared by the submission and the partner form."""

    SECTIONS = [
        (_("The offer"), ["title", "summary", "description"]),
        (_("Where"), ["citywide", "outreach", "online", "districts"]),
        (_("For whom"), ["age_from", "age_to", "target_groups", "topics", "languages"]),
        (
            _("When and how"),
            [
                "schedule",
                "cost",
                "cost_note",
                "registration_required",
                "registration_note",
                "valid_from",
                "valid_until",
            ],
        ),
        (_("Contact for families"), ["contact_name", "contact_phone", "contact_email", "website"]),
    ]

    title = text(
        200, label=_("Title"), help_text=_("Short and clear, e.g. “Krabbelgruppe in Lirich”.")
    )
    summary = textarea(
        300,
        rows=3,
        required=True,
        label=_("Summary"),
        help_text=_("One or two sentences in plain language (at most 300 characters)."),
    )
    description = textarea(5000, rows=6, label=_("Description"))
    citywide = forms.BooleanField(required=False, label=_("open to families from the whole city"))
    outreach = forms.BooleanField(
        required=False, label=_("comes to the family (home visits, outreach)")
    )
    online = forms.BooleanField(required=False, label=_("online"))
    districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Social areas served"),
        help_text=_("Leave empty if the offer is open to the whole city."),
    )
    age_from = forms.ChoiceField(choices=age_from_choices, required=False, label=_("Age from"))
    age_to = forms.ChoiceField(
        choices=age_to_choices,
        required=False,
        label=_("Age up to"),
        help_text=_("Inclusive: “3 years” includes children who are three."),
    )
    target_groups = forms.ModelMultipleChoiceField(
        queryset=TargetGroup.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("For whom"),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Languages offered"),
    )
    schedule = textarea(
        1000,
        rows=3,
        label=_("When"),
        help_text=_("e.g. “Tuesdays 9–11 am, not in the school holidays”"),
    )
    cost = forms.ChoiceField(
        choices=Offer.Cost.choices,
        widget=forms.RadioSelect,
        label=_("Cost"),
        initial=Offer.Cost.FREE,
    )
    cost_note = text(200, required=False, label=_("Note on cost"))
    registration_required = forms.TypedChoiceField(
        choices=[("no", _("no")), ("yes", _("yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        label=_("Registration required?"),
    )
    registration_note = text(300, required=False, label=_("How to register"))
    valid_from = forms.DateField(
        required=False,
        label=_("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for offers that start later, e.g. a course."),
    )
    valid_until = forms.DateField(
        required=False,
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for offers that end, e.g. a course."),
    )
    contact_name = text(120, required=False, label=_("Contact person"))
    contact_phone = text(40, required=False, label=_("Phone"), validators=[phone_number])
    contact_email = email(required=False, label=_("Email"))
    website = forms.URLField(
        required=False, max_length=200, assume_scheme="https", label=_("Website")
    )

    def clean(self):
        cleaned = super().clean()
        minimum = months_from(cleaned.get("age_from", ""))
        maximum = months_to(cleaned.get("age_to", ""))
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error("age_to", _("The maximum age must not be lower than the minimum age."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and start > end:
            self.add_error("valid_until", _("The end date must not lie before the start date."))
        cleaned["min_age_months"], cleaned["max_age_months"] = minimum, maximum
        cleaned["registration_required"] = bool(cleaned.get("registration_required"))
        return cleaned

    def place_given(self, cleaned):
        return cleaned.get("citywide") or cleaned.get("outreach") or cleaned.get("online")

    @property
    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class SubmissionForm(HoneypotForm, OfferContentForm):
    SECTIONS = [
        OfferContentForm.SECTIONS[0],
        (
            _("Provider"),
            [
                "provider",
                "proposed_provider_name",
                "proposed_provider_kind",
                "proposed_provider_website",
            ],
        ),
        (
            _("Place"),
            [
                "proposed_location_name",
                "proposed_street",
                "proposed_postal_code",
                "proposed_neighbourhood",
                "citywide",
                "outreach",
                "online",
                "districts",
            ],
        ),
        *OfferContentForm.SECTIONS[2:],
        (_("About you"), ["submitter_name", "submitter_organisation", "submitter_email"]),
        (_("Consent"), ["consent"]),
    ]

    provider = forms.ModelChoiceField(
        queryset=Provider.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Provider"),
        empty_label=_("– not in the list: enter it below –"),
    )
    proposed_provider_name = text(200, required=False, label=_("New provider: name"))
    proposed_provider_kind = forms.ChoiceField(
        choices=[("", "–")] + list(ProviderKind.choices),
        required=False,
        label=_("New provider: kind"),
    )
    proposed_provider_website = forms.URLField(
        required=False,
        max_length=200,
        assume_scheme="https",
        label=_("New provider: website"),
    )
    proposed_location_name = text(
        200,
        required=False,
        label=_("Name of the place"),
        help_text=_("e.g. “Familienzentrum Sonnenblume”"),
    )
    proposed_street = text(200, required=False, label=_("Street and number"))
    proposed_postal_code = forms.CharField(
        required=False,
        max_length=5,
        label=_("Postal code"),
        validators=[RegexValidator(r"^[0-9]{5}\Z", _("Enter a postal code of five digits."))],
    )
    proposed_neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("District (Stadtteil)"),
    )
    submitter_name = text(120, label=_("Your name"))
    submitter_organisation = text(200, required=False, label=_("Your organisation"))
    submitter_email = email(
        label=_("Your email"),
        help_text=_("We send you a confirmation and tell you when the offer is published."),
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _("Please agree to publication, or we cannot publish the offer.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = format_html(
            '{} <a href="{}">{}</a>.',
            _(
                "I agree that the details of the offer are published on this site. My own name and email are not published; see the"
            ),
            reverse("privacy"),
            _("privacy notice"),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("provider") and not cleaned.get("proposed_provider_name"):
            self.add_error("provider", _("Choose the provider from the list or enter a new one."))
        address = [cleaned.get("proposed_street"), cleaned.get("proposed_postal_code")]
        if any(address) and not all(address):
            field = "proposed_street" if not address[0] else "proposed_postal_code"
            self.add_error(field, _("Please give street and postal code of the place."))
        if not any(address) and not self.place_given(cleaned):
            self.add_error(
                "proposed_street",
                _(
                    "Give the address of the place, or tick “whole city”, “comes to the family” or “online”."
                ),
            )
        return cleaned


class ChangeReportForm(HoneypotForm):
    reason = forms.ChoiceField(
        choices=ChangeReport.Reason.choices, widget=forms.RadioSelect, label=_("What is wrong?")
    )
    message = textarea(
        2000,
        rows=5,
        label=_("What should we change?"),
        help_text=_("e.g. the new phone number or the new times"),
    )
    reporter_email = email(
        required=False,
        label=_("Your email (optional)"),
        help_text=_("Only if we may ask you a question about it."),
    )


class PartnerOfferForm(OfferContentForm):
    """A partner edits an offer of their own provider."""

    SECTIONS = [
        OfferContentForm.SECTIONS[0],
        (_("Where"), ["locations", "citywide", "outreach", "online", "districts"]),
        *OfferContentForm.SECTIONS[2:],
    ]

    locations = BoundedModelMultipleChoiceField(
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Places"),
    )

    def __init__(self, *args, offer, **kwargs):
        self.offer = offer
        initial = {
            name: getattr(offer, name)
            for name in self.base_fields
            if hasattr(offer, name)
            and name not in {"districts", "topics", "target_groups", "languages", "locations"}
        }
        initial["registration_required"] = "yes" if offer.registration_required else "no"
        initial["age_from"] = choice_from_months(offer.min_age_months, upper=False)
        initial["age_to"] = choice_from_months(offer.max_age_months, upper=True)
        for relation in ("districts", "topics", "target_groups", "languages", "locations"):
            initial[relation] = list(getattr(offer, relation).all())
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["locations"].queryset = offer.provider.locations.all()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("locations") and not self.place_given(cleaned):
            self.add_error(
                "locations",
                _("Choose a place, or tick “whole city”, “comes to the family” or “online”."),
            )
        return cleaned
