"""Two people registering the same body's statement at the same moment (the secretary and a
case officer, or one person pressing twice): one statement is stored, the other is told it
is already there. The request's row is locked while the statement is stored, and the
contribution's ``once_key`` is unique in the database besides."""

from __future__ import annotations

import pytest

from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.methods.bodies.models import BodyMeeting, Statement, StatementRequest
from tests.concurrency import in_parallel

from .conftest import Statements, client_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_secretary_and_staff_at_once_store_one_statement(
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    secretary: User,
    officer: User,
) -> None:
    url = statements.url("statement", slug=asked.body.slug)
    people = [secretary, officer, secretary, officer]

    def send(i: int) -> int:
        response = client_for(people[i]).post(url, {"text": f"Uttale {i}", "meeting": held.pk})
        return int(response.status_code)

    codes = sorted(in_parallel(send, len(people)))
    assert codes == [302, 409, 409, 409]
    assert Statement.objects.count() == 1
    assert Contribution.objects.filter(kind="statement").count() == 1
