"""Pull quotes held to what evidence is held to: anchored word for word in their source,
re-checked when the source's text changes, and protecting the source from deletion.

The rows (PullQuote) follow each explainer's live content: written when it is published,
removed when it is unpublished. A pull quote whose words leave its source is hidden from
readers (a pull quote is never shown unless its source has it), recorded in the page's
history, and told to readers under "Corrections and updates"."""

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from wagtail.log_actions import log

from explainers.citations import StreamData
from explainers.models import Correction, ExplainerPage, PullQuote
from newsroom.desk.anchoring import anchor_quote

if TYPE_CHECKING:
    from newsroom.desk.models import Source

PULL_QUOTE_LOST = "explainers.pull_quote_lost"


def iter_pull_quotes(stream_data: StreamData) -> Iterator[tuple[str, int, str]]:
    """(block id, source id, quote) for each pull quote in raw StreamField data."""
    for item in stream_data or []:
        value = item.get("value") or {}
        if item.get("type") == "pull_quote" and value.get("source") and value.get("quote"):
            yield item.get("id") or "", value["source"], value["quote"]


def sync_pull_quotes(page: ExplainerPage) -> list[PullQuote]:
    """Anchor the pull quotes of the page's live content, replacing its rows."""
    from newsroom.desk.models import Source

    with transaction.atomic():
        PullQuote.objects.filter(page=page).delete()
        if not page.live:
            return []
        found = list(iter_pull_quotes(page.body.raw_data))
        bodies = dict(
            Source.objects.filter(pk__in={source_id for _, source_id, _ in found}).values_list(
                "pk", "body"
            )
        )
        rows = []
        for number, (block_id, source_id, quote) in enumerate(found):
            if source_id not in bodies:
                continue
            row = PullQuote(page=page, block_id=block_id or f"#{number}", source_id=source_id)
            row.quote = quote
            place(row, bodies[source_id])
            rows.append(row)
        return PullQuote.objects.bulk_create(rows)


def place(row: PullQuote, body: str) -> None:
    anchor = anchor_quote(body, row.quote)
    if anchor is None:
        row.start_offset = row.end_offset = None
        row.anchor_status = PullQuote.AnchorStatus.LOST
    else:
        row.start_offset, row.end_offset = anchor.start, anchor.end
        row.anchor_status = PullQuote.AnchorStatus.ANCHORED


def recheck_pull_quotes(source: "Source", user: AbstractBaseUser | None = None) -> list[PullQuote]:
    """Anchor every pull quote from `source` again in its current body; those it no longer
    has are hidden from readers and recorded on their pages. Returns the rows lost now."""
    rows = list(PullQuote.objects.filter(source=source).select_related("page"))
    lost = []
    for row in rows:
        was_anchored = row.is_anchored
        place(row, source.body)
        if was_anchored and not row.is_anchored:
            lost.append(row)
    PullQuote.objects.bulk_update(rows, ["start_offset", "end_offset", "anchor_status"])
    for row in lost:
        note = f"“{source.title}” changed and no longer has word for word: “{row.quote[:80]}”"
        log(instance=row.page, action=PULL_QUOTE_LOST, user=user, data={"note": note})
        Correction.objects.create(
            page=row.page,
            kind=Correction.Kind.QUOTE,
            user=user,
            text=f"A pull quote from “{source.title}” was taken down while we check it: the "
            "source no longer has its words as quoted.",
        )
    return lost


def citing_pages(source_ids: Iterable[int]) -> dict[int, list[str]]:
    """{source id: [titles of the live explainers with a pull quote from it]}."""
    citing = {}
    rows = PullQuote.objects.filter(source_id__in=source_ids).select_related("page")
    for row in rows.order_by("page__title"):
        citing.setdefault(row.source_id, []).append(row.page.title)
    return citing
