"""Checks of the project as a whole: migrations, translations."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

PROJECT = Path(__file__).resolve().parent.parent
LOCALE = PROJECT / "locale"
# Every language of the site has a catalogue but English, the language of the msgids.
CATALOGUES = [code for code, _ in settings.LANGUAGES if code != "en"]


def catalogue(code):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES/django.po"))


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_catalogue_folders_are_the_sites_languages():
    assert sorted(path.name for path in LOCALE.iterdir()) == sorted(CATALOGUES)


@pytest.mark.parametrize("code", CATALOGUES)
def test_every_catalogue_is_complete(code):
    messages = catalogue(code)

    assert messages.untranslated_entries() == []
    assert messages.fuzzy_entries() == []
    assert not messages.metadata_is_fuzzy


def messages_of(entries):
    return {(entry.msgctxt, entry.msgid) for entry in entries if not entry.obsolete}


def test_the_catalogues_hold_every_message_of_the_code_and_no_other(
    tmp_path, settings, monkeypatch
):
    """What ``make messages`` would extract now is what the catalogues translate (a label
    added to a model without refreshing them reached no catalogue, and no test noticed)."""
    shutil.copytree(LOCALE / "de", tmp_path / "de")
    settings.LOCALE_PATHS = [str(tmp_path)]  # makemessages writes to the first
    monkeypatch.chdir(PROJECT)
    call_command(
        "makemessages",
        locale=["de"],
        no_location=True,
        ignore_patterns=[".venv", "tests", "node_modules", "staticfiles"],  # as `make messages`
        verbosity=0,
    )
    extracted = messages_of(polib.pofile(str(tmp_path / "de/LC_MESSAGES/django.po")))

    for code in CATALOGUES:
        translated = messages_of(catalogue(code))
        assert extracted - translated == set(), f"{code}: not in the catalogue (make messages)"
        assert translated - extracted == set(), f"{code}: no longer in the code"


@pytest.mark.parametrize("code", CATALOGUES)
def test_every_compiled_catalogue_matches_its_source(code):
    """The committed .mo must hold every translation of the .po (run `make messages`)."""
    with translation.override(code):
        for entry in catalogue(code).translated_entries():
            if entry.msgid_plural:
                args = (entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt:
                    one = translation.npgettext(entry.msgctxt, *args)
                else:
                    one = translation.ngettext(*args)
                assert one in entry.msgstr_plural.values(), entry.msgid
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
