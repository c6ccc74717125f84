"""Reading settings from environment variables, loudly.

Every helper raises ImproperlyConfigured with the variable's name and the
offending value, so a typo in a deployment stops the start instead of
silently running with a default.
"""

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


def get_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of "
        f"{sorted(TRUE_VALUES)} or {sorted(FALSE_VALUES)}."
    )


def get_int(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def get_site_url(name, default):
    """The public address of the site (scheme and host, no path), for links in emails."""
    raw = os.environ.get(name, "").strip().rstrip("/") or default
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", raw or ""):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not an address like https://praevention.example.org "
            "(scheme and host, no path): set it to the site's public address."
        )
    return raw


def get_list(name, default):
    """A comma-separated list; empty items are an error, not ignored."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} has an empty entry; separate values with single commas."
        )
    return items


def parse_database_url(url, base_dir):
    """Turn DATABASE_URL into a Django DATABASES entry.

    Supported: ``sqlite:///relative/or/absolute.sqlite3`` and
    ``postgres://user:password@host:port/name?option=value``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///db.sqlite3 is relative to the project, sqlite:////abs/path absolute.
        path = unquote(parts.path)
        if path.startswith("/"):
            path = path[1:]
        if not path:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} names no file; use sqlite:///db.sqlite3."
            )
        name = path if path.startswith("/") else str(Path(base_dir) / path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(
                f"DATABASE_URL={_redact(url)!r} names no database; "
                "use postgres://user:password@host:5432/name."
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_URL={_redact(url)!r} has an invalid port."
            ) from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={_redact(url)!r} has an unsupported scheme {parts.scheme!r}; "
        "use sqlite:/// or postgres://."
    )


def _redact(url):
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def parse_cache_url(url):
    """CACHE_URL: ``db`` (the database, default), ``redis://host:6379/0`` or ``memcached://host:11211``."""
    if url in ("", "db"):
        # Room for the counts and pages of many filter combinations; the default
        # of 300 entries would be culled again and again.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        location = urlsplit(url).netloc
        if not location:
            raise ImproperlyConfigured(
                f"CACHE_URL={url!r} names no server; use memcached://host:11211."
            )
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": location,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={_redact(url)!r} is not supported; use db, redis://… or memcached://…."
    )
