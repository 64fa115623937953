"""Errors an action raises with a message the person can read (already translated)."""

from __future__ import annotations


class ActionRefused(Exception):
    """A check failed; nothing was written. ``message`` is shown to the user."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
