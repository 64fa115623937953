"""The audit chain holds against someone who can write to the database but lacks the key.

Every attack below changes the real rows the way such a person would (queryset ``.update()``
and ``.delete()``, never the application's own functions) and expects ``verify`` to name it.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from medvirk.core import audit
from medvirk.core.models import AuditEntry, AuditHead
from tests import factories

Signer = Callable[[str], str]


@pytest.fixture
def chain(db: None) -> list[AuditEntry]:
    actor = factories.user("saksbehandlar")
    return [audit.record(f"test.action{i}", actor=actor, data={"i": i}) for i in range(5)]


def _kinds(problems: list[audit.Problem], seq: int | None = None) -> set[str]:
    return {p.kind for p in problems if seq is None or p.seq == seq}


# --- what an attacker with database access (but not the key) can compute ---------------------


def _payload(entry: AuditEntry) -> str:
    """The row's content exactly as the chain covers it (the format is no secret)."""
    return json.dumps(
        {
            "seq": entry.seq,
            "created_at": entry.created_at.isoformat(),
            "actor_commitment": entry.actor_commitment,
            "municipality": entry.municipality_id_ref,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "data": entry.data,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def _sha256(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


def _hmac_with(key: str) -> Signer:
    return lambda payload: hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _recompute_chain(sign: Signer) -> None:
    """Rewrite every row's links and hashes, and the head, as the attacker's tool would."""
    prev = audit.GENESIS
    entries = list(AuditEntry.objects.order_by("seq"))
    for entry in entries:
        entry.prev_hash = prev
        entry.entry_hash = sign(_payload(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
        )
        prev = entry.entry_hash
    AuditHead.objects.filter(pk=1).update(length=len(entries), head_hash=prev)


# --- the intact chain ---------------------------------------------------------------------


def test_intact_chain_verifies(chain: list[AuditEntry]) -> None:
    assert audit.verify() == []
    head = AuditHead.objects.get(pk=1)
    assert head.length == 5
    assert head.head_hash == chain[-1].entry_hash
    assert [e.prev_hash for e in chain[1:]] == [e.entry_hash for e in chain[:-1]]


def test_rows_are_signed_with_the_key_not_a_plain_hash(chain: list[AuditEntry]) -> None:
    row = AuditEntry.objects.get(seq=3)
    assert row.entry_hash != _sha256(_payload(row))
    assert audit.verify() == []


# --- edits, deletions, reordering -----------------------------------------------------------


def test_edited_row_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    assert "changed" in _kinds(audit.verify(), seq=3)


def test_edited_actor_label_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=2).update(actor_label="user:999:someone-else")
    assert "actor_changed" in _kinds(audit.verify(), seq=2)


def test_deleted_middle_row_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).delete()
    kinds = _kinds(audit.verify())
    assert {"missing", "link"} <= kinds


def test_deleted_newest_rows_are_detected_by_the_head(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq__gte=4).delete()
    problems = audit.verify()
    assert problems, "truncating the log must not go unnoticed"
    assert {"head_length", "head_hash"} <= _kinds(problems, seq=None)


def test_reordered_rows_are_detected(chain: list[AuditEntry]) -> None:
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=4)
    AuditEntry.objects.filter(pk=a.pk).update(seq=1000)
    AuditEntry.objects.filter(pk=b.pk).update(seq=2)
    AuditEntry.objects.filter(pk=a.pk).update(seq=4)
    assert audit.verify()


# --- recomputing the whole chain needs the key --------------------------------------------------


def test_chain_recomputed_with_plain_sha256_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    _recompute_chain(_sha256)
    problems = audit.verify()
    assert {e.seq for e in chain} <= {p.seq for p in problems if p.kind == "changed"}
    assert "head_signature" in _kinds(problems, seq=None)


def test_chain_recomputed_with_a_guessed_key_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    _recompute_chain(_hmac_with("medvirk-insecure-audit-key"))
    problems = audit.verify()
    assert {e.seq for e in chain} <= {p.seq for p in problems if p.kind == "changed"}


def test_the_key_is_what_protects_the_chain(chain: list[AuditEntry], tmp_path: Path) -> None:
    """Whoever holds the key can rewrite the chain (which also shows that the attacks above
    compute the real format); a head exported before still catches them."""
    _export(tmp_path / "head.json")
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    key = _hmac_with(settings.MEDVIRK_AUDIT_KEY)
    _recompute_chain(key)
    head = AuditHead.objects.get(pk=1)
    AuditHead.objects.filter(pk=1).update(
        signature=key(f"head\x1f{head.length}\x1f{head.head_hash}")
    )
    assert audit.verify() == []
    anchor = audit.read_anchor((tmp_path / "head.json").read_text())
    assert _kinds(audit.verify(anchor=anchor)) == {"anchor_mismatch"}


# --- the actor reference ----------------------------------------------------------------------


def test_changed_actor_reference_is_detected(chain: list[AuditEntry]) -> None:
    other = factories.user("someone-else")
    AuditEntry.objects.filter(seq=2).update(actor=other)
    assert "actor_reference" in _kinds(audit.verify(), seq=2)


def test_removed_actor_reference_of_an_existing_person_is_detected(
    chain: list[AuditEntry],
) -> None:
    AuditEntry.objects.filter(seq=2).update(actor=None)
    assert "actor_reference" in _kinds(audit.verify(), seq=2)


def test_actor_reference_of_a_deleted_account_may_be_empty(chain: list[AuditEntry]) -> None:
    # An account deleted outside erasure (e.g. in the admin) leaves its label; the chain holds.
    user_pk = chain[0].actor_id
    assert user_pk is not None
    AuditEntry.objects.filter(actor_id=user_pk).update(actor=None)
    factories.User.objects.filter(pk=user_pk).delete()
    assert audit.verify() == []


def test_system_row_given_an_actor_is_detected(db: None) -> None:
    audit.record("test.by-the-system")
    AuditEntry.objects.filter(seq=1).update(actor=factories.user("blamed"))
    assert "actor_reference" in _kinds(audit.verify(), seq=1)


# --- erasure and pseudonyms -----------------------------------------------------------------


def test_pseudonymising_a_person_keeps_the_chain_valid(chain: list[AuditEntry]) -> None:
    user_pk = chain[0].actor_id
    assert user_pk is not None
    changed = audit.pseudonymise_actor(user_pk)
    assert changed == 5
    rows = AuditEntry.objects.filter(seq__lte=5)
    labels = set(rows.values_list("actor_label", flat=True))
    assert len(labels) == 1
    (label,) = labels
    assert label.startswith(audit.PSEUDONYM_PREFIX)
    assert "saksbehandlar" not in label
    assert audit.verify() == []


def test_erasure_writes_an_audit_row_that_names_the_pseudonym_not_the_person(
    chain: list[AuditEntry],
) -> None:
    user_pk = chain[0].actor_id
    assert user_pk is not None
    audit.pseudonymise_actor(user_pk)
    erasure = AuditEntry.objects.get(action=audit.ERASURE_ACTION)
    assert erasure.seq == 6
    pseudonym = AuditEntry.objects.get(seq=1).actor_label
    assert erasure.data == {"pseudonym": pseudonym, "seqs": [1, 2, 3, 4, 5]}
    assert erasure.actor_id is None
    assert "saksbehandlar" not in json.dumps(erasure.data) + erasure.actor_label
    assert erasure.object_id == ""


def test_erasure_of_a_person_without_audit_rows_is_recorded_too(db: None) -> None:
    resident = factories.user("resident")
    assert audit.pseudonymise_actor(resident.pk) == 0
    erasure = AuditEntry.objects.get(action=audit.ERASURE_ACTION)
    assert erasure.data["seqs"] == []
    assert audit.verify() == []


def test_pseudonym_without_an_erasure_record_is_detected(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=2).update(
        actor=None, actor_label=f"{audit.PSEUDONYM_PREFIX}0123456789abcdef", actor_salt=""
    )
    assert "pseudonym_unrecorded" in _kinds(audit.verify(), seq=2)


def test_real_pseudonym_copied_onto_another_persons_row_is_detected(db: None) -> None:
    leaving, staying = factories.user("leaving"), factories.user("staying")
    audit.record("test.by-leaving", actor=leaving)
    audit.record("test.by-staying", actor=staying)
    audit.pseudonymise_actor(leaving.pk)
    pseudonym = AuditEntry.objects.get(seq=1).actor_label
    AuditEntry.objects.filter(seq=2).update(actor=None, actor_label=pseudonym, actor_salt="")
    assert "pseudonym_unrecorded" in _kinds(audit.verify(), seq=2)


def test_forged_erasure_row_does_not_excuse_a_pseudonym(chain: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=2).update(actor=None, actor_label="erased:feed", actor_salt="")
    # The attacker appends their own "erasure" row; they cannot sign it.
    last = AuditEntry.objects.get(seq=5)
    forged = AuditEntry.objects.create(
        seq=6,
        created_at=last.created_at,
        action=audit.ERASURE_ACTION,
        data={"pseudonym": "erased:feed", "seqs": [2]},
        prev_hash=last.entry_hash,
        entry_hash="f" * 64,
    )
    problems = audit.verify()
    assert "pseudonym_unrecorded" in _kinds(problems, seq=2)
    assert "changed" in _kinds(problems, seq=forged.seq)


# --- the kept head and the exported head ------------------------------------------------------


def test_truncation_with_a_rewritten_head_is_detected_by_the_head_signature(
    chain: list[AuditEntry],
) -> None:
    AuditEntry.objects.filter(seq__gte=4).delete()
    AuditHead.objects.filter(pk=1).update(length=3, head_hash=chain[2].entry_hash)
    assert "head_signature" in _kinds(audit.verify(), seq=None)


def test_head_changed_alone_is_detected(chain: list[AuditEntry]) -> None:
    AuditHead.objects.filter(pk=1).update(signature="0" * 64)
    assert _kinds(audit.verify()) == {"head_signature"}


def _export(path: Path) -> dict[str, object]:
    call_command("verify_audit", export_head=str(path))
    exported: dict[str, object] = json.loads(path.read_text())
    return exported


def test_export_head_writes_a_signed_head(chain: list[AuditEntry], tmp_path: Path) -> None:
    exported = _export(tmp_path / "head.json")
    assert exported["length"] == 5
    assert exported["head_hash"] == chain[-1].entry_hash
    assert {"exported_at", "signature"} <= set(exported)
    call_command("verify_audit", against=str(tmp_path / "head.json"))


def test_export_head_to_standard_output(
    chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("verify_audit", export_head="-")
    assert json.loads(capsys.readouterr().out)["length"] == 5


def test_check_against_standard_input_and_export_to_standard_output(
    chain: list[AuditEntry],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = _export(tmp_path / "head.json")
    audit.record("test.later")
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(old)))
    call_command("verify_audit", against="-", export_head="-")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["length"] == 6
    assert "holds the head exported" in captured.err


def test_export_head_refuses_a_broken_chain(chain: list[AuditEntry], tmp_path: Path) -> None:
    AuditEntry.objects.filter(seq=3).update(data={"i": 99})
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit", export_head=str(tmp_path / "head.json"))
    assert not (tmp_path / "head.json").exists()


def test_truncation_with_a_replayed_old_head_is_detected_against_the_exported_head(
    db: None, tmp_path: Path
) -> None:
    actor = factories.user("saksbehandlar")
    for i in range(3):
        audit.record(f"test.action{i}", actor=actor)
    old_head = AuditHead.objects.values("length", "head_hash", "signature").get(pk=1)
    for i in range(3, 5):
        audit.record(f"test.action{i}", actor=actor)
    _export(tmp_path / "head.json")
    # The attacker deletes the newest rows and puts back a head they saw earlier.
    AuditEntry.objects.filter(seq__gte=4).delete()
    AuditHead.objects.filter(pk=1).update(**old_head)
    assert audit.verify() == [], "the database alone cannot tell; the exported head can"
    problems = audit.verify(anchor=audit.read_anchor((tmp_path / "head.json").read_text()))
    assert _kinds(problems) == {"anchor_shorter"}
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit", against=str(tmp_path / "head.json"))


def test_rewritten_row_at_the_exported_position_is_detected(
    chain: list[AuditEntry], tmp_path: Path
) -> None:
    _export(tmp_path / "head.json")
    AuditEntry.objects.filter(seq=5).update(entry_hash="e" * 64)
    anchor = audit.read_anchor((tmp_path / "head.json").read_text())
    assert "anchor_mismatch" in _kinds(audit.verify(anchor=anchor), seq=None)


def test_doctored_export_file_is_detected(chain: list[AuditEntry], tmp_path: Path) -> None:
    exported = _export(tmp_path / "head.json")
    exported["length"] = 3
    exported["head_hash"] = chain[2].entry_hash
    anchor = audit.read_anchor(json.dumps(exported))
    assert _kinds(audit.verify(anchor=anchor)) == {"anchor_signature"}


def test_unreadable_export_file_is_refused(chain: list[AuditEntry], tmp_path: Path) -> None:
    (tmp_path / "head.json").write_text("not json")
    with pytest.raises(CommandError, match="head file"):
        call_command("verify_audit", against=str(tmp_path / "head.json"))


def test_verify_audit_command(chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("verify_audit")
    assert "intact: 5 rows" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=5).delete()
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit")


# --- a database written before the chain was signed ------------------------------------------


def _legacy_chain(rows: int) -> None:
    """The log as the previous release left it: plain SHA-256 and an unsigned head."""
    actor = factories.user("saksbehandlar")
    for i in range(rows):
        audit.record(f"test.old{i}", actor=actor, data={"i": i})
    _recompute_chain(_sha256)
    AuditHead.objects.filter(pk=1).update(signature="")


def _run_upgrade() -> None:
    migration = importlib.import_module("medvirk.core.migrations.0003_audit_signed_chain")
    migration.anchor_legacy_chain(django_apps, connection.schema_editor())


def test_upgrade_anchors_the_old_chain_with_a_signed_row(db: None) -> None:
    _legacy_chain(3)
    old_head = AuditHead.objects.get(pk=1).head_hash
    assert "changed" in _kinds(audit.verify()), "unsigned rows are not accepted as they are"
    _run_upgrade()
    rekeyed = AuditEntry.objects.get(action=audit.REKEY_ACTION)
    assert rekeyed.seq == 4
    assert rekeyed.prev_hash == old_head
    assert rekeyed.data["legacy_length"] == 3
    assert rekeyed.data["legacy_head"] == old_head
    assert audit.verify() == []
    audit.record("test.new", actor=factories.user("ny"))
    assert audit.verify() == []


@pytest.mark.django_db(transaction=True)
def test_migrate_upgrades_a_database_written_by_the_previous_release() -> None:
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("core", "0002_initial")], [("core", "0003_audit_signed_chain")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    prev = audit.GENESIS
    for seq in (1, 2):
        entry = old.get_model("core", "AuditEntry")(
            seq=seq,
            created_at=timezone.now(),
            actor_label="system",
            actor_salt="s",
            actor_commitment=hashlib.sha256(b"s\x1fsystem").hexdigest(),
            action="test.old",
            prev_hash=prev,
        )
        entry.entry_hash = prev = _sha256(_payload(entry))
        entry.save()
    old.get_model("core", "AuditHead").objects.create(pk=1, length=2, head_hash=prev)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert AuditEntry.objects.get(seq=3).action == audit.REKEY_ACTION
    assert audit.verify() == []


def test_old_rows_rewritten_after_the_upgrade_are_detected(db: None) -> None:
    _legacy_chain(3)
    _run_upgrade()
    AuditEntry.objects.filter(seq=2).update(data={"i": 99})
    # Recomputing the old rows with plain SHA-256 no longer reaches the signed cut-over row.
    prev = audit.GENESIS
    for entry in AuditEntry.objects.filter(seq__lte=3).order_by("seq"):
        entry.prev_hash = prev
        entry.entry_hash = _sha256(_payload(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
        )
        prev = entry.entry_hash
    assert "link" in _kinds(audit.verify(), seq=4)


def test_old_pseudonyms_are_recorded_at_the_upgrade(db: None) -> None:
    _legacy_chain(2)
    AuditEntry.objects.filter(seq=1).update(actor=None, actor_label="erased:0ld", actor_salt="")
    _run_upgrade()
    assert AuditEntry.objects.get(action=audit.REKEY_ACTION).data["pseudonyms"] == {
        "erased:0ld": [1]
    }
    assert audit.verify() == []


def test_upgrade_of_an_empty_log_signs_the_head(db: None) -> None:
    AuditHead.objects.create(pk=1)
    _run_upgrade()
    assert not AuditEntry.objects.exists()
    assert audit.verify() == []


# --- production settings ------------------------------------------------------------------


A_SECRET = "x7-not-a-real-secret-but-long-enough-for-the-check-0123456789abcdef"
A_PEPPER = "p3-another-made-up-secret-for-hashing-identity-numbers-0123456789"
A_KEY = "k9-a-third-made-up-secret-that-signs-the-audit-log-0123456789abc"


@pytest.mark.parametrize(
    "key",
    [None, A_SECRET, A_PEPPER, "too-short"],
    ids=["missing", "same-as-secret-key", "same-as-pepper", "too-short"],
)
def test_production_requires_its_own_audit_key(key: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDVIRK_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="medvirk.settings.production",
        SECRET_KEY=A_SECRET,
        MEDVIRK_IDENTITY_PEPPER=A_PEPPER,
        ALLOWED_HOSTS="medvirk.example.no",
        REDIS_URL="redis://127.0.0.1:6379/0",  # production wants it; setup does not connect
    )
    if key is not None:
        env["MEDVIRK_AUDIT_KEY"] = key
    code = "import django; django.setup(); from django.conf import settings; print('started')"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "MEDVIRK_AUDIT_KEY" in done.stderr
    env["MEDVIRK_AUDIT_KEY"] = A_KEY
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


# --- the staff page -----------------------------------------------------------------------


def test_staff_audit_page_explains_the_problems(w: factories.World, client: Client) -> None:
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None
    client.force_login(w.admin)
    page = client.get("/stab/logg/?verify=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The chain is intact." in page
    AuditEntry.objects.filter(pk=first.pk).update(actor=w.resident)
    AuditHead.objects.filter(pk=1).update(signature="0" * 64)
    page = client.get("/stab/logg/?verify=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The chain is broken:" in page
    assert "recorded person" in page
    assert "head of the chain" in page


def test_staff_audit_page_shows_the_first_hundred_problems_and_the_count(
    w: factories.World, client: Client, settings: Any
) -> None:
    for i in range(100):
        audit.record(f"test.bulk{i}", municipality_id=w.org.pk)
    rows = AuditEntry.objects.count()
    settings.MEDVIRK_AUDIT_KEY = "another-key-than-the-one-the-rows-were-signed-with"
    client.force_login(w.admin)
    page = client.get("/stab/logg/?verify=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("not signed with this site") == 100
    assert f"{rows + 1} problems in all; the first 100 are shown." in page
