"""The published lotteries: a page per draw, its check, and the files to re-check it.

Public, like the panel's page: the quotas against the invited (counts under 5 hidden), the
lottery's panels with their probabilities (the most likely on the page, all in the file),
each member code's chance, the seed and the number it gave, and the server's own check of
the stored lottery. The ``loddtrekning`` export is a ZIP with, per draw, the files
``medvirk sortition verify`` reads, and a README with the command.
"""

from __future__ import annotations

import io
import zipfile

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import draws, invite_views
from .models import Draw

ALLOWED = {"Allow": "GET, HEAD"}
VERIFY_COMMAND = "uv run medvirk sortition verify people.csv features.csv lottery.json"
MODULE_COMMAND = "python -m medvirk.cli sortition verify people.csv features.csv lottery.json"


def has_draws(instance: MethodInstance) -> bool:
    return draws.has_draws(instance)


def _draw_or_404(instance: MethodInstance, pk: int) -> Draw:
    found = draws.draw_of(instance, pk)
    if found is None:
        raise Http404
    found.method_instance = instance
    return found


def _urls(instance: MethodInstance, draw: Draw) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "panel": instance.get_absolute_url(),
        "draw": plugin.url(instance, "draw", pk=draw.pk),
        "verify": plugin.url(instance, "verify", pk=draw.pk),
        "zip": plugin.export_url(instance, "loddtrekning"),
        "target": draw.target.get_absolute_url(),
    }


def _codes(draw: Draw) -> list[dict[str, object]]:
    selected = set(draw.lottery.get("selected", []))
    return [
        {"code": code, "percent": float(p) * 100, "invited": code in selected}
        for code, p in sorted(draw.lottery.get("probability", {}).items())
    ]


def draw_page(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponse:
    """One draw, as anyone may see and check it."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers=ALLOWED)
    draw = _draw_or_404(instance, pk)
    labels = draws.labels_of(draw)
    data = draw.lottery
    pool = len(data.get("pool", []))
    lookup = (request.GET.get("kode") or "").strip().upper()[:12]
    found = None
    if lookup:
        chance = data.get("probability", {}).get(lookup)
        found = {
            "code": lookup,
            "known": chance is not None,
            "percent": float(chance or 0.0) * 100,
            "invited": lookup in set(data.get("selected", [])),
        }
    context = {
        "instance": instance,
        "process": instance.process,
        "draw": draw,
        "labels": [labels.name(k) for k in data.get("features", [])],
        "quotas": draws.quota_rows(draw, labels),
        "groups": draws.chance_groups(draw, labels),
        "panels": draws.top_panels(draw),
        "panel_count": len(data.get("distribution", [])),
        "selected": sorted(data.get("selected", [])),
        "panel_number": int(data.get("panel_index", 0)) + 1,
        "uniform": data.get("uniform"),
        "pool": pool,
        "lowest_percent": draw.min_probability * 100,
        "codes": _codes(draw) if pool <= draws.LIST_CODES_UP_TO else None,
        "lookup": found,
        "check": draws.verification(draw),
        "suppress_below": draws.SUPPRESS_BELOW,
        "top": draws.TOP_PANELS,
        "urls": _urls(instance, draw),
        "command": VERIFY_COMMAND,
        "module_command": MODULE_COMMAND,
    }
    return render(request, "panel/draw.html", context)


def verify_page(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponse:
    """The server's check of one stored lottery, step by step."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers=ALLOWED)
    draw = _draw_or_404(instance, pk)
    check = draws.verification(draw)
    context = {
        "instance": instance,
        "process": instance.process,
        "draw": draw,
        "check": check,
        "problems": check.problems[:50],
        "more_problems": max(0, len(check.problems) - 50),
        "lowest_percent": check.lowest * 100,
        "urls": _urls(instance, draw),
        "command": VERIFY_COMMAND,
        "module_command": MODULE_COMMAND,
        "seed": draw.seed,
        "uniform": draw.lottery.get("uniform"),
        "panel_number": int(draw.lottery.get("panel_index", 0)) + 1,
    }
    return render(request, "panel/verify.html", context)


def _readme(instance: MethodInstance, found: list[Draw]) -> str:
    process = instance.process
    lines = [
        _("The published lotteries of «%(title)s» (%(municipality)s)")
        % {"title": instance.title, "municipality": process.municipality.name},
        "",
        _("Each folder trekning-<number> holds one draw:"),
        "  features.csv       " + _("the quotas: feature, value, min, max"),
        "  people.csv         " + _("the pool: each member's code and values"),
        "  lottery.json       "
        + _("the lottery: size, every panel and its probability, seed, number, panel drawn"),
        "  probabilities.csv  " + _("each code's chance, and whether it was invited"),
        "",
        _("To check a draw, run this in its folder (with Medvirk installed from its source):"),
        "",
        "  " + VERIFY_COMMAND,
        "  " + _("or:") + " " + MODULE_COMMAND,
        "",
        _(
            "It checks that every panel has the right size and meets every quota, and that "
            "the probabilities add up to 1. With --json it prints each person's chance, to "
            "compare with probabilities.csv."
        ),
        "",
        _(
            "The seed decided which panel was invited: numpy.random.default_rng(seed).random() "
            'gives the number in lottery.json ("uniform"). Lay the panels end to end in the '
            "order of lottery.json, each as long as its probability: the number falls on the "
            'panel that was invited ("panel_index", counted from 0).'
        ),
        "",
        '  python -c "import numpy; print(numpy.random.default_rng(SEED).random())"',
        "",
    ]
    for draw in found:
        lines.append(
            _("trekning-%(pk)d: %(size)d invited to «%(target)s», %(date)s, seed %(seed)s")
            % {
                "pk": draw.pk,
                "size": draw.size,
                "target": draw.target.title,
                "date": draw.created_at.date().isoformat(),
                "seed": draw.seed,
            }
        )
    return "\n".join(lines) + "\n"


def lottery_zip(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """Every draw of the panel instance, as files anyone can check (the open-data export)."""
    found = draws.published_draws(instance, with_lottery=True)
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(instance, found))
        for draw in found:
            for name, text in draws.files_of(draw).items():
                archive.writestr(f"trekning-{draw.pk}/{name}", text)
    response = HttpResponse(handle.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="loddtrekning-{instance.slug}.zip"'
    return response


URLS: list[URLPattern | URLResolver] = [
    path("trekning/<int:pk>/", draw_page, name="draw"),
    path("trekning/<int:pk>/kontroll/", verify_page, name="verify"),
    *invite_views.URLS,
]
