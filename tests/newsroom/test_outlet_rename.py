"""An outlet renamed in the admin keeps its old name as an alias, as a merged one does, so a
re-import that still names the old outlet finds it instead of making a second one."""

import pytest

from newsroom.desk.models import Outlet, Source
from tests.factories import import_text, snippet_url

pytestmark = pytest.mark.django_db

TEXT = "The Kremlin said Putin was ready for dialogue with Macron.\n"


def rename(client, outlet, name):
    return client.post(
        snippet_url("outlet", "edit", outlet.pk),
        {
            "name": name,
            "homepage": outlet.homepage,
            "domain": outlet.domain,
            "country": outlet.country,
            "aliases": outlet.aliases,
            "notes": outlet.notes,
        },
    )


def test_a_reimport_naming_the_old_outlet_finds_the_renamed_one(
    run_import, tmp_path, editor_client
):
    import_text(run_import, tmp_path / "first.txt", TEXT, outlet="Moscow Dailly")
    outlet = Outlet.objects.get()
    response = rename(editor_client, outlet, "Moscow Daily")
    assert (response.status_code, response["Location"]) == (302, snippet_url("outlet", "list"))
    outlet.refresh_from_db()
    assert outlet.name == "Moscow Daily" and "Moscow Dailly" in outlet.names

    import_text(run_import, tmp_path / "second.txt", TEXT + "Later.\n", outlet="Moscow Dailly")

    assert list(Outlet.objects.values_list("name", flat=True)) == ["Moscow Daily"]
    assert {source.outlet_id for source in Source.objects.all()} == {outlet.pk}


def test_saving_an_outlet_under_its_own_name_adds_no_alias(run_import, tmp_path, editor_client):
    import_text(run_import, tmp_path / "first.txt", TEXT, outlet="Moscow Daily")
    outlet = Outlet.objects.get()
    rename(editor_client, outlet, "Moscow Daily")
    outlet.refresh_from_db()
    assert outlet.aliases == ""
