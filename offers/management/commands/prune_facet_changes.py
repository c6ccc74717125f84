import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from offers.facet_index import prune_changes


class Command(BaseCommand):
    help = (
        "Deletes the facet index's change log older than a day (every running process has "
        "read it long since; a new one reads the whole index). Run it nightly."
    )

    def handle(self, *args, **options):
        deleted = prune_changes(older_than=timezone.now() - datetime.timedelta(days=1))
        self.stdout.write(f"{deleted} changes deleted")
