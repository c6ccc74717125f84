"""Public forms: partners submit offers and report changes, partner accounts edit.

The offer forms are ModelForms over ``Offer`` and the submitter's fields come
from ``Submission``: the models hold the rules (lengths, no HTML, one line,
ages, dates, the place), the forms only choose the wording and widgets. Every
rejection is a German message next to its field.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance, fields_for_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from offers.ages import (
    age_from_choices,
    age_to_choices,
    choice_from_months,
    months_from,
    months_to,
)
from offers.models import ChangeReport, Offer, Submission

# Relations are chosen by their slug (languages by their code): stable in
# POST data and tests, and no database ids in the page.
CHOICE_KEYS = {
    "provider": "slug",
    "districts": "slug",
    "target_groups": "slug",
    "topics": "slug",
    "languages": "code",
    "proposed_neighbourhood": "slug",
}


def choose_by_key(model_field, **kwargs):
    if model_field.name in CHOICE_KEYS:
        kwargs["to_field_name"] = CHOICE_KEYS[model_field.name]
    return model_field.formfield(**kwargs)


def textarea(rows):
    return forms.Textarea(attrs={"rows": rows})


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgeBoundField(forms.TypedChoiceField):
    """An age bound in whole years (or the pregnancy), stored in months."""

    def __init__(self, *, upper, **kwargs):
        self.upper = upper
        super().__init__(
            choices=age_to_choices if upper else age_from_choices,
            coerce=months_to if upper else months_from,
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, int):
            return choice_from_months(value, upper=self.upper)
        return value


class YesNoField(forms.TypedChoiceField):
    """A yes/no question as two radio buttons, stored as a boolean."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[("no", _("no")), ("yes", _("yes"))],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value


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


# What an offer says about itself, in the order and groups the forms show it.
OFFER_SECTIONS = [
    (_("The offer"), ["title", "summary", "description"]),
    (_("Where"), ["citywide", "outreach", "online", "districts"]),
    (
        _("For whom"),
        ["min_age_months", "max_age_months", "target_groups", "topics", "languages"],
    ),
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


# The texts partners may also give in the site's other languages (all optional;
# coordinators translate the rest in the admin).
TRANSLATED_TEXTS = ["title", "summary", "description"]
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
TRANSLATION_FIELDS = Offer.translation_columns(TRANSLATED_TEXTS)


class OfferContentForm(forms.ModelForm):
    """What an offer says about itself: shared by the submission and the partner form.

    ``title``, ``summary``, … are the German texts, whatever the page's
    language; ``title_ar`` and the like are the translations (``translations``).
    """

    SECTIONS = OFFER_SECTIONS
    # The field the place rule's message goes to (see ``Offer.validate_place``).
    PLACE_FIELD = None

    min_age_months = AgeBoundField(upper=False, label=_("Age from"))
    max_age_months = AgeBoundField(
        upper=True,
        label=_("Age up to"),
        help_text=_("Inclusive: “3 years” includes children who are three."),
    )
    registration_required = YesNoField(label=_("Registration required?"), initial="no")

    class Meta:
        model = Offer
        fields = [
            *(name for _title, names in OFFER_SECTIONS for name in names),
            *TRANSLATION_FIELDS,
        ]
        formfield_callback = choose_by_key
        widgets = {
            "summary": textarea(rows=3),
            "description": textarea(rows=6),
            **{f"summary_{code}": textarea(rows=3) for code in OTHER_LANGUAGES},
            **{f"description_{code}": textarea(rows=6) for code in OTHER_LANGUAGES},
            "schedule": textarea(rows=3),
            "districts": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "cost": forms.RadioSelect,
            "valid_from": date_input(),
            "valid_until": date_input(),
        }

    def __init__(self, *args, **kwargs):
        # The German fields read and write the German columns on a page in any
        # language (modeltranslation maps ``offer.title`` to the active one).
        with translation.override(settings.LANGUAGE_CODE):
            super().__init__(*args, **kwargs)
        for code in OTHER_LANGUAGES:
            info = get_language_info(code)
            for name in TRANSLATED_TEXTS:
                field = self.fields[f"{name}_{code}"]
                field.label = format_lazy(
                    "{} ({})", Offer._meta.get_field(name).verbose_name, info["name_translated"]
                )
                field.help_text = ""
                field.widget.attrs.update(lang=code, dir="rtl" if info["bidi"] else "ltr")

    def _post_clean(self):
        with translation.override(settings.LANGUAGE_CODE):
            super()._post_clean()

    @property
    def translations(self):
        """Per other language: its code, its name in itself and the fields; open where the
        reader reads that language or something is already written or wrong."""
        reader = translation.get_language()
        groups = []
        for code in OTHER_LANGUAGES:
            fields = [self[f"{name}_{code}"] for name in TRANSLATED_TEXTS]
            used = any(field.value() or field.errors for field in fields)
            info = get_language_info(code)
            groups.append(
                {
                    "code": code,
                    "name": info["name_local"],
                    "dir": "rtl" if info["bidi"] else "ltr",
                    "fields": fields,
                    "open": code == reader or used,
                }
            )
        # The reader's own language first.
        return sorted(groups, key=lambda group: group["code"] != reader)

    def places(self, cleaned):
        """Where the offer takes place, as far as this form says."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        try:
            Offer.validate_place(
                locations=self.places(cleaned),
                citywide=cleaned.get("citywide"),
                outreach=cleaned.get("outreach"),
                online=cleaned.get("online"),
            )
        except ValidationError as error:
            self.add_error(self.PLACE_FIELD, error)
        return cleaned

    def relations(self):
        """The offer's many-to-many values as chosen: saved with the offer in one history record."""
        return {
            field.name: self.cleaned_data[field.name]
            for field in Offer._meta.many_to_many
            if field.name in self.cleaned_data
        }

    @property
    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


SUBMITTER_FIELDS = [
    "proposed_provider_name",
    "proposed_provider_kind",
    "proposed_provider_website",
    "proposed_location_name",
    "proposed_street",
    "proposed_postal_code",
    "proposed_neighbourhood",
    "submitter_name",
    "submitter_organisation",
    "submitter_email",
]

# The submission's own fields, as a form class the submission form inherits them from.
SubmitterFields = type(
    "SubmitterFields",
    (forms.Form,),
    fields_for_model(
        Submission,
        fields=SUBMITTER_FIELDS,
        formfield_callback=choose_by_key,
        labels={
            "proposed_provider_name": _("New provider: name"),
            "proposed_provider_kind": _("New provider: kind"),
            "proposed_provider_website": _("New provider: website"),
            "proposed_location_name": _("Name of the place"),
            "proposed_neighbourhood": _("District (Stadtteil)"),
            "submitter_name": _("Your name"),
            "submitter_organisation": _("Your organisation"),
            "submitter_email": _("Your email"),
        },
        help_texts={
            "proposed_location_name": _("e.g. “Familienzentrum Sonnenblume”"),
            "submitter_email": _(
                "We send you a confirmation and tell you when the offer is published."
            ),
        },
    ),
)


class SubmissionForm(HoneypotForm, SubmitterFields, OfferContentForm):
    """A new offer from the public form, with who sent it and the provider and place proposed.

    ``instance`` is the offer and ``submission`` the submission, both unsaved
    and validated by their models (``Offer.clean``, ``Submission.clean``).
    """

    SECTIONS = [
        OFFER_SECTIONS[0],
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
        *OFFER_SECTIONS[2:],
        (_("About you"), ["submitter_name", "submitter_organisation", "submitter_email"]),
        (_("Consent"), ["consent"]),
    ]
    PLACE_FIELD = "proposed_street"

    consent = forms.BooleanField(
        error_messages={
            "required": _("Please agree to publication, or we cannot publish the offer.")
        },
    )

    class Meta(OfferContentForm.Meta):
        fields = [*OfferContentForm.Meta.fields, "provider"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].empty_label = _("– not in the list: enter it below –")
        self.fields["consent"].label = format_html(
            '{} <a href="{}">{}</a>.',
            _(
                "I agree that the details of the offer are published on this site. My own name and email are not published; see the"
            ),
            reverse("privacy"),
            _("privacy notice"),
        )

    def places(self, cleaned):
        street = cleaned.get("proposed_street")
        return [street] if street else []

    def _post_clean(self):
        super()._post_clean()
        self.submission = construct_instance(
            self, Submission(offer=self.instance, consent_at=timezone.now()), SUBMITTER_FIELDS
        )
        checked = set(SUBMITTER_FIELDS) - set(self.errors)
        try:
            self.submission.full_clean(
                exclude=[f.name for f in Submission._meta.fields if f.name not in checked],
                validate_unique=False,
            )
        except ValidationError as error:
            self._update_errors(error)


class ChangeReportForm(HoneypotForm, forms.ModelForm):
    class Meta:
        model = ChangeReport
        fields = ["reason", "message", "reporter_email"]
        widgets = {"reason": forms.RadioSelect, "message": textarea(rows=5)}
        labels = {
            "reason": _("What is wrong?"),
            "message": _("What should we change?"),
            "reporter_email": _("Your email (optional)"),
        }
        help_texts = {
            "message": _("e.g. the new phone number or the new times"),
            "reporter_email": _("Only if we may ask you a question about it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = ChangeReport.Reason.choices  # radio buttons: no blank


class PartnerOfferForm(OfferContentForm):
    """A partner edits an offer of their own provider (``instance``); the provider stays."""

    SECTIONS = [
        OFFER_SECTIONS[0],
        (_("Where"), ["locations", "citywide", "outreach", "online", "districts"]),
        *OFFER_SECTIONS[2:],
    ]
    PLACE_FIELD = "locations"

    class Meta(OfferContentForm.Meta):
        fields = [*OfferContentForm.Meta.fields, "locations"]
        field_classes = {"locations": BoundedModelMultipleChoiceField}
        widgets = {**OfferContentForm.Meta.widgets, "locations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["locations"].queryset = instance.provider.locations.all()

    def places(self, cleaned):
        return cleaned.get("locations")
