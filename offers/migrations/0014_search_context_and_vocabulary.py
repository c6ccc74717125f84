"""Search over providers and places, a vocabulary for typos and compounds, and synonyms.

The generated search document gains a fourth text, the offer's provider and
places in words (``search_context``, weight C; the description moves to D).
A generated column's expression cannot be altered: it is dropped and added
again, with its GIN index. The vocabulary gets a trigram index for the
nearest-spelling search (``<->``) and for compounds (``LIKE '%…%'``).
"""

from django.db import migrations, models

import offers.fields
import offers.search
from offers.groups import grant_coordination_permissions
from offers.postgres import RunSQLOnPostgreSQL, gin_index


def grant(apps, schema_editor):
    grant_coordination_permissions(apps)


def build_index(apps, schema_editor):
    from offers.search_index import rebuild_search_index

    rebuild_search_index(apps.get_model("offers", "Offer"), apps.get_model("offers", "SearchTerm"))


class Migration(migrations.Migration):
    dependencies = [("offers", "0013_cache_table")]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=60, unique=True, verbose_name="word")),
                (
                    "spelling",
                    models.CharField(
                        help_text="As first written in an offer, for suggestions.",
                        max_length=60,
                        verbose_name="spelling",
                    ),
                ),
            ],
            options={"verbose_name": "search word", "verbose_name_plural": "search words"},
        ),
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    offers.fields.LineField(
                        help_text="Single words separated by commas, e.g. “Kita, Kindertagesstätte, Kindergarten”. A search for any of them finds offers with any of them.",
                        max_length=300,
                        verbose_name="words",
                    ),
                ),
                (
                    "note",
                    offers.fields.LineField(blank=True, max_length=200, verbose_name="note"),
                ),
            ],
            options={
                "verbose_name": "synonyms",
                "verbose_name_plural": "synonyms",
                "ordering": ["terms"],
            },
        ),
        migrations.AddField(
            model_name="offer",
            name="search_context",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Kept by the search index: the provider's names and the places' names.",
                verbose_name="provider and places in words",
            ),
        ),
        migrations.AddField(
            model_name="provider",
            name="short_name",
            field=offers.fields.LineField(
                blank=True,
                help_text="The name families know it by, e.g. “AWO” or “DRK”. The search finds it.",
                max_length=40,
                verbose_name="short name",
            ),
        ),
        migrations.RemoveField(model_name="offer", name="search_document"),
        migrations.AddField(
            model_name="offer",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=offers.search.SearchDocument(
                    "title", "summary", "search_context", "description"
                ),
                output_field=offers.search.SearchDocumentField(),
                verbose_name="search document",
            ),
        ),
        gin_index("offers_offer", "search_document", "offer_search_document_gin"),
        RunSQLOnPostgreSQL(
            sql='CREATE INDEX "searchterm_term_trgm" ON "offers_searchterm" '
            'USING gist ("term" gist_trgm_ops);',
            reverse_sql='DROP INDEX "searchterm_term_trgm";',
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(build_index, migrations.RunPython.noop),
    ]
