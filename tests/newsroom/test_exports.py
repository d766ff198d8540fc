"""The claims and sources listings download as CSV and XLSX (issue #17, point 4), with the
listing's current filters; editors may download, anonymous users and users outside the desk
may not; an export costs a fixed number of queries however many rows it has."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission

from tests.factories import (
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    UserFactory,
    admin_login_url,
    cited_claim_block,
    claim_url,
    claim_with_evidence,
    explainer_page,
    logged_in_client,
    snippet_url,
    verified,
)

pytestmark = pytest.mark.django_db

CLAIM_HEADINGS = [
    "Statement",
    "Status",
    "Verifier",
    "Decision date",
    "Outlets",
    "Sources",
    "Citing explainers",
]
SOURCE_HEADINGS = ["Title", "Outlet", "Kind", "Date", "URL", "Language", "Claims citing"]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response):
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def desk(editor, verifier):
    """A verified claim a live explainer cites, an unverified one nobody cites."""
    decided = claim_with_evidence(
        editor, ("supports", "supports"), statement="Putin is ready to talk."
    )
    decided = verified(decided, verifier)
    verifier.first_name, verifier.last_name = "Vera", "Fier"
    verifier.save()
    pending = claim_with_evidence(editor, ("supports",), statement="Macron will fly to Moscow.")
    explainer_page("Where the talks stand", body=[cited_claim_block(decided, True)])
    return decided, pending


def test_the_claims_list_exports_as_csv_with_its_filters(editor_client, desk):
    decided, pending = desk
    response = editor_client.get(claim_url("list") + "?status=verified&export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    rows = csv_rows(response)
    assert rows[0] == CLAIM_HEADINGS
    assert len(rows) == 2
    statement, status, verifier, decided_at, outlets, sources, citing = rows[1]
    assert (statement, status, verifier) == ("Putin is ready to talk.", "Verified", "Vera Fier")
    assert decided_at.startswith(decided.verified_at.strftime("%Y-%m-%d"))
    quoted = [row.source for row in decided.evidence.select_related("source__outlet")]
    assert outlets == "; ".join(sorted(source.outlet.name for source in quoted))
    assert sources == "; ".join(sorted(source.title for source in quoted))
    assert citing == "Where the talks stand"

    everything = csv_rows(editor_client.get(claim_url("list") + "?export=csv"))
    assert sorted(row[0] for row in everything[1:]) == [
        "Macron will fly to Moscow.",
        "Putin is ready to talk.",
    ]
    pending_row = next(row for row in everything if row[0] == pending.statement)
    assert pending_row[1:4] == ["Unverified", "", ""] and pending_row[6] == ""


def test_the_claims_list_exports_as_xlsx(editor_client, desk):
    decided, _ = desk
    response = editor_client.get(claim_url("list") + "?status=verified&export=xlsx")
    rows = xlsx_rows(response)
    assert rows[0] == CLAIM_HEADINGS
    assert rows[1][:3] == ["Putin is ready to talk.", "Verified", "Vera Fier"]
    assert isinstance(rows[1][3], datetime.datetime)
    assert rows[1][6] == "Where the talks stand"
    assert len(rows) == 2


def test_the_sources_list_exports_with_its_filters(editor_client, desk):
    reuters = OutletFactory(name="Reuters")
    wire = SourceFactory(
        title="Wire: talks",
        outlet=reuters,
        kind="wire",
        url="https://example.org/wire",
        published_on=datetime.date(2024, 12, 21),
        language="fr",
    )
    decided, pending = desk
    EvidenceFactory(claim=decided, source=wire)
    EvidenceFactory(claim=pending, source=wire)
    SourceFactory(title="Not a wire", kind="article")

    rows = csv_rows(editor_client.get(snippet_url("source", "list") + "?kind=wire&export=csv"))
    assert rows == [
        SOURCE_HEADINGS,
        [
            "Wire: talks",
            "Reuters",
            "Wire copy",
            "2024-12-21",
            "https://example.org/wire",
            "fr",
            "2",
        ],
    ]
    rows = xlsx_rows(editor_client.get(snippet_url("source", "list") + "?kind=wire&export=xlsx"))
    assert rows[0] == SOURCE_HEADINGS
    assert rows[1][:2] == ["Wire: talks", "Reuters"] and rows[1][6] == 2
    assert len(rows) == 2


@pytest.mark.parametrize("model", ["claim", "source"])
def test_anonymous_users_cannot_export(client, desk, model):
    url = snippet_url(model, "list") + "?export=csv"
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, admin_login_url(url))


@pytest.mark.parametrize("model", ["claim", "source"])
def test_users_outside_the_desk_cannot_export(desk, model):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = logged_in_client(reader).get(snippet_url(model, "list") + "?export=csv")
    assert response.status_code == 302
    assert not response.get("Content-Disposition")


def test_an_export_costs_the_same_queries_for_more_claims(
    editor_client, editor, verifier, desk, django_assert_max_num_queries
):
    url = claim_url("list") + "?export=csv"
    with django_assert_max_num_queries(14) as few:
        csv_rows(editor_client.get(url))
    for number in range(15):
        claim = claim_with_evidence(editor, ("supports", "supports"), statement=f"Claim {number}")
        explainer_page(f"Explainer {number}", body=[cited_claim_block(claim, True)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = csv_rows(editor_client.get(url))
    assert len(rows) == 18


def test_a_sources_export_costs_the_same_queries_for_more_sources(
    editor_client, editor, desk, django_assert_max_num_queries
):
    url = snippet_url("source", "list") + "?export=csv"
    with django_assert_max_num_queries(14) as few:
        csv_rows(editor_client.get(url))
    for number in range(15):
        claim_with_evidence(editor, ("supports",), statement=f"Claim {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = csv_rows(editor_client.get(url))
    assert len(rows) == 1 + 3 + 15
