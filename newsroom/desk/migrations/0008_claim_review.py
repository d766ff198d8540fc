"""Claim review: a workflow on claims whose one task Verifiers approve. A change to the words
or quotes of a decided claim waits in it, and approving it is the claim's decision."""

import django.db.models.deletion
from django.db import migrations, models

WORKFLOW_NAME = "Claim review"
TASK_NAME = "Verifier approval"


def create_claim_review(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ClaimReviewTask = apps.get_model("newsroom", "ClaimReviewTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="newsroom", model="claimreviewtask")
    claim_type, _ = ContentType.objects.get_or_create(app_label="newsroom", model="claim")
    task = ClaimReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ClaimReviewTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(*Group.objects.filter(name="Verifiers"))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=claim_type, defaults={"workflow": workflow}
    )


def remove_claim_review(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("newsroom", "0007_audit_runs"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimReviewTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        help_text=(
                            "Pages/snippets at this step in a workflow will be moderated or "
                            "approved by these groups of users"
                        ),
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
            ],
            options={"verbose_name": "Claim review task"},
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(create_claim_review, remove_claim_review),
    ]
