"""Checks of the project as a whole: migrations, translations."""

from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

PO_FILE = Path(__file__).resolve().parent.parent / "locale/de/LC_MESSAGES/django.po"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_german_catalogue_is_complete():
    catalogue = polib.pofile(str(PO_FILE))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_compiled_german_catalogue_matches_its_source():
    """The committed .mo must hold every translation of the .po (run `make messages`)."""
    catalogue = polib.pofile(str(PO_FILE))
    with translation.override("de"):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural:
                continue
            if entry.msgctxt:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_migrations_create_the_cache_table():
    """`manage.py migrate` alone brings up a working site: the default cache needs its table."""
    from importlib import import_module

    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE django_cache")
    migration = import_module("offers.migrations.0013_cache_table")

    migration.create_cache_table(None, type("Editor", (), {"connection": connection})())

    assert "django_cache" in connection.introspection.table_names()
    cache.set("probe", "ok")
    assert cache.get("probe") == "ok"
