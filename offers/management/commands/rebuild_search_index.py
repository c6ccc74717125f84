import time

from django.core.management.base import BaseCommand

from offers.facet_index import record_change
from offers.search_index import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Rebuilds every offer's search context (provider and places in words) and the search "
        "vocabulary, and deletes words no offer uses any more. Run it nightly (cron, systemd "
        "timer) and after bulk imports; every edit through the site refreshes what it changes."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        offers, words = rebuild_search_index()
        record_change(None)  # searches kept in memory may have changed with any text
        self.stdout.write(
            f"{offers} offers indexed, {words} words in the vocabulary "
            f"({time.monotonic() - started:.1f} s)"
        )
