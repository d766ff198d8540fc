"""From a file's bytes to trustworthy text, or a clear reason why not."""

import codecs
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

MAX_BYTES = 5 * 1024 * 1024

# Encodings that news text found in the wild is usually in when it is not UTF-8.
LEGACY_ENCODINGS = [
    "cp1252",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
    "mac_roman",
]
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x7fELF",
    b"\x1f\x8b",
)
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13))
_WORD = re.compile(r"[^\W\d_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class UnreadableSource(Exception):
    """A file that cannot become a source; the message says why, for the editor."""


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    had_bom: bool = False
    had_crlf: bool = False
    #: What the text was read from, when not a text file ("PDF, 3 pages").
    form: str = ""


def format_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def read_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    path = Path(path)
    try:
        if path.is_dir():
            raise UnreadableSource("is a folder, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableSource(
                f"too large: {format_size(size)}, over the {format_size(max_bytes)} limit"
            )
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError as error:
        raise UnreadableSource("no such file") from error
    except PermissionError as error:
        raise UnreadableSource("cannot be read: permission denied") from error
    except OSError as error:
        raise UnreadableSource(f"cannot be read: {error.strerror or error}") from error


def decode(raw: bytes) -> SourceText:
    """Decode `raw` to text with Unix line ends, or raise UnreadableSource."""
    if not raw.strip():
        raise UnreadableSource("empty file")
    encoding, had_bom = _bom_encoding(raw)
    if encoding:
        raw = raw[len(_bom_for(encoding)) :]
        text = _strict(raw, encoding)
        if text is None:
            raise UnreadableSource(f"invalid {encoding} after its byte-order mark")
    else:
        if _looks_binary(raw):
            raise UnreadableSource("binary file, not text")
        encoding, text = "utf-8", _strict(raw, "utf-8")
        if text is None:
            encoding, text = _legacy(raw)
    had_crlf = "\r" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise UnreadableSource("empty file")
    return SourceText(text=text, encoding=encoding, had_bom=had_bom, had_crlf=had_crlf)


def read_source_text(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> SourceText:
    return decode(read_bytes(path, max_bytes))


def _bom_encoding(raw):
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding, True
    return None, False


def _bom_for(encoding):
    return next(bom for bom, name in _BOMS if name == encoding)


def _strict(raw, encoding):
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text.replace("\t", "")) else text


def _looks_binary(raw):
    head = raw[:8192]
    if head.startswith(_BINARY_SIGNATURES) or b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


def _legacy(raw):
    """Try the usual legacy encodings, best guess first; refuse when none gives text that
    reads like language rather than mojibake."""
    guesses = [match.encoding for match in from_bytes(raw, cp_isolation=LEGACY_ENCODINGS)]
    for encoding in dict.fromkeys([*guesses, *LEGACY_ENCODINGS]):
        text = _strict(raw, encoding)
        if text is not None and _reads_as_language(text):
            # Several code pages often agree on a text; name the most usual of them.
            same = (name for name in LEGACY_ENCODINGS if _strict(raw, name) == text)
            return next(same, encoding), text
    raise UnreadableSource(
        "not valid UTF-8, and none of the usual legacy encodings "
        f"({', '.join(LEGACY_ENCODINGS)}) decodes it to readable text"
    )


def _reads_as_language(text):
    """Whether the non-ASCII part of a decoding looks like words, not mojibake: few
    symbols, and words cased the way words are (no "ÞçÄ"), in one script each."""
    foreign = [char for char in text if ord(char) > 127]
    if not foreign:
        return True
    symbols = sum(
        1
        for char in foreign
        if unicodedata.category(char)[0] in "SC" or unicodedata.category(char) == "Lm"
    )
    if symbols / len(foreign) > 0.2:
        return False
    words = [word for word in _WORD.findall(text) if len(word) >= 3 and not word.isascii()]
    if not words:
        return True
    well_formed = sum(1 for word in words if _well_formed(word))
    return well_formed / len(words) >= 0.8


def _well_formed(word):
    cased = word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())
    scripts = {unicodedata.name(char, "?").split()[0] for char in word if char.isalpha()}
    return cased and len(scripts) == 1
