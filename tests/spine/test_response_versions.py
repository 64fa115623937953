"""An answer is saved only over the version the case officer saw.

When two officers answer one input at once, the second is told (409) and shown both texts,
nothing is overwritten, and the resident hears once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from medvirk.accountability.actions import ResponseConflict, do_respond
from medvirk.accountability.inbox import do_add_to_theme
from medvirk.accountability.models import Notification, Response, ResponseStatus
from medvirk.contributions.models import Contribution
from medvirk.core.models import AuditEntry
from medvirk.identity.models import User
from medvirk.organisations.models import Role
from tests import factories
from tests.concurrency import in_parallel

VERSION = re.compile(r'name="version" value="(\d+)"')


def _item(w: factories.World, text: str = "Meir lys på skulevegen") -> Contribution:
    return factories.contribution(w.method, text=text, contact_email="innbyggjar@example.org")


def _second_officer(w: factories.World) -> User:
    return factories.staff(w.org, Role.CASE_OFFICER)


def _detail_url(item: Contribution) -> str:
    return reverse("staff:contribution", kwargs={"pk": item.pk})


def _version_on_page(client: Client, item: Contribution) -> str:
    page = client.get(_detail_url(item))
    assert page.status_code == 200
    found = VERSION.search(page.content.decode())
    assert found is not None, "the answer form carries no version"
    return found.group(1)


# --- the action -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_over_a_version_the_officer_did_not_see_is_refused(
    w: factories.World,
) -> None:
    item = _item(w)
    second = _second_officer(w)
    do_respond(w.officer, w.process, [item.pk], ResponseStatus.ADOPTED, "Vi gjer det.")
    audited = AuditEntry.objects.count()
    with pytest.raises(ResponseConflict) as refused:
        do_respond(
            second,
            w.process,
            [item.pk],
            ResponseStatus.NOT_ADOPTED,
            "Det er ikkje råd.",
            versions={item.pk: 0},
        )
    assert refused.value.status == 409
    assert [r.reason for r in refused.value.conflicts] == ["Vi gjer det."]
    saved = Response.objects.get()
    assert (saved.status, saved.reason, saved.version) == (
        ResponseStatus.ADOPTED,
        "Vi gjer det.",
        1,
    )
    assert AuditEntry.objects.count() == audited


@pytest.mark.django_db
def test_an_answer_over_the_version_the_officer_saw_is_saved(w: factories.World) -> None:
    item = _item(w)
    do_respond(w.officer, w.process, [item.pk], ResponseStatus.UNDER_REVIEW, "Vi ser på det.")
    do_respond(
        _second_officer(w),
        w.process,
        [item.pk],
        ResponseStatus.ADOPTED,
        "Vi gjer det.",
        versions={item.pk: 1},
    )
    saved = Response.objects.get()
    assert (saved.status, saved.version) == (ResponseStatus.ADOPTED, 2)


@pytest.mark.django_db
def test_the_same_answer_twice_is_no_conflict_and_changes_nothing(w: factories.World) -> None:
    item = _item(w)
    do_respond(
        w.officer, w.process, [item.pk], ResponseStatus.ADOPTED, "Ja.", versions={item.pk: 0}
    )
    # A double click: the same answer over the same (now old) version.
    written = do_respond(
        w.officer, w.process, [item.pk], ResponseStatus.ADOPTED, "Ja.", versions={item.pk: 0}
    )
    assert written == []
    assert Response.objects.get().version == 1


@pytest.mark.django_db
def test_a_bulk_answer_is_refused_whole_when_one_item_changed_meanwhile(
    w: factories.World,
) -> None:
    items = [_item(w, f"Innspel {i}") for i in range(3)]
    seen = {i.pk: 0 for i in items}
    do_respond(_second_officer(w), w.process, [items[1].pk], ResponseStatus.ADOPTED, "Ja.")
    with pytest.raises(ResponseConflict) as refused:
        do_respond(
            w.officer,
            w.process,
            [i.pk for i in items],
            ResponseStatus.RECEIVED,
            "",
            versions=seen,
        )
    assert [r.contribution_id for r in refused.value.conflicts] == [items[1].pk]
    assert Response.objects.count() == 1  # all or nothing: the other two are not answered


# --- the pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_officer_gets_409_with_both_texts_and_the_resident_hears_once(
    w: factories.World, django_capture_on_commit_callbacks: Any
) -> None:
    item = _item(w)
    first, second = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(w.officer)
    second.force_login(_second_officer(w))
    first_version = _version_on_page(first, item)
    second_version = _version_on_page(second, item)
    assert first_version == second_version == "0"

    with django_capture_on_commit_callbacks(execute=True):
        saved = first.post(
            _detail_url(item),
            {
                "form": "respond",
                "version": first_version,
                "status": "adopted",
                "reason": "Vi set opp lys i haust.",
            },
        )
        assert saved.status_code == 302
        refused = second.post(
            _detail_url(item),
            {
                "form": "respond",
                "version": second_version,
                "status": "not_adopted",
                "reason": "Det er ikkje pengar til lys.",
            },
        )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Vi set opp lys i haust." in html  # the answer saved meanwhile
    assert "Det er ikkje pengar til lys." in html  # theirs, kept in the form
    assert "was not saved" in html
    # Nothing was overwritten, and the resident was told once.
    response = Response.objects.get()
    assert (response.status, response.reason) == ("adopted", "Vi set opp lys i haust.")
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    # The refused page carries the version now saved: sending again is a deliberate choice.
    assert VERSION.search(html).group(1) == str(response.version)  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        again = second.post(
            _detail_url(item),
            {
                "form": "respond",
                "version": str(response.version),
                "status": "not_adopted",
                "reason": "Det er ikkje pengar til lys.",
            },
        )
    assert again.status_code == 302
    assert Response.objects.get().status == "not_adopted"


@pytest.mark.django_db
def test_an_invalid_answer_keeps_the_version_the_officer_first_saw(w: factories.World) -> None:
    item = _item(w)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(w.officer)
    seen = _version_on_page(client, item)
    do_respond(_second_officer(w), w.process, [item.pk], ResponseStatus.RECEIVED, "")
    page = client.post(
        _detail_url(item), {"form": "respond", "version": seen, "status": "adopted", "reason": ""}
    )
    assert page.status_code == 400
    assert VERSION.search(page.content.decode()).group(1) == seen  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_group_preview_carries_versions_and_a_changed_batch_is_refused_with_409(
    w: factories.World,
) -> None:
    items = [_item(w, f"Innspel nummer {i}") for i in range(3)]
    group = do_add_to_theme(w.officer, w.process, [i.pk for i in items], new_name="Lys")
    url = reverse("staff:theme", kwargs={"pk": w.process.pk, "theme_pk": group.pk})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(w.officer)
    answer = {"form": "answer", "status": "under_review", "reason": "Takk, vi ser på det."}
    html = client.post(url, answer | {"then": "preview"}).content.decode()
    versions = {int(pk): v for pk, v in re.findall(r'name="version-(\d+)" value="(\d+)"', html)}
    assert versions == {i.pk: "0" for i in items}
    do_respond(
        _second_officer(w), w.process, [items[0].pk], ResponseStatus.ADOPTED, "Ja, saman med 2."
    )
    data: dict[str, Any] = {
        **answer,
        "then": "send",
        "ids": [str(i.pk) for i in items],
        **{f"version-{pk}": v for pk, v in versions.items()},
    }
    refused = client.post(url, data)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Ja, saman med 2." in page
    assert "Takk, vi ser på det." in page
    assert f"#{items[0].pk}" in page
    assert Response.objects.count() == 1  # nothing of the batch was written
    # Sent again from the refused page, with the versions now shown, it is saved.
    fresh = {int(pk): v for pk, v in re.findall(r'name="version-(\d+)" value="(\d+)"', page)}
    assert fresh[items[0].pk] == "1"
    data.update({f"version-{pk}": v for pk, v in fresh.items()})
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert set(Response.objects.values_list("status", flat=True)) == {"under_review"}


# --- at the same moment -----------------------------------------------------------------


def _at_once(work: Callable[[int], Any], n: int = 2) -> list[Any]:
    return in_parallel(work, n)


@pytest.mark.django_db(transaction=True)
def test_two_officers_sending_the_answer_form_at_once_one_wins_one_gets_409() -> None:
    w = factories.world()
    item = _item(w)
    # The receipt ("mottatt") went out when the input came in: count the answers only.
    mail.outbox.clear()
    Notification.objects.all().delete()
    officers = [Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")]
    officers[0].force_login(w.officer)
    officers[1].force_login(_second_officer(w))
    seen = [_version_on_page(c, item) for c in officers]
    reasons = ["Vi set opp lys i haust.", "Det er ikkje pengar til lys."]
    statuses = ["adopted", "not_adopted"]

    def send(i: int) -> int:
        return (
            officers[i]
            .post(
                _detail_url(item),
                {
                    "form": "respond",
                    "version": seen[i],
                    "status": statuses[i],
                    "reason": reasons[i],
                },
            )
            .status_code
        )

    outcomes = _at_once(send)
    assert sorted(outcomes) == [302, 409]
    winner = outcomes.index(302)
    response = Response.objects.get()
    assert (response.status, response.reason) == (statuses[winner], reasons[winner])
    assert response.version == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
