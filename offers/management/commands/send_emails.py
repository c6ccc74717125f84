import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from offers.models import OutgoingEmail

KEEP_SENT_DAYS = 30


class Command(BaseCommand):
    help = (
        "Sends again the emails that could not be sent (mail server down) and deletes sent "
        f"emails older than {KEEP_SENT_DAYS} days. Run it every few minutes or hourly (cron, systemd timer)."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        for email in OutgoingEmail.objects.to_retry().order_by("created_at"):
            if email.send():
                sent += 1
                self.stdout.write(f"sent: {email.subject} → {', '.join(email.recipients)}")
            else:
                failed += 1
                self.stderr.write(f"failed again: {email.subject} ({email.last_error})")
        limit = timezone.now() - datetime.timedelta(days=KEEP_SENT_DAYS)
        deleted, _ = OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENT, sent_at__lt=limit
        ).delete()
        self.stdout.write(f"{sent} sent, {failed} still failing, {deleted} old sent emails deleted")
        if failed:
            raise SystemExit(1)
