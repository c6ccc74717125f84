"""Ships the city's vocabulary as data (see offers/vocabulary.py)."""

from django.db import migrations

from offers.vocabulary import load_vocabulary


def load(apps, schema_editor):
    load_vocabulary(apps)


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
