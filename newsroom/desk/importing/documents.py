"""Documents (PDF, Word) read into text the importer cleans like any other.

A PDF's text is read page by page (pypdf), each page opened by a form-feed line
(cleaning.PAGE_BREAK), so the body keeps each page's place and a quote can cite "p. 3".
PDF text comes hard-wrapped, one printed line per line; a line as wide as the page's
widest runs on into the next, a shorter one ends its paragraph. A Word file's paragraphs
and tables are read in order (python-docx), a table row as "| a | b |".

A document with nothing to read fails with the reason: an encrypted PDF, a PDF with no text
layer (a scan), a damaged file.
"""

import io
import logging
import re

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from newsroom.desk.importing.cleaning import PAGE_BREAK, PAGE_NUMBER_LINE
from newsroom.desk.importing.reading import SourceText, UnreadableSource

# A printed line at least this share of the page's widest runs on into the next one.
_FULL_LINE = 0.75
_LIST_ITEM = re.compile(r"^(?:[-*•–]\s+|\d+[.)]\s+)")

# pypdf logs what it repairs in a damaged file; the importer's outcome line says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(raw: bytes) -> SourceText:
    """A PDF's text, each page opened by PAGE_BREAK, or UnreadableSource saying why not."""
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise UnreadableSource("encrypted PDF: it needs a password to open")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableSource:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise UnreadableSource(f"damaged or incomplete PDF: {_first_line(error)}") from error
    if not pages:
        raise UnreadableSource("PDF with no pages")
    if not any(page.strip() for page in pages):
        raise UnreadableSource(f"no text layer (a scan?): {_pages(len(pages))} and no text")
    text = "\n".join(f"{PAGE_BREAK}\n{_unwrap(page)}" for page in pages)
    return SourceText(text=text, encoding="utf-8", form=f"PDF, {_pages(len(pages))}")


def read_docx(raw: bytes) -> SourceText:
    """A Word file's paragraphs and tables, in order, or UnreadableSource saying why not."""
    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = [block for block in _blocks(document) if block]
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise UnreadableSource(
            f"damaged Word file, or not a .docx one: {_first_line(error)}"
        ) from error
    if not blocks:
        raise UnreadableSource("Word file with no text in it")
    return SourceText(text="\n\n".join(blocks), encoding="utf-8", form="Word document")


def _opens_without_password(reader):
    """Many PDFs are encrypted only against printing or copying, with an empty password."""
    try:
        return bool(reader.decrypt(""))
    except (DependencyError, FileNotDecryptedError, PyPdfError):
        return False


def _unwrap(page_text):
    """A page's printed lines as paragraphs, one per line, blank lines between. A list
    item and a page number (a footer) always start a line of their own."""
    lines = [" ".join(line.split()) for line in page_text.split("\n")]
    widest = max((len(line) for line in lines), default=0)
    paragraphs, current = [], ""
    for line in lines:
        if not line:
            paragraphs.append(current)
            current = ""
        elif current and not _LIST_ITEM.match(line) and not PAGE_NUMBER_LINE.match(line):
            current = _run_on(current, line)
        else:
            paragraphs.append(current)
            current = line
        if line and len(line) < _FULL_LINE * widest:
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _run_on(text, line):
    """`text` continued by the next printed line, a word broken by a hyphen made whole."""
    if re.search(r"[^\W\d_]-$", text) and line[:1].islower():
        return text[:-1] + line
    return f"{text} {line}"


def _blocks(document: Document):
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield " ".join(block.text.split())
        elif isinstance(block, Table):
            yield _table(block)


def _table(table):
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()).replace("|", "/") for cell in row.cells]
        rows.append("| " + " | ".join(cells) + " |")
        if len(rows) == 1:
            rows.append("|" + "---|" * len(cells))
    return "\n".join(rows)


def _pages(count):
    return f"{count} page{'s' if count != 1 else ''}"


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__
