"""The panel's set-up by staff: settings, questions and options, population figures
entered by hand or imported from SSB 07459 — audited, refused with a reason, nothing saved
on error."""

from __future__ import annotations

import pytest

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.panel import dimensions, population
from medvirk.methods.panel.models import (
    Dimension,
    DimensionKind,
    OrganStatus,
    PanelMember,
    PanelSettings,
    PopulationFigure,
)
from medvirk.organisations.models import Municipality, Role
from tests import factories
from tests.methods.panel.conftest import join
from tests.methods.panel.test_draw import district_of

pytestmark = pytest.mark.django_db


def figures(org: Municipality, key: str) -> dict[str, int]:
    return dict(
        PopulationFigure.objects.filter(
            dimension__municipality=org, dimension__key=key
        ).values_list("option", "count")
    )


def ssb_file(kommunenummer: str, *, extra: str = "") -> bytes:
    """A 07459 download in the long layout for two years, ages 13 to 20 and 105+."""
    lines = [
        '"07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"',
        "",
        '"region";"kjønn";"alder";"statistikkvariabel";"år";"Personer"',
    ]
    for year in (2023, 2024):
        for sex in ("Menn", "Kvinner"):
            for age in range(13, 21):
                count = 10 + age - 13 + (1 if year == 2024 else 0)
                lines.append(
                    f'"K-{kommunenummer} Lillevik";"{sex}";"{age:03d} {age} år";"Personer";'
                    f'"{year}";"{count}"'
                )
            lines.append(
                f'"K-{kommunenummer} Lillevik";"{sex}";"105 år eller eldre";"Personer";"{year}";":"'
            )
    return ("\n".join(lines) + "\n" + extra).encode("cp1252")


# --- figures by hand ----------------------------------------------------------------------


def test_staff_save_figures_audited_and_replaced(org: Municipality, officer: User) -> None:
    mark = factories.audit_mark()
    population.do_save_figures(
        officer, org, "kjonn", {"female": 1900, "male": 2000}, "Folkeregisteret", 2025
    )
    assert figures(org, "kjonn") == {"female": 1900, "male": 2000}
    saved = PopulationFigure.objects.get(dimension__municipality=org, option="female")
    assert (saved.source, saved.year) == ("Folkeregisteret", 2025)
    [entry] = factories.audited_since(mark)
    assert entry.action == "panel.figures_saved"
    assert entry.data["inhabitants"] == 3900
    # Saved again without "male": it has no figure any more.
    population.do_save_figures(officer, org, "kjonn", {"female": 1950})
    assert figures(org, "kjonn") == {"female": 1950}


@pytest.mark.parametrize(
    ("key", "counts", "words"),
    [
        ("kjonn", {"female": -1}, "from 0"),
        ("kjonn", {"female": 10_000_001}, "from 0"),
        ("kjonn", {"female": True}, "whole number"),
        ("kjonn", {"female": "12"}, "whole number"),
        ("kjonn", {"nonbinary": 4}, "not an option"),
        ("alder", {"10-14": 4}, "not an option"),
    ],
)
def test_bad_figures_are_refused_and_nothing_changes(
    org: Municipality, officer: User, key: str, counts: dict[str, object], words: str
) -> None:
    population.do_save_figures(officer, org, "kjonn", {"female": 5, "male": 6})
    with pytest.raises(ActionRefused) as raised:
        population.do_save_figures(officer, org, key, counts)  # type: ignore[arg-type]
    assert words in raised.value.message
    assert figures(org, "kjonn") == {"female": 5, "male": 6}


def test_source_year_and_unknown_question_are_checked(org: Municipality, officer: User) -> None:
    with pytest.raises(ActionRefused, match="year"):
        population.do_save_figures(officer, org, "kjonn", {"female": 1}, year=1850)
    with pytest.raises(ActionRefused, match="at most 200"):
        population.do_save_figures(officer, org, "kjonn", {"female": 1}, source="x" * 201)
    with pytest.raises(ActionRefused) as raised:
        population.do_save_figures(officer, org, "nope", {"a": 1})
    assert raised.value.status == 404


def test_only_staff_with_the_capability_change_figures(org: Municipality) -> None:
    for person in (
        factories.staff(org, Role.MODERATOR),
        factories.staff(factories.municipality("Annanvik"), Role.CASE_OFFICER),
        factories.user(),
    ):
        with pytest.raises(ActionRefused) as raised:
            population.do_save_figures(person, org, "kjonn", {"female": 1})
        assert raised.value.status == 403
    assert not PopulationFigure.objects.exists()


# --- SSB 07459 ----------------------------------------------------------------------------


def test_ssb_import_sums_the_latest_year_into_bands_and_genders(
    org: Municipality, officer: User
) -> None:
    population.do_save_figures(officer, org, "kjonn", {"female": 1, "male": 1})
    mark = factories.audit_mark()
    result = population.do_import_ssb(officer, org, ssb_file(org.kommunenummer))
    # 2024: age a has 10 + (a - 13) + 1 people per sex; 15 to 20 are in the first band.
    per_sex = sum(11 + a - 13 for a in range(15, 21))
    assert result.year == 2024
    assert result.by_band["15-24"] == 2 * per_sex
    assert result.below == 2 * (11 + 12)  # 13 and 14: under the lowest age, left out
    assert figures(org, "alder") == {k: v for k, v in result.by_band.items()}
    assert figures(org, "kjonn") == {"female": per_sex, "male": per_sex}
    assert [s.line for s in result.skipped] == [12, 21, 30, 39]  # the ":" of 105+ each time
    assert "SSB's symbol" in result.skipped[0].reason
    saved = PopulationFigure.objects.filter(dimension__municipality=org).first()
    assert saved is not None and saved.year == 2024 and saved.source.startswith("SSB 07459")
    assert [e.action for e in factories.audited_since(mark)] == ["panel.figures_imported"]


def test_ssb_import_follows_the_lowest_age(org: Municipality, officer: User) -> None:
    population.do_save_settings(
        officer, org, organ_status=OrganStatus.UNDECIDED, organ_decision="", min_age=18
    )
    result = population.do_import_ssb(officer, org, ssb_file(org.kommunenummer))
    assert set(result.by_band) == {k for k, _a, _b in dimensions.age_bands(18)}
    assert result.by_band["18-24"] == 2 * sum(11 + a - 13 for a in range(18, 21))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"name;age\nKari;30\n", "No header"),
        (ssb_file("3901"), "Kommune"),
    ],
)
def test_an_unusable_ssb_file_saves_nothing(
    org: Municipality, officer: User, data: bytes, words: str
) -> None:
    population.do_save_figures(officer, org, "kjonn", {"female": 5, "male": 6})
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused) as raised:
        population.do_import_ssb(officer, org, data)
    assert raised.value.status == 400
    assert words in raised.value.message
    assert figures(org, "kjonn") == {"female": 5, "male": 6}
    assert not figures(org, "alder")
    assert not factories.audited_since(mark).exists()


# --- settings -----------------------------------------------------------------------------


def test_settings_are_saved_audited_and_checked(org: Municipality, officer: User) -> None:
    mark = factories.audit_mark()
    population.do_save_settings(
        officer,
        org,
        organ_status=OrganStatus.ORGAN,
        organ_decision="Kommunestyret, sak 12/25",
        min_age=16,
    )
    saved = PanelSettings.objects.get(municipality=org)
    assert (saved.organ_status, saved.organ_decision, saved.min_age) == (
        "organ",
        "Kommunestyret, sak 12/25",
        16,
    )
    assert [e.action for e in factories.audited_since(mark)] == ["panel.settings_saved"]
    for bad in (
        {"organ_status": "maybe", "organ_decision": "", "min_age": 16},
        {"organ_status": "organ", "organ_decision": "x" * 501, "min_age": 16},
        {"organ_status": "organ", "organ_decision": "", "min_age": 12},
        {"organ_status": "organ", "organ_decision": "", "min_age": 19},
    ):
        with pytest.raises(ActionRefused):
            population.do_save_settings(officer, org, **bad)  # type: ignore[arg-type]
    assert PanelSettings.objects.get(municipality=org).min_age == 16


def test_a_new_lowest_age_moves_the_first_band(
    org: Municipality, officer: User, panel_instance: object
) -> None:
    member = join(panel_instance, profile={"alder": "15-24"})  # type: ignore[arg-type]
    population.do_save_figures(officer, org, "alder", {"15-24": 400, "25-34": 500})
    notes = population.do_save_settings(
        officer, org, organ_status=OrganStatus.UNDECIDED, organ_decision="", min_age=18
    )
    member.refresh_from_db()
    assert member.profile["alder"] == "18-24"
    assert figures(org, "alder") == {"25-34": 500}
    assert len(notes) == 2


# --- questions ----------------------------------------------------------------------------


def test_districts_are_named_renamed_and_kept_when_chosen(
    org: Municipality, officer: User, panel_instance: object
) -> None:
    district = district_of(org)
    population.do_save_options(officer, district, labels={}, new=["Sentrum", "Nordvik"])
    district.refresh_from_db()
    keys = {o.label: o.key for o in dimensions.options_of(district)}
    assert set(keys) == {"Sentrum", "Nordvik"}
    join(panel_instance, profile={"krins": keys["Nordvik"]})  # type: ignore[arg-type]
    # Renaming keeps the key, so the member's answer keeps its meaning.
    population.do_save_options(officer, district, labels={keys["Nordvik"]: "Nordvika"})
    district.refresh_from_db()
    assert {o.key: o.label for o in dimensions.options_of(district)}[keys["Nordvik"]] == "Nordvika"
    with pytest.raises(ActionRefused) as raised:
        population.do_save_options(officer, district, labels={}, remove=[keys["Nordvik"]])
    assert raised.value.status == 409 and "1 member chose it" in raised.value.message
    population.do_save_figures(officer, org, "krins", {keys["Sentrum"]: 10})
    population.do_save_options(officer, district, labels={}, remove=[keys["Sentrum"]])
    assert figures(org, "krins") == {}
    with pytest.raises(ActionRefused, match="more than once"):
        population.do_save_options(officer, district, labels={}, new=["nordvika"])
    with pytest.raises(ActionRefused, match="does not exist"):
        population.do_save_options(officer, district, labels={"nope": "x"})


def test_age_and_gender_options_are_fixed(org: Municipality, officer: User) -> None:
    gender = next(d for d in dimensions.ensure_defaults(org) if d.kind == DimensionKind.GENDER)
    with pytest.raises(ActionRefused) as raised:
        population.do_save_options(officer, gender, labels={}, new=["Annet"])
    assert raised.value.status == 409


def test_a_question_of_their_own_and_deleting_it_erases_answers(
    org: Municipality, officer: User, panel_instance: object
) -> None:
    mark = factories.audit_mark()
    added = population.do_add_dimension(officer, org, "How do you travel?", ["Car", "Bus", "Bike"])
    assert added.kind == DimensionKind.CUSTOM and added.key == "how-do-you-travel"
    assert [o["key"] for o in added.options] == ["car", "bus", "bike"]
    member = join(panel_instance, profile={added.key: "bus", "kjonn": "female"})  # type: ignore[arg-type]
    with pytest.raises(ActionRefused, match="from 2"):
        population.do_add_dimension(officer, org, "One option only", ["Yes"])
    with pytest.raises(ActionRefused, match="needs a text"):
        population.do_add_dimension(officer, org, "   ", ["Yes", "No"])
    erased = population.do_delete_dimension(officer, added)
    assert erased == 1
    member.refresh_from_db()
    assert member.profile == {"kjonn": "female"}
    assert not Dimension.objects.filter(pk=added.pk).exists()
    assert [e.action for e in factories.audited_since(mark)] == [
        "panel.dimension_added",
        "panel.dimension_deleted",
    ]
    district = district_of(org)
    with pytest.raises(ActionRefused) as raised:
        population.do_delete_dimension(officer, district)
    assert raised.value.status == 409
    assert PanelMember.objects.filter(pk=member.pk).exists()
