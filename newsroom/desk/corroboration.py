"""What the claim form says of a claim's corroboration while the editor is still writing it.

The count is the verification rules' own (Claim.corroboration()), made on the form's unsaved
rows, each quote anchored as saving would anchor it, so a quote not in its source word for
word counts for nothing here either. What is still needed follows NEWSROOM_MIN_OUTLETS and
the single-source note a verifier may give instead (newsroom.desk.verification)."""

from collections.abc import Iterable
from dataclasses import dataclass

from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.models.claims import Corroboration
from newsroom.desk.text import counted
from newsroom.desk.verification import min_outlets


@dataclass(frozen=True)
class EvidenceDraft:
    """One evidence row of a claim form as the editor has it now, not yet saved."""

    source: Source
    quote: str
    stance: str


@dataclass(frozen=True)
class DraftCorroboration:
    """The corroboration of a claim's rows, and how many quotes did not anchor."""

    counts: Corroboration
    unanchored: int = 0

    @property
    def summary(self) -> str:
        return corroboration_summary(self.counts, self.unanchored)


def corroboration_of_drafts(drafts: Iterable[EvidenceDraft]) -> DraftCorroboration:
    """What Claim.corroboration() would find once these rows were saved: each row's quote is
    anchored in its source's body first. Reads no database (the sources come loaded, with
    their outlet id)."""
    claim = Claim()
    rows = [
        Evidence(source=draft.source, quote=draft.quote, stance=draft.stance) for draft in drafts
    ]
    unanchored = sum(not row.reanchor(row.source.body) for row in rows)
    claim.evidence = rows
    return DraftCorroboration(claim.corroboration(), unanchored)


def corroboration_summary(counts: Corroboration, unanchored: int = 0) -> str:
    """One line for the editor: "2 supporting sources, 1 outlet: needs 1 more outlet or a
    verifier's single-source note", then any disputing quotes and quotes that do not count."""
    line = (
        f"{counted(counts.supporting_sources, 'supporting source')}, "
        f"{counted(counts.supporting_outlets, 'outlet')}: {still_needed(counts)}."
    )
    if counts.disputing_sources:
        line += (
            f" Disputed by {counted(counts.disputing_sources, 'source')} from "
            f"{counted(counts.disputing_outlets, 'outlet')}."
        )
    if unanchored == 1:
        line += " 1 quote is not in its source word for word, so it does not count."
    elif unanchored:
        line += (
            f" {unanchored} quotes are not in their sources word for word, so they do not count."
        )
    return line


def still_needed(counts: Corroboration) -> str:
    """What verifying the claim still needs, under the outlet rule."""
    needed = min_outlets()
    if counts.supporting_sources == 0:
        return (
            f"needs supporting quotes from {counted(needed, 'outlet')}, or one and a "
            "verifier's single-source note"
        )
    if counts.supporting_outlets < needed:
        missing = needed - counts.supporting_outlets
        return f"needs {counted(missing, 'more outlet')} or a verifier's single-source note"
    return "enough outlets to be verified"
