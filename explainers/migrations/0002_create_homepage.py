"""Replace Wagtail's welcome page with Newsroom's home page, the root of the site."""

from django.db import migrations

INTRO = (
    "<p>Explainers where every claim shows its status and the quotes behind it, "
    "linked to their sources.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("explainers", "HomePage")

    Page.objects.filter(slug="home", depth=2).delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="explainers")
    locale = Locale.objects.first()
    homepage = HomePage.objects.create(
        title="Newsroom",
        draft_title="Newsroom",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro=INTRO,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": homepage, "site_name": "Newsroom"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("explainers", "HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("explainers", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
