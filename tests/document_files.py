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
