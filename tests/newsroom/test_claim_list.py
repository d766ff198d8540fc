"""The claims list in the admin: its "Updated" column says when each claim last changed (its
latest revision), at no extra query per claim."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Revision

from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def revised(claim, author, *dates):
    """Save a revision of the claim for each date, as if saved then; return the last one."""
    for when in dates:
        revision = claim.save_revision(user=author)
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
    return claim


def updated_column(client):
    """{statement: the "Updated" cell's machine-readable date, or "" if empty}, as listed."""
    response = client.get(reverse("wagtailsnippets_newsroom_claim:list"))
    assert response.status_code == 200
    table = BeautifulSoup(response.content, "html.parser").select_one("table.listing")
    headings = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    column = headings.index("Updated")
    cells = {}
    for row in table.select("tbody tr"):
        statement = row.select_one("a").get_text(strip=True)
        time = row.find_all("td")[column].select_one("time")
        cells[statement] = time["datetime"] if time else ""
    return cells


def test_the_updated_column_shows_the_latest_revision_date(editor_client, editor):
    revised(
        ClaimFactory(statement="Talks were held in Minsk."),
        editor,
        datetime.datetime(2025, 1, 2, 10, 0, tzinfo=UTC),
        datetime.datetime(2025, 3, 4, 12, 30, tzinfo=UTC),
    )
    revised(
        ClaimFactory(statement="The envoys met at noon."),
        editor,
        datetime.datetime(2024, 11, 5, 8, 15, tzinfo=UTC),
    )
    ClaimFactory(statement="Never saved from the admin.")

    assert updated_column(editor_client) == {
        "Talks were held in Minsk.": "2025-03-04T12:30:00+00:00",
        "The envoys met at noon.": "2024-11-05T08:15:00+00:00",
        "Never saved from the admin.": "",
    }


def test_the_updated_column_costs_no_query_per_claim(
    editor_client, editor, django_assert_max_num_queries
):
    when = datetime.datetime(2025, 3, 4, 12, 30, tzinfo=UTC)
    revised(ClaimFactory(), editor, when)
    with django_assert_max_num_queries(40) as few:
        updated_column(editor_client)
    for _ in range(10):
        revised(ClaimFactory(), editor, when, when)
    with django_assert_max_num_queries(len(few.captured_queries)):
        cells = updated_column(editor_client)
    assert set(cells.values()) == {"2025-03-04T12:30:00+00:00"}
