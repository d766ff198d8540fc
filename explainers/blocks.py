"""StreamField blocks an explainer is written in: prose, headings, and claims with their evidence.

Claim blocks render from the page's prefetched claims (``claims_by_id`` in the context), so
a page costs the same number of queries whether it cites five claims or fifty.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from explainers.evidence import CitedClaim, UnpublishedClaim
from newsroom.desk.anchoring import anchor_quote, refusal_message
from newsroom.desk.widgets import ClaimChooser

SHOW_AS_UNVERIFIED_HELP = (
    "Publish even though this claim is not verified. Readers see its status "
    "(unverified, disputed, false…) as a clear label."
)


class ClaimChooserBlock(SnippetChooserBlock):
    """Chooses a claim, showing the editor its statement in full and its status badge."""

    # Migrations record it as the snippet chooser it is: it stores the same value.
    canonical_module_path = "wagtail.snippets.blocks.SnippetChooserBlock"

    @cached_property
    def widget(self):
        snippet_chooser = super().widget  # which also gives the block the claims' icon
        return ClaimChooser(icon=snippet_chooser.icon)


class CitedClaimBlock(blocks.StructBlock):
    """A claim cited by an explainer. Unless marked, it must be verified before publishing."""

    claim = ClaimChooserBlock("newsroom.Claim")
    show_as_unverified = blocks.BooleanBlock(
        required=False, label="Show as not verified", help_text=SHOW_AS_UNVERIFIED_HELP
    )

    class Meta:
        icon = "tick-inverse"
        template = "explainers/blocks/claim.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["cited"] = cited_claim_in(parent_context, value)
        return context


class ClaimBlock(CitedClaimBlock):
    """A claim standing in the prose, with the editor's framing before it."""

    framing = blocks.RichTextBlock(
        required=False,
        features=["bold", "italic", "link"],
        help_text="Optional sentence introducing the claim.",
    )

    class Meta:
        icon = "tick-inverse"
        template = "explainers/blocks/claim.html"
        form_classname = "claim-block"


class SectionHeadingBlock(blocks.CharBlock):
    """A section heading; readers can link to it."""

    class Meta:
        icon = "title"
        template = "explainers/blocks/section_heading.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor"] = "section-" + (slugify(value) or "untitled")
        return context


class KeyFactsBlock(blocks.StructBlock):
    """The few claims a hurried reader needs, as a list."""

    heading = blocks.CharBlock(default="Key facts")
    facts = blocks.ListBlock(CitedClaimBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "explainers/blocks/key_facts.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["facts"] = shown_citations(parent_context, value["facts"])
        return context


class TimelineEventBlock(blocks.StructBlock):
    """One dated event, resting on the claims it cites."""

    date = blocks.DateBlock()
    date_label = blocks.CharBlock(
        required=False, help_text="How to show the date if not to the day, e.g. “December 2025”."
    )
    event = blocks.TextBlock()
    claims = blocks.ListBlock(CitedClaimBlock(), default=[])


class TimelineBlock(blocks.StructBlock):
    """Events in date order, each citing claims."""

    heading = blocks.CharBlock(default="Timeline")
    events = blocks.ListBlock(TimelineEventBlock(), min_num=1)

    class Meta:
        icon = "date"
        template = "explainers/blocks/timeline.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        events = sorted(value["events"], key=lambda event: event["date"])
        context["events"] = [
            (event, shown_citations(parent_context, event["claims"])) for event in events
        ]
        return context


class PullQuoteBlock(blocks.StructBlock):
    """A striking quote from a source, word for word: it must be found in the source's text."""

    source = SnippetChooserBlock("newsroom.Source")
    quote = blocks.TextBlock(help_text="Word for word from the source.")
    attribution = blocks.CharBlock(
        required=False, help_text="Who is speaking, e.g. “Dmitry Peskov, Kremlin spokesman”."
    )

    class Meta:
        icon = "openquote"
        template = "explainers/blocks/pull_quote.html"

    def clean(self, value):
        value = super().clean(value)
        source, quote = value.get("source"), value.get("quote", "")
        if source and quote and anchor_quote(source.body, quote) is None:
            raise StructBlockValidationError(
                block_errors={"quote": ValidationError(refusal_message(source, quote))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        digest = (parent_context or {}).get("digest")
        source = value["source"]
        # The digest's copy has its outlet already loaded.
        if source is not None and digest:
            source = digest.source(source.pk) or source
        anchor = anchor_quote(source.body, value["quote"]) if source is not None else None
        context["source"] = source
        context["source_number"] = digest.number_of(source) if digest and source else None
        # Readers see the source's own words, and nothing if the source no longer has them
        # (or is gone): a pull quote is only ever shown as its source has it.
        context["passage"] = source.body[anchor.start : anchor.end] if anchor else ""
        return context


class ExplainerBodyBlock(blocks.StreamBlock):
    """What an explainer's body may hold."""

    heading = SectionHeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul"],
        template="explainers/blocks/prose.html",
    )
    claim = ClaimBlock()
    key_facts = KeyFactsBlock()
    timeline = TimelineBlock()
    pull_quote = PullQuoteBlock()


def shown_citations(parent_context, citations):
    """The citations in a list that readers see: not a deleted claim, nor one the page's
    digest holds back (unpublished), so a list never renders an empty item."""
    digest = (parent_context or {}).get("digest")
    return [
        citation
        for citation in citations
        if citation["claim"] is not None
        and not (digest and isinstance(digest.cited(citation["claim"].pk), UnpublishedClaim))
    ]


def cited_claim_in(parent_context, value):
    """The reader's view of a cited claim: from the page's digest when there is one (no extra
    queries), else built on the spot (e.g. a block rendered on its own)."""
    claim = value["claim"]
    if claim is None:
        return None
    parent_context = parent_context or {}
    digest = parent_context.get("digest")
    cited = digest.cited(claim.pk) if digest else None
    if cited is None:
        cited = CitedClaim.build(claim, number_of=lambda source: None)
    # Element ids must be unique: a claim cited twice is anchored at its first citation.
    anchors = parent_context.get("claim_anchors")
    element_id = cited.anchor
    if anchors is not None:
        element_id = "" if cited.anchor in anchors else cited.anchor
        anchors.add(cited.anchor)
    return cited.as_shown(bool(value.get("show_as_unverified")), element_id)
