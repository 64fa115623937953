"""Counting a closed vote with ``medvirk.algorithms.pb``, once, and storing what it counted.

For each election (the whole budget, or each district) the ballots become a Pabulib
election: the accepted projects (id = the project's number, ``name`` = its title), and one
vote row per ballot, in a random order, numbered 1, 2, 3 … (``voter_id``), with the
district as a column when the budget has districts. Nothing else of the voter is there.
The file's text is stored, and the result is the count *of that text* (parsed back), so
the published file counted again by anyone — with Medvirk or pabutools — gives the
published result.

:func:`count_instance` runs in the background task after the vote closes. It locks the
election's row and counts only if the vote is closed and not counted yet: running it twice
(two workers, the task and the cron command) counts once. :func:`verify` counts again,
from the stored file and from the ballots in the database, and says where anything differs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from medvirk.algorithms import pb
from medvirk.processes.models import MethodInstance

from .config import APPROVAL, CUMULATIVE, KNAPSACK, Rules, rules_of
from .models import Ballot, Delivery, Election, Project, ProjectStatus, Tally

PABULIB_RULES = {"equal-shares": "equalshares/add1", "greedy": "greedy"}
_shuffle = random.SystemRandom()


@dataclass(frozen=True)
class Built:
    district: str
    budget: int
    election: pb.Election
    text: str


def _meta(instance: MethodInstance, rules: Rules, district: str, budget: int) -> dict[str, str]:
    election = Election.objects.filter(method_instance=instance).first()
    begin = election.opened_at if election and election.opened_at else None
    end = election.closed_at if election and election.closed_at else None
    meta = {
        "description": f"{instance.title} ({instance.process.title})",
        "country": "Norway",
        "unit": instance.process.municipality.name,
        "instance": str(timezone.localtime(end or timezone.now()).year),
    }
    if district:
        meta["district"] = district
    meta["budget"] = str(budget)
    meta["vote_type"] = "cumulative" if rules.ballot == CUMULATIVE else "approval"
    meta["rule"] = PABULIB_RULES[rules.rule]
    if begin is not None:
        meta["date_begin"] = timezone.localtime(begin).strftime("%d.%m.%Y")
    if end is not None:
        meta["date_end"] = timezone.localtime(end).strftime("%d.%m.%Y")
    if rules.ballot == APPROVAL:
        meta["max_length"] = str(rules.max_choices)
    elif rules.ballot == KNAPSACK:
        meta["max_sum_cost"] = str(budget)
    else:
        meta["max_sum_points"] = str(rules.points)
        meta["max_points"] = str(rules.cap_per_project)
    meta["comment"] = f"Medvirk, {rules.ballot} ballot"
    return meta


def build(
    instance: MethodInstance, rules: Rules, district: str, budget: int, order: random.Random
) -> Built:
    """The election of ``district`` ("" = the whole budget) as a Pabulib file."""
    projects = list(
        Project.objects.filter(
            method_instance=instance, status=ProjectStatus.ACCEPTED, district=district
        ).order_by("number")
    )
    index = {str(p.number): j for j, p in enumerate(projects)}
    fields = {"district": district} if district else {}
    pb_projects = [
        pb.Project(str(p.number), Fraction(int(p.cost or 0)), {"name": p.title, **fields})
        for p in projects
    ]
    rows = list(
        Ballot.objects.filter(method_instance=instance, district=district).values_list(
            "choices", flat=True
        )
    )
    order.shuffle(rows)
    cumulative = rules.ballot == CUMULATIVE
    offsets, flat, points = [0], [], []
    for choices in rows:
        for pid in sorted(choices, key=lambda k: index.get(str(k), -1)):
            j = index.get(str(pid))
            value = int(choices[pid])
            if j is None or value <= 0:
                continue
            flat.append(j)
            points.append(value)
        offsets.append(len(flat))
    election = pb.Election(
        path=f"{instance.slug}{'-' + district if district else ''}.pb",
        meta=_meta(instance, rules, district, budget),
        budget=Fraction(budget),
        vote_type="cumulative" if cumulative else "approval",
        projects=pb_projects,
        offsets=offsets,
        ballot_projects=flat,
        ballot_points=points if cumulative else None,
        voter_ids=[str(i) for i in range(1, len(rows) + 1)],
        project_columns=["project_id", "cost", "name", *fields],
        vote_columns=["voter_id", *(["district"] if district else []), "vote"],
        voter_fields=[dict(fields) for _ in rows] if district else None,
    )
    return Built(district, budget, election, pb.election_to_text(election))


def _empty_result(built: Built, rule: str) -> dict[str, Any]:
    """The result when there is nothing to count (no ballots, or no projects)."""
    election = built.election
    support = [0] * len(election.projects)
    for j in election.ballot_projects:
        support[j] += 1
    return {
        "rule": rule,
        "vote_type": election.vote_type,
        "voters": election.num_voters,
        "selected": [],
        "cost": 0,
        "budget": built.budget,
        "explanations": {
            p.id: {
                "id": p.id,
                "funded": False,
                "cost": int(p.cost),
                "support": support[j],
                "supporters": support[j],
                "name": p.name,
            }
            for j, p in enumerate(election.projects)
        },
    }


def count_text(text: str, rule: str, budget: int, built: Built | None = None) -> dict[str, Any]:
    """Count a Pabulib file's text with ``rule``: the engine's result as JSON."""
    try:
        parsed = pb.parse_pb(text)
    except pb.PbFormatError:
        if built is None:
            raise
        return _empty_result(built, rule)
    return pb.count(parsed, rule).as_json()


@transaction.atomic
def count_instance(instance_id: int) -> str:
    """Count a closed vote once; says what it did ("counted", "open", "counted already")."""
    election = Election.objects.select_for_update().filter(method_instance_id=instance_id).first()
    if election is None or election.closed_at is None:
        return "open"
    if election.counted_at is not None:
        return "counted already"
    instance = MethodInstance.objects.select_related("process__municipality").get(pk=instance_id)
    rules = rules_of(instance)
    now = timezone.now()
    funded: list[int] = []
    for district, budget in rules.elections():
        built = build(instance, rules, district, budget, _shuffle)
        result = count_text(built.text, rules.rule, budget, built)
        Tally.objects.update_or_create(
            method_instance=instance,
            district=district,
            defaults={
                "rule": rules.rule,
                "ballots": built.election.num_voters,
                "result": result,
                "pb_text": built.text,
                "counted_at": now,
            },
        )
        funded += [int(pid) for pid in result["selected"]]
    Project.objects.filter(method_instance=instance, number__in=funded, delivery="").update(
        delivery=Delivery.PLANNED
    )
    election.counted_at = now
    election.save(update_fields=["counted_at"])
    return "counted"


def verify(instance: MethodInstance) -> list[str]:
    """Count again: each stored file, and the ballots now in the database. Problems found
    (empty: both give the stored result)."""
    rules = rules_of(instance)
    problems: list[str] = []
    stored = {t.district: t for t in Tally.objects.filter(method_instance=instance)}
    for district, budget in rules.elections():
        tally = stored.get(district)
        name = district or "(all)"
        if tally is None:
            problems.append(f"{name}: not counted")
            continue
        built = build(instance, rules, district, budget, random.Random(0))
        again = count_text(tally.pb_text, tally.rule, budget, built)
        if again["selected"] != tally.result.get("selected"):
            problems.append(f"{name}: the stored file counts to {again['selected']}")
        fresh = count_text(built.text, tally.rule, budget, built)
        if fresh["selected"] != tally.result.get("selected"):
            problems.append(f"{name}: the ballots now count to {fresh['selected']}")
    return problems
