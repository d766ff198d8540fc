"""The reader's explainer page: every block renders, claims show their status and quotes,
sources are numbered, the evidence map is a real table, and imported text is escaped."""

import datetime

import pytest
from bs4 import BeautifulSoup

from explainers.blocks import PullQuoteBlock
from newsroom.desk.models import Claim, Source
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    cited_claim,
    cited_claim_block,
    claim_with_evidence,
    explainer_page,
    soup_of,
    transcript_evidence,
    verified,
)

pytestmark = pytest.mark.django_db


def test_rich_text_and_section_heading(client):
    page = explainer_page(
        body=[
            {"type": "heading", "value": "Where the talks stand"},
            {"type": "paragraph", "value": "<p>Paris and <b>Moscow</b> have spoken.</p>"},
        ]
    )
    soup = soup_of(client, page)
    heading = soup.select_one("h2.section-heading")
    assert heading.text == "Where the talks stand"
    assert heading["id"] == "section-where-the-talks-stand"
    assert soup.select_one(".prose b").text == "Moscow"


def test_claim_block_shows_status_framing_and_quotes_in_details(
    client, verified_claim, unverified_claim, author, verifier
):
    disputed = claim_with_evidence(author, stances=("supports", "disputes", "context"))
    verified(disputed, verifier, Claim.Status.DISPUTED, note="Paris denies it.")
    page = explainer_page(
        body=[
            cited_claim_block(verified_claim, framing="<p>The Kremlin was clear:</p>"),
            cited_claim_block(disputed, show_as_unverified=True),
        ]
    )
    soup = soup_of(client, page)
    first = soup.select_one(f"#claim-{verified_claim.pk}")
    assert first.select_one(".badge").text == "Verified"
    assert first.find_previous(class_="claim-framing").text.strip() == "The Kremlin was clear:"
    details = first.select_one("details.claim-evidence")
    assert "3 supporting, 0 disputing" in details.summary.text
    assert len(details.select("li.quote--supports")) == 3

    second = soup.select_one(f"#claim-{disputed.pk}")
    assert second.select_one(".badge").text == "Disputed"
    assert "Sources disagree" in second.select_one(".claim-caution").text
    assert "Paris denies it." in second.select_one(".claim-note").text
    assert len(second.select("li.quote--disputes")) == 1
    assert len(second.select("li.quote--context")) == 1


def test_quote_shows_source_title_outlet_date_link_and_transcript_timestamp(
    client, author, verifier, transcript_source
):
    claim = claim_with_evidence(author, stances=("supports",))
    transcript_evidence(claim, transcript_source)
    Source.objects.filter(pk=transcript_source.pk).update(
        published_on=datetime.date(2025, 12, 21), date_precision="day"
    )
    verified(claim, verifier)
    page = explainer_page(body=[cited_claim_block(claim)])
    soup = soup_of(client, page)
    quote = [
        li
        for li in soup.select("li.quote")
        if "Evening news" in li.select_one(".quote-source").text
    ][0]
    source_line = quote.select_one(".quote-source")
    assert quote.blockquote.text.strip() == "Putin is ready for dialogue with Macron"
    link = source_line.find("a", href=lambda href: href and href.startswith("https://"))
    assert link["href"] == "https://video.example.org/evening-21-dec#t=102"
    assert link.text == "Evening news, 21 December"
    assert transcript_source.outlet.name in source_line.text
    assert source_line.time["datetime"] == "2025-12-21"
    assert "21 December 2025" in source_line.text
    assert source_line.select_one(".timestamp").text == "01:42"


def test_key_facts_block(client, verified_claim, unverified_claim):
    page = explainer_page(
        body=[
            {
                "type": "key_facts",
                "value": {
                    "heading": "In short",
                    "facts": [cited_claim(verified_claim), cited_claim(unverified_claim, True)],
                },
            }
        ]
    )
    soup = soup_of(client, page)
    facts = soup.select_one("aside.key-facts")
    assert facts.h2.text == "In short"
    badges = [badge.text for badge in facts.select(".badge")]
    assert badges == ["Verified", "Unverified"]
    assert facts.select_one(f"#claim-{unverified_claim.pk} details") is not None


def test_timeline_block_orders_events_and_cites_claims(client, verified_claim):
    page = explainer_page(
        body=[
            {
                "type": "timeline",
                "value": {
                    "heading": "How we got here",
                    "events": [
                        {
                            "date": "2025-12-21",
                            "date_label": "",
                            "event": "The Kremlin says Putin is ready to talk.",
                            "claims": [cited_claim(verified_claim)],
                        },
                        {
                            "date": "2025-12-01",
                            "date_label": "Early December 2025",
                            "event": "Macron calls for talks.",
                            "claims": [],
                        },
                    ],
                },
            }
        ]
    )
    soup = soup_of(client, page)
    events = soup.select(".timeline .timeline-event")
    assert [event.select_one(".timeline-text").text for event in events] == [
        "Macron calls for talks.",
        "The Kremlin says Putin is ready to talk.",
    ]
    assert events[0].time.text == "Early December 2025"
    assert events[1].time.text == "21 December 2025"
    assert events[1].select_one(f"#claim-{verified_claim.pk} .badge").text == "Verified"


def test_pull_quote_block_cites_its_source(client, verified_claim):
    source = SourceFactory(title="Elysee statement", url="https://elysee.example.org/statement")
    page = explainer_page(
        body=[
            cited_claim_block(verified_claim),
            {
                "type": "pull_quote",
                "value": {
                    "source": source.pk,
                    "quote": "any talks would be held in full transparency with Kyiv",
                    "attribution": "The Elysee",
                },
            },
        ]
    )
    soup = soup_of(client, page)
    figure = soup.select_one("figure.pull-quote")
    assert "full transparency with Kyiv" in figure.blockquote.text
    assert "The Elysee, in" in figure.figcaption.text
    assert figure.figcaption.find("a", href="https://elysee.example.org/statement")
    # Three sources come from the claim's evidence first; the pull quote's source is fourth.
    assert figure.select_one(".source-ref")["href"] == "#source-4"
    assert "Elysee statement" in soup.select_one("#source-4").text


def test_pull_quote_must_be_found_in_its_source():
    from wagtail.blocks.struct_block import StructBlockValidationError

    source = SourceFactory()
    block = PullQuoteBlock()
    value = block.to_python({"source": source.pk, "quote": "Putin resigned", "attribution": ""})
    with pytest.raises(StructBlockValidationError) as refusal:
        block.clean(value)
    assert "is not in" in str(refusal.value.block_errors["quote"])
    good = block.to_python(
        {"source": source.pk, "quote": "Putin was ready for dialogue", "attribution": ""}
    )
    assert block.clean(good)["quote"] == "Putin was ready for dialogue"


def test_numbered_sources_and_evidence_map(client, author, verifier):
    shared = SourceFactory(title="Shared wire")
    first = ClaimFactory(created_by=author, statement="Claim A")
    EvidenceFactory(claim=first, source=shared, stance="supports")
    EvidenceFactory(claim=first, stance="supports")
    second = ClaimFactory(created_by=author, statement="Claim B")
    EvidenceFactory(claim=second, source=shared, stance="disputes")
    EvidenceFactory(claim=second, stance="context")
    page = explainer_page(body=[cited_claim_block(first, True), cited_claim_block(second, True)])
    soup = soup_of(client, page)

    sources = soup.select(".source-list > li")
    assert [li["id"] for li in sources] == ["source-1", "source-2", "source-3"]
    assert "Shared wire" in sources[0].text

    table = soup.select_one(".evidence-map table")
    assert [th.get("scope") for th in table.select("thead th")] == ["col"] * 4
    rows = table.select("tbody tr")
    assert [row.th.a.text for row in rows] == ["Claim A", "Claim B"]
    assert rows[0].th["scope"] == "row"
    cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
    assert cells == [["Supports", "Supports", "– no quote"], ["Disputes", "– no quote", "Context"]]


def test_a_claim_cited_twice_is_anchored_once(client, verified_claim):
    page = explainer_page(
        body=[cited_claim_block(verified_claim), cited_claim_block(verified_claim)]
    )
    soup = soup_of(client, page)
    assert len(soup.select(f"#claim-{verified_claim.pk}")) == 1
    assert len(soup.select(".claim")) == 2


def test_last_updated_and_last_verified(client, verified_claim, unverified_claim):
    page = explainer_page(
        body=[cited_claim_block(verified_claim), cited_claim_block(unverified_claim, True)]
    )
    meta = soup_of(client, page).select_one(".explainer-header .meta")
    times = meta.select("time")
    assert "Last updated" in meta.text and "Last verified" in meta.text
    assert times[0]["datetime"] == page.last_published_at.isoformat()
    assert times[1]["datetime"] == verified_claim.verified_at.isoformat()


def test_imported_text_is_escaped_everywhere(client, author):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    body = f"Intro. {hostile} The end."
    source = SourceFactory(
        title=f"Title {hostile}", original_text=body, body=body, url="https://example.org/a"
    )
    claim = ClaimFactory(created_by=author, statement=f"Statement {hostile}")
    EvidenceFactory(claim=claim, source=source, quote=hostile, stance="supports")
    EvidenceFactory(claim=claim, stance="supports").source.outlet.__class__.objects.filter(
        pk=source.outlet_id
    ).update(name=f"Outlet {hostile}")
    page = explainer_page(
        body=[cited_claim_block(claim, show_as_unverified=True)], tags=["<b>tag</b>"]
    )
    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_javascript_urls_from_imports_are_not_linked(client, author):
    source = SourceFactory(title="Odd link")
    Source.objects.filter(pk=source.pk).update(url="javascript:alert(1)")
    claim = ClaimFactory(created_by=author)
    EvidenceFactory(claim=claim, source=source)
    page = explainer_page(body=[cited_claim_block(claim, True)])
    assert "javascript:" not in client.get(page.url).content.decode()


def test_index_and_tag_pages_list_published_explainers(client, verified_claim):
    talks = explainer_page(
        title="Talks", body=[cited_claim_block(verified_claim)], tags=["Diplomacy"]
    )
    explainer_page(title="Other", body=[], tags=["Energy"])
    explainer_page(title="Draft", body=[], tags=["Diplomacy"], publish=False)

    index = talks.get_parent()
    listing = BeautifulSoup(client.get(index.url).content, "html.parser")
    titles = [a.text for a in listing.select(".explainer-teaser h2 a")]
    assert sorted(titles) == ["Other", "Talks"]
    # Each teaser's tags are inside its own list item, linked to the tag's page.
    tag_links = {
        teaser.h2.a.text: [(a.text, a["href"]) for a in teaser.select("ul.tags > li > a")]
        for teaser in listing.select("ul.explainer-list > li.explainer-teaser")
    }
    assert tag_links == {
        "Talks": [("Diplomacy", index.url + "tag/diplomacy/")],
        "Other": [("Energy", index.url + "tag/energy/")],
    }
    assert not listing.select("ul.explainer-list > :not(li)")

    tag_page = client.get(index.url + "tag/diplomacy/")
    assert tag_page.status_code == 200
    tagged = BeautifulSoup(tag_page.content, "html.parser")
    assert [a.text for a in tagged.select(".explainer-teaser h2 a")] == ["Talks"]
    assert "Explainers tagged “Diplomacy”" in tagged.h1.text
    assert client.get(index.url + "tag/no-such-tag/").status_code == 404


def test_the_home_page_lists_the_latest_explainers(client, verified_claim):
    explainer_page(title="Talks", body=[cited_claim_block(verified_claim)])
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    # Under the page's "Latest explainers" heading, so one level below it.
    assert [a.text for a in soup.select(".explainer-teaser h3 a")] == ["Talks"]
    assert soup.select_one(".explainer-teaser").find_previous("h2").text == "Latest explainers"


def test_a_claim_status_change_shows_at_once(client, verified_claim, verifier):
    page = explainer_page(body=[cited_claim_block(verified_claim)])
    assert "badge--verified" in client.get(page.url).content.decode()
    verified(verified_claim, verifier, Claim.Status.UNVERIFIED)
    html = client.get(page.url).content.decode()
    assert "badge--verified" not in html
    assert "badge--unverified" in html


@pytest.mark.parametrize(
    ("published_on", "precision", "shown", "machine"),
    [
        (datetime.date(2025, 12, 21), "day", "21 December 2025", "2025-12-21"),
        (datetime.date(2025, 12, 1), "month", "December 2025", "2025-12"),
        (datetime.date(2025, 1, 1), "year", "2025", "2025"),
    ],
)
def test_source_dates_are_no_more_precise_than_the_source(
    client, author, published_on, precision, shown, machine
):
    claim = claim_with_evidence(author, stances=("supports",))
    source = claim.evidence.get().source
    Source.objects.filter(pk=source.pk).update(published_on=published_on, date_precision=precision)
    page = explainer_page(body=[cited_claim_block(claim, show_as_unverified=True)])
    soup = soup_of(client, page)
    for place in (soup.select_one("li.quote .quote-source"), soup.select_one("#source-1")):
        assert place.time["datetime"] == machine
        assert place.time.text == shown


def test_a_claim_needing_recheck_shows_no_stale_decision_date(client, verified_claim):
    from newsroom.desk.verification import flag_for_recheck

    page = explainer_page(body=[cited_claim_block(verified_claim, show_as_unverified=True)])
    decided = soup_of(client, page).select_one(f"#claim-{verified_claim.pk} .claim-meta")
    assert decided.text.startswith("Verified on")
    assert decided.time["datetime"] == verified_claim.verified_at.isoformat()

    flag_for_recheck(verified_claim.pk, "A quote left its source.")
    card = soup_of(client, page).select_one(f"#claim-{verified_claim.pk}")
    assert card.select_one(".badge").text == "Needs re-check"
    meta = card.select_one(".claim-meta")
    assert meta.text.startswith("Needs re-check")
    assert meta.time is None
    assert verified_claim.verified_at.strftime("%-d %B %Y") not in card.text
    assert "being checked again" in card.select_one(".claim-caution").text


def test_the_article_links_its_tags_to_the_tag_pages(client, verified_claim):
    page = explainer_page(body=[cited_claim_block(verified_claim)], tags=["Russia"])
    links = soup_of(client, page).select(".explainer-header ul.tags a")
    assert [(a.text, a["href"]) for a in links] == [
        ("Russia", page.get_parent().url + "tag/russia/")
    ]
    assert client.get(links[0]["href"]).status_code == 200
