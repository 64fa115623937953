"""Abuse limits (issue 15), with several simulated clients behind the reverse proxy.

Each test switches the limits on explicitly with small, fixed numbers; the cache (where the
counters live) is emptied before every test by ``tests/conftest.py``, so nothing depends on
the clock or on the order of tests. Clients are told apart the way production sees them:
the trusted proxy's address in ``REMOTE_ADDR`` and the client's own in ``X-Forwarded-For``.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django_tasks import default_task_backend
from django_tasks.signals import task_finished

from medvirk.accountability.models import Subscription
from medvirk.contributions.models import Contribution
from medvirk.core import ratelimit
from medvirk.identity import lockout
from medvirk.identity.models import User
from medvirk.methods.survey import queries as survey_queries
from tests import factories
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey

pytestmark = pytest.mark.django_db

PROXY = "192.0.2.10"  # TEST-NET addresses: documentation only, never on a network
UNTRUSTED = "198.51.100.66"
PASSWORD = "a-long-Passphrase-91"
TOO_MANY = "Too many attempts"
LOCKED = "Too many failed attempts to log in"


def via_proxy(client_address: str) -> dict[str, str]:
    """What Django sees from a client behind the trusted reverse proxy."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def client_no(n: int) -> dict[str, str]:
    return via_proxy(f"203.0.113.{n}")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def limits(settings: Any) -> dict[str, str]:
    """Limits on, with small numbers; the proxy trusted."""
    settings.MEDVIRK_RATE_LIMITS_DISABLED = False
    settings.MEDVIRK_TRUSTED_PROXIES = [PROXY]
    settings.MEDVIRK_RATE_LIMITS = {
        "input": "3/10m",
        "signup": "2/h",
        "email": "3/h",
        "email_to": "2/h",
        "login_address": "3/h",
    }
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.MEDVIRK_LOGIN_COOLOFF_MINUTES = 15
    settings.MEDVIRK_LOGIN_COOLOFF_MAX_MINUTES = 240
    return settings.MEDVIRK_RATE_LIMITS  # type: ignore[no-any-return]


# --- password login ---------------------------------------------------------------------


def _login(
    client: Client, username: str, password: str, who: dict[str, str], path: str = ""
) -> Any:
    return client.post(
        path or "/konto/logg-inn/", {"username": username, "password": password}, **who
    )


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def person(db: Any) -> User:
    return factories.user("innbyggjar", password=PASSWORD)


def test_right_password_after_many_wrong_ones_is_refused_with_a_clear_429(
    client: Client, limits: Any, person: User
) -> None:
    for _ in range(2):
        assert _login(client, "innbyggjar", "wrong", client_no(1)).status_code == 200
    # The third failure reaches the limit (3): locked, for this username and this client.
    locking = _login(client, "innbyggjar", "wrong", client_no(1))
    assert locking.status_code == 429
    assert locking["Retry-After"] == "900"
    html = locking.content.decode()
    assert LOCKED in html
    assert "paused for 15 minutes" in html
    assert "You can still log in with e-ID." in html
    assert 'value="innbyggjar"' in html  # the username stays in the form
    # Now even the right password is refused.
    response = _login(client, "innbyggjar", PASSWORD, client_no(1))
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_an_account_is_locked_across_addresses(client: Client, limits: Any, person: User) -> None:
    for n in range(1, 4):  # three different clients, one wrong password each
        _login(client, "innbyggjar", "wrong", client_no(n))
    response = _login(client, "innbyggjar", PASSWORD, client_no(9))
    assert response.status_code == 429
    assert not _logged_in(client)


def test_an_address_is_locked_across_accounts(client: Client, limits: Any, db: Any) -> None:
    for name in ("a1", "a2", "a3", "mine"):
        factories.user(name, password=PASSWORD)
    for name in ("a1", "a2", "a3"):
        _login(client, name, "wrong", client_no(1))
    assert _login(client, "mine", PASSWORD, client_no(1)).status_code == 429
    assert not _logged_in(client)
    # Another client behind the same proxy has its own count and logs in.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _login(other, "mine", PASSWORD, client_no(2)).status_code == 302
    assert _logged_in(other)


def test_a_classroom_behind_one_address_is_not_locked_by_a_few_typos(
    client: Client, limits: dict[str, str], db: Any
) -> None:
    # Accounts lock after 3 failures; the school's one address only after 10.
    limits["login_address"] = "10/h"
    for name in ("p1", "p2", "p3", "p4", "mine"):
        factories.user(name, password=PASSWORD)
    for name in ("p1", "p2", "p3", "p4"):
        for _ in range(2):
            assert _login(client, name, "wrong", client_no(1)).status_code == 200
    assert _login(client, "mine", PASSWORD, client_no(1)).status_code == 302
    assert _logged_in(client)


def test_a_spoofed_forwarded_header_does_not_escape_the_address_lockout(
    client: Client, limits: Any, db: Any
) -> None:
    for name in ("b1", "b2", "b3", "mine"):
        factories.user(name, password=PASSWORD)
    for n, name in enumerate(("b1", "b2", "b3"), start=1):
        spoof = {"REMOTE_ADDR": UNTRUSTED, "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        _login(client, name, "wrong", spoof)
    spoof = {"REMOTE_ADDR": UNTRUSTED, "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert _login(client, "mine", PASSWORD, spoof).status_code == 429


def test_a_username_that_looks_like_an_address_does_not_lock_that_address(
    client: Client, limits: Any, person: User
) -> None:
    # axes keys its counters on bare values: failing as the "user" 203.0.113.2 must not
    # count against the client 203.0.113.2.
    for _ in range(3):
        _login(client, "203.0.113.2", "wrong", client_no(1))
    victim = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _login(victim, "innbyggjar", PASSWORD, client_no(2)).status_code == 302


def test_the_admin_login_shares_the_lockout(client: Client, limits: Any, person: User) -> None:
    person.is_staff = True
    person.save()
    for _ in range(3):
        _login(client, "innbyggjar", "wrong", client_no(1), "/admin/login/")
    response = _login(client, "innbyggjar", PASSWORD, client_no(1), "/admin/login/")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert _login(client, "innbyggjar", PASSWORD, client_no(5)).status_code == 429
    assert not _logged_in(client)


def test_a_few_mistakes_then_the_right_password_logs_in(
    client: Client, limits: Any, person: User
) -> None:
    for _ in range(2):
        _login(client, "innbyggjar", "wrong", client_no(1))
    assert _login(client, "innbyggjar", PASSWORD, client_no(1)).status_code == 302
    assert _logged_in(client)


def test_force_login_and_test_client_login_still_work(
    client: Client, limits: Any, person: User
) -> None:
    client.force_login(person)
    assert client.get("/konto/").status_code == 200
    fresh = Client()
    assert fresh.login(username="innbyggjar", password=PASSWORD)


def test_an_operator_can_lift_a_lockout(client: Client, limits: Any, person: User) -> None:
    for _ in range(3):
        _login(client, "innbyggjar", "wrong", client_no(1))
    assert _login(client, "innbyggjar", PASSWORD, client_no(2)).status_code == 429
    call_command("axes_reset_username", "user:innbyggjar", stdout=io.StringIO())
    # The account is open again; the address that guessed keeps its own limit for its window.
    assert _login(client, "innbyggjar", PASSWORD, client_no(2)).status_code == 302
    client.logout()
    assert _login(client, "innbyggjar", PASSWORD, client_no(1)).status_code == 429


def test_the_cool_off_doubles_while_the_attack_goes_on_and_has_a_ceiling(
    limits: Any,
) -> None:
    assert lockout.cool_off_after(0) == timedelta(minutes=15)
    assert lockout.cool_off_after(3) == timedelta(minutes=15)  # the locking failure
    assert lockout.cool_off_after(4) == timedelta(minutes=30)
    assert lockout.cool_off_after(5) == timedelta(minutes=60)
    assert lockout.cool_off_after(50) == timedelta(minutes=240)
    assert lockout.cool_off(None) == timedelta(minutes=15)


def test_attempts_during_the_lockout_lengthen_it(client: Client, limits: Any, person: User) -> None:
    for _ in range(3):
        _login(client, "innbyggjar", "wrong", client_no(1))
    response = _login(client, "innbyggjar", "wrong", client_no(1))
    assert response.status_code == 429
    assert "30 minutes" in response.content.decode()


# --- survey answers -----------------------------------------------------------------------


@pytest.fixture
def survey(db: Any) -> Survey:
    return survey_factories.survey(factories.municipality("Lillevik"))


def _total(survey: Survey) -> int:
    return survey_queries.results(survey.instance).total


def test_survey_answers_are_limited_per_client_and_results_stop_growing(
    client: Client, limits: Any, survey: Survey
) -> None:
    for _ in range(3):
        assert (
            client.post(
                survey.url, survey_factories.survey_form(survey), **client_no(1)
            ).status_code
            == 302
        )
    typed = survey_factories.survey_form(survey, **{survey.text.field_name: "Mine own words"})
    refused = client.post(survey.url, typed, **client_no(1))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    html = refused.content.decode()
    assert TOO_MANY in html
    assert "Mine own words" in html  # what they typed is kept
    for _ in range(5):
        assert (
            client.post(
                survey.url, survey_factories.survey_form(survey), **client_no(1)
            ).status_code
            == 429
        )
    assert _total(survey) == 3


def test_each_client_behind_the_proxy_has_its_own_survey_limit(
    client: Client, limits: Any, survey: Survey
) -> None:
    for n in range(1, 5):  # four clients, three answer sets each
        statuses = [
            client.post(
                survey.url, survey_factories.survey_form(survey), **client_no(n)
            ).status_code
            for _ in range(3)
        ]
        assert statuses == [302, 302, 302], n
    assert _total(survey) == 12


def test_spoofed_headers_from_an_untrusted_address_share_one_survey_limit(
    client: Client, limits: Any, survey: Survey
) -> None:
    statuses = [
        client.post(
            survey.url,
            survey_factories.survey_form(survey),
            REMOTE_ADDR=UNTRUSTED,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(1, 7)
    ]
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert _total(survey) == 3


def test_a_survey_with_limits_off_takes_everything(
    client: Client, limits: Any, survey: Survey, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS_DISABLED = True
    for _ in range(5):
        client.post(survey.url, survey_factories.survey_form(survey), **client_no(1))
    assert _total(survey) == 5


# --- the information method's questions -----------------------------------------------------


def test_questions_are_limited_per_client_and_keep_the_text(
    client: Client, limits: Any, db: Any
) -> None:
    w = factories.world()
    url = w.method.get_absolute_url()
    for n in range(3):
        response = client.post(url, {"text": f"Spørsmål {n}"}, **client_no(1))
        assert response.status_code == 302
    refused = client.post(url, {"text": "Kva kostar det?"}, **client_no(1))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html
    assert "Kva kostar det?" in html
    assert client.post(url, {"text": "Eit anna"}, **client_no(2)).status_code == 302
    assert Contribution.objects.filter(method_instance=w.method).count() == 4


# --- sign-up and confirmation e-mails ------------------------------------------------------


def _signup(client: Client, username: str, email: str, who: dict[str, str]) -> Any:
    return client.post(
        "/konto/ny/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
        **who,
    )


def test_signups_are_limited_per_client(client: Client, limits: Any, db: Any) -> None:
    assert _signup(Client(), "ny1", "", client_no(1)).status_code == 302
    assert _signup(Client(), "ny2", "", client_no(1)).status_code == 302
    refused = _signup(client, "ny3", "ny3@example.org", client_no(1))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html
    assert 'value="ny3"' in html
    assert not User.objects.filter(username="ny3").exists()
    assert _signup(Client(), "ny4", "", client_no(2)).status_code == 302


def test_confirmation_emails_to_one_address_are_limited_whoever_asks(limits: Any, db: Any) -> None:
    statuses = []
    for n in range(1, 6):  # five accounts on five clients all name the victim's address
        user = factories.user(f"asker{n}", email="")
        asker = Client(HTTP_ACCEPT_LANGUAGE="en")
        asker.force_login(user)
        statuses.append(
            asker.post(
                "/konto/e-post/", {"email": "Victim@example.org"}, **client_no(n)
            ).status_code
        )
    assert statuses == [302, 302, 429, 429, 429]
    assert [m.to for m in mail.outbox] == [["Victim@example.org"]] * 2


def test_confirmation_emails_are_limited_per_client(client: Client, limits: Any, db: Any) -> None:
    client.force_login(factories.user("many", email=""))
    statuses = [
        client.post("/konto/e-post/", {"email": f"a{n}@example.org"}, **client_no(1)).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    refused = client.post("/konto/e-post/", {"email": "kept@example.org"}, **client_no(1))
    assert TOO_MANY in refused.content.decode()
    assert "kept@example.org" in refused.content.decode()


def test_signup_past_the_address_limit_still_creates_the_account(limits: Any, db: Any) -> None:
    for n in range(1, 4):
        _signup(Client(), f"v{n}", "victim@example.org", client_no(n))
    assert User.objects.filter(username__in=["v1", "v2", "v3"]).count() == 3
    assert len(mail.outbox) == 2


# --- following a case by e-mail ------------------------------------------------------------


@pytest.fixture
def w(db: Any) -> factories.World:
    return factories.world()


def test_following_is_limited_per_client_with_a_429_that_keeps_the_address(
    client: Client, limits: Any, w: factories.World
) -> None:
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    for n in range(3):
        assert client.post(url, {"email": f"f{n}@example.org"}, **client_no(1)).status_code == 302
    refused = client.post(url, {"email": "kept@example.org"}, **client_no(1))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html
    assert "kept@example.org" in html
    assert client.post(url, {"email": "g@example.org"}, **client_no(2)).status_code == 302
    assert Subscription.objects.count() == 4


def test_follow_emails_to_one_address_are_limited_whoever_asks(
    client: Client, limits: Any, w: factories.World
) -> None:
    for n in range(1, 6):  # five cases, five clients, one victim
        process = factories.process(w.org)
        url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": process.slug})
        response = client.post(url, {"email": "victim@example.org"}, **client_no(n))
        assert response.status_code == 302  # the same answer, whatever happened
    assert len(mail.outbox) == 2
    # Nothing waits unconfirmed for the refused ones: the person can follow later.
    assert Subscription.objects.filter(email="victim@example.org").count() == 2


def test_behind_the_proxy_clients_no_longer_share_the_follow_limit(
    client: Client, limits: Any, w: factories.World
) -> None:
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    statuses = [
        client.post(url, {"email": f"p{n}@example.org"}, **client_no(n)).status_code
        for n in range(1, 13)
    ]
    assert statuses == [302] * 12
    assert Subscription.objects.count() == 12


# --- e-mail leaves through a task, never while the person waits ---------------------------


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("SMTP is down")


@pytest.fixture
def finished_tasks() -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        seen.append((task_result.task.name, str(task_result.status)))

    task_finished.connect(record)
    yield seen
    task_finished.disconnect(record)


FAILING = "tests.security.test_limits.FailingBackend"


def test_signup_succeeds_when_the_mail_server_is_down(
    client: Client, limits: Any, db: Any, settings: Any, finished_tasks: list[tuple[str, str]]
) -> None:
    settings.EMAIL_BACKEND = FAILING
    response = _signup(client, "nede", "nede@example.org", client_no(1))
    assert response.status_code == 302
    assert User.objects.filter(username="nede").exists()
    assert ("send_email_confirmation", "FAILED") in finished_tasks


def test_asking_for_a_confirmation_succeeds_when_the_mail_server_is_down(
    client: Client, limits: Any, db: Any, settings: Any, finished_tasks: list[tuple[str, str]]
) -> None:
    settings.EMAIL_BACKEND = FAILING
    client.force_login(factories.user("nede", email=""))
    assert client.post("/konto/e-post/", {"email": "ny@example.org"}).status_code == 302
    assert ("send_email_confirmation", "FAILED") in finished_tasks


def test_following_succeeds_when_the_mail_server_is_down(
    client: Client,
    limits: Any,
    w: factories.World,
    settings: Any,
    finished_tasks: list[tuple[str, str]],
) -> None:
    settings.EMAIL_BACKEND = FAILING
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    assert client.post(url, {"email": "f@example.org"}).status_code == 302
    assert Subscription.objects.count() == 1
    assert ("send_subscription_confirmation", "FAILED") in finished_tasks


def test_the_request_only_queues_the_email(
    client: Client, w: factories.World, settings: Any
) -> None:
    # A queue that never runs anything: the e-mail can only go out from a worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    assert client.post(url, {"email": "f@example.org"}).status_code == 302
    _signup(client, "kø", "ko@example.org", {})
    assert mail.outbox == []
    queued = sorted(r.task.name for r in default_task_backend.results)  # type: ignore[attr-defined]
    assert queued == ["send_email_confirmation", "send_subscription_confirmation"]
    # The queue holds ids, not the secret links: a copy of the queue cannot confirm anything.
    for result in default_task_backend.results:  # type: ignore[attr-defined]
        assert not any(re.search(r"http", str(arg)) for arg in result.args)


# --- the limiter itself ------------------------------------------------------------------


def test_rates_read_as_count_per_period() -> None:
    assert ratelimit.parse_rate("10/10m") == ratelimit.Rate(10, 600)
    assert ratelimit.parse_rate("5/h") == ratelimit.Rate(5, 3600)
    assert ratelimit.parse_rate("3/2d") == ratelimit.Rate(3, 172800)
    assert ratelimit.parse_rate("7/90") == ratelimit.Rate(7, 90)
    with pytest.raises(ValueError, match="rate"):
        ratelimit.parse_rate("many")


def test_the_limiter_keeps_no_raw_address_in_the_cache(limits: Any) -> None:
    request = RequestFactory().post("/", **client_no(1))
    assert ratelimit.allow_client(request, "input", "x")
    key = ratelimit.cache_key("input", "203.0.113.1", "x")
    assert "203.0.113.1" not in key


# --- production needs a shared cache ------------------------------------------------------


def _production(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MEDVIRK_", "DJANGO_", "REDIS_", "WEB_")) and k != "SECRET_KEY"
    }
    env.update(
        SECRET_KEY="x" * 50,
        MEDVIRK_IDENTITY_PEPPER="p" * 50,
        MEDVIRK_AUDIT_KEY="a" * 50,
        **extra,
    )
    show = "import medvirk.settings.production as p; print(p.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", show],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_shared_cache() -> None:
    refused = _production()
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "Set REDIS_URL" in refused.stderr


def test_production_starts_with_redis_or_as_a_declared_single_process() -> None:
    with_redis = _production(REDIS_URL="redis://127.0.0.1:6379/9")
    assert with_redis.returncode == 0, with_redis.stderr
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    single = _production(MEDVIRK_SINGLE_PROCESS="true")
    assert single.returncode == 0, single.stderr
    assert single.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_production_refuses_several_workers_declared_as_one_process() -> None:
    refused = _production(MEDVIRK_SINGLE_PROCESS="true", WEB_CONCURRENCY="4")
    assert refused.returncode != 0
    assert "WEB_CONCURRENCY=1" in refused.stderr


def test_production_refuses_limits_switched_off() -> None:
    refused = _production(REDIS_URL="redis://127.0.0.1:6379/9", MEDVIRK_RATE_LIMITS_DISABLED="1")
    assert refused.returncode != 0
    assert "cannot be switched off" in refused.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MEDVIRK_TRUSTED_PROXIES", "10.0.0.300", "MEDVIRK_TRUSTED_PROXIES"),
        ("MEDVIRK_LIMIT_INPUT", "lots", "Not a rate"),
    ],
)
def test_a_wrong_limit_setting_refuses_to_start(name: str, value: str, message: str) -> None:
    refused = _production(MEDVIRK_SINGLE_PROCESS="true", **{name: value})
    assert refused.returncode != 0
    assert message in refused.stderr
