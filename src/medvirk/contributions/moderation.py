"""Moderation policy: whether new input is public at once or waits for a moderator.

A kommune chooses a mode (``Municipality.moderation_mode``) and a method instance may choose
its own (``MethodInstance.moderation``; empty follows the kommune):

- ``auto`` (the default): free text from someone who is not logged in waits for approval
  (pre-moderation); everything else is published at once, with a "report" button
  (post-moderation). Input staff registered on someone's behalf is published.
- ``pre``: all input with free text waits for approval.
- ``post``: everything is published at once; residents can report it.

Whatever the mode, input that screening found something in (a national identity number,
an e-mail address, a phone number, a link) is held for a moderator, and input without any
free text (a survey answer of only ticks) is published: there is nothing in it to judge.

Pure decisions on plain values; :func:`medvirk.contributions.actions.do_contribute` asks
:func:`initial_state` for every new contribution.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .models import ModerationMode, ModerationState

if TYPE_CHECKING:
    from medvirk.organisations.models import Municipality
    from medvirk.processes.models import MethodInstance


def mode_of(method: MethodInstance | None, municipality: Municipality) -> ModerationMode:
    """The mode that applies: the instance's own choice, else the kommune's.

    An unknown stored value (none can be saved through the actions) falls back to
    ``auto``, the careful default, rather than publishing at once.
    """
    chosen = (method.moderation if method is not None else "") or municipality.moderation_mode
    return ModerationMode(chosen) if chosen in ModerationMode.values else ModerationMode.AUTO


def has_free_text(data: Any) -> bool:
    """Does ``data`` (a method's JSON) hold a non-empty string anywhere?

    Without the method saying otherwise, any string may be shown, so any string counts.
    """
    if isinstance(data, str):
        return bool(data.strip())
    if isinstance(data, Mapping):
        return any(has_free_text(value) for value in data.values())
    if isinstance(data, list | tuple):
        return any(has_free_text(value) for value in data)
    return False


def initial_state(
    mode: ModerationMode,
    *,
    free_text: bool,
    logged_in: bool,
    registered_by_staff: bool,
    held: bool,
    review: bool = False,
) -> ModerationState:
    """The state a new contribution gets. ``review``: the method asks a moderator to look
    first whatever the mode (files no screening can read, published in a register)."""
    if held:
        return ModerationState.HELD
    if review and not registered_by_staff:
        return ModerationState.PENDING
    if not free_text or mode == ModerationMode.POST:
        return ModerationState.PUBLISHED
    if mode == ModerationMode.PRE:
        return ModerationState.PENDING
    # auto: pre-moderate what anonymous residents write.
    if logged_in or registered_by_staff:
        return ModerationState.PUBLISHED
    return ModerationState.PENDING
