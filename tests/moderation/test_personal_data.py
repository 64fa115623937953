"""Reports in «Mine data» and erasure: a logged-in reporter's own reports are theirs."""

from __future__ import annotations

from django.utils import translation

from medvirk.contributions import actions
from medvirk.contributions.models import Contribution, Report
from medvirk.identity import actions as identity_actions
from medvirk.identity.queries import export_my_data
from tests import factories


def test_own_reports_are_exported_and_unlinked_on_erasure(
    w: factories.World, published: Contribution
) -> None:
    reporter = factories.user()
    actions.do_report(published, Report.Reason.PERSONAL, "Namngir læraren", f"user:{reporter.pk}")
    actions.do_report(published, Report.Reason.SPAM, "Anna", "session:someone-else")
    with translation.override("en"):
        [mine] = export_my_data(reporter)["reports"]
    assert (mine["contribution"], mine["reason"], mine["note"]) == (
        published.pk,
        "personal",
        "Namngir læraren",
    )
    assert export_my_data(w.resident)["reports"] == []  # the author does not see reports

    identity_actions.do_erase_account(reporter)
    kept = Report.objects.get(reason=Report.Reason.PERSONAL)
    assert kept.note == "" and kept.reporter_hash.startswith("erased:")
    assert Report.objects.get(reason=Report.Reason.SPAM).note == "Anna"  # another's


def test_reports_go_with_the_input_they_are_about(
    w: factories.World, published: Contribution
) -> None:
    actions.do_report(published, Report.Reason.SPAM, "", "user:1")
    # Erasing the author keeps the input (and so the reports of it) without the author.
    identity_actions.do_erase_account(w.resident)
    assert Report.objects.filter(contribution=published).count() == 1
    published.notifications.all().delete()
    published.delete()
    assert not Report.objects.exists()
