"""Invitations from a draw: the e-mails (once, in the member's language, with the way out),
the one-time link (login first, then on to the survey; a second use says so; anyone
else's or a wrong token is 404), answers counted, and reminders only to those who have not
answered."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client

from medvirk.accountability.models import EmailOptOut
from medvirk.accountability.unsubscribe import email_hash
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.panel import draws, invites, tasks
from medvirk.methods.panel.models import Draw, Invitation
from medvirk.methods.survey.models import Question
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.panel.conftest import make_panel
from tests.methods.panel.test_draw import add_members, answer, set_up_figures, survey_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/invitasjon/(\d+-[A-Za-z0-9_-]+)/")


@pytest.fixture
def panel(org: Municipality) -> MethodInstance:
    return make_panel(org)


@pytest.fixture
def survey(panel: MethodInstance) -> tuple[MethodInstance, Question]:
    return survey_in(panel)


@pytest.fixture
def draw(org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]) -> Draw:
    set_up_figures(org)
    add_members(org, 30)
    return draws.do_draw(None, panel, target=survey[0], size=6, dimensions=["kjonn"])


def invited(draw: Draw) -> list[Invitation]:
    return list(Invitation.objects.filter(draw=draw).select_related("member__user"))


def path_of(invitation: Invitation) -> str:
    return urlparse(invites.link(invitation)).path


def test_sending_e_mails_each_invited_member_once(
    draw: Draw, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    municipality = draw.target.process.municipality
    municipality.default_language = "en"  # the members saved no language: the kommune's
    municipality.save()
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        sent = invites.do_send_invitations(officer, draw)
    assert sent == 6
    assert len(mail.outbox) == 6
    people = invited(draw)
    assert {m.to[0] for m in mail.outbox} == {i.member.user.email for i in people if i.member}
    for message in mail.outbox:
        invitation = next(i for i in people if i.member and i.member.user.email == message.to[0])
        assert message.subject == "You are invited: «Survey about the school»"
        assert invites.link(invitation) in message.body
        assert invitation.code in message.body
        assert f"trekning/{draw.pk}/" in message.body
        assert "To get no more e-mail about this case" in message.body
        assert message.extra_headers["List-Unsubscribe"]
    assert all(i.sent_at is not None for i in invited(draw))
    draw.refresh_from_db()
    assert draw.sent_at is not None
    assert [e.action for e in factories.audited_since(mark)] == ["panel.invitations_sent"]
    # Once: a second send is refused and sends nothing.
    with pytest.raises(ActionRefused) as raised:
        invites.do_send_invitations(officer, draw)
    assert raised.value.status == 409
    assert len(mail.outbox) == 6


def test_each_e_mail_is_in_the_members_language(
    draw: Draw, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = invited(draw)
    for invitation, language in zip(people, ["nn", "nb", "en", "", "nn", "xx"], strict=True):
        assert invitation.member is not None
        User.objects.filter(pk=invitation.member.user_id).update(preferred_language=language)
    draw.target.process.municipality.default_language = "nb"
    draw.target.process.municipality.save()
    used: list[str] = []
    real = tasks.translation.override

    @contextmanager
    def spy(language: str) -> Any:
        used.append(language)
        with real(language):
            yield

    monkeypatch.setattr(tasks.translation, "override", spy)
    with django_capture_on_commit_callbacks(execute=True):
        invites.do_send_invitations(None, draw)
    # Their own saved choice, else the municipality's.
    assert used == ["nn", "nb", "en", "nb", "nn", "nb"]


def test_no_e_mail_to_an_address_that_opted_out_or_is_not_verified(
    draw: Draw, django_capture_on_commit_callbacks: Any
) -> None:
    first, second, *_rest = invited(draw)
    assert first.member is not None and second.member is not None
    EmailOptOut.objects.create(
        process=draw.target.process, email_hash=email_hash(first.member.user.email)
    )
    User.objects.filter(pk=second.member.user_id).update(email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        invites.do_send_invitations(None, draw)
    addresses = {m.to[0] for m in mail.outbox}
    assert len(addresses) == 4
    assert first.member.user.email not in addresses
    assert second.member.user.email not in addresses


def test_the_link_needs_login_then_leads_on_once(
    client: Client, draw: Draw, survey: tuple[MethodInstance, Question]
) -> None:
    invitation = invited(draw)[0]
    assert invitation.member is not None
    url = path_of(invitation)
    # Not logged in: to the login, with the token kept out of the address.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/") or "logg-inn" in response["Location"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in response["Location"]
    assert response["Cache-Control"] == "private, no-store"
    # After the login, the resume address takes the person back to the link.
    client.force_login(invitation.member.user)
    resume = registry.get("panel").url(draw.method_instance, "invitation_resume")
    back = client.get(resume)
    assert back.status_code == 302 and back["Location"] == url
    first = client.get(url)
    assert first.status_code == 302
    assert first["Location"] == survey[0].get_absolute_url()
    invitation.refresh_from_db()
    opened = invitation.opened_at
    assert opened is not None
    # A second use: said so, still linked to the survey, the first time kept.
    again = client.get(url)
    assert again.status_code == 200
    html = again.content.decode()
    assert 'id="invitation-used"' in html
    assert survey[0].get_absolute_url() in html
    invitation.refresh_from_db()
    assert invitation.opened_at == opened
    # Resume with nothing waiting: the panel's page.
    assert client.get(resume)["Location"] == draw.method_instance.get_absolute_url()


def test_wrong_foreign_and_other_panels_tokens_are_404(
    client: Client, org: Municipality, draw: Draw
) -> None:
    mine, other, *_rest = invited(draw)
    assert mine.member is not None and other.member is not None
    client.force_login(mine.member.user)
    panel = draw.method_instance
    base = registry.get("panel").url(panel, "invitation", token="x")[: -len("x/")]
    good = invites.token_for(mine)
    for token in (
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # changed
        f"{mine.pk}",  # no mac
        f"{mine.pk + 10_000}-{good.split('-', 1)[1]}",  # another pk
        "abc-def",
    ):
        assert client.get(f"{base}{token}/").status_code == 404, token
    # Another member's invitation, while logged in as me.
    assert client.get(path_of(other)).status_code == 404
    # My token under another panel instance of the municipality.
    elsewhere = make_panel(org)
    assert (
        client.get(registry.get("panel").url(elsewhere, "invitation", token=good)).status_code
        == 404
    )
    # A member who left: no one's invitation any more.
    user = mine.member.user
    mine.member.delete()
    client.force_login(user)
    assert client.get(path_of(mine)).status_code == 404
    assert Invitation.objects.get(pk=mine.pk).opened_at is None


def test_an_answer_by_the_invited_member_counts(
    draw: Draw, survey: tuple[MethodInstance, Question], django_capture_on_commit_callbacks: Any
) -> None:
    people = invited(draw)
    assert people[0].member is not None
    with django_capture_on_commit_callbacks(execute=True):
        answer(survey[0], survey[1], people[0].member.user)
        answer(survey[0], survey[1], factories.user())  # someone not invited
    answered = Invitation.objects.filter(draw=draw, responded_at__isnull=False)
    assert list(answered.values_list("pk", flat=True)) == [people[0].pk]
    # An answer to another method of the case does not count.
    other, question = survey_in(draw.method_instance)
    assert people[1].member is not None
    with django_capture_on_commit_callbacks(execute=True):
        answer(other, question, people[1].member.user)
    assert Invitation.objects.filter(draw=draw, responded_at__isnull=False).count() == 1


def test_reminders_go_only_to_those_who_have_not_answered(
    draw: Draw,
    officer: User,
    survey: tuple[MethodInstance, Question],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with pytest.raises(ActionRefused, match="Send the invitations first"):
        invites.do_remind(officer, draw)
    people = invited(draw)
    with django_capture_on_commit_callbacks(execute=True):
        invites.do_send_invitations(officer, draw)
        for invitation in people[:2]:
            assert invitation.member is not None
            answer(survey[0], survey[1], invitation.member.user)
    mail.outbox.clear()
    # Each e-mail is in the member's own language: these members chose English.
    for invitation in people:
        if invitation.member is not None:
            invitation.member.user.preferred_language = "en"
            invitation.member.user.save(update_fields=["preferred_language"])
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = invites.do_remind(officer, draw)
    assert reminded == 4
    assert len(mail.outbox) == 4
    assert all(m.subject.startswith("Reminder:") for m in mail.outbox)
    answered = {i.member.user.email for i in people[:2] if i.member}
    assert not answered & {m.to[0] for m in mail.outbox}
    assert Invitation.objects.filter(draw=draw, reminded_at__isnull=False).count() == 4
    assert [e.action for e in factories.audited_since(mark)] == ["panel.reminded"]
    for invitation in people[2:]:
        assert invitation.member is not None
        with django_capture_on_commit_callbacks(execute=True):
            answer(survey[0], survey[1], invitation.member.user)
    with pytest.raises(ActionRefused, match="has answered"):
        invites.do_remind(officer, draw)


def test_members_who_answered_before_the_e_mail_get_none(
    draw: Draw, survey: tuple[MethodInstance, Question], django_capture_on_commit_callbacks: Any
) -> None:
    people = invited(draw)
    assert people[0].member is not None
    answer(survey[0], survey[1], people[0].member.user)  # no receiver ran (not committed)
    with django_capture_on_commit_callbacks(execute=True):
        sent = invites.do_send_invitations(None, draw)
    assert sent == 5
    assert Invitation.objects.get(pk=people[0].pk).responded_at is not None
    assert people[0].member.user.email not in {m.to[0] for m in mail.outbox}


def test_sending_needs_an_open_target_and_staff(
    draw: Draw, survey: tuple[MethodInstance, Question]
) -> None:
    with pytest.raises(ActionRefused) as raised:
        invites.do_send_invitations(factories.user(), draw)
    assert raised.value.status == 403
    target = survey[0]
    target.is_published = False
    target.save()
    with pytest.raises(ActionRefused) as raised:
        invites.do_send_invitations(None, draw)
    assert raised.value.status == 409
    assert not Invitation.objects.filter(draw=draw, sent_at__isnull=False).exists()
