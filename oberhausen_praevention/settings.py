"""Settings for the Präventionsangebote Oberhausen site.

Everything that differs between a laptop and production comes from
environment variables (see README, "Configuration"). Bad values stop the
start with ImproperlyConfigured instead of falling back silently.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from oberhausen_praevention import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.get_bool("DEBUG", default=False)

# Only ever used with DEBUG on; production refuses it below.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-oberhausen-praevention"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Said in German and English: whoever runs the server reads one of them.
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: on a server, set SECRET_KEY to a long "
            "random value; on a developer machine, set DEBUG=true (`make run` does). / "
            "SECRET_KEY fehlt und DEBUG ist aus: auf einem Server SECRET_KEY auf einen langen "
            "Zufallswert setzen, auf einem Entwicklungsrechner DEBUG=true (wie `make run`)."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a secret one.")

ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is off, e.g. ALLOWED_HOSTS=praevention.oberhausen.de"
    )

INSTALLED_APPS = [
    # Before the admin: its admin classes show a translated field's languages side by side.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "import_export",
    # The data core, then what builds on it (see README, "Project layout").
    "offers",
    "networks",
    "directory",
    "contributions",
    "steering",
    "opendata",
    "wegweiser",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oberhausen_praevention.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "oberhausen_praevention.urls"
WSGI_APPLICATION = "oberhausen_praevention.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.parse_database_url(
        os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Opening a PostgreSQL connection costs more than most of our queries.
    DATABASES["default"]["CONN_MAX_AGE"] = env.get_int("CONN_MAX_AGE", 60, minimum=0)
    # A broken kept connection is replaced at the next request: the site recovers by itself.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable server must not hang a request: give up connecting after 2 s.
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.get_int("DATABASE_CONNECT_TIMEOUT", 2, minimum=1)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
# The site's languages: German first (no prefix), the others under /en/, /tr/, … Each but
# English (the msgids) has its catalogue in locale/<code>/; adding one: README, "Languages".
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts entered in the admin in several languages (offers/translation.py): a column per language
# of LANGUAGES; a text missing in the reader's language is shown in German.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed copies made by `collectstatic`, which
# WhiteNoise sends with far-future caching; tests and development use the files as they are.
STATIC_MANIFEST = env.get_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# A shared cache: the rate limit of the public forms must hold across all
# gunicorn workers and app servers, and cached counts must be dropped everywhere
# at once. Default: a table in the database (`manage.py createcachetable`);
# with several app servers Redis or Memcached (CACHE_URL).
CACHES = {"default": env.parse_cache_url(os.environ.get("CACHE_URL", "db"))}

# Anonymous visitors' pages are served from the cache until an offer changes.
PAGE_CACHE = env.get_bool("PAGE_CACHE", default=not DEBUG)
# How long a browser or a reverse proxy may keep an anonymous public page (Cache-Control max-age).
HTTP_CACHE_SECONDS = env.get_int("HTTP_CACHE_SECONDS", 60, minimum=0)

# How many reverse proxies in front of the app add to X-Forwarded-For; 0 = none.
TRUSTED_PROXY_COUNT = env.get_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
if TRUSTED_PROXY_COUNT:
    # The proxy terminates TLS and says so.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Security ----------------------------------------------------------------------------
# Production defaults; each can be relaxed by its variable (make serve runs on
# plain http://127.0.0.1 and so turns the redirect off).
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", default=[])

# Content-Security-Policy (django-csp 4): everything from our own origin, no
# inline or eval'd scripts anywhere, the admin included; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The admin's own templates carry a few style="…" attributes; no <style> blocks.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

# Brute-force protection for every login (django-axes): five wrong passwords for
# one user from one address lock that pair out for an hour, and 20 wrong
# passwords from one address, whatever the accounts, lock the address
# (oberhausen_praevention/lockout.py). The client address is read the same way
# as for the form rate limit (TRUSTED_PROXY_COUNT).
AXES_HANDLER = "oberhausen_praevention.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_CLIENT_FAILURE_LIMIT = env.get_int("AXES_CLIENT_FAILURE_LIMIT", 20, minimum=1)
if AXES_CLIENT_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        f"AXES_CLIENT_FAILURE_LIMIT={AXES_CLIENT_FAILURE_LIMIT} must not be below "
        f"AXES_FAILURE_LIMIT={AXES_FAILURE_LIMIT}: it counts the failures of all accounts together."
    )
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "contributions.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False

# Email: printed to the console in development, sent by SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other; set one.")
# A mail server that does not answer must not hold a request for long; what
# fails is kept in the outbox and sent again by `manage.py send_emails`.
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 5, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "praeventionsangebote@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who hears of new submissions and change reports; empty: every coordinator with an email.
COORDINATION_EMAILS = env.get_list("COORDINATION_EMAILS", default=[])

LOGIN_URL = "contributions:partner_login"

# The public address, for links in emails sent without a request (review requests).
# Default: the first of ALLOWED_HOSTS over https (http://127.0.0.1:8000 with DEBUG).
SITE_URL = env.get_site_url(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}",
)
# The licence of the open data (/daten/, the HSDS API and the bulk download).
DATA_LICENCE_NAME = os.environ.get(
    "DATA_LICENCE_NAME", "Datenlizenz Deutschland – Namensnennung 2.0"
).strip()
DATA_LICENCE_URL = os.environ.get("DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0").strip()
if not DATA_LICENCE_NAME:
    raise ImproperlyConfigured("DATA_LICENCE_NAME is empty: name the licence of the open data.")
if not re.fullmatch(r"https?://\S+", DATA_LICENCE_URL):
    raise ImproperlyConfigured(
        f"DATA_LICENCE_URL={DATA_LICENCE_URL!r} is not an http(s) address of the licence text."
    )
# The printed Wegweiser (wegweiser/): the most offers one PDF may hold (a Sozialraum has ~300
# at city scale); a larger selection is asked to be narrowed down.
WEGWEISER_MAX_OFFERS = env.get_int("WEGWEISER_MAX_OFFERS", 500, minimum=1)
# The folder of the DejaVu fonts the Wegweiser is set in (Debian's fonts-dejavu-core; without
# them, Typst's own serif font stands in and `manage.py check` warns).
WEGWEISER_FONT_DIR = Path(
    os.environ.get("WEGWEISER_FONT_DIR", "/usr/share/fonts/truetype/dejavu").strip()
)
if "WEGWEISER_FONT_DIR" in os.environ and not (WEGWEISER_FONT_DIR / "DejaVuSans.ttf").is_file():
    raise ImproperlyConfigured(
        f"WEGWEISER_FONT_DIR={str(WEGWEISER_FONT_DIR)!r} holds no DejaVuSans.ttf."
    )
# The map (/angebote/karte/): tiles from this server, {z}/{x}/{y} in the address, loaded only
# after the visitor clicks "Karte laden" (e.g. the city's own tile server). Empty: no map, the
# page lists the places by Stadtteil.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "").strip()
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", "© OpenStreetMap-Mitwirkende (openstreetmap.org/copyright)"
).strip()
if MAP_TILE_URL and not re.fullmatch(
    r"https?://[^/\s{}]+/\S*\{z\}\S*\{x\}\S*\{y\}\S*", MAP_TILE_URL
):
    raise ImproperlyConfigured(
        f"MAP_TILE_URL={MAP_TILE_URL!r} is not an http(s) tile address with {{z}}, {{x}} and {{y}}."
    )
# Offers are checked again this many months after their last verification.
REVIEW_INTERVAL_MONTHS = env.get_int("REVIEW_INTERVAL_MONTHS", 12, minimum=1)
# Hide offers from public pages once they are overdue by this many months (0: never).
HIDE_OVERDUE_AFTER_MONTHS = env.get_int("HIDE_OVERDUE_AFTER_MONTHS", 0, minimum=0)

# The history is the audit trail: nobody turns an offer back into an old
# version from there (that would publish without moderation).
SIMPLE_HISTORY_REVERT_DISABLED = True

# The admin's spreadsheet import (offers/spreadsheets.py): the preview runs in a
# transaction that is rolled back; importing needs the permission to add entries.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
