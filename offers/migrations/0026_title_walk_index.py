"""An index to walk the offers by title reading nothing else (PostgreSQL only).

A broad search's best candidates are the first offers by title with every word in their
title or summary (``offers.relevance``): the walk checks ``search_head`` and whether the
offer is public in the index itself, without reading the rows (an index-only scan).
"""

from django.db import migrations

from offers.postgres import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0025_search_head"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            sql=(
                'CREATE INDEX "offer_title_walk_idx" ON "offers_offer" ("title", "id") '
                'INCLUDE ("search_head", "status", "valid_until");'
            ),
            reverse_sql='DROP INDEX "offer_title_walk_idx";',
        ),
    ]
