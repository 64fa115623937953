"""Where an idea stands, in one word a resident can read, worked out from what happened to it.

One state per idea, the first that holds, in this order: merged into another idea; a new
case started from it; taken up in an existing case; answered (a final, reasoned answer);
under consideration (the answer "under review"); new. The answer itself is shown beside
the state whatever it is: an idea taken up in a case still gets its reasoned answer.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class IdeaState(StrEnum):
    NEW = "new"
    CONSIDERING = "under_consideration"
    ANSWERED = "answered"
    MOVED = "moved"
    NEW_CASE = "new_case"
    MERGED = "merged"


LABELS: dict[IdeaState, Promise] = {
    IdeaState.NEW: _("New"),
    IdeaState.CONSIDERING: _("Under consideration"),
    IdeaState.ANSWERED: _("Answered"),
    IdeaState.MOVED: _("Taken up in a case"),
    IdeaState.NEW_CASE: _("New case started"),
    IdeaState.MERGED: _("Merged with another idea"),
}

# Designsystemet's tag colours, so the state reads at a glance (the word says it too).
COLOURS: dict[IdeaState, str] = {
    IdeaState.NEW: "neutral",
    IdeaState.CONSIDERING: "info",
    IdeaState.ANSWERED: "accent",
    IdeaState.MOVED: "success",
    IdeaState.NEW_CASE: "success",
    IdeaState.MERGED: "warning",
}

# The order of the filter's choices.
ORDER = (
    IdeaState.NEW,
    IdeaState.CONSIDERING,
    IdeaState.ANSWERED,
    IdeaState.MOVED,
    IdeaState.NEW_CASE,
    IdeaState.MERGED,
)


def label(state: str) -> Promise:
    return LABELS[IdeaState(state)]


def colour(state: str) -> str:
    return COLOURS[IdeaState(state)]


def choices() -> list[tuple[str, Promise]]:
    return [(state.value, LABELS[state]) for state in ORDER]
