"""The public results CSV: offered as open data only while the results are public, with what
the results page shows — never free text, and demographic groups under 5 hidden."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from medvirk.processes import actions, registry
from medvirk.processes.exports import open_data_for
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def _rows(response: StreamingHttpResponse) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def _make_results_public(survey: Survey) -> None:
    instance = survey.instance
    actions.do_save_method(
        factories.administrator(instance.process.municipality),
        instance.process,
        phase=instance.phase,
        method_key="survey",
        slug=instance.slug,
        title=instance.title,
        raw_settings={**instance.settings, "results_public": True},
        is_published=True,
        instance=instance,
    )


def _open_data_page(client: Client, survey: Survey) -> str:
    proc = survey.instance.process
    return client.get(
        reverse("public:open_data", args=[proc.municipality.slug, proc.slug])
    ).content.decode()


def test_not_offered_while_results_are_staff_only(client: Client, survey: Survey) -> None:
    url = registry.get("survey").export_url(survey.instance, "resultat-csv")
    assert client.get(url).status_code == 404
    assert url not in _open_data_page(client, survey)
    assert open_data_for(survey.instance.process) == []


def test_staff_with_export_may_download_before_publication(client: Client, survey: Survey) -> None:
    client.force_login(factories.staff(survey.instance.process.municipality))
    url = registry.get("survey").export_url(survey.instance, "resultat-csv")
    assert client.get(url).status_code == 200


def test_public_results_hold_counts_not_text_and_hide_small_groups(
    client: Client, survey: Survey
) -> None:
    for i in range(6):
        survey_factories.survey_answer(
            survey,
            {
                survey.single.pk: "renovate" if i < 4 else "new",
                survey.text.pk: f"Hemmeleg tekst {i}",
                survey.age.pk: "young" if i < 5 else "old",
            },
            consent=True,
        )
    _make_results_public(survey)
    url = registry.get("survey").export_url(survey.instance, "resultat-csv")
    assert url in _open_data_page(client, survey)
    with translation.override("en"):
        response = client.get(url, headers=EN)
    assert response.status_code == 200
    assert "resultat.csv" in response["Content-Disposition"]
    rows = _rows(response)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Question", "Demographic", "Option", "Count"]
    flat = "\n".join(",".join(r) for r in rows)
    assert "Hemmeleg tekst" not in flat  # free text is never open data
    by_option = {(r[0], r[2]): r for r in body}
    assert by_option[("Which option?", "Renovate")][3] == "4"
    assert by_option[("Which option?", "New")][3] == "2"
    young = by_option[("Age group", "Young")]
    old = by_option[("Age group", "Old")]
    # One person is "old": hidden, and so is the next smallest group, or the total would
    # give the hidden one away.
    assert old[3] == "" and old[4] == "" and old[7] == "1"
    assert young[3] == "" and young[7] == "1"
    assert old[6] == "6"  # how many answered the question is still shown
