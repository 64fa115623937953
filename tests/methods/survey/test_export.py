"""The staff CSV export: who may download it, what it holds, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from medvirk.core.csvfiles import safe_cell
from medvirk.identity.models import User
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db


def _rows(response: StreamingHttpResponse) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert body.startswith("\ufeff")  # so spreadsheet programs read UTF-8
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_anonymous_is_sent_to_log_in(client: Client, survey: Survey) -> None:
    response = client.get(survey.named("export"))
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_resident_and_other_municipalitys_staff_are_refused(
    client: Client, survey: Survey, resident: User
) -> None:
    other_org = factories.municipality("Andre")
    for user in (resident, factories.administrator(other_org)):
        client.force_login(user)
        assert client.get(survey.named("export")).status_code == 403


def test_staff_export_has_one_row_per_answer_set(
    client: Client, survey: Survey, moderator: User
) -> None:
    survey_factories.survey_answer(
        survey,
        {
            survey.single.pk: "renovate",
            survey.multiple.pk: ["sport", "pupil"],
            survey.scale.pk: 2,
            survey.ranking.pk: {"safety": 3, "air": 1, "cost": 2},
            survey.text.pk: '=HYPERLINK("http://evil.example")',
            survey.age.pk: "old",
        },
        consent=True,
        contact_email="kari@example.org",
        author_name="Kari",
    )
    survey_factories.survey_answer(survey, {survey.single.pk: "close", survey.text.pk: "@SUM(A1)"})
    client.force_login(moderator)
    response = client.get(survey.named("export"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, first, second = _rows(response)
    assert header[3:] == [
        "Which option?",
        "How do you use it?",
        "How important is a short route?",
        "Rank these",
        "What should the council know?",
        "Age group",
        "Relation",
    ]
    assert first[3:] == [
        "Renovate",
        "Pupil; Sport",
        "2",
        "Air > Cost > Safety",
        '\'=HYPERLINK("http://evil.example")',
        "Old",
        "",
    ]
    assert second[3] == "Close"
    assert second[7] == "'@SUM(A1)"
    body = "".join(",".join(r) for r in (header, first, second))
    # Contact details are not part of the analysis export.
    assert "kari@example.org" not in body
    assert "Kari" not in body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+47 123", "'+47 123"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (3, "3"),
        (None, ""),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_results_page_links_export_for_staff_only(
    client: Client, survey: Survey, officer: User
) -> None:
    survey.instance.settings = {"results_public": True}
    survey.instance.save()
    assert survey.named("export") not in client.get(survey.named("results")).content.decode()
    client.force_login(officer)
    assert survey.named("export") in client.get(survey.named("results")).content.decode()
