"""Why each project was funded or not, in the reader's language (nb, nn or en).

Built from the counting engine's structured fields (``ProjectResult.as_json``): the stage
that funded a project (equal shares, the completion, greedy, free), its place and round,
the price its supporters paid, what the supporters had left, what it lacked and which
project took the money. The engine's own English sentence is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .ballots import kr


@dataclass(frozen=True)
class Explained:
    number: int
    title: str
    cost: int
    funded: bool
    position: int | None
    support: float  # votes, or points on a cumulative ballot
    supporters: int
    text: str


def support_text(support: float, cumulative: bool) -> str:
    n = round(support)
    if cumulative:
        return ngettext("%(n)d point", "%(n)d points", n) % {"n": n}
    return ngettext("%(n)d vote", "%(n)d votes", n) % {"n": n}


def _title(titles: Mapping[str, str], pid: str | None) -> str:
    return titles.get(str(pid), str(pid)) if pid else ""


def _funded(row: Mapping[str, Any], titles: Mapping[str, str], cumulative: bool) -> str:
    stage = row.get("stage")
    place = row.get("position") or 0
    n = int(row.get("supporters", 0))
    support = support_text(float(row.get("support", 0)), cumulative)
    if stage == "free":
        return ngettext(
            "Funded first: it costs nothing, and %(n)d voter chose it.",
            "Funded first: it costs nothing, and %(n)d voters chose it.",
            n,
        ) % {"n": n}
    if stage == "equal-shares":
        if cumulative:
            text = _(
                "Funded as number %(place)d, in round %(round)d of the method of equal shares. "
                "Every voter had the same share of the budget to spend on what they gave points "
                "to, and the %(n)d who gave it points paid for it together: %(price)s per point."
            ) % {
                "place": place,
                "round": row.get("round") or 0,
                "n": n,
                "price": kr(float(row.get("price_per_point") or 0)),
            }
        else:
            text = ngettext(
                "Funded as number %(place)d, in round %(round)d of the method of equal shares. "
                "Every voter had the same share of the budget to spend on the projects they "
                "chose, and the %(n)d voter who chose it paid for it: %(price)s.",
                "Funded as number %(place)d, in round %(round)d of the method of equal shares. "
                "Every voter had the same share of the budget to spend on the projects they "
                "chose, and the %(n)d voters who chose it paid for it together: %(price)s each.",
                n,
            ) % {
                "place": place,
                "round": row.get("round") or 0,
                "n": n,
                "price": kr(float(row.get("price_per_supporter") or 0)),
            }
        short = int(row.get("paid_all_they_had") or 0)
        if short:
            text += " " + ngettext(
                "%(k)d of them had less left of their share and paid all they had.",
                "%(k)d of them had less left of their share and paid all they had.",
                short,
            ) % {"k": short}
        return text
    left = kr(float(row.get("budget_left") or 0))
    if stage == "completion":
        return _(
            "Funded as number %(place)d, in the last step: when the voters' equal shares could "
            "pay for no more projects, the money left went to the projects with the most votes "
            "that still fitted. It had %(support)s, and %(left)s was left when its turn came."
        ) % {"place": place, "support": support, "left": left}
    return _(
        "Funded as number %(place)d: the projects were taken in order of votes as long as the "
        "money lasted. It had %(support)s, and %(left)s was left when its turn came."
    ) % {"place": place, "support": support, "left": left}


def _not_funded(
    row: Mapping[str, Any], titles: Mapping[str, str], rule: str, cumulative: bool
) -> str:
    n = int(row.get("supporters", 0))
    if n == 0:
        return _("Not funded: no one voted for it.")
    cost = float(row.get("cost", 0))
    support = support_text(float(row.get("support", 0)), cumulative)
    other = _title(titles, row.get("displaced_by"))
    left = row.get("budget_left")
    parts: list[str] = []
    if rule == "equal-shares" and row.get("supporters_money") is not None:
        money = float(row["supporters_money"])
        parts.append(
            ngettext(
                "Not funded. With equal shares, the %(n)d voter who chose it had %(money)s "
                "left of their share, and it costs %(cost)s: %(short)s short.",
                "Not funded. With equal shares, the %(n)d voters who chose it had %(money)s "
                "left between them, and it costs %(cost)s: %(short)s short.",
                n,
            )
            % {"n": n, "money": kr(money), "cost": kr(cost), "short": kr(max(cost - money, 0))}
        )
        if left is None and other:
            parts.append(
                _("Its voters had spent their shares on «%(other)s», funded before it.")
                % {"other": other}
            )
        if left is not None:
            parts.append(
                _("In the last step, only %(left)s was left when its turn came.")
                % {"left": kr(float(left))}
            )
            if other:
                parts.append(_("The money went to «%(other)s».") % {"other": other})
            else:
                parts.append(_("The rest had gone to the projects funded before it."))
        return " ".join(parts)
    if left is not None:
        parts.append(
            _(
                "Not funded: it had %(support)s, but only %(left)s was left when its turn came, "
                "and it costs %(cost)s."
            )
            % {"support": support, "left": kr(float(left)), "cost": kr(cost)}
        )
        if other:
            parts.append(
                _("The money went to «%(other)s», which had more votes.") % {"other": other}
            )
        return " ".join(parts)
    return _("Not funded: the count could not pay for it from the budget.")


def explain(result: Mapping[str, Any], titles: Mapping[str, str]) -> list[Explained]:
    """Every project of one counted election, funded first (in the order the rule chose),
    then the others by support; each with its reason in the active language."""
    rule = str(result.get("rule", ""))
    cumulative = result.get("vote_type") == "cumulative"
    rows: dict[str, Mapping[str, Any]] = result.get("explanations", {})
    selected = [str(pid) for pid in result.get("selected", [])]
    rest = sorted(
        (pid for pid in rows if pid not in selected),
        key=lambda pid: (-float(rows[pid].get("support", 0)), int(pid) if pid.isdigit() else 0),
    )
    out: list[Explained] = []
    for place, pid in enumerate([*selected, *rest], start=1):
        row = rows.get(pid, {})
        funded = pid in selected
        text = (
            _funded({**row, "position": place}, titles, cumulative)
            if funded
            else _not_funded(row, titles, rule, cumulative)
        )
        out.append(
            Explained(
                number=int(pid) if pid.isdigit() else 0,
                title=_title(titles, pid),
                cost=round(float(row.get("cost", 0))),
                funded=funded,
                position=place if funded else None,
                support=float(row.get("support", 0)),
                supporters=int(row.get("supporters", 0)),
                text=text,
            )
        )
    return out


def explanations_in(
    result: Mapping[str, Any], titles: Mapping[str, str], languages: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    """Per project id, its explanation in each of ``languages`` (for the JSON export)."""
    out: dict[str, dict[str, str]] = {}
    for language in languages:
        with translation.override(language):
            for item in explain(result, titles):
                out.setdefault(str(item.number), {})[language] = item.text
    return out
