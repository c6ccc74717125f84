"""The database cache's table: `manage.py migrate` alone brings up a working site.

(The default cache, CACHE_URL=db, keeps rate limits, counts and pages in a
table; `createcachetable` is idempotent and does nothing for other caches.)
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("offers", "0012_unmet_searches")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
