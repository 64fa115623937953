"""The case's "who took part" pages: exact for staff, suppressed for everyone."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.contributions.models import Channel
from medvirk.insights import actions, queries
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.insights.test_hook import _age_and_sex_questions
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db

# Inhabitants by band: children 20 %, youth 10 %, 18–66 50 %, 67+ 20 %.
SSB_HEAD = '"region";"kjønn";"alder";"år";"Personer"\n'


def _ssb(kommunenummer: str) -> bytes:
    lines = [SSB_HEAD]
    for age, count in ((5, 200), (15, 100), (40, 500), (70, 200)):
        for sex in ("Menn", "Kvinner"):
            lines.append(f'"{kommunenummer} X";"{sex}";"{age:03d} {age} år";"2025";{count}\n')
    return "".join(lines).encode()


@pytest.fixture
def org() -> Municipality:
    municipality = factories.municipality("Lillevik")
    actions.do_import_ssb(None, municipality, _ssb(municipality.kommunenummer))
    actions.do_import_districts(
        None, municipality, b"krins;personar\nNordvik;1000\nSor;1000\n", year=2025, source="x"
    )
    return municipality


@pytest.fixture
def answered(org: Municipality) -> Survey:
    """30 adults (35–66) of both sexes, 3 elderly women, no children or youth; one letter."""
    s = survey_factories.survey(org)
    age, sex = _age_and_sex_questions(s.instance)
    for n in range(30):
        survey_factories.survey_answer(
            s,
            {s.single.pk: "new", age: "35_66", sex: ("kvinne", "mann")[n % 2]},
            consent=True,
        )
    for _n in range(3):
        survey_factories.survey_answer(
            s, {s.single.pk: "new", age: "67_over", sex: "kvinne"}, consent=True
        )
    survey_factories.survey_answer(s, {s.single.pk: "new"}, channel=Channel.LETTER)
    return s


def _line(report: queries.Report, key: str) -> queries.Line:
    return next(line for line in report.lines if line.key == key)


def test_staff_report_compares_with_the_population_and_names_the_under_heard(
    answered: Survey,
) -> None:
    report = queries.report(answered.instance.process)
    assert report.total == 34
    age = {row.key: row for row in _line(report, "age").rows}
    assert age["67+"].count == 3
    assert age["67+"].expected == pytest.approx(33 * 0.2)
    assert age["67+"].under_heard
    assert age["0-12"].under_heard
    assert "18-34" not in age  # no inhabitants of that age in this table: not compared
    assert age["-"].count == 1
    # Youth: 10 % of 33 is 3.3 expected, under the minimum for a verdict.
    assert not age["13-17"].under_heard
    labels = {u.group for u in report.under_heard}
    assert {"children", "elderly"} <= labels
    assert "youth" not in labels
    children = next(u for u in report.under_heard if u.group == "children")
    assert children.proposals, "the catalogue has methods that reach children well"
    channels = {row.key: row.count for row in report.channels.rows}
    assert channels["web"] == 33
    assert channels["letter"] == 1
    assert [m.total for m in report.methods] == [34]


def test_public_report_never_shows_a_count_under_five(answered: Survey) -> None:
    report = queries.report(answered.instance.process, public=True)
    assert report.methods == []  # no per-method demographics in public
    for line in [*report.lines, report.channels, report.method_line]:
        shown = [row.count for row in line.rows if row.count is not None]
        assert all(n >= 5 for n in shown), (line.key, shown)
        hidden = sum(row.count is None for row in line.rows) + (line.total is None)
        assert hidden != 1, line.key
    age = {row.key: row for row in _line(report, "age").rows}
    assert age["67+"].count is None
    assert age["67+"].ratio is None
    assert age["67+"].under_heard  # a bound, not the number


def test_public_page_renders_no_number_under_five(answered: Survey, client: Client) -> None:
    process = answered.instance.process
    url = reverse("insights:case_public", args=[process.municipality.slug, process.slug])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    cells = re.findall(r'<td class="num count">(\d+)</td>', html)
    assert cells, "the page shows counts"
    assert all(int(n) >= 5 for n in cells)
    assert "under 5" in html
    assert 'role="img"' in html


def test_public_page_with_fewer_than_five_shows_nothing_more(
    org: Municipality, client: Client
) -> None:
    s = survey_factories.survey(org)
    survey_factories.survey_answer(s)
    process = s.instance.process
    response = client.get(
        reverse("insights:case_public", args=[process.municipality.slug, process.slug])
    )
    assert "Fewer than 5 people" in response.content.decode()


def test_staff_page_needs_the_case_and_shows_exact_counts(
    answered: Survey, client: Client, org: Municipality
) -> None:
    process = answered.instance.process
    url = reverse("insights:case_staff", args=[process.pk])
    assert client.get(url).status_code == 302  # login first
    client.force_login(factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER))
    assert client.get(url).status_code == 404
    client.force_login(factories.staff(org, Role.CASE_OFFICER))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<td class="num count">3</td>' in html
    assert reverse("planning:home", args=[process.pk]) in html


def test_a_draft_case_has_no_public_page(org: Municipality, client: Client) -> None:
    process = factories.process(org, status="draft")
    response = client.get(reverse("insights:case_public", args=[org.slug, process.slug]))
    assert response.status_code == 404
