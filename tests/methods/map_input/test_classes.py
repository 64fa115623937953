"""Class mode: a teacher (staff, or a teacher's link) gets a code for a class; pupils join with
the code, school and grade (no names, no accounts); their marks carry school and grade; a
closed code is refused; guessing codes is limited; staff see and close the codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.core.audit import AuditEntry
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.map_input import codes, links, staff_actions
from medvirk.methods.map_input.models import SchoolClass, TeacherLink
from medvirk.organisations.models import Municipality
from tests import factories
from tests.methods.map_input.conftest import (
    EN,
    Map,
    add_places,
    join,
    make_class,
    make_map,
    point,
)

pytestmark = pytest.mark.django_db

CROSSING = "dangerous_crossing:point"


def test_codes_are_short_unambiguous_and_forgiving_to_type() -> None:
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == 6
        assert not set(code) & set("0O1IL")
    assert codes.normalise(" abc-def ".replace("a", "k")) == "KBCDEF"
    assert codes.normalise("KBC DEF") == "KBCDEF"
    assert codes.normalise("KBC-DE0") == ""  # a zero is never in a code
    assert codes.normalise("KBCDE") == ""
    assert codes.shown("KBCDEF") == "KBC-DEF"


def test_a_pupil_joins_and_marks_carry_school_and_grade(client: Client, class_map: Map) -> None:
    school_class = make_class(class_map.instance, grade=4, label="A")
    response = join(client, class_map, school_class, code=codes.shown(school_class.code).lower())
    assert response.status_code == 302
    page = client.get(class_map.url()).content.decode()
    assert 'id="class-banner"' in page
    assert 'name="contact_email"' not in page  # pupils give no e-mail
    response = client.post(
        class_map.url(),
        {"category": CROSSING, "geometry": point(5.0657, 61.3457), "comment": "Farleg"},
    )
    assert response.status_code == 302
    stored = Contribution.objects.get()
    assert stored.data["school"] == "Lillevik skule"
    assert stored.data["grade"] == 4
    assert stored.author is None and stored.author_name == "" and stored.contact_email == ""
    school_class.refresh_from_db()
    assert school_class.joined == 1


def test_the_list_alternative_carries_the_class_too(client: Client, class_map: Map) -> None:
    places = add_places(class_map.instance)
    school_class = make_class(class_map.instance, grade=7, label="B")
    join(client, class_map, school_class)
    client.post(
        class_map.url("list"),
        {"category": CROSSING, "places": str(places["Krysset ved butikken"].pk)},
    )
    assert Contribution.objects.get().data["grade"] == 7


def test_a_wrong_school_or_grade_is_a_wrong_code(client: Client, class_map: Map) -> None:
    school_class = make_class(class_map.instance, grade=4)
    make_class(class_map.instance, school="Nordvik skule", grade=4)
    for override in ({"grade": 5}, {"school": "Nordvik skule"}, {"code": "KKKKKK"}):
        response = join(client, class_map, school_class, **override)
        assert response.status_code == 400
        assert "We found no class with this code" in response.content.decode()
    assert client.get(class_map.url()).content.decode().count('id="class-banner"') == 0


def test_a_closed_code_is_refused_for_joining_and_for_marking(
    client: Client, class_map: Map
) -> None:
    school_class = make_class(class_map.instance)
    join(client, class_map, school_class)
    staff_actions.do_set_class_open(None, school_class, open_=False)
    response = client.post(
        class_map.url(), {"category": CROSSING, "geometry": point(5.0657, 61.3457)}
    )
    assert response.status_code == 403
    assert "Your class&#x27;s code is closed" in response.content.decode()
    assert Contribution.objects.count() == 0
    response = join(Client(**EN), class_map, school_class)
    assert response.status_code == 403
    assert "This class code is closed" in response.content.decode()
    # Opened again, the class marks again.
    staff_actions.do_set_class_open(None, school_class, open_=True)
    response = client.post(
        class_map.url(), {"category": CROSSING, "geometry": point(5.0657, 61.3457)}
    )
    assert response.status_code == 302


def test_guessing_codes_is_rate_limited(client: Client, class_map: Map, settings: Any) -> None:
    settings.MEDVIRK_MAP_LIMITS = {"join_failures": "3/10m"}
    school_class = make_class(class_map.instance)
    for _ in range(3):
        assert join(client, class_map, school_class, code="KKKKKK").status_code == 400
    response = join(client, class_map, school_class)  # now even the right code waits
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Too many wrong codes" in response.content.decode()


def test_a_whole_class_joins_from_one_address(
    client: Client, class_map: Map, settings: Any
) -> None:
    settings.MEDVIRK_MAP_LIMITS = {"join_failures": "3/10m"}
    school_class = make_class(class_map.instance)
    for _ in range(25):  # only failures count
        assert join(Client(**EN), class_map, school_class).status_code == 302
    school_class.refresh_from_db()
    assert school_class.joined == 25


def test_pupils_are_limited_each_not_by_the_schools_address(class_map: Map, settings: Any) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "1/10m"}
    settings.MEDVIRK_MAP_LIMITS = {"pupil_marks": "2/10m"}
    school_class = make_class(class_map.instance)
    pupils = [Client(**EN), Client(**EN)]
    for pupil in pupils:
        join(pupil, class_map, school_class)
    data = {"category": CROSSING, "geometry": point(5.0657, 61.3457)}
    for pupil in pupils:  # more than the per-address limit of 1, from one address
        assert pupil.post(class_map.url(), data).status_code == 302
        assert pupil.post(class_map.url(), data).status_code == 302
    assert pupils[0].post(class_map.url(), data).status_code == 429
    assert Contribution.objects.count() == 4


def test_only_classes_refuses_a_resident_without_a_code(client: Client, org: Municipality) -> None:
    m = make_map(org, {"participants": "classes"})
    page = client.get(m.url()).content.decode()
    assert 'id="refusal"' in page and m.url("join") in page
    response = client.post(m.url(), {"category": CROSSING, "geometry": point(5.0657, 61.3457)})
    assert response.status_code == 403
    assert Contribution.objects.count() == 0


def test_without_class_mode_there_is_no_join_page(client: Client, the_map: Map) -> None:
    assert client.get(the_map.url("join")).status_code == 404
    with pytest.raises(ActionRefused):
        make_class(the_map.instance)


def test_leaving_forgets_the_class_and_the_receipts(client: Client, class_map: Map) -> None:
    school_class = make_class(class_map.instance)
    join(client, class_map, school_class)
    client.post(class_map.url(), {"category": CROSSING, "geometry": point(5.0657, 61.3457)})
    assert 'id="your-marks"' in client.get(class_map.url()).content.decode()
    assert client.post(class_map.url("leave")).status_code == 302
    page = client.get(class_map.url()).content.decode()
    assert 'id="class-banner"' not in page and 'id="your-marks"' not in page


# -- staff and teachers ---------------------------------------------------------------------


def test_staff_make_and_close_codes(staff_client: Client, class_map: Map, officer: User) -> None:
    url = class_map.url("staff_classes")
    response = staff_client.post(
        url,
        {
            "action": "create",
            "klasse-school": "Lillevik skule",
            "klasse-grade": "4",
            "klasse-label": "a",
        },
    )
    assert response.status_code == 302
    made = SchoolClass.objects.get()
    assert (made.school, made.grade, made.label) == ("Lillevik skule", 4, "A")
    page = staff_client.get(url).content.decode()
    assert codes.shown(made.code) in page
    # The same class again: refused, with its code.
    again = staff_client.post(
        url,
        {
            "action": "create",
            "klasse-school": "Lillevik skule",
            "klasse-grade": "4",
            "klasse-label": "A",
        },
    )
    assert again.status_code == 409
    assert codes.shown(made.code) in again.content.decode()
    staff_client.post(url, {"action": "close", "class": made.pk})
    made.refresh_from_db()
    assert not made.is_open
    entries = list(AuditEntry.objects.filter(action__startswith="map_input.class").order_by("seq"))
    assert [e.action for e in entries] == ["map_input.class_created", "map_input.class_closed"]
    assert entries[0].actor_id == officer.pk


def test_the_staff_pages_are_for_staff(client: Client, class_map: Map, org: Municipality) -> None:
    for name in ("staff_classes", "staff_places", "staff_results"):
        assert client.get(class_map.url(name)).status_code == 302  # to the login page
    resident = Client(**EN)
    resident.force_login(factories.user())
    assert resident.get(class_map.url("staff_classes")).status_code == 403
    other = factories.municipality("Nordvik")
    stranger = Client(**EN)
    stranger.force_login(factories.staff(other))
    response = stranger.post(
        class_map.url("staff_classes"),
        {"action": "create", "klasse-school": "X", "klasse-grade": "4"},
    )
    assert response.status_code == 403
    assert SchoolClass.objects.count() == 0


def test_a_teachers_link_makes_codes_for_its_school_only(
    staff_client: Client, class_map: Map
) -> None:
    staff_client.post(
        class_map.url("staff_classes"), {"action": "link", "lenkje-school": "Nordvik skule"}
    )
    link = TeacherLink.objects.get()
    path = links.path(class_map.instance, link)
    teacher = Client(**EN)
    page = teacher.get(path)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    response = teacher.post(
        path,
        {"action": "create", "klasse-grade": "7", "klasse-label": "b", "klasse-school": "Other"},
    )
    assert response.status_code == 302
    made = SchoolClass.objects.get()
    assert (made.school, made.grade, made.label, made.teacher_link) == (
        "Nordvik skule",
        7,
        "B",
        link,
    )
    assert codes.shown(made.code) in teacher.get(path).content.decode()
    teacher.post(path, {"action": "close", "class": made.pk})
    made.refresh_from_db()
    assert not made.is_open
    entry = AuditEntry.objects.filter(action="map_input.class_closed").get()
    assert entry.data["by"] == "teacher_link"
    # A class the link did not make is not the teacher's to close.
    other = make_class(class_map.instance)
    assert teacher.post(path, {"action": "close", "class": other.pk}).status_code == 404
    # A wrong token, and a stopped link, open nothing.
    assert teacher.get(path[:-3] + "xyz/").status_code == 404
    staff_client.post(class_map.url("staff_classes"), {"action": "revoke", "link": link.pk})
    assert teacher.get(path).status_code == 404
    made.refresh_from_db()
    assert made.code  # the codes made with it keep working


def test_staff_see_results_per_school_and_grade(staff_client: Client, class_map: Map) -> None:
    fourth = make_class(class_map.instance, grade=4)
    seventh = make_class(class_map.instance, grade=7, label="B")
    for school_class, n in ((fourth, 3), (seventh, 6)):
        pupil = Client(**EN)
        join(pupil, class_map, school_class)
        for i in range(n):
            pupil.post(
                class_map.url(),
                {"category": CROSSING, "geometry": point(5.0657 + i / 10000, 61.3457)},
            )
    html = staff_client.get(class_map.url("staff_results")).content.decode()
    table = html.split('id="school-table"')[1].split("</table>")[0]
    assert "Lillevik skule, 4. grade" in table and "Lillevik skule, 7. grade" in table
    assert ">3<" in table and ">6<" in table
    # In public, the 4th grade's 3 marks are hidden.
    public = Client(**EN).get(class_map.url("results")).content.decode()
    table = public.split('id="school-table"')[1].split("</table>")[0]
    assert "&lt;5" in table and ">6<" in table and ">3<" not in table
