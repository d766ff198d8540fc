"""Zip-based documents (.docx) checked before any library opens them: a zip bomb is refused
by its members' sizes and compression ratios, not discovered by running out of memory.

A member's declared sizes are checked first, then each member is inflated in small pieces
and its actual bytes counted, stopping as soon as a cap is passed, because the declared
sizes are the attacker's to write (a member can declare 1 KB and inflate to 1 GB; several
entries can point at the same compressed data). Only the two ways of storing a member that
Office and LibreOffice write (stored, deflated) are accepted.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

from newsroom.desk.importing.reading import UnreadableSource, format_size

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... name length, extra length
_LOCAL_SIGNATURE = b"PK\x03\x04"
_CHUNK = 64 * 1024
# A member smaller than this unzipped is not judged by its ratio: a small part of blank
# XML compresses a hundredfold and harms nobody.
_RATIO_FROM = 1024 * 1024
# More members than a Word file ever has (parts, images, fonts): a directory of millions
# of empty entries is a bomb of its own.
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class ArchiveLimits:
    unzipped_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "ArchiveLimits":
        return cls(
            unzipped_bytes=settings.NEWSROOM_DOCUMENT_MAX_UNZIPPED_MB * 1024 * 1024,
            ratio=settings.NEWSROOM_DOCUMENT_MAX_RATIO,
        )


def check_archive(raw: bytes, what: str, suffix: str, limits: ArchiveLimits | None = None) -> None:
    """Raise UnreadableSource when the zip `raw` (a `what`, e.g. "Word file") is not one,
    or unzips past the limits; return when every member's real size is within them."""
    limits = limits or ArchiveLimits.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableSource(
            f"damaged {what}, or not a {suffix} one: not a readable zip"
        ) from error
    if len(members) > MAX_MEMBERS:
        raise UnreadableSource(f"{what} of {len(members):,} parts: over the {MAX_MEMBERS:,} limit")
    total = 0
    for member in members:
        _check_declared(member, what, limits)
        size = _inflated_size(raw, member, what, limits.unzipped_bytes - total)
        if size is None:
            raise UnreadableSource(
                f"{what} that unzips to more than {format_size(limits.unzipped_bytes)}: "
                "over the limit (a zip bomb?)"
            )
        if size >= _RATIO_FROM and size > limits.ratio * max(member.compress_size, 1):
            raise UnreadableSource(
                f"{what} whose part {member.filename!r} unzips to {format_size(size)}, over "
                f"{limits.ratio} times its compressed size (a zip bomb?)"
            )
        total += size


def _check_declared(member, what, limits):
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnreadableSource(f"{what} with a part compressed in a way Word never uses")
    if member.file_size > limits.unzipped_bytes:
        raise UnreadableSource(_too_large(what, member.file_size, limits.unzipped_bytes))
    if member.file_size >= _RATIO_FROM and member.file_size > limits.ratio * max(
        member.compress_size, 1
    ):
        raise UnreadableSource(
            f"{what} whose part {member.filename!r} would unzip to "
            f"{format_size(member.file_size)}, over {limits.ratio} times its compressed size "
            "(a zip bomb?)"
        )


def _inflated_size(raw, member, what, allowed):
    """The bytes `member` really inflates to, counted piece by piece, or None as soon as
    they pass `allowed` (what the archive may still unzip to)."""
    data = _compressed_data(raw, member, what)
    if member.compress_type == zipfile.ZIP_STORED:
        size = len(data)
    else:
        inflater, size = zlib.decompressobj(-zlib.MAX_WBITS), 0
        try:
            while data and size <= allowed:
                size += len(inflater.decompress(data, _CHUNK))
                data = inflater.unconsumed_tail
            # What zlib still holds once all input is in; flush() would inflate whatever
            # input is left too, so only then, and only a piece.
            if not data:
                size += len(inflater.flush(_CHUNK))
        except zlib.error as error:
            raise UnreadableSource(f"damaged {what}: a part does not unzip") from error
    return None if size > allowed else size


def _compressed_data(raw, member, what):
    """A member's compressed bytes, found through its local header (the zip format's own
    layout), read without inflating them."""
    start = member.header_offset
    header = raw[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise UnreadableSource(f"damaged {what}: a part lies outside the file")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        raise UnreadableSource(f"damaged {what}: a part lies outside the file")
    data_start = start + _LOCAL_HEADER.size + name_length + extra_length
    return raw[data_start : data_start + member.compress_size]


def _too_large(what, size, limit):
    return f"{what} that would unzip to {format_size(size)}: over the {format_size(limit)} limit"
