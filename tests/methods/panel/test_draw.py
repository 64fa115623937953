"""Fair draws from the panel: quotas from the population met on every draw (40 of 2 000),
what is refused and why (nothing stored), the stored lottery re-checked by the CLI, and
the public lottery pages and files.

The helpers at the top build a running panel with figures, members and a survey to invite
to; the other draw-side tests import them.
"""

from __future__ import annotations

import io
import json
import random
import secrets
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from medvirk.algorithms.sortition.cli import main as sortition_cli
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.panel import dimensions, draws, population
from medvirk.methods.panel.models import Dimension, DimensionKind, Draw, Invitation, PanelMember
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import Question, QuestionKind
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.panel.conftest import make_panel

pytestmark = pytest.mark.django_db

DISTRICTS = {"Sentrum": 1500, "Nordvik": 1100, "Sørstranda": 800, "Fjellgarden": 600}
AGES = {
    "15-24": 500,
    "25-34": 520,
    "35-44": 510,
    "45-54": 540,
    "55-66": 640,
    "67-79": 560,
    "80+": 240,
}
GENDERS = {"female": 1980, "male": 2020}


def district_of(org: Municipality) -> Dimension:
    return next(d for d in dimensions.ensure_defaults(org) if d.kind == DimensionKind.DISTRICT)


def set_up_figures(org: Municipality) -> dict[str, str]:
    """Districts named and every built-in dimension given figures; district label -> key."""
    district = district_of(org)
    if not district.options:
        population.do_save_options(None, district, labels={}, new=list(DISTRICTS))
        district.refresh_from_db()
    keys = {o.label: o.key for o in dimensions.options_of(district)}
    population.do_save_figures(
        None, org, "krins", {keys[k]: n for k, n in DISTRICTS.items()}, "Test", 2025
    )
    population.do_save_figures(None, org, "alder", AGES, "SSB 07459", 2025)
    population.do_save_figures(None, org, "kjonn", GENDERS, "SSB 07459", 2025)
    return keys


def add_members(
    org: Municipality, n: int, *, seed: int = 1, unanswered: float = 0.05
) -> list[PanelMember]:
    """``n`` members with profiles spread like the population (some questions left open),
    made in bulk: joining one by one is tested on the member side."""
    rng = random.Random(seed)
    keys = [o.key for o in dimensions.options_of(district_of(org))]
    weights = list(DISTRICTS.values())
    stamp = secrets.token_hex(3)
    users = User.objects.bulk_create(
        User(
            username=f"m{stamp}-{i}",
            email=f"m{stamp}-{i}@example.org",
            email_verified=True,
            password="!",
        )
        for i in range(n)
    )
    now = timezone.now()
    made = []
    for i, user in enumerate(users):
        profile = {
            "alder": rng.choices(list(AGES), list(AGES.values()))[0],
            "kjonn": rng.choices(["female", "male", "other"], [48, 48, 4])[0],
            "krins": rng.choices(keys, weights)[0],
        }
        if rng.random() < unanswered:
            del profile[rng.choice(["alder", "kjonn", "krins"])]
        made.append(
            PanelMember(
                municipality=org,
                user=user,
                code=f"{stamp.upper()}-{i:04d}",
                profile=profile,
                consent_at=now,
            )
        )
    return PanelMember.objects.bulk_create(made)


def survey_in(panel: MethodInstance, *, published: bool = True) -> tuple[MethodInstance, Question]:
    """A survey in the panel's case, running now, with one required question."""
    survey = factories.method(
        panel.process, panel.phase, key="survey", title="Survey about the school",
        published=published,
    )  # fmt: skip
    question = survey_actions.do_add_question(
        None,
        survey,
        kind=QuestionKind.SINGLE,
        text="Which option?",
        choices=[{"key": "new", "label": "New"}, {"key": "renovate", "label": "Renovate"}],
        required=True,
    )
    return survey, question


def answer(survey: MethodInstance, question: Question, user: User | AnonymousUser) -> None:
    survey_actions.do_answer(user, survey, {question.pk: "new"}, key=secrets.token_hex(16))


def invited_counts(draw: Draw) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for invitation in Invitation.objects.filter(draw=draw):
        for key, value in invitation.stratum.items():
            counts[(key, value)] = counts.get((key, value), 0) + 1
    return counts


def assert_quotas_met(draw: Draw) -> None:
    counts = invited_counts(draw)
    quotas = draw.lottery["quotas"]
    assert quotas
    for quota in quotas:
        n = counts.get((quota["feature"], quota["value"]), 0)
        assert quota["min"] <= n <= quota["max"], (quota, n)


@pytest.fixture
def panel(org: Municipality) -> MethodInstance:
    return make_panel(org)


@pytest.fixture
def survey(panel: MethodInstance) -> tuple[MethodInstance, Question]:
    return survey_in(panel)


# --- the required test --------------------------------------------------------------------


def test_a_draw_of_40_from_2000_meets_every_quota(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question], officer: User
) -> None:
    set_up_figures(org)
    add_members(org, 2000)
    mark = factories.audit_mark()
    draw = draws.do_draw(
        officer, panel, target=survey[0], size=40, dimensions=["alder", "kjonn", "krins"]
    )
    assert Invitation.objects.filter(draw=draw).count() == 40
    assert_quotas_met(draw)
    # The proportional quotas themselves: 40 × 500/3 510 = 5.7 → 5..6 for the youngest.
    youngest = next(q for q in draw.lottery["quotas"] if q["value"] == "15-24")
    assert (youngest["min"], youngest["max"]) == (5, 6)
    # Not answered, and "other" without a figure, are free.
    free = [q for q in draw.lottery["quotas"] if q["value"] in ("unknown", "other")]
    assert free and all((q["min"], q["max"]) == (0, 40) for q in free)
    assert draw.min_probability > 0
    assert sum(draw.lottery["probability"].values()) == pytest.approx(40)
    assert [e.action for e in factories.audited_since(mark)] == ["panel.drawn"]


# --- what is stored, and the same seed --------------------------------------------------


def test_the_stored_lottery_is_checked_by_the_cli(
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    set_up_figures(org)
    add_members(org, 120, unanswered=0.2)
    draw = draws.do_draw(
        None, panel, target=survey[0], size=12, dimensions=["alder", "krins"], algorithm="leximin"
    )
    assert draws.verification(draw).ok
    for name, text in draws.files_of(draw).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(tmp_path / n) for n in ("people.csv", "features.csv", "lottery.json")]
    assert sortition_cli(["verify", *paths, "--json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert checked["ok"]
    for code, p in checked["probabilities"].items():
        assert p == pytest.approx(draw.lottery["probability"][code], abs=1e-9)
    lottery = json.loads((tmp_path / "lottery.json").read_text(encoding="utf-8"))
    assert lottery["seed"] == draw.seed
    assert sorted(lottery["selected"]) == sorted(
        Invitation.objects.filter(draw=draw).values_list("code", flat=True)
    )
    people = (tmp_path / "people.csv").read_text(encoding="utf-8").splitlines()
    assert people[0] == "id,alder,krins"
    assert len(people) == 121
    # No name, e-mail or account in anything published.
    every = "".join(draws.files_of(draw).values())
    assert "@example.org" not in every and "m" + "@" not in every


def test_the_same_seed_gives_the_same_invited(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]
) -> None:
    set_up_figures(org)
    add_members(org, 80)
    first = draws.do_draw(None, panel, target=survey[0], size=8, dimensions=["alder"], seed="42")
    second = draws.do_draw(None, panel, target=survey[0], size=8, dimensions=["alder"], seed=42)
    assert first.seed == second.seed == "42"
    assert sorted(first.lottery["selected"]) == sorted(second.lottery["selected"])
    assert first.lottery["uniform"] == second.lottery["uniform"]
    random_seed = draws.do_draw(None, panel, target=survey[0], size=8, dimensions=["alder"])
    assert random_seed.seed.isdigit() and random_seed.seed != "42"


def test_the_stratum_stays_when_an_invited_member_leaves(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]
) -> None:
    set_up_figures(org)
    add_members(org, 30)
    draw = draws.do_draw(None, panel, target=survey[0], size=5, dimensions=["kjonn"])
    invitation = Invitation.objects.filter(draw=draw).first()
    assert invitation is not None and invitation.member is not None
    stratum = invitation.stratum
    invitation.member.delete()
    invitation.refresh_from_db()
    assert invitation.member is None
    assert invitation.stratum == stratum and set(stratum) == {"kjonn"}


# --- refused: nothing stored --------------------------------------------------------------


def _refused(panel: MethodInstance, **kwargs: object) -> ActionRefused:
    before = (Draw.objects.count(), Invitation.objects.count())
    with pytest.raises(ActionRefused) as raised:
        draws.do_draw(None, panel, **kwargs)  # type: ignore[arg-type]
    assert (Draw.objects.count(), Invitation.objects.count()) == before
    return raised.value


def test_targets_must_be_open_input_methods_of_the_same_case(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]
) -> None:
    set_up_figures(org)
    add_members(org, 20)
    assert draws.targets(panel) == [survey[0]]
    base = {"size": 3, "dimensions": ["alder"]}
    assert "not to the panel itself" in _refused(panel, target=panel, **base).message
    hidden, _q = survey_in(panel, published=False)
    assert "not published and open" in _refused(panel, target=hidden, **base).message
    elsewhere = survey_in(make_panel(org))[0]
    assert "method of this case" in _refused(panel, target=elsewhere, **base).message
    closed = survey_in(panel)[0]
    closed.closed_at = timezone.now()
    closed.save()
    assert "not published and open" in _refused(panel, target=closed, **base).message


def test_bad_requests_are_refused_with_the_reason(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]
) -> None:
    population.do_save_options(None, district_of(org), labels={}, new=list(DISTRICTS))
    add_members(org, 20)
    target = survey[0]
    # No figures yet for age.
    message = _refused(panel, target=target, size=3, dimensions=["alder"]).message
    assert "has no population figures" in message
    set_up_figures(org)
    assert "at least one" in _refused(panel, target=target, size=3, dimensions=[]).message
    assert "Choose among" in _refused(panel, target=target, size=3, dimensions=["nope"]).message
    assert (
        "Choose among"
        in _refused(panel, target=target, size=3, dimensions=["alder", "alder"]).message
    )
    assert "20 members" in _refused(panel, target=target, size=21, dimensions=["alder"]).message
    assert "from 1" in _refused(panel, target=target, size=0, dimensions=["alder"]).message
    assert (
        "maximin or leximin"
        in _refused(panel, target=target, size=3, dimensions=["alder"], algorithm="random").message
    )
    assert (
        "whole number"
        in _refused(panel, target=target, size=3, dimensions=["alder"], seed="12a").message
    )


def test_quotas_no_panel_can_meet_give_the_lotterys_reason(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]
) -> None:
    set_up_figures(org)
    members = add_members(org, 20)
    # Everyone is 15–24, but the population needs every age band.
    PanelMember.objects.filter(pk__in=[m.pk for m in members]).update(profile={"alder": "15-24"})
    refused = _refused(panel, target=survey[0], size=10, dimensions=["alder"])
    assert refused.status == 409
    assert refused.message.startswith("No fair draw can meet these quotas. The lottery says:")
    assert "cannot be met" in refused.message


def test_only_staff_of_the_municipality_may_draw(
    org: Municipality, panel: MethodInstance, survey: tuple[MethodInstance, Question]
) -> None:
    set_up_figures(org)
    add_members(org, 10)
    other = factories.staff(factories.municipality("Annanvik"), Role.CASE_OFFICER)
    moderator = factories.staff(org, Role.MODERATOR)
    for person in (other, moderator, factories.user()):
        with pytest.raises(ActionRefused) as raised:
            draws.do_draw(person, panel, target=survey[0], size=3, dimensions=["alder"])
        assert raised.value.status == 403
    assert not Draw.objects.exists()


# --- the public pages and files -----------------------------------------------------------


def test_the_published_lottery_page_hides_small_counts(
    client: Client,
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
) -> None:
    set_up_figures(org)
    add_members(org, 60)
    draw = draws.do_draw(
        None, panel, target=survey[0], size=12, dimensions=["alder", "kjonn", "krins"]
    )
    plugin = registry.get("panel")
    response = client.get(plugin.url(panel, "draw", pk=draw.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert draw.seed in html and repr(draw.lottery["uniform"]) in html
    assert "Checked on the server from the published data" in html
    # Every quota count from 1 to 4 is hidden.
    rows = draws.quota_rows(draw, draws.labels_of(draw))
    assert any(0 < r.invited < 5 for r in rows)
    assert all(r.invited_shown is None for r in rows if 0 < r.invited < 5)
    assert "fewer than 5" in html
    # A code's chance (60 members: listed, and looked up).
    code = draw.lottery["selected"][0]
    assert code in html
    looked = client.get(plugin.url(panel, "draw", pk=draw.pk), {"kode": code.lower()})
    assert "It was invited." in looked.content.decode()
    # The check page.
    check = client.get(plugin.url(panel, "verify", pk=draw.pk))
    assert check.status_code == 200 and "Everything checks out." in check.content.decode()
    # No names or e-mail anywhere.
    assert "@example.org" not in html
    # Another panel's draw, or none: 404.
    assert client.get(plugin.url(panel, "draw", pk=draw.pk + 999)).status_code == 404
    other_panel = make_panel(org)
    assert client.get(plugin.url(other_panel, "draw", pk=draw.pk)).status_code == 404
    assert client.post(plugin.url(panel, "draw", pk=draw.pk)).status_code == 405


def test_the_panel_page_lists_draws_and_the_zip_has_the_files(
    client: Client,
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
) -> None:
    plugin = registry.get("panel")
    zip_url = plugin.export_url(panel, "loddtrekning")
    assert client.get(zip_url).status_code == 404  # nothing published yet
    set_up_figures(org)
    add_members(org, 30)
    draw = draws.do_draw(None, panel, target=survey[0], size=6, dimensions=["kjonn"])
    page = client.get(panel.get_absolute_url()).content.decode()
    assert f"trekning/{draw.pk}/" in page
    assert "eksport/loddtrekning/" in page
    response = client.get(zip_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "README.txt",
        f"trekning-{draw.pk}/features.csv",
        f"trekning-{draw.pk}/people.csv",
        f"trekning-{draw.pk}/lottery.json",
        f"trekning-{draw.pk}/probabilities.csv",
    } <= names
    readme = archive.read("README.txt").decode()
    assert "uv run medvirk sortition verify people.csv features.csv lottery.json" in readme
    assert draw.seed in readme


def test_published_draws_make_a_fixed_number_of_queries(
    org: Municipality,
    panel: MethodInstance,
    survey: tuple[MethodInstance, Question],
    django_assert_num_queries: object,
) -> None:
    set_up_figures(org)
    add_members(org, 20)
    for _ in range(3):
        draws.do_draw(None, panel, target=survey[0], size=2, dimensions=["kjonn"])
    found: Sequence[Draw] = draws.published_draws(panel)
    assert len(found) == 3
    with django_assert_num_queries(0):  # type: ignore[operator]
        for draw in found:
            draw.method_instance.get_absolute_url()
            str(draw.target.title)
