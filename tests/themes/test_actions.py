"""Accepting a suggested theme, renaming and merging themes: what changes, the audit rows,
and every refusal (which changes nothing)."""

from __future__ import annotations

import pytest
from django.db import connection

from medvirk.algorithms.text.themes import suggest
from medvirk.contributions import queries
from medvirk.contributions.actions import do_accept_theme, do_merge_themes, do_rename_theme
from medvirk.contributions.models import Theme
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.organisations.models import Role
from tests import factories
from tests.concurrency import in_workers, require_postgresql
from tests.inbox.helpers import group
from tests.themes.conftest import planted_input

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_accepting_a_suggestion_makes_a_theme_with_its_input_and_audits_it(
    w: factories.World,
) -> None:
    by_topic = planted_input(w)
    found = suggest(queries.texts_for_theme_suggestions(w.process))
    assert found
    first = found[0]
    theme = do_accept_theme(w.officer, w.process, "  Skulen og  bygda ", first.member_ids)
    assert theme.name == "Skulen og bygda"
    assert theme.kind == Theme.Kind.THEME
    assert sorted(theme.contributions.values_list("pk", flat=True)) == sorted(first.member_ids)
    (row,) = _audit("theme.suggestion_accepted")
    assert row.data["contributions"] == sorted(first.member_ids)
    assert row.data["name"] == "Skulen og bygda"
    # The planted closure topic is the largest and comes first.
    closure = {c.pk for c in by_topic["closure"]}
    assert set(first.member_ids) <= closure


def test_accepting_the_same_name_twice_is_refused_with_a_clear_message(w: factories.World) -> None:
    items = [factories.contribution(w.method, text=f"Fortau langs vegen ({i})") for i in range(3)]
    do_accept_theme(w.officer, w.process, "Fortau", [items[0].pk, items[1].pk])
    with pytest.raises(ActionRefused) as refused:
        do_accept_theme(w.officer, w.process, "fortau", [items[2].pk])
    assert refused.value.status == 409
    assert "already has a theme or group named" in refused.value.message
    assert Theme.objects.filter(process=w.process).count() == 1
    assert Theme.objects.get().contributions.count() == 2


def test_accept_leaves_out_input_of_other_cases_and_refuses_none(w: factories.World) -> None:
    mine = factories.contribution(w.method, text="Mugg i kjellaren")
    other_process = factories.process(w.other_org)
    other_phase = factories.phase(other_process)
    theirs = factories.contribution(factories.method(other_process, other_phase), text="Mugg")
    theme = do_accept_theme(w.officer, w.process, "Mugg", [mine.pk, theirs.pk])
    assert list(theme.contributions.values_list("pk", flat=True)) == [mine.pk]
    with pytest.raises(ActionRefused, match="None of the suggested input"):
        do_accept_theme(w.officer, w.process, "Andre", [theirs.pk])
    with pytest.raises(ActionRefused, match="holds no input"):
        do_accept_theme(w.officer, w.process, "Tom", [])
    with pytest.raises(ActionRefused, match="name"):
        do_accept_theme(w.officer, w.process, "   ", [mine.pk])
    with pytest.raises(ActionRefused, match="too long"):
        do_accept_theme(w.officer, w.process, "x" * 121, [mine.pk])
    assert Theme.objects.filter(process=w.process).count() == 1


@pytest.mark.parametrize("who", ["moderator", "other_officer"])
def test_only_those_who_answer_input_in_the_municipality_may_change_themes(
    w: factories.World, who: str
) -> None:
    item = factories.contribution(w.method, text="Leikeplassen er øydelagd")
    theme = group(w, "Leikeplass", item, kind="theme")
    person = getattr(w, who)
    for attempt in (
        lambda: do_accept_theme(person, w.process, "Ny", [item.pk]),
        lambda: do_rename_theme(person, w.process, theme, "Nytt namn"),
    ):
        with pytest.raises(ActionRefused) as refused:
            attempt()
        assert refused.value.status == 403
    theme.refresh_from_db()
    assert theme.name == "Leikeplass"


def test_rename_audits_and_refuses_a_name_in_use(w: factories.World) -> None:
    a, b = (factories.contribution(w.method, text=t) for t in ("Trafikk", "Mugg"))
    road = group(w, "Trafikk", a, kind="theme")
    group(w, "Inneklima", b, kind="theme")
    do_rename_theme(w.officer, w.process, road, "Trygg skuleveg")
    road.refresh_from_db()
    assert road.name == "Trygg skuleveg"
    (row,) = _audit("theme.renamed")
    assert row.data == {"from": "Trafikk", "to": "Trygg skuleveg"}
    with pytest.raises(ActionRefused) as refused:
        do_rename_theme(w.officer, w.process, road, "inneklima")
    assert refused.value.status == 409
    with pytest.raises(ActionRefused, match="name"):
        do_rename_theme(w.officer, w.process, road, "")
    # The same name again changes nothing and writes nothing.
    do_rename_theme(w.officer, w.process, road, "Trygg skuleveg")
    assert len(_audit("theme.renamed")) == 1


def test_merge_moves_the_input_deletes_the_one_merged_and_audits(w: factories.World) -> None:
    items = [factories.contribution(w.method, text=f"Innspel {i}") for i in range(4)]
    both = items[1]
    road = group(w, "Skuleveg", items[0], both, kind="theme")
    traffic = group(w, "Trafikk", both, items[2], items[3], kind="theme")
    into = do_merge_themes(w.officer, w.process, road, traffic)
    assert into.pk == traffic.pk
    assert not Theme.objects.filter(pk=road.pk).exists()
    assert sorted(traffic.contributions.values_list("pk", flat=True)) == [c.pk for c in items]
    (row,) = _audit("theme.merged")
    assert row.data["from_name"] == "Skuleveg"
    assert row.data["into"] == "Trafikk"
    assert row.data["contributions"] == sorted([items[0].pk, both.pk])


def test_merge_refusals_change_nothing(w: factories.World) -> None:
    a, b = (factories.contribution(w.method, text=t) for t in ("A", "B"))
    theme = group(w, "Tema", a, kind="theme")
    dups = group(w, "Like", b, kind="duplicates")
    with pytest.raises(ActionRefused, match="two different"):
        do_merge_themes(w.officer, w.process, theme, theme)
    with pytest.raises(ActionRefused, match="same kind"):
        do_merge_themes(w.officer, w.process, theme, dups)
    other_process = factories.process(w.org)
    elsewhere = Theme.objects.create(process=other_process, name="Anna sak")
    with pytest.raises(ActionRefused) as refused:
        do_merge_themes(w.officer, w.process, elsewhere, theme)
    assert refused.value.status == 404
    assert Theme.objects.filter(pk__in=[theme.pk, dups.pk, elsewhere.pk]).count() == 3
    assert not _audit("theme.merged")


def test_a_case_officer_of_another_municipality_is_refused(w: factories.World) -> None:
    outsider = factories.staff(w.other_org, Role.CASE_OFFICER)
    item = factories.contribution(w.method, text="Mugg")
    with pytest.raises(ActionRefused) as refused:
        do_accept_theme(outsider, w.process, "Mugg", [item.pk])
    assert refused.value.status == 403


@pytest.mark.django_db(transaction=True)
def test_parallel_accepts_of_one_suggestion_make_one_theme() -> None:
    require_postgresql()
    w = factories.world()
    items = [factories.contribution(w.method, text=f"Fortau ({i})") for i in range(4)]
    ids = [c.pk for c in items]

    def accept(_i: int) -> str:
        try:
            do_accept_theme(w.officer, w.process, "Fortau langs skulevegen", ids)
        except ActionRefused as refused:
            return f"refused {refused.status}"
        return "made"

    results = in_workers(accept, jobs=6, threads=6)
    assert sorted(results) == ["made"] + ["refused 409"] * 5
    assert Theme.objects.filter(process=w.process).count() == 1
    assert connection.vendor == "postgresql"
