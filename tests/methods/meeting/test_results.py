"""The results of a meeting as structured contributions with channel "meeting": registered
by staff (dated the meeting's day, at its place) or reported by the gjestebod host through
the private link; answered in the inbox and shown with the answers on the meeting's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from medvirk.accountability.actions import do_respond
from medvirk.contributions.actions import do_hide
from medvirk.contributions.models import Attachment, Channel, Contribution, ModerationState
from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.core.filetypes import IMAGES
from medvirk.identity.models import User
from medvirk.methods.meeting import actions, links, staff_actions
from medvirk.methods.meeting.actions import ResultRow
from medvirk.methods.meeting.models import Format, Meeting
from medvirk.organisations.models import Municipality
from tests import factories
from tests.documents import files
from tests.methods.meeting.conftest import EN, Meetings, make_meeting

pytestmark = pytest.mark.django_db


def rows(*items: dict[str, Any], guests: Any = "", total: int = 5) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resultat-TOTAL_FORMS": str(total),
        "resultat-INITIAL_FORMS": "0",
        "resultat-MIN_NUM_FORMS": "0",
        "resultat-MAX_NUM_FORMS": "30",
        "guests": guests,
    }
    for n in range(total):
        data[f"resultat-{n}-type"] = "note"
    for n, item in enumerate(items):
        for key, value in item.items():
            data[f"resultat-{n}-{key}"] = value
    return data


@pytest.fixture
def workshop(meetings: Meetings) -> Meeting:
    return make_meeting(
        meetings.instance, format=Format.FUTURE_WORKSHOP, title="Future workshop", days=-10
    )


@pytest.fixture
def gjestebod(meetings: Meetings) -> Meeting:
    return make_meeting(
        meetings.instance,
        format=Format.HOSTED,
        title="Gjestebod in Nordbygda",
        place_name="Nordbygda",
        address="",
        host_name="Aslaug",
        host_email="aslaug@example.org",
        days=-3,
    )


# -- staff -------------------------------------------------------------------------------


def test_staff_register_results_in_the_three_stages(
    meetings: Meetings, workshop: Meeting, staff_client: Client, officer: User
) -> None:
    response = staff_client.post(
        meetings.url("staff_results", pk=workshop.pk),
        rows(
            {"type": "postit", "stage": "kritikk", "text": "The roof leaks."},
            {"type": "postit", "stage": "fantasi", "text": "A school open in the evening."},
            {"type": "priority", "stage": "realisering", "rank": "1", "text": "Fix the road."},
        ),
    )
    assert response.status_code == 302
    results = list(Contribution.objects.order_by("pk"))
    assert [r.data for r in results] == [
        {"meeting": workshop.pk, "type": "postit", "stage": "kritikk"},
        {"meeting": workshop.pk, "type": "postit", "stage": "fantasi"},
        {"meeting": workshop.pk, "type": "priority", "stage": "realisering", "rank": 1},
    ]
    for result in results:
        assert result.kind == "meeting_result"
        assert result.channel == Channel.MEETING
        assert result.registered_by == officer
        assert result.author is None
        assert result.needs_answer
        assert result.given_on == timezone.localtime(workshop.starts_at).date()
        assert result.given_at_place == "Lillevik community hall, Storvegen 12, Lillevik"
        assert result.moderation == ModerationState.PUBLISHED
    workshop.refresh_from_db()
    assert workshop.results_registered_at is not None


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"type": "postit", "text": "No stage"}, "stage"),
        ({"type": "priority", "stage": "realisering", "text": "No rank"}, "rank"),
        ({"type": "note", "stage": "kritikk", "text": "x" * 2001}, "text"),
        ({"type": "note", "stage": "kritikk", "text": ""}, "text"),
        ({"type": "nonsense", "stage": "kritikk", "text": "x"}, "type"),
        ({"type": "note", "stage": "utopia", "text": "x"}, "stage"),
        ({"type": "priority", "stage": "realisering", "rank": "0", "text": "x"}, "rank"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_stored(
    meetings: Meetings, workshop: Meeting, staff_client: Client, row: dict[str, str], field: str
) -> None:
    good = {"type": "note", "stage": "kritikk", "text": "A good one"}
    response = staff_client.post(meetings.url("staff_results", pk=workshop.pk), rows(good, row))
    assert response.status_code == 400
    assert Contribution.objects.count() == 0
    html = response.content.decode()
    assert f'href="#id_resultat-1-{field}"' in html


def test_an_empty_form_asks_for_a_result(
    meetings: Meetings, workshop: Meeting, staff_client: Client
) -> None:
    response = staff_client.post(meetings.url("staff_results", pk=workshop.pk), rows())
    assert response.status_code == 400
    assert "Write at least one result." in response.content.decode()


def test_too_many_rows_are_refused(
    meetings: Meetings, workshop: Meeting, staff_client: Client
) -> None:
    data = rows(total=31)
    response = staff_client.post(meetings.url("staff_results", pk=workshop.pk), data)
    assert response.status_code == 400
    assert Contribution.objects.count() == 0


def test_results_wait_until_the_meeting_has_started(
    meetings: Meetings, meeting: Meeting, staff_client: Client
) -> None:
    page = staff_client.get(meetings.url("staff_results", pk=meeting.pk)).content.decode()
    assert "once the meeting has started" in page
    response = staff_client.post(
        meetings.url("staff_results", pk=meeting.pk), rows({"text": "Too early"})
    )
    assert response.status_code == 409
    assert Contribution.objects.count() == 0


def test_a_photo_needs_consent_and_an_image(
    meetings: Meetings, workshop: Meeting, staff_client: Client
) -> None:
    url = meetings.url("staff_results", pk=workshop.pk)
    photo = {"type": "photo", "stage": "fantasi", "text": "The wall of post-its"}
    refused = staff_client.post(url, {**rows(photo), "resultat-0-photo": files.png("vegg.png")})
    assert refused.status_code == 400
    assert "everyone agreed" in refused.content.decode()
    not_image = staff_client.post(
        url, {**rows({**photo, "consent": "on"}), "resultat-0-photo": files.pdf("vegg.pdf")}
    )
    assert not_image.status_code == 400
    assert Contribution.objects.count() == 0 and Attachment.objects.count() == 0
    ok = staff_client.post(
        url, {**rows({**photo, "consent": "on"}), "resultat-0-photo": files.png("vegg.png")}
    )
    assert ok.status_code == 302
    [result] = Contribution.objects.all()
    assert result.data["type"] == "photo" and result.data["consent"] is True
    [attachment] = Attachment.objects.filter(contribution=result)
    assert attachment.content_type == "image/png"


def test_a_failed_row_leaves_no_file_behind(
    meetings: Meetings, workshop: Meeting, officer: User, media: Any
) -> None:
    checked = uploads.check_upload(
        SimpleUploadedFile("a.png", files.image_bytes(), content_type="image/png"), IMAGES
    )
    good = ResultRow(type="photo", text="Wall", stage="kritikk", photo=checked, consent=True)
    bad = ResultRow(type="note", text="", stage="kritikk")
    with pytest.raises(actions.ActionRefused):
        actions.do_report_results(workshop, [good, bad], staff=officer)
    assert files.stored_files(media) == []
    assert Contribution.objects.count() == 0


def test_a_resident_cannot_register_results_as_staff(meetings: Meetings, workshop: Meeting) -> None:
    with pytest.raises(actions.ActionRefused) as refused:
        actions.do_report_results(
            workshop, [ResultRow("note", "x", stage="kritikk")], staff=factories.user()
        )
    assert refused.value.status == 403


# -- the gjestebod host ----------------------------------------------------------------


def test_the_host_reports_three_results_through_the_link(
    meetings: Meetings, gjestebod: Meeting, officer: User, org: Municipality
) -> None:
    url = links.host_path(gjestebod)
    page = Client().get(url, **EN)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "The link is your permission" in page.content.decode()
    response = Client().post(
        url,
        rows(
            {"type": "note", "text": "Keep the school in the village."},
            {"type": "priority", "rank": "1", "text": "A safe road to school."},
            {"type": "postit", "text": "An open library for adults too."},
            guests="7",
        ),
        **EN,
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url)
    results = list(Contribution.objects.order_by("pk"))
    assert len(results) == 3
    for result in results:
        assert result.channel == Channel.MEETING
        assert result.author is None and result.registered_by is None
        assert result.data["meeting"] == gjestebod.pk
        assert result.data["guests"] == 7
    gjestebod.refresh_from_db()
    assert gjestebod.attendance == 7
    # They are in the inbox, filtered by the channel "meeting".
    inbox = Client()
    inbox.force_login(officer)
    html = inbox.get(
        f"/stab/sak/{meetings.instance.process_id}/innspel/?kanal=meeting", **EN
    ).content.decode()
    for result in results:
        assert f"#{result.pk}" in html
    # And on the host's page, with their state.
    assert "Keep the school in the village." in Client().get(url, **EN).content.decode()


def test_anonymous_host_results_wait_for_a_moderator_in_auto_mode(
    meetings: Meetings, gjestebod: Meeting, org: Municipality
) -> None:
    org.moderation_mode = "auto"
    org.save()
    Client().post(links.host_path(gjestebod), rows({"text": "Hello"}), **EN)
    [result] = Contribution.objects.all()
    assert result.moderation == ModerationState.PENDING
    page = Client().get(meetings.url("meeting", pk=gjestebod.pk), **EN).content.decode()
    assert "Hello" not in page


def test_a_wrong_token_is_not_found(meetings: Meetings, gjestebod: Meeting) -> None:
    good = links.host_token(gjestebod)
    for bad in (f"{gjestebod.pk}-AAAA", "x", good[:-1], f"{gjestebod.pk + 1}-{good.split('-')[1]}"):
        assert Client().get(meetings.url("host", token=bad)).status_code == 404
        assert (
            Client().post(meetings.url("host", token=bad), rows({"text": "x"})).status_code == 404
        )
    assert Contribution.objects.count() == 0


def test_the_host_cannot_report_before_the_gjestebod(meetings: Meetings) -> None:
    upcoming = make_meeting(
        meetings.instance, format=Format.HOSTED, host_email="host@example.org", days=3
    )
    url = links.host_path(upcoming)
    page = Client().get(url, **EN)
    assert page.status_code == 200
    assert "once the gjestebod has started" in page.content.decode()
    assert Client().post(url, rows({"text": "Early"}), **EN).status_code == 403
    assert Contribution.objects.count() == 0


def test_a_cancelled_gjestebod_takes_no_report(meetings: Meetings) -> None:
    upcoming = make_meeting(
        meetings.instance, format=Format.HOSTED, host_email="host@example.org", days=3
    )
    url = links.host_path(upcoming)
    staff_actions.do_cancel_meeting(None, upcoming, "The host is ill.")
    upcoming.refresh_from_db()
    page = Client().get(url, **EN)
    assert page.status_code == 200
    assert "cancelled" in page.content.decode()
    assert Client().post(url, rows({"text": "Anyway"}), **EN).status_code == 403
    with pytest.raises(ActionRefused):
        actions.check_results_open(upcoming)
    assert Contribution.objects.count() == 0


def test_the_host_cannot_report_after_the_case_is_decided(
    meetings: Meetings, gjestebod: Meeting
) -> None:
    process = meetings.instance.process
    process.status = "decided"
    process.save()
    response = Client().post(links.host_path(gjestebod), rows({"text": "Late"}), **EN)
    assert response.status_code == 403
    assert Contribution.objects.count() == 0


def test_hostile_text_from_the_host_is_shown_as_text(
    meetings: Meetings, gjestebod: Meeting
) -> None:
    Client().post(
        links.host_path(gjestebod),
        rows({"text": '<script>alert(1)</script><a href="javascript:x" onclick="y">z</a>'}),
        **EN,
    )
    page = Client().get(meetings.url("meeting", pk=gjestebod.pk), **EN).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:x"' not in page
    assert "&lt;script&gt;" in page


def test_a_national_id_number_is_masked_and_held(meetings: Meetings, gjestebod: Meeting) -> None:
    Client().post(links.host_path(gjestebod), rows({"text": "Ring 01019000083 om dette"}), **EN)
    [result] = Contribution.objects.all()
    assert result.moderation == ModerationState.HELD
    assert "01019000083" not in result.text


# -- the public page ---------------------------------------------------------------------


def test_published_results_show_with_their_answers(
    meetings: Meetings, workshop: Meeting, officer: User, moderator: User, client: Client
) -> None:
    receipts = actions.do_report_results(
        workshop,
        [
            ResultRow("postit", "The roof leaks.", stage="kritikk"),
            ResultRow("priority", "Fix the road first.", stage="realisering", rank=1),
            ResultRow("note", "Rude words.", stage="fantasi"),
        ],
        staff=officer,
    )
    do_respond(
        officer,
        meetings.instance.process,
        [receipts[0].contribution.pk],
        "adopted",
        "The roof is in every alternative.",
    )
    do_hide(moderator, receipts[2].contribution, "Breaks the rules")
    html = client.get(meetings.url("meeting", pk=workshop.pk), **EN).content.decode()
    assert "Critique: what is wrong today?" in html
    assert "Realisation: what can we do?" in html
    assert html.index("Critique") < html.index("Fantasy") < html.index("Realisation")
    assert "The roof leaks." in html
    assert "The roof is in every alternative." in html
    assert "Priority 1" in html
    assert "Rude words." not in html
    assert "Breaks the rules" in html
    listing = client.get(meetings.url(), **EN).content.decode()
    assert "2 results published" in listing
    assert AnonymousUser  # the page needs no login
