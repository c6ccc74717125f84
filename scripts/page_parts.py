"""The server behind scripts/bench.py's "where a page's time goes": the public pages taken apart.

Run by gunicorn (``page_parts:application``, scripts/ on the Python path) with
the page cache off, beside the real pages it serves these, each a real view
with one part left out:

- ``/bench/bytes/<slug>/``: the offer page's HTML from its first rendering,
  answered without the database: what gunicorn and Django's middleware cost
  for a page of that size.
- ``/bench/read/<slug>/`` and ``/bench/read/``: the offer page and the list
  as they are, but their template is not rendered (after a worker's first
  request, rendered whole: the list keeps its cards as it renders them).
- ``/bench/template/<slug>/`` and ``/bench/template/``: only the template,
  rendered from what the first request read.

Measurement only, never in the site: it replaces ``directory.views.render`` in
this process (gunicorn's sync workers answer one request at a time).
"""

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oberhausen_praevention.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from directory import views  # noqa: E402
from oberhausen_praevention import urls  # noqa: E402

_render = views.render
_part = threading.local()
_pages = {}
_contexts = {}
_read = set()


def _render_or_not(request, template_name, context=None, *args, **kwargs):
    if getattr(_part, "name", None) == "read":
        return HttpResponse("read, not rendered\n", content_type="text/plain")
    if getattr(_part, "name", None) == "keep":
        _contexts[request.path] = (template_name, context, args, kwargs)
    return _render(request, template_name, context, *args, **kwargs)


views.render = _render_or_not


def _as(part, view, request, *args, **kwargs):
    _part.name = part
    try:
        return view(request, *args, **kwargs)
    finally:
        _part.name = None


def bytes_only(view):
    def page(request, *args, **kwargs):
        if request.path not in _pages:
            _pages[request.path] = view(request, *args, **kwargs).content
        return HttpResponse(_pages[request.path])

    return page


def read_only(view):
    def page(request, *args, **kwargs):
        if request.path not in _read:
            _read.add(request.path)
            return view(request, *args, **kwargs)
        return _as("read", view, request, *args, **kwargs)

    return page


def template_only(view):
    def page(request, *args, **kwargs):
        if request.path not in _contexts:
            return _as("keep", view, request, *args, **kwargs)
        template_name, context, args, kwargs = _contexts[request.path]
        return _render(request, template_name, context, *args, **kwargs)

    return page


# Before the site's own addresses: the resolver reads the list at the first request.
urls.urlpatterns[:0] = [
    path("bench/bytes/<slug:slug>/", bytes_only(views.offer_detail)),
    path("bench/read/<slug:slug>/", read_only(views.offer_detail)),
    path("bench/template/<slug:slug>/", template_only(views.offer_detail)),
    path("bench/read/", read_only(views.offer_list)),
    path("bench/template/", template_only(views.offer_list)),
]
