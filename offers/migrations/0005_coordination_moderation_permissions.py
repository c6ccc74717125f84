"""Coordinators moderate submissions and change reports and manage partner accounts."""

from django.db import migrations

from offers.groups import grant_coordination_permissions


def grant(apps, schema_editor):
    grant_coordination_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("offers", "0004_moderation")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
