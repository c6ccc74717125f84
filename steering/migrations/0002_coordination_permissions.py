"""Coordinators may use the steering area and keep its figures."""

from django.db import migrations

from offers.groups import grant_coordination_permissions


def grant(apps, schema_editor):
    grant_coordination_permissions(apps, ["steering"])


class Migration(migrations.Migration):
    dependencies = [
        ("steering", "0001_initial"),
        ("offers", "0003_coordination_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
