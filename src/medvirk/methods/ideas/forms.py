"""Forms of the idea board: the instance's settings, a resident's idea and comment, the
board's sorting and filters, and the staff's forms for merging, moving and starting a case.

The forms check what a person can correct in the form; the actions check everything again
(the demo and other callers skip the forms). The settings form's ``initial`` values are the
defaults (``SettingsForm.defaults``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medvirk.core.text import clean_line
from medvirk.processes.registry import SettingsForm

from . import states
from .models import CATEGORY_MAX, TITLE_MAX

NAME_MAX = 150
MAX_CATEGORIES = 20
# The description; with the title it stays within the core's MEDVIRK_MAX_TEXT_LENGTH (5000).
MIN_LENGTH, DEFAULT_LENGTH, MAX_LENGTH = 200, 2000, 4000
LENGTH_MESSAGE = _("Write a whole number from 200 to 4000.")
# Staff's new case: the core's limits on a case (processes.models.Process).
CASE_TITLE_MAX = 200
CASE_SUMMARY_MAX = 1000
CASE_TEXT_MAX = 4000
CASE_WHO_MAX = 200

# The board's sort orders, by their key in the address (``?sorter=``); the first is the default.
NEWEST = "newest"
MOST_SUPPORTED = "supported"
MOST_COMMENTED = "commented"
SORTS = (NEWEST, MOST_SUPPORTED, MOST_COMMENTED)
SORT_LABELS = {
    NEWEST: _("Newest first"),
    MOST_SUPPORTED: _("Most supported first"),
    MOST_COMMENTED: _("Most commented first"),
}


def split_categories(text: str) -> list[str]:
    """The categories as typed, one per line: cleaned, empty lines and repeats left out."""
    seen: set[str] = set()
    found: list[str] = []
    for line in str(text or "").splitlines():
        category = clean_line(line)
        if category and category.casefold() not in seen:
            seen.add(category.casefold())
            found.append(category)
    return found


class IdeaSettings(SettingsForm):
    categories = forms.CharField(
        label=_("Categories residents can choose"),
        required=False,
        initial="",
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "One per line, at most 20 (for example Roads and traffic, Culture, Outdoor "
            "areas). Residents may choose one for their idea, and the board can be "
            "filtered by them. Empty: no categories."
        ),
    )
    max_length = forms.IntegerField(
        label=_("Longest idea text, in characters"),
        initial=DEFAULT_LENGTH,
        min_value=MIN_LENGTH,
        max_value=MAX_LENGTH,
        # One plain message for every way the number can be wrong.
        error_messages={
            "invalid": LENGTH_MESSAGE,
            "min_value": LENGTH_MESSAGE,
            "max_value": LENGTH_MESSAGE,
            "required": LENGTH_MESSAGE,
        },
    )
    supports = forms.BooleanField(
        label=_("Residents may support ideas"),
        required=False,
        initial=True,
        help_text=_(
            "One support per person. Who counts as a person follows “Identity needed to "
            "take part” for “Support an idea”: anonymous is one per browser."
        ),
    )
    comments = forms.BooleanField(
        label=_("Residents may comment on ideas"), required=False, initial=True
    )

    def clean_categories(self) -> str:
        found = split_categories(self.cleaned_data.get("categories") or "")
        if len(found) > MAX_CATEGORIES:
            raise forms.ValidationError(
                _("At most %(max)d categories (you gave %(n)d)."),
                params={"max": MAX_CATEGORIES, "n": len(found)},
            )
        for category in found:
            if len(category) > CATEGORY_MAX:
                raise forms.ValidationError(
                    _("A category has at most %(max)d characters: “%(category)s” is longer."),
                    params={"max": CATEGORY_MAX, "category": category},
                )
        return "\n".join(found)


class IdeaPhaseSettings(SettingsForm):
    """Per phase of the case: the board can stop taking new ideas while, say, the council
    decides, and still take supports and comments on the ideas it has."""

    takes_ideas = forms.BooleanField(
        label=_("Take new ideas in this phase"), required=False, initial=True
    )


class _Writer(forms.Form):
    """The fields an idea and a comment share: the name to show and an address.

    A logged-in person with a verified address is never asked for one (``account_email``).
    """

    author_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("Shown only if you tick the box below."),
    )
    show_name = forms.BooleanField(label=_("Show my name publicly"), required=False)
    contact_email = forms.EmailField(
        label=_("E-mail for the receipt and the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to send you the receipt and tell you about the answer. Never shown."),
        error_messages={"invalid": _("The e-mail address is not valid.")},
    )

    def __init__(self, *args: Any, account_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if account_email:
            del self.fields["contact_email"]


class IdeaForm(_Writer):
    title = forms.CharField(
        label=_("Your idea in a few words"),
        max_length=TITLE_MAX,
        help_text=_(
            "A short headline, at most 140 characters: what should the municipality take up?"
        ),
        error_messages={
            "required": _("Give the idea a short headline."),
            "max_length": _(
                "The headline is too long: at most %(limit_value)d characters (it has "
                "%(show_value)d)."
            ),
        },
    )
    text = forms.CharField(
        label=_("Describe the idea"),
        widget=forms.Textarea({"rows": 7}),
        help_text=_(
            "What is the problem or the chance, what do you propose, and who would it help? "
            "Do not write personal information about yourself or others."
        ),
        error_messages={"required": _("Describe the idea in a few sentences.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=(),
        error_messages={"invalid_choice": _("Choose one of the categories.")},
    )

    field_order = ("title", "text", "category", "author_name", "show_name", "contact_email")

    def __init__(
        self,
        *args: Any,
        categories: Sequence[str] = (),
        max_length: int = DEFAULT_LENGTH,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No category")), *((c, c) for c in categories)]
        self.has_categories = bool(categories)
        self.max_length = max_length
        self.fields["text"].widget.attrs["maxlength"] = str(max_length)

    def clean_title(self) -> str:
        return clean_line(str(self.cleaned_data["title"]))

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(text) > self.max_length:
            raise forms.ValidationError(
                _("The text is too long: at most %(max)d characters (it has %(n)d)."),
                params={"max": self.max_length, "n": len(text)},
            )
        return text


class CommentForm(_Writer):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=settings.MEDVIRK_MAX_TEXT_LENGTH,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Build on the idea, or say what would make it better. Do not write personal "
            "information about yourself or others."
        ),
        error_messages={
            "required": _("Write your comment before you send it."),
            "max_length": _(
                "The text is too long: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    field_order = ("text", "author_name", "show_name", "contact_email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "contact_email" in self.fields:
            self.fields["contact_email"].label = _("E-mail for the receipt")
            self.fields["contact_email"].help_text = _("Only to send you the receipt. Never shown.")


class BoardFilterForm(forms.Form):
    """The board's sorting and filters, read from the address (a GET form)."""

    sorter = forms.ChoiceField(label=_("Sort"), required=False, choices=())
    kategori = forms.ChoiceField(label=_("Category"), required=False, choices=())
    status = forms.ChoiceField(label=_("State"), required=False, choices=())

    def __init__(self, *args: Any, categories: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set("sorter", [(key, SORT_LABELS[key]) for key in SORTS])
        self._set("kategori", [("", _("All categories")), *((c, c) for c in categories)])
        self._set("status", [("", _("All except merged")), *states.choices()])
        if not categories:
            del self.fields["kategori"]

    def _set(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen(self) -> tuple[str, str, str]:
        """(sort, category, state); anything unknown falls back to the default."""
        if not self.is_valid():
            return NEWEST, "", ""
        data = self.cleaned_data
        return data.get("sorter") or NEWEST, data.get("kategori") or "", data.get("status") or ""


# --- staff -----------------------------------------------------------------------------------


class MergeForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Keep this idea"),
        choices=(),
        help_text=_(
            "This idea is merged into the one you choose: it points there, its supporters "
            "are counted there (each person once), and its author is told."
        ),
        error_messages={
            "required": _("Choose the idea to keep."),
            "invalid_choice": _("Choose one of the ideas on this board."),
        },
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *choices]


class MoveForm(forms.Form):
    process = forms.ChoiceField(
        label=_("The case that takes it up"),
        choices=(),
        help_text=_(
            "The idea shows “Taken up in the case …” with a link while the case is public, "
            "and its author is told. Answer the idea in the inbox too."
        ),
        error_messages={
            "required": _("Choose a case."),
            "invalid_choice": _("Choose one of the municipality's cases."),
        },
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["process"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *choices]


class NewCaseForm(forms.Form):
    """A new case in draft, started from the idea (its title and text as a starting point)."""

    title = forms.CharField(label=_("Title of the case"), max_length=CASE_TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary in plain language"),
        max_length=CASE_SUMMARY_MAX,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("Starts as the idea's text. At most 1000 characters."),
    )
    open_to_influence = forms.CharField(
        label=_("What residents can influence"),
        max_length=CASE_TEXT_MAX,
        widget=forms.Textarea({"rows": 3}),
    )
    decided_by = forms.CharField(
        label=_("Who decides"),
        max_length=CASE_WHO_MAX,
        help_text=_("For example the municipal council, or a committee."),
    )
