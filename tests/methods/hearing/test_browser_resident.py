"""The høyring in a real browser at 1280 and 375 px, in bokmål and nynorsk: a resident
comments on a paragraph and sends a submission with a PDF; a moderator publishes it and a
case officer answers; the register shows the submission with its answer and the file.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways. A minor's name and a
national identity number typed in never reach a public page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.actions import do_approve
from medvirk.contributions.models import Attachment, Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.methods.hearing.actions import COMMENT_KIND, SUBMISSION_KIND
from medvirk.methods.hearing.models import AnchoredComment, Submission
from medvirk.organisations.models import Municipality
from tests import factories
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check
from tests.documents.files import pdf_bytes

from .conftest import make_hearing

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINOR = "Ola Ungdomsen"
FNR = "01019000083"
REASON = "Vi flyttar paviljongane nærare skulen."


def _check(page: Page) -> None:  # noqa: F811
    """axe on the page, and no sideways scroll at this width."""
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _box(page: Page, selector: str) -> dict[str, float]:  # noqa: F811
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_comments_and_sends_a_submission_that_is_answered_in_the_register(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
    language: str,
) -> None:
    case = make_hearing(org)
    paragraph = case.paragraphs[1]  # 1.2
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": width, "height": 900})

    # The documents, numbered, with a link to comment on each part.
    page.goto(case.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    assert page.locator(".hearing-num", has_text="1.2").count() == 1
    page.locator(f'a[href$="?del=p{paragraph.pk}"]').click()
    page.wait_for_load_state()
    _check(page)
    assert page.locator("#quoted-part").is_visible()
    assert page.locator("#id_part").input_value() == f"p{paragraph.pk}"
    # Sent empty: a clear message, nothing stored.
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    page.fill("#id_text", f"Paviljongane må vere varme. Ring meg, {FNR}.")
    page.fill("#id_author_name", MINOR)
    page.check("#id_show_name")
    page.check("#id_is_minor")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/kvittering/**")
    _check(page)
    comment = Contribution.objects.get(kind=COMMENT_KIND)
    assert AnchoredComment.objects.get(contribution=comment).paragraph_id == paragraph.pk
    assert comment.moderation == ModerationState.HELD  # the number is masked and held
    do_approve(factories.administrator(org), comment)

    # The comment is beside its paragraph on a wide screen, below it on a phone.
    page.goto(case.url())
    _check(page)
    text = _box(page, f"#del-p{paragraph.pk} .hearing-row__text")
    beside = _box(page, f"#del-p{paragraph.pk} .hearing-comments")
    if width >= 1000:
        assert beside["x"] >= text["x"] + text["width"] - 1
    else:
        assert beside["y"] >= text["y"] + text["height"] - 1
    main = page.locator("main").inner_text()
    assert "Paviljongane må vere varme." in main
    assert MINOR not in main and FNR not in main

    # A formal submission with a PDF, as a person under 18 who ticked "show my name".
    page.locator("#send-submission").click()
    page.wait_for_load_state()
    _check(page)
    page.fill("#id_author_name", MINOR)
    page.check("#id_is_minor")
    page.check("#id_show_name")
    page.fill("#id_text", "Eg vil ha ny skule på same tomt.")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "innspel.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/kvittering/**")
    _check(page)
    submission = Contribution.objects.get(kind=SUBMISSION_KIND)
    assert submission.moderation == ModerationState.PENDING  # a file: a moderator looks first
    assert Submission.objects.get(contribution=submission).is_minor
    assert Attachment.objects.filter(contribution=submission).count() == 1

    # Not in the register until a moderator publishes it; then a case officer answers.
    page.goto(case.url("register"))
    _check(page)
    assert page.locator("#register-waiting").is_visible()
    do_approve(factories.administrator(org), submission)
    factories.response(submission, ResponseStatus.PARTLY_ADOPTED, REASON, by=officer)

    page.goto(case.url("register"))
    _check(page)
    entry = page.locator(f"#innspel-{submission.pk}")
    assert "Eg vil ha ny skule på same tomt." in entry.inner_text()
    assert REASON in entry.inner_text()
    assert MINOR not in page.locator("main").inner_text()
    link = entry.locator('a[href*="/vedlegg/"]')
    assert link.inner_text() == "innspel.pdf"
    download = page.request.get(str(link.get_attribute("href")))
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.body().startswith(b"%PDF")

    # The submission's own page.
    entry.locator("h2 a").click()
    page.wait_for_load_state()
    _check(page)
    assert REASON in page.locator("main").inner_text()
    assert MINOR not in page.locator("main").inner_text()
