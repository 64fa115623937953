"""The participatory budget's part of the ballot bench: a knapsack vote with voting codes.

A budget of 200 000 kr and eight projects, as the Lillevik pupils' budget; voters hold
single-use codes (the way a school or a kommune hands out paper codes), so each ballot is
one POST with no login. Each voter picks projects in a random order while they fit the
budget. What a voter was told was stored is checked against the database by the code's
keyed hash: the ballot must be there with exactly the projects sent.
"""

from __future__ import annotations

import random
import time
from typing import Any

from ballots.client import Submission

BUDGET = 200_000
PROJECTS = (
    ("Nye benkar ved ballbinga", 25_000),
    ("Klatrevegg på gymsalveggen", 60_000),
    ("Tak over sykkelstativet", 45_000),
    ("Utebord til matpakkene", 30_000),
    ("Fotballmål med nett", 18_000),
    ("Hengekøyestativ", 35_000),
    ("Blomsterbed og bær", 12_000),
    ("Basketballkorg", 22_000),
)
SPARE = 80_000  # codes beyond --voters, for the sustained and the kill runs


def build(voters: int) -> dict[str, Any]:
    from django.utils import timezone
    from tests import factories
    from tests.methods.budgeting.conftest import add, make_budget, open_vote

    from medvirk.methods.budgeting import keys
    from medvirk.methods.budgeting.models import CodeBatch, VotingCode

    org = factories.municipality("Budsjettvik")
    officer = factories.staff(org)
    budget = make_budget(org, settings={"voters": "codes", "budget": BUDGET, "ballot": "knapsack"})
    numbers = {add(budget, officer, title, cost).number: cost for title, cost in PROJECTS}
    open_vote(budget, officer, days=3)
    instance = budget.instance
    total = voters + 1 + SPARE
    batch = CodeBatch.objects.create(method_instance=instance, label="Benk", district="")
    made: set[str] = set()
    while len(made) < total:
        made.add(keys.new_code())
    codes = sorted(made)
    random.Random(0).shuffle(codes)
    VotingCode.objects.bulk_create(
        [VotingCode(batch=batch, method_instance=instance, code=c) for c in codes],
        batch_size=5000,
    )
    return {
        "instance": instance.pk,
        "path": budget.url("vote"),
        "projects": numbers,
        "codes": codes,
        "voters": voters,
        "sustained_from": voters + 1,
        "kill_from": voters + 1 + SPARE // 2,
        "built": timezone.now().isoformat(),
    }


def _pick(index: int, projects: dict[int, int]) -> list[int]:
    rng = random.Random(index)
    order = list(projects)
    rng.shuffle(order)
    chosen, spent = [], 0
    for number in order[: rng.randint(1, len(order))]:
        if spent + projects[number] <= BUDGET:
            chosen.append(number)
            spent += projects[number]
    return sorted(chosen)


def submission(index: int, info: dict[str, Any]) -> Submission:
    """Voter ``index``; a negative index is the one extra voter, voting again and again."""
    voter = index if index >= 0 else info["voters"]
    code = info["codes"][voter]
    projects = {int(k): v for k, v in info["projects"].items()}
    chosen = _pick(index if index >= 0 else -index, projects)
    rng = random.Random(voter)
    return Submission(
        key=code,
        path=info["path"],
        fields=[("code", code), *(("project", str(n)) for n in chosen), ("action", "cast")],
        address=f"10.{rng.randrange(1, 250)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        expect=chosen,
    )


def stored(info: dict[str, Any]) -> dict[str, int]:
    from medvirk.methods.budgeting.models import Ballot

    projects = {str(k): v for k, v in info["projects"].items()}
    rows = Ballot.objects.filter(method_instance_id=info["instance"]).values_list(
        "choices", flat=True
    )
    over = 0
    count = 0
    for choices in rows.iterator(chunk_size=5000):
        count += 1
        if sum(projects[k] for k in choices) > BUDGET:
            over += 1
    return {"ballots": count, "over_budget": over}


def missing(info: dict[str, Any], acknowledged: list[Any]) -> int:
    """Acknowledged ballots that are not stored exactly as sent (distinct voters only; the
    one voter voting 50 times is checked by the count of ballots)."""
    from medvirk.methods.budgeting import keys
    from medvirk.methods.budgeting.models import Ballot

    held = {
        key: sorted(int(n) for n in choices)
        for key, choices in Ballot.objects.filter(method_instance_id=info["instance"])
        .values_list("voter_key", "choices")
        .iterator(chunk_size=5000)
    }
    lost = 0
    for outcome in acknowledged:
        if held.get(keys.code_key(info["instance"], outcome.key)) != outcome.expect:
            lost += 1
    return lost


def close_and_count(info: dict[str, Any], limit: float) -> str:
    """Close the vote as the cron command would; wait for the worker to count it."""
    from medvirk.methods.budgeting import counting, staff_actions
    from medvirk.methods.budgeting.models import Ballot, Election, Tally
    from medvirk.processes.models import MethodInstance

    instance = MethodInstance.objects.select_related("process__municipality", "phase").get(
        pk=info["instance"]
    )
    staff_actions.do_close_vote(None, instance)
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if Election.objects.filter(method_instance=instance, counted_at__isnull=False).exists():
            took = time.perf_counter() - started
            tally = Tally.objects.get(method_instance=instance, district="")
            stored_now = Ballot.objects.filter(method_instance=instance).count()
            problems = counting.verify(instance)
            funded = len(tally.result.get("selected", []))
            return (
                f"counted by the restarted worker {took:.1f} s after the close: "
                f"{tally.ballots} ballots (stored: {stored_now}), {funded} projects funded "
                f"({tally.rule}); recount {problems or 'agrees'}"
            )
        time.sleep(0.5)
    return f"NOT counted within {limit:.0f} s"
