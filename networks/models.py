"""Networks: working groups and alliances of providers (Netzwerke, Bündnisse, AGs)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offers.fields import EmailAddressField, HttpsURLField, LineField, TextField
from offers.models import AgePhase, District, Offer, Provider, Topic, slug_constraint


class NetworkQuerySet(models.QuerySet):
    def with_memberships(self):
        return self.prefetch_related(
            models.Prefetch("memberships", queryset=Membership.objects.select_related("provider"))
        )

    def with_related(self):
        """Everything a list of networks shows, in a fixed number of queries."""
        return self.with_memberships().prefetch_related("topics", "age_phases", "districts")


class Network(models.Model):
    name = LineField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    description = TextField(_("description"), blank=True)
    contact_name = LineField(_("contact person"), max_length=120, blank=True)
    contact_email = EmailAddressField(_("contact email"), blank=True)
    contact_phone = LineField(_("contact phone"), max_length=40, blank=True)
    website = HttpsURLField(_("website"), blank=True)
    members = models.ManyToManyField(
        Provider,
        through="Membership",
        related_name="networks",
        verbose_name=_("members"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="networks", verbose_name=_("topics")
    )
    age_phases = models.ManyToManyField(
        AgePhase, blank=True, related_name="networks", verbose_name=_("age phases")
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="networks",
        verbose_name=_("social areas"),
        help_text=_("Leave empty for citywide networks."),
    )
    offers = models.ManyToManyField(
        Offer, blank=True, related_name="networks", verbose_name=_("offers")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [slug_constraint("network")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:network_detail", kwargs={"slug": self.slug})

    @property
    def coordinating_providers(self):
        """The providers with the coordination role (uses prefetched memberships)."""
        return [
            membership.provider
            for membership in self.memberships.all()
            if membership.role == Membership.Role.COORDINATION
        ]


class MembershipRole(models.TextChoices):
    COORDINATION = "coordination", _("coordination")
    MEMBER = "member", _("member")


class Membership(models.Model):
    Role = MembershipRole

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("provider"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole, default=MembershipRole.MEMBER
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "provider"], name="membership_network_provider_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.provider} – {self.network} ({self.get_role_display()})"
