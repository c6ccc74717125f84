"""Creates the group "Koordination" for the city's coordinators.

Permissions are normally created after all migrations ran; they are created
here first so the group can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Koordination"
APPS = ["offers", "networks"]


def create_group(apps, schema_editor):
    for app_label in APPS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0002_vocabulary"),
        ("networks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
