"""`manage.py audit_evidence`: clean on the demo; on a database tampered in each
invariant's way it names the fault with its admin link and exits 1, and --fix leaves it
clean without changing a quote."""

import io

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.management import call_command
from django.urls import reverse

from explainers.models import Correction, ExplainerPage, PullQuote
from newsroom.desk.models import AuditRun, Claim, Evidence, Source
from tests.factories import cited_claim_block, claim_url, explainer_page

pytestmark = pytest.mark.django_db


def audit(*args):
    """Run the command; return (exit status, what it printed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_evidence", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def assert_found_then_fixed(rule, admin_url):
    status, printed = audit()
    assert status == 1, printed
    assert f"[{rule}]" in printed
    assert admin_url in printed
    status, printed = audit("--fix")
    assert status == 0, printed
    assert "Fixed" in printed
    assert audit() == (0, "Evidence audit clean: every rule holds.\n")


@pytest.fixture
def site(verified_claim, client):
    """A live explainer citing a verified claim and pull-quoting a source, rendered once
    (so its article is cached)."""
    source = verified_claim.evidence.first().source
    pull_quote = {
        "type": "pull_quote",
        "id": "pq-1",
        "value": {"source": source.pk, "quote": "Putin was ready for dialogue", "attribution": ""},
    }
    page = explainer_page(body=[cited_claim_block(verified_claim), pull_quote])
    assert client.get(page.url).status_code == 200
    assert audit() == (0, "Evidence audit clean: every rule holds.\n")
    return page


def page_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_the_demo_database_is_clean(db):
    call_command("import_sources", verbosity=0)
    call_command("build_demo", verbosity=0)
    status, printed = audit()
    assert status == 0, printed
    run = AuditRun.objects.latest()
    assert run.findings == []


def test_a_quote_moved_off_its_words_is_found_and_its_claim_sent_to_recheck(site, verified_claim):
    evidence = verified_claim.evidence.first()
    quote = evidence.quote
    Evidence.objects.filter(pk=evidence.pk).update(
        start_offset=evidence.start_offset + 2, end_offset=evidence.end_offset + 2
    )
    assert_found_then_fixed("quote-anchored", claim_url("edit", verified_claim))
    verified_claim.refresh_from_db()
    assert verified_claim.status == Claim.Status.NEEDS_RECHECK
    assert "The evidence audit found" in verified_claim.verifications.first().note
    evidence.refresh_from_db()
    assert evidence.quote == quote


def test_a_quote_stored_inside_a_word_is_found(site, verified_claim):
    evidence = verified_claim.evidence.first()
    body = "Moscow said it was unwilling to talk. " + evidence.source.body
    Source.objects.filter(pk=evidence.source_id).update(body=body)
    start = body.index("willing to talk")
    Evidence.objects.filter(pk=evidence.pk).update(
        quote="willing to talk", start_offset=start, end_offset=start + len("willing to talk")
    )
    assert_found_then_fixed("quote-anchored", claim_url("edit", verified_claim))


def test_a_verified_claim_whose_outlets_became_one_is_found(site, verified_claim):
    first, *others = [row.source for row in verified_claim.evidence.all()]
    Source.objects.filter(pk__in=[source.pk for source in others]).update(outlet=first.outlet)
    assert_found_then_fixed("decision-holds", claim_url("edit", verified_claim))
    verified_claim.refresh_from_db()
    assert verified_claim.status == Claim.Status.NEEDS_RECHECK


def test_a_claim_decided_by_its_author_is_found(site, verified_claim):
    Claim.objects.filter(pk=verified_claim.pk).update(verified_by=verified_claim.created_by)
    assert_found_then_fixed("decision-holds", claim_url("edit", verified_claim))


def test_a_live_page_not_showing_its_live_revision_is_found_and_restored(site):
    ExplainerPage.objects.filter(pk=site.pk).update(standfirst="Tampered standfirst.")
    assert_found_then_fixed("live-revision", page_url(site))
    site.refresh_from_db()
    assert site.standfirst == "Where the talks stand, claim by claim."


def test_a_cited_claim_turned_unverified_behind_readers_backs_is_found(site, verified_claim):
    Claim.objects.filter(pk=verified_claim.pk).update(status=Claim.Status.UNVERIFIED)
    assert_found_then_fixed("citations-shown", page_url(site))
    verified_claim.refresh_from_db()
    assert verified_claim.status == Claim.Status.NEEDS_RECHECK
    assert Correction.objects.filter(page=site, claim=verified_claim).exists()


def test_a_cited_claim_unpublished_behind_readers_backs_is_found(site, verified_claim):
    Claim.objects.filter(pk=verified_claim.pk).update(live=False)
    assert_found_then_fixed("citations-shown", page_url(site))
    assert Correction.objects.filter(
        page=site, claim=verified_claim, kind=Correction.Kind.WITHDRAWN
    ).exists()


def test_a_stale_cached_page_is_found_and_forgotten(site):
    page = ExplainerPage.objects.get(pk=site.pk)
    key = make_template_fragment_key("explainer_article", [page.cache_key()])
    assert cache.get(key) is not None
    cache.set(key, "<p>An article readers should no longer see.</p>")
    assert_found_then_fixed("cache-fresh", page_url(site))
    assert cache.get(key) is None


def test_a_pull_quote_moved_off_its_words_is_found_and_taken_down(site, client):
    row = PullQuote.objects.get(page=site)
    PullQuote.objects.filter(pk=row.pk).update(start_offset=row.start_offset + 3)
    assert_found_then_fixed("pull-quote-anchored", page_url(site))
    row.refresh_from_db()
    assert row.anchor_status == PullQuote.AnchorStatus.LOST
    assert row.quote == "Putin was ready for dialogue"


def test_the_dashboard_shows_the_last_audit(site, verified_claim, admin_client):
    Claim.objects.filter(pk=verified_claim.pk).update(verified_by=verified_claim.created_by)
    audit()
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Evidence audit" in html
    assert "<strong>1 violation</strong>" in html
    assert "decided by its own author" in html
    assert claim_url("edit", verified_claim) in html
