"""What a file is, by its content, and whether its name is safe to keep: pure Python.

The name a browser sends proves nothing (an HTML page called ``rapport.pdf`` is still a web
page), so uploads are recognised by their first bytes, and a DOCX or ODT by the members of
its ZIP container. Only the kinds below are recognised; everything else is unknown and
refused by :mod:`medvirk.core.uploads`, which turns the codes here into translated messages.
No Django here, so the rules can be tested (and reused) on their own.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO


class FileKind(StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    GIF = "gif"
    WEBP = "webp"
    DOCX = "docx"
    ODT = "odt"


@dataclass(frozen=True)
class KindInfo:
    content_type: str
    # Extensions a file of this kind may have; the first is the one given to a name without.
    extensions: tuple[str, ...]


KINDS: dict[FileKind, KindInfo] = {
    FileKind.PDF: KindInfo("application/pdf", ("pdf",)),
    FileKind.PNG: KindInfo("image/png", ("png",)),
    FileKind.JPEG: KindInfo("image/jpeg", ("jpg", "jpeg", "jpe", "jfif")),
    FileKind.GIF: KindInfo("image/gif", ("gif",)),
    FileKind.WEBP: KindInfo("image/webp", ("webp",)),
    FileKind.DOCX: KindInfo(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
    ),
    FileKind.ODT: KindInfo("application/vnd.oasis.opendocument.text", ("odt",)),
}
CONTENT_TYPES = frozenset(info.content_type for info in KINDS.values())
IMAGES = frozenset({FileKind.PNG, FileKind.JPEG, FileKind.GIF, FileKind.WEBP})

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A Word file with macros (.docm renamed) carries this member: never accepted.
DOCX_MACROS = "word/vbaProject.bin"
# More members than any real text document has: a crafted archive, not a letter.
MAX_ZIP_MEMBERS = 5000
HEAD_BYTES = 16


def detect(stream: BinaryIO) -> FileKind | None:
    """The kind of file ``stream`` holds by its content, or None for anything else.

    The stream must be seekable; it is left at position 0.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = FileKind.PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = FileKind.PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = FileKind.JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = FileKind.GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = FileKind.WEBP
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(stream)
    stream.seek(0)
    return kind


def _office_kind(stream: BinaryIO) -> FileKind | None:
    """DOCX or ODT by the ZIP's members (only the directory is read, nothing is unpacked
    except the few bytes of ODT's ``mimetype``)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return None
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return None if DOCX_MACROS in names else FileKind.DOCX
            # ODF: the first member is "mimetype", stored uncompressed, naming the type.
            first = infos[0] if infos else None
            if (
                first is not None
                and first.filename == "mimetype"
                and first.compress_type == zipfile.ZIP_STORED
                and first.file_size <= len(ODT_MIMETYPE)
                and "content.xml" in names
            ):
                with archive.open(first) as member:
                    if member.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE:
                        return FileKind.ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    return None


def looks_like_markup(stream: BinaryIO) -> bool:
    """Does the file start like HTML, SVG or XML (after a BOM and white space)?

    Such files are unknown anyway; this only makes the refusal say why.
    """
    stream.seek(0)
    head = stream.read(512)
    stream.seek(0)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return text.startswith((b"<", b"\xfe\xff", b"\xff\xfe"))


# -- names -----------------------------------------------------------------------------------


class NameProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    PATH = "path"
    HIDDEN_CHARACTERS = "hidden_characters"
    LEADING_DOT = "leading_dot"
    ONLY_DOTS = "only_dots"
    TRAILING_DOT = "trailing_dot"
    RESERVED = "reserved"


MAX_NAME_LENGTH = 200
# Names Windows keeps for devices: "CON.pdf" cannot be saved there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in "123456789¹²³"}
    | {f"lpt{n}" for n in "123456789¹²³"}
)
# Control, format (bidi, zero-width), surrogate, private-use, unassigned, line/paragraph
# separator characters: they hide or reorder what a name shows.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Characters Windows does not allow in names; harmless to us, so they become "_".
WINDOWS_FORBIDDEN = frozenset('<>:"|?*')


def name_problem(name: str) -> NameProblem | None:
    """Why ``name`` may not be kept as a file's name, or None when it may.

    Refused rather than repaired: anything that walks a path (separators, ``..``), hides
    or reorders text (control, format and bidi characters), hides the file (leading dot)
    or names a device.
    """
    if not name or not name.strip():
        return NameProblem.EMPTY
    if len(name) > MAX_NAME_LENGTH:
        return NameProblem.TOO_LONG
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        return NameProblem.PATH
    if any(unicodedata.category(char) in HIDDEN_CATEGORIES for char in name):
        return NameProblem.HIDDEN_CHARACTERS
    if not name.strip(". "):
        return NameProblem.ONLY_DOTS
    if name.lstrip().startswith("."):
        return NameProblem.LEADING_DOT
    if name.rstrip() != name or name.endswith("."):
        return NameProblem.TRAILING_DOT
    stem = name.split(".", 1)[0].strip().lower()
    if stem in WINDOWS_RESERVED:
        return NameProblem.RESERVED
    return None


def extension_of(name: str) -> str:
    """The lower-case extension without the dot ("" when the name has none)."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def safe_name(name: str, kind: FileKind) -> str:
    """The display name kept for an accepted file (``name`` has passed :func:`name_problem`).

    NFC (macOS sends decomposed letters), runs of white space as one space, characters
    Windows refuses as "_", and the kind's extension added when the name has none.
    """
    cleaned = unicodedata.normalize("NFC", " ".join(name.split()))
    cleaned = "".join("_" if char in WINDOWS_FORBIDDEN else char for char in cleaned)
    if not extension_of(cleaned):
        cleaned = f"{cleaned}.{KINDS[kind].extensions[0]}"
    if len(cleaned) > MAX_NAME_LENGTH:
        cleaned = cleaned[: MAX_NAME_LENGTH - 10] + cleaned[-10:]
    return cleaned


def extension_fits(name: str, kind: FileKind) -> bool:
    """False when the name's extension says another kind than the content (no extension
    fits: :func:`safe_name` adds the right one)."""
    extension = extension_of(name)
    return not extension or extension in KINDS[kind].extensions


def shown(name: str, limit: int = 80) -> str:
    """A refused name as it may be quoted back in a message: hidden characters dropped."""
    visible = "".join(
        "?" if unicodedata.category(char) in HIDDEN_CATEGORIES else char for char in name
    )
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"
