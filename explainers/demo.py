"""Building the demo from its checked data (explainers.demo_data): a demo author writes the
claims as snippet revisions; a different demo verifier decides them through the
verification service, under the same rules as any verifier, and publishes the explainers. A
claim marked `decided_after_publishing` is decided only once the explainers are live, and
one with `reopened_after_publishing` is reopened then, so the demo shows corrections. Lines
the importer set aside that the file restores are put back first, as an editor would.

Claims are found by statement, explainers by slug. Building again brings them to what the
file says, through new revisions and the same publish paths, and changes nothing when they
already match."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from explainers.guard import PublishRefused
from explainers.models import ExplainerIndexPage, ExplainerPage
from newsroom.desk.importing.restoring import restore_line
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.verification import VerificationError, verify_claim


def demo_users():
    """The demo author and verifier, who cannot log in."""
    User = get_user_model()
    users = []
    for username, group in (("demo-author", "Editors"), ("demo-verifier", "Verifiers")):
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@newsroom.invalid"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=group))
        users.append(user)
    return users


class DemoBuilder:
    """Writes a Demo through the desk's own paths: claim revisions published by the author,
    decisions by the verifier through verify_claim, explainers published by the verifier
    through Wagtail's revision publishing (and so the publish guard). Returns report lines."""

    def __init__(self, demo, author, verifier):
        self.demo, self.author, self.verifier = demo, author, verifier
        self.written = {"new": 0, "updated": 0, "decided": 0}
        self.restored = 0

    def build(self):
        for source, text in self.demo.restored_lines:
            self.restore(source, text)
        claims = {key: self.claim(data) for key, data in self.demo.claims.items()}
        later = [key for key, data in self.demo.claims.items() if data.decided_after_publishing]
        for key, claim in claims.items():
            if key not in later and not self.reopened(claim, self.demo.claims[key]):
                self.decide(claim, self.demo.claims[key])
        ids = {key: claim.pk for key, claim in claims.items()}
        lines = [self.explainer(data, ids) for data in self.demo.explainers]
        for key in later:
            self.decide(claims[key], self.demo.claims[key])
        for key, data in self.demo.claims.items():
            if data.reopened_after_publishing and not self.reopened(claims[key], data):
                self.decide(
                    claims[key], data, Claim.Status.UNVERIFIED, data.reopened_after_publishing
                )
        counts = ", ".join(f"{count} {what}" for what, count in self.written.items())
        restored = [f"{self.restored} set-aside lines restored"] if self.restored else []
        return [*restored, f"{len(claims)} claims from {self.demo.path} ({counts})", *lines]

    def claim(self, data):
        existing = Claim.objects.filter(statement=data.statement).first()
        if existing and existing.live and claim_matches(existing, data):
            return existing
        claim = existing.get_latest_revision_as_object() if existing else Claim()
        claim.statement, claim.created_by = data.statement, claim.created_by or self.author
        claim.evidence = evidence_rows(claim, data)
        claim.tags.set(data.tags)
        if existing is None:
            claim.save()
        claim.save_revision(user=self.author, log_action=True).publish(user=self.author)
        self.written["updated" if existing else "new"] += 1
        return Claim.objects.get(pk=claim.pk)

    def restore(self, source, text):
        """Put back a line the importer set aside, as an editor does from the reading view."""
        current = Source.objects.get(pk=source.pk)
        line = next(line for line in current.set_aside if line["text"].strip() == text.strip())
        restore_line(current, line["line"], user=self.author)
        source.refresh_from_db()  # the claims' quotes anchor in the text as it is now
        self.restored += 1

    def decide(self, claim, data, status=None, note=None):
        """The verifier's ruling on the claim (the file's, unless given), unless it stands."""
        status = status or data.status
        note = (data.note if note is None else note).strip()
        if (claim.status, claim.verification_note) == (status, note):
            return
        if status == Claim.Status.UNVERIFIED and not note and claim.status == status:
            return
        try:
            verify_claim(claim, self.verifier, status, note=note, single_source=data.single_source)
        except VerificationError as refusal:
            raise CommandError(f"{self.demo.path}, claim “{data.key}”: {refusal}") from refusal
        self.written["decided"] += 1

    @staticmethod
    def reopened(claim, data):
        """Whether the claim already stands reopened, as the file has it end up."""
        note = data.reopened_after_publishing.strip()
        return bool(note) and (claim.status, claim.verification_note) == (
            Claim.Status.UNVERIFIED,
            note,
        )

    def explainer(self, data, claim_ids):
        index = ExplainerIndexPage.objects.first()
        if index is None:
            raise CommandError("The explainers section is missing: run migrate.")
        body = cite_by_id(data.body, claim_ids)
        existing = ExplainerPage.objects.child_of(index).filter(slug=data.slug).first()
        if existing and existing.live and page_matches(existing, data, body):
            return f"Already published: “{existing.title}” at {existing.url}"
        page = existing.get_latest_revision_as_object() if existing else ExplainerPage()
        page.title, page.slug = data.title, data.slug
        page.standfirst, page.body = data.standfirst, body
        if existing is None:
            page.live, page.owner = False, self.author
            index.add_child(instance=page)
        page.tags.set(data.tags)
        revision = page.save_revision(user=self.author, log_action=True)
        try:
            revision.publish(user=self.verifier)
        except PublishRefused as refusal:
            raise CommandError(f"{self.demo.path}, explainer “{data.slug}”: {refusal}") from refusal
        page = ExplainerPage.objects.get(pk=page.pk)
        return f"{'Updated' if existing else 'Published'}: “{page.title}” at {page.url}"


def evidence_rows(claim, data):
    """The claim's quotes as the file gives them, in order, keeping the rows it already has."""
    kept = {(row.source_id, row.quote): row for row in claim.evidence.all()}
    rows = []
    for order, (source, quote, stance) in enumerate(data.evidence):
        row = kept.pop((source.pk, quote), None) or Evidence(source=source, quote=quote)
        row.stance, row.note, row.sort_order = stance, "", order
        row.clean()  # anchors the quote (DemoReader found it word for word)
        rows.append(row)
    return rows


def claim_matches(claim, data):
    rows = claim.evidence.order_by("sort_order", "pk")
    cited = [(row.source_id, row.quote, row.stance, row.note) for row in rows]
    wanted = [(source.pk, quote, stance, "") for source, quote, stance in data.evidence]
    return cited == wanted and set(claim.tags.names()) == set(data.tags)


def page_matches(page, data, body):
    return (
        (page.title, page.standfirst) == (data.title, data.standfirst)
        and set(page.tags.names()) == set(data.tags)
        and comparable(list(page.body.raw_data)) == comparable(body)
    )


def cite_by_id(value, claim_ids):
    """Stream data with each cited claim's key replaced by its id."""
    if isinstance(value, list):
        return [cite_by_id(item, claim_ids) for item in value]
    if not isinstance(value, dict):
        return value
    cited = {name: cite_by_id(item, claim_ids) for name, item in value.items()}
    if isinstance(cited.get("claim"), str):
        cited["claim"] = claim_ids[cited["claim"]]
    return cited


def comparable(value):
    """Stream data without what saving adds: block ids, and list items' wrappers."""
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("type") == "item" and "value" in value:
        return comparable(value["value"])
    return {name: comparable(item) for name, item in value.items() if name != "id"}
