import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from demo.loader import generate_offers, load_demo_data
from offers.models import PartnerAccount, Provider

DEMO_USERNAME = "koordination"
DEMO_PARTNER = "partner"
DEMO_PARTNER_PROVIDER = "familienzentrum-sonnenblume"
DEMO_PASSWORD = "oberhausen-demo"


class Command(BaseCommand):
    help = (
        "Loads the fictional Oberhausen demo data set (idempotent). "
        "--offers N makes sure N generated load-test offers exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offers",
            type=int,
            default=0,
            metavar="N",
            help="Make sure N generated load-test offers exist (adds the missing ones).",
        )
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help=f"Create the logins '{DEMO_USERNAME}' and '{DEMO_PARTNER}' (only with DEBUG on).",
        )

    def handle(self, *args, offers, demo_login, verbosity, **options):
        self.verbosity = verbosity
        if offers < 0:
            raise CommandError("--offers must not be negative.")
        if demo_login and not settings.DEBUG:
            raise CommandError("The demo login is for local development only: DEBUG is off.")
        started = time.monotonic()
        stats = load_demo_data()
        self._say(
            f"Demo data: {stats.providers} providers, {stats.locations} locations, "
            f"{stats.offers} offers, {stats.networks} networks created."
        )
        if offers:
            added = generate_offers(offers, progress=self._progress)
            self._say(
                f"Generated offers: {added} added, {offers} in all "
                f"({time.monotonic() - started:.1f} s)."
            )
        if demo_login:
            self._create_demo_login()

    def _say(self, message):
        if self.verbosity > 0:
            self.stdout.write(message)

    def _progress(self, done):
        if self.verbosity > 1:
            self.stdout.write(f"  {done} generated offers")

    def _create_demo_login(self):
        User = get_user_model()
        coordinator, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "is_staff": True,
                "first_name": "Demo",
                "last_name": "Koordination",
                "email": "koordination@example.org",
            },
        )
        if created:
            coordinator.set_password(DEMO_PASSWORD)
            coordinator.save()
            coordinator.groups.add(Group.objects.get(name="Koordination"))
        partner, created = User.objects.get_or_create(
            username=DEMO_PARTNER, defaults={"email": "partner@example.org"}
        )
        if created:
            partner.set_password(DEMO_PASSWORD)
            partner.save()
            PartnerAccount.objects.create(
                user=partner, provider=Provider.objects.get(slug=DEMO_PARTNER_PROVIDER)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Coordinator login: user '{DEMO_USERNAME}', password '{DEMO_PASSWORD}' "
                f"at {settings.SITE_URL}/admin/\n"
                f"Partner login: user '{DEMO_PARTNER}', password '{DEMO_PASSWORD}' "
                f"at {settings.SITE_URL}/partner/"
            )
        )
