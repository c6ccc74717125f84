"""When PostgreSQL is gone, answer quickly with a branded 503 page instead of a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)


def unavailable_response():
    # Rendered without the request: its context processors could touch the
    # session, and so the database, again.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn "cannot reach the database" into a German 503 page.

    Pages that need no database never raise and keep working. Nothing is
    remembered between requests, so the site recovers as soon as the
    database answers again (CONN_HEALTH_CHECKS replaces broken connections).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except UNAVAILABLE as error:  # raised by a later middleware
            return self._unavailable(error)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):  # raised by a view
            return self._unavailable(exception)
        return None

    def _unavailable(self, error):
        log.error("Database unavailable: %s", error)
        return unavailable_response()
