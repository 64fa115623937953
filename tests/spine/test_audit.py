from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from medvirk.core import audit
from medvirk.core.models import AuditEntry, AuditHead
from tests import factories


@pytest.fixture
def chain(db: None) -> list[AuditEntry]:
    actor = factories.user("saksbehandlar")
    return [audit.record(f"test.action{i}", actor=actor, data={"i": i}) for i in range(5)]


def test_intact_chain_verifies(chain: list[AuditEntry]) -> None:
    assert audit.verify() == []
    head = AuditHead.objects.get(pk=1)
    assert head.length == 5
    assert head.head_hash == chain[-1].entry_hash
    assert [e.prev_hash for e in chain[1:]] == [e.entry_hash for e in chain[:-1]]


def test_edited_row_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    problems = audit.verify()
    assert any(p.seq == 3 and "changed" in p.message for p in problems)


def test_edited_actor_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=2).update(actor_label="user:999:someone-else")
    assert any(p.seq == 2 and "actor" in p.message for p in audit.verify())


def test_deleted_middle_row_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).delete()
    messages = [p.message for p in audit.verify()]
    assert any("missing" in m for m in messages)
    assert any("previous row" in m for m in messages)


def test_deleted_newest_rows_are_detected_by_the_head(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq__gte=4).delete()
    problems = audit.verify()
    assert problems, "truncating the log must not go unnoticed"
    assert any(p.seq is None and "head" in p.message for p in problems)


def test_reordered_rows_are_detected(chain: list[AuditEntry]) -> None:
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=4)
    AuditEntry.objects.filter(pk=a.pk).update(seq=1000)
    AuditEntry.objects.filter(pk=b.pk).update(seq=2)
    AuditEntry.objects.filter(pk=a.pk).update(seq=4)
    assert audit.verify()


def test_pseudonymising_a_person_keeps_the_chain_valid(chain: list[AuditEntry]) -> None:
    user_pk = chain[0].actor_id
    assert user_pk is not None
    changed = audit.pseudonymise_actor(user_pk)
    assert changed == 5
    labels = set(AuditEntry.objects.values_list("actor_label", flat=True))
    assert len(labels) == 1
    (label,) = labels
    assert label.startswith(audit.PSEUDONYM_PREFIX)
    assert "saksbehandlar" not in label
    assert audit.verify() == []


def test_verify_audit_command(chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("verify_audit")
    assert "intact: 5 rows" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=5).delete()
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit")
