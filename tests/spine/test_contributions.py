from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medvirk.contributions.actions import Draft, do_contribute
from medvirk.contributions.models import Channel, Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity.models import AssuranceLevel
from medvirk.processes.models import ProcessStatus
from tests import factories

VALID_FNR = "01019000083"  # synthetic, passes both mod-11 checks


def draft(text: str = "Eit innspel", **extra: object) -> Draft:
    return Draft(kind="question", text=text, **extra)  # type: ignore[arg-type]


def test_anonymous_contribution_gets_a_receipt(w: factories.World, client: Client) -> None:
    from django.contrib.auth.models import AnonymousUser

    receipt = do_contribute(
        AnonymousUser(), w.method, "ask_question", draft(contact_email="a@example.org")
    )
    c = receipt.contribution
    assert c.author is None and c.moderation == ModerationState.PUBLISHED
    page = client.get(c.receipt_url())
    assert page.status_code == 200
    assert "Eit innspel" in page.content.decode()
    wrong = reverse("public:receipt", kwargs={"pk": c.pk, "token": "x" * 32})
    assert client.get(wrong).status_code == 404


def test_fodselsnummer_is_masked_and_held(w: factories.World) -> None:
    receipt = do_contribute(
        w.resident, w.method, "ask_question", draft(f"Mitt nummer er {VALID_FNR}.")
    )
    c = Contribution.objects.get(pk=receipt.contribution.pk)
    assert VALID_FNR not in c.text
    assert "***********" in c.text  # the whole number, date part too
    assert c.moderation == ModerationState.HELD


def test_ordinary_numbers_are_not_held(w: factories.World) -> None:
    receipt = do_contribute(
        w.resident, w.method, "ask_question", draft("Ring 12345678901 eller 4000 innbyggjarar")
    )
    assert receipt.contribution.moderation == ModerationState.PUBLISHED


def test_name_is_shown_only_when_chosen(w: factories.World) -> None:
    hidden = do_contribute(
        w.resident, w.method, "ask_question", draft(author_name="Kari")
    ).contribution
    shown = do_contribute(
        w.resident, w.method, "ask_question", draft(author_name="Kari", show_name=True)
    ).contribution
    assert hidden.public_author == ""
    assert shown.public_author == "Kari"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "x" * 5001}, "too long"),
        ({"contact_email": "not-an-address"}, "e-mail"),
        ({"kind": "vote"}, "not taken here"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    w: factories.World, change: dict[str, str], message: str
) -> None:
    values = {"kind": "question", "text": "ok"} | change
    with pytest.raises(ActionRefused, match=message):
        do_contribute(w.resident, w.method, "ask_question", Draft(**values))  # type: ignore[arg-type]
    assert Contribution.objects.count() == 0


def test_closed_phase_refuses(w: factories.World) -> None:
    now = timezone.now()
    w.phase.start, w.phase.end = now - dt.timedelta(days=20), now - dt.timedelta(days=1)
    w.phase.save()
    with pytest.raises(ActionRefused, match="closed"):
        do_contribute(w.resident, w.method, "ask_question", draft())
    assert Contribution.objects.count() == 0


def test_draft_process_refuses(w: factories.World) -> None:
    w.process.status = ProcessStatus.DRAFT
    w.process.save()
    with pytest.raises(ActionRefused):
        do_contribute(w.resident, w.method, "ask_question", draft())


def test_identity_level_is_enforced(w: factories.World) -> None:
    w.method.identity_levels = {"ask_question": int(AssuranceLevel.VERIFIED)}
    w.method.save()
    with pytest.raises(ActionRefused, match="log in"):
        do_contribute(w.resident, w.method, "ask_question", draft())


def test_staff_registers_offline_input_with_audit(w: factories.World) -> None:
    from medvirk.contributions.actions import OFFLINE_KIND

    receipt = do_contribute(
        w.officer,
        w.method,
        "",
        Draft(kind=OFFLINE_KIND, text="Brev frå FAU", channel=Channel.LETTER),
        registered_by=w.officer,
    )
    assert receipt.contribution.registered_by == w.officer
    assert receipt.contribution.author is None
    assert AuditEntry.objects.filter(action="contribution.registered_offline").count() == 1


def test_other_municipality_staff_cannot_register(w: factories.World) -> None:
    from medvirk.contributions.actions import OFFLINE_KIND

    with pytest.raises(ActionRefused):
        do_contribute(
            w.other_officer,
            w.method,
            "",
            Draft(kind=OFFLINE_KIND, text="x", channel=Channel.PHONE),
            registered_by=w.other_officer,
        )
    assert Contribution.objects.count() == 0
