"""Quote repair on the claim form: when a quote is refused because its source does not have
it word for word, the quote field shows the source's closest passage with the words that
differ from the quote marked, and a "Use this passage" button (claim_form_tools.js) that
puts the passage in the field. Without the script the passage is there to copy; the refusal
message itself (anchoring.refusal_message) still names it in plain words."""

from dataclasses import dataclass

from wagtail.admin.widgets import AdminAutoHeightTextInput

from newsroom.desk.anchoring import (
    Words,
    anchor_quote,
    closest_passage,
    differing_words,
    quote_length_problem,
)
from newsroom.desk.models import Evidence


@dataclass(frozen=True)
class QuoteRepair:
    """A refused quote beside its source's closest passage, each cut into runs of words
    that say whether they differ from the other."""

    source_title: str
    passage: str
    passage_words: list[Words]
    quote_words: list[Words]


def quote_repair(evidence: Evidence) -> QuoteRepair | None:
    """The repair to offer for an evidence row whose quote its source refuses; None if the
    quote anchors, is too long to cite (refused for its length), or its source has no
    passage like it."""
    quote = evidence.quote
    if not evidence.source_id or not quote.strip() or quote_length_problem(quote):
        return None
    body = evidence.source.body
    if anchor_quote(body, evidence.quote) is not None:
        return None
    passage = closest_passage(body, evidence.quote)
    if not passage:
        return None
    return QuoteRepair(
        source_title=evidence.source.title,
        passage=passage,
        passage_words=differing_words(passage, evidence.quote),
        quote_words=differing_words(evidence.quote.strip(), passage),
    )


class QuoteRepairTextarea(AdminAutoHeightTextInput):
    """Wagtail's quote textarea, followed by the repair offered for its refused quote."""

    template_name = "newsroom/admin/widgets/quote_with_repair.html"

    def __init__(self, attrs=None, repair: QuoteRepair | None = None):
        super().__init__(attrs)
        self.repair = repair

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["repair"] = self.repair
        return context
