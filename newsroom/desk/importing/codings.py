"""A fetched page's content coding (Content-Encoding), undone by the newsroom itself.

httpx inflates whatever a server sends, every coding it stacks, each chunk in one piece, so
a few kilobytes sent as `gzip, gzip` become gigabytes in memory before any cap can count
them. Here the body is read raw and inflated incrementally, never more than the size cap
plus one byte at a time, and only one coding is accepted: a page is compressed once or not
at all, and a stack of codings is refused before a byte of it is read.
"""

import zlib

# What the fetcher asks for: one coding, gzip preferred, or none.
ACCEPT_ENCODING = "gzip, deflate;q=0.5, identity;q=0.1"
IDENTITY, GZIP, DEFLATE = "identity", "gzip", "deflate"
_ALIASES = {"x-gzip": GZIP}


class CodingRefused(Exception):
    """A content coding the newsroom does not undo; the message says why, for the editor."""


class InflatedTooLarge(Exception):
    """The body grew past the size cap as it was inflated."""


def content_coding(values: list[str]) -> str:
    """The one coding that Content-Encoding header `values` name (identity when none), or
    CodingRefused."""
    codings = [part.strip().lower() for value in values for part in value.split(",")]
    codings = [_ALIASES.get(coding, coding) for coding in codings if coding not in ("", IDENTITY)]
    if len(codings) > 1:
        raise CodingRefused(
            f"refused: compressed {len(codings)} times over ({', '.join(codings)}); "
            "a page compressed more than once is not read"
        )
    if not codings:
        return IDENTITY
    if codings[0] not in (GZIP, DEFLATE):
        raise CodingRefused(
            f"refused: compressed as “{codings[0][:40]}”, which the newsroom does not "
            "decompress (only gzip and deflate)"
        )
    return codings[0]


class Inflater:
    """Undoes one content coding, chunk by chunk, raising InflatedTooLarge as soon as the
    output passes `max_bytes`: no call makes more than `max_bytes` + 1 bytes, however
    much a chunk would inflate to. zlib.error when the body is not what it claims."""

    def __init__(self, coding: str, max_bytes: int):
        self.coding = coding
        self.max_bytes = max_bytes
        self.size = 0
        self._zlib = self._decompressor()
        self._started = False

    def _decompressor(self):
        # gzip (its header), or deflate as HTTP means it: zlib-wrapped.
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.coding == GZIP else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        if self.coding == IDENTITY:
            return self._counted(data)
        try:
            return self._inflate(data)
        except zlib.error:
            if self._started or self.coding != DEFLATE:
                raise
            # Some servers send "deflate" without its zlib wrapper, as browsers accept.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._inflate(data)

    def _inflate(self, data: bytes) -> bytes:
        pieces = []
        while data:
            piece = self._counted(self._zlib.decompress(data, self.max_bytes - self.size + 1))
            self._started = True
            pieces.append(piece)
            # Output short of the bound means all input was taken, unless the stream ended:
            # then what follows is the next gzip member (a body may hold several).
            data = self._zlib.unused_data if self._zlib.eof else b""
            if data and self.coding == GZIP:
                self._zlib = self._decompressor()
            else:
                data = b""
        return b"".join(pieces)

    def _counted(self, piece: bytes) -> bytes:
        self.size += len(piece)
        if self.size > self.max_bytes:
            raise InflatedTooLarge
        return piece
