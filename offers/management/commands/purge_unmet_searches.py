from django.core.management.base import BaseCommand

from offers.models import UNMET_SEARCH_KEEP_DAYS, UnmetSearch


class Command(BaseCommand):
    help = (
        f"Deletes the counts of searches without result older than {UNMET_SEARCH_KEEP_DAYS} "
        "days. Run it daily (cron, systemd timer)."
    )

    def handle(self, *args, **options):
        deleted, _ = UnmetSearch.objects.expired().delete()
        self.stdout.write(f"{deleted} counts of searches without result deleted")
