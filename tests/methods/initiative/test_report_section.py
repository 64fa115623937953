"""Citizens' initiatives in the council report: each public proposal with its stage and its
signatures (by kind only where no kind is under 5) against the threshold; the delivered ones
with their text, delivery, the council's deadline and position; never a signer, and nothing
not yet open for signing or held for a moderator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.actions import do_hide
from medvirk.contributions.models import ModerationState
from medvirk.core.pdf import render
from medvirk.identity.models import User
from medvirk.methods.initiative import rules, staff_actions
from medvirk.methods.initiative.models import Initiative, Status
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories
from tests.report_html import rows

from .conftest import Initiatives, collecting, make_instance, propose, resident, sign_many

pytestmark = pytest.mark.django_db

INHABITANTS = 1000  # 2 %: 20 signatures needed


def paper(officer: User, initiative: Initiative, n: int) -> None:
    staff_actions.do_register_paper(
        officer,
        initiative,
        [
            staff_actions.PaperRow(f"Papir Person {i}", "Kaivegen 2", dt.date(1970, 1, 1 + i))
            for i in range(n)
        ],
        checked=True,
    )


def section(initiatives: Initiatives) -> str:
    return str(registry.get("initiative").report_section(initiatives.instance))


@pytest.fixture
def town() -> Municipality:
    return factories.municipality("Storvik", inhabitants=INHABITANTS)


def test_signatures_by_kind_threshold_and_the_council_stage(town: Municipality) -> None:
    officer = factories.staff(town)
    initiatives = make_instance(town)
    instance = initiatives.instance
    needed = rules.threshold(INHABITANTS)
    reached = collecting(instance, officer, title="Lys langs skulevegen")
    sign_many(instance, reached, needed - 5)
    paper(officer, reached, 5)
    reached.refresh_from_db()
    assert reached.status == Status.DELIVERED
    mixed = collecting(instance, officer, title="Benk ved vatnet")
    sign_many(instance, mixed, 7)
    paper(officer, mixed, 2)
    few = collecting(instance, officer, title="Ny fotballbane")
    sign_many(instance, few, 3)
    decided = collecting(
        instance, officer, resident(display_name="Kari Nordmann"), title="Bading i Kaia"
    )
    sign_many(instance, decided, 5)
    staff_actions.do_deliver(officer, decided, below_threshold=True)
    staff_actions.do_record_position(
        officer,
        decided,
        staff_actions.Position(
            body="Kommunestyret",
            date=timezone.localdate(),
            position=ResponseStatus.PARTLY_ADOPTED,
            decision_text="Kommunestyret vedtek ei badebrygge.",
            reason="Ei brygge er nok.",
            case_number="2026/118",
        ),
    )
    waiting = propose(instance, title="Ventar på sjekk")
    assert waiting.status == Status.SUBMITTED
    held = propose(
        instance,
        title="Halde att",
        text="Ring meg på 912 34 567 om forslaget mitt, så forklarer eg kvifor det trengst.",
    )
    assert held.contribution.moderation == ModerationState.HELD
    hidden = collecting(instance, officer, title="Skjult forslag")
    do_hide(factories.staff(town, Role.MODERATOR), hidden.contribution, "Brot på reglane")

    html = section(initiatives)
    table = rows(html)

    assert [
        "Lys langs skulevegen",
        "Delivered, waiting for the council",
        str(needed - 5),
        "5",
        str(needed),
        str(needed),
    ] in table
    assert ["Benk ved vatnet", "Collecting signatures", "–", "–", "9", str(needed)] in table
    assert ["Ny fotballbane", "Collecting signatures", "–", "–", "fewer than 5", str(needed)] in (
        table
    )
    assert ["Bading i Kaia", "Decided", "5", "0", "5", str(needed)] in table
    reached.refresh_from_db()
    delivered_on = timezone.localtime(reached.delivered_at).date()
    deadline = rules.decision_deadline(delivered_on)
    assert f"with {needed} signatures." in html
    assert f"The council must take a position by {date_format(deadline, 'DATE_FORMAT')}." in html
    assert "Kommunestyret vedtek ei badebrygge." in html and "Partly adopted" in html
    assert "Case 2026/118" in html and "with 5 signatures." in html
    assert "Proposed by Kari Nordmann" in html  # she chose to show her name
    for secret in (
        "Ventar på sjekk",
        "Halde att",
        "Skjult forslag",
        "912 34 567",
        "Papir Person",
        "Kaivegen",
    ):
        assert secret not in html
    for tag in ("<script", "<form", "<h1", "<h2"):
        assert tag not in html


def test_a_proposer_who_hid_their_name_is_not_named(town: Municipality) -> None:
    officer = factories.staff(town)
    initiatives = make_instance(town)
    author = resident(display_name="Ola Hemmeleg")
    proposal = collecting(initiatives.instance, officer, author, show_name=False)
    sign_many(initiatives.instance, proposal, 5)
    staff_actions.do_deliver(officer, proposal, below_threshold=True)
    html = section(initiatives)
    assert "Hemmeleg" not in html and "Proposed by" not in html
    assert "Gatelys langs skulevegen" in html


def test_nothing_public_says_so_and_the_section_makes_a_pdf(town: Municipality) -> None:
    officer = factories.staff(town)
    initiatives = make_instance(town)
    assert "No proposal has been published for signing." in section(initiatives)
    proposal = collecting(initiatives.instance, officer)
    sign_many(initiatives.instance, proposal, 6)
    staff_actions.do_deliver(officer, proposal, below_threshold=True)
    html = section(initiatives)
    pdf = render("<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>")
    assert pdf is not None and pdf.startswith(b"%PDF")


def test_the_section_makes_the_same_number_of_queries_for_any_number_of_proposals(
    town: Municipality,
) -> None:
    officer = factories.staff(town)
    initiatives = make_instance(town)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            section(initiatives)
        return len(captured)

    first = collecting(initiatives.instance, officer, title="Det første forslaget")
    sign_many(initiatives.instance, first, 5)
    staff_actions.do_deliver(officer, first, below_threshold=True)
    few = queries()
    for i in range(4):
        proposal = collecting(
            initiatives.instance, officer, resident(display_name=f"Namn {i}"), title=f"Forslag {i}"
        )
        sign_many(initiatives.instance, proposal, 5)
        staff_actions.do_deliver(officer, proposal, below_threshold=True)
    assert queries() == few
