"""The wizard, the plan page, accepting recommendations, publishing, audit and the PDF."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.core.models import AuditEntry
from medvirk.demo.loader import load_demo
from medvirk.organisations.models import Role
from medvirk.planning import actions, library, queries
from medvirk.planning.demo import answers_for, seed_plan
from medvirk.planning.models import Plan, PlannedActivity, PlanStatus
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind, Process, ProcessStatus
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.planning.urls")]


@pytest.fixture
def setup():  # type: ignore[no-untyped-def]
    org = factories.municipality()
    officer = factories.staff(org)
    process = factories.process(org)
    factories.phase(process, kind=PhaseKind.INVESTIGATION)
    client = Client()
    client.force_login(officer)
    return org, officer, process, client


def post_steps(client: Client, process: Process) -> None:
    base = f"/stab/sak/{process.pk}/plan/"
    assert client.post(f"{base}start/").status_code == 302
    r = client.post(
        f"{base}steg/1/", {"purposes": ["learning", "anchoring"], "use": "Til vedtaket."}
    )
    assert r.status_code == 302 and r["Location"].endswith("/steg/2/")
    who = {"silent": "", "weigh_more": "", "know_enough": "no"}
    for key in ("residents", "children", "day_workers"):
        who[f"{key}__affected"] = "3"
        who[f"{key}__speaks_up"] = "1"
    assert client.post(f"{base}steg/2/", who).status_code == 302
    when = {"open_phases": ["investigation"], "weeks": "10", "note": ""}
    assert client.post(f"{base}steg/3/", when).status_code == 302
    room = {"open": "Skulevegen.", "decided": "", "case_kind": "building", "plan_type": "",
            "decision_maker": "kommune", "resources": "medium"}  # fmt: skip
    assert client.post(f"{base}steg/4/", room).status_code == 302
    r = client.post(f"{base}steg/5/", {"prepare": "Fakta.", "role": "Lytte."})
    assert r.status_code == 302 and r["Location"].endswith(f"/stab/sak/{process.pk}/plan/")


def test_wizard_recommend_accept_publish(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _org, _officer, process, client = setup
    # Every method recommended here now runs in Medvirk; the councils' entry is made one
    # it does not run, to show what accepting such a method does.
    bodies = registry.get("bodies")
    monkeypatch.setattr(
        bodies,
        "catalogue_entries",
        tuple(e for e in bodies.catalogue_entries if e != "statutory_councils"),
    )
    post_steps(client, process)
    plan = Plan.objects.get(process=process)
    assert plan.version == 6  # one per saved step
    page = client.get(f"/stab/sak/{process.pk}/plan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Barnetråkk" in html
    assert "Children and young people are affected" in html or "barn" in html.lower()
    # Accept a method Medvirk runs: a draft instance appears in the investigation phase.
    r = client.post(
        f"/stab/sak/{process.pk}/plan/godta/", {"method": "information", "phase": "investigation"}
    )
    assert r.status_code == 302
    made = MethodInstance.objects.get(process=process, method_key="information")
    assert made.phase.kind == "investigation" and not made.is_published
    assert made.slug == "information"
    assert (
        PlannedActivity.objects.get(plan=plan, catalogue_key="information").method_instance == made
    )
    # A method not recommended for the phase is refused.
    client.post(f"/stab/sak/{process.pk}/plan/godta/", {"method": "survey", "phase": "decision"})
    assert not PlannedActivity.objects.filter(catalogue_key="survey").exists()
    # Barnetråkk is run by the map method: accepting it makes a draft map instance.
    client.post(
        f"/stab/sak/{process.pk}/plan/godta/", {"method": "barnetrakk", "phase": "investigation"}
    )
    activity = PlannedActivity.objects.get(plan=plan, catalogue_key="barnetrakk")
    assert activity.method_instance is not None
    assert activity.method_instance.method_key == "map_input"
    # Accept a method Medvirk does not run: a planned activity with its guide.
    client.post(
        f"/stab/sak/{process.pk}/plan/godta/",
        {"method": "statutory_councils", "phase": "investigation"},
    )
    activity = PlannedActivity.objects.get(plan=plan, catalogue_key="statutory_councils")
    assert activity.method_instance is None and activity.phase is not None
    # Accepting twice writes nothing new.
    client.post(
        f"/stab/sak/{process.pk}/plan/godta/",
        {"method": "statutory_councils", "phase": "investigation"},
    )
    assert PlannedActivity.objects.filter(plan=plan).count() == 3
    # Publish; the public page and the summary tag show it.
    assert client.post(f"/stab/sak/{process.pk}/plan/publiser/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    public = Client().get(f"/{process.municipality.slug}/{process.slug}/medverknadsplan/")
    assert public.status_code == 200
    assert "Til vedtaket." in public.content.decode()


def test_bad_input_writes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    _org, _officer, process, client = setup
    client.post(f"/stab/sak/{process.pk}/plan/start/")
    plan = Plan.objects.get(process=process)
    before = (plan.version, AuditEntry.objects.count())
    r = client.post(f"/stab/sak/{process.pk}/plan/steg/1/", {"purposes": ["fun"], "use": ""})
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.content.decode() or "error-summary" in r.content.decode()
    r = client.post(
        f"/stab/sak/{process.pk}/plan/steg/4/",
        {
            "open": "x",
            "case_kind": "pbl_plan",
            "plan_type": "kommuneplan",
            "decision_maker": "fylkeskommune",
            "resources": "medium",
        },
    )
    assert r.status_code == 400
    r = client.post(f"/stab/sak/{process.pk}/plan/steg/2/", {"know_enough": "no"})
    assert r.status_code == 400  # nobody marked as affected
    r = client.post(f"/stab/sak/{process.pk}/plan/steg/9/", {})
    assert r.status_code == 404
    r = client.post(f"/stab/sak/{process.pk}/plan/godta/", {"method": "nonsense", "phase": "x"})
    assert r.status_code == 302
    r = client.post(f"/stab/sak/{process.pk}/plan/publiser/")  # steps missing
    plan.refresh_from_db()
    assert (plan.version, AuditEntry.objects.count()) == before
    assert plan.status == PlanStatus.DRAFT
    assert PlannedActivity.objects.count() == 0


def test_other_municipality_and_non_staff_get_404(setup) -> None:  # type: ignore[no-untyped-def]
    _org, _officer, process, _client = setup
    other = factories.staff(factories.municipality())
    moderator = factories.staff(process.municipality, role=Role.MODERATOR)
    for user in (other, moderator):
        c = Client()
        c.force_login(user)
        assert c.get(f"/stab/sak/{process.pk}/plan/").status_code == 404
        assert c.post(f"/stab/sak/{process.pk}/plan/start/").status_code == 404
    assert not Plan.objects.exists()
    # Draft plans are not public.
    assert (
        Client().get(f"/{process.municipality.slug}/{process.slug}/medverknadsplan/").status_code
        == 404
    )


def test_editing_after_methods_run_is_audited_with_a_diff(setup) -> None:  # type: ignore[no-untyped-def]
    _org, officer, process, client = setup
    post_steps(client, process)
    factories.method(process, process.phases.first(), key="survey", published=True)
    plan = Plan.objects.get(process=process)
    actions.do_save_step(
        officer, plan, "when", {"open_phases": ["investigation", "alternatives"], "weeks": 12}
    )
    entry = AuditEntry.objects.filter(action="plan.updated").order_by("-seq").first()
    assert entry is not None
    assert entry.data["step"] == "when"
    assert entry.data["methods_running"] == 1
    assert "when.open_phases" in entry.data["fields"] and "when.weeks" in entry.data["fields"]
    weeks = next(line for line in entry.data["diff"] if line["field"] == "when.weeks")
    assert (weeks["before"], weeks["after"]) == ("10", "12")
    # Saving the same answers again changes nothing and writes no audit row.
    count = AuditEntry.objects.count()
    actions.do_save_step(
        officer, plan, "when", {"open_phases": ["investigation", "alternatives"], "weeks": 12}
    )
    assert AuditEntry.objects.count() == count
    page = client.get(f"/stab/sak/{process.pk}/plan/").content.decode()
    assert "when.weeks" not in page and "«10» → «12»" in page  # labels, not codes


def test_pdf_or_print_page(setup) -> None:  # type: ignore[no-untyped-def]
    _org, _officer, process, client = setup
    post_steps(client, process)
    client.post(f"/stab/sak/{process.pk}/plan/publiser/")
    r = Client().get(f"/{process.municipality.slug}/{process.slug}/medverknadsplan.pdf")
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        assert r.status_code == 302 and r["Location"].endswith("/medverknadsplan/")
    else:
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert r.content.startswith(b"%PDF-")


def test_catalogue_pages_for_staff(setup) -> None:  # type: ignore[no-untyped-def]
    _org, _officer, _process, client = setup
    r = client.get("/stab/metodekatalog/")
    assert r.status_code == 200 and "Barnetråkk" in r.content.decode()
    r = client.get("/stab/metodekatalog/barnetrakk/")
    assert r.status_code == 200 and "§ 3-3" in r.content.decode()
    assert client.get("/stab/metodekatalog/nope/").status_code == 404
    outsider = Client()
    outsider.force_login(factories.user())
    assert outsider.get("/stab/metodekatalog/").status_code == 404


def test_a_plan_saved_with_the_catalogue_of_2026_1_still_opens_and_accepts(setup) -> None:  # type: ignore[no-untyped-def]
    # 2026.1 named the running method in the data; now the plug-ins claim their entries.
    _org, _officer, process, client = setup
    post_steps(client, process)
    Plan.objects.filter(process=process).update(catalogue_version="2026.1")
    page = client.get(f"/stab/sak/{process.pk}/plan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2026.1" in html
    picks = queries.plan_view(Plan.objects.get(process=process)).phases[0]["picks"]
    assert {p["key"]: p["runs_in_medvirk"] for p in picks}["information"] is True
    r = client.post(
        f"/stab/sak/{process.pk}/plan/godta/", {"method": "information", "phase": "investigation"}
    )
    assert r.status_code == 302
    assert MethodInstance.objects.filter(process=process, method_key="information").exists()
    when = {"open_phases": ["investigation"], "weeks": "12", "note": ""}
    assert client.post(f"/stab/sak/{process.pk}/plan/steg/3/", when).status_code == 302
    assert Plan.objects.get(process=process).catalogue_version == library.catalogue().version


def test_lillevik_demo_plan_is_finished() -> None:
    load_demo()
    process = Process.objects.get(slug="lillevik-skule")
    Plan.objects.filter(process=process).delete()  # the loader may already seed it
    officer = process.municipality.memberships.get(role=Role.CASE_OFFICER).user
    plan = seed_plan(process, officer)
    assert plan.status == PlanStatus.PUBLISHED
    assert set(plan.answers) == set(answers_for(process))
    keys = set(PlannedActivity.objects.filter(plan=plan).values_list("catalogue_key", flat=True))
    assert {"barnetrakk", "statutory_councils"} <= keys
    assert process.status == ProcessStatus.PUBLISHED
    page = Client().get("/lillevik/lillevik-skule/medverknadsplan/")
    assert page.status_code == 200
    assert "Barnetråkk" in page.content.decode()


def test_summary_tag_for_the_process_page(setup) -> None:  # type: ignore[no-untyped-def]
    from django.template import Context, Template

    _org, _officer, process, client = setup
    tag = Template("{% load planning %}{% plan_summary process %}")
    assert tag.render(Context({"process": process})).strip() == ""  # no plan yet
    post_steps(client, process)
    assert tag.render(Context({"process": process})).strip() == ""  # draft: not shown
    client.post(f"/stab/sak/{process.pk}/plan/publiser/")
    html = tag.render(Context({"process": process}))
    assert 'id="plan-summary-heading"' in html
    assert f"/{process.municipality.slug}/{process.slug}/medverknadsplan/" in html
