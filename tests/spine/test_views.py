from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medvirk.accountability.actions import do_respond
from medvirk.accountability.inbox import do_add_to_theme
from medvirk.accountability.models import Response, ResponseStatus
from medvirk.processes.models import MethodInstance, ProcessStatus
from tests import factories


def fill(w: factories.World, n: int) -> list[int]:
    ids = []
    for i in range(n):
        ids.append(
            factories.contribution(
                w.method, text=f"Innspel {i}", author_name=f"P{i}", show_name=i % 2 == 0
            ).pk
        )
    do_respond(w.officer, w.process, ids[: n // 2], ResponseStatus.ADOPTED, "Ja")
    return ids


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["detail", "contributions"])
def test_public_pages_make_bounded_queries(w: factories.World, client: Client, page: str) -> None:
    url = reverse(f"public:{page}", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    fill(w, 10)
    small = count_queries(client, url)
    fill(w, 990)
    large = count_queries(client, url)
    assert large == small, f"{page}: {small} queries at 10 rows, {large} at 1000"


def test_staff_inbox_makes_bounded_queries(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    url = reverse("staff:inbox", kwargs={"pk": w.process.pk}) + "?vis=all"
    fill(w, 10)
    small = count_queries(client, url)
    fill(w, 990)
    assert count_queries(client, url) == small


def test_process_page_shows_what_is_open(w: factories.World, client: Client) -> None:
    page = client.get(w.process.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert w.process.open_to_influence in body
    assert reverse("public:accessibility") in body
    assert reverse("public:privacy") in body


def test_draft_process_is_hidden_from_public_but_not_staff(
    w: factories.World, client: Client
) -> None:
    w.process.status = ProcessStatus.DRAFT
    w.process.save()
    assert client.get(w.process.get_absolute_url()).status_code == 404
    client.force_login(w.officer)
    assert client.get(w.process.get_absolute_url()).status_code == 200


def test_unknown_pages_are_404_not_500(w: factories.World, client: Client) -> None:
    for url in [
        f"/{w.org.slug}/finst-ikkje/",
        f"/{w.other_org.slug}/{w.process.slug}/",  # the right slug under another municipality
        f"/{w.org.slug}/{w.process.slug}/finst-ikkje/",
        "/kvittering/999999/abc/",
    ]:
        assert client.get(url).status_code == 404, url
    # Staff pages ask who you are first, then say "not found" to staff.
    assert client.get("/stab/sak/999999/").status_code == 302
    client.force_login(w.officer)
    assert client.get("/stab/sak/999999/").status_code == 404


def test_staff_answer_a_group_via_the_form(w: factories.World, client: Client) -> None:
    ids = fill(w, 4)
    unanswered = ids[2:]
    group = do_add_to_theme(w.officer, w.process, unanswered, new_name="Like", kind="duplicates")
    client.force_login(w.officer)
    url = reverse("staff:theme", kwargs={"pk": w.process.pk, "theme_pk": group.pk})
    answer = {"form": "answer", "status": "partly_adopted", "reason": "Delvis."}
    versions = {f"version-{i}": "0" for i in unanswered}
    assert client.post(url, answer | {"then": "preview"}).status_code == 200
    res = client.post(url, answer | versions | {"then": "send", "ids": unanswered})
    assert res.status_code == 302
    assert Response.objects.filter(status="partly_adopted").count() == 2


def test_forged_ids_in_bulk_form_write_nothing(w: factories.World, client: Client) -> None:
    ids = fill(w, 2)
    other = factories.process(w.other_org)
    foreign = factories.contribution(factories.method(other, factories.phase(other)), text="x").pk
    client.force_login(w.officer)
    url = reverse("staff:inbox", kwargs={"pk": w.process.pk})
    for forged in ([ids[1], foreign], [ids[1], "abc"]):
        res = client.post(
            url,
            {"ids": forged, "action": "add", "new_name": "Tema"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert res.status_code == 400
        assert "Nothing was changed" in res.content.decode()
    assert not w.process.themes.exists()


def test_staff_of_another_municipality_gets_404(w: factories.World, client: Client) -> None:
    client.force_login(w.other_officer)
    for name in ("process", "inbox", "moderation", "decisions", "offline", "process_edit"):
        assert client.get(reverse(f"staff:{name}", kwargs={"pk": w.process.pk})).status_code == 404
    c = factories.contribution(w.method)
    assert client.get(reverse("staff:contribution", kwargs={"pk": c.pk})).status_code == 404


def test_process_editor_bad_input_is_explained(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    url = reverse("staff:process_edit", kwargs={"pk": w.process.pk})
    res = client.post(
        url,
        {"title": "", "summary": "x" * 2000, "status": "nonsense"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert res.status_code == 400
    html = res.content.decode()
    assert "ds-error-summary" in html
    assert "Title: This field is required." in html
    assert "at most 1000 characters (it has 2000)" in html
    assert "nonsense is not one of the available choices" in html
    w.process.refresh_from_db()
    assert w.process.title.startswith("Sak")


def test_method_editor_chooses_a_method_then_takes_its_settings_form(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    url = reverse("staff:method_new", kwargs={"pk": w.process.pk})
    chooser = client.get(url).content.decode()
    assert "?metode=information" in chooser and "?metode=survey" in chooser
    assert client.get(url + "?metode=no_such_method").status_code == 404
    form = client.get(url + "?metode=information").content.decode()
    assert 'name="settings-allow_questions"' in form
    assert "settings_json" not in form


def test_method_editor_refuses_bad_input_and_changes_nothing(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    url = reverse("staff:method_new", kwargs={"pk": w.process.pk}) + "?metode=information"
    other_phase = factories.phase(factories.process(w.org))
    base = {"phase": w.phase.pk, "title": "Spør oss", "slug": "spor"}
    before = MethodInstance.objects.count()
    res = client.post(url, base | {"title": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 400
    assert "This field is required" in res.content.decode()
    res = client.post(url, base | {"phase": other_phase.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 400
    assert "Select a valid choice" in res.content.decode()
    res = client.post(url, base | {"slug": "innspel"}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 400
    assert "reserved" in res.content.decode()
    assert MethodInstance.objects.count() == before
    res = client.post(url, base | {"is_published": "on"})  # questions switched off
    assert res.status_code == 302
    created = MethodInstance.objects.get(process=w.process, slug="spor")
    assert created.settings == {"allow_questions": False}
    assert created.is_published


def test_public_input_list_leaves_out_input_to_an_unpublished_method(
    w: factories.World, client: Client
) -> None:
    shown = factories.contribution(w.method, text="Synleg innspel om skulevegen")
    hidden_method = factories.method(w.process, w.phase, published=True, title="Seinare trekt")
    factories.contribution(hidden_method, text="Innspel til ein metode som vart trekt")
    hidden_method.is_published = False
    hidden_method.save(update_fields=["is_published"])
    url = f"/{w.org.slug}/{w.process.slug}/innspel/"
    body = client.get(url).content.decode()
    assert shown.text in body
    assert "Innspel til ein metode som vart trekt" not in body
