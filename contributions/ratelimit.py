"""A per-client limit on public form submissions, shared by all server processes.

Counts live in Django's cache; production uses a shared cache (the database
cache by default, Redis or Memcached when configured), so the limit holds
across several gunicorn workers and app servers.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_ip(request):
    """The client's address; behind TRUSTED_PROXY_COUNT proxies, from X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class RateLimit:
    def __init__(self, scope, limit, period_seconds):
        self.scope = scope
        self.limit = limit
        self.period = period_seconds

    def _key(self, request):
        window = int(timezone.now().timestamp()) // self.period
        return f"ratelimit:{self.scope}:{client_ip(request)}:{window}"

    def exceeded(self, request):
        return cache.get(self._key(request), 0) >= self.limit

    def count(self, request):
        """Count one submission for this client in the current window."""
        key = self._key(request)
        if not cache.add(key, 1, self.period):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, self.period)


submission_limit = RateLimit("submission", limit=5, period_seconds=3600)
change_report_limit = RateLimit("change-report", limit=5, period_seconds=3600)
