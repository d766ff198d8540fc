"""The desk's choosers as an editor opens them from a form: claims with their statements in
full and their status badges; sources with outlet, date and kind, found by their outlet's
name, each linking to its reading view; and the claim chosen, carrying its status."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from newsroom.desk.models import Claim, Source
from newsroom.desk.widgets import ClaimChooser
from tests.factories import ClaimFactory, OutletFactory, SourceFactory

pytestmark = pytest.mark.django_db

LONG_STATEMENT = (
    "The Kremlin said on 21 December that President Putin is ready for dialogue with "
    "President Macron, provided that Paris sets out its position in writing beforehand."
)


def chooser_url(model, name, *args):
    return reverse(model.snippet_viewset.chooser_viewset.get_url_name(name), args=args)


def results(client, model, **query):
    """The chooser's results, as its search box and pagination fetch them."""
    response = client.get(chooser_url(model, "choose_results"), query)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def rows(soup):
    return soup.select("tbody tr")


def cells(row):
    return [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("td")]


def headers(soup):
    return [" ".join(th.get_text(" ", strip=True).split()) for th in soup.select("thead th")]


@pytest.fixture
def claims_in_every_status(editor):
    return {
        status: ClaimFactory(
            created_by=editor, statement=f"{label} claim: {LONG_STATEMENT}", status=status
        )
        for status, label in Claim.Status.choices
    }


def test_the_claim_chooser_shows_each_statement_in_full_with_its_status_badge(
    editor_client, claims_in_every_status
):
    soup = results(editor_client, Claim)
    assert headers(soup)[:3] == ["Statement", "Verification", "Publication"]
    shown = {cells(row)[0]: row for row in rows(soup)}
    assert len(shown) == len(Claim.Status.choices)
    for status, claim in claims_in_every_status.items():
        assert len(claim.statement) > 80  # longer than its string form, which is cut
        row = shown[claim.statement]
        badge = row.select_one("[data-claim-status]")
        assert badge["data-claim-status"] == status
        assert badge.get_text(strip=True) == Claim.Status(status).label
        assert not badge.has_attr("hidden")
    recheck = shown[claims_in_every_status[Claim.Status.NEEDS_RECHECK].statement]
    assert recheck.select_one("[data-claim-status]").get_text(strip=True) == "Needs re-check"


def test_the_claim_chooser_opens_with_its_search_box_and_badges(
    editor_client, claims_in_every_status
):
    response = editor_client.get(chooser_url(Claim, "choose"))
    assert response.status_code == 200
    soup = BeautifulSoup(json.loads(response.content)["html"], "html.parser")
    assert soup.select_one("input#id_q[name=q]") is not None
    labels = {badge.get_text(strip=True) for badge in soup.select("[data-claim-status]")}
    assert labels == {label for _, label in Claim.Status.choices}


def test_the_claim_chooser_searches_statements(editor_client, claims_in_every_status):
    soup = results(editor_client, Claim, q="disputed CLAIM")
    assert [cells(row)[0] for row in rows(soup)] == [
        claims_in_every_status[Claim.Status.DISPUTED].statement
    ]


def test_choosing_a_claim_tells_the_widget_its_statement_and_status(
    editor_client, claims_in_every_status
):
    claim = claims_in_every_status[Claim.Status.FALSE]
    response = editor_client.get(chooser_url(Claim, "chosen", claim.pk))
    assert response.status_code == 200
    chosen = json.loads(response.content)["result"]
    assert chosen["id"] == str(claim.pk)
    assert chosen["string"] == claim.statement
    assert (chosen["status"], chosen["status_label"]) == ("false", "False")


def test_choosing_a_claim_by_an_id_that_cannot_exist_is_a_404(editor_client):
    assert editor_client.get(chooser_url(Claim, "chosen", "0")).status_code == 404


def test_the_claim_widget_renders_its_badge_and_escapes_the_statement(editor):
    claim = ClaimFactory(
        created_by=editor,
        statement="<img src=x onerror=alert(1)> was said",
        status=Claim.Status.NEEDS_RECHECK,
    )
    html = ClaimChooser().render("claim", claim.pk, attrs={"id": "id_claim"})
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("img") is None
    assert soup.select_one("[data-chooser-title]").get_text(strip=True) == claim.statement
    badge = soup.select_one("[data-claim-status]")
    assert (badge["data-claim-status"], badge.get_text(strip=True)) == (
        "needs_recheck",
        "Needs re-check",
    )
    empty = BeautifulSoup(
        ClaimChooser().render("claim", None, attrs={"id": "id_claim"}), "html.parser"
    )
    assert empty.select_one("[data-claim-status]").has_attr("hidden")


@pytest.fixture
def sources():
    kyiv = OutletFactory(name="The Kyiv Independent", aliases="kyivindependent.com")
    return {
        "kyiv": SourceFactory(
            title="Talks resume in Geneva",
            outlet=kyiv,
            kind=Source.Kind.ARTICLE,
            published_on=datetime.date(2025, 12, 3),
            url="https://kyivindependent.com/talks",
        ),
        "kyiv_statement": SourceFactory(
            title="Ministry statement",
            outlet=kyiv,
            kind=Source.Kind.STATEMENT,
            published_on=datetime.date(2025, 1, 1),
            date_precision=Source.DatePrecision.YEAR,
            url="https://kyivindependent.com/statement",
        ),
        "other": SourceFactory(
            title="Evening news",
            outlet=OutletFactory(name="France 24"),
            kind=Source.Kind.TRANSCRIPT,
            url="https://france24.example/evening",
        ),
    }


def test_the_source_chooser_shows_outlet_date_kind_and_a_reading_link(editor_client, sources):
    soup = results(editor_client, Source)
    assert headers(soup)[:5] == ["Title", "Outlet", "Published", "Kind", "Reading view"]
    by_title = {cells(row)[0]: row for row in rows(soup)}
    row = by_title["Talks resume in Geneva"]
    title, outlet, published, kind, read = cells(row)[:5]
    assert (outlet, kind) == ("The Kyiv Independent", "Article")
    assert published == "3 December 2025"
    assert cells(by_title["Evening news"])[2:4] == ["", "Video transcript"]  # undated
    assert cells(by_title["Ministry statement"])[2] == "2025"

    link = row.select("td")[4].select_one("a")
    inspect = reverse(Source.snippet_viewset.get_url_name("inspect"), args=[sources["kyiv"].pk])
    assert link["href"] == inspect
    assert link["target"] == "_blank"
    assert "opens in a new tab" in link.get_text()
    # Choosing still works: the title links to the chosen view, as Wagtail's modal expects.
    choose = row.select("td")[0].select_one("a[data-chooser-modal-choice]")
    assert choose["href"].startswith(chooser_url(Source, "chosen", sources["kyiv"].pk))
    assert editor_client.get(inspect).status_code == 200


@pytest.mark.parametrize("query", ["kyiv", "KYIV INDEPENDENT", "kyivindependent.com"])
def test_searching_an_outlet_name_finds_its_sources(editor_client, sources, query):
    soup = results(editor_client, Source, q=query)
    assert sorted(cells(row)[0] for row in rows(soup)) == [
        "Ministry statement",
        "Talks resume in Geneva",
    ]


def test_searching_titles_still_works_and_misses_say_so(editor_client, sources):
    assert [cells(row)[0] for row in rows(results(editor_client, Source, q="evening"))] == [
        "Evening news"
    ]
    missed = results(editor_client, Source, q="nothing like this")
    assert rows(missed) == []
    assert "nothing like this" in missed.get_text()


def test_the_source_chooser_costs_the_same_queries_for_many_sources(
    editor_client, django_assert_max_num_queries
):
    outlets = [OutletFactory(name=f"Outlet {n}") for n in range(3)]
    for n in range(3):
        SourceFactory(title=f"Short list {n}", outlet=outlets[n])
    results(editor_client, Source)  # Wagtail's own first-request lookups, cached since
    with django_assert_max_num_queries(10) as few:
        assert len(rows(results(editor_client, Source))) == 3
    per_page = Source.snippet_viewset.chooser_per_page
    for n in range(per_page):
        SourceFactory(title=f"Long list {n}", outlet=outlets[n % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(results(editor_client, Source))) == per_page


def test_the_claim_chooser_costs_the_same_queries_for_many_claims(
    editor_client, editor, django_assert_max_num_queries
):
    for n in range(3):
        ClaimFactory(created_by=editor, statement=f"Short list claim {n}")
    results(editor_client, Claim)  # Wagtail's own first-request lookups, cached since
    with django_assert_max_num_queries(10) as few:
        assert len(rows(results(editor_client, Claim))) == 3
    per_page = Claim.snippet_viewset.chooser_per_page
    for n in range(per_page):
        ClaimFactory(created_by=editor, statement=f"Long list claim {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(results(editor_client, Claim))) == per_page
