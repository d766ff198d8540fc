"""Documents built in the tests, byte for byte, so that no test depends on a file it did
not make: PDFs with a text layer, a scanned PDF (an image and no text), encrypted ones, and
Word files."""

import io


def pdf_with_pages(pages: list[list[str]]) -> bytes:
    """A PDF whose page N prints the lines pages[N-1] top to bottom, in Helvetica."""
    streams = []
    for lines in pages:
        commands = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            commands.append(f"({escaped}) Tj T*")
        commands.append("ET")
        streams.append("\n".join(commands).encode("latin-1"))
    return _pdf(streams, resources="/Font << /F1 3 0 R >>")


def scanned_pdf(page_count: int = 2) -> bytes:
    """A PDF of pages that are each a picture (a scan): an image, and no text layer."""
    stream = b"q 400 0 0 500 100 150 cm /Im1 Do Q"
    return _pdf([stream] * page_count, resources="/XObject << /Im1 4 0 R >>")


def encrypted_pdf(pages: list[list[str]], password: str = "secret") -> bytes:
    """A PDF with text that opens only with `password`."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_pages(pages))))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_file(paragraphs: list[str], table: list[list[str]] | None = None, title="") -> bytes:
    """A .docx with a heading `title` (if given), the paragraphs, then the table's rows."""
    import docx

    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(streams, resources):
    """The PDF file: catalog (1), page tree (2), font (3), image (4), then per page its page
    object and content stream; the cross-reference table gives each object's offset."""
    page_count = len(streams)
    kids = " ".join(f"{5 + 2 * index} 0 R" for index in range(page_count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x10\x80\x80\xf0\nendstream",
    ]
    for index, stream in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << {resources} >> "
            f"/Contents {6 + 2 * index} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    return _assemble(objects)


def _assemble(objects):
    """The PDF file of `objects` (numbered from 1, the catalog first), with the
    cross-reference table giving each object's offset."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def pdf_sharing_one_stream(page_count: int, repeats: int) -> bytes:
    """A small PDF whose pages all draw one compressed content stream of `repeats` lines of
    text (a few KB on disk, megabytes once inflated, read once per page): the stream-reuse
    attack on a PDF reader."""
    import zlib

    lines = b"(comment comment comment comment) Tj T*\n" * repeats
    stream = zlib.compress(b"BT\n/F1 11 Tf\n14 TL\n72 740 Td\n" + lines + b"ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (5 + index) for index in range(page_count))
        + b"] /Count %d >>" % page_count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objects += [page] * page_count
    return _assemble(objects)


# What a zip bomb's document.xml repeats: about 1 MB of the same paragraph.
BOMB_CHUNK = b"<w:p><w:r><w:t>bomb</w:t></w:r></w:p>" * 28_000


def zip_bomb_docx(inflated_bytes: int, declared_bytes: int | None = None) -> bytes:
    """A .docx whose word/document.xml inflates to `inflated_bytes` of XML, rounded up to
    whole BOMB_CHUNKs (about 3 KB compressed a megabyte). With `declared_bytes`, its headers
    declare that size instead: a lie either way."""
    import zipfile
    import zlib

    real = word_file(["A paragraph."])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real)) as source, zipfile.ZipFile(out, "w") as bomb:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                bomb.writestr(member, source.read(member), zipfile.ZIP_DEFLATED)
        deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        compressed, written = [], 0
        while written < inflated_bytes:
            compressed.append(deflater.compress(BOMB_CHUNK))
            written += len(BOMB_CHUNK)
        compressed.append(deflater.flush())
        # Stored empty, then given its compressed bytes as they are, headers patched: zipfile
        # would compress (and count) the inflated gigabyte itself.
        bomb.writestr(zipfile.ZipInfo("word/document.xml"), b"", zipfile.ZIP_STORED)
    return _with_member_data(
        out.getvalue(), "word/document.xml", b"".join(compressed), declared_bytes or written
    )


def _with_member_data(archive: bytes, name: str, compressed: bytes, declared: int) -> bytes:
    """`archive`, whose last member `name` is stored empty, with that member's data replaced
    by the deflated `compressed` and its uncompressed size declared as `declared`: the zip
    format's own headers, patched (local header, central directory entry, end record)."""
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(archive)) as original:
        local = original.getinfo(name).header_offset
    name_length, extra_length = struct.unpack("<HH", archive[local + 26 : local + 30])
    data_start = local + 30 + name_length + extra_length
    end = archive.rindex(b"PK\x05\x06")
    (directory,) = struct.unpack("<I", archive[end + 16 : end + 20])
    assert directory == data_start, "the member must be last and empty"
    head, tail = bytearray(archive[:data_start]), bytearray(archive[directory:])
    sizes = (0, len(compressed), declared)  # CRC (not checked by the reader), sizes
    struct.pack_into("<H", head, local + 8, zipfile.ZIP_DEFLATED)
    struct.pack_into("<III", head, local + 14, *sizes)
    entry = 0
    while tail[entry : entry + 4] == b"PK\x01\x02":
        lengths = struct.unpack("<HHH", tail[entry + 28 : entry + 34])
        if tail[entry + 46 : entry + 46 + lengths[0]] == name.encode():
            struct.pack_into("<H", tail, entry + 10, zipfile.ZIP_DEFLATED)
            struct.pack_into("<III", tail, entry + 16, *sizes)
        entry += 46 + sum(lengths)
    struct.pack_into("<I", tail, len(tail) - 22 + 16, directory + len(compressed))
    return bytes(head) + compressed + bytes(tail)
