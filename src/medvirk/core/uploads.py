"""The one way files come in and go out: check, store, serve.

Every upload (a case's documents, attachments to input, a høring's submissions) goes
through here, so the rules hold everywhere:

- :func:`check_upload` recognises the file by its content (``core.filetypes``), refuses
  other kinds, files over ``MEDVIRK_UPLOAD_MAX_BYTES``, hostile names and a name whose
  extension says another kind than the content, each with a message the person can act on.
- :func:`store` writes through ``storages["default"]`` under a random name (never the
  person's), so S3-compatible storage can replace the disk by settings alone. Files written
  in a transaction that then fails are deleted (:func:`discard_on_failure`); files of rows
  deleted go after the commit (:func:`delete_after_commit`).
- :func:`download_response` serves a file as a download only: ``attachment``, the type
  found at upload, ``nosniff`` and a sandbox CSP, so a file can never run as a page here.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ActionRefused
from .filetypes import (
    CONTENT_TYPES,
    IMAGES,
    KINDS,
    FileKind,
    NameProblem,
    detect,
    extension_fits,
    extension_of,
    looks_like_markup,
    name_problem,
    safe_name,
    shown,
)

log = logging.getLogger(__name__)

# What each use takes: a case's documents are PDFs and images (drawings, photos); input
# may also come as a Word or OpenDocument text.
DOCUMENT_KINDS = frozenset({FileKind.PDF, *IMAGES})
ATTACHMENT_KINDS = frozenset({*DOCUMENT_KINDS, FileKind.DOCX, FileKind.ODT})

KIND_LABELS = {
    FileKind.PDF: gettext_lazy("PDF"),
    FileKind.PNG: gettext_lazy("PNG image"),
    FileKind.JPEG: gettext_lazy("JPEG image"),
    FileKind.GIF: gettext_lazy("GIF image"),
    FileKind.WEBP: gettext_lazy("WebP image"),
    FileKind.DOCX: gettext_lazy("Word document (DOCX)"),
    FileKind.ODT: gettext_lazy("OpenDocument text (ODT)"),
}
_BY_CONTENT_TYPE = {info.content_type: kind for kind, info in KINDS.items()}


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed :func:`check_upload`: its safe display name and its real kind."""

    file: File[Any]
    name: str
    kind: FileKind
    size: int

    @property
    def content_type(self) -> str:
        return KINDS[self.kind].content_type


class UploadRefused(ActionRefused):
    """One file was refused; ``message`` names the file and says why."""


def max_bytes() -> int:
    return int(settings.MEDVIRK_UPLOAD_MAX_BYTES)


def kinds_in_words(kinds: Collection[FileKind]) -> str:
    return ", ".join(str(KIND_LABELS[k]) for k in FileKind if k in kinds)


def _name_refusal(problem: NameProblem, name: str) -> str:
    messages = {
        NameProblem.EMPTY: _("A file has no name. Give it a name and choose it again."),
        NameProblem.TOO_LONG: _(
            "The name of “%(name)s” is longer than 200 characters. Shorten it and choose it again."
        ),
        NameProblem.PATH: _(
            "The name “%(name)s” contains a folder path (/, \\ or ..). Rename the file and "
            "choose it again."
        ),
        NameProblem.HIDDEN_CHARACTERS: _(
            "The name “%(name)s” contains hidden or control characters. Rename the file and "
            "choose it again."
        ),
        NameProblem.LEADING_DOT: _(
            "The name “%(name)s” starts with a dot. Rename the file and choose it again."
        ),
        NameProblem.ONLY_DOTS: _(
            "The name “%(name)s” has only dots or spaces. Rename the file and choose it again."
        ),
        NameProblem.TRAILING_DOT: _(
            "The name “%(name)s” ends with a dot or a space. Rename the file and choose it again."
        ),
        NameProblem.RESERVED: _(
            "The name “%(name)s” is reserved by Windows (CON, PRN, AUX, NUL, COM1 …). Rename "
            "the file and choose it again."
        ),
    }
    return messages[problem] % {"name": shown(name)}


def check_upload(file: File[Any], allowed_kinds: Collection[FileKind]) -> CheckedUpload:
    """The file's kind and safe name, or :class:`UploadRefused` saying what is wrong.

    Nothing is stored here; the file is left at position 0.
    """
    name = str(file.name or "")
    problem = name_problem(name)
    if problem is not None:
        raise UploadRefused(_name_refusal(problem, name))
    size = int(file.size or 0)
    if size > max_bytes():
        raise UploadRefused(
            _("“%(name)s” is %(size)s; a file may be at most %(max)s.")
            % {
                "name": shown(name),
                "size": filesizeformat(size),
                "max": filesizeformat(max_bytes()),
            }
        )
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": shown(name)})
    accepted = kinds_in_words(allowed_kinds)
    kind = detect(file)  # type: ignore[arg-type]  # Django's File is a binary stream
    if kind is None:
        if looks_like_markup(file):  # type: ignore[arg-type]
            message = _(
                "“%(name)s” is a web page or an SVG/XML file, which cannot be accepted "
                "whatever its name. Accepted: %(kinds)s."
            )
        else:
            message = _(
                "“%(name)s” is not a kind of file we accept; the content decides, not the "
                "name. Accepted: %(kinds)s."
            )
        raise UploadRefused(message % {"name": shown(name), "kinds": accepted})
    if kind not in allowed_kinds:
        raise UploadRefused(
            _("“%(name)s” is a %(kind)s, which is not accepted here. Accepted: %(kinds)s.")
            % {"name": shown(name), "kind": KIND_LABELS[kind], "kinds": accepted}
        )
    if not extension_fits(name, kind):
        raise UploadRefused(
            _(
                "“%(name)s” ends in .%(extension)s but is a %(kind)s. Rename it to end in "
                ".%(right)s and choose it again."
            )
            % {
                "name": shown(name),
                "extension": extension_of(name),
                "kind": KIND_LABELS[kind],
                "right": KINDS[kind].extensions[0],
            }
        )
    file.seek(0)
    return CheckedUpload(file=file, name=safe_name(name, kind), kind=kind, size=size)


# -- storage ---------------------------------------------------------------------------------


def store(checked: CheckedUpload, prefix: str) -> str:
    """Write the file under ``<prefix>/<year>/<month>/<random>.<ext>``; return the stored name.

    The person's name for the file is kept in the database only: a stored name never holds
    it, so nothing they type reaches a path.
    """
    extension = KINDS[checked.kind].extensions[0]
    wanted = f"{prefix}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"
    checked.file.seek(0)
    return str(storages["default"].save(wanted, checked.file))


def delete_stored(names: Sequence[str]) -> None:
    """Remove stored files; one that is already gone, or cannot go now, is logged."""
    storage = storages["default"]
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # a storage error must not undo what the database did
            log.exception("could not delete stored file %s", name)


def delete_after_commit(names: Sequence[str]) -> None:
    """Delete the files once the rows that named them are gone for good."""
    kept = list(names)
    transaction.on_commit(lambda: delete_stored(kept))


@contextmanager
def discard_on_failure() -> Iterator[list[str]]:
    """Collect the names :func:`store` wrote; if the block fails, delete those files.

    Wrap the transaction that stores the rows naming them, so a failed transaction leaves
    no file behind::

        with uploads.discard_on_failure() as written, transaction.atomic():
            written.append(uploads.store(checked, "innspel"))
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        delete_stored(written)
        raise


# -- serving ---------------------------------------------------------------------------------


def _ascii_fallback(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    kept = "".join(c if c.isalnum() or c in "._-()" else "_" for c in plain).strip("._")
    return kept or "file"


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII name for old clients and the real one by RFC 5987."""
    return (
        f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )


def download_response(
    file_field: FieldFile, name: str, content_type: str, *, personal: bool = False
) -> FileResponse:
    """The stored file as a download, never shown as a page in the browser.

    ``content_type`` is the type found at upload (anything else becomes
    ``application/octet-stream``); ``personal`` files are never kept in a cache.
    """
    if content_type not in CONTENT_TYPES:
        content_type = "application/octet-stream"
    if not file_field.name:
        raise Http404
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store" if personal else "private, no-cache"
    return response


def describe(content_type: str, size: int) -> str:
    """The kind and size in words for a link: "PDF, 1.2 MB"."""
    kind = _BY_CONTENT_TYPE.get(content_type)
    label = str(KIND_LABELS[kind]) if kind is not None else _("File")
    return _("%(kind)s, %(size)s") % {"kind": label, "size": filesizeformat(size)}


# -- form fields -----------------------------------------------------------------------------


def _accept(kinds: Collection[FileKind]) -> str:
    return ",".join(f".{ext}" for k in FileKind if k in kinds for ext in KINDS[k].extensions)


class UploadField(forms.FileField):
    """One file, checked by :func:`check_upload`; cleans to a :class:`CheckedUpload`."""

    def __init__(self, *, kinds: Collection[FileKind], **kwargs: Any) -> None:
        self.kinds = frozenset(kinds)
        kwargs.setdefault("help_text", _lazy_help(self.kinds))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", _accept(self.kinds))

    def clean(self, data: Any, initial: Any = None) -> CheckedUpload | None:
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            return check_upload(data, self.kinds)
        except UploadRefused as refused:
            raise ValidationError(refused.message, code="refused") from refused


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class UploadsField(forms.FileField):
    """Up to ``max_files`` files, each checked; all or none: one refusal refuses them all,
    with one message per refused file."""

    widget = MultipleFileInput

    def __init__(self, *, kinds: Collection[FileKind], max_files: int, **kwargs: Any) -> None:
        self.kinds = frozenset(kinds)
        self.max_files = max_files
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _lazy_help(self.kinds, max_files))
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": _accept(self.kinds), "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_files:
            raise ValidationError(
                _("Choose at most %(max)d files (you chose %(n)d). No file was saved.")
                % {"max": self.max_files, "n": len(files)},
                code="too_many",
            )
        checked: list[CheckedUpload] = []
        refusals: list[str] = []
        for file in files:
            try:
                checked.append(check_upload(file, self.kinds))
            except UploadRefused as refused:
                refusals.append(refused.message)
        if refusals:
            if len(files) > 1:
                refusals.append(_("No file was saved: choose the files again."))
            raise ValidationError(refusals, code="refused")
        return checked


def _help(kinds: frozenset[FileKind], max_files: int | None = None) -> str:
    """The field's help: what is accepted and how large."""
    if max_files is None:
        return _("Accepted: %(kinds)s; at most %(max)s.") % {
            "kinds": kinds_in_words(kinds),
            "max": filesizeformat(max_bytes()),
        }
    return _("Up to %(n)d files. Accepted: %(kinds)s; at most %(max)s each.") % {
        "n": max_files,
        "kinds": kinds_in_words(kinds),
        "max": filesizeformat(max_bytes()),
    }


# Fields are made when the form class is defined: the help is worded when it is shown.
_lazy_help = lazy(_help, str)
