"""The quick poll end to end: the plug-in, voting once, results per setting, bad input,
closing, the embed's headers, the CSV, the staff editor and the demo seed."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.demo.loader import load_demo
from medvirk.identity.actions import do_erase_account
from medvirk.identity.models import AssuranceLevel, User
from medvirk.identity.queries import export_my_data
from medvirk.methods.poll import actions, queries
from medvirk.methods.poll.models import PollOption, PollQuestion, PollVote
from medvirk.methods.poll.plugin import Poll as PollPlugin
from medvirk.organisations.models import Municipality
from medvirk.planning import library
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.processes.phases import Timing
from tests import factories
from tests.concurrency import in_parallel
from tests.factories import DAY
from tests.methods.poll.conftest import Poll, make_poll

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def vote(client: Client, poll: Poll, n: int = 0, **extra: str) -> object:
    return client.post(poll.url, {"option": str(poll.options[n].pk)}, **EN, **extra)


def browser(poll: Poll) -> Client:
    """A visitor who has opened the poll page (and so has a session)."""
    client = Client()
    assert client.get(poll.url, **EN).status_code == 200
    return client


# --- the plug-in ---------------------------------------------------------------------------


def test_plugin_is_registered_and_well_formed() -> None:
    plugin = registry.get("poll")
    assert isinstance(plugin, PollPlugin)
    assert registry.problems(plugin) == []
    assert plugin.catalogue_entries == ("opinion_poll",)
    assert plugin.action("vote").timings == frozenset({Timing.DURING})
    assert [k.key for k in plugin.contribution_kinds] == ["poll_vote"]
    assert {e.key: e.audience for e in plugin.exports} == {"resultat-csv": "public"}
    assert plugin.has_staff_editor
    assert plugin.validate_settings({}) == {"results_shown": "after_vote"}
    with pytest.raises(registry.SettingsInvalid):
        plugin.validate_settings({"results_shown": "always"})


def test_the_planner_entry_creates_a_runnable_poll() -> None:
    # The planner finds the method running "opinion_poll" by this link (medvirk.E002 checks it).
    runs = [p.key for p in registry.all_plugins() if "opinion_poll" in p.catalogue_entries]
    assert runs == ["poll"]
    assert library.catalogue().method("opinion_poll").medvirk_method == "poll"


# --- voting ------------------------------------------------------------------------------


def test_an_anonymous_resident_votes_and_sees_the_result(poll: Poll) -> None:
    client = browser(poll)
    page = client.get(poll.url, **EN).content.decode()
    assert 'name="option"' in page and "csrfmiddlewaretoken" in page
    assert "poll-result" not in page  # not before voting
    response = vote(client, poll, 1)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.kind == "poll_vote"
    assert contribution.needs_answer is False
    assert contribution.once_key.startswith("browser:")
    assert client.session.session_key not in contribution.once_key  # only a keyed hash
    assert PollVote.objects.get().option == poll.options[1]
    page = client.get(poll.url, **EN).content.decode()
    assert "You voted for “Good indoor air”" in page
    assert 'id="poll-result"' in page and 'role="img"' in page and "<table" in page
    assert 'name="option"' not in page


def test_a_vote_without_a_session_first_starts_one(poll: Poll) -> None:
    client = Client()
    assert vote(client, poll).status_code == 302
    assert settings.SESSION_COOKIE_NAME in client.cookies
    assert vote(client, poll).status_code == 409


def test_a_second_vote_from_the_same_browser_is_refused_with_the_results(poll: Poll) -> None:
    client = browser(poll)
    vote(client, poll, 0)
    response = vote(client, poll, 2)
    assert response.status_code == 409
    page = response.content.decode()
    assert "You have already voted in this poll" in page
    assert 'id="poll-result"' in page
    assert PollVote.objects.get().option == poll.options[0]


def test_another_browser_may_vote(poll: Poll) -> None:
    assert vote(browser(poll), poll, 0).status_code == 302
    assert vote(browser(poll), poll, 1).status_code == 302
    assert PollVote.objects.count() == 2


def test_a_logged_in_person_votes_once_whatever_the_browser(poll: Poll) -> None:
    person = factories.user()
    first, second = Client(), Client()
    first.force_login(person)
    second.force_login(person)
    assert vote(first, poll, 0).status_code == 302
    assert Contribution.objects.get().once_key == f"user:{person.pk}"
    assert vote(second, poll, 1).status_code == 409
    assert PollVote.objects.count() == 1


def test_the_action_refuses_a_second_vote(poll: Poll) -> None:
    person = factories.user()
    actions.do_vote(person, poll.instance, poll.options[0].pk)
    with pytest.raises(actions.AlreadyVoted) as refused:
        actions.do_vote(person, poll.instance, poll.options[1].pk)
    assert refused.value.status == 409
    assert PollVote.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_from_one_person_store_one(org: Municipality) -> None:
    poll = make_poll(org)
    person = factories.user()

    def cast(i: int) -> int:
        client = Client()
        client.force_login(person)
        return int(vote(client, poll, i % 3).status_code)  # type: ignore[attr-defined]

    statuses = in_parallel(cast, 6)
    assert sorted(statuses) == [302] + [409] * 5
    assert PollVote.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_the_rate_limit_stops_one_client_casting_many_votes(poll: Poll, settings: object) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "2/10m"}  # type: ignore[attr-defined]
    assert vote(Client(), poll, 0).status_code == 302
    assert vote(Client(), poll, 0).status_code == 302
    response = vote(Client(), poll, 0)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert PollVote.objects.count() == 2


# --- bad input and closing ----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "abc", "999999", "1e3", None])
def test_an_unknown_option_is_refused_and_nothing_stored(poll: Poll, raw: str | None) -> None:
    data = {} if raw is None else {"option": raw}
    response = browser(poll).post(poll.url, data, **EN)
    assert response.status_code == 400
    assert "Choose one of the options." in response.content.decode()
    assert Contribution.objects.count() == 0 and PollVote.objects.count() == 0


def test_an_option_of_another_poll_is_refused(org: Municipality, poll: Poll) -> None:
    other = make_poll(org)
    response = browser(poll).post(poll.url, {"option": str(other.options[0].pk)}, **EN)
    assert response.status_code == 400
    with pytest.raises(ActionRefused) as refused:
        actions.do_vote(factories.user(), poll.instance, other.options[0].pk)
    assert refused.value.status == 400
    assert Contribution.objects.count() == 0


def test_a_closed_poll_refuses_votes_and_shows_the_result(org: Municipality) -> None:
    poll = make_poll(org, settings={"results_shown": "after_close"})
    actions.do_vote(factories.user(), poll.instance, poll.options[0].pk)
    poll.instance.phase.end = timezone.now() - DAY
    poll.instance.phase.start = timezone.now() - 10 * DAY
    poll.instance.phase.save()
    response = vote(browser(poll), poll, 1)
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert PollVote.objects.count() == 1
    page = Client().get(poll.url, **EN).content.decode()
    assert 'id="poll-result"' in page and 'name="option"' not in page


def test_the_identity_level_set_per_action_is_required(org: Municipality) -> None:
    poll = make_poll(org, identity_levels={"vote": int(AssuranceLevel.EMAIL)})
    response = vote(browser(poll), poll)
    assert response.status_code == 403
    assert PollVote.objects.count() == 0
    verified = factories.user(email_verified=True)
    assert verified.assurance_level >= AssuranceLevel.EMAIL
    client = Client()
    client.force_login(verified)
    assert vote(client, poll).status_code == 302


# --- results per setting -------------------------------------------------------------------


def test_after_close_results_wait_for_the_close_even_for_voters(org: Municipality) -> None:
    poll = make_poll(org, settings={"results_shown": "after_close"})
    client = browser(poll)
    vote(client, poll)
    page = client.get(poll.url, **EN).content.decode()
    assert "You voted for" in page
    assert 'id="poll-result"' not in page
    assert "The results are shown when the poll closes." in page


def test_staff_always_see_exact_results(poll: Poll, officer: User) -> None:
    actions.do_vote(factories.user(), poll.instance, poll.options[0].pk)
    client = Client()
    client.force_login(officer)
    page = client.get(poll.url, **EN).content.decode()
    assert 'id="poll-result"' in page
    # Exact for staff; a resident would see "<5".
    assert re.search(r'<td class="num">1</td>', page)
    assert "embed-snippet" in page


def test_small_counts_are_hidden_from_residents(poll: Poll) -> None:
    plan = [0] * 6 + [1] * 6 + [2]
    for n, option in enumerate(plan):
        actions.do_vote(AnonymousUser(), poll.instance, poll.options[option].pk, session_key=f"{n}")
    rows = {r.label: r.count for r in queries.results(poll.instance).rows}
    # One count under 5 would be worked out from the total: the next smallest is hidden too.
    assert list(rows.values()).count(None) == 2
    assert rows["Big playground"] is None
    exact = {r.label: r.count for r in queries.results(poll.instance, exact=True).rows}
    assert exact == {"Safe route to school": 6, "Good indoor air": 6, "Big playground": 1}


def test_results_are_counted_in_a_fixed_number_of_queries(
    poll: Poll, django_assert_max_num_queries: object
) -> None:
    for n in range(20):
        actions.do_vote(AnonymousUser(), poll.instance, poll.options[n % 3].pk, session_key=f"{n}")
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        data = queries.results(poll.instance)
    assert data.total == 20


# --- embed ---------------------------------------------------------------------------------


def test_only_the_embed_page_may_be_framed(poll: Poll) -> None:
    client = Client()
    embed = client.get(poll.embed_url, **EN)
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    html = embed.content.decode()
    assert "What matters most?" in html and 'name="valg"' in html and 'target="_blank"' in html
    page = client.get(poll.url, **EN)
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert client.post(poll.embed_url, {}).status_code in (403, 405)


def test_the_embed_choice_is_preselected_on_the_poll_page(poll: Poll) -> None:
    chosen = poll.options[2].pk
    page = Client().get(f"{poll.url}?valg={chosen}", **EN).content.decode()
    assert re.search(rf'value="{chosen}" checked', page)


# --- CSV -----------------------------------------------------------------------------------


def _open_data(poll: Poll) -> str:
    process = poll.instance.process
    url = reverse(
        "public:open_data",
        kwargs={"municipality": process.municipality.slug, "slug": process.slug},
    )
    return Client().get(url, **EN).content.decode()


def test_the_results_csv_is_open_data_once_the_poll_closes(org: Municipality) -> None:
    poll = make_poll(org)
    for n, option in enumerate([0] * 6 + [1, 1, 2, 2]):
        actions.do_vote(AnonymousUser(), poll.instance, poll.options[option].pk, session_key=f"{n}")
    assert poll.csv_url not in _open_data(poll)
    assert Client().get(poll.csv_url).status_code == 404  # not before the close
    phase = poll.instance.phase
    phase.start, phase.end = timezone.now() - 10 * DAY, timezone.now() - DAY
    phase.save()
    assert poll.csv_url in _open_data(poll)
    response = Client().get(poll.csv_url, **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Question", "Option", "Votes"]
    by_option = {r[1]: r for r in rows[1:]}
    assert by_option["Safe route to school"][2] == "6"
    assert by_option["Good indoor air"][2] == ""  # 2 votes: hidden
    assert by_option["Good indoor air"][5] == "1"


def test_staff_may_download_the_csv_before_the_close(poll: Poll, officer: User) -> None:
    client = Client()
    client.force_login(officer)
    assert client.get(poll.csv_url).status_code == 200


# --- the staff editor ----------------------------------------------------------------------


def _editor(poll: Poll) -> str:
    instance = poll.instance
    return reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )


def test_staff_set_the_question_and_options(org: Municipality, officer: User) -> None:
    poll = make_poll(org, question=False)
    client = Client()
    client.force_login(officer)
    page = client.get(_editor(poll), **EN)
    assert page.status_code == 200 and "<iframe" in page.content.decode().replace("&lt;", "<")
    response = client.post(
        _editor(poll), {"question": "Which day?", "options": "Monday\n\n Tuesday \nFriday"}, **EN
    )
    assert response.status_code == 302
    question = PollQuestion.objects.get(method_instance=poll.instance)
    assert question.text == "Which day?"
    assert [o.label for o in question.options.all()] == ["Monday", "Tuesday", "Friday"]
    assert AuditEntry.objects.filter(action="poll.saved").count() == 1


@pytest.mark.parametrize(
    "options",
    ["Only one", "\n".join(f"Option {n}" for n in range(11)), "Yes\nyes", "A\n" + "x" * 201],
)
def test_the_editor_refuses_bad_options_and_changes_nothing(
    poll: Poll, officer: User, options: str
) -> None:
    client = Client()
    client.force_login(officer)
    response = client.post(_editor(poll), {"question": "Changed?", "options": options}, **EN)
    assert response.status_code == 400
    assert "ds-error-summary" in response.content.decode()
    assert PollQuestion.objects.get(method_instance=poll.instance).text == "What matters most?"
    assert PollOption.objects.filter(question__method_instance=poll.instance).count() == 3


def test_the_poll_is_fixed_once_anyone_has_voted(poll: Poll, officer: User) -> None:
    actions.do_vote(factories.user(), poll.instance, poll.options[0].pk)
    client = Client()
    client.force_login(officer)
    page = client.get(_editor(poll), **EN).content.decode()
    assert 'id="locked-note"' in page and 'id="poll-edit-form"' not in page
    response = client.post(_editor(poll), {"question": "New?", "options": "A\nB"}, **EN)
    assert response.status_code == 409
    with pytest.raises(ActionRefused):
        actions.do_save_poll(officer, poll.instance, "New?", ["A", "B"])
    assert PollQuestion.objects.get().text == "What matters most?"


def test_a_resident_cannot_use_the_editor(poll: Poll) -> None:
    client = Client()
    client.force_login(factories.user())
    response = client.post(_editor(poll), {"question": "Hacked?", "options": "A\nB"})
    assert response.status_code in (302, 403, 404)
    assert PollQuestion.objects.get().text == "What matters most?"
    with pytest.raises(ActionRefused) as refused:
        actions.do_save_poll(factories.user(), poll.instance, "Hacked?", ["A", "B"])
    assert refused.value.status == 403


# --- personal data and the demo ------------------------------------------------------------


def test_my_data_lists_my_vote_and_erasure_unties_it(poll: Poll) -> None:
    person = factories.user()
    actions.do_vote(person, poll.instance, poll.options[1].pk)
    exported = export_my_data(person)
    assert exported["poll_votes"][0]["vote"] == "Good indoor air"
    do_erase_account(person)
    contribution = Contribution.objects.get()
    assert contribution.author_id is None and contribution.once_key is None
    assert PollVote.objects.count() == 1  # still counted


def test_demo_seed_creates_the_question_and_about_sixty_votes(org: Municipality) -> None:
    poll = make_poll(org, question=False)
    count = registry.get("poll").demo_seed(poll.instance, random.Random(7))
    assert count == 60
    question = PollQuestion.objects.get(method_instance=poll.instance)
    assert question.text == "Kva er viktigast for den nye skulen?"
    assert question.options.count() == 4
    assert queries.results(poll.instance).total == 60


def test_the_lillevik_demo_shows_the_poll() -> None:
    assert load_demo()
    instance = MethodInstance.objects.get(method_key="poll")
    assert instance.slug == "hurtigavstemming"
    page = Client().get(instance.get_absolute_url(), **EN)
    assert page.status_code == 200
    assert "Kva er viktigast for den nye skulen?" in page.content.decode()
    assert Contribution.objects.filter(method_instance=instance, kind="poll_vote").count() == 60
