"""Stable ids (UUIDs) for the rows the open data interface (HSDS) publishes.

Added nullable, filled with a new UUID per row, then made unique and required.
"""

import uuid

from django.db import migrations, models

MODELS = ["offer", "provider", "location"]


def fill_ids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("offers", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.uuid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uuid"], batch_size=2000)


def stable_id():
    return models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text="The id in the open data (HSDS); it never changes.",
        unique=True,
        verbose_name="stable id",
    )


class Migration(migrations.Migration):
    dependencies = [("offers", "0015_facet_changes")]

    operations = (
        [
            migrations.AddField(model_name=name, name="uuid", field=models.UUIDField(null=True))
            for name in MODELS
        ]
        + [migrations.RunPython(fill_ids, migrations.RunPython.noop)]
        + [
            migrations.AlterField(model_name=name, name="uuid", field=stable_id())
            for name in MODELS
        ]
    )
