"""Internal notes about a person's input are part of what the municipality holds about
them: in «Mine data» (without the staff member's name), and gone on erasure."""

from __future__ import annotations

import json

import pytest

from medvirk.accountability.inbox import do_add_note
from medvirk.accountability.models import Note
from medvirk.identity import personal_data
from medvirk.identity.actions import do_erase_account
from medvirk.identity.queries import export_my_data
from tests import factories

pytestmark = pytest.mark.django_db


def test_notes_on_the_persons_input_are_exported_without_the_author(w: factories.World) -> None:
    mine = factories.contribution(w.method, author=w.resident, text="Mitt innspel")
    theirs = factories.contribution(w.method, text="Nokon andre sitt")
    do_add_note(w.officer, mine, "Ringt: vil ha svar på e-post.")
    do_add_note(w.officer, theirs, "Ikkje om deg.")
    data = export_my_data(w.resident)
    json.dumps(data)
    [note] = data["internal_notes"]
    assert note["contribution"] == mine.pk
    assert note["text"] == "Ringt: vil ha svar på e-post."
    assert w.officer.username not in json.dumps(data["internal_notes"])
    # A staff member's export does not carry the notes they wrote about others' input.
    assert export_my_data(w.officer)["internal_notes"] == []


def test_erasure_deletes_the_notes_on_the_persons_input(w: factories.World) -> None:
    mine = factories.contribution(w.method, author=w.resident, text="Mitt innspel")
    theirs = factories.contribution(w.method, text="Nokon andre sitt")
    do_add_note(w.officer, mine, "Om deg.")
    do_add_note(w.officer, theirs, "Ikkje om deg.")
    assert [s.key for s in personal_data.erasure_order()].index("internal_notes") < [
        s.key for s in personal_data.erasure_order()
    ].index("contributions")
    do_erase_account(w.resident)
    assert list(Note.objects.values_list("text", flat=True)) == ["Ikkje om deg."]


def test_a_staff_members_notes_stay_when_their_account_goes(w: factories.World) -> None:
    item = factories.contribution(w.method)
    do_add_note(w.officer, item, "Arbeidsnotat.")
    w.officer.delete()
    note = Note.objects.get()
    assert (note.text, note.author) == ("Arbeidsnotat.", None)
