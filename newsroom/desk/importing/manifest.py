"""The optional `sources.toml` beside imported files: facts their text does not state.

    [files."004_c03ff76d15088dc7.txt"]
    outlet = "The Kyiv Independent"
    url = "https://…"          # only a URL you know
    date = "2025-12"           # YYYY, YYYY-MM or YYYY-MM-DD: the precision follows
    title = "…"                # when the text has no usable headline
    kind = "article"           # article, transcript, statement, wire, other
    language = "en"

What the manifest says wins over what the importer infers.
"""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from newsroom.desk.importing.metadata import parse_date
from newsroom.desk.models import Source

MANIFEST_NAME = "sources.toml"
FIELDS = {"outlet", "url", "date", "title", "kind", "language"}


class ManifestError(Exception):
    """The manifest cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class ManifestEntry:
    outlet: str = ""
    url: str = ""
    date: object = None  # a PublicationDate
    title: str = ""
    kind: str = ""
    language: str = ""


class Manifests:
    """The manifests of the folders an import touches, each read once."""

    def __init__(self) -> None:
        self._by_folder = {}

    def entry_for(self, path: str | os.PathLike[str]) -> ManifestEntry | None:
        path = Path(path)  # resolved by discover()
        entries = self._load(path.parent)
        return entries.get(path.name)

    def _load(self, folder):
        if folder not in self._by_folder:
            self._by_folder[folder] = read_manifest(folder / MANIFEST_NAME)
        return self._by_folder[folder]


def read_manifest(path: str | os.PathLike[str]) -> dict[str, ManifestEntry]:
    """{file name: ManifestEntry} from a manifest file; {} when there is none."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ManifestError(f"{path}: not a readable TOML manifest ({error})") from error
    files = data.get("files", {})
    if not isinstance(files, dict):
        raise ManifestError(f"{path}: [files] must be a table of file names")
    return {name: _entry(path, name, fields) for name, fields in files.items()}


def _entry(path, name, fields):
    where = f"{path} [files.{name!r}]"
    if not isinstance(fields, dict):
        raise ManifestError(f"{where}: must be a table")
    unknown = set(fields) - FIELDS
    if unknown:
        raise ManifestError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    values = {key: str(value).strip() for key, value in fields.items()}
    if values.get("url"):
        try:
            URLValidator(schemes=["http", "https"])(values["url"])
        except ValidationError as error:
            raise ManifestError(f"{where}: url {values['url']!r} is not a valid URL") from error
    if values.get("kind") and values["kind"] not in Source.Kind.values:
        raise ManifestError(f"{where}: kind must be one of {', '.join(Source.Kind.values)}")
    published = None
    if values.get("date"):
        published = parse_date(values["date"])
        if published is None:
            raise ManifestError(f"{where}: date {values['date']!r} is not a date")
    return ManifestEntry(
        outlet=values.get("outlet", ""),
        url=values.get("url", ""),
        date=published,
        title=values.get("title", ""),
        kind=values.get("kind", ""),
        language=values.get("language", ""),
    )
