"""A moderator's decisions and a resident's report: checked, locked, audited, author told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from medvirk.accountability.models import Notification
from medvirk.contributions import actions
from medvirk.contributions.models import Contribution, ModerationMode, ModerationState, Report
from medvirk.core.errors import ActionRefused
from medvirk.organisations.models import Role
from tests import factories
from tests.concurrency import in_parallel

from .conftest import give_in, set_mode

AUTHOR = "forfattar@example.org"


def _state(c: Contribution) -> tuple[str, str]:
    c.refresh_from_db()
    return c.moderation, c.hidden_reason


def test_approve_publishes_pending_input_and_tells_the_author(
    w: factories.World, django_capture_on_commit_callbacks: Any
) -> None:
    c = give_in(set_mode(w, ModerationMode.AUTO))(contact_email=AUTHOR)
    assert c.moderation == ModerationState.PENDING
    mail.outbox.clear()
    mark = factories.audit_mark()
    with translation.override("nb"), django_capture_on_commit_callbacks(execute=True):
        actions.do_approve(w.moderator, c, "Ser greitt ut")  # the moderator's screen is nb
    c.refresh_from_db()
    assert (c.moderation, c.moderated_by) == (ModerationState.PUBLISHED, w.moderator)
    [row] = factories.audited_since(mark)
    assert row.action == "contribution.approved"
    assert row.data == {
        "from": "pending",
        "to": "published",
        "reason": "Ser greitt ut",
        "reports": 0,
    }
    [sent] = mail.outbox
    assert sent.to == [AUTHOR]
    # In the language the input was given in (English here), with the receipt link.
    assert "is now public" in sent.subject
    assert c.receipt_url() in sent.body
    assert "Ser greitt ut" not in sent.body  # the note is for the log only


def test_reject_tells_the_author_why(
    w: factories.World, django_capture_on_commit_callbacks: Any
) -> None:
    c = give_in(set_mode(w, ModerationMode.PRE))(user=w.resident)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_reject(w.moderator, c, "Innspelet handlar om ein namngitt person.")
    assert _state(c) == (ModerationState.REJECTED, "Innspelet handlar om ein namngitt person.")
    # Logged in without an e-mail given: a message in the account (and to its address).
    note = Notification.objects.get(user=w.resident, contribution=c)
    assert "will not be published" in note.subject
    assert "Innspelet handlar om ein namngitt person." in note.body


def test_hide_shows_the_reason_resolves_reports_and_tells_the_author(
    w: factories.World, published: Contribution, django_capture_on_commit_callbacks: Any
) -> None:
    actions.do_report(published, Report.Reason.PERSONAL, "Namngitt lærar", "user:1")
    actions.do_report(published, Report.Reason.OFFENSIVE, "", "session:abc")
    mail.outbox.clear()
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_hide(w.moderator, published, "  Namngir ein tilsett.\n ")
    assert _state(published) == (ModerationState.HIDDEN, "Namngir ein tilsett.")
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    [row] = factories.audited_since(mark)
    assert (row.action, row.data["reports"]) == ("contribution.hidden", 2)
    [sent] = mail.outbox
    assert "has been hidden" in sent.subject
    assert "Hidden by a moderator: Namngir ein tilsett." in sent.body
    assert Notification.objects.filter(user=w.resident, contribution=published).count() == 1


def test_restore_publishes_hidden_input_again(
    w: factories.World, published: Contribution, django_capture_on_commit_callbacks: Any
) -> None:
    actions.do_hide(w.moderator, published, "Namngir ein tilsett.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_restore(w.moderator, published, "Klaga var feil.")
    assert _state(published) == (ModerationState.PUBLISHED, "")
    [sent] = mail.outbox
    assert "is shown again" in sent.subject


def test_hide_needs_a_reason_and_nothing_changes_without_one(
    w: factories.World, published: Contribution
) -> None:
    mark = factories.audit_mark()
    for reason in ("", "   ", "\u200b", "x" * 501):
        with pytest.raises(ActionRefused) as refused:
            actions.do_hide(w.moderator, published, reason)
        assert refused.value.status == 400
    assert _state(published) == (ModerationState.PUBLISHED, "")
    assert not factories.audited_since(mark).exists()


@pytest.mark.parametrize("who", ["officer", "resident", "other_officer"])
@pytest.mark.parametrize("action", ["approve", "reject", "hide", "restore"])
def test_only_a_moderator_of_the_kommune_may_decide(
    w: factories.World, published: Contribution, who: str, action: str
) -> None:
    other_moderator = factories.staff(w.other_org, Role.MODERATOR)
    person = other_moderator if who == "other_officer" else getattr(w, who)
    act = getattr(actions, f"do_{action}")
    with pytest.raises(ActionRefused) as refused:
        act(person, published, "Ein grunn")
    assert refused.value.status == 403
    assert _state(published) == (ModerationState.PUBLISHED, "")


def test_a_decision_the_state_does_not_allow_is_refused(
    w: factories.World, published: Contribution
) -> None:
    for act in (actions.do_approve, actions.do_reject, actions.do_restore):
        with pytest.raises(ActionRefused) as refused:
            act(w.moderator, published, "")
        assert refused.value.status == 409
    assert _state(published) == (ModerationState.PUBLISHED, "")


def test_an_administrator_may_moderate(w: factories.World, published: Contribution) -> None:
    actions.do_hide(w.admin, published, "Spam")
    assert _state(published) == (ModerationState.HIDDEN, "Spam")


def test_keeping_reported_input_closes_its_reports(
    w: factories.World, published: Contribution
) -> None:
    actions.do_report(published, Report.Reason.SPAM, "", "user:9")
    assert actions.do_dismiss_reports(w.moderator, published, "Ikkje spam") == 1
    assert actions.do_dismiss_reports(w.moderator, published) == 0
    assert _state(published) == (ModerationState.PUBLISHED, "")
    with pytest.raises(ActionRefused):
        actions.do_dismiss_reports(w.officer, published)


def test_the_older_do_moderate_goes_through_the_named_actions(
    w: factories.World, published: Contribution
) -> None:
    mark = factories.audit_mark()
    actions.do_moderate(w.moderator, published, ModerationState.HELD, "Sjekk")
    actions.do_moderate(w.moderator, published, ModerationState.PUBLISHED)
    actions.do_moderate(w.moderator, published, ModerationState.HIDDEN, "Spam")
    actions.do_moderate(w.moderator, published, ModerationState.PUBLISHED)
    codes = [row.action for row in factories.audited_since(mark)]
    assert codes == [
        "contribution.moderated",
        "contribution.approved",
        "contribution.hidden",
        "contribution.restored",
    ]
    with pytest.raises(ActionRefused):
        actions.do_moderate(w.moderator, published, "gone")


# -- reports ------------------------------------------------------------------------------


def test_a_person_reports_once(w: factories.World, published: Contribution) -> None:
    first, created = actions.do_report(published, Report.Reason.PERSONAL, "Namn", "user:7")
    again, created_again = actions.do_report(published, Report.Reason.SPAM, "", "user:7")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.reason == Report.Reason.PERSONAL
    actions.do_report(published, Report.Reason.SPAM, "", "session:xyz")
    assert Report.objects.filter(contribution=published).count() == 2
    # No one is kept: only keyed hashes, and not of the raw key.
    hashes = set(Report.objects.values_list("reporter_hash", flat=True))
    assert "user:7" not in hashes and len(hashes) == 2
    assert all(len(h) == 64 for h in hashes)


@pytest.mark.parametrize(
    ("reason", "note", "key"),
    [
        ("nonsense", "", "user:1"),
        ("", "", "user:1"),
        ("spam", "x" * 501, "user:1"),
        ("spam", "", ""),
    ],
)
def test_a_bad_report_is_refused(
    w: factories.World, published: Contribution, reason: str, note: str, key: str
) -> None:
    with pytest.raises(ActionRefused) as refused:
        actions.do_report(published, reason, note, key)
    assert refused.value.status == 400
    assert not Report.objects.exists()


def test_only_published_input_can_be_reported(w: factories.World) -> None:
    pending = give_in(set_mode(w, ModerationMode.PRE))()
    with pytest.raises(ActionRefused) as refused:
        actions.do_report(pending, Report.Reason.SPAM, "", "user:1")
    assert refused.value.status == 409
    assert not Report.objects.exists()


# -- two moderators at once -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_once_one_wins(w: factories.World) -> None:
    c = factories.contribution(w.method, text="Eit innspel", contact_email=AUTHOR)
    second = factories.staff(w.org, Role.MODERATOR)
    moderators = [w.moderator, second, w.admin, factories.staff(w.org, Role.MODERATOR)]
    mark = factories.audit_mark()
    mail.outbox.clear()

    def hide(i: int) -> int:
        try:
            actions.do_hide(moderators[i], Contribution.objects.get(pk=c.pk), f"Grunn {i}")
        except ActionRefused as refused:
            return refused.status
        return 200

    outcomes = in_parallel(hide, len(moderators))
    assert sorted(outcomes) == [200, 409, 409, 409]
    winner = outcomes.index(200)
    assert _state(c) == (ModerationState.HIDDEN, f"Grunn {winner}")
    assert [r.action for r in factories.audited_since(mark)] == ["contribution.hidden"]
    assert len(mail.outbox) == 1  # the author is told once


@pytest.mark.django_db(transaction=True)
def test_one_person_reporting_many_times_at_once_counts_once(w: factories.World) -> None:
    c = factories.contribution(w.method, text="Eit innspel")
    outcomes = in_parallel(lambda _i: actions.do_report(c, Report.Reason.SPAM, "", "user:42")[1], 6)
    assert sorted(outcomes) == [False] * 5 + [True]
    assert Report.objects.filter(contribution=c).count() == 1
