"""The council's six months: the deadline on the public and staff pages (computed on read),
and the daily command that warns staff once ahead of it and once when it has passed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from medvirk.identity.models import User
from medvirk.methods.initiative import deadlines, queries, rules, staff_actions
from medvirk.methods.initiative.models import Initiative
from medvirk.organisations.models import Role
from tests import factories

from .conftest import EN, collecting, make_instance, sign_many

pytestmark = pytest.mark.django_db


def _delivered(**settings: Any) -> tuple[Initiative, User]:
    small = factories.municipality("Smaavik", inhabitants=50)  # 1 signature
    officer = factories.staff(small, email="sakshandsamar@smaavik.example.org")
    factories.staff(small, Role.MODERATOR, email="moderator@smaavik.example.org")
    instance = make_instance(small, settings=settings or None).instance
    initiative = collecting(instance, officer)
    sign_many(instance, initiative, 1)
    initiative.refresh_from_db()
    return initiative, officer


def _deadline(initiative: Initiative) -> dt.date:
    deadline = queries.row_of(initiative).deadline
    assert deadline is not None
    return deadline


def _run(day: dt.date, *args: str) -> str:
    out = StringIO()
    call_command("initiative_deadlines", "--date", day.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_the_deadline_is_six_calendar_months_after_delivery(settings: Any) -> None:
    initiative, _officer = _delivered()
    assert initiative.delivered_at is not None
    delivered_on = timezone.localtime(initiative.delivered_at).date()
    assert _deadline(initiative) == rules.add_months(delivered_on, 6)
    settings.MEDVIRK_INITIATIVE_DECISION_MONTHS = 3
    assert _deadline(initiative) == rules.add_months(delivered_on, 3)


def test_the_command_warns_staff_once_before_and_once_after(
    django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    initiative, officer = _delivered()
    deadline = _deadline(initiative)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 warning(s) queued" in _run(deadline - dt.timedelta(days=31))
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        output = _run(deadline - dt.timedelta(days=30))
    assert f"initiative {initiative.pk} soon" in output
    # Staff who run cases get it (the case officer and the builders' administrator), not
    # the moderator.
    recipients = sorted(a for m in mailoutbox for a in m.to)
    assert "sakshandsamar@smaavik.example.org" in recipients
    assert "moderator@smaavik.example.org" not in recipients
    assert all(initiative.title in m.subject for m in mailoutbox)
    sent = len(mailoutbox)
    # Idempotent: the next days send nothing more until the deadline has passed.
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 warning(s)" in _run(deadline - dt.timedelta(days=29))
        assert "0 warning(s)" in _run(deadline)
    assert len(mailoutbox) == sent
    with django_capture_on_commit_callbacks(execute=True):
        assert "overdue" in _run(deadline + dt.timedelta(days=1))
        assert "0 warning(s)" in _run(deadline + dt.timedelta(days=2))
    assert len(mailoutbox) == 2 * sent
    # The overdue subject, in whichever language the staff member reads e-mail.
    overdue_subjects = set()
    for language in ("en", "nb", "nn"):
        with translation.override(language):
            overdue_subjects.add(
                gettext("Deadline passed: the council's position on “%(title)s”")
                % {"title": initiative.title}
            )
    assert mailoutbox[-1].subject in overdue_subjects
    del officer


def test_a_late_first_run_sends_only_the_overdue_warning(
    django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    initiative, _officer = _delivered()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = _run(_deadline(initiative) + dt.timedelta(days=10))
    assert "overdue" in output and "soon" not in output


def test_no_warning_for_a_decided_or_referred_proposal_and_a_dry_run_marks_nothing(
    django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    referred, officer = _delivered()
    staff_actions.do_refer(officer, referred, referred=True, plan_case="Områdeplan sentrum")
    day = timezone.localdate() + dt.timedelta(days=200)
    assert deadlines.due(day) == []
    staff_actions.do_refer(officer, referred, referred=False)
    dry = _run(day, "--dry-run")
    assert "1 warning(s) due" in dry
    referred.refresh_from_db()
    assert referred.overdue_warned_at is None


def test_the_warning_days_are_a_setting(settings: Any) -> None:
    initiative, _officer = _delivered()
    deadline = _deadline(initiative)
    settings.MEDVIRK_INITIATIVE_WARNING_DAYS = 7
    assert deadlines.due(deadline - dt.timedelta(days=8)) == []
    assert [w.kind for w in deadlines.due(deadline - dt.timedelta(days=7))] == ["soon"]


def test_a_bad_date_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("initiative_deadlines", "--date", "31.12.2026", stdout=StringIO())


def _clock(moment: dt.datetime) -> Any:
    fake = mock.Mock(wraps=timezone)
    fake.now.return_value = moment
    return mock.patch("medvirk.methods.initiative.queries.timezone", fake)


def test_the_pages_show_the_deadline_and_the_warning_on_read() -> None:
    initiative, officer = _delivered()
    deadline = _deadline(initiative)
    from medvirk.processes import registry

    plugin = registry.get("initiative")
    public_url = plugin.url(initiative.method_instance, "initiative", pk=initiative.pk)
    staff_url = plugin.url(initiative.method_instance, "staff_initiative", pk=initiative.pk)
    public = Client(**EN).get(public_url).content.decode()
    assert 'id="deadline"' in public
    staff = Client(**EN)
    staff.force_login(officer)
    assert 'id="deadline-warning"' not in staff.get(staff_url).content.decode()
    soon = timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=10), dt.time(12)))
    # Only the method's reads move in time (the login session keeps the real clock).
    with _clock(soon):
        html = staff.get(staff_url).content.decode()
        assert 'id="deadline-warning"' in html
        assert "10 days left" in html
        assert "10 days left" in Client(**EN).get(public_url).content.decode()
    late = soon + dt.timedelta(days=20)
    with _clock(late):
        html = staff.get(staff_url).content.decode()
        assert "deadline passed" in html
