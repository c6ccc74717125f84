import time

from django.core.management.base import BaseCommand

from steering.parallel import store_similar_pairs


class Command(BaseCommand):
    help = (
        "Finds the published offers of different providers with similar titles or summaries "
        "and a topic in common, for the steering area's possible parallel offers. Run it "
        "nightly (cron, systemd timer) and after large imports."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = store_similar_pairs()
        self.stdout.write(
            f"{count} pairs of similar offers found in {time.monotonic() - started:.1f} s"
        )
