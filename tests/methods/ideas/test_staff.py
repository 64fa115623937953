"""What staff do with ideas: merge duplicates (each supporter counted once, the author told),
take an idea up in an existing case, start a new case from it, remove such a link, and
answer it through the inbox. Who may: the municipality's staff who run cases, no one else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from medvirk.accountability.models import Notification, Response
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.ideas import staff_actions
from medvirk.methods.ideas.models import Idea, Outcome, Support
from medvirk.organisations.models import Municipality, Role
from medvirk.processes.models import Process, ProcessStatus
from tests import factories

from .conftest import EN, Board, login, make_board

pytestmark = pytest.mark.django_db


def _staff_url(board: Board, idea: Idea) -> str:
    return board.url("staff_idea", pk=idea.pk)


# --- merging ----------------------------------------------------------------------------------


def test_merging_carries_the_supporters_over_and_counts_each_person_once(
    board: Board, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    kept = board.idea("Light along the school road")
    duplicate = board.idea("Street lights at the bus stop", contact_email="dup@example.org")
    both = board.supporters(kept, 4, prefix="both")
    board.supporters(kept, 2, prefix="kept-only")
    for key in both[:3]:
        board.support(duplicate, browser=key)
    board.supporters(duplicate, 2, prefix="dup-only")
    assert Support.objects.filter(idea=duplicate).count() == 5
    mark = factories.audit_mark()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _staff_url(board, duplicate), {"action": "merge", "merge-target": str(kept.pk)}
        )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept and duplicate.merged_at is not None
    # 6 on the kept idea + 2 only on the duplicate; the 3 who supported both count once.
    assert Support.objects.filter(idea=kept).count() == 8
    assert not Support.objects.filter(idea=duplicate).exists()
    [row] = factories.audited_since(mark)
    assert row.action == "ideas.merged"
    assert row.data["into"] == kept.pk
    assert row.data["supports_moved"] == 2 and row.data["supports_in_both"] == 3
    # The author is told, by e-mail and in the account's notifications.
    [message] = mail.outbox
    assert message.to == ["dup@example.org"]
    assert "Light along the school road" in message.body
    assert board.url("idea", pk=kept.pk) in message.body
    assert Notification.objects.filter(contribution_id=duplicate.pk).exists()

    # The merged idea leaves the board's list and points to the kept one.
    board_html = Client(**EN).get(board.url()).content.decode()
    assert "Street lights at the bus stop" not in board_html
    merged_list = Client(**EN).get(board.url() + "?status=merged").content.decode()
    assert "Street lights at the bus stop" in merged_list
    page = Client(**EN).get(board.url("idea", pk=duplicate.pk)).content.decode()
    assert "merged-notice" in page and board.url("idea", pk=kept.pk) in page
    kept_page = Client(**EN).get(board.url("idea", pk=kept.pk)).content.decode()
    assert "Ideas merged into this one" in kept_page and "8 supporters" in kept_page


def test_a_support_on_a_merged_idea_goes_to_the_idea_kept(board: Board, officer: User) -> None:
    kept, duplicate = board.idea("Kept"), board.idea("Duplicate")
    staff_actions.do_merge(officer, board.instance, duplicate.pk, kept.pk)
    client = Client(**EN)
    client.get(board.url("idea", pk=kept.pk))
    response = client.post(board.url("support", pk=duplicate.pk), {"action": "support"})
    assert response.status_code == 302
    assert response["Location"] == board.url("idea", pk=kept.pk) + "#support"
    assert not Support.objects.exists()


def test_ideas_merged_earlier_follow_when_their_idea_is_merged(board: Board, officer: User) -> None:
    a, b, c = board.idea("A"), board.idea("B"), board.idea("C")
    board.supporters(a, 2, prefix="x")
    staff_actions.do_merge(officer, board.instance, a.pk, b.pk)
    staff_actions.do_merge(officer, board.instance, b.pk, c.pk)
    a.refresh_from_db()
    assert a.merged_into == c
    assert Support.objects.filter(idea=c).count() == 2


@pytest.mark.parametrize("case", ["itself", "kept_is_merged", "already_merged", "taken_up"])
def test_merges_that_make_no_sense_are_refused(board: Board, officer: User, case: str) -> None:
    a, b, c = board.idea("A"), board.idea("B"), board.idea("C")
    if case == "itself":
        target = a
    elif case == "kept_is_merged":
        staff_actions.do_merge(officer, board.instance, b.pk, c.pk)
        target = b
    elif case == "already_merged":
        staff_actions.do_merge(officer, board.instance, a.pk, c.pk)
        target = b
    else:
        staff_actions.do_move_to_case(officer, board.instance, a.pk, board.instance.process_id)
        target = b
    before = list(Idea.objects.order_by("pk").values_list("merged_into", "outcome"))
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_merge(officer, board.instance, a.pk, target.pk)
    assert refused.value.status in (400, 409)
    assert list(Idea.objects.order_by("pk").values_list("merged_into", "outcome")) == before


def test_a_refused_merge_on_the_page_says_why_with_409(
    board: Board, officer: User, staff_client: Client
) -> None:
    a, b, c = board.idea("A"), board.idea("B"), board.idea("C")
    page = staff_client.get(_staff_url(board, a))
    assert page.status_code == 200
    # Someone else merges A meanwhile; this officer's form still offers the merge.
    staff_actions.do_merge(officer, board.instance, a.pk, c.pk)
    response = staff_client.post(
        _staff_url(board, a), {"action": "merge", "merge-target": str(b.pk)}
    )
    assert response.status_code == 409
    assert "already merged into «C»" in response.content.decode()
    a.refresh_from_db()
    assert a.merged_into == c


def test_an_empty_merge_form_answers_400(board: Board, staff_client: Client) -> None:
    a = board.idea("A")
    response = staff_client.post(_staff_url(board, a), {"action": "merge", "merge-target": ""})
    assert response.status_code == 400
    assert "Choose the idea to keep." in response.content.decode()
    response = staff_client.post(_staff_url(board, a), {"action": "explode"})
    assert response.status_code == 400


# --- taking up in a case ----------------------------------------------------------------------


def test_an_idea_is_taken_up_in_an_existing_case_with_a_link(
    board: Board, org: Municipality, staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    idea = board.idea(contact_email="author@example.org")
    other = factories.process(org, title="Traffic safety plan")
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _staff_url(board, idea), {"action": "move", "move-process": str(other.pk)}
        )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.outcome == Outcome.MOVED and idea.taken_up_in == other
    assert [r.action for r in factories.audited_since(mark)] == ["ideas.taken_up"]
    assert mail.outbox and "Traffic safety plan" in mail.outbox[0].body
    page = Client(**EN).get(board.url("idea", pk=idea.pk)).content.decode()
    assert "Taken up in the case" in page
    assert other.get_absolute_url() in page
    assert "Taken up in a case" in Client(**EN).get(board.url()).content.decode()


def test_a_case_of_another_municipality_or_a_decided_one_cannot_take_an_idea(
    board: Board, officer: User, org: Municipality
) -> None:
    idea = board.idea()
    foreign = factories.process(factories.municipality("Andrevik"))
    decided = factories.process(org, status=ProcessStatus.DECIDED)
    for case in (foreign, decided):
        with pytest.raises(ActionRefused):
            staff_actions.do_move_to_case(officer, board.instance, idea.pk, case.pk)
    idea.refresh_from_db()
    assert idea.outcome == Outcome.NONE


def test_a_draft_case_is_not_linked_publicly(
    board: Board, officer: User, org: Municipality
) -> None:
    idea = board.idea()
    draft = factories.process(org, status=ProcessStatus.DRAFT, title="Secret draft")
    staff_actions.do_move_to_case(officer, board.instance, idea.pk, draft.pk)
    page = Client(**EN).get(board.url("idea", pk=idea.pk)).content.decode()
    assert "being prepared" in page
    assert "Secret draft" not in page
    assert "Secret draft" not in Client(**EN).get(board.export_url("idear-csv")).getvalue().decode()


def test_a_second_move_is_refused_and_a_link_can_be_removed(
    board: Board, officer: User, staff_client: Client
) -> None:
    idea = board.idea()
    staff_actions.do_move_to_case(officer, board.instance, idea.pk, board.instance.process_id)
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_move_to_case(officer, board.instance, idea.pk, board.instance.process_id)
    assert refused.value.status == 409
    mark = factories.audit_mark()
    response = staff_client.post(_staff_url(board, idea), {"action": "remove_link"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.outcome == Outcome.NONE and idea.taken_up_in is None
    assert [r.action for r in factories.audited_since(mark)] == ["ideas.link_removed"]


# --- a new case -------------------------------------------------------------------------------


def test_a_new_case_is_started_in_draft_from_the_idea(
    board: Board, officer: User, org: Municipality, staff_client: Client
) -> None:
    idea = board.idea("A swimming place in Vika bay", "A jetty, benches and a summer toilet.")
    page = staff_client.get(_staff_url(board, idea)).content.decode()
    assert 'value="A swimming place in Vika bay"' in page  # the idea as the starting point
    assert "A jetty, benches and a summer toilet." in page
    mark = factories.audit_mark()
    response = staff_client.post(
        _staff_url(board, idea),
        {
            "action": "new_case",
            "case-title": "A swimming place in Vika bay",
            "case-summary": "Residents propose a swimming place.",
            "case-open_to_influence": "What it should have.",
            "case-decided_by": "The technical committee",
        },
    )
    assert response.status_code == 302
    case = Process.objects.get(title="A swimming place in Vika bay")
    assert case.status == ProcessStatus.DRAFT
    assert case.municipality == org
    assert case.slug == "a-swimming-place-in-vika-bay"
    idea.refresh_from_db()
    assert idea.outcome == Outcome.NEW_CASE and idea.taken_up_in == case
    assert [r.action for r in factories.audited_since(mark)] == [
        "process.created",
        "ideas.case_started",
    ]
    public = Client(**EN).get(board.url("idea", pk=idea.pk)).content.decode()
    assert "started a new case from this idea" in public
    assert case.get_absolute_url() not in public  # a draft is not linked


def test_a_new_case_with_a_taken_address_gets_a_free_one(
    board: Board, officer: User, org: Municipality
) -> None:
    factories.process(org, slug="badeplass", title="Badeplass")
    idea = board.idea("Badeplass")
    case = staff_actions.do_start_case(
        officer,
        board.instance,
        idea.pk,
        staff_actions.NewCase("Badeplass", "Summary.", "Where.", "The council"),
    )
    assert case.slug == "badeplass-2"


def test_a_new_case_form_with_a_gap_answers_400_and_starts_nothing(
    board: Board, staff_client: Client
) -> None:
    idea = board.idea()
    response = staff_client.post(
        _staff_url(board, idea),
        {"action": "new_case", "case-title": "T", "case-summary": "S", "case-decided_by": "X"},
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert Process.objects.count() == 1


# --- who may ----------------------------------------------------------------------------------


def test_a_resident_cannot_merge_move_or_start_a_case(
    board: Board, resident: User, org: Municipality
) -> None:
    a, b = board.idea("A"), board.idea("B")
    url = _staff_url(board, a)
    anonymous = Client(**EN).get(url)
    assert anonymous.status_code == 302 and "/konto/logg-inn/" in anonymous["Location"]
    client = login(resident)
    assert client.get(url).status_code == 403
    response = client.post(url, {"action": "merge", "merge-target": str(b.pk)})
    assert response.status_code == 403
    assert "does not include that" in response.content.decode()
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_merge(resident, board.instance, a.pk, b.pk)
    assert refused.value.status == 403
    a.refresh_from_db()
    assert a.merged_into is None
    # The resident's idea page offers no staff links.
    assert "For staff" not in client.get(board.url("idea", pk=a.pk)).content.decode()


@pytest.mark.parametrize("role", [Role.MODERATOR, "other_municipality"])
def test_staff_without_the_right_role_here_cannot_either(
    board: Board, org: Municipality, role: str
) -> None:
    a, b = board.idea("A"), board.idea("B")
    if role == "other_municipality":
        person = factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    else:
        person = factories.staff(org, role)
    response = login(person).post(
        _staff_url(board, a), {"action": "merge", "merge-target": str(b.pk)}
    )
    assert response.status_code == 403
    with pytest.raises(ActionRefused):
        staff_actions.do_move_to_case(person, board.instance, a.pk, board.instance.process_id)
    assert not Idea.objects.filter(merged_into__isnull=False).exists()


def test_the_editor_lists_every_idea_with_exact_counts(
    org: Municipality, staff_client: Client
) -> None:
    org.moderation_mode = "pre"
    org.save()
    board = make_board(org)
    waiting = board.idea("Waiting for a moderator")
    response = staff_client.get(board.editor_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waiting for a moderator" in html
    assert board.url("staff_idea", pk=waiting.pk) in html
    assert response["Cache-Control"] == "private, no-store"
    staff_page = staff_client.get(_staff_url(board, waiting))
    assert staff_page.status_code == 200


# --- answering through the inbox --------------------------------------------------------------


def test_an_idea_taken_up_is_answered_in_the_inbox_and_the_answer_shows(
    board: Board, officer: User, staff_client: Client
) -> None:
    idea = board.idea()
    staff_actions.do_move_to_case(officer, board.instance, idea.pk, board.instance.process_id)
    inbox = staff_client.get(f"/stab/sak/{board.instance.process_id}/innspel/?vis=unanswered")
    assert "Light along the school road" in inbox.content.decode()
    response = staff_client.post(
        f"/stab/innspel/{idea.pk}/",
        {
            "form": "respond",
            "version": "0",
            "status": "adopted",
            "reason": "We put up lights this autumn.",
            "then": "save",
        },
    )
    assert response.status_code == 302
    assert Response.objects.get(contribution_id=idea.pk).status == "adopted"
    page = Client(**EN).get(board.url("idea", pk=idea.pk)).content.decode()
    assert "We put up lights this autumn." in page
    assert "Taken up in the case" in page
    # Answered but taken up: the state says what happened, the answer says why.
    assert Client(**EN).get(board.url() + "?status=moved").content.decode().count("ide-") >= 1


def test_the_state_follows_the_answer(board: Board, officer: User) -> None:
    idea = board.idea()
    client = Client(**EN)
    assert ">New<" in client.get(board.url("idea", pk=idea.pk)).content.decode()
    factories.response(idea.contribution, "under_review", "We look into it.", by=officer)
    assert "Under consideration" in client.get(board.url("idea", pk=idea.pk)).content.decode()
    factories.response(idea.contribution, "not_adopted", "No money this year.", by=officer)
    html = client.get(board.url() + "?status=answered").content.decode()
    assert "Light along the school road" in html
