"""Importing the population: SSB 07459 and the district file, by action, command and page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from medvirk.core.audit import AuditEntry
from medvirk.core.errors import ActionRefused
from medvirk.insights import actions, demo, queries
from medvirk.insights.models import PopulationCell, PopulationTable, TableKind
from medvirk.organisations.models import Municipality, Role
from tests import factories

pytestmark = pytest.mark.django_db

SSB = """"07459: Befolkning, etter region, kjønn, alder og år"

"region";"kjønn";"alder";"år";"Personer"
"{k} Lillevik";"Menn";"000 0 år";"2025";10
"{k} Lillevik";"Kvinner";"000 0 år";"2025";12
"{k} Lillevik";"Menn";"015 15 år";"2025";7
"{k} Lillevik";"Kvinner";"070 70 år";"2025";9
"{k} Lillevik";"Kvinner";"071 71 år";"2025";:
"{k} Lillevik";"Menn";"000 0 år";"2024";99
"""
DISTRICTS = """krins;kjønn;alder;personar
Nordvik;;;300
Sørstranda;Kvinner;0-12;20
Sørstranda;Menn;0-12;25
Sørstranda;Kvinner;67 år eller eldre;30
Sørstranda;Menn;13-66;100
Fjellet;Begge kjønn;Alle aldre;tusen
"""


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


def ssb(org: Municipality) -> bytes:
    return SSB.format(k=org.kommunenummer).encode()


def test_ssb_import_keeps_the_latest_year_and_reports_left_out_lines(org: Municipality) -> None:
    officer = factories.staff(org, Role.CASE_OFFICER)
    done = actions.do_import_ssb(officer, org, ssb(org))
    assert done.year == 2025
    assert done.total == 38
    assert [s.line for s in done.skipped] == [8]
    table = PopulationTable.objects.get(municipality=org, kind=TableKind.KOMMUNE)
    assert table.year == 2025
    assert org.kommunenummer in table.source
    assert PopulationCell.objects.filter(table=table).count() == 4
    population = queries.population_of(org)
    assert population is not None
    assert population.by_band == {"0-12": 22, "13-17": 7, "18-34": 0, "35-66": 0, "67+": 9}
    assert population.by_sex == {"female": 21, "male": 17}
    assert AuditEntry.objects.filter(action="population.imported").count() == 1


def test_a_new_import_replaces_the_old_one(org: Municipality) -> None:
    actions.do_import_ssb(None, org, ssb(org))
    actions.do_import_ssb(None, org, ssb(org))
    assert PopulationTable.objects.filter(municipality=org).count() == 1
    assert PopulationCell.objects.count() == 4


def test_another_kommune_is_refused_and_nothing_saved(org: Municipality) -> None:
    other = "0301" if org.kommunenummer != "0301" else "4601"
    with pytest.raises(ActionRefused) as refused:
        actions.do_import_ssb(None, org, SSB.format(k=other).encode())
    assert refused.value.status == 400
    assert org.kommunenummer in refused.value.message
    assert other in refused.value.message
    assert not PopulationTable.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n1 0 obj", "PDF file, not a CSV"),
        (b"name;value\nx;1\n", "No header with the columns region"),
        (b"\x00\x01\x02 binary", "not a text file"),
    ],
)
def test_bad_files_are_refused_with_a_reason(org: Municipality, data: bytes, words: str) -> None:
    with pytest.raises(ActionRefused) as refused:
        actions.do_import_ssb(None, org, data)
    assert words in refused.value.message
    assert not PopulationTable.objects.exists()


def test_district_import_reads_totals_bands_and_skips_what_is_not_a_number(
    org: Municipality,
) -> None:
    done = actions.do_import_districts(
        None, org, DISTRICTS.encode(), year=2025, source="Folkeregisteret"
    )
    assert [s.line for s in done.skipped] == [7]
    assert done.total == 300 + 175
    population = queries.population_of(org)
    assert population is not None
    assert population.districts == {"nordvik": ("Nordvik", 300), "sørstranda": ("Sørstranda", 175)}
    assert population.by_band == {}  # no SSB table yet


def test_district_import_needs_a_district_and_a_count_column(org: Municipality) -> None:
    with pytest.raises(ActionRefused) as refused:
        actions.do_import_districts(None, org, b"a;b\n1;2\n", year=2025, source="x")
    assert "district column" in refused.value.message


def test_staff_without_the_capability_cannot_import(org: Municipality) -> None:
    moderator = factories.staff(org, Role.MODERATOR)
    with pytest.raises(ActionRefused) as refused:
        actions.do_import_ssb(moderator, org, ssb(org))
    assert refused.value.status == 403


def test_command_imports_both_files(org: Municipality) -> None:
    org.kommunenummer = "9901"  # the demo's synthetic file is for Lillevik, 9901
    org.save()
    out = StringIO()
    call_command(
        "population_import",
        org.slug,
        "--ssb",
        str(demo.SSB_FILE),
        "--districts",
        str(demo.DISTRICT_FILE),
        "--year",
        "2025",
        stdout=out,
    )
    assert "4012 inhabitants" in out.getvalue()
    assert PopulationTable.objects.filter(municipality=org).count() == 2


def test_command_refuses_a_file_for_another_kommune(org: Municipality) -> None:
    org.kommunenummer = "0301"
    org.save()
    with pytest.raises(CommandError, match="0301"):
        call_command("population_import", org.slug, "--ssb", str(demo.SSB_FILE))


def test_staff_page_uploads_and_refuses(org: Municipality, client: Client) -> None:
    officer = factories.staff(org, Role.CASE_OFFICER)
    client.force_login(officer)
    url = reverse("insights:population", args=[org.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"which": "ssb", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.7")})
    assert bad.status_code == 400
    assert "not a CSV file" in bad.content.decode()
    good = client.post(url, {"which": "ssb", "file": SimpleUploadedFile("a.csv", ssb(org))})
    assert good.status_code == 302
    page = client.get(url)
    assert "38" in page.content.decode()
    district = client.post(
        url,
        {
            "which": "districts",
            "file": SimpleUploadedFile("k.csv", DISTRICTS.encode()),
            "year": "2025",
            "source": "Folkeregisteret",
        },
    )
    assert district.status_code == 302
    assert AuditEntry.objects.filter(action="population.districts_imported").count() == 1


def test_staff_page_is_not_found_for_another_municipality(client: Client) -> None:
    mine = factories.municipality("Lillevik")
    other = factories.municipality("Andrevik")
    client.force_login(factories.staff(mine, Role.CASE_OFFICER))
    assert client.get(reverse("insights:population", args=[other.pk])).status_code == 404
