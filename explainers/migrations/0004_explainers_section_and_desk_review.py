"""The explainers section under the home page, with the "Desk review" workflow assigned to it:
an editor submits an explainer, a verifier approves it (and so publishes it).

Editors may add and change explainers but not publish them; Verifiers may also publish."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
INDEX_SLUG = "explainers"
WORKFLOW_NAME = "Desk review"
TASK_NAME = "Verifier approval"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
VERIFIER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def next_child_path(Page, parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = last.order_by("-path").values_list("path", flat=True).first()
    number = 0
    if last:
        for char in last[-STEPLEN:]:
            number = number * len(ALPHABET) + ALPHABET.index(char)
    number += 1
    step = ""
    for _ in range(STEPLEN):
        number, digit = divmod(number, len(ALPHABET))
        step = ALPHABET[digit] + step
    return parent.path + step


def content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="explainers", model=model)[0]


def create_index_page(apps):
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("explainers", "HomePage")
    ExplainerIndexPage = apps.get_model("explainers", "ExplainerIndexPage")

    existing = ExplainerIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.order_by("depth", "path").first()
    if home is None:
        return None
    index_page = ExplainerIndexPage.objects.create(
        title="Explainers",
        draft_title="Explainers",
        slug=INDEX_SLUG,
        content_type=content_type(apps, "explainerindexpage"),
        path=next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{INDEX_SLUG}/",
        locale_id=home.locale_id,
        live=True,
        intro="<p>Each explainer shows every claim's status and the quotes behind it.</p>",
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    return index_page


def grant_page_permissions(apps, page):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for group_name, codenames in (
        ("Editors", EDITOR_PAGE_PERMISSIONS),
        ("Verifiers", VERIFIER_PAGE_PERMISSIONS),
    ):
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for codename in codenames:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission
                )


def create_desk_review(apps, page):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(*Group.objects.filter(name="Verifiers"))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=page.pk, defaults={"workflow": workflow})


def forwards(apps, schema_editor):
    page = create_index_page(apps)
    if page is None:
        return
    grant_page_permissions(apps, page)
    create_desk_review(apps, page)


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("explainers", "0003_explainer_pages"),
        ("newsroom", "0002_editorial_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
