"""A pupil's browser remembers the class it joined (the session), and the receipts of the
marks made in this visit, so one can mark again and again and still find each receipt.

Nothing here names anyone: the session holds the class's id and a random pupil id (the key
the per-pupil limit counts under). Leaving the class forgets both, for a shared computer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from medvirk.processes.types import MethodInstance

CLASSES = "medvirk.map_input.classes"
RECEIPTS = "medvirk.map_input.receipts"
MAX_RECEIPTS = 30


@dataclass(frozen=True)
class Membership:
    class_pk: int
    pupil: str


def _slot(instance: MethodInstance) -> str:
    return str(instance.pk)


def membership(request: HttpRequest, instance: MethodInstance) -> Membership | None:
    stored = request.session.get(CLASSES, {}).get(_slot(instance))
    if not isinstance(stored, dict):
        return None
    class_pk, pupil = stored.get("class"), stored.get("pupil")
    if not isinstance(class_pk, int) or not isinstance(pupil, str):
        return None
    return Membership(class_pk, pupil)


def join(request: HttpRequest, instance: MethodInstance, class_pk: int) -> None:
    # A new session key when a browser joins: a key fixed by someone else opens nothing.
    request.session.cycle_key()
    classes: dict[str, Any] = dict(request.session.get(CLASSES, {}))
    classes[_slot(instance)] = {"class": class_pk, "pupil": secrets.token_hex(8)}
    request.session[CLASSES] = classes
    _forget_receipts(request, instance)


def leave(request: HttpRequest, instance: MethodInstance) -> None:
    classes = dict(request.session.get(CLASSES, {}))
    classes.pop(_slot(instance), None)
    request.session[CLASSES] = classes
    _forget_receipts(request, instance)


def _forget_receipts(request: HttpRequest, instance: MethodInstance) -> None:
    receipts = dict(request.session.get(RECEIPTS, {}))
    receipts.pop(_slot(instance), None)
    request.session[RECEIPTS] = receipts


def remember_receipt(request: HttpRequest, instance: MethodInstance, label: str, url: str) -> None:
    receipts = dict(request.session.get(RECEIPTS, {}))
    mine = [*receipts.get(_slot(instance), []), {"label": label, "url": url}]
    receipts[_slot(instance)] = mine[-MAX_RECEIPTS:]
    request.session[RECEIPTS] = receipts


def receipts(request: HttpRequest, instance: MethodInstance) -> list[dict[str, str]]:
    stored = request.session.get(RECEIPTS, {}).get(_slot(instance), [])
    return [r for r in stored if isinstance(r, dict) and {"label", "url"} <= set(r)]
