"""Sending arkivmeldinger to the kommune's sak/arkiv system: a pluggable transport.

Off by default: the ZIP download (``exports.arkivmelding_zip``) works without any. A
kommune turns sending on with ``MEDVIRK_FIKS_ARKIV_TRANSPORT``, the dotted path of a class
that takes no arguments and has ``send(message) -> str``:

- :class:`DirectoryTransport` (here) writes each message to a folder, for archives that
  import a folder (``MEDVIRK_FIKS_ARKIV_DIRECTORY``);
- a KS Fiks IO client is the kommune's own class (see docs/methods/hearing.md): it sends
  ``message.xml`` as ``arkivmelding.xml`` and the files beside it in one Fiks IO message of
  type ``message.message_type`` to the archive's Fiks account, and returns the message id.

``send`` raises on failure (any exception); the sending task keeps the error in the audit
log, where the staff page shows it, and the submission stays "not archived".
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from medvirk.algorithms.archive.arkivmelding import MESSAGE_TYPE, XML_NAME


@dataclass(frozen=True)
class PackagedFile:
    """One file of a message, under the name the XML gives it (``referanseDokumentfil``)."""

    name: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class OutgoingMessage:
    """One arkivmelding with its files: what a transport sends as one message."""

    reference: str  # Medvirk's stable key ("sak-12" or "sak-12/innspel-34")
    xml: bytes
    files: tuple[PackagedFile, ...] = ()
    message_type: str = MESSAGE_TYPE


@runtime_checkable
class Transport(Protocol):
    def send(self, message: OutgoingMessage) -> str:
        """Deliver one message; return the receiver's id for it. Raise on any failure."""
        ...


class TransportError(Exception):
    """A transport could not deliver a message; ``str()`` says why, for the staff page."""


def configured_path() -> str:
    return str(getattr(settings, "MEDVIRK_FIKS_ARKIV_TRANSPORT", "") or "").strip()


def is_configured() -> bool:
    return bool(configured_path())


def load_transport() -> Transport | None:
    """The configured transport, or None when sending is off.

    A path that does not import, or a class without ``send``, is a configuration error
    (:class:`ImproperlyConfigured`), reported where it is used, never guessed around.
    """
    path = configured_path()
    if not path:
        return None
    try:
        factory = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"MEDVIRK_FIKS_ARKIV_TRANSPORT: cannot import {path!r} ({exc})"
        ) from exc
    transport = factory()
    if not isinstance(transport, Transport):
        raise ImproperlyConfigured(
            f"MEDVIRK_FIKS_ARKIV_TRANSPORT: {path!r} has no send(message) method"
        )
    return transport


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder_name(reference: str) -> str:
    """A folder name for one message: time, a random part (two sendings never clash) and
    the reference in safe ASCII."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    safe = _UNSAFE.sub("-", reference).strip("-.")[:80] or "melding"
    return f"{stamp}-{secrets.token_hex(4)}-{safe}"


class DirectoryTransport:
    """Writes each message to its own folder under ``MEDVIRK_FIKS_ARKIV_DIRECTORY``:
    ``arkivmelding.xml`` and the files it names.

    The folder is written under a name starting with "." and renamed when complete, so an
    importer that watches the directory never picks up half a message.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        chosen = directory or getattr(settings, "MEDVIRK_FIKS_ARKIV_DIRECTORY", "")
        self.directory = Path(chosen) if chosen else None

    def send(self, message: OutgoingMessage) -> str:
        if self.directory is None:
            raise TransportError("MEDVIRK_FIKS_ARKIV_DIRECTORY is not set")
        if not self.directory.is_dir():
            raise TransportError(f"the folder {self.directory} does not exist")
        for file in message.files:
            if Path(file.name).name != file.name or file.name in ("", ".", "..", XML_NAME):
                raise TransportError(f"unsafe file name in the message: {file.name!r}")
        name = folder_name(message.reference)
        partial = self.directory / f".{name}"
        try:
            partial.mkdir()
            (partial / XML_NAME).write_bytes(message.xml)
            for file in message.files:
                (partial / file.name).write_bytes(file.content)
            partial.rename(self.directory / name)
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise TransportError(f"could not write to {self.directory}: {exc}") from exc
        return name
