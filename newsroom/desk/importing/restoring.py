"""Putting a line the importer set aside back into a source's body, and keeping it there.

An editor's restoration is remembered on the source (`Source.restored_lines`) by its text,
so a re-import of a changed file puts the line back again while the file still has it.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from newsroom.desk.actions.sources import save_source
from newsroom.desk.importing.parsing import ParsedSource, readable_text, rebuild_body
from newsroom.desk.models import Source

if TYPE_CHECKING:
    from newsroom.desk.models import Claim


class NotSetAside(LookupError):
    """The source has no set-aside line with that number."""


def restore_line(
    source: Source, line_number: int, user: AbstractBaseUser | None = None
) -> tuple[dict[str, Any], list["Claim"]]:
    """Return line `line_number` of the source's text to its place in the body, as a new
    revision, and re-anchor the quotes from the source. Returns (entry, flagged claims).

    The source's row is read again, locked, so that two editors restoring lines of the same
    source at once each build on the other's restoration instead of overwriting it."""
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        entry = next((item for item in locked.set_aside if item.get("line") == line_number), None)
        if entry is None:
            raise NotSetAside(line_number)
        locked.set_aside = [item for item in locked.set_aside if item is not entry]
        locked.body, locked.segments = rebuild_body(locked.original_text, locked.set_aside)
        restored = {"line": entry["line"], "text": entry["text"]}
        if entry.get("part"):
            restored["part"] = True
        locked.restored_lines = [*locked.restored_lines, restored]
        change = save_source(locked, user=user)
        locked.save_revision(user=user, clean=False, log_action=True)
        flagged = change.flagged_claims
    source.refresh_from_db()
    return entry, flagged


def carry_restorations(
    parsed: ParsedSource, original_text: str, restored_lines: Iterable[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Apply an editor's earlier restorations to what the importer made of a new version
    of the text (`parsed`, updated in place) and return the restorations still held.

    A restored line whose text is still a line of the file stays out of the set-aside
    lines (at the line nearest where it was, should the text occur more than once); one
    whose text is gone from the file is forgotten. A restored part of a line (a channel's
    call on a line of speech) stays while a line still holds it."""
    if not restored_lines:
        return []
    lines = [raw.strip() for raw in readable_text(original_text).split("\n")]
    taken, held = set(), []
    for restoration in restored_lines:
        numbers = [
            number
            for number, text in enumerate(lines, start=1)
            if number not in taken
            and (
                restoration["text"] in text
                if restoration.get("part")
                else text == restoration["text"]
            )
        ]
        if not numbers:
            continue
        number = min(numbers, key=lambda candidate: abs(candidate - restoration["line"]))
        taken.add(number)
        held.append({**restoration, "line": number})
    if any(entry["line"] in taken for entry in parsed.set_aside):
        parsed.set_aside = [entry for entry in parsed.set_aside if entry["line"] not in taken]
        parsed.body, parsed.segments = rebuild_body(original_text, parsed.set_aside)
    return held
