"""What and for whom: the links of the chain, topics, target groups, languages."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from offers.ages import MAX_AGE_MONTHS, PREGNANCY_START_MONTHS
from offers.fields import LineField, TextField
from offers.models.common import slug_constraint


class AgePhase(models.Model):
    """A link of the Präventionskette, from pregnancy to the start of working life."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    min_months = models.SmallIntegerField(
        _("from (months)"),
        validators=[MinValueValidator(PREGNANCY_START_MONTHS)],
        help_text=_("Age in months at which the phase starts; negative months are the pregnancy."),
    )
    max_months = models.SmallIntegerField(
        _("up to (months)"),
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_("Last month of age that still belongs to the phase (inclusive)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("age phase")
        verbose_name_plural = _("age phases")
        ordering = ["position", "min_months"]
        constraints = [
            slug_constraint("agephase"),
            models.CheckConstraint(
                condition=Q(min_months__lte=models.F("max_months")),
                name="agephase_min_months_lte_max_months",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.min_months is not None
            and self.max_months is not None
            and self.min_months > self.max_months
        ):
            raise ValidationError(
                {"max_months": _("The end of the phase must not lie before its start.")}
            )


class Topic(models.Model):
    """A Handlungsfeld of the city's prevention conference, or a cross-cutting field."""

    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [slug_constraint("topic")]

    def __str__(self):
        return self.name


class TargetGroup(models.Model):
    name = LineField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["position", "name"]
        constraints = [slug_constraint("targetgroup")]

    def __str__(self):
        return self.name


class Language(models.Model):
    """A language an offer is held in, by its ISO 639-1 code."""

    code = models.CharField(
        _("ISO 639-1 code"),
        max_length=2,
        validators=[
            RegexValidator(r"^[a-z]{2}$", _("Enter the two lower-case letters of ISO 639-1."))
        ],
    )
    name = LineField(_("name"), max_length=60)
    native_name = LineField(
        _("native name"), max_length=60, blank=True, help_text=_("The language's name for itself.")
    )

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="language_code_unique"),
            models.CheckConstraint(
                condition=Exact(Length("code"), 2) & Exact(Lower("code"), models.F("code")),
                name="language_code_two_lowercase_letters",
            ),
        ]

    def __str__(self):
        return self.name
