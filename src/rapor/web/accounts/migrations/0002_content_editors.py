"""The "Editor konten" group: what staff who run the Glosarium, Pusat Bantuan and Beri Saran
may do in the admin, and nothing else (no accounts, no roles). Reversing it deletes the group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editor konten"
EDIT = ("add", "change", "delete", "view")
PERMISSIONS = {
    "glossary": {"term": EDIT},
    "help": {
        "faqcategory": EDIT,
        "faqentry": EDIT,
        "guide": EDIT,
        "infographic": EDIT,
        "video": EDIT,
        "ticket": ("change", "view"),  # set the status; what was sent stays as it was
        "ticketreply": ("add", "view"),
    },
    "feedback": {"feedback": ("delete", "view")},
}


def create_group(apps, schema_editor):
    # Permissions are made after migrations run; this group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("feedback", "0001_initial"),
        ("glossary", "0002_demo_terms"),
        ("help", "0003_content"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
