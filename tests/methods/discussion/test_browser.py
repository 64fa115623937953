"""The discussion in a real browser at 1280 and 375 px, in bokmål and nynorsk: a resident
replies in a thread (hostile text in it shows as text and runs nothing), a case officer
replies in the thread as themselves, marked with the role, and answers the first post
through the inbox; the answer shows under the post.

Every page passes axe (WCAG 2.1 A/AA) and none scrolls sideways.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings

from medvirk.accountability.models import Response
from medvirk.identity.models import User
from medvirk.methods.discussion import demo
from medvirk.methods.discussion.models import Post
from medvirk.organisations.models import Municipality
from tests.browser.conftest import browser, page  # noqa: F401 - fixtures for this module
from tests.browser.helpers import axe_check

from .conftest import make_discussion

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> '
    "[klikk](javascript:window.__pwned=3) Eg er einig: kjøkenet bør vere ope."
)
OWN_REPLY = "Vi tek det med i romprogrammet for skulekjøkenet."
ANSWER = "Skulekjøkenet blir ope for lag og kurs to kveldar i veka."


def _check(page: Page) -> None:  # noqa: F811
    """axe on the page, and no sideways scroll at this width."""
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px"


def _language(page: Page, live_server: Any, language: str) -> None:  # noqa: F811
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_resident_replies_and_a_case_officer_answers(
    page: Page,  # noqa: F811
    live_server: Any,
    org: Municipality,
    officer: User,
    width: int,
    language: str,
) -> None:
    d = make_discussion(org)
    demo.seed(d.instance, random.Random(1))
    root = Post.objects.get(
        parent__isnull=True, contribution__text__startswith="Skulekjøkenet kunne"
    )
    _language(page, live_server, language)
    page.set_viewport_size({"width": width, "height": 900})

    # The overview: the question, the threads on the case, the rules beside them.
    page.goto(d.url())
    assert page.get_attribute("html", "lang") == language
    _check(page)
    assert page.locator(".discussion-rules li").count() >= 3
    assert root.topic is not None and root.topic.title == demo.TOPIC
    page.locator(f'.discussion-topics a[href="{d.url("topic", pk=root.topic.pk)}"]').click()
    page.wait_for_load_state()
    _check(page)
    page.locator(f'#innlegg-{root.pk} a[href*="/innlegg/{root.pk}/"]').click()
    page.wait_for_load_state()
    _check(page)

    # A resident replies to the first post; sent empty first: a clear message.
    page.locator(f'#innlegg-{root.pk} a[href$="/innlegg/{root.pk}/svar/"]').click()
    page.wait_for_load_state()
    _check(page)
    assert page.locator("#quoted-post").is_visible()
    with page.expect_navigation():
        page.locator("#reply-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    _check(page)
    page.fill("#id_text", HOSTILE)
    page.fill("#id_author_name", "Kari")
    page.check("#id_show_name")
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_url(f"**/innlegg/{root.pk}/**")
    _check(page)
    mine = Post.objects.filter(root=root).order_by("-pk").first()
    assert mine is not None and mine.parent_id == root.pk
    shown = page.locator(f"#innlegg-{mine.pk}")
    text = shown.locator(".post__text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text  # shown as the characters typed
    assert "Eg er einig" in text
    assert shown.locator(".post__text img, .post__text script").count() == 0
    assert shown.locator('.post__text a[href^="javascript"]').count() == 0
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator("#own-receipt").is_visible()

    # The case officer logs in and replies in the thread as themselves.
    page.context.clear_cookies()
    _language(page, live_server, language)
    page.goto(f"/konto/logg-inn/?next={d.url('thread', pk=root.pk)}")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "pw")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(d.url("thread", pk=root.pk))
    _check(page)
    page.locator(f'#innlegg-{mine.pk} a[href$="/innlegg/{mine.pk}/svar/"]').click()
    page.wait_for_load_state()
    _check(page)
    assert page.locator("#writing-as").is_visible()
    assert page.locator("#id_author_name").count() == 0
    page.fill("#id_text", OWN_REPLY)
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_url(f"**/innlegg/{root.pk}/**")
    _check(page)
    staff_reply = Post.objects.get(contribution__text=OWN_REPLY)
    assert staff_reply.parent_id == mine.pk and staff_reply.role_label
    shown = page.locator(f"#innlegg-{staff_reply.pk}")
    assert staff_reply.role_label in shown.inner_text()
    assert "Sigrid Vik" in shown.inner_text()

    # … and gives the first post its reasoned answer in the inbox.
    page.locator(f'#innlegg-{root.pk} a[href="/stab/innspel/{root.contribution_id}/"]').click()
    page.wait_for_load_state()
    _check(page)
    page.select_option("#id_status", "adopted")
    page.fill("#id_reason", ANSWER)
    page.locator("#answer-form button[name=then][value=save]").click()
    page.wait_for_load_state()
    assert Response.objects.get(contribution_id=root.contribution_id).reason == ANSWER

    # Back in the thread, as anyone: the answer under the first post.
    page.context.clear_cookies()
    _language(page, live_server, language)
    page.goto(d.url("thread", pk=root.pk))
    _check(page)
    assert ANSWER in page.locator(f"#innlegg-{root.pk}").inner_text()

    # Agree with a reason, and the reasons page.
    page.goto(d.url("react", pk=staff_reply.pk))
    _check(page)
    page.locator("#id_stance_0").check()
    page.fill("#id_reason", "Godt at kommunen svarar.")
    page.locator("#reaction-form button[value=react]").click()
    page.wait_for_url(f"**/innlegg/{root.pk}/**")
    _check(page)
    page.goto(d.url("react", pk=staff_reply.pk))
    assert "Godt at kommunen svarar." in page.locator("main").inner_text()
    _check(page)
