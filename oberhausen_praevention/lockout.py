"""Login lockout (django-axes) per account and per client.

django-axes counts failures per (account, client): five wrong passwords for
one account from one address lock that pair. Someone who tries one password
on many accounts (password spraying) never reaches five for any of them, so
failures are also counted per client across all accounts, with a higher
limit (AXES_CLIENT_FAILURE_LIMIT). A successful login resets only its own
account's count, so one valid login does not wipe the client's record.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        per_account = super().get_failures(request, credentials)
        if self.client_failures(request) >= settings.AXES_CLIENT_FAILURE_LIMIT:
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def client_failures(self, request):
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
