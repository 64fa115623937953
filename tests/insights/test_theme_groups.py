"""Who raised each theme: themes counted per age band, sex and district, suppressed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.http import HttpRequest, HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk.accountability import inbox as inbox_actions
from medvirk.algorithms import representation as rep
from medvirk.algorithms.representation import Participant
from medvirk.algorithms.representation.linked import protect
from medvirk.contributions import actions as contribution_actions
from medvirk.contributions.models import Channel, Contribution, ModerationState, Theme
from medvirk.insights import themes
from medvirk.organisations.models import Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Rung
from tests import factories
from tests.insights.test_hook import _age_and_sex_questions
from tests.insights.test_representation import _recoverable
from tests.methods.survey import factories as survey_factories

KEY = "theme_groups_test"
# What the test method says about who gave its input: instance id -> participants.
TOLD: dict[int, list[Participant]] = {}


class _Told(registry.MethodPlugin):
    """A method that takes plain input and reports the participants a test gives it."""

    key = KEY
    name = "Told"
    description = "Reports what the test tells it"
    rungs = (Rung.ASK,)
    actions = (registry.Action("give", "Give input"),)
    contribution_kinds = (registry.ContributionKind("input", "Input", "give", forms.Form),)

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        raise NotImplementedError

    def participants(self, instance: MethodInstance) -> Iterable[Participant]:
        return list(TOLD.get(instance.pk, []))


@pytest.fixture
def told_method() -> Iterator[None]:
    registry.register(_Told())
    yield
    registry.unregister(KEY)
    TOLD.clear()


# --- the pure part: several tables sharing their rows -----------------------------------


def _fixed(tables: Sequence[rep.Table], *, totals_known: bool) -> set[tuple[int, int, int]]:
    """Hidden entries ``(table, row, column)`` that the published entries of *all* tables
    together fix, by linear algebra over every table's row and column equations, with the
    row totals and the grand total as one unknown shared by every table (or known, with
    ``totals_known``). Independent of the implementation's graph rule."""
    n_rows = len(tables[0].cells)
    variables: dict[tuple[int, int, int], int] = {}
    shared: dict[int, int] = {}
    for d, t in enumerate(tables):
        for i in range(n_rows):
            for j, shown in enumerate(t.shown[i]):
                if not shown:
                    variables[d, i, j] = len(variables) + len(shared)
        for j, shown in enumerate(t.column_total_shown):
            if not shown:
                variables[d, n_rows, j] = len(variables) + len(shared)
        if not totals_known:
            for i, shown in enumerate(t.row_total_shown):
                if not shown and i not in shared:
                    shared[i] = len(variables) + len(shared)
            if not t.grand_total_shown and n_rows not in shared:
                shared[n_rows] = len(variables) + len(shared)
    size = len(variables) + len(shared)
    if not variables:
        return set()
    equations: list[list[Fraction]] = []

    def equation(terms: list[tuple[int | None, int]]) -> None:
        row = [Fraction(0)] * size
        for index, sign in terms:
            if index is not None:
                row[index] += sign
        equations.append(row)

    for d, t in enumerate(tables):
        width = len(t.cells[0])
        for i in range(n_rows + 1):  # a row's cells (or the column totals) minus its total
            equation([(variables.get((d, i, j)), 1) for j in range(width)] + [(shared.get(i), -1)])
        for j in range(width):  # a column's cells minus its total
            equation(
                [(variables.get((d, i, j)), 1) for i in range(n_rows)]
                + [(variables.get((d, n_rows, j)), -1)]
            )
    equation([(shared.get(i), 1) for i in range(n_rows)] + [(shared.get(n_rows), -1)])
    pivots: list[int] = []
    rows = [r[:] for r in equations]
    r = 0
    for c in range(size):
        pivot = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                factor = rows[k][c]
                rows[k] = [x - factor * y for x, y in zip(rows[k], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    free = set(range(size)) - set(pivots)
    names = {index: key for key, index in variables.items()}
    return {
        names[c] for n, c in enumerate(pivots) if c in names and all(rows[n][f] == 0 for f in free)
    }


def _tables_from(
    records: Sequence[tuple[int, int, int]], n_rows: int, widths: Sequence[int]
) -> list[list[list[int]]]:
    """Tables over the same inputs: record (row, group in table 0, group in table 1)."""
    tables = [[[0] * w for _r in range(n_rows)] for w in widths]
    for row, *groups in records:
        for table, group in zip(tables, groups, strict=True):
            table[row][group] += 1
    return tables


def test_tables_suppressed_one_by_one_give_a_count_away_and_protect_does_not() -> None:
    # Two views of the same 37 inputs, each safe alone. They share the themes' sizes, and
    # what one table shows of them the other hid: together a hidden 6 comes back.
    age = [[6, 11], [6, 6], [3, 2]]
    sex = [[2, 15], [6, 6], [5, 0]]
    alone = [rep.suppress_table(age), rep.suppress_table(sex)]
    assert all(_recoverable(t) == set() for t in alone)
    assert _fixed(alone, totals_known=False) == {(0, 1, 1)}, "the leak the example is for"
    protected = protect([age, sex])
    assert protected[0].row_total_shown == protected[1].row_total_shown
    assert protected[0].grand_total_shown == protected[1].grand_total_shown
    assert _fixed(protected, totals_known=False) == set()
    assert _fixed(protected, totals_known=True) == set()


def test_a_reader_who_knows_each_themes_size_gets_no_hidden_count_back() -> None:
    # suppress_table hides the third theme's size (6) and the 0 beside its shown 6, so the
    # table alone is safe; but the themes page shows every theme's size, and 6 - 6 = 0.
    cells = [[0, 0], [2, 6], [0, 6]]
    alone = rep.suppress_table(cells)
    assert _recoverable(alone) == set()
    assert _fixed([alone], totals_known=True) == {(0, 2, 0)}
    protected = protect([cells])
    assert _fixed(protected, totals_known=True) == set()
    assert _recoverable(protected[0]) == set()


def test_protect_refuses_tables_it_cannot_protect() -> None:
    with pytest.raises(ValueError):
        protect([[[1, 2]], [[3, 0], [0, 0]]])  # different rows
    with pytest.raises(ValueError):
        protect([[[7], [8]]])  # one column: the row totals would be the cells


linked = st.integers(1, 4).flatmap(
    lambda n_rows: st.tuples(
        st.just(n_rows),
        st.lists(
            st.tuples(
                st.integers(0, n_rows - 1),
                st.integers(0, 3),
                st.integers(0, 2),
                st.sampled_from([1, 1, 1, 2, 3, 5, 8]),
            ),
            max_size=14,
        ),
    )
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(linked)
def test_no_hidden_count_can_be_worked_out_from_the_linked_tables(
    case: tuple[int, list[tuple[int, int, int, int]]],
) -> None:
    n_rows, groups = case
    records = [(row, a, b) for row, a, b, times in groups for _n in range(times)]
    cells = _tables_from(records, n_rows, (4, 3))
    protected = protect(cells)
    for table in protected:
        published = [
            table.published_cell(i, j) for i in range(n_rows) for j in range(len(table.cells[0]))
        ]
        published += [table.published_row_total(i) for i in range(n_rows)]
        published += [table.published_column_total(j) for j in range(len(table.cells[0]))]
        published.append(table.published_grand_total)
        assert all(v is None or v >= rep.LIMIT for v in published), "a count under 5 shows"
        assert _recoverable(table) == set()
    assert len({t.row_total_shown for t in protected}) == 1
    assert len({t.grand_total_shown for t in protected}) == 1
    # No cell or group total comes back from all tables together, even knowing the sizes.
    assert _fixed(protected, totals_known=True) == set()
    assert _fixed(protected, totals_known=False) == set()


# --- a small case, counted by hand -------------------------------------------------------


@dataclass
class Case:
    w: factories.World
    told: MethodInstance
    draft: MethodInstance
    parking: Theme
    school_road: Theme
    playground: Theme
    inputs: dict[str, Contribution]


def _input(instance: MethodInstance, w: factories.World, text: str, **kw: Any) -> Contribution:
    if "registered_by" in kw:
        return factories.contribution(
            instance, None, text, action="give", kind="input", channel=Channel.LETTER, **kw
        )
    author = kw.pop("author", w.resident)
    return factories.contribution(instance, author, text, action="give", kind="input", **kw)


def _person(pk: int, age: tuple[int, int | None] | None, sex: str, district: str) -> Participant:
    return Participant(
        channel="web",
        age_from=age[0] if age else None,
        age_to=age[1] if age else None,
        sex=sex,
        district=district,
        contribution=pk,
    )


ADULT = (35, 66)


@pytest.fixture
def case(db: None, told_method: None) -> Case:
    """Three themes: «Parkering» 13 published inputs (14 for staff: one came to a method that
    is not published), «Skuleveg» 9 (one of them also in «Parkering»), «Leikeplass» none;
    held, pending, rejected and hidden input in «Parkering» that must never count."""
    w = factories.world()
    told = factories.method(w.process, w.phase, key=KEY, title="Told")
    draft = factories.method(w.process, w.phase, key=KEY, title="Not published", published=False)
    made: dict[str, Contribution] = {}
    for n in range(1, 14):
        made[f"a{n}"] = _input(told, w, f"Parkering {n}")
    for n in range(1, 9):
        made[f"b{n}"] = _input(told, w, f"Skuleveg {n}")
    made["u1"] = _input(draft, w, "Parkering på papir", registered_by=w.officer)
    made["held"] = _input(told, w, "Parkering, skriv til ola@example.no")
    contribution_actions.do_set_moderation_mode(w.admin, w.org, "pre")
    made["pending"] = _input(told, w, "Parkering, ventar")
    made["rejected"] = _input(told, w, "Parkering søppel")
    contribution_actions.do_set_moderation_mode(w.admin, w.org, "post")
    made["hidden"] = _input(told, w, "Parkering, tatt ned")
    contribution_actions.do_reject(w.moderator, made["rejected"], "spam")
    contribution_actions.do_hide(w.moderator, made["hidden"], "Personopplysningar")
    states = {
        k: c.moderation
        for k, c in Contribution.objects.in_bulk([c.pk for c in made.values()]).items()
    }
    assert states[made["held"].pk] == ModerationState.HELD
    assert states[made["pending"].pk] == ModerationState.PENDING
    assert states[made["rejected"].pk] == ModerationState.REJECTED
    assert states[made["hidden"].pk] == ModerationState.HIDDEN
    assert states[made["a1"].pk] == states[made["u1"].pk] == ModerationState.PUBLISHED

    pk = {k: c.pk for k, c in made.items()}
    TOLD[told.pk] = [
        *[_person(pk[f"a{n}"], ADULT, "female", "Nordvik") for n in range(1, 7)],
        *[_person(pk[f"a{n}"], (67, None), "male", "Sør") for n in (7, 8)],
        _person(pk["a9"], (18, 34), "other", ""),
        # a10–a13, b7, b8: nobody names them.
        *[_person(pk[f"b{n}"], ADULT, "male", "Sør") for n in range(1, 6)],
        _person(pk["b6"], (15, 24), "female", "Nordvik"),  # two bands: no age band
        # Named, but not published: must never count.
        *[_person(pk[k], ADULT, "female", "Nordvik") for k in ("held", "pending", "rejected")],
        _person(pk["hidden"], ADULT, "female", "Nordvik"),
    ]
    TOLD[draft.pk] = [_person(pk["u1"], ADULT, "female", "Nordvik")]
    parking = contribution_actions.do_accept_theme(
        w.officer,
        w.process,
        "Parkering",
        [pk[f"a{n}"] for n in range(1, 14)]
        + [pk[k] for k in ("u1", "held", "pending", "rejected", "hidden")],
    )
    school_road = contribution_actions.do_accept_theme(
        w.officer, w.process, "Skuleveg", [pk[f"b{n}"] for n in range(1, 9)] + [pk["a1"]]
    )
    # A theme whose only input was taken out again: no input at all.
    playground = contribution_actions.do_accept_theme(
        w.officer, w.process, "Leikeplass", [pk["held"]]
    )
    inbox_actions.do_remove_from_theme(w.officer, w.process, [pk["held"]], playground)
    # A duplicate group is for answering, not a theme: never a row.
    inbox_actions.do_add_to_theme(
        w.officer, w.process, [pk["a2"], pk["a3"]], new_name="Same", kind=Theme.Kind.DUPLICATES
    )
    return Case(w, told, draft, parking, school_road, playground, made)


def _raw(case: Case, *, public: bool) -> dict[str, list[list[int]]]:
    found, counted = themes._count(case.w.process, public=public)
    assert [t.name for t in found] == ["Leikeplass", "Parkering", "Skuleveg"]
    return {c.key: c.cells for c in counted}


def test_counts_by_hand(case: Case) -> None:
    # Columns: 0–12, 13–17, 18–34, 35–66, 67+, not told | women, men, not told |
    # Nordvik, Sør, not told. Rows: Leikeplass, Parkering, Skuleveg.
    staff = _raw(case, public=False)
    assert staff["age"] == [
        [0, 0, 0, 0, 0, 0],
        [0, 0, 1, 7, 2, 4],  # a1–a6 and u1 adults, a7–a8 67+, a9 18–34, a10–a13 not told
        [0, 0, 0, 6, 0, 3],  # b1–b5 and a1 adults; b6 (15–24), b7, b8 not told
    ]
    assert staff["sex"] == [[0, 0, 0], [7, 2, 5], [2, 5, 2]]  # a9 "other": not told
    assert staff["district"] == [[0, 0, 0], [7, 2, 5], [2, 5, 2]]
    public = _raw(case, public=True)  # u1 came to a method that is not published
    assert public["age"][1] == [0, 0, 1, 6, 2, 4]
    assert public["sex"][1] == [6, 2, 5]
    assert public["district"][1] == [6, 2, 5]
    assert public["age"][2] == staff["age"][2]


def test_only_published_input_counts(case: Case) -> None:
    total = sum(sum(row) for row in _raw(case, public=False)["age"])
    assert total == 14 + 9  # a1 is in both themes; held, pending, rejected, hidden are not
    contribution_actions.do_approve(case.w.moderator, case.inputs["pending"])
    assert sum(sum(row) for row in _raw(case, public=False)["age"]) == 24
    contribution_actions.do_hide(case.w.moderator, case.inputs["a1"], "Tatt ned")
    assert sum(sum(row) for row in _raw(case, public=False)["age"]) == 22


def _as_table(table: themes.GroupTable) -> rep.Table:
    """The published table's pattern of shown and hidden entries, for the checkers."""
    return rep.Table(
        cells=tuple(tuple(n or 0 for n in row.cells) for row in table.rows),
        shown=tuple(tuple(n is not None for n in row.cells) for row in table.rows),
        row_total_shown=tuple(row.total is not None for row in table.rows),
        column_total_shown=tuple(n is not None for n in table.column_totals),
        grand_total_shown=table.total is not None,
        row_totals=tuple(row.total or 0 for row in table.rows),
        column_totals=tuple(n or 0 for n in table.column_totals),
        grand_total=table.total or 0,
    )


@pytest.mark.parametrize("public", [False, True])
def test_published_tables_hide_small_counts_and_give_none_back(case: Case, public: bool) -> None:
    raw = _raw(case, public=public)
    groups = themes.theme_groups(case.w.process, public=public)
    assert [t.key for t in groups.tables] == ["age", "sex", "district"]
    for table in groups.tables:
        exact = raw[table.key]
        assert [c.label for c in table.columns][-1] == "Not told"
        assert [r.name for r in table.rows] == ["Leikeplass", "Parkering", "Skuleveg"]
        for row, counts in zip(table.rows, exact, strict=True):
            for shown, n in zip(row.cells, counts, strict=True):
                assert shown is None or (shown == n and n >= rep.LIMIT)
            assert row.total is None or (row.total == sum(counts) and row.total >= rep.LIMIT)
        for j, shown in enumerate(table.column_totals):
            n = sum(r[j] for r in exact)
            assert shown is None or (shown == n and n >= rep.LIMIT)
        assert table.total in (None, sum(map(sum, exact)))
    # The theme with no input is there, every zero hidden.
    for table in groups.tables:
        empty = table.rows[0]
        assert empty.theme_id == case.playground.pk
        assert empty.total is None and set(empty.cells) == {None}
    # Small counts: a9 (18–34), Parkering's 67+ (2), Skuleveg's women (2).
    age = groups.table("age")
    assert age is not None and age.rows[1].cells[2] is None and age.rows[1].cells[4] is None
    sex = groups.table("sex")
    assert sex is not None and sex.rows[2].cells[0] is None
    # Not told is shown where it can be: Parkering's 5 who told no sex.
    published = [_as_table(t) for t in groups.tables]
    assert len({t.row_total_shown for t in published}) == 1
    assert _fixed(published, totals_known=True) == set()
    assert _fixed(published, totals_known=False) == set()
    for t in published:
        assert _recoverable(t) == set()


def test_not_told_is_a_column_of_its_own(case: Case) -> None:
    groups = themes.theme_groups(case.w.process, public=False)
    for table in groups.tables:
        assert table.columns[-1].key == themes.NOT_TOLD
    district = groups.table("district")
    assert district is not None
    assert [c.label for c in district.columns] == ["Nordvik", "Sør", "Not told"]
    raw = _raw(case, public=False)
    assert [row[-1] for row in raw["sex"]] == [0, 5, 2]
    # Seven inputs of the 23 came with no sex told: shown, so 16 is not read as the whole.
    sex = groups.table("sex")
    assert sex is not None
    assert sex.column_totals[-1] == 7 and sex.total == 23


def test_no_themes_no_tables(db: None) -> None:
    w = factories.world()
    groups = themes.theme_groups(w.process, public=True)
    assert groups.tables == () and not groups.has_themes


def test_input_named_by_two_methods_keeps_what_either_told(case: Case) -> None:
    """A panel names the survey answer set it invited to: age from one, district from the
    other."""
    other = factories.method(case.w.process, case.w.phase, key=KEY, title="Panel")
    a10 = case.inputs["a10"].pk
    TOLD[case.told.pk].append(_person(a10, (67, None), "", ""))
    TOLD[other.pk] = [_person(a10, None, "female", "Sør"), _person(a10, ADULT, "male", "")]
    raw = _raw(case, public=False)
    assert raw["age"][1] == [0, 0, 1, 7, 3, 3]
    assert raw["sex"][1] == [8, 2, 4]
    assert raw["district"][1] == [7, 3, 4]


def test_a_bounded_number_of_queries(case: Case, django_assert_max_num_queries: Any) -> None:
    def bound() -> int:
        with CaptureQueriesContext(connection) as captured:
            themes.theme_groups(case.w.process, public=False)
        return len(captured)

    small = bound()
    more = [_input(case.told, case.w, f"Meir parkering {n}").pk for n in range(40)]
    contribution_actions.do_accept_theme(case.w.officer, case.w.process, "Meir", more)
    TOLD[case.told.pk] += [_person(pk, ADULT, "male", "Nordvik") for pk in more]
    with django_assert_max_num_queries(small):
        groups = themes.theme_groups(case.w.process, public=False)
    assert len(groups.tables[0].rows) == 4


# --- the real survey -----------------------------------------------------------------------


def test_survey_answer_sets_count_under_their_own_age_and_sex(db: None) -> None:
    org = factories.municipality("Lillevik")
    s = survey_factories.survey(org)
    age, sex = _age_and_sex_questions(s.instance)
    sets = [
        survey_factories.survey_answer(
            s, {s.single.pk: "new", age: "35_66", sex: "kvinne"}, consent=True
        ).contribution
        for _n in range(5)
    ]
    sets.append(survey_factories.survey_answer(s, {s.single.pk: "new"}).contribution)  # no age
    officer = factories.staff(org, Role.CASE_OFFICER)
    process = s.instance.process
    contribution_actions.do_accept_theme(officer, process, "Nytt bygg", [c.pk for c in sets])
    _found, counted = themes._count(process, public=True)
    by_key = {c.key: c.cells for c in counted}
    assert by_key["age"] == [[0, 0, 0, 5, 0, 1]]
    assert by_key["sex"] == [[5, 0, 1]]


# --- the pages --------------------------------------------------------------------------


def test_staff_page_shows_the_section_and_only_to_the_case_s_officers(
    case: Case, client: Client
) -> None:
    url = reverse("insights:case_staff", args=[case.w.process.pk])
    assert client.get(url).status_code == 302
    client.force_login(case.w.other_officer)  # another municipality
    assert client.get(url).status_code == 404
    client.force_login(case.w.moderator)  # this municipality, but not the case's work
    assert client.get(url).status_code == 404
    client.force_login(case.w.officer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who raised each theme" in html
    assert 'id="who-raised"' in html
    assert "Inputs per theme and age" in html
    assert '<th scope="row">Parkering</th>' in html
    assert '<th scope="col" class="num">Not told</th>' in html
    assert "fewer than 5" in html
    cells = [int(n) for n in re.findall(r'<td class="num theme-count">(\d+)</td>', html)]
    assert cells and min(cells) >= rep.LIMIT


def test_themes_page_links_to_the_section(case: Case, client: Client) -> None:
    client.force_login(case.w.officer)
    html = client.get(reverse("staff:themes", args=[case.w.process.pk])).content.decode()
    assert "Who raised each theme" in html
    assert reverse("insights:case_staff", args=[case.w.process.pk]) + "#who-raised" in html


def test_staff_page_without_themes_says_so(db: None, client: Client) -> None:
    w = factories.world()
    client.force_login(w.officer)
    html = client.get(reverse("insights:case_staff", args=[w.process.pk])).content.decode()
    assert "The case has no themes yet" in html
