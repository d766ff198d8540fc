"""Putting a line the importer set aside back into a source's body."""

from django.db import transaction

from newsroom.anchoring import reanchor_source
from newsroom.importing.parsing import rebuild_body


class NotSetAside(LookupError):
    """The source has no set-aside line with that number."""


def restore_line(source, line_number, user=None):
    """Return line `line_number` of the source's text to its place in the body, as a new
    revision, and re-anchor the quotes from the source. Returns (entry, flagged claims)."""
    entry = next((item for item in source.set_aside if item.get("line") == line_number), None)
    if entry is None:
        raise NotSetAside(line_number)
    with transaction.atomic():
        previous_body = source.body
        source.set_aside = [item for item in source.set_aside if item is not entry]
        source.body, source.segments = rebuild_body(source.original_text, source.set_aside)
        source.save()
        source.save_revision(user=user, clean=False, log_action=True)
        flagged = reanchor_source(source, previous_body=previous_body)
    return entry, flagged
