"""The private Wagtail names behind newsroom.desk.wagtail_internals, and the bulk import that
relies on them, checked against Wagtail's public paths. A Wagtail upgrade that changes any
of them fails here, loudly, rather than leaving a bulk import that quietly writes less than
a save would."""

import inspect

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, ReferenceIndex

from newsroom.desk.importing.importer import SourceImporter
from newsroom.desk.models import Outlet, Source
from newsroom.desk.wagtail_internals import child_page_path, reference_rows
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

REFERENCE_FIELDS = ("to_content_type_id", "to_object_id", "model_path", "content_path")


@pytest.mark.parametrize(
    ("owner", "name", "parameters"),
    [
        (ReferenceIndex, "_extract_references_from_object", ["object"]),
        (ReferenceIndex, "_get_content_path_hash", ["content_path"]),
        (Page, "_get_path", ["path", "depth", "newstep"]),
    ],
)
def test_the_private_names_are_still_there_as_called(owner, name, parameters):
    private = getattr(owner, name, None)
    assert private is not None, f"Wagtail no longer has {owner.__name__}.{name}"
    assert list(inspect.signature(private).parameters) == parameters


def reference_tuples(rows):
    return sorted(
        (*(getattr(row, field) for field in REFERENCE_FIELDS), row.content_path_hash)
        for row in rows
    )


def test_reference_rows_are_what_wagtail_writes_on_save():
    assert ReferenceIndex.is_indexed(Source)
    source = SourceFactory(outlet=Outlet.objects.create(name="Le Monde"))
    content_type = ContentType.objects.get_for_model(Source)
    written = ReferenceIndex.objects.filter(content_type=content_type, object_id=source.pk)

    rows = reference_rows(source, content_type)

    assert rows, "a source with an outlet refers to it"
    assert reference_tuples(rows) == reference_tuples(written)


def test_child_page_path_is_the_path_add_child_gives():
    parent = Page.get_first_root_node()
    expected = child_page_path(parent, parent.numchild + 1)

    child = parent.add_child(instance=Page(title="Probe", slug="probe"))

    assert child.path == expected


# Three articles with nothing that would send them down the one-file-at-a-time path (a
# URL is checked against every other source first).
ARTICLES = {
    f"{name}.txt": f"{title}\n\n{body}\n\n© 2025 {outlet}\n"
    for name, title, outlet, body in [
        (
            "envoy",
            "Paris weighs a single envoy to Moscow",
            "Le Monde",
            "French officials said on Tuesday that a single European envoy could carry "
            "the message to Moscow. The idea was first raised in Brussels last week.",
        ),
        (
            "kallas",
            "Kallas warns against separate talks",
            "Reuters",
            "The EU's foreign policy chief said separate national channels would weaken "
            "the bloc's position. She spoke after a meeting of foreign ministers.",
        ),
        (
            "rome",
            "Rome keeps its distance",
            "ANSA",
            "Italy's foreign minister said Rome would wait for a common European line "
            "before any contact with the Kremlin was made.",
        ),
    ]
}


def search_rows(source):
    """What the search backend indexed for the source, as the database backend holds it."""
    from wagtail.search.models import IndexEntry

    entry = IndexEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Source), object_id=str(source.pk)
    )
    return (entry.title, entry.autocomplete, entry.body)


def artefacts(source):
    """Everything a save through Wagtail leaves beside the row: the revision, the audit log
    entry, the reference index and the search index entry."""
    source.refresh_from_db()
    content_type = ContentType.objects.get_for_model(Source)
    revision = source.latest_revision
    entries = ModelLogEntry.objects.filter(content_type=content_type, object_id=str(source.pk))
    # What differs between any two saves of the same content: ids, times, the file key.
    volatile = {"pk", "id", "latest_revision", "updated_at", "seed_file"}
    return {
        "revisions": source.revisions.count(),
        "revision_content": {
            name: value for name, value in revision.content.items() if name not in volatile
        },
        "revision_object_str": revision.object_str,
        "log": [(entry.action, entry.label, entry.content_changed) for entry in entries],
        "references": [
            row[:3] + row[4:]
            for row in reference_tuples(
                ReferenceIndex.objects.filter(content_type=content_type, object_id=source.pk)
            )
        ],
        "search": search_rows(source),
    }


def saved_one_by_one(imported):
    """A twin of an imported source, made the plain way: save(), a first revision and a
    "created" log entry, as the admin's create view does."""
    twin = Source.objects.get(pk=imported.pk)
    twin.pk = twin.id = None
    twin.latest_revision = None
    twin.seed_file = f"twin-{imported.seed_file}"
    twin.save()
    twin.save_revision(clean=False)
    log(instance=twin, action="wagtail.create", content_changed=True)
    return twin


def test_the_bulk_import_writes_what_a_plain_save_would(tmp_path, monkeypatch):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text)
    batches = []
    create_sources = SourceImporter._create_sources

    def spy(self, batch):
        batches.append(len(batch))
        return create_sources(self, batch)

    monkeypatch.setattr(SourceImporter, "_create_sources", spy)

    summary = SourceImporter(root=tmp_path).run([tmp_path])

    assert not summary.failed
    assert batches == [3], "the three new files went through the bulk path together"
    imported = list(Source.objects.order_by("pk"))
    assert len(imported) == 3
    for source in imported:
        bulk = artefacts(source)
        plain = artefacts(saved_one_by_one(source))
        assert bulk["references"], "each imported article refers to its outlet"
        assert bulk == plain
