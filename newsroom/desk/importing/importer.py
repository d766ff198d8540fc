"""Import files as sources: one transaction per file, idempotent by content hash.

A file is known by its path (`Source.seed_file`), so a changed file updates its source as
a new revision, keeps the lines an editor restored that it still has, and re-anchors every
quote from it; an unchanged file is skipped after one bulk query, before any parsing.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

from newsroom.desk.actions.sources import save_source
from newsroom.desk.importing.fetching import FetchRefused, fetch_all
from newsroom.desk.importing.formats import SUPPORTED_SUFFIXES, UNSUPPORTED, read_source_file
from newsroom.desk.importing.manifest import ManifestEntry, ManifestError, Manifests
from newsroom.desk.importing.parsing import ParsedSource, parse_source
from newsroom.desk.importing.reading import MAX_BYTES, UnreadableSource, decode
from newsroom.desk.importing.restoring import carry_restorations
from newsroom.desk.importing.web import page_facts, page_outlet
from newsroom.desk.models import Outlet, Source, SourceCapture
from newsroom.desk.models.outlets import name_key
from newsroom.desk.wagtail_internals import reference_rows

IMPORTED, UPDATED, UNCHANGED, FAILED, SKIPPED = (
    "imported",
    "updated",
    "unchanged",
    "failed",
    "skipped",
)
_LOOKUP_CHUNK = 2000
_KNOWN_FIELDS = (
    "pk",
    "seed_file",
    "content_hash",
    "title",
    "url",
    "kind",
    "language",
    "published_on",
    "date_precision",
    "outlet__name",
    "restored_lines",
)
BATCH_SIZE = 200
#: How an editor's pasted text is named in its outcome: it has no file.
PASTED = "pasted text"
PARALLEL_FROM = 500


@dataclass
class CheckedFile:
    """A file read, whose source is missing or differs: it needs cleaning."""

    path: Path
    key: str
    source_text: object
    entry: object
    content_hash: str
    row: dict | None
    #: The fetched page (a fetching.FetchedPage) when the text comes from a URL.
    page: object = None

    @property
    def text(self) -> str:
        return self.source_text.text


def _parse_safely(text):
    try:
        return parse_source(text)
    except UnreadableSource as error:  # e.g. pasted captions with a malformed cue
        return str(error)
    except Exception as error:  # one file the cleaner chokes on must not stop the rest
        return repr(error)


def parse_all(texts: Iterable[str]) -> list[ParsedSource | str]:
    """Clean texts in order; many of them on every core, since cleaning is CPU-bound and
    each text is independent (the database work stays in this process)."""
    texts = list(texts)
    workers = min(os.cpu_count() or 1, 4)
    daemon = multiprocessing.current_process().daemon  # e.g. a Celery worker: no children
    if len(texts) < PARALLEL_FROM or workers < 2 or daemon:
        return [_parse_safely(text) for text in texts]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        return pool.map(_parse_safely, texts, chunksize=32)


@dataclass
class PendingWrite:
    """A file read and cleaned, waiting to be written."""

    outcome: object
    row: dict | None
    key: str
    text: str
    content_hash: str
    parsed: object
    restored_lines: list
    tags: list = field(default_factory=list)
    page: object = None
    facts: object = None  # web.PageFacts of a fetched page


@dataclass
class FileOutcome:
    """What happened to one file, in words an editor can act on."""

    path: Path
    name: str
    status: str
    message: str = ""
    set_aside: int = 0
    flagged_claims: list = field(default_factory=list)
    source_id: int | None = None
    #: Another source at the URL a fetched page names as canonical, for the editor to judge.
    duplicate_of: int | None = None

    def line(self, dry_run: bool = False) -> str:
        verb = {
            IMPORTED: "would import" if dry_run else "imported",
            UPDATED: "would update" if dry_run else "updated",
        }.get(self.status, self.status)
        text = f"{self.name}: {verb}"
        if self.message:
            text += f": {self.message}"
        return text


@dataclass
class ImportSummary:
    outcomes: list = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def lines_set_aside(self) -> int:
        return sum(
            outcome.set_aside for outcome in self.outcomes if outcome.status in (IMPORTED, UPDATED)
        )

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    def line(self, dry_run: bool = False) -> str:
        prefix = "Dry run, nothing written: " if dry_run else ""
        text = (
            f"{prefix}{self.count(IMPORTED)} imported, {self.count(UPDATED)} updated, "
            f"{self.count(UNCHANGED)} unchanged, {self.failed} failed, "
            f"{self.lines_set_aside} lines set aside"
        )
        skipped = self.count(SKIPPED)
        return text + (f", {skipped} skipped" if skipped else "")


def seed_file_key(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> str:
    """How a file is known: its path from the project root when inside it, else absolute."""
    path = Path(path)
    path = path.resolve() if not path.is_absolute() else path
    root = Path(root or settings.BASE_DIR).resolve()
    if not path.is_relative_to(root):
        return path.as_posix()
    return path.relative_to(root).as_posix()


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """(resolved path, problem) for every file to import, each once: named files, and the
    supported files in named folders (recursively, hidden files and TOML data files left out)."""
    found, seen = [], set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                # TOML beside the sources is data about them (the manifest, the demo's
                # claims), never a source.
                if child.suffix.lower() == ".toml" or child.is_dir():
                    continue
                problem = "" if child.suffix.lower() in SUPPORTED_SUFFIXES else UNSUPPORTED
                found.append((child, problem))
        elif path.exists() or path.is_symlink():
            problem = "" if path.suffix.lower() in SUPPORTED_SUFFIXES else UNSUPPORTED
            found.append((path, problem))
        else:
            found.append((path, "no such file or folder"))
    unique = []
    for path, problem in found:
        resolved = path.resolve() if path.exists() else path
        if resolved not in seen:
            seen.add(resolved)
            unique.append((resolved, problem))
    return unique


class SourceImporter:
    """Imports files as sources. `dry_run` reads and cleans everything, writes nothing.
    `user`, when an editor imports (pasting a text in the admin), is named on the
    revisions and log entries the import writes."""

    def __init__(
        self,
        dry_run: bool = False,
        root: str | os.PathLike[str] | None = None,
        max_bytes: int = MAX_BYTES,
        user: AbstractBaseUser | None = None,
    ):
        self.dry_run = dry_run
        self.root = root or settings.BASE_DIR
        self.max_bytes = max_bytes
        self.user = user
        self.manifests = Manifests()
        self._outlets = {}

    def run(
        self,
        paths: Iterable[str | os.PathLike[str]] = (),
        report: Callable[[FileOutcome], object] | None = None,
        urls: Iterable[str] = (),
    ) -> ImportSummary:
        """Import every file under `paths`, then every page at `urls` (fetched first, a
        few at a time); call `report(outcome)` after each one."""
        summary = ImportSummary()

        def emit(outcome):
            summary.outcomes.append(outcome)
            if report:
                report(outcome)

        files = discover(paths)
        keys = {path: seed_file_key(path, self.root) for path, _ in files}
        known = self._known_sources(
            key for (_, problem), key in zip(files, keys.values(), strict=True) if not problem
        )
        changed = []
        for path, problem in files:
            outcome, checked = self._check(path, keys[path], problem, known)
            if outcome:
                emit(outcome)
            else:
                changed.append(checked)
        for outcome, checked in self._check_pages(urls):
            if outcome:
                emit(outcome)
            else:
                changed.append(checked)
        batch = []
        parsed_texts = parse_all(checked.text for checked in changed)
        for checked, parsed in zip(changed, parsed_texts, strict=True):
            outcome, work = self._prepare_safely(checked, parsed)
            if work is None or self.dry_run:
                emit(outcome)
            elif work.row is None:
                batch.append(work)
                if len(batch) >= BATCH_SIZE:
                    self._write_batch(batch, emit)
                    batch = []
            else:
                emit(self._write_one(work))
        self._write_batch(batch, emit)
        return summary

    def prepare_text(
        self, text: str, entry: ManifestEntry | None = None, name: str = PASTED
    ) -> tuple[FileOutcome, PendingWrite | None]:
        """Read and clean one text that is no file (an editor's paste) as a file's text is
        read and cleaned, `entry` standing for its manifest entry. Returns its outcome and
        what `write_prepared` would write: the cleaned source, or None when it failed."""
        path = Path(name)
        try:
            source_text = decode(text.encode("utf-8"))
        except UnreadableSource as error:
            return FileOutcome(path, name, FAILED, str(error)), None
        checked = CheckedFile(
            path, None, source_text, entry, Source.hash_text(source_text.text), None
        )
        return self._prepare(checked, _parse_safely(checked.text))

    def write_prepared(self, work: PendingWrite, tags: Iterable[str] = ()) -> FileOutcome:
        """Write what `prepare_text` made, as a new source with no file behind it, tagged
        with `tags`."""
        work.tags = list(tags)
        return self._write_one(work)

    def _check_pages(self, urls):
        """Fetch every page and compare it with the source made from its URL before, as
        `_check` does a file: (outcome, None) or (None, the page read), for each URL."""
        urls = list(dict.fromkeys(url.strip() for url in urls if url.strip()))
        pages = fetch_all(urls)
        fetched = [page.final_url for page in pages if not isinstance(page, FetchRefused)]
        known = self._known_by_urls({*urls, *fetched})
        for url, page in zip(urls, pages, strict=True):
            if isinstance(page, FetchRefused):
                yield FileOutcome(url, url, FAILED, str(page)), None
                continue
            try:
                source_text = page.text()
            except UnreadableSource as error:
                yield FileOutcome(url, url, FAILED, str(error)), None
                continue
            except Exception as error:  # a page the decoder chokes on fails alone
                yield FileOutcome(url, url, FAILED, f"could not be read: {_named(error)}"), None
                continue
            content_hash = Source.hash_text(source_text.text)
            row = known.get(url) or known.get(page.final_url)
            if row and row["content_hash"] == content_hash:
                yield FileOutcome(url, url, UNCHANGED, source_id=row["pk"]), None
                continue
            yield None, CheckedFile(url, None, source_text, None, content_hash, row, page)

    def _known_by_urls(self, urls):
        """{url: its source's row} for the sources holding any of `urls`."""
        urls, known = list(urls), {}
        for start in range(0, len(urls), _LOOKUP_CHUNK):
            rows = Source.objects.filter(url__in=urls[start : start + _LOOKUP_CHUNK])
            known.update((row["url"], row) for row in rows.values(*_KNOWN_FIELDS))
        return known

    def _known_sources(self, keys):
        keys, known = list(keys), {}
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            rows = Source.objects.filter(seed_file__in=keys[start : start + _LOOKUP_CHUNK])
            for row in rows.values(*_KNOWN_FIELDS):
                known[row["seed_file"]] = row
        return known

    def _check(self, path, key, problem, known):
        """Read one file and compare it with its source: (outcome, None) when there is
        nothing more to do with it, else (None, the file read)."""
        if problem:
            status = SKIPPED if problem.startswith("not a ") else FAILED
            return FileOutcome(path, key, status, problem), None
        try:
            source_text = read_source_file(path, self.max_bytes)
            entry = self.manifests.entry_for(path)
        except (UnreadableSource, ManifestError) as error:
            return FileOutcome(path, key, FAILED, str(error)), None
        content_hash = Source.hash_text(source_text.text)
        row = known.get(key)
        if row and row["content_hash"] == content_hash and _agrees(row, entry):
            return FileOutcome(path, key, UNCHANGED, source_id=row["pk"]), None
        return None, CheckedFile(path, key, source_text, entry, content_hash, row)

    def _prepare_safely(self, checked, parsed):
        """`_prepare`, with whatever breaks on one file or page (a page's metadata, say)
        that file's failure rather than the end of the import."""
        try:
            return self._prepare(checked, parsed)
        except Exception as error:
            name = checked.key or str(checked.path)
            message = f"could not be read: {_named(error)}"
            return FileOutcome(checked.path, name, FAILED, message), None

    def _prepare(self, checked, parsed):
        """The outcome of a cleaned file, and what to write (None when it failed)."""
        path, key = checked.path, checked.key or str(checked.path)
        if isinstance(parsed, str):
            return FileOutcome(path, key, FAILED, f"could not be parsed: {parsed}"), None
        facts = page_facts(checked.page, checked.text, parsed) if checked.page else None
        if facts:
            # The page is the source of the URL it was fetched from (web.py): its canonical
            # link never picks another source, it only flags a possible duplicate.
            parsed.url = facts.url
            parsed.title = parsed.title or facts.url
        # An editor's restorations outlive a change to the file, while it still has the line.
        restored_lines = (
            carry_restorations(parsed, checked.text, checked.row["restored_lines"])
            if checked.row
            else []
        )
        if not parsed.body.strip():
            return FileOutcome(path, key, FAILED, "no article text left after cleaning"), None
        _apply_manifest(parsed, checked.entry)
        status = UPDATED if checked.row else IMPORTED
        outcome = FileOutcome(path, key, status, set_aside=len(parsed.set_aside))
        outcome.message = _describe(parsed, checked.source_text)
        if facts:
            _flag_possible_duplicate(outcome, facts, checked.row)
        if restored_lines:
            outcome.message += f", {len(restored_lines)} restored by an editor kept in the body"
        work = PendingWrite(
            outcome,
            checked.row,
            checked.key,
            checked.text,
            checked.content_hash,
            parsed,
            restored_lines,
            page=checked.page,
            facts=facts,
        )
        return outcome, work

    def _write_batch(self, batch, emit):
        """Write new files together, a batch per transaction that only ever holds whole
        files; if the batch fails, write its files one per transaction, so only a bad file
        fails and says why."""
        if not batch:
            return
        if not self._urls_free(batch):
            # A URL held already, or twice in the batch: file by file, so each says whose.
            for work in batch:
                emit(self._write_one(work))
            return
        try:
            with transaction.atomic():
                self._create_sources(batch)
        except Exception:  # rolled back whole; file by file, each then says what failed
            self._outlets.clear()  # outlets made in the rolled-back transaction are gone
            for work in batch:
                emit(self._write_one(work))
            return
        for work in batch:
            emit(work.outcome)

    def _urls_free(self, batch):
        """Whether the batch's URLs are distinct and no source holds one yet (one query)."""
        urls = [work.parsed.url for work in batch if work.parsed.url]
        if len(set(urls)) < len(urls):
            return False
        return not urls or not Source.objects.filter(url__in=urls).exists()

    def _write_one(self, work):
        """Write one file in its own transaction."""
        outcome, parsed = work.outcome, work.parsed
        holder = self._url_holder(parsed.url, work)
        if holder:
            message = f"URL {parsed.url} already belongs to “{holder}”"
            return FileOutcome(outcome.path, outcome.name, FAILED, message)
        try:
            with transaction.atomic():
                self._write(work)
        except DatabaseError as error:
            self._outlets.clear()
            message = f"could not be saved: {_first_line(error)}"
            return FileOutcome(outcome.path, outcome.name, FAILED, message)
        except Exception as error:  # rolled back whole: this file fails, the rest go on
            self._outlets.clear()
            message = f"could not be saved: {_named(error)}"
            return FileOutcome(outcome.path, outcome.name, FAILED, message)
        return outcome

    def _create_sources(self, batch):
        """New sources in bulk, each with its first revision, its "created" log entry, and
        its search and reference index entries: what saving each one would have made."""
        now = timezone.now()
        sources = []
        for work in batch:
            source = Source(seed_file=work.key)
            self._fill(source, work, now)
            # A new source has no tags; saying so spares a query per source below.
            source.tagged_items = []
            sources.append(source)
        Source.objects.bulk_create(sources)
        content_type = ContentType.objects.get_for_model(Source)
        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(source.pk),
                created_at=now,
                user=self.user,
                content=source.serializable_data(),
                object_str=str(source),
            )
            for source in sources
        )
        for source, revision in zip(sources, revisions, strict=True):
            source.latest_revision = revision
        Source.objects.bulk_update(sources, ["latest_revision"])
        SourceCapture.objects.bulk_create(
            SourceCapture.from_page(source, work.page, source.latest_revision)
            for work, source in zip(batch, sources, strict=True)
            if work.page
        )
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=content_type,
                object_id=str(source.pk),
                label=ModelLogEntry.objects.get_instance_title(source),
                action="wagtail.create",
                user=self.user,
                timestamp=now,
                data={},
                content_changed=True,
                uuid=get_active_log_context().uuid,
            )
            for source in sources
        )
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Source, sources)
        _index_references(sources, content_type)
        for work, source in zip(batch, sources, strict=True):
            work.outcome.source_id = source.pk

    def _write(self, work):
        outcome = work.outcome
        source = Source.objects.get(pk=work.row["pk"]) if work.row else Source(seed_file=work.key)
        self._fill(source, work, timezone.now())
        if work.row:
            change = save_source(source, user=self.user)
            source.save_revision(user=self.user, clean=False, log_action=True)
            outcome.flagged_claims = change.flagged_claims
            if outcome.flagged_claims:
                outcome.message += f"; {len(outcome.flagged_claims)} claims need re-check"
        else:
            if work.tags:
                source.tags.set(work.tags)  # kept in memory until save(), so in the revision
            source.save()
            source.save_revision(user=self.user, clean=False)
            log(instance=source, action="wagtail.create", user=self.user, content_changed=True)
        if work.page:
            # The captured copy belongs to the revision its text became; earlier ones stay.
            SourceCapture.from_page(source, work.page, source.latest_revision).save()
        outcome.source_id = source.pk

    def _fill(self, source, work, imported_at):
        """Set what the file (its text, or the manifest) says. Of a source imported before,
        what the file says nothing about keeps the value it has: an editor may have filled
        it in by hand."""
        parsed, known = work.parsed, source.pk is not None
        source.title = parsed.title[:500] or (
            source.title if known else Path(source.seed_file or "").stem
        )
        if not known or parsed.kind_stated:
            source.kind = parsed.kind
        source.language = parsed.language or source.language
        if work.facts:
            source.outlet = self._page_outlet(work.facts)
            source.author = work.facts.author or source.author
            source.captured_at = work.page.fetched_at
            source.canonical_url = work.facts.canonical_url
        elif parsed.outlet_name or not known:
            source.outlet = self._outlet(parsed.outlet_name)
        source.url = parsed.url or source.url or None
        if parsed.published or not known:
            source.published_on = parsed.published.value if parsed.published else None
            source.date_precision = parsed.published.precision if parsed.published else ""
        source.original_text = work.text
        source.body = parsed.body
        source.segments = parsed.segments
        source.set_aside = parsed.set_aside
        source.restored_lines = work.restored_lines
        source.content_hash = work.content_hash
        source.imported_at = imported_at

    def _url_holder(self, url, work):
        if not url:
            return None
        holders = Source.objects.filter(url=url)
        if work.row:
            return holders.exclude(pk=work.row["pk"]).first()
        # A pasted text or a page has no file (key None): any holder of the URL is another.
        return (holders.exclude(seed_file=work.key) if work.key else holders).first()

    def _page_outlet(self, facts):
        key = tuple(facts.outlet_names)
        if key not in self._outlets:
            self._outlets[key] = page_outlet(facts)
        return self._outlets[key]

    def _outlet(self, name):
        """The outlet going by `name` (its name, an alias or its domain, however spelt),
        made if there is none."""
        if not name:
            return None
        if name not in self._outlets:
            outlet = Outlet.objects.matching(name) or Outlet.objects.create(name=name)
            self._outlets[name] = outlet
        return self._outlets[name]


def _flag_possible_duplicate(outcome, facts, row):
    """Name, on the page's outcome, another source at the URL the page names as canonical."""
    if not facts.canonical_url:
        return
    others = Source.objects.named_by(facts.canonical_url).exclude(url=facts.url)
    duplicate = others.exclude(pk=row["pk"]).first() if row else others.first()
    if duplicate:
        outcome.duplicate_of = duplicate.pk
        outcome.message += f"; possible duplicate of “{Truncator(duplicate.title).chars(70)}”"


def _index_references(sources, content_type):
    """What ReferenceIndex.create_or_update_for_object records for each new source (so the
    admin can show where an outlet is used), in one insert: new sources have no old rows."""
    if not ReferenceIndex.is_indexed(Source):
        return
    rows = [row for source in sources for row in reference_rows(source, content_type)]
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=True)


def _agrees(row, entry):
    """Whether what the manifest says about a file is already what its source holds."""
    if entry is None:
        return True
    checks = [
        (entry.url, row["url"]),
        (name_key(entry.outlet), name_key(row["outlet__name"])),
        (entry.title, row["title"]),
        (entry.kind, row["kind"]),
        (entry.language, row["language"]),
    ]
    if entry.date:
        checks += [
            (entry.date.value, row["published_on"]),
            (entry.date.precision, row["date_precision"]),
        ]
    return all(wanted == held for wanted, held in checks if wanted)


def _apply_manifest(parsed, entry):
    if entry is None:
        return
    parsed.url = entry.url
    parsed.outlet_name = entry.outlet or parsed.outlet_name
    parsed.published = entry.date or parsed.published
    parsed.title = entry.title or parsed.title
    parsed.kind = entry.kind or parsed.kind
    parsed.kind_stated = parsed.kind_stated or bool(entry.kind)
    parsed.language = entry.language or parsed.language


def _describe(parsed, source_text):
    notes = [f"“{Truncator(parsed.title).chars(70)}”", f"{len(parsed.set_aside)} lines set aside"]
    if source_text.form:
        notes.append(f"read from {source_text.form}")
    if source_text.encoding not in ("utf-8",):
        notes.append(f"decoded as {source_text.encoding}")
    if source_text.had_bom:
        notes.append("byte-order mark removed")
    if source_text.had_crlf:
        notes.append("CRLF line ends normalised")
    return ", ".join(notes)


def _first_line(error):
    return str(error).splitlines()[0] if str(error) else error.__class__.__name__


def _named(error):
    """An unexpected error, for the editor: its kind and first line."""
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__
