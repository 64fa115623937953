"""The plug-in contract, proved end to end with a method that lives only in its own folder.

``tests/contract/example_method`` (key ``example_idea``) is installed for these tests alone,
the way a real method is installed: one more line in ``INSTALLED_APPS``, its
``AppConfig.ready()`` registers the plug-in. Everything below — its page, sub-page, settings
in the staff editor, the inbox, the receipt, «Mine data», open data, the staff export and the
demo — is the core's own machinery working from the plug-in; no core file knows the example.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import checks, mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from medvirk.accountability.types import Response, ResponseStatus
from medvirk.contributions.actions import do_moderate
from medvirk.contributions.types import Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.demo.loader import load_demo
from medvirk.identity import personal_data
from medvirk.identity.queries import export_my_data
from medvirk.processes import registry
from medvirk.processes.actions import do_save_method
from medvirk.processes.exports import open_data_for
from medvirk.processes.types import MethodInstance
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for the browser test
from tests.browser.helpers import axe_check
from tests.contract import test_plugins as contract
from tests.contract.example_method import actions as idea_actions
from tests.contract.example_method.demo import IDEAS
from tests.contract.example_method.plugin import ExampleIdea

if TYPE_CHECKING:
    from playwright.sync_api import Page

APP = "tests.contract.example_method"
KEY = "example_idea"
EN = {"Accept-Language": "en"}  # assert the msgids, whatever the catalogues hold
DAY = dt.timedelta(days=1)


@contextmanager
def example_installed() -> Iterator[ExampleIdea]:
    """Install the example app as a deployment would; take it out again afterwards.

    Django reruns every ``ready()`` when ``INSTALLED_APPS`` changes (the shipped methods
    register again, which the registry tolerates); leaving the override restores the app
    registry but not the method registry, hence the ``unregister``.
    """
    try:
        with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, APP]):
            plugin = registry.get(KEY)
            assert isinstance(plugin, ExampleIdea)
            yield plugin
    finally:
        registry.unregister(KEY)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted as their msgids; the default language (nb) may translate them."""
    with translation.override("en"):
        yield


@pytest.fixture
def example() -> Iterator[ExampleIdea]:
    with example_installed() as plugin:
        yield plugin


@pytest.fixture
def w(db: None, example: ExampleIdea) -> factories.World:
    return factories.world()


def ideas(
    w: factories.World, *, slug: str = "idear", settings: dict[str, Any] | None = None
) -> MethodInstance:
    """A published idea instance in the world's running phase."""
    return factories.method(
        w.process, w.phase, key=KEY, slug=slug, title="Idear", settings=settings
    )


def post_idea(client: Client, instance: MethodInstance, text: str, email: str = "") -> Any:
    return client.post(
        instance.get_absolute_url(), {"text": text, "contact_email": email}, headers=EN
    )


def texts(instance: MethodInstance) -> list[str]:
    return list(
        Contribution.objects.filter(method_instance=instance).values_list("text", flat=True)
    )


# -- registration and the contract --------------------------------------------------------


def test_installing_registers_it_and_taking_it_out_leaves_nothing_behind() -> None:
    sections_before = {s.key for s in personal_data.sections()}
    assert KEY not in {p.key for p in registry.all_plugins()}
    with example_installed() as plugin:
        assert apps.is_installed(APP)
        assert registry.get(KEY) is plugin
        assert KEY in dict(registry.choices())  # the staff's "add a method" list
        # The shipped methods registered again on the rerun ready() and are still there.
        assert {"information", "survey"} <= {p.key for p in registry.all_plugins()}
    assert not apps.is_installed(APP)
    assert KEY not in {p.key for p in registry.all_plugins()}
    assert {s.key for s in personal_data.sections()} == sections_before


def test_it_has_no_problems_and_the_system_check_is_clean(example: ExampleIdea) -> None:
    assert registry.problems(example) == []
    e001 = [m.msg for m in checks.run_checks() if m.id == "medvirk.E001"]
    assert not [m for m in e001 if KEY in m], e001


def test_it_passes_the_checks_every_shipped_method_passes(example: ExampleIdea) -> None:
    # The same functions tests/contract/test_plugins.py runs over the shipped methods.
    contract.test_default_settings_validate_and_are_stable(example)
    contract.test_unknown_and_wrongly_typed_settings_are_refused(example)
    contract.test_names_labels_and_settings_are_translatable(example)


@pytest.mark.django_db
def test_its_form_page_and_unknown_subpaths_pass_the_web_contract(
    example: ExampleIdea, client: Client
) -> None:
    contract.test_every_contributing_action_has_a_reachable_form(example, client)
    contract.test_method_page_renders_for_a_published_instance(example, client)
    contract.test_unknown_subpaths_of_an_instance_are_not_found(example, client)


def test_its_settings_have_defaults_and_a_clear_message_for_a_bad_length(
    example: ExampleIdea,
) -> None:
    assert example.default_settings() == {"show_ideas": True, "max_length": 500}
    for bad in (49, 2001, "many"):
        with pytest.raises(registry.SettingsInvalid) as caught:
            example.validate_settings({"max_length": bad})
        assert caught.value.messages == [
            "Longest idea, in characters: Write a whole number from 50 to 2000."
        ]
    assert example.validate_settings({"max_length": 2000, "show_ideas": False}) == {
        "show_ideas": False,
        "max_length": 2000,
    }


# -- a resident hands in an idea -----------------------------------------------------------


def test_an_anonymous_idea_becomes_a_contribution_with_a_receipt(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w)
    shown = client.get(instance.get_absolute_url(), headers=EN)
    assert shown.status_code == 200
    assert shown.templates[0].name == "example_method/page.html"
    html = shown.content.decode()
    assert 'name="text"' in html and 'maxlength="500"' in html
    assert "No ideas yet" in html

    response = post_idea(client, instance, "  Benkar langs skulevegen.  ", "kari@example.org")
    assert response.status_code == 302
    idea = Contribution.objects.get(method_instance=instance)
    [kind] = registry.get(KEY).contribution_kinds
    assert idea.kind == kind.key == "idea"
    assert idea.text == "Benkar langs skulevegen."
    assert idea.author is None
    assert idea.contact_email == "kari@example.org"
    assert idea.moderation == ModerationState.PUBLISHED
    assert response["Location"] == idea.receipt_url()

    receipt = client.get(response["Location"], headers=EN)
    assert receipt.status_code == 200
    assert "Benkar langs skulevegen." in receipt.content.decode()
    assert "Your idea is registered" in receipt.content.decode()
    assert "Benkar langs skulevegen." in client.get(instance.get_absolute_url()).content.decode()


def test_a_too_long_or_empty_idea_is_refused_with_a_message(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w, settings={"max_length": 50})
    response = post_idea(client, instance, "x" * 51)
    assert response.status_code == 400
    assert "At most 50 characters (you wrote 51)." in response.content.decode()
    assert post_idea(client, instance, "   ").status_code == 400
    assert texts(instance) == []
    # The action holds the limit for every way in, not only the form.
    with pytest.raises(ActionRefused, match="At most 50"):
        idea_actions.do_submit_idea(AnonymousUser(), instance, "y" * 51)


def test_a_closed_phase_takes_no_ideas(w: factories.World, client: Client) -> None:
    now = timezone.now()
    past = factories.phase(w.process, start=now - 40 * DAY, end=now - 20 * DAY)
    instance = factories.method(w.process, past, key=KEY, slug="gamle-idear")
    shown = client.get(instance.get_absolute_url(), headers=EN)
    assert shown.status_code == 200
    assert 'name="text"' not in shown.content.decode()
    assert "closed" in shown.content.decode()
    assert post_idea(client, instance, "For seint.").status_code == 403
    assert texts(instance) == []


# -- addresses: two instances, and the survey's resultat/ ----------------------------------


def test_two_instances_in_two_phases_keep_their_own_ideas_and_results(
    w: factories.World, client: Client
) -> None:
    later = factories.phase(w.process)  # starts when the running one ends; ideas open before
    first = ideas(w, slug="idear-no")
    second = factories.method(w.process, later, key=KEY, slug="idear-seinare", title="Seinare")
    survey = factories.method(
        w.process, w.phase, key="survey", slug="sporjing", settings={"results_public": True}
    )
    assert first.get_absolute_url() != second.get_absolute_url()
    assert post_idea(client, first, "Gapahuk ved fotballbana.").status_code == 302
    assert post_idea(client, second, "Lys på turstien.").status_code == 302
    assert texts(first) == ["Gapahuk ved fotballbana."]
    assert texts(second) == ["Lys på turstien."]

    for mine, theirs in ((first, "Lys på turstien."), (second, "Gapahuk ved fotballbana.")):
        [own] = texts(mine)
        for url in (mine.get_absolute_url(), mine.get_absolute_url() + "resultat/"):
            html = client.get(url).content.decode()
            assert own in html and theirs not in html, url

    # Same sub-path, three instances, two methods: each reaches its own view.
    plugin = registry.get(KEY)
    assert plugin.url(first, "results") == first.get_absolute_url() + "resultat/"
    survey_results = client.get(registry.get("survey").url(survey, "results"))
    assert survey_results.status_code == 200
    assert "survey/results.html" in [t.name for t in survey_results.templates]
    assert "example_method/results.html" not in [t.name for t in survey_results.templates]
    for instance in (first, second):
        ours = client.get(plugin.url(instance, "results"))
        assert ours.status_code == 200
        assert "example_method/results.html" in [t.name for t in ours.templates]
        assert "survey/results.html" not in [t.name for t in ours.templates]


def test_no_instance_can_take_an_address_the_core_serves_itself(
    w: factories.World, client: Client
) -> None:
    # The core's own pages beside the instances (public/urls.py, planning/urls.py).
    for slug in ("innspel", "folg", "medverknadsplan", "opne-data"):
        try:
            instance = factories.method(w.process, w.phase, key=KEY, slug=slug)
        except ActionRefused:
            continue  # refused with a message: the address stays the core's
        shown = client.get(instance.get_absolute_url())
        assert "example_method/page.html" in [t.name for t in shown.templates], slug


def test_hidden_ideas_close_the_results_page(w: factories.World, client: Client) -> None:
    instance = ideas(w, settings={"show_ideas": False})
    assert post_idea(client, instance, "Ein skulehage.").status_code == 302
    assert "Ein skulehage." not in client.get(instance.get_absolute_url()).content.decode()
    assert client.get(instance.get_absolute_url() + "resultat/").status_code == 404


# -- staff: settings, a new instance, answering ---------------------------------------------


def _method_form(instance: MethodInstance | None, phase_pk: int, **values: str) -> dict[str, str]:
    data = {
        "phase": str(phase_pk),
        "title": instance.title if instance else "Nye idear",
        "slug": instance.slug if instance else "nye-idear",
        "description": "",
        "min_level": "",
        "is_published": "on",
        # The per-phase box as the page shows it (ticked): a browser sends it.
        f"phase-{phase_pk}-takes_ideas": "on",
    }
    data.update({f"settings-{name}": value for name, value in values.items()})
    return data


def test_staff_edit_its_settings_and_a_bad_number_changes_nothing(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w)
    client.force_login(w.officer)
    url = reverse("staff:method_edit", kwargs={"pk": w.process.pk, "method_pk": instance.pk})
    form = client.get(url, headers=EN)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="settings-max_length"' in html and 'name="settings-show_ideas"' in html

    for bad in ("10", "5000", "mange"):
        data = _method_form(instance, w.phase.pk, show_ideas="on", max_length=bad)
        response = client.post(url, data, headers=EN)
        assert response.status_code == 400, bad
        assert "Write a whole number from 50 to 2000." in response.content.decode()
        instance.refresh_from_db()
        assert instance.settings == {"show_ideas": True, "max_length": 500}

    # A checkbox left out is "off"; the number is stored as a number.
    response = client.post(url, _method_form(instance, w.phase.pk, max_length="60"), headers=EN)
    assert response.status_code == 302
    instance.refresh_from_db()
    assert instance.settings == {"show_ideas": False, "max_length": 60}
    # And the resident's form now holds the new limit.
    client.logout()
    assert 'maxlength="60"' in client.get(instance.get_absolute_url()).content.decode()
    assert post_idea(client, instance, "z" * 61).status_code == 400


def test_staff_set_a_setting_per_phase_and_residents_meet_it(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w)
    later = factories.phase(w.process, start=w.phase.end, end=w.phase.end + 30 * DAY)
    client.force_login(w.officer)
    url = reverse("staff:method_edit", kwargs={"pk": w.process.pk, "method_pk": instance.pk})
    html = client.get(url, headers=EN).content.decode()
    for phase in (w.phase, later):  # one fieldset per phase of the case
        assert f'name="phase-{phase.pk}-takes_ideas"' in html
    data = _method_form(instance, w.phase.pk, show_ideas="on", max_length="500")
    data[f"phase-{later.pk}-takes_ideas"] = "on"
    del data[f"phase-{w.phase.pk}-takes_ideas"]  # the running phase's box left off
    assert client.post(url, data).status_code == 302
    instance.refresh_from_db()
    assert instance.phase_settings == {
        str(w.phase.pk): {"takes_ideas": False},
        str(later.pk): {"takes_ideas": True},
    }
    client.logout()
    refused = post_idea(client, instance, "Ein benk.")
    assert refused.status_code == 403
    assert "does not take new ideas in this phase" in refused.content.decode()
    assert texts(instance) == []


def test_per_phase_settings_of_another_case_or_garbage_are_refused(w: factories.World) -> None:
    instance = ideas(w)
    foreign = factories.phase(factories.process(w.org))

    def save(phase_settings: dict[str, Any]) -> None:
        do_save_method(
            w.officer,
            w.process,
            phase=w.phase,
            method_key=KEY,
            slug=instance.slug,
            title=instance.title,
            raw_settings=instance.settings,
            phase_settings=phase_settings,
            is_published=True,
            instance=instance,
        )

    with translation.override("en"):
        with pytest.raises(ActionRefused, match="belongs to another case"):
            save({str(foreign.pk): {"takes_ideas": False}})
        with pytest.raises(ActionRefused, match="Must be yes or no"):
            save({str(w.phase.pk): {"takes_ideas": "no thanks"}})
        with pytest.raises(ActionRefused, match="Unknown settings"):
            save({str(w.phase.pk): {"colour": "red"}})
    instance.refresh_from_db()
    assert instance.phase_settings == {}


def test_staff_add_an_instance_through_the_method_chooser(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    url = reverse("staff:method_new", kwargs={"pk": w.process.pk})
    chooser = client.get(url)
    assert f"?metode={KEY}" in chooser.content.decode()
    form = client.get(f"{url}?metode={KEY}", headers=EN)
    assert form.status_code == 200
    assert 'name="settings-max_length"' in form.content.decode()

    data = _method_form(None, w.phase.pk, show_ideas="on", max_length="300")
    response = client.post(f"{url}?metode={KEY}", data)
    assert response.status_code == 302
    instance = MethodInstance.objects.get(process=w.process, slug="nye-idear")
    assert instance.method_key == KEY
    assert instance.settings == {"show_ideas": True, "max_length": 300}
    assert instance.is_published
    assert client.get(instance.get_absolute_url()).status_code == 200


def test_an_idea_answered_in_the_inbox_shows_its_answer_on_the_receipt(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    instance = ideas(w)
    receipt_url = post_idea(client, instance, "Sykkelparkering med tak.", "ola@example.org")[
        "Location"
    ]
    idea = Contribution.objects.get(method_instance=instance)

    staff_client = Client()
    staff_client.force_login(w.officer)
    inbox = staff_client.get(reverse("staff:inbox", kwargs={"pk": w.process.pk}))
    assert "Sykkelparkering med tak." in inbox.content.decode()
    reason = "Vi set opp sykkelparkering med tak til hausten."
    with django_capture_on_commit_callbacks(execute=True):
        answered = staff_client.post(
            reverse("staff:contribution", kwargs={"pk": idea.pk}),
            {"form": "respond", "version": "0", "status": ResponseStatus.ADOPTED, "reason": reason},
        )
    assert answered.status_code == 302
    assert Response.objects.get(contribution=idea).status == ResponseStatus.ADOPTED

    receipt = client.get(receipt_url)
    assert reason in receipt.content.decode()
    assert reason in client.get(instance.get_absolute_url() + "resultat/").content.decode()
    [email] = mail.outbox
    assert email.to == ["ola@example.org"]
    assert receipt_url in email.body


def test_a_logged_in_residents_idea_is_in_their_own_data(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w)
    post_idea(client, instance, "Anonym idé.")
    client.force_login(w.resident)
    assert post_idea(client, instance, "Klatrevegg i gymsalen.").status_code == 302

    mine = export_my_data(w.resident)["contributions"]
    assert [(c["kind"], c["text"], c["method"]) for c in mine] == [
        ("idea", "Klatrevegg i gymsalen.", "Idear")
    ]
    download = client.get(reverse("identity:my_data"))
    assert download.status_code == 200
    assert "Klatrevegg i gymsalen." in download.content.decode()
    assert "Anonym idé." not in download.content.decode()


# -- exports -----------------------------------------------------------------------------


def test_its_public_export_is_open_data_without_names_or_hidden_ideas(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w)
    plugin = registry.get(KEY)
    client.force_login(w.resident)
    post_idea(client, instance, "Ein skulehage.", "hage@example.org")
    client.logout()
    post_idea(client, instance, "=HYPERLINK(A1)")
    post_idea(client, instance, "Noko stygt.")
    do_moderate(
        w.moderator,
        Contribution.objects.get(text="Noko stygt."),
        ModerationState.REJECTED,
    )
    public_url = plugin.export_url(instance, "idear-csv")
    staff_url = plugin.export_url(instance, "alle-idear-csv")

    listing = client.get(reverse("public:open_data", args=[w.org.slug, w.process.slug]))
    assert listing.status_code == 200
    assert public_url in listing.content.decode()
    assert staff_url not in listing.content.decode()

    download = client.get(public_url, headers=EN)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    # Text and day only: the rejected idea, the author and the e-mail are not in it, and a
    # cell a spreadsheet would run as a formula is quoted.
    assert rows[0] == ["Idea", "Date"]
    assert sorted(r[0] for r in rows[1:]) == ["'=HYPERLINK(A1)", "Ein skulehage."]
    assert all(len(r) == 2 for r in rows)
    assert "hage@example.org" not in body and w.resident.username not in body

    # An instance whose ideas are not shown publicly offers no open data.
    hidden = factories.method(
        w.process, w.phase, key=KEY, slug="stille", settings={"show_ideas": False}
    )
    hidden_url = plugin.export_url(hidden, "idear-csv")
    listing = client.get(reverse("public:open_data", args=[w.org.slug, w.process.slug]))
    assert hidden_url not in listing.content.decode()
    assert [r.instance.slug for r in open_data_for(w.process)] == [instance.slug]
    assert client.get(hidden_url).status_code == 404


def test_its_staff_export_needs_the_export_capability_and_is_on_the_staff_page(
    w: factories.World, client: Client
) -> None:
    instance = ideas(w)
    post_idea(client, instance, "Benkar.", "benk@example.org")
    staff_url = registry.get(KEY).export_url(instance, "alle-idear-csv")

    anonymous = client.get(staff_url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("identity:login") + "?next=")
    for outsider in (w.resident, w.other_officer):
        client.force_login(outsider)
        refused = client.get(staff_url)
        assert refused.status_code in {403, 404}  # the core refuses; the file is not served
        assert "Benkar." not in refused.content.decode()
    client.force_login(w.moderator)
    assert client.get(staff_url).status_code == 200  # moderators may export too

    client.force_login(w.officer)
    download = client.get(staff_url)
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "Benkar." in body
    assert "benk@example.org" not in body

    staff_page = client.get(reverse("staff:process", kwargs={"pk": w.process.pk}))
    assert staff_url in staff_page.content.decode()
    assert registry.get(KEY).export_url(instance, "idear-csv") in staff_page.content.decode()


# -- the demo -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_loader_creates_and_seeds_it(example: ExampleIdea) -> None:
    assert load_demo()
    instance = MethodInstance.objects.get(method_key=KEY)
    assert example.demo is not None
    assert (instance.slug, instance.title) == (example.demo.slug, example.demo.title)
    assert instance.is_published
    assert instance.phase.kind == example.demo.phase_kind
    assert sorted(texts(instance)) == sorted(IDEAS)


# -- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_its_pages_pass_axe_and_work_as_plain_forms(
    page: Page,  # noqa: F811
    example: ExampleIdea,
) -> None:
    world = factories.world()
    instance = ideas(world)
    page.goto(instance.get_absolute_url())
    axe_check(page)
    page.locator("main form button[type=submit]").click()  # empty: the error summary shows
    assert page.locator(".ds-error-summary").is_visible()
    axe_check(page)
    page.get_by_label("Your idea").fill("Ein gapahuk ved fotballbana.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/kvittering/**")
    assert "Ein gapahuk ved fotballbana." in page.content()
    axe_check(page)
    page.goto(instance.get_absolute_url() + "resultat/")
    assert "Ein gapahuk ved fotballbana." in page.content()
    axe_check(page)
    errors = page.console_errors  # type: ignore[attr-defined]
    assert [e for e in errors if "status of 400" not in e] == []  # only the empty form's 400
