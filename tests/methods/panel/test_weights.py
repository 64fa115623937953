"""Response rates per group and the post-stratification weights, against an example worked
by hand; the group that keeps answers from being weighted is named; the staff CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.identity.models import User
from medvirk.methods.panel import draws
from medvirk.methods.panel.models import Draw, Invitation
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.panel.conftest import make_panel
from tests.methods.panel.test_draw import survey_in

pytestmark = pytest.mark.django_db

POPULATION = {"alder": {"15-24": 500, "25-34": 500}, "kjonn": {"female": 600, "male": 400}}
# (age, gender, invited, answered)
GROUPS = [
    ("15-24", "female", 2, 1),
    ("15-24", "male", 2, 1),
    ("25-34", "female", 4, 3),
    ("25-34", "male", 4, 3),
]


def made_draw(panel: MethodInstance, groups: list[tuple[str, str, int, int]]) -> Draw:
    """A draw as stored, with invitations in known groups (the lottery itself is tested in
    test_draw; here only who was invited and who answered matters)."""
    target, _question = survey_in(panel)
    draw = Draw.objects.create(
        method_instance=panel,
        target=target,
        size=sum(g[2] for g in groups),
        dimensions=["alder", "kjonn"],
        seed="1",
        lottery={"features": ["alder", "kjonn"], "population": POPULATION, "quotas": []},
    )
    now = timezone.now()
    n = 0
    for age, gender, invited, answered in groups:
        for i in range(invited):
            n += 1
            Invitation.objects.create(
                draw=draw,
                code=f"C-{n:03d}",
                stratum={"alder": age, "kjonn": gender},
                nonce="x",
                sent_at=now,
                responded_at=now if i < answered else None,
            )
    return draw


@pytest.fixture
def panel(org: Municipality) -> MethodInstance:
    return make_panel(org)


def test_rates_and_weights_by_hand(panel: MethodInstance) -> None:
    draw = made_draw(panel, GROUPS)
    rates = draws.response_rates(draw, draws.labels_of(draw))
    assert (rates.invited, rates.answered, rates.sent) == (12, 8, 12)
    assert (rates.left, rates.waiting) == (12, 0)  # made without members: as if all left
    assert rates.weight_error == ""
    age, gender = rates.dimensions
    assert [r.label for r in age.rows] == ["15–24 years", "25–34 years"]
    young, old = age.rows
    assert (young.invited, young.answered, young.rate) == (4, 2, 0.5)
    assert (old.invited, old.answered, old.rate) == (8, 6, 0.75)
    assert young.population_share == pytest.approx(0.5)
    # One dimension: population share / answer share. Young 0.5 / (2/8) = 2, old 0.5 / (6/8).
    assert young.weight == pytest.approx(2.0)
    assert old.weight == pytest.approx(2 / 3)
    female, male = gender.rows
    assert female.weight == pytest.approx(0.6 / 0.5)
    assert male.weight == pytest.approx(0.4 / 0.5)
    # Raking both (worked by hand in tests/algorithms/test_weighting.py).
    weights = {tuple(r.values): r.weight for r in rates.strata}
    assert weights[("15–24 years", "Woman")] == pytest.approx(2.4)
    assert weights[("15–24 years", "Man")] == pytest.approx(1.6)
    assert weights[("25–34 years", "Woman")] == pytest.approx(0.8)
    assert weights[("25–34 years", "Man")] == pytest.approx(8 / 15)
    # Weighted, the answers have the population's make-up.
    answered = {tuple(r.values): r.answered for r in rates.strata}
    young_weighted = sum(weights[k] * answered[k] for k in weights if k[0] == "15–24 years")
    assert young_weighted / 8 == pytest.approx(0.5)


def test_a_group_nobody_answered_is_named(panel: MethodInstance) -> None:
    groups = [(a, g, n, 0 if a == "25-34" else m) for a, g, n, m in GROUPS]
    draw = made_draw(panel, groups)
    rates = draws.response_rates(draw, draws.labels_of(draw))
    assert "“25–34 years” (Age)" in rates.weight_error
    assert all(r.weight is None for r in rates.strata)
    # The per-question rows still give the rates.
    assert [r.rate for r in rates.dimensions[0].rows] == [0.5, 0.0]


def test_no_answers_yet(panel: MethodInstance) -> None:
    draw = made_draw(panel, [(a, g, n, 0) for a, g, n, _m in GROUPS])
    rates = draws.response_rates(draw, draws.labels_of(draw))
    assert rates.answered == 0
    assert rates.weight_error == "No one has answered yet: there is nothing to weight."


def test_the_staff_csv_has_every_group(
    client: Client, org: Municipality, panel: MethodInstance, officer: User
) -> None:
    draw = made_draw(panel, GROUPS)
    url = registry.get("panel").export_url(panel, "svarprosent-csv")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(factories.user())
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Draw", "Made", "Invited to", "Group by", "Group"]
    assert len(rows) == 1 + 2 + 2 + 4  # the two questions' options and four combinations
    young = next(r for r in rows if r[4] == "15–24 years")
    assert young[0] == str(draw.pk)
    assert young[5:] == ["500", "0.500", "4", "2", "0.500", "2.000"]
    combined = next(r for r in rows if r[4] == "25–34 years · Man")
    assert combined[3] == "Age × Gender"
    assert combined[-1] == "0.533"
    # A moderator may export too, but not staff of another municipality.
    client.force_login(factories.staff(factories.municipality("Annanvik"), Role.CASE_OFFICER))
    assert client.get(url).status_code == 403
