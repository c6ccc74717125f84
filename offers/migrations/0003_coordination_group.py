"""Creates the group "Koordination" for the city's coordinators."""

from django.db import migrations

from offers.groups import COORDINATION_GROUP, grant_coordination_permissions


def create_group(apps, schema_editor):
    grant_coordination_permissions(apps)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=COORDINATION_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0002_vocabulary"),
        ("networks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
