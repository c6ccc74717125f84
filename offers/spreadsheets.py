"""Spreadsheets in and out of the admin (django-import-export): providers, places, offers.

Coordinators fill the template (CSV or XLSX) with the columns named below.
Rows are matched by ``id`` (the stable id; empty for a new row). Names stand
for related objects (a provider, a Stadtteil, topics), so a spreadsheet is
readable; several names go in one cell separated by ";". Every value is
checked as in the admin forms; a row with a problem is shown with its
messages and nothing is imported until the file has none. New offers are
drafts; each import of an offer leaves a history record with who imported it.
"""

import datetime
import decimal
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from offers.models import (
    OFFER_RELATIONS,
    District,
    Language,
    Location,
    Neighbourhood,
    Offer,
    Provider,
    TargetGroup,
    Topic,
    unique_slug,
)

SEPARATOR = ";"


def _text(value):
    return "" if value is None else str(value).strip()


class YesNoWidget(widgets.Widget):
    """ "ja"/"nein" (also x, 1, wahr, true; empty is "nein")."""

    YES = {"ja", "j", "x", "1", "1.0", "wahr", "true", "yes"}
    NO = {"", "nein", "n", "0", "0.0", "falsch", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        text = _text(value).casefold()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Enter “ja” or “nein”, not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nein"


class ChoiceWidget(widgets.Widget):
    """A choice by its label as the admin shows it ("kostenlos"), or its stored value."""

    def __init__(self, choices, default=None):
        super().__init__()
        self.choices, self.default = choices, default

    def clean(self, value, row=None, **kwargs):
        text = _text(value).casefold()
        if not text and self.default is not None:
            return self.default
        for stored, label in self.choices.choices:
            if text in (stored.casefold(), str(label).casefold()):
                return stored
        labels = ", ".join(str(label) for _stored, label in self.choices.choices)
        raise ValueError(
            _("“%(value)s” is not one of: %(labels)s.") % {"value": value, "labels": labels}
        )

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class WholeNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            number = decimal.Decimal(text.replace(",", "."))
        except decimal.InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValueError(_("Enter a whole number, not “%(value)s”.") % {"value": value})
        return int(number)


class DecimalNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return decimal.Decimal(text.replace(",", "."))
        except decimal.InvalidOperation:
            raise ValueError(_("Enter a number, not “%(value)s”.") % {"value": value}) from None


class DayWidget(widgets.Widget):
    """A date as 31.12.2026 or 2026-12-31 (or a spreadsheet's date cell)."""

    FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for format_ in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, format_).date()
            except ValueError:
                pass
        raise ValueError(_("Enter a date like 31.12.2026, not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class StableIdWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return uuid.UUID(text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not an id of ours (leave it empty for a new row).")
                % {"value": value}
            ) from None


# What stands for an object in a spreadsheet, per model: a place also as "name, street",
# as it is listed (two places may share a name).
KEYS = {
    Provider: lambda provider: [provider.name, provider.short_name],
    Location: lambda place: [place.name, str(place)],
    Neighbourhood: lambda neighbourhood: [neighbourhood.name],
    District: lambda district: [district.name],
    Topic: lambda topic: [topic.name],
    TargetGroup: lambda group: [group.name],
    Language: lambda language: [language.name, language.code],
}


class Names:
    """Every object of a model by its names, read once per import (case-insensitive)."""

    def __init__(self, model):
        self.model, self.index = model, None

    def reset(self):
        self.index = None

    def find(self, name):
        if self.index is None:
            self.index = {}
            for obj in self.model.objects.all():
                for key in {key.casefold() for key in KEYS[self.model](obj) if key}:
                    self.index.setdefault(key, []).append(obj)
        matches = self.index.get(name.casefold(), [])
        if not matches:
            raise ValueError(
                _("No %(model)s is called “%(name)s”.")
                % {"model": self.model._meta.verbose_name, "name": name}
            )
        if len(matches) > 1:
            raise ValueError(
                _("Several entries are called “%(name)s”: write it as %(examples)s.")
                % {"name": name, "examples": f" {_('or')} ".join(f"“{m}”" for m in matches[:2])}
            )
        return matches[0]


class NamedWidget(widgets.ForeignKeyWidget):
    """One related object by its name (see ``KEYS``)."""

    def __init__(self, model):
        super().__init__(model, field="pk")
        self.names = Names(model)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        return self.names.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


class NamesWidget(widgets.ManyToManyWidget):
    """Several related objects by name, separated by ";". An unknown name is an error."""

    def __init__(self, model):
        super().__init__(model, separator=SEPARATOR, field="pk")
        self.names = Names(model)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in _text(value).split(SEPARATOR) if name.strip()]
        objects, unknown = [], []
        for name in names:
            try:
                objects.append(self.names.find(name))
            except ValueError as error:
                unknown.append(str(error))
        if unknown:
            raise ValueError(" ".join(unknown))
        return objects

    def render(self, value, obj=None, **kwargs):
        return f"{SEPARATOR} ".join(str(item) for item in value.all()) if value else ""


def field(attribute, column, widget=None, **kwargs):
    return fields.Field(attribute=attribute, column_name=column, widget=widget, **kwargs)


def text(attribute, column):
    return field(attribute, column, widgets.CharWidget(allow_blank=True))


class StableIdResource(resources.ModelResource):
    """Rows matched by the stable id in the column "id"; an empty id makes a new object."""

    stable_id = field("uuid", "id", StableIdWidget())

    def get_import_id_fields(self):
        return ["stable_id"]

    def get_instance(self, instance_loader, row):
        value = StableIdWidget().clean(row.get("id"))
        return self._meta.model.objects.filter(uuid=value).first() if value else None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "uuid" and not _text(row.get("id")):
            return  # a new object keeps the id it was born with
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_import(self, dataset, **kwargs):
        for field in self.fields.values():
            if hasattr(field.widget, "names"):
                field.widget.names.reset()  # an earlier import may have added names

    def import_instance(self, instance, row, **kwargs):
        """The row's values on the instance; every value that is wrong is reported at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():  # the library checks these only when saving
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        name = getattr(instance, self.slug_from, "")
        if hasattr(instance, "slug") and not instance.slug and name:
            instance.slug = unique_slug(self._meta.model, name)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks; each message under the column it is about, as the file names it."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            columns = {f.attribute: f.column_name for f in self.get_import_fields()}
            errors = error.error_dict
            if len(errors) > 1:
                errors.pop("slug", None)  # made from the title: its message repeats the title's
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in errors.items()}
            ) from None

    class Meta:  # the resources below take these options too
        skip_unchanged = True
        clean_model_instances = True
        use_transactions = True


class ProviderResource(StableIdResource):
    slug_from = "name"
    name = text("name", "Name")
    short_name = text("short_name", "Kurzname")
    kind = field("kind", "Art", ChoiceWidget(Provider.Kind, default=Provider.Kind.OTHER))
    description = text("description", "Beschreibung")
    website = text("website", "Webseite")
    email = text("email", "E-Mail")
    phone = text("phone", "Telefon")

    class Meta:
        model = Provider
        fields = ["stable_id", "name", "short_name", "kind", "description", "website", "email",
                  "phone"]  # fmt: skip


class LocationResource(StableIdResource):
    slug_from = "name"
    provider = field("provider", "Träger", NamedWidget(Provider))
    name = text("name", "Name")
    street = text("street", "Straße und Hausnummer")
    postal_code = text("postal_code", "PLZ")
    city = text("city", "Ort")
    neighbourhood = field("neighbourhood", "Stadtteil", NamedWidget(Neighbourhood))
    latitude = field("latitude", "Breitengrad", DecimalNumberWidget())
    longitude = field("longitude", "Längengrad", DecimalNumberWidget())
    wheelchair_accessible = field("wheelchair_accessible", "Rollstuhlgerecht", YesNoWidget())
    accessibility_note = text("accessibility_note", "Hinweis zur Barrierefreiheit")

    class Meta:
        model = Location
        fields = ["stable_id", "provider", "name", "street", "postal_code", "city",
                  "neighbourhood", "latitude", "longitude", "wheelchair_accessible",
                  "accessibility_note"]  # fmt: skip


class OfferResource(StableIdResource):
    """Offers; new ones are drafts (the list's action "publish" makes them public)."""

    slug_from = "title"
    title = text("title", "Titel")
    summary = text("summary", "Kurzbeschreibung")
    description = text("description", "Beschreibung")
    provider = field("provider", "Träger", NamedWidget(Provider))
    locations = field("locations", "Orte", NamesWidget(Location))
    citywide = field("citywide", "Stadtweit", YesNoWidget())
    outreach = field("outreach", "Aufsuchend", YesNoWidget())
    online = field("online", "Online", YesNoWidget())
    districts = field("districts", "Sozialräume", NamesWidget(District))
    topics = field("topics", "Themen", NamesWidget(Topic))
    target_groups = field("target_groups", "Zielgruppen", NamesWidget(TargetGroup))
    min_age_months = field("min_age_months", "Mindestalter (Monate)", WholeNumberWidget())
    max_age_months = field("max_age_months", "Höchstalter (Monate)", WholeNumberWidget())
    cost = field("cost", "Kosten", ChoiceWidget(Offer.Cost, default=Offer.Cost.FREE))
    cost_note = text("cost_note", "Hinweis zu Kosten")
    registration_required = field("registration_required", "Anmeldung nötig", YesNoWidget())
    registration_note = text("registration_note", "Anmeldung")
    languages = field("languages", "Sprachen", NamesWidget(Language))
    schedule = text("schedule", "Zeiten")
    contact_name = text("contact_name", "Kontaktperson")
    contact_phone = text("contact_phone", "Telefon")
    contact_email = text("contact_email", "E-Mail")
    website = text("website", "Webseite")
    valid_from = field("valid_from", "Gültig ab", DayWidget())
    valid_until = field("valid_until", "Gültig bis", DayWidget())

    class Meta:
        model = Offer
        fields = ["stable_id", "title", "summary", "description", "provider", "locations",
                  "citywide", "outreach", "online", "districts", "topics", "target_groups",
                  "min_age_months", "max_age_months", "cost", "cost_note",
                  "registration_required", "registration_note", "languages", "schedule",
                  "contact_name", "contact_phone", "contact_email", "website", "valid_from",
                  "valid_until"]  # fmt: skip

    def save_instance(self, instance, is_create, row, **kwargs):
        """Saved in ``save_m2m``, with its relations, as one history record."""

    def save_m2m(self, instance, row, **kwargs):
        relations = {
            name: self.fields[name].clean(row)
            for name in OFFER_RELATIONS
            if self.fields[name].column_name in row
        }
        instance.save_with_relations(
            relations, by=kwargs.get("user"), reason=_("Imported from a spreadsheet.")
        )
