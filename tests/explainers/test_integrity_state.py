"""The integrity rules hold after any sequence of desk operations: a Hypothesis state machine
imports, re-imports, captures web pages and re-captures them, reverts, edits, merges and
renames, adds evidence, verifies, publishes by every path, rewords claims (a decided one
through Claim review, approved or sent back), merges claims, withdraws and deletes, and after
every step the evidence audit finds nothing.

Each operation goes the way an editor's does: through the admin, the import command or the
services they call. Readers visit the live explainers after each step, so the audit also
compares their cached pages with a fresh render. A failure found here becomes a plain
regression test. HYPOTHESIS_STATE_EXAMPLES (default 5) sets how many sequences run; the
PostgreSQL pass runs more."""

import contextlib
import os
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from explainers.models import ExplainerPage
from newsroom.desk.audit import all_findings
from newsroom.desk.importing.importer import SourceImporter
from newsroom.desk.importing.runs import run_import
from newsroom.desk.models import Claim, ImportRun, Outlet, Source
from newsroom.desk.verification import VerificationError, verify_claim
from tests.explainers.test_publish_guard import edit_form_data, post_edit
from tests.explainers.test_publish_guard_paths import bulk_publish
from tests.explainers.test_workflow import approve, submit
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    UserFactory,
    explainer_index,
    logged_in_client,
    messages_of,
    snippet_url,
    source_form_data,
)
from tests.newsroom.test_verification_edits import edit_data
from tests.web_pages import NewsSite, news_page, serve

pytestmark = pytest.mark.django_db

SENTENCES = [
    "The Kremlin said Putin was ready for dialogue with Macron",
    "The Elysee said any talks would be held in full transparency with Kyiv",
    "Peskov said the two leaders had not spoken since 2022",
    "Diplomats in Paris described the contacts as preliminary",
    "Zelensky said Ukraine must be at the table for any settlement",
    "The foreign ministry in Moscow welcomed the French signal",
]
# What a re-import may do to a sentence: reword it, negate it, or push it further down.
EDITS = ["drop", "negate", "prepend", "unchanged"]
OUTLETS = ["Le Monde", "TASS", "The Kyiv Independent", "Reuters"]
PATHS = ["form", "approval", "bulk", "schedule"]


def assert_redirected(response, target):
    assert (response.status_code, response.get("Location")) == (302, target)


def cited_in_latest_revision(claim):
    """(source id, quote) of each row of evidence of the claim's latest revision."""
    latest = Claim.objects.get(pk=claim.pk).get_latest_revision_as_object()
    return sorted((row.source_id, row.quote) for row in latest.evidence.all())


def page_revisions():
    """How many revisions each explainer has: a refused merge adds none."""
    return {page.pk: page.revisions.count() for page in ExplainerPage.objects.order_by("pk")}


def errors_flashed(response):
    """The error messages the response leaves for the next page; the rules that look at them
    post from a fresh session, where no earlier message is waiting."""
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level_tag == "error"
    ]


class DeskMachine(RuleBasedStateMachine):
    """One newsroom's desk, from empty: sources, outlets, claims and explainers."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        cache.clear()
        self.editor = UserFactory(username="sm-editor", groups=["Editors"])
        self.verifier = UserFactory(username="sm-verifier", groups=["Verifiers"])
        self.chief = UserFactory(username="sm-chief", is_staff=True, is_superuser=True)
        self.editor_client = logged_in_client(self.editor)
        self.verifier_client = logged_in_client(self.verifier)
        self.chief_client = logged_in_client(self.chief)
        self.reader = Client()
        self.files = {}
        self.pages = 0
        # Web pages, served by a local server the fetcher may reach (loopback only).
        self.site = NewsSite()
        self.server, self.site.url = serve(self.site)
        self.web_pages = {}
        self.fetch_settings = override_settings(NEWSROOM_FETCH_ALLOWED_NETWORKS=["127.0.0.0/8"])
        self.fetch_settings.enable()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        cache.clear()
        self.fetch_settings.disable()
        self.server.shutdown()
        self.server.server_close()

    @initialize(outlets=st.permutations(OUTLETS), sentences=st.permutations(SENTENCES))
    def a_desk_at_work(self, outlets, sentences):
        """Three sources from three outlets, two claims on them (one verified), and a live
        explainer citing both, so that every operation has something to act on."""
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="desk-")
        for number, outlet in enumerate(outlets[:3]):
            chosen = sentences[number : number + 4]
            self.import_source(outlet, chosen)
        sources = list(Source.objects.order_by("pk"))
        claims = [self.claim_citing(sentence, sources) for sentence in sentences[2:4]]
        verify_claim(
            claims[0], self.verifier, Claim.Status.VERIFIED, "Checked.", single_source=True
        )
        self.new_explainer()
        publish(self, "form", ExplainerPage.objects.get(), claims, labelled=claims[1:])

    # Sources.

    def write_and_import(self, name, text, outlet):
        path = os.path.join(self.folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        manifest = os.path.join(self.folder, "sources.toml")
        with open(manifest, "a", encoding="utf-8") as handle:
            handle.write(f'\n[files."{name}"]\noutlet = "{outlet}"\n')
        self.files[name] = text
        SourceImporter().run([path])

    @rule(
        outlet=st.sampled_from(OUTLETS),
        chosen=st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=4, unique=True),
    )
    def import_source(self, outlet, chosen):
        name = f"story-{len(self.files)}.txt"
        text = f"Story {len(self.files)} on the talks\n\n" + "\n\n".join(
            f"{sentence}." for sentence in chosen
        )
        self.write_and_import(name, text, outlet)

    @rule(
        outlet=st.sampled_from(OUTLETS),
        chosen=st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=4, unique=True),
    )
    def add_source_in_the_admin(self, outlet, chosen):
        """An editor pastes a page into Add source, previews it, then saves: the importer
        writes it, setting its reader prompt aside."""
        text = (
            "Pasted story on the talks\n\n"
            + "\n\n".join(f"{sentence}." for sentence in chosen)
            + "\n\nShare your viewpoint and stay with us for ongoing coverage."
        )
        target = Outlet.objects.matching(outlet)
        fields = {"original_text": text, "outlet": target.pk if target else "", "kind": ""}
        url = snippet_url("source", "add")
        previewed = self.editor_client.post(url, {**fields, "preview": "1"})
        assert previewed.context["preview"] is not None, previewed.context["form"].errors
        known = set(Source.objects.values_list("pk", flat=True))
        text_hash = previewed.context["form"].text_hash
        response = self.editor_client.post(url, {**fields, "previewed": text_hash})
        source = Source.objects.exclude(pk__in=known).get()
        assert_redirected(response, snippet_url("source", "inspect", source.pk))
        assert source.set_aside and source.imported_at and source.outlet == target

    @rule(data=st.data(), edit=st.sampled_from(EDITS))
    def reimport_changed(self, data, edit):
        if not self.files:
            return
        name = data.draw(st.sampled_from(sorted(self.files)))
        text = self.files[name]
        sentence = data.draw(st.sampled_from(SENTENCES))
        if edit == "drop":
            text = text.replace(f"{sentence}.", "Nothing more was said.")
        elif edit == "negate":
            text = text.replace(" said ", " denied that ", 1)
        elif edit == "prepend":
            text = text.replace("\n\n", "\n\nA paragraph added on re-import.\n\n", 1)
        path = os.path.join(self.folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.files[name] = text
        SourceImporter().run([path])

    def serve_page(self, path, outlet, sentences):
        self.web_pages[path] = (outlet, sentences)
        title = f"Web story {path.rsplit('-', 1)[-1]} on the talks"
        self.site.page(path, news_page(title, [f"{sentence}." for sentence in sentences], outlet))

    @rule(
        outlet=st.sampled_from(OUTLETS),
        chosen=st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=4, unique=True),
    )
    def capture_page(self, outlet, chosen):
        """A web page imported by its URL: fetched, its copy kept, its outlet its site's."""
        path = f"/news/story-{len(self.web_pages)}"
        self.serve_page(path, outlet, chosen)
        SourceImporter(user=self.editor).run(urls=[f"{self.site.url}{path}"])

    @rule(data=st.data(), edit=st.sampled_from(EDITS))
    def recapture_changed(self, data, edit):
        """The page changed (a sentence dropped or negated, a paragraph added), and an
        editor presses Re-capture; the worker runs the import it queued."""
        if not self.web_pages:
            return
        path = data.draw(st.sampled_from(sorted(self.web_pages)))
        outlet, sentences = self.web_pages[path]
        if edit == "drop" and len(sentences) > 1:
            sentences = sentences[1:]
        elif edit == "negate":
            sentences = [sentences[0].replace(" said ", " denied that ", 1), *sentences[1:]]
        elif edit == "prepend":
            sentences = ["A paragraph added since the first capture", *sentences]
        self.serve_page(path, outlet, sentences)
        source = Source.objects.filter(url=f"{self.site.url}{path}").first()
        if source is None:  # deleted since
            return
        response = self.editor_client.post(snippet_url("source", "recapture", source.pk))
        run = ImportRun.objects.order_by("-pk").first()
        assert_redirected(response, snippet_url("source", "import_run", run.pk))
        run_import(run.pk)
        assert run.items.get().outcome in ("updated", "unchanged")

    def a_source(self, data):
        sources = list(Source.objects.order_by("pk"))
        return data.draw(st.sampled_from(sources)) if sources else None

    @rule(data=st.data())
    def revert_source(self, data):
        source = self.a_source(data)
        if source is None or source.revisions.count() < 2:
            return
        first = source.revisions.order_by("pk").first()
        url = snippet_url("source", "revisions_revert", source.pk, first.pk)
        response = self.chief_client.post(url, source_form_data(source))
        assert_redirected(response, snippet_url("source", "list"))

    @rule(data=st.data(), outlet=st.sampled_from(OUTLETS))
    def change_source_outlet(self, data, outlet):
        source = self.a_source(data)
        target = Outlet.objects.matching(outlet)
        if source is None or target is None:
            return
        url = snippet_url("source", "edit", source.pk)
        response = self.editor_client.post(url, source_form_data(source, outlet=target.pk))
        assert_redirected(response, snippet_url("source", "list"))
        assert Source.objects.get(pk=source.pk).outlet == target

    @rule(data=st.data())
    def delete_source(self, data):
        source = self.a_source(data)
        if source is None:
            return
        chief = logged_in_client(self.chief)
        response = chief.post(snippet_url("source", "delete", source.pk))
        # Refused while claims quote it (back to the source), else deleted (to the list).
        if Source.objects.filter(pk=source.pk).exists():
            assert_redirected(response, snippet_url("source", "edit", source.pk))
            assert errors_flashed(response)
        else:
            assert_redirected(response, snippet_url("source", "list"))

    # Outlets.

    @rule(data=st.data())
    def merge_outlets(self, data):
        outlets = list(Outlet.objects.order_by("pk"))
        if len(outlets) < 2:
            return
        merged, target = data.draw(
            st.lists(st.sampled_from(outlets), min_size=2, max_size=2, unique=True)
        )
        url = snippet_url("outlet", "merge", merged.pk)
        response = self.editor_client.post(url, {"target": target.pk})
        assert_redirected(response, snippet_url("outlet", "edit", target.pk))
        assert not Outlet.objects.filter(pk=merged.pk).exists()

    @rule(data=st.data())
    def rename_outlet(self, data):
        outlets = list(Outlet.objects.order_by("pk"))
        if not outlets:
            return
        outlet = data.draw(st.sampled_from(outlets))
        url = snippet_url("outlet", "edit", outlet.pk)
        fields = {"name": f"{outlet.name} (renamed)", "homepage": "", "domain": outlet.domain}
        fields.update(country=outlet.country, aliases=outlet.aliases, notes=outlet.notes)
        taken_by = Outlet.objects.matching(fields["name"], exclude=outlet)
        response = self.editor_client.post(url, fields)
        if taken_by:
            # One publisher is one outlet: a name another outlet has is refused on the form.
            assert response.status_code == 200
            assert f"is already a name of the outlet “{taken_by}”" in response.content.decode()
            assert Outlet.objects.get(pk=outlet.pk).name == outlet.name
        else:
            assert_redirected(response, snippet_url("outlet", "list"))
            assert Outlet.objects.get(pk=outlet.pk).name == fields["name"]

    # Claims.

    def claim_citing(self, sentence, sources):
        """A published claim quoting `sentence` from each of `sources` that has it."""
        claim = ClaimFactory(created_by=self.editor, statement=sentence)
        for source in sources:
            if sentence not in source.body:
                continue
            EvidenceFactory(claim=claim, source=source, quote=sentence)
        claim.save_revision(user=self.editor).publish(user=self.editor)
        return claim

    @rule(data=st.data(), sentence=st.sampled_from(SENTENCES))
    def write_claim(self, data, sentence):
        sources = list(Source.objects.order_by("pk"))
        if sources:
            chosen = data.draw(
                st.lists(st.sampled_from(sources), min_size=1, max_size=3, unique=True)
            )
            self.claim_citing(sentence, chosen)

    def a_claim(self, data, **filters):
        claims = list(Claim.objects.filter(**filters).order_by("pk"))
        return data.draw(st.sampled_from(claims)) if claims else None

    @rule(data=st.data(), stance=st.sampled_from(["supports", "disputes", "context"]))
    def add_evidence(self, data, stance):
        claim, source = self.a_claim(data, live=True), self.a_source(data)
        if claim is None or source is None:
            return
        quote = next((s for s in SENTENCES if s in source.body), None)
        if quote is None:
            return
        url = snippet_url("claim", "add_evidence", claim.pk)
        payload = {"source": source.pk, "quote": quote, "stance": stance}
        before = cited_in_latest_revision(claim)
        in_review = claim.workflow_in_progress
        response = logged_in_client(self.editor).post(url, payload)
        # Added or refused, the view goes back to the claim: only its message tells which.
        assert_redirected(response, snippet_url("claim", "inspect", claim.pk))
        if in_review:
            # A change in Claim review is locked to all but its reviewers.
            assert "This claim is locked." in " ".join(errors_flashed(response))
            assert cited_in_latest_revision(claim) == before
        elif (source.pk, quote) in before:
            assert "The claim already cites this quote." in " ".join(errors_flashed(response))
            assert cited_in_latest_revision(claim) == before
        else:
            assert errors_flashed(response) == []
            assert cited_in_latest_revision(claim) == sorted([*before, (source.pk, quote)])

    @rule(data=st.data(), single=st.booleans())
    def verify(self, data, single):
        claim = self.a_claim(data, live=True)
        if claim is None:
            return
        with contextlib.suppress(VerificationError):
            verify_claim(
                claim, self.verifier, Claim.Status.VERIFIED, "Checked.", single_source=single
            )

    @rule(data=st.data(), words=st.sampled_from(["(as reported)", "(the Kremlin's words)"]))
    def reword_claim(self, data, words):
        """An editor rewords a live claim in the admin: a decided claim's change waits in
        Claim review, and readers keep the decided words; any other is published."""
        claim = self.a_claim(data, live=True, has_unpublished_changes=False)
        if claim is None or claim.workflow_in_progress:
            return
        statement = f"{claim.statement} {words}"[:600]
        payload = edit_data(claim, statement=statement)
        response = logged_in_client(self.editor).post(
            snippet_url("claim", "edit", claim.pk), payload
        )
        after = Claim.objects.get(pk=claim.pk)
        if response.status_code == 200:
            # Refused, as a quote no longer in its source is: nothing changes.
            assert any(response.context["form"].formsets["evidence"].errors)
            assert after.statement == claim.statement and not after.workflow_in_progress
            return
        assert response.status_code == 302
        if claim.is_decided:
            assert (after.statement, after.status) == (claim.statement, claim.status)
            assert after.workflow_in_progress
            assert after.get_latest_revision_as_object().statement == statement
        else:
            assert after.statement == statement and not after.workflow_in_progress

    @rule(data=st.data(), approving=st.booleans())
    def review_claim_change(self, data, approving):
        """A verifier approves a change in Claim review (published, and decided again on the
        new words, unless the rules refuse it) or sends it back (readers keep theirs)."""
        claims = [claim for claim in Claim.objects.order_by("pk") if claim.workflow_in_progress]
        if not claims:
            return
        claim = data.draw(st.sampled_from(claims))
        proposed = claim.get_latest_revision_as_object()
        task_state = claim.current_workflow_state.current_task_state
        action = "approve" if approving else "reject"
        url = reverse(
            "wagtailsnippets_newsroom_claim:workflow_action",
            args=[claim.pk, action, task_state.pk],
        )
        response = logged_in_client(self.verifier).post(url, {"comment": "Reviewed."})
        assert_redirected(response, snippet_url("claim", "edit", claim.pk))
        after = Claim.objects.get(pk=claim.pk)
        if approving and not errors_flashed(response):
            assert after.statement == proposed.statement and not after.workflow_in_progress
            assert after.status == claim.status and after.verified_by == self.verifier
        else:
            assert (after.statement, after.status) == (claim.statement, claim.status)

    @rule(data=st.data())
    def withdraw_claim(self, data):
        claim = self.a_claim(data, live=True)
        if claim is None:
            return
        editor = logged_in_client(self.editor)
        response = editor.post(snippet_url("claim", "unpublish", claim.pk))
        # Refused while live explainers cite it (back to the claim), else withdrawn.
        if Claim.objects.get(pk=claim.pk).live:
            assert_redirected(response, snippet_url("claim", "edit", claim.pk))
            assert errors_flashed(response)
        else:
            assert_redirected(response, snippet_url("claim", "list"))

    @rule(data=st.data())
    def merge_claims(self, data):
        """A verifier merges one claim into another through the admin: done whole (every
        explainer then cites the claim that stays, the merged one is withdrawn), or refused
        whole, naming what is in the way."""
        claims = list(Claim.objects.filter(merged_into__isnull=True).order_by("pk"))
        if len(claims) < 2:
            return
        merged, target = data.draw(
            st.lists(st.sampled_from(claims), min_size=2, max_size=2, unique=True)
        )
        revisions = page_revisions()
        url = snippet_url("claim", "merge", merged.pk)
        payload = {"target": target.pk, "confirmed": "True"}
        response = logged_in_client(self.verifier).post(url, payload)
        after = Claim.objects.get(pk=merged.pk)
        if response.status_code == 200:
            assert "Nothing was merged." in messages_of(response)
            assert (after.merged_into_id, after.live) == (None, merged.live)
            assert page_revisions() == revisions
            return
        assert_redirected(response, snippet_url("claim", "edit", target.pk))
        assert after.merged_into_id == target.pk and not after.live
        for page in ExplainerPage.objects.all():
            assert merged.pk not in page.cited_claim_ids()
            assert merged.pk not in page.get_latest_revision_as_object().cited_claim_ids()

    # Explainers.

    @rule(data=st.data(), path=st.sampled_from(PATHS), fresh=st.booleans())
    def publish_explainer(self, data, path, fresh):
        claims = list(Claim.objects.filter(live=True).order_by("pk")[:10])
        if not claims:
            return
        cited = data.draw(st.lists(st.sampled_from(claims), min_size=1, max_size=3, unique=True))
        labelled = [claim for claim in cited if data.draw(st.booleans())]
        page = self.a_page(data) if not fresh else None
        publish(self, path, page or self.new_explainer(), cited, labelled)

    def new_explainer(self):
        self.pages += 1
        page = ExplainerPage(
            title=f"Explainer {self.pages}",
            slug=f"explainer-{self.pages}",
            standfirst="Where the talks stand.",
            live=False,
        )
        explainer_index().add_child(instance=page)
        page.save_revision(user=self.editor)
        return page

    def a_page(self, data):
        pages = list(ExplainerPage.objects.order_by("pk"))
        return data.draw(st.sampled_from(pages)) if pages else None

    @invariant()
    def readers_visit_and_every_rule_holds(self):
        for page in ExplainerPage.objects.live():
            assert self.reader.get(page.url).status_code == 200
        findings = [finding.line() for finding in all_findings()]
        assert findings == []
        # A decided claim says and cites exactly what its latest decision rested on.
        for claim in Claim.objects.filter(status__in=Claim.DECIDED).prefetch_related("evidence"):
            assert claim.verifications.first().fingerprint == claim.evidence_fingerprint()


def publish(machine, path, page, cited, labelled):
    """Put the page's new revision live by one of the four paths an editor has."""
    if path == "form":
        data = edit_form_data(page, cited, show_as_unverified=labelled)
        data["correction_note"] = "Updated."
        post_edit(machine.verifier_client, page, data)
        return
    if path == "approval":
        if page.live or page.workflow_in_progress:
            return
        state = submit(machine.editor_client, page, cited, show_as_unverified=labelled)
        approve(machine.verifier_client, page, state)
        return
    data = edit_form_data(page, cited, action=None, show_as_unverified=labelled)
    data["correction_note"] = "Updated."
    post_edit(machine.editor_client, page, data)
    if path == "bulk":
        bulk_publish(machine.chief_client, [page])
        return
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=1)
    revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)


DeskMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_STATE_EXAMPLES", "5")),
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_rule_holds_after_any_sequence_of_desk_operations(db):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(DeskMachine, settings=DeskMachine.TestCase.settings)
