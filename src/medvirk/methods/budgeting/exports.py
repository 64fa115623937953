"""Downloads of a participatory budget. Public (open data) once the vote is counted:

- the ballots as Pabulib ``.pb`` files (https://pabulib.org/format) — exactly the files
  the result was counted from. No voter identity: voter ids are 1, 2, 3 … in a random
  order; the district is a column when the budget has districts (one file per district,
  in a ZIP). An election with fewer than 5 ballots is left out: so few could be told apart;
- the result as JSON: per election ``rule``, ``budget``, ``cost``, ``selected`` (in the
  order the rule chose), ``voters`` and per project the structured explanation with a
  text in nb, nn and en.

For staff: every idea and project with its review (CSV, no names or e-mails).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core.csvfiles import csv_download
from medvirk.processes.types import MethodInstance

from . import explain, queries
from .config import rules_of
from .models import Tally

LANGUAGES = ("nb", "nn", "en")


def counted(instance: MethodInstance) -> bool:
    election = queries.election(instance)
    return bool(election and election.counted_at)


def _published(instance: MethodInstance) -> list[Tally]:
    return [t for t in queries.tallies(instance) if t.ballots >= queries.SUPPRESS_BELOW]


def single_file_available(instance: MethodInstance) -> bool:
    return counted(instance) and not rules_of(instance).has_districts and bool(_published(instance))


def district_files_available(instance: MethodInstance) -> bool:
    return counted(instance) and rules_of(instance).has_districts and bool(_published(instance))


def _name(instance: MethodInstance, suffix: str) -> str:
    return f"{instance.process.slug}-{instance.slug}{suffix}"


def _district_file(district: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in district.lower()).strip("-")
    return safe or "krins"


def ballots_pb(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if not single_file_available(instance):
        raise Http404
    tally = _published(instance)[0]
    response = HttpResponse(tally.pb_text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_name(instance, ".pb")}"'
    return response


def ballots_zip(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if not district_files_available(instance):
        raise Http404
    buffer = io.BytesIO()
    published = {t.district for t in _published(instance)}
    left_out = [t.district for t in queries.tallies(instance) if t.district not in published]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for tally in _published(instance):
            archive.writestr(
                _name(instance, f"-{_district_file(tally.district)}.pb"), tally.pb_text
            )
        if left_out:
            note = _(
                "Fewer than %(n)d people voted in these districts, so their ballots are not "
                "published: %(districts)s."
            ) % {"n": queries.SUPPRESS_BELOW, "districts": ", ".join(left_out)}
            archive.writestr("LESMEG.txt", note + "\n")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_name(instance, "-pb.zip")}"'
    return response


def _election_json(
    instance: MethodInstance, tally: Tally, titles: dict[str, str]
) -> dict[str, Any]:
    result = tally.result
    texts = explain.explanations_in(result, titles, LANGUAGES)
    shown = tally.ballots >= queries.SUPPRESS_BELOW
    projects = []
    for pid, row in result.get("explanations", {}).items():
        item = {k: v for k, v in row.items() if k not in ("explanation", "payers")}
        item["name"] = titles.get(str(pid), row.get("name", ""))
        if not shown:
            for key in ("support", "supporters", "paid_full_share", "paid_all_they_had"):
                item.pop(key, None)
        item["explanation"] = texts.get(str(pid), {}) if shown else {}
        projects.append(item)
    out: dict[str, Any] = {
        "rule": tally.rule,
        "vote_type": result.get("vote_type"),
        "budget": result.get("budget"),
        "cost": result.get("cost"),
        "selected": result.get("selected", []),
        "voters": tally.ballots if shown else None,
        "projects": projects,
    }
    if "equal_shares" in result:
        out["equal_shares"] = result["equal_shares"]
    if tally.district:
        out = {"district": tally.district, **out}
    return out


def result_json(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if not counted(instance):
        raise Http404
    rules = rules_of(instance)
    titles = queries.titles_of(instance)
    tallies = queries.tallies(instance)
    election = queries.election(instance)
    assert election is not None and election.counted_at is not None
    body: dict[str, Any] = {
        "municipality": instance.process.municipality.name,
        "case": instance.process.title,
        "budget_name": instance.title,
        "ballot": rules.ballot,
        "counted": timezone.localdate(election.counted_at).isoformat(),
    }
    if rules.has_districts:
        body["rule"] = rules.rule
        body["districts"] = [_election_json(instance, t, titles) for t in tallies]
    elif tallies:
        body.update(_election_json(instance, tallies[0], titles))
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_name(instance, "-resultat.json")}"'
    return response


def staff_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Every idea and project with its review, for staff (no names or e-mail addresses)."""
    rows: list[list[object]] = [
        [
            _("No."),
            _("Title"),
            _("From"),
            _("Handed in"),
            _("District"),
            _("Rough cost"),
            _("Estimated cost"),
            _("Status"),
            _("Merged into"),
            _("Progress"),
        ]
    ]
    for project in queries.all_ideas(instance):
        rows.append(
            [
                project.number,
                project.title,
                _("Resident") if project.contribution_id else _("The municipality"),
                timezone.localdate(project.created_at).isoformat(),
                project.district,
                "" if project.proposed_cost is None else project.proposed_cost,
                "" if project.cost is None else project.cost,
                project.get_status_display(),
                project.merged_into.number if project.merged_into else "",
                project.get_delivery_display() if project.delivery else "",
            ]
        )
    return csv_download(rows, _name(instance, "-prosjekt.csv"), private=True)
