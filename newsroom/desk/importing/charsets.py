"""The charset a fetched page declares, as browsers read it: only the labels of the WHATWG
Encoding Standard (through `webencodings`, the table html5lib uses) name an encoding.

Any other label is ignored, and the page is decoded by sniffing as a file is. Python's
codec registry must never see a label from the web: it also holds codecs that are no text
encoding at all (rot13, zlib, base64, bz2, uu, hex, punycode...), which raise or, worse,
inflate.
"""

import re

import webencodings

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# How far into the page a <meta> charset counts, as the HTML standard's prescan.
META_PRESCAN = 1024 * 4


def declared_encoding(content_type: str, content: bytes) -> webencodings.Encoding | None:
    """The encoding the page's headers declare, else the one its markup declares; None when
    neither names one the Encoding Standard knows."""
    match = _HEADER_CHARSET.search(content_type or "")
    encoding = web_encoding(match.group(1)) if match else None
    if encoding:
        return encoding
    match = _META_CHARSET.search(content[:META_PRESCAN])
    encoding = web_encoding(match.group(1).decode("ascii", "ignore")) if match else None
    # A page that declares UTF-16 in its own ASCII-compatible markup is not UTF-16: the
    # HTML standard reads it as UTF-8.
    if encoding and encoding.name.startswith("utf-16"):
        return webencodings.UTF8
    return encoding


def web_encoding(label: str) -> webencodings.Encoding | None:
    """The encoding `label` names in the Encoding Standard, or None. The "replacement"
    encoding (labels of encodings browsers refuse to decode, such as ISO-2022-KR) is none."""
    encoding = webencodings.lookup(label)
    if encoding is None or encoding.name == "replacement":
        return None
    return encoding


def decode_as(content: bytes, encoding: webencodings.Encoding) -> str | None:
    """`content` decoded strictly, or None when it is not valid in `encoding`."""
    try:
        return encoding.codec_info.decode(content)[0]
    except UnicodeError:
        return None
