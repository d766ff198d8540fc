"""Documents (PDF, Word) read into text the importer cleans like any other.

A PDF's text is read page by page (pypdf), each page opened by a form-feed line
(cleaning.PAGE_BREAK), so the body keeps each page's place and a quote can cite "p. 3".
PDF text comes hard-wrapped, one printed line per line; a line as wide as the page's
widest runs on into the next, a shorter one ends its paragraph. A Word file's paragraphs
and tables are read in order (python-docx), a table row as "| a | b |".

A document with nothing to read fails with the reason: an encrypted PDF, a PDF with no text
layer (a scan), a damaged file. So does one past a budget (issue #25): a Word file is
checked for a zip bomb before it is opened (archives.py), and both kinds are read in a child
process (document_process.py) limited to NEWSROOM_PARSE_SECONDS and NEWSROOM_PARSE_MEMORY_MB,
killed at the deadline, reading at most NEWSROOM_DOCUMENT_MAX_PAGES pages and
NEWSROOM_DOCUMENT_MAX_CHARS characters.
"""

import json
import re
import signal
import subprocess
import sys

from django.conf import settings

from newsroom.desk.importing import document_process
from newsroom.desk.importing.archives import check_archive
from newsroom.desk.importing.cleaning import PAGE_BREAK, PAGE_NUMBER_LINE
from newsroom.desk.importing.reading import SourceText, UnreadableSource

# A printed line at least this share of the page's widest runs on into the next one.
_FULL_LINE = 0.75
_LIST_ITEM = re.compile(r"^(?:[-*•–]\s+|\d+[.)]\s+)")
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")


def read_pdf(raw: bytes) -> SourceText:
    """A PDF's text, each page opened by PAGE_BREAK, or UnreadableSource saying why not."""
    pages = read_in_child("pdf", raw)
    if not pages:
        raise UnreadableSource("PDF with no pages")
    if not any(page.strip() for page in pages):
        raise UnreadableSource(f"no text layer (a scan?): {_pages(len(pages))} and no text")
    text = "\n".join(f"{PAGE_BREAK}\n{_unwrap(page)}" for page in pages)
    return SourceText(text=text, encoding="utf-8", form=f"PDF, {_pages(len(pages))}")


def read_docx(raw: bytes) -> SourceText:
    """A Word file's paragraphs and tables, in order, or UnreadableSource saying why not."""
    check_archive(raw, "Word file", ".docx")
    blocks = [block for block in read_in_child("docx", raw) if block]
    if not blocks:
        raise UnreadableSource("Word file with no text in it")
    return SourceText(text="\n\n".join(blocks), encoding="utf-8", form="Word document")


def read_in_child(kind: str, raw: bytes) -> list[str]:
    """The text parts of a document of `kind` ("pdf", "docx"), read by document_process.py
    in a child process under the settings' limits; UnreadableSource saying why not."""
    seconds, memory_mb = settings.NEWSROOM_PARSE_SECONDS, settings.NEWSROOM_PARSE_MEMORY_MB
    command = [
        sys.executable,
        "-I",  # isolated: no user site, no environment variables steering Python
        document_process.__file__,
        kind,
        str(seconds),
        str(memory_mb),
        str(settings.NEWSROOM_DOCUMENT_MAX_PAGES),
        str(settings.NEWSROOM_DOCUMENT_MAX_CHARS),
    ]
    try:
        # run() kills the child when the wall-clock deadline passes (CPU time is capped
        # in the child too, but a child may also wait without using the CPU).
        done = subprocess.run(command, input=raw, capture_output=True, timeout=seconds)
    except subprocess.TimeoutExpired as error:
        raise UnreadableSource(_took_too_long(seconds)) from error
    if done.returncode == document_process.OUT_OF_MEMORY or b"MemoryError" in done.stderr:
        raise UnreadableSource(f"needs more than {memory_mb} MB of memory to read")
    if done.returncode == -signal.SIGXCPU:
        raise UnreadableSource(_took_too_long(seconds))
    if done.returncode != 0:
        raise UnreadableSource(f"the document reader stopped (exit status {done.returncode})")
    answer = json.loads(done.stdout)
    if "refused" in answer:
        raise UnreadableSource(answer["refused"])
    return answer["parts"]


def _took_too_long(seconds):
    return f"took longer than {seconds} s to read (a damaged or hostile file?)"


def _unwrap(page_text):
    """A page's printed lines as paragraphs, one per line, blank lines between. A list
    item and a page number (a footer) always start a line of their own."""
    lines = [" ".join(line.split()) for line in page_text.split("\n")]
    widest = max((len(line) for line in lines), default=0)
    # A paragraph is a list of its printed lines, joined once when it ends: joining line by
    # line copied the paragraph for every line, quadratic on a page of run-on lines.
    paragraphs, current = [], []
    for line in lines:
        if not line:
            paragraphs.append(current)
            current = []
        elif current and not _LIST_ITEM.match(line) and not PAGE_NUMBER_LINE.match(line):
            _run_on(current, line)
        else:
            paragraphs.append(current)
            current = [line]
        if line and len(line) < _FULL_LINE * widest:
            paragraphs.append(current)
            current = []
    paragraphs.append(current)
    return "\n\n".join("".join(paragraph) for paragraph in paragraphs if paragraph)


def _run_on(paragraph, line):
    """Continue `paragraph` (its printed lines so far) with the next one, a word broken by a
    hyphen made whole."""
    if _BROKEN_WORD.search(paragraph[-1][-2:]) and line[:1].islower():
        paragraph[-1] = paragraph[-1][:-1]
        paragraph.append(line)
    else:
        paragraph.append(" " + line)


def _pages(count):
    return f"{count} page{'s' if count != 1 else ''}"


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__
