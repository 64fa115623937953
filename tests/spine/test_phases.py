from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from medvirk.core.errors import ActionRefused
from medvirk.processes import actions
from medvirk.processes.models import Phase, PhaseKind
from medvirk.processes.phases import Timing, active_phase, timing
from tests import factories

DAY = dt.timedelta(days=1)


def test_database_forbids_start_not_before_end(w: factories.World) -> None:
    now = timezone.now()
    # Straight to the database, past do_save_phase's own check: the constraint is the subject.
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(
            process=w.process, name="x", kind=PhaseKind.DECISION, start=now, end=now
        )


def test_overlapping_phase_is_refused_and_nothing_written(w: factories.World) -> None:
    before = Phase.objects.count()
    with pytest.raises(ActionRefused, match="overlaps"):
        actions.do_save_phase(
            w.officer,
            w.process,
            name="Overlapp",
            kind=PhaseKind.ALTERNATIVES,
            start=w.phase.end - DAY,
            end=w.phase.end + DAY,
        )
    assert Phase.objects.count() == before


def test_adjacent_phase_is_allowed(w: factories.World) -> None:
    nxt = actions.do_save_phase(
        w.officer,
        w.process,
        name="Neste",
        kind=PhaseKind.ALTERNATIVES,
        start=w.phase.end,
        end=w.phase.end + 5 * DAY,
    )
    assert nxt.pk is not None


def test_start_after_end_is_refused_with_message(w: factories.World) -> None:
    with pytest.raises(ActionRefused, match="end after it starts"):
        actions.do_save_phase(
            w.officer,
            w.process,
            name="Baklengs",
            kind=PhaseKind.DECISION,
            start=w.phase.end + 5 * DAY,
            end=w.phase.end + DAY,
        )


def test_active_phase_and_timing(w: factories.World) -> None:
    later = actions.do_save_phase(
        w.officer,
        w.process,
        name="Seinare",
        kind=PhaseKind.DECISION,
        start=w.phase.end,
        end=w.phase.end + 10 * DAY,
    )
    phases = list(w.process.phases.all())
    now = timezone.now()
    assert active_phase(phases, now) == w.phase
    assert active_phase(phases, later.start) == later
    assert active_phase(phases, later.end) is None
    assert timing(later, now) is Timing.BEFORE
    assert timing(w.phase, now) is Timing.DURING
    assert timing(w.phase, later.start) is Timing.AFTER


@pytest.mark.django_db(transaction=True)
def test_parallel_overlapping_phases_only_one_wins() -> None:
    world = factories.world()
    start = world.phase.end + DAY
    results: list[str] = []
    barrier = threading.Barrier(4)

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            actions.do_save_phase(
                world.officer,
                world.process,
                name=f"Parallell {i}",
                kind=PhaseKind.DECISION,
                start=start + dt.timedelta(hours=i),
                end=start + 5 * DAY,
            )
            results.append("ok")
        except ActionRefused:
            results.append("refused")
        finally:
            connection.close()  # each thread's own connection; don't leak it

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused", "refused", "refused"]
    assert Phase.objects.filter(process=world.process, name__startswith="Parallell").count() == 1


def test_reserved_method_address_is_refused(w: factories.World) -> None:
    with pytest.raises(ActionRefused, match="reserved"):
        actions.do_save_method(
            w.officer,
            w.process,
            phase=w.phase,
            method_key="information",
            slug="medverknadsplan",
            title="x",
        )
