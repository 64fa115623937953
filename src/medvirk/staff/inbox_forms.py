"""Forms of the inbox: its filters (kept in the address), bulk actions on ticked input
(never an answer), the answer form, internal notes, assignment and answer templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from medvirk.accountability import inbox_queries
from medvirk.accountability.inbox_queries import InboxFilter
from medvirk.accountability.types import ResponseStatus
from medvirk.contributions.types import Channel, Theme, ThemeKind
from medvirk.processes import queries as process_queries
from medvirk.processes.types import Process

from .forms import TEXT_MAX

# What an officer sets by hand: "under review" and the final statuses ("received" is the
# automatic acknowledgement sent with the receipt).
OFFICER_STATUS_CHOICES = [
    (value, label) for value, label in ResponseStatus.choices if value != ResponseStatus.RECEIVED
]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's choice field ``name`` (its choices are set per case)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def person_label(user: AbstractBaseUser) -> str:
    """A staff member as the inbox names them: full name, else the username."""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def officer_choices(officers: Iterable[AbstractBaseUser]) -> list[tuple[str, str]]:
    """The people input can be assigned to (``inbox_queries.assignable_officers``)."""
    return [(str(u.pk), person_label(u)) for u in officers]


def theme_choices(themes: Iterable[Theme]) -> list[tuple[str, str]]:
    """The case's themes and duplicate groups (``inbox_queries.themes_of``), the kind and
    the number of inputs in the label."""
    return [
        (str(t.pk), f"{t.name} ({t.get_kind_display().lower()}, {getattr(t, 'n_inputs', 0)})")
        for t in themes
    ]


class InboxFilterForm(forms.Form):
    """The list's filters, read from the address (GET). A value that is not on offer is
    ignored (the list shows its default), never an error page."""

    sok = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("Words in the text, the name given, or the input's number (#123)."),
    )
    vis = forms.ChoiceField(label=_("Status"), required=False)
    metode = forms.ChoiceField(label=_("Method"), required=False)
    kanal = forms.ChoiceField(label=_("Channel"), required=False)
    tema = forms.ChoiceField(label=_("Theme or group"), required=False)
    tildelt = forms.ChoiceField(label=_("Assigned to"), required=False)
    sein = forms.BooleanField(label=_("Only late input"), required=False)

    def __init__(
        self,
        process: Process,
        data: Any,
        *,
        themes: list[tuple[str, str]],
        officers: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        statuses = dict(ResponseStatus.choices)
        _choices(self, "vis").choices = [
            ("unanswered", _("Not answered (waiting for a reasoned answer)")),
            *[(key, statuses[key]) for key in inbox_queries.ANSWER_STATUSES],
            ("answered", _("Answered (any final status)")),
            ("held", _("Held for moderation")),
            ("all", _("All")),
        ]
        _choices(self, "metode").choices = [
            ("", _("Any method")),
            (inbox_queries.WHOLE_CASE, _("The case as a whole")),
            *[(str(m.pk), m.title) for m in process_queries.methods_of(process)],
        ]
        _choices(self, "kanal").choices = [("", _("Any channel")), *Channel.choices]
        _choices(self, "tema").choices = [
            ("", _("Any")),
            (inbox_queries.NO_THEME, _("In no theme or group")),
            *themes,
        ]
        _choices(self, "tildelt").choices = [
            ("", _("Anyone or nobody")),
            (inbox_queries.ASSIGNED_ME, _("Me")),
            (inbox_queries.ASSIGNED_NOBODY, _("Nobody")),
            *officers,
        ]
        self.fields["sein"].help_text = _(
            "No final answer %(days)d days after the input came in."
        ) % {"days": inbox_queries.answer_days()}

    def chosen(self) -> InboxFilter:
        """The filter to apply: each valid field as given, an invalid one as its default."""
        self.is_valid()
        data = self.cleaned_data
        default = InboxFilter()
        return InboxFilter(
            vis=data.get("vis") or default.vis,
            sok=(data.get("sok") or "").strip(),
            metode=data.get("metode") or "",
            kanal=data.get("kanal") or "",
            tema=data.get("tema") or "",
            tildelt=data.get("tildelt") or "",
            sein=bool(data.get("sein")),
        )


class IdsField(forms.Field):
    """The ticked inputs' numbers (``ids``, one value each)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one input first."),
        "invalid": _("The ticked input was not understood. Nothing was changed."),
    }

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        if not all(
            isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 10 for v in values
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted({int(v) for v in values})


class ThemePickForm(forms.Form):
    """Choose a theme or group, or name a new one."""

    theme = forms.ChoiceField(label=_("Existing theme or group"), required=False)
    new_name = forms.CharField(label=_("Or a new one, named"), max_length=120, required=False)
    kind = forms.ChoiceField(
        label=_("The new one is a"),
        choices=ThemeKind.choices,
        initial=ThemeKind.DUPLICATES,
        required=False,
    )

    def __init__(self, *args: Any, themes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "theme").choices = [("", _("Choose …")), *themes]

    def picked_theme(self) -> int | None:
        raw = self.cleaned_data.get("theme") or ""
        return int(raw) if raw else None


BULK_ADD = "add"
BULK_REMOVE = "remove"
BULK_ASSIGN = "assign"
BULK_UNASSIGN = "unassign"


class BulkActionForm(ThemePickForm):
    """What to do with the ticked input: sort it or assign it. Answering is not offered:
    one text for many inputs is sent only to a group, after a preview (``staff:theme``)."""

    ids = IdsField(label=_("Input"))
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (BULK_ADD, _("Add to theme or group")),
            (BULK_REMOVE, _("Remove from theme or group")),
            (BULK_ASSIGN, _("Assign")),
            (BULK_UNASSIGN, _("Remove assignment")),
        ],
        error_messages={"required": _("Choose what to do with the ticked input.")},
    )
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[str, str]],
        officers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, themes=themes, **kwargs)
        _choices(self, "assignee").choices = [("", _("Choose …")), *officers]
        self.fields["theme"].label = _("Theme or group")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == BULK_ADD and not (data.get("theme") or (data.get("new_name") or "").strip()):
            self.add_error("theme", _("Choose a theme or group, or give a new one a name."))
        if action == BULK_REMOVE and not data.get("theme"):
            self.add_error("theme", _("Choose the theme or group to take the input out of."))
        if action == BULK_ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose who gets the input."))
        return data


class AnswerForm(forms.Form):
    """The reasoned answer: "under review" or a final status, with the reason."""

    status = forms.ChoiceField(label=_("Status"), choices=OFFICER_STATUS_CHOICES)
    reason = forms.CharField(
        label=_("Reason (begrunnet tilbakemelding)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "Say what the input was used for, or why not. Plain language. A final status "
            "needs a reason."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        if status and status != ResponseStatus.UNDER_REVIEW and not data.get("reason", "").strip():
            self.add_error("reason", _("Give a reason: residents are owed a reasoned answer."))
        return data


class TemplatePickForm(forms.Form):
    template = forms.ChoiceField(label=_("Answer template"), required=False)

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "template").choices = [("", _("Choose …")), *templates]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New internal note"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Only staff see notes. The resident does not."),
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args: Any, officers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee").choices = [("", _("Nobody")), *officers]


class AnswerTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    status = forms.ChoiceField(
        label=_("Status it suggests"),
        choices=[("", _("None")), *OFFICER_STATUS_CHOICES],
        required=False,
    )
    text = forms.CharField(label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea({"rows": 6}))
