"""The group "Koordination" for the city's coordinators, kept up to date by migrations."""

from django.contrib.auth.management import create_permissions

COORDINATION_GROUP = "Koordination"
COORDINATED_APPS = ["offers", "networks"]


def grant_coordination_permissions(apps, app_labels=COORDINATED_APPS):
    """Give the group every permission of the apps named (creating both if needed).

    Feature apps with models of their own (steering) call this from a migration
    with their label.

    Permissions are normally created after all migrations ran; they are
    created here first so the group gets them on a fresh database too.
    """
    for app_label in app_labels:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)
    # The history is the audit trail: coordinators read it but cannot rewrite it.
    permissions = Permission.objects.filter(content_type__app_label__in=app_labels)
    for action in ("add", "change", "delete"):
        permissions = permissions.exclude(codename__startswith=f"{action}_historical")
    group.permissions.add(*permissions)
