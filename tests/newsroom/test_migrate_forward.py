"""A database made before the desk became its own app package (newsroom/desk, label still
"newsroom") migrates forward and keeps working: its tables, migration history, content
types, permissions and revisions all still belong to the desk.

The fixture is the demo database as `manage.py migrate`, `import_sources` and `build_demo`
left it at commit 8e41b80, when the desk was the `newsroom` package itself."""

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "demo_db_before_desk_app.sqlite3.gz"

# Run in the migrated database by `manage.py shell`: what an editor and a reader would
# touch first, as JSON.
PROBE = """
import json
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from newsroom.desk.models import Claim, Source
from explainers.models import ExplainerPage

claim = Claim.objects.filter(status=Claim.Status.VERIFIED).first()
page = ExplainerPage.objects.live().first()
print(json.dumps({
    "claims": Claim.objects.count(),
    "sources": Source.objects.count(),
    "claim_type": ContentType.objects.get_for_model(Claim).app_label,
    "verify_permission": Permission.objects.filter(
        content_type__app_label="newsroom", codename="verify_claim").exists(),
    "revision_is_a_claim": isinstance(claim.latest_revision.as_object(), Claim),
    "page_status": Client().get(page.url).status_code,
}))
"""


# The embedded default: no broker, no Redis cache, whatever the suite itself runs on.
SERVER_SETTINGS = ("CELERY_BROKER_URL", "CACHE_URL", "API_CACHE_URL")


def manage(database, *args):
    env = {name: value for name, value in os.environ.items() if name not in SERVER_SETTINGS}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="newsroom.settings.dev")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def old_database(tmp_path):
    database = tmp_path / "before.sqlite3"
    with gzip.open(FIXTURE) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    return database


def test_a_database_from_before_the_desk_app_migrates_forward(old_database):
    migrated = manage(old_database, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr

    plan = manage(old_database, "showmigrations", "--plan")
    assert plan.returncode == 0, plan.stderr
    assert "[ ]" not in plan.stdout
    assert "[X]  newsroom.0001_initial" in plan.stdout

    probe = manage(old_database, "shell", "-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found == {
        "claims": 12,
        "sources": 5,
        "claim_type": "newsroom",
        "verify_permission": True,
        "revision_is_a_claim": True,
        "page_status": 200,
    }
