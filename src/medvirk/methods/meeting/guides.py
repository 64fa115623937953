"""Each meeting format's guide, for staff and for residents, in the reader's language.

The wording of the formats the participation planner knows (plansmie, framtidsverkstad,
gjestebod, ordførarbenk, demokratikafé) is the planner's catalogue's
(``planning/catalogue/methods-v1.json``): the summary tells residents what the meeting is,
the guide tells staff how to hold it, and "register" what to register afterwards. The
folkemøte and the class or pupils' council session have their own texts here.

The framtidsverkstad's three stages, the kinds of result and the gjestebod host's kit
(the steps and the standard question sheet) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Format


@dataclass(frozen=True)
class Guide:
    format: str
    summary: Promise  # for residents: what the meeting is
    guide: Promise  # for staff: how to hold it
    register: Promise  # for staff: what to register afterwards
    catalogue_entry: str = ""  # the planner's entry, when there is one

    @property
    def label(self) -> str:
        return str(Format(self.format).label)


GUIDES: dict[str, Guide] = {
    Format.TOWN_MEETING: Guide(
        Format.TOWN_MEETING,
        summary=_(
            "An open meeting where the municipality presents the case and everyone can ask "
            "questions and say what they think."
        ),
        guide=_(
            "Say at the start what is open to influence and what is already decided. Keep the "
            "presentation short and give most of the time to questions and conversation, for "
            "example at tables. Someone writes down what is said, so that it can be registered "
            "as input and answered. End by saying what happens next."
        ),
        register=_(
            "What was said and the questions asked, each as a note that gets an answer, and "
            "how many took part."
        ),
    ),
    Format.PLAN_WORKSHOP: Guide(
        Format.PLAN_WORKSHOP,
        summary=_(
            "An intensive workshop where residents, professionals and politicians draw and "
            "discuss solutions together."
        ),
        guide=_(
            "Set aside one to three days with work tables, maps and illustrators. Invite "
            "widely and deliberately (including those who do not sign up themselves), hold "
            "sessions in the evening, and present sketches as you go. Make clear what is open "
            "and what is decided."
        ),
        register=_(
            "Participants (number and groups), sketches and proposals as contributions, and "
            "what was taken forward."
        ),
        catalogue_entry="plan_workshop",
    ),
    Format.FUTURE_WORKSHOP: Guide(
        Format.FUTURE_WORKSHOP,
        summary=_(
            "«Without the future workshop we would not have captured the great engagement in "
            "the municipality!»"
        ),
        guide=_(
            "Three phases: critique (what is wrong today?), fantasy (what would be best?) and "
            "realisation (what can we do?). Small groups, a neutral facilitator, every idea on "
            "the wall. End by saying what happens next."
        ),
        register=_(
            "The critique, fantasy and action lists as contributions, participants (number and "
            "groups), and the agreed follow-up."
        ),
        catalogue_entry="future_workshop",
    ),
    Format.HOSTED: Guide(
        Format.HOSTED,
        summary=_(
            "Residents invite friends, neighbours or colleagues home and discuss the case from "
            "a simple guide."
        ),
        guide=_(
            "Recruit hosts in different circles (including language groups and associations). "
            "Give them a short question sheet and a form to return. The host leads the "
            "conversation on the guests' terms – time, place and language."
        ),
        register=_(
            "Each conversation as input from a meeting (number of guests, group, the answers), "
            "registered by the municipality."
        ),
        catalogue_entry="hosted_conversation",
    ),
    Format.MAYORS_BENCH: Guide(
        Format.MAYORS_BENCH,
        summary=_(
            "The mayor (or other elected members) sits on a bench where people pass by, and "
            "anyone can sit down and talk."
        ),
        guide=_(
            "«To meet residents you must leave the traditional political arenas.» Pick a place "
            "people pass (the shop, the school, the quay), announce the time, and bring maps or "
            "sketches. Note what people say."
        ),
        register=_(
            "Each conversation as input from a meeting (topic, place, time), without a name if "
            "the person prefers."
        ),
        catalogue_entry="mayors_bench",
    ),
    Format.DEMOCRACY_CAFE: Guide(
        Format.DEMOCRACY_CAFE,
        summary=_(
            "Café-style conversations at small tables, with participants changing tables "
            "between rounds."
        ),
        guide=_(
            "Prepare three or four questions, one per round. A host at each table takes notes "
            "and summarises for the next group. Close in plenary with what came up again and "
            "again. Coffee and cake lower the threshold."
        ),
        register=_(
            "The notes from each table as contributions, participants (number and groups), and "
            "the joint summary."
        ),
        catalogue_entry="democracy_cafe",
    ),
    Format.CLASSROOM: Guide(
        Format.CLASSROOM,
        summary=_(
            "A lesson or a pupils' council meeting where children and young people give their "
            "views on the case."
        ),
        guide=_(
            "Agree on the time with the school in good time. Explain the case in words that fit "
            "the age, and what the pupils can influence. Use post-its, drawings or a ranking "
            "of what matters most. Come back to the class with the municipality's answer."
        ),
        register=_(
            "The pupils' post-its, priorities and notes as input, without names, the year group "
            "and how many took part."
        ),
    ),
}

# Shown to residents under every format's summary.
RESULTS_PROMISE = _(
    "What comes out of the meeting is registered as input and gets a reasoned answer from the "
    "municipality, like input from the web."
)


def guide(format_key: str) -> Guide:
    return GUIDES.get(format_key, GUIDES[Format.TOWN_MEETING])


class Stage(models.TextChoices):
    """The framtidsverkstad's three stages, in their order."""

    CRITIQUE = "kritikk", _("Critique: what is wrong today?")
    FANTASY = "fantasi", _("Fantasy: what would be best?")
    REALISATION = "realisering", _("Realisation: what can we do?")


class ResultType(models.TextChoices):
    NOTE = "note", _("Note")
    POSTIT = "postit", _("Post-it")
    PRIORITY = "priority", _("Priority")
    PHOTO = "photo", _("Photo")


# -- the gjestebod host's kit -------------------------------------------------------------

HOST_STEPS: tuple[Promise, ...] = (
    _("Invite friends, neighbours or colleagues: four to ten people is a good size."),
    _(
        "Go through the questions on the sheet. You lead the conversation on your guests' "
        "terms: time, place and language."
    ),
    _("Write down what the guests say, where they agree and where they do not. No names."),
    _(
        "Report back through your private link: each point as a note or a post-it, the most "
        "important as priorities in order, and photos of the wall if everyone recognisable "
        "agrees."
    ),
    _(
        "The municipality answers what you report, as it answers all input. You read the "
        "answers through the same link."
    ),
)

STANDARD_QUESTIONS: tuple[Promise, ...] = (
    _("What works well today?"),
    _("What should change, and why?"),
    _("What matters most to you and your guests?"),
    _("What should the municipality know before it decides?"),
)


def questions(raw: str) -> list[str]:
    """The instance's own questions (one per line), else the standard ones."""
    own = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    return own or [str(q) for q in STANDARD_QUESTIONS]
