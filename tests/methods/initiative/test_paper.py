"""Paper signature lists registered by staff: several rows at once, duplicates found by
normalised name and date of birth (and skipped, never stored twice), audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.initiative import keys, staff_actions
from medvirk.methods.initiative.models import Signature, Status
from medvirk.methods.initiative.staff_actions import PaperRow
from tests import factories

from .conftest import Initiatives, collecting, make_instance, propose

pytestmark = pytest.mark.django_db

KARI = PaperRow("Kari Nordmann-Ås", "Kaivegen 2, Lillevik", dt.date(1980, 2, 1))


def test_rows_are_registered_and_audited_without_names_in_the_log(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    mark = factories.audit_mark()
    result = staff_actions.do_register_paper(
        officer,
        initiative,
        [KARI, PaperRow("Ola Nordmann", "Skulevegen 4, Lillevik", dt.date(2010, 5, 17))],
        checked=True,
    )
    assert (result.added, result.duplicates, result.count) == (2, [], 2)
    rows = list(Signature.objects.order_by("pk"))
    assert [r.kind for r in rows] == [Signature.Kind.PAPER] * 2
    assert rows[0].signer_name == "Kari Nordmann-Ås"
    assert rows[0].birth_date == dt.date(1980, 2, 1)
    assert rows[0].registered_by == officer
    assert rows[0].identity_hash is None
    assert rows[0].paper_hash == keys.paper_key(
        initiative.pk, "kari nordmann ås", dt.date(1980, 2, 1)
    )
    entries = list(factories.audited_since(mark))
    assert [e.action for e in entries] == ["initiative.paper_registered"]
    assert entries[0].data["added"] == 2
    assert "Kari" not in str(entries[0].data)


def test_the_same_person_is_found_however_the_name_is_written(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    staff_actions.do_register_paper(officer, initiative, [KARI], checked=True)
    variants = [
        PaperRow("kari  nordmann ås", "Another address", dt.date(1980, 2, 1)),
        PaperRow("KÁRI NORDMANN-ÅS", "Kaivegen 2", dt.date(1980, 2, 1)),
        PaperRow("Kari Nordmann-Aas", "Kaivegen 2", dt.date(1980, 2, 1)),  # Aas ≠ Ås
        PaperRow("Kari Nordmann-Ås", "Kaivegen 2", dt.date(1980, 2, 2)),  # another birthday
    ]
    result = staff_actions.do_register_paper(officer, initiative, variants, checked=True)
    assert [d.signer_name for d in result.duplicates] == [
        "kari nordmann ås",
        "KÁRI NORDMANN-ÅS",
    ]
    assert result.added == 2
    assert Signature.objects.filter(initiative=initiative).count() == 3


def test_a_person_twice_on_one_list_is_registered_once(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    result = staff_actions.do_register_paper(officer, initiative, [KARI, KARI], checked=True)
    assert result.added == 1 and len(result.duplicates) == 1


def test_paper_and_e_id_are_counted_together_and_reach_the_threshold(officer: User) -> None:
    small = factories.municipality("Smaavik", inhabitants=100)  # 2 signatures
    instance = make_instance(small).instance
    initiative = collecting(instance, factories.staff(small))
    result = staff_actions.do_register_paper(
        factories.staff(small),
        initiative,
        [KARI, PaperRow("Ola Nordmann", "Kaivegen 3", dt.date(1979, 1, 1))],
        checked=True,
    )
    assert result.delivered and result.count == 2
    initiative.refresh_from_db()
    assert initiative.status == Status.DELIVERED
    with pytest.raises(ActionRefused, match="only while the proposal collects"):
        staff_actions.do_register_paper(
            factories.staff(small),
            initiative,
            [PaperRow("Per Hansen", "Kaivegen 4", dt.date(1970, 1, 1))],
            checked=True,
        )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (PaperRow("", "Kaivegen 2", dt.date(1980, 1, 1)), "Row 1: write the name"),
        (PaperRow("\u202e\u200b", "Kaivegen 2", dt.date(1980, 1, 1)), "invisible"),
        (PaperRow("Kari", "   ", dt.date(1980, 1, 1)), "Row 1: write the address"),
        (PaperRow("Kari", "Kaivegen 2", dt.date(2999, 1, 1)), "not in the future"),
        (PaperRow("Kari", "Kaivegen 2", dt.date(1850, 1, 1)), "real date"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_stored(
    initiatives: Initiatives, officer: User, row: PaperRow, message: str
) -> None:
    initiative = collecting(initiatives.instance, officer)
    with pytest.raises(ActionRefused, match=message):
        staff_actions.do_register_paper(officer, initiative, [row], checked=True)
    assert not Signature.objects.exists()


def test_the_list_needs_the_residence_check_and_the_right_role(
    initiatives: Initiatives, officer: User, moderator: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    with pytest.raises(ActionRefused, match="where the signers live"):
        staff_actions.do_register_paper(officer, initiative, [KARI], checked=False)
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_register_paper(moderator, initiative, [KARI], checked=True)
    assert refused.value.status == 403
    waiting = propose(initiatives.instance)
    with pytest.raises(ActionRefused, match="only while"):
        staff_actions.do_register_paper(officer, waiting, [KARI], checked=True)
    assert not Signature.objects.exists()


def test_a_paper_signature_can_be_removed_before_delivery(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = collecting(initiatives.instance, officer)
    staff_actions.do_register_paper(officer, initiative, [KARI], checked=True)
    signature = Signature.objects.get()
    mark = factories.audit_mark()
    assert staff_actions.do_remove_paper(officer, initiative, signature.pk) == 0
    assert [e.action for e in factories.audited_since(mark)] == ["initiative.paper_removed"]
    with pytest.raises(ActionRefused) as gone:
        staff_actions.do_remove_paper(officer, initiative, signature.pk)
    assert gone.value.status == 404


def test_the_paper_page_registers_rows_and_reports_duplicates(
    initiatives: Initiatives, officer: User, staff_client: Client
) -> None:
    initiative = collecting(initiatives.instance, officer)
    url = initiatives.url("staff_paper", pk=initiative.pk)
    page = staff_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="papir-') >= 30  # ten rows of three fields
    assert 'name="papir-TOTAL_FORMS" value="10"' in html
    more = staff_client.get(url, {"rader": "25"}).content.decode()
    assert 'name="papir-TOTAL_FORMS" value="25"' in more

    def post(rows: list[dict[str, str]], checked: bool = True) -> object:
        data = {
            "papir-TOTAL_FORMS": str(len(rows)),
            "papir-INITIAL_FORMS": "0",
            "papir-MIN_NUM_FORMS": "0",
            "papir-MAX_NUM_FORMS": "50",
        }
        for n, row in enumerate(rows):
            data.update({f"papir-{n}-{k}": v for k, v in row.items()})
        if checked:
            data["checked"] = "on"
        return staff_client.post(url, data)

    half = post([{"signer_name": "Kari Nordmann", "address": "", "birth_date": ""}])
    assert half.status_code == 400  # type: ignore[attr-defined]
    assert "Write the address." in half.content.decode()  # type: ignore[attr-defined]
    unticked = post(
        [{"signer_name": "Kari", "address": "Kaivegen 2", "birth_date": "01.02.1980"}],
        checked=False,
    )
    assert unticked.status_code == 400  # type: ignore[attr-defined]
    done = post(
        [
            {"signer_name": "Kari Nordmann", "address": "Kaivegen 2", "birth_date": "01.02.1980"},
            {"signer_name": "", "address": "", "birth_date": ""},
            {"signer_name": "Ola Nordmann", "address": "Kaivegen 3", "birth_date": "1979-03-04"},
        ]
    )
    assert done.status_code == 302  # type: ignore[attr-defined]
    assert Signature.objects.count() == 2
    again = post(
        [{"signer_name": "kari nordmann", "address": "Kaivegen 2", "birth_date": "1980-02-01"}]
    )
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert 'id="duplicates"' in again.content.decode()  # type: ignore[attr-defined]
    assert Signature.objects.count() == 2
    removed = staff_client.post(url, {"action": "remove", "signature": "nonsense"})
    assert removed.status_code == 404
    first = Signature.objects.order_by("pk").first()
    assert first is not None
    assert (
        staff_client.post(url, {"action": "remove", "signature": str(first.pk)}).status_code == 302
    )
    assert Signature.objects.count() == 1
