"""Trigram indexes on title and summary: similar offers (steering) are found by pg_trgm."""

from django.db import migrations

from offers.postgres import gin_index


class Migration(migrations.Migration):
    dependencies = [("offers", "0009_validators_in_the_model")]

    operations = [
        gin_index("offers_offer", "title", "offer_title_trgm", "gin_trgm_ops"),
        gin_index("offers_offer", "summary", "offer_summary_trgm", "gin_trgm_ops"),
    ]
