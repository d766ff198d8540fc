"""Which files the importer reads, and how each kind becomes text: text files decoded,
caption files decoded and checked whole, documents read by their library."""

import os
from pathlib import Path

from newsroom.desk.importing.captions import check_captions
from newsroom.desk.importing.documents import read_docx, read_pdf
from newsroom.desk.importing.reading import MAX_BYTES, SourceText, decode, read_bytes

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
CAPTION_SUFFIXES = (".srt", ".vtt")
DOCUMENT_SUFFIXES = (".pdf", ".docx")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + CAPTION_SUFFIXES + DOCUMENT_SUFFIXES
UNSUPPORTED = (
    f"not a {', '.join(TEXT_SUFFIXES)} file, nor a caption ({', '.join(CAPTION_SUFFIXES)}) "
    f"or document ({', '.join(DOCUMENT_SUFFIXES)}) file"
)


def read_source_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> SourceText:
    """The text of a file of any supported kind, or UnreadableSource saying why not. A
    caption file is read whole or not at all: one malformed cue fails the file."""
    suffix = Path(path).suffix.lower()
    raw = read_bytes(path, max_bytes)
    if suffix == ".pdf":
        return read_pdf(raw)
    if suffix == ".docx":
        return read_docx(raw)
    source_text = decode(raw)
    if suffix in CAPTION_SUFFIXES:
        cues = check_captions(source_text.text, suffix.removeprefix("."))
        return SourceText(
            source_text.text,
            source_text.encoding,
            source_text.had_bom,
            source_text.had_crlf,
            form=f"{suffix.removeprefix('.').upper()} captions, {cues} cues",
        )
    return source_text
