"""The process that reads a document's text, run apart from the importer under limits.

pypdf and python-docx cannot be bounded from inside: a PDF whose pages share one huge
content stream, or nest objects deeply, keeps pypdf busy for minutes in one call, and an
XML part can take gigabytes. So documents.py runs this file as a child process
(`python document_process.py pdf|docx SECONDS MEMORY_MB MAX_PAGES MAX_CHARS`, the
document's bytes on stdin) that first limits its own address space and CPU time, and is
killed by its parent at the deadline. It answers one JSON object on stdout:
{"parts": [...]} (a PDF's page texts, a Word file's paragraphs and tables, in order), or
{"refused": "why"} for a document past a cap or not readable.

It imports nothing of the project (whose package pulls in Django and Celery), so it starts
in a fraction of a second and holds only what reading needs.
"""

import io
import json
import logging
import resource
import sys

# What the parent reads from the exit status: memory ran out, as opposed to a crash.
OUT_OF_MEMORY = 3


def limit_self(seconds: int, memory_mb: int) -> None:
    """Cap this process's CPU seconds (SIGXCPU past it) and address space (MemoryError)."""
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


class Refused(Exception):
    """The document is past a cap, or unreadable; the message says why, for the editor."""


def pdf_pages(raw: bytes, max_pages: int, max_chars: int) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not _opens_without_password(reader, PyPdfError):
            raise Refused("encrypted PDF: it needs a password to open")
        count = len(reader.pages)
        if count > max_pages:
            raise Refused(f"too many pages: {count}, over the limit of {max_pages}")
        pages, chars = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > max_chars:
                raise Refused(_too_much_text(max_chars))
    except (Refused, MemoryError):
        raise
    except (DependencyError, FileNotDecryptedError) as error:
        raise Refused(f"damaged or incomplete PDF: {_first_line(error)}") from error
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise Refused(f"damaged or incomplete PDF: {_first_line(error)}") from error
    return pages


def docx_blocks(raw: bytes, max_pages: int, max_chars: int) -> list[str]:
    """A Word file's paragraphs and tables (a table's rows as "| a | b |"), in order. It has
    no pages to count: `max_chars` bounds it."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks, chars = [], 0
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                blocks.append(" ".join(block.text.split()))
            elif isinstance(block, Table):
                blocks.append(_table(block))
            else:
                continue
            chars += len(blocks[-1])
            if chars > max_chars:
                raise Refused(_too_much_text(max_chars))
    except (Refused, MemoryError):
        raise
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise Refused(f"damaged Word file, or not a .docx one: {_first_line(error)}") from error
    return blocks


def _table(table):
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()).replace("|", "/") for cell in row.cells]
        rows.append("| " + " | ".join(cells) + " |")
        if len(rows) == 1:
            rows.append("|" + "---|" * len(cells))
    return "\n".join(rows)


def _opens_without_password(reader, errors):
    """Many PDFs are encrypted only against printing or copying, with an empty password."""
    try:
        return bool(reader.decrypt(""))
    except errors:
        return False


def _too_much_text(max_chars):
    return f"too much text: over the limit of {max_chars:,} characters"


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


READERS = {"pdf": pdf_pages, "docx": docx_blocks}


def main(argv: list[str]) -> int:
    kind, seconds, memory_mb, max_pages, max_chars = argv
    limit_self(int(seconds), int(memory_mb))
    raw = sys.stdin.buffer.read()
    try:
        try:
            answer = {"parts": READERS[kind](raw, int(max_pages), int(max_chars))}
        except Refused as refusal:
            answer = {"refused": str(refusal)}
        sys.stdout.write(json.dumps(answer))
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
