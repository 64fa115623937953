"""Small real files made in the test: a valid PDF, images, a DOCX and an ODT, and fakes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(text: str = "Utgreiing") -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + (body or b"") + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def image_bytes(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    """A ZIP member with a fixed date, so the same file comes out byte for byte each time."""
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


def docx_bytes(*, macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            _member("[Content_Types].xml"),
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(_member("_rels/.rels"), "<Relationships/>")
        z.writestr(_member("word/document.xml"), "<w:document><w:body>Brev</w:body></w:document>")
        if macros:
            z.writestr(_member("word/vbaProject.bin"), b"\x00macro")
    return out.getvalue()


def odt_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(_member("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr(
            _member("content.xml"), "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED
        )
        z.writestr(
            _member("META-INF/manifest.xml"), "<manifest/>", compress_type=zipfile.ZIP_DEFLATED
        )
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(_member("readme.txt"), "hei")
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    """A file as the browser sends it (the content type it claims is never trusted)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "utgreiing.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")


def png(name: str = "teikning.png") -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG"), "image/png")


def stored_files(root: Path) -> list[Path]:
    """Every file under the (temporary) MEDIA_ROOT."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def body(response: Any) -> bytes:
    """A download's bytes, and the file behind it closed.

    The test client closes a streamed response when it is read to the end; a response made
    directly is closed here through its file (``response.close()`` would also send
    ``request_finished``, which closes the test's database connection).
    """
    if not getattr(response, "streaming", False):
        return bytes(response.content)
    data = b"".join(response.streaming_content)
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()
    return data
