"""Which answers a decision explains: "link the answers with these statuses"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.accountability.actions import do_decide
from medvirk.accountability.models import Decision, Response, ResponseStatus
from medvirk.core.errors import ActionRefused
from tests import factories


def answered(w: factories.World) -> dict[str, Response]:
    """Four answers in the world's case (one per status named), one unanswered input, and
    an adopted answer in another case of the same municipality."""
    out = {}
    for status in (
        ResponseStatus.ADOPTED,
        ResponseStatus.NOT_ADOPTED,
        ResponseStatus.RECEIVED,
        ResponseStatus.UNDER_REVIEW,
    ):
        item = factories.contribution(w.method, text=f"Innspel {status}")
        out[status] = factories.response(item, status, "Grunngiving.", by=w.officer)
    factories.contribution(w.method, text="Ikkje svart")
    other = factories.process(w.org)
    elsewhere = factories.contribution(factories.method(other, factories.phase(other)))
    out["elsewhere"] = factories.response(elsewhere, ResponseStatus.ADOPTED, "Ja.", by=w.officer)
    return out


def linked(decision: Decision) -> set[int]:
    return set(decision.responses.values_list("pk", flat=True))


def test_linking_by_status_takes_the_case_answers_with_those_statuses(
    w: factories.World,
) -> None:
    answers = answered(w)
    decision = do_decide(
        w.officer,
        w.process,
        body="Kommunestyret",
        text="Vedtak",
        date=None,
        pending=True,
        link_statuses=[ResponseStatus.ADOPTED, ResponseStatus.NOT_ADOPTED],
    )
    assert linked(decision) == {
        answers[ResponseStatus.ADOPTED].pk,
        answers[ResponseStatus.NOT_ADOPTED].pk,
    }


def test_editing_without_statuses_keeps_the_answers_and_new_statuses_replace_them(
    w: factories.World,
) -> None:
    answers = answered(w)
    decision = do_decide(
        w.officer,
        w.process,
        body="K",
        text="Vedtak",
        date=None,
        pending=True,
        link_statuses=[ResponseStatus.ADOPTED],
    )
    kept = do_decide(
        w.officer,
        w.process,
        body="K",
        text="Vedtak, retta",
        date=None,
        pending=True,
        link_statuses=[],
        decision=decision,
    )
    assert linked(kept) == {answers[ResponseStatus.ADOPTED].pk}
    replaced = do_decide(
        w.officer,
        w.process,
        body="K",
        text="Vedtak",
        date=None,
        pending=True,
        link_statuses=[ResponseStatus.RECEIVED, ResponseStatus.UNDER_REVIEW],
        decision=decision,
    )
    assert linked(replaced) == {
        answers[ResponseStatus.RECEIVED].pk,
        answers[ResponseStatus.UNDER_REVIEW].pk,
    }


def test_a_new_decision_without_statuses_links_nothing(w: factories.World) -> None:
    answered(w)
    decision = do_decide(
        w.officer, w.process, body="K", text="T", date=None, pending=True, link_statuses=[]
    )
    assert linked(decision) == set()


def test_an_unknown_status_is_refused(w: factories.World) -> None:
    with pytest.raises(ActionRefused):
        do_decide(
            w.officer,
            w.process,
            body="K",
            text="T",
            date=None,
            pending=True,
            link_statuses=["maybe"],
        )
    assert not Decision.objects.exists()


def test_the_decision_editor_links_by_status(w: factories.World, client: Client) -> None:
    answers = answered(w)
    client.force_login(w.officer)
    url = reverse("staff:decisions", kwargs={"pk": w.process.pk})
    res = client.post(
        url,
        {
            "body": "Kommunestyret",
            "is_pending": "on",
            "text": "Skulen vert bygd ved fjorden.",
            "link_status": [ResponseStatus.ADOPTED],
        },
    )
    assert res.status_code == 302
    decision = Decision.objects.get(process=w.process)
    assert linked(decision) == {answers[ResponseStatus.ADOPTED].pk}
    # Saving again with no status ticked keeps the link.
    edit = reverse("staff:decision_edit", kwargs={"pk": w.process.pk, "decision_pk": decision.pk})
    res = client.post(edit, {"body": "Kommunestyret", "is_pending": "on", "text": "Retta."})
    assert res.status_code == 302
    decision.refresh_from_db()
    assert decision.text == "Retta."
    assert linked(decision) == {answers[ResponseStatus.ADOPTED].pk}


def test_another_case_decision_is_not_found(w: factories.World, client: Client) -> None:
    other = factories.process(w.org)
    foreign = do_decide(w.officer, other, body="K", text="T", date=None, pending=True)
    client.force_login(w.officer)
    url = reverse("staff:decision_edit", kwargs={"pk": w.process.pk, "decision_pk": foreign.pk})
    assert client.get(url).status_code == 404
