import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from offers.models import PartnerAccount, Provider


class Command(BaseCommand):
    help = "Creates a partner login that may edit the offers of one provider, and prints its password once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("provider", help="the provider's slug")

    @transaction.atomic
    def handle(self, *args, username, email, provider, **options):
        try:
            provider = Provider.objects.get(slug=provider)
        except Provider.DoesNotExist:
            raise CommandError(f"No provider with the slug {provider!r}.") from None
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user {username!r} exists already.")
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, email=email, password=password)
        PartnerAccount.objects.create(user=user, provider=provider)
        self.stdout.write(
            f"Partner account {username!r} for {provider.name}. Password (shown once): {password}\n"
            "Log in at /partner/anmelden/."
        )
