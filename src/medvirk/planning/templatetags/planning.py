"""``{% load planning %}{% plan_summary process %}``: the published plan on the process page."""

from __future__ import annotations

from typing import Any

from django import template

from medvirk.processes.models import Process

from .. import queries

register = template.Library()


@register.inclusion_tag("planning/_public_summary.html")
def plan_summary(process: Process) -> dict[str, Any]:
    plan = queries.published_plan(process)
    if plan is None:
        return {"plan": None}
    return {"plan": plan, "process": process, "view": queries.plan_view(plan)}


@register.inclusion_tag("planning/_staff_activities.html")
def plan_activities(process: Process) -> dict[str, Any]:
    """Accepted activities Medvirk does not run itself (a barnehage session, a gjestebud):
    on the staff case page beside the methods, so the plan's choices are all in one list."""
    return {"process": process, "rows": queries.offline_activities(process)}
