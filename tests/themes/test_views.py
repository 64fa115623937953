"""The staff pages «Foreslå tema» and the theme list: who may open them, what they show,
and that accepting, renaming and merging through them work or say clearly why not."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.contributions.models import Theme
from medvirk.organisations.models import Role
from tests import factories
from tests.inbox.helpers import group
from tests.themes.conftest import planted_input

pytestmark = pytest.mark.django_db


def suggest_url(w: factories.World) -> str:
    return reverse("staff:theme_suggestions", kwargs={"pk": w.process.pk})


def list_url(w: factories.World) -> str:
    return reverse("staff:themes", kwargs={"pk": w.process.pk})


def _accept_fields(html: str, n: int) -> dict[str, object]:
    """Suggestion ``n``'s form as the browser would send it."""
    block = html.split(f'id="suggestion-{n}"', 1)[1].split("</li>\n  \n", 1)[0]
    ids = re.findall(rf'name="s{n}-ids" value="(\d+)"', block)
    name = re.search(rf'name="s{n}-name"[^>]*value="([^"]*)"', block)
    assert ids and name
    return {"which": str(n), f"s{n}-ids": ids, f"s{n}-name": name.group(1)}


@pytest.mark.parametrize("who", ["resident", "moderator", "other_officer"])
def test_only_the_municipalitys_answering_staff_see_the_pages(w: factories.World, who: str) -> None:
    client = Client()
    client.force_login(getattr(w, who))
    for url in (suggest_url(w), list_url(w)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"form": "merge"}).status_code == 404
    assert not Theme.objects.exists()


def test_anonymous_people_are_sent_to_log_in(w: factories.World) -> None:
    res = Client().get(suggest_url(w))
    assert res.status_code == 302
    assert "logg-inn" in res["Location"]


def test_the_suggestions_show_terms_sizes_and_examples(w: factories.World, officer: Client) -> None:
    by_topic = planted_input(w)
    res = officer.get(suggest_url(w))
    assert res.status_code == 200
    html = res.content.decode()
    assert "Suggest themes" in html
    assert 'id="suggestion-0"' in html
    assert "bygda" in html  # the closure topic's words label a suggestion
    # Three examples per suggestion, each a link to the input.
    first = html.split('id="suggestion-0"', 1)[1].split('id="suggestion-1"', 1)[0]
    assert len(re.findall(r'href="/stab/innspel/\d+/"', first)) == 3
    assert any(c.text[:40] in first for c in by_topic["closure"])
    assert res["Cache-Control"] == "private, no-store"


def test_too_little_text_says_so(w: factories.World, officer: Client) -> None:
    factories.contribution(w.method, text="Mugg")
    res = officer.get(suggest_url(w))
    assert res.status_code == 200
    assert "too little text" in res.content.decode()


def test_accept_makes_the_theme_and_a_second_accept_is_refused_clearly(
    w: factories.World, officer: Client
) -> None:
    planted_input(w)
    html = officer.get(suggest_url(w)).content.decode()
    fields = _accept_fields(html, 0)
    fields["s0-name"] = "Nedlegging av skulen"
    res = officer.post(suggest_url(w), fields)
    theme = Theme.objects.get(process=w.process)
    assert res.status_code == 302
    assert res["Location"] == reverse(
        "staff:theme", kwargs={"pk": w.process.pk, "theme_pk": theme.pk}
    )
    assert theme.name == "Nedlegging av skulen"
    assert theme.contributions.count() == len(fields["s0-ids"])  # type: ignore[arg-type]
    again = officer.post(suggest_url(w), fields)
    assert again.status_code == 409
    assert "already has a theme or group named" in again.content.decode()
    assert Theme.objects.filter(process=w.process).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"which": "x"},
        {"which": "0", "s0-name": "Tema"},
        {"which": "0", "s0-name": "", "s0-ids": ["1"]},
        {"which": "0", "s0-name": "Tema", "s0-ids": ["1; drop"]},
        {"which": "0", "s0-name": "x" * 500, "s0-ids": ["1"]},
    ],
)
def test_bad_accepts_are_400_and_change_nothing(
    w: factories.World, officer: Client, data: dict[str, object]
) -> None:
    res = officer.post(suggest_url(w), data)
    assert res.status_code == 400
    assert not Theme.objects.exists()


def test_accepting_input_of_another_case_makes_nothing(w: factories.World, officer: Client) -> None:
    other = factories.process(w.org)
    theirs = factories.contribution(factories.method(other, factories.phase(other)), text="Mugg")
    res = officer.post(suggest_url(w), {"which": "0", "s0-name": "Mugg", "s0-ids": [theirs.pk]})
    assert res.status_code == 400
    assert "None of the suggested input" in res.content.decode()
    assert not Theme.objects.exists()


def test_the_list_counts_per_method_and_channel_and_links_to_the_inputs(
    w: factories.World, officer: Client
) -> None:
    web = [factories.contribution(w.method, text=f"Fortau {i}") for i in range(3)]
    letter = factories.contribution(
        w.method, text="Brev om fortau", channel="letter", registered_by=w.officer
    )
    theme = group(w, "Fortau", *web, letter, kind="theme")
    res = officer.get(list_url(w))
    assert res.status_code == 200
    html = res.content.decode()
    assert "4 inputs" in html
    assert f"{w.method.title}: 4" in html
    assert "Web: 3" in html
    assert "Letter: 1" in html
    assert f"?vis=all&amp;tema={theme.pk}" in html
    assert reverse("staff:theme", kwargs={"pk": w.process.pk, "theme_pk": theme.pk}) in html
    # The inbox and the theme page link here.
    inbox = officer.get(reverse("staff:inbox", kwargs={"pk": w.process.pk})).content.decode()
    assert list_url(w) in inbox
    assert suggest_url(w) in inbox


def test_rename_and_merge_through_the_list(w: factories.World, officer: Client) -> None:
    a, b = (factories.contribution(w.method, text=t) for t in ("Fortau", "Gangfelt"))
    road = group(w, "Fortau", a, kind="theme")
    crossing = group(w, "Gangfelt", b, kind="theme")
    res = officer.post(
        list_url(w), {"form": "rename", "theme": road.pk, f"r{road.pk}-name": "Trygg skuleveg"}
    )
    assert res.status_code == 302
    road.refresh_from_db()
    assert road.name == "Trygg skuleveg"
    clash = officer.post(
        list_url(w), {"form": "rename", "theme": road.pk, f"r{road.pk}-name": "gangfelt"}
    )
    assert clash.status_code == 409
    res = officer.post(list_url(w), {"form": "merge", "source": crossing.pk, "target": road.pk})
    assert res.status_code == 302
    assert not Theme.objects.filter(pk=crossing.pk).exists()
    assert sorted(road.contributions.values_list("pk", flat=True)) == sorted([a.pk, b.pk])


@pytest.mark.parametrize(
    "data",
    [
        {"form": "nonsense"},
        {"form": "rename", "theme": "999999", "r999999-name": "X"},
        {"form": "rename", "theme": "abc"},
        {"form": "merge", "source": "1", "target": "1"},
        {"form": "merge", "source": "", "target": ""},
    ],
)
def test_bad_list_posts_are_refused_without_a_500(
    w: factories.World, officer: Client, data: dict[str, str]
) -> None:
    group(w, "Fortau", factories.contribution(w.method, text="Fortau"), kind="theme")
    res = officer.post(list_url(w), data)
    assert 400 <= res.status_code < 500
    assert Theme.objects.filter(process=w.process).count() == 1


def test_a_case_officer_of_the_case_sees_the_page_in_norwegian(w: factories.World) -> None:
    person = factories.staff(w.org, Role.CASE_OFFICER)
    client = Client(HTTP_ACCEPT_LANGUAGE="nn")
    client.force_login(person)
    assert client.get(list_url(w)).status_code == 200
