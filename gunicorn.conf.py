"""gunicorn settings for production (make serve uses them too); override by environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule for synchronous workers: two per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, staggered, so a slow leak never grows. Not
# too often: each new worker reads the facet index (seconds at 100 000 offers).
max_requests = 20000
max_requests_jitter = 2000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Behind a reverse proxy on the same machine: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Read the facet index as the worker starts, not in its first request (offers.facet_index).

    In a thread of its own: the worker answers signals meanwhile (a database
    that is away cannot keep it from stopping), and a request that comes
    before the index is read waits for it.
    """
    import threading

    def read():
        from django.db import connections

        from offers.facet_index import facet_state, settle_after_rebuilds

        settle_after_rebuilds()
        try:
            facet_state()
        except Exception:  # the database may be away; the first request tries again
            worker.log.exception("The facet index could not be read at start")
        finally:
            connections.close_all()

    threading.Thread(target=read, name="facet-index", daemon=True).start()
