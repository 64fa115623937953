"""The map method in a real browser at 1280 and 375 px, in bokmål and nynorsk, with the
tiles off: a pupil joins a class with its code, marks a dangerous crossing and draws the way
to school by clicking on the Leaflet map; another does the same through the list of places;
the results reach the staff's pages.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from medvirk.algorithms.geo import distance_m
from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.methods.map_input import links, staff_actions
from medvirk.methods.map_input.models import SchoolClass, TeacherLink
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.methods.map_input.conftest import Map, add_places, make_class, make_map

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEW = (5.065, 61.347)  # the map starts here (lon, lat)


def _check(page: Page) -> None:  # noqa: F811
    """axe on the page, and no sideways scroll at this width."""
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _language(page: Page, live_server: Any, language: str, width: int) -> None:  # noqa: F811
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})


def _join(page: Page, m: Map, school_class: SchoolClass) -> None:  # noqa: F811
    page.goto(m.url("join"))
    _check(page)
    page.fill("#id_code", school_class.code[:3].lower() + "-" + school_class.code[3:])
    page.select_option("#id_school", school_class.school)
    page.select_option("#id_grade", str(school_class.grade))
    page.locator("#join-form button[type=submit]").click()
    page.wait_for_url(f"**{m.url()}")
    assert page.locator("#class-banner").is_visible()


def _click_map(page: Page, dx: float = 0, dy: float = 0) -> None:  # noqa: F811
    """Click the map at (dx, dy) pixels from its centre (scrolled into view first)."""
    canvas = page.locator("#map")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    canvas.click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_pupil_marks_a_crossing_and_draws_the_way_to_school(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    width: int,
    language: str,
) -> None:
    m = make_map(org, {"participants": "classes"})
    school_class = make_class(m.instance, grade=4, label="A")
    _language(page, live_server, language, width)

    page.goto(m.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    assert page.locator("#refusal").is_visible()  # only classes: join first
    _join(page, m, school_class)
    assert page.locator("#mark-form").is_visible()
    assert not page.locator("#map-nojs").is_visible()
    assert page.locator("#map .leaflet-pane").count() > 0
    _check(page)

    # Sent without a drawing: a clear message, nothing stored.
    page.check("input[value='dangerous_crossing:point']")
    page.locator("#mark-submit").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    assert Contribution.objects.count() == 0

    # A dangerous crossing: one click where it is.
    page.check("input[value='dangerous_crossing:point']")
    _click_map(page)
    assert page.locator("#map .map-marker").count() == 1
    assert page.input_value("input[name='geometry']")
    page.fill("#id_comment", "Bilane køyrer fort her.")
    page.locator("#mark-submit").click()
    page.wait_for_selector("#your-marks")
    _check(page)
    crossing = Contribution.objects.get()
    assert crossing.data["category"] == "dangerous_crossing"
    assert (crossing.data["school"], crossing.data["grade"]) == ("Lillevik skule", 4)
    where = tuple(crossing.data["geometry"]["coordinates"])
    assert distance_m(where, VIEW) < 30  # the centre of the map, where we clicked

    # The way to school: three clicks, Finish, send.
    page.check("input[value='way_to_school:line']")
    _click_map(page, -80, 60)
    _click_map(page, 0, 0)
    _click_map(page, 70, -50)
    # The status line says how many points (announced to screen readers).
    expect(page.locator("#map-status")).to_contain_text("3")
    page.locator("#map-finish").click()
    assert page.evaluate("document.activeElement.id") == "id_comment"
    page.locator("#mark-submit").click()
    page.wait_for_selector("#your-marks li:nth-child(2)")
    route = Contribution.objects.order_by("-pk").first()
    assert route is not None
    assert route.data["geometry"]["type"] == "LineString"
    assert len(route.data["geometry"]["coordinates"]) == 3
    assert route.data["grade"] == 4

    # By keyboard: the cross in the middle.
    page.check("input[value='like:point']")
    page.locator("#map-add").click()
    assert page.locator("#map .map-marker").count() == 1
    page.locator("#mark-submit").click()
    page.wait_for_selector("#your-marks li:nth-child(3)")
    assert Contribution.objects.count() == 3


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_pupil_marks_the_same_through_the_list_of_places(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    width: int,
    language: str,
) -> None:
    m = make_map(org, {"participants": "classes"})
    places = add_places(m.instance)
    school_class = make_class(m.instance, grade=7, label="B")
    _language(page, live_server, language, width)
    _join(page, m, school_class)

    page.locator("#list-link a").click()
    page.wait_for_url("**/liste/")
    _check(page)
    page.check("input[value='dangerous_crossing:point']")
    with page.expect_navigation():
        page.locator("#choose-category button[type=submit]").click()
    _check(page)
    page.fill("#id_q", "kryss")
    with page.expect_navigation():
        page.locator("#place-search button[type=submit]").click()
    assert page.locator("#place-list li").count() == 1
    page.locator("#place-list a").first.click()
    page.wait_for_selector("#list-form")
    _check(page)
    page.fill("#id_comment", "Farleg kryss")
    page.locator("#list-submit").click()
    page.wait_for_selector("#your-marks")
    _check(page)
    crossing = Contribution.objects.get()
    place = places["Krysset ved butikken"]
    assert crossing.data == {
        "category": "dangerous_crossing",
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "school": "Lillevik skule",
        "grade": 7,
    }

    # The way to school: from → via → to.
    page.goto(m.url("list") + "?kategori=way_to_school:line")
    for name in ("Nordbygda busstopp", "Fotballbana", "Lillevik skule"):
        page.locator("#place-list a", has_text=name).click()
        page.wait_for_selector("#chosen-places")
    _check(page)
    page.locator("#list-submit").click()
    page.wait_for_selector("#your-marks li:nth-child(2)")
    route = Contribution.objects.order_by("-pk").first()
    assert route is not None
    stops = [places[n] for n in ("Nordbygda busstopp", "Fotballbana", "Lillevik skule")]
    assert route.data["geometry"] == {
        "type": "LineString",
        "coordinates": [[p.lon, p.lat] for p in stops],
    }


@pytest.mark.parametrize("width", [1280, 375])
def test_the_results_reach_the_staff_and_every_page_passes_axe(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
) -> None:
    m = make_map(
        org,
        {"participants": "both", "sub_areas": "Sentrum: 5.060, 61.344, 5.072, 61.350"},
    )
    add_places(m.instance)
    school_class = make_class(m.instance, grade=4, label="A")
    staff_actions.do_create_teacher_link(None, m.instance, "Lillevik skule")
    pupil = Client()
    pupil.post(
        m.url("join"),
        {"code": school_class.code, "school": school_class.school, "grade": school_class.grade},
    )
    for i in range(6):
        pupil.post(
            m.url(),
            {
                "category": "dangerous_crossing:point",
                "geometry": f'{{"type": "Point", "coordinates": [{5.0657 + i / 1e5}, 61.3457]}}',
                "comment": "Farleg" if i == 0 else "",
            },
        )
    for i in range(5):
        pupil.post(
            m.url(),
            {
                "category": "way_to_school:line",
                "geometry": (
                    '{"type": "LineString", "coordinates": '
                    f"[[5.0652, {61.3564 + i / 1e5}], [5.0697, 61.3484]]}}"
                ),
            },
        )
    assert Contribution.objects.count() == 11
    _language(page, live_server, "nn", width)
    page.goto(m.url("results"))
    _check(page)
    assert page.locator("#heat-table").is_visible()
    staff = Client()
    staff.force_login(officer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    method_form = f"/stab/sak/{m.instance.process_id}/metode/{m.instance.pk}/"
    editor = method_form + "innhald/"
    open_data = m.instance.process.get_absolute_url() + "opne-data/"
    for url in (method_form, editor, m.url("staff_classes"), m.url("staff_places"), open_data):
        page.goto(url)
        _check(page)
    page.goto(m.url("staff_results"))
    _check(page)
    schools = page.locator("#school-table").inner_text()
    assert "Lillevik skule" in schools and "11" in schools
    assert page.locator("#mark-table tbody tr").count() == 11
    # The teacher's page, too.
    link = TeacherLink.objects.get()
    page.goto(links.path(m.instance, link))
    _check(page)
    # And an upload with a mistake.
    page.goto(m.url("staff_places"))
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "stader.csv", "mimeType": "text/csv", "buffer": b"name,lat,lon\nX,north,5\n"}
        ],
    )
    with page.expect_navigation():
        page.locator("#places-form button[type=submit]").click()
    assert page.locator("#place-problems").is_visible()
    _check(page)
