"""Editors write sources, claims and pages; Verifiers are Editors who may also verify."""

from django.db import migrations

EDITOR_PERMISSIONS = {
    ("wagtailadmin", "admin"): ["access_admin"],
    ("newsroom", "outlet"): ["add_outlet", "change_outlet", "delete_outlet", "view_outlet"],
    ("newsroom", "source"): ["add_source", "change_source", "delete_source", "view_source"],
    ("newsroom", "claim"): [
        "add_claim",
        "change_claim",
        "delete_claim",
        "view_claim",
        "publish_claim",
        "lock_claim",
    ],
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
}
VERIFIER_EXTRA_PERMISSIONS = {("newsroom", "claim"): ["verify_claim", "unlock_claim"]}


def permissions_for(apps, spec):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally made after migrations run; make them now so the groups
    # can hold them on a fresh database. The post_migrate handlers then find them made.
    for (app_label, model), codenames in spec.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {codename.replace('_', ' ')}"},
            )
            yield permission


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editor_permissions = list(permissions_for(apps, EDITOR_PERMISSIONS))
    verifier_permissions = list(permissions_for(apps, VERIFIER_EXTRA_PERMISSIONS))

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*editor_permissions)
    verifiers, _ = Group.objects.get_or_create(name="Verifiers")
    verifiers.permissions.add(*editor_permissions, *verifier_permissions)


def remove_verifiers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Verifiers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_verifiers)]
