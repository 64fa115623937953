"""Forms for residents (a post, a reply, agreeing or disagreeing, following a thread), the
staff editor's forms, and the instance's settings.

The forms check what a person can correct in the form; the actions check everything again
(the demo and other callers skip the forms).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medvirk.processes.registry import SettingsForm

from .models import Reaction

NAME_MAX = 150
REASON_MAX = 500
TITLE_MAX = 300
BODY_MAX = 4000
RULES_MAX = 4000
# The topic field's value for a post on the case as a whole.
WHOLE_CASE = "sak"


class DiscussionSettings(SettingsForm):
    case_posts = forms.BooleanField(
        label=_("Residents may post on the case as a whole, not only on your questions"),
        help_text=_("Off: every post answers one of the questions you ask in the editor."),
        required=False,
        initial=True,
    )
    reactions = forms.BooleanField(
        label=_("Residents may agree or disagree with a post, with a reason"),
        required=False,
        initial=True,
    )
    following = forms.BooleanField(
        label=_("People may follow a thread and get new replies by e-mail"),
        required=False,
        initial=True,
    )


def _text_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=settings.MEDVIRK_MAX_TEXT_LENGTH,
        widget=forms.Textarea({"rows": 6}),
        help_text=help_text,
        error_messages={
            "required": _("Write something before you send it."),
            "max_length": _(
                "The text is too long: at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


class _Writing(forms.Form):
    """The fields a post and a reply share: the text, the name, an address for the receipt.

    A logged-in person with a verified address is never asked for one (``account_email``);
    staff and elected representatives write as themselves (``as_self``): no name fields.
    """

    text: forms.CharField
    author_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("Shown only if you tick the box below."),
    )
    show_name = forms.BooleanField(label=_("Show my name with the post"), required=False)
    contact_email = forms.EmailField(
        label=_("E-mail for the receipt and the answer"),
        required=False,
        max_length=254,
        help_text=_("Only to send you the receipt and tell you about the answer. Never shown."),
    )

    def __init__(
        self, *args: Any, account_email: str = "", as_self: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if account_email or as_self:
            del self.fields["contact_email"]
        if as_self:
            del self.fields["author_name"]
            del self.fields["show_name"]


class PostForm(_Writing):
    """A new thread: on one of the staff's questions or on the case as a whole."""

    topic = forms.ChoiceField(
        label=_("What your post is about"),
        choices=(),
        error_messages={
            "required": _("Choose what your post is about."),
            "invalid_choice": _("Choose one of the questions in this discussion."),
        },
    )
    text = _text_field(
        _("Your post"),
        _(
            "A blank line starts a new paragraph. Posts are shown with your name only if you "
            "choose so. Do not write personal information about yourself or others."
        ),
    )

    field_order = ("topic", "text", "author_name", "show_name", "contact_email")

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(choices)

    @property
    def single_topic(self) -> bool:
        """Only one place to post: the field is a hidden input, not a choice."""
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        return len(field.choices) == 1  # type: ignore[arg-type]

    def topic_id(self) -> int | None:
        value = str(self.cleaned_data["topic"])
        return None if value == WHOLE_CASE else int(value)


class ReplyForm(_Writing):
    text = _text_field(
        _("Your reply"),
        _(
            "A blank line starts a new paragraph. Do not write personal information about "
            "yourself or others."
        ),
    )

    field_order = ("text", "author_name", "show_name", "contact_email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "contact_email" in self.fields:
            self.fields["contact_email"].label = _("E-mail for the receipt")
            self.fields["contact_email"].help_text = _("Only to send you the receipt. Never shown.")


class ReactionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Do you agree or disagree?"),
        choices=Reaction.Stance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you agree or disagree."),
            "invalid_choice": _("Choose whether you agree or disagree."),
        },
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=REASON_MAX,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("In a sentence or two. Shown with the post, without your name."),
        error_messages={
            "required": _("Say why you agree or disagree, in a sentence or two."),
            "max_length": _(
                "The reason is too long: at most %(limit_value)d characters (it has "
                "%(show_value)d)."
            ),
        },
    )

    def options(self) -> list[dict[str, object]]:
        chosen = str(self["stance"].value() or "")
        return [
            {"value": value, "label": label, "id": f"id_stance_{index}", "checked": value == chosen}
            for index, (value, label) in enumerate(Reaction.Stance.choices)
        ]


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_(
            "We send a link to confirm it. Then you get an e-mail when someone replies in the "
            "thread, with a link to stop at any time."
        ),
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("The e-mail address is not valid."),
        },
    )


# --- staff ---------------------------------------------------------------------------------


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Question"),
        max_length=TITLE_MAX,
        help_text=_("Ask one thing, in plain words. At most 300 characters."),
    )
    body = forms.CharField(
        label=_("Background"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What residents need to know to answer: facts, what is open to influence."),
    )
    is_open = forms.BooleanField(
        label=_("Open for new posts"),
        required=False,
        initial=True,
        help_text=_("A closed question stays readable, but takes no new posts or replies."),
    )


class RulesForm(forms.Form):
    text = forms.CharField(
        label=_("Rules for discussions in the municipality"),
        max_length=RULES_MAX,
        widget=forms.Textarea({"rows": 10}),
        help_text=_(
            "One rule per line. Shown beside every discussion form in every case of the "
            "municipality. Until you save rules of your own, residents see the default "
            "rules in their own language."
        ),
    )
