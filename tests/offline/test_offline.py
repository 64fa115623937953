"""Input given offline: the day and place it was given, a method or the case as a whole, and
attachments stored with it or not at all; staff who handle input download them, no one else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from medvirk.contributions import attachments
from medvirk.contributions.actions import OFFLINE_KIND, Draft
from medvirk.contributions.models import Attachment, Channel, Contribution
from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.identity import actions as identity_actions
from medvirk.identity.queries import export_my_data
from tests import factories
from tests.documents import files
from tests.documents.files import body, stored_files

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MEETING = "Ope møte, Lillevik skule"


def _url(w: factories.World) -> str:
    return reverse("staff:offline", kwargs={"pk": w.process.pk})


def _form(w: factories.World, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "method": w.method.pk,
        "channel": Channel.MEETING,
        "given_on": "",
        "given_at_place": "",
        "text": "Vi vil ha gangveg langs fylkesvegen.",
    }
    data.update(extra)
    return data


def _offline(w: factories.World, files_: list[uploads.CheckedUpload], **draft: Any) -> Contribution:
    receipt = attachments.do_contribute_with_attachments(
        w.officer,
        None,
        "",
        Draft(kind=OFFLINE_KIND, text="Brev", channel=Channel.LETTER, **draft),
        files_,
        registered_by=w.officer,
        process=w.process,
    )
    return receipt.contribution


def _checked(*uploaded: Any) -> list[uploads.CheckedUpload]:
    return [uploads.check_upload(f, uploads.ATTACHMENT_KINDS) for f in uploaded]


# -- when, where, about what ---------------------------------------------------------------


def test_a_meeting_is_registered_with_its_date_and_place(
    w: factories.World, client: Client
) -> None:
    client.force_login(w.officer)
    meeting_day = timezone.localdate() - dt.timedelta(days=6)
    response = client.post(
        _url(w), _form(w, given_on=meeting_day.isoformat(), given_at_place=MEETING)
    )
    assert response.status_code == 302
    c = Contribution.objects.get()
    assert (c.given_on, c.given_at_place) == (meeting_day, MEETING)
    assert c.method_instance == w.method
    assert c.channel == Channel.MEETING
    assert c.registered_by == w.officer and c.author is None
    assert response["Location"] == reverse("staff:contribution", kwargs={"pk": c.pk})


def test_the_date_defaults_to_today(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    page = client.get(_url(w)).content.decode()
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in page and f'max="{today}"' in page
    assert client.post(_url(w), _form(w)).status_code == 302
    assert Contribution.objects.get().given_on == timezone.localdate()


def test_a_date_in_the_future_is_refused(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(_url(w), _form(w, given_on=tomorrow.isoformat()), **EN)
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not Contribution.objects.exists()


def test_input_about_the_case_as_a_whole(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    page = client.get(_url(w), **EN).content.decode()
    assert '<option value="case"' in page and "The case as a whole" in page
    response = client.post(_url(w), _form(w, method="case", channel=Channel.PHONE))
    assert response.status_code == 302
    c = Contribution.objects.get()
    assert c.method_instance is None
    assert c.process == w.process


def test_another_cases_method_and_the_web_channel_are_refused(
    w: factories.World, client: Client
) -> None:
    other_case = factories.process(w.org)
    other_method = factories.method(other_case, factories.phase(other_case))
    client.force_login(w.officer)
    for bad in ({"method": other_method.pk}, {"channel": Channel.WEB}, {"method": "999999"}):
        response = client.post(_url(w), _form(w, **bad), **EN)
        assert response.status_code == 400, bad
        assert "Select a valid choice" in response.content.decode()
    assert not Contribution.objects.exists()


def test_the_place_is_optional_and_cleaned_to_one_line(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    client.post(_url(w), _form(w, given_at_place="  Rådhuset  "))
    assert Contribution.objects.get().given_at_place == "Rådhuset"


@pytest.mark.parametrize("who", ["moderator", "resident", "other_officer"])
def test_only_staff_who_register_input_see_the_form(
    w: factories.World, client: Client, who: str
) -> None:
    client.force_login(getattr(w, who))
    assert client.get(_url(w)).status_code == 404
    assert client.post(_url(w), _form(w)).status_code == 404
    assert not Contribution.objects.exists()


# -- attachments ---------------------------------------------------------------------------


def test_attachments_are_stored_with_the_input(
    w: factories.World, client: Client, media: Path
) -> None:
    client.force_login(w.officer)
    mark = factories.audit_mark()
    response = client.post(
        _url(w),
        _form(
            w,
            given_at_place=MEETING,
            attachments=[files.pdf("Referat frå møtet.pdf"), files.png("Tavla.png")],
        ),
    )
    assert response.status_code == 302
    c = Contribution.objects.get()
    kept = list(c.attachments.order_by("pk"))
    assert [(a.name, a.content_type) for a in kept] == [
        ("Referat frå møtet.pdf", "application/pdf"),
        ("Tavla.png", "image/png"),
    ]
    assert all(a.file.name.startswith("innspel/") for a in kept)
    assert len(stored_files(media)) == 2
    actions = [e.action for e in factories.audited_since(mark)]
    assert actions == ["contribution.registered_offline", "contribution.attachments_added"]
    added = factories.audited_since(mark).last()
    assert added is not None and added.data == {
        "count": 2,
        "kinds": ["pdf", "png"],
        "bytes": len(files.pdf_bytes()) + len(files.image_bytes("PNG")),
    }
    assert "Referat" not in str(added.data)  # names can name a person: not in the log


def test_word_and_opendocument_files_are_taken(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    response = client.post(
        _url(w),
        _form(
            w,
            attachments=[
                files.upload("brev.docx", files.docx_bytes()),
                files.upload("brev.odt", files.odt_bytes()),
            ],
        ),
    )
    assert response.status_code == 302
    assert Attachment.objects.count() == 2


def test_one_refused_file_stores_nothing_and_says_which_and_why(
    w: factories.World, client: Client, media: Path
) -> None:
    client.force_login(w.officer)
    response = client.post(
        _url(w),
        _form(
            w,
            given_at_place=MEETING,
            author_name="Ola Nordmann",
            attachments=[
                files.pdf("referat.pdf"),
                files.upload("bilete.pdf", files.SVG, "application/pdf"),
            ],
        ),
        **EN,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“bilete.pdf” is a web page or an SVG/XML file" in page
    assert "No file was saved: choose the files again." in page
    assert "referat.pdf" not in page  # only the refused file is named
    # The other fields are kept for the next try.
    assert f'value="{MEETING}"' in page and 'value="Ola Nordmann"' in page
    assert "Vi vil ha gangveg langs fylkesvegen." in page
    assert not Contribution.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "says"),
    [
        (".htaccess.pdf", "starts with a dot"),
        ("CON.pdf", "reserved by Windows"),
        # The browser's upload parser drops the override itself; what is left says .exe.
        ("rapport\u202efdp.exe", "ends in .exe but is a PDF"),
    ],
)
def test_a_hostile_name_is_refused(
    w: factories.World, client: Client, media: Path, name: str, says: str
) -> None:
    client.force_login(w.officer)
    response = client.post(_url(w), _form(w, attachments=[files.pdf(name)]), **EN)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Contribution.objects.exists()
    assert stored_files(media) == []


def test_more_than_five_files_are_refused(w: factories.World, client: Client, media: Path) -> None:
    client.force_login(w.officer)
    six = [files.pdf(f"side-{n}.pdf") for n in range(6)]
    response = client.post(_url(w), _form(w, attachments=six), **EN)
    assert response.status_code == 400
    assert "Choose at most 5 files (you chose 6)" in response.content.decode()
    assert not Contribution.objects.exists()
    assert stored_files(media) == []
    with pytest.raises(ActionRefused, match="at most 5 files"):
        _offline(w, _checked(*(files.pdf(f"s{n}.pdf") for n in range(6))))


def test_an_oversize_file_is_refused(
    w: factories.World,
    client: Client,
    media: Path,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDVIRK_UPLOAD_MAX_BYTES = 100
    client.force_login(w.officer)
    response = client.post(_url(w), _form(w, attachments=[files.pdf()]), **EN)
    assert response.status_code == 400
    assert "a file may be at most" in response.content.decode()
    assert not Contribution.objects.exists()


def test_files_are_deleted_when_the_transaction_fails(
    w: factories.World, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = Attachment.objects.create
    calls = {"n": 0}

    def fail_on_second(**kwargs: Any) -> Attachment:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(Attachment.objects, "create", fail_on_second)
    with pytest.raises(RuntimeError):
        _offline(w, _checked(files.pdf("a.pdf"), files.png("b.png")))
    assert not Contribution.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_refused_contribution_writes_no_file(w: factories.World, media: Path) -> None:
    with pytest.raises(ActionRefused, match="in the future"):
        _offline(
            w,
            _checked(files.pdf()),
            given_on=timezone.localdate() + dt.timedelta(days=2),
        )
    assert stored_files(media) == []


# -- downloading attachments ---------------------------------------------------------------


def test_staff_who_answer_or_register_download_the_attachment(
    w: factories.World, client: Client
) -> None:
    c = _offline(w, _checked(files.pdf("Brev frå Kari.pdf")))
    a = c.attachments.get()
    url = reverse("staff:attachment", kwargs={"pk": c.pk, "attachment_pk": a.pk})
    for person in (w.officer, w.admin):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == files.pdf_bytes()
        assert response["Content-Disposition"].startswith("attachment; ")
        assert "filename*=UTF-8''Brev%20fr%C3%A5%20Kari.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["moderator", "resident", "other_officer"])
def test_nobody_else_downloads_an_attachment(w: factories.World, client: Client, who: str) -> None:
    c = _offline(w, _checked(files.pdf()))
    a = c.attachments.get()
    client.force_login(getattr(w, who))
    url = reverse("staff:attachment", kwargs={"pk": c.pk, "attachment_pk": a.pk})
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(w: factories.World, client: Client) -> None:
    c = _offline(w, _checked(files.pdf()))
    a = c.attachments.get()
    url = reverse("staff:attachment", kwargs={"pk": c.pk, "attachment_pk": a.pk})
    assert client.get(url).status_code == 302


def test_an_attachment_is_found_only_through_its_own_contribution(
    w: factories.World, client: Client
) -> None:
    first = _offline(w, _checked(files.pdf()))
    second = _offline(w, [])
    a = first.attachments.get()
    client.force_login(w.officer)
    url = reverse("staff:attachment", kwargs={"pk": second.pk, "attachment_pk": a.pk})
    assert client.get(url).status_code == 404


def test_attachments_never_reach_public_pages(w: factories.World, client: Client) -> None:
    c = _offline(w, _checked(files.pdf("Hemmeleg brev.pdf")), given_at_place=MEETING)
    public = [
        w.process.get_absolute_url(),
        reverse(
            "public:contributions",
            kwargs={"municipality": w.org.slug, "slug": w.process.slug},
        ),
        c.receipt_url(),
    ]
    for url in public:
        page = client.get(url).content.decode()
        assert "Hemmeleg brev" not in page, url
        assert "/vedlegg/" not in page, url


# -- the rows on the staff contribution page -----------------------------------------------


def _details(contribution: Contribution, person: Any) -> str:
    request = RequestFactory().get("/")
    request.user = person
    return render_to_string(
        "staff/_offline_details.html", {"contribution": contribution, "request": request}
    )


def test_the_details_show_when_where_and_the_files(w: factories.World) -> None:
    day = dt.date(2026, 3, 4)
    c = _offline(w, _checked(files.pdf("Referat.pdf")), given_on=day, given_at_place=MEETING)
    a = c.attachments.get()
    with translation.override("en"):
        html = _details(c, w.officer)
        assert f"<dd>{date_format(day, 'DATE_FORMAT')}</dd>" in html
    assert "Given on" in html
    assert MEETING in html
    assert "The case as a whole" in html
    link = reverse("staff:attachment", kwargs={"pk": c.pk, "attachment_pk": a.pk})
    assert f'href="{link}"' in html
    assert "PDF, " in html
    # A moderator sees which files there are, without a link that would not open for them.
    assert link not in _details(c, w.moderator)


def test_no_rows_for_input_from_the_web(w: factories.World) -> None:
    c = factories.contribution(w.method)
    assert _details(c, w.officer).strip() == ""


# -- a person's own data -------------------------------------------------------------------


def _own_with_file(w: factories.World) -> tuple[Contribution, Attachment]:
    receipt = attachments.do_contribute_with_attachments(
        w.resident,
        w.method,
        "ask_question",
        Draft(kind="question", text="Kva med skulevegen?"),
        _checked(files.pdf("Mitt brev.pdf")),
    )
    return receipt.contribution, receipt.contribution.attachments.get()


def test_the_data_export_lists_the_persons_attachments(w: factories.World) -> None:
    _own_with_file(w)
    [mine] = export_my_data(w.resident)["contributions"]
    assert mine["attachments"] == [
        {"name": "Mitt brev.pdf", "content_type": "application/pdf", "size": len(files.pdf_bytes())}
    ]


def test_erasure_deletes_the_files_from_storage(
    w: factories.World,
    media: Path,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    contribution, _attachment = _own_with_file(w)
    other = _offline(w, _checked(files.png()))  # someone else's file stays
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        identity_actions.do_erase_account(w.resident)
    contribution.refresh_from_db()
    assert contribution.author is None
    assert not contribution.attachments.exists()
    assert [p.relative_to(media).as_posix() for p in stored_files(media)] == [
        other.attachments.get().file.name
    ]


def test_an_anonymous_resident_can_attach_files_through_the_same_api(w: factories.World) -> None:
    receipt = attachments.do_contribute_with_attachments(
        AnonymousUser(),
        w.method,
        "ask_question",
        Draft(kind="question", text="Sjå vedlegg"),
        _checked(files.png()),
    )
    assert receipt.contribution.attachments.count() == 1


def test_staff_pages_open_for_input_about_the_whole_case(
    w: factories.World, client: Client
) -> None:
    c = _offline(w, _checked(files.pdf()), given_at_place=MEETING)
    client.force_login(w.officer)
    for url in (
        reverse("staff:contribution", kwargs={"pk": c.pk}),
        reverse("staff:inbox", kwargs={"pk": w.process.pk}),
    ):
        assert client.get(url).status_code == 200, url


def test_files_the_server_keeps_on_disk_while_uploading_are_checked_and_stored(
    w: factories.World,
    client: Client,
    media: Path,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    # Above this size Django writes the upload to a temporary file instead of memory.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    client.force_login(w.officer)
    response = client.post(
        _url(w),
        _form(w, attachments=[files.pdf(), files.upload("brev.docx", files.docx_bytes())]),
    )
    assert response.status_code == 302
    kept = {a.name: (media / a.file.name).read_bytes() for a in Attachment.objects.all()}
    assert kept == {"utgreiing.pdf": files.pdf_bytes(), "brev.docx": files.docx_bytes()}


def test_input_about_the_whole_case_reads_well_on_its_receipt(
    w: factories.World, client: Client
) -> None:
    """No method: the receipt says where the input belongs instead of leaving a blank."""
    c = _offline(w, [], contact_email="kari@example.org")
    assert c.method_instance is None
    page = client.get(c.receipt_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The case as a whole" in page
