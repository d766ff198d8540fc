"""The private Wagtail names Newsroom relies on, in one place.

A private name is not an API: Wagtail may change it in any release. These are the few the
bulk paths cannot do without (writing in one insert what a save per object would write).
tests/newsroom/test_wagtail_internals.py compares each with the public path it stands in
for, and fails loudly when an upgrade changes them.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from wagtail.models import Page, ReferenceIndex


def reference_rows(obj: Model, content_type: ContentType) -> list[ReferenceIndex]:
    """The ReferenceIndex rows `ReferenceIndex.create_or_update_for_object(obj)` would
    write for a new object (one with no rows yet), unsaved, for a bulk insert."""
    rows = []
    for to_type, to_id, model_path, content_path in sorted(
        set(ReferenceIndex._extract_references_from_object(obj)), key=str
    ):
        rows.append(
            ReferenceIndex(
                content_type=content_type,
                base_content_type=content_type,
                object_id=obj.pk,
                to_content_type_id=to_type,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
        )
    return rows


def child_page_path(parent: Page, position: int) -> str:
    """The tree path `parent.add_child()` gives its `position`th child (1-based), for
    writing page rows in bulk."""
    return Page._get_path(parent.path, parent.depth + 1, position)
