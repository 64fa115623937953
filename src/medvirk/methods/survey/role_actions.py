"""Staff writes for what a demographic question asks (its role, ``participants.py`` reads
it): set alone, or with the rest of the question in one transaction. Audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance

from . import actions
from .models import Question
from .participants import resolved_role, role_problem

if TYPE_CHECKING:
    from medvirk.identity.models import User


def do_set_role(staff: User | None, question: Question, role: str) -> bool:
    """Store what a demographic question asks ("" = guess from its options); True when it
    changed. Allowed after answers too: the role is how Medvirk reads answers given with
    consent, not what people were asked. Audited as a change of the question. ``staff``
    None is the demo loader acting as the system (as in ``actions.do_add_question``)."""
    instance = question.method_instance
    if instance.method_key != "survey":
        raise ActionRefused(_("This is not a survey."), status=404)
    municipality_id = instance.process.municipality_id
    if staff is not None and not capabilities.staff_can(staff, "manage_process", municipality_id):
        raise ActionRefused(_("You cannot change surveys in this municipality."), status=403)
    with transaction.atomic():
        current = Question.objects.select_for_update().filter(pk=question.pk).first()
        if current is None:
            raise ActionRefused(_("This question no longer exists."), status=404)
        if not current.is_demographic:
            raise ActionRefused(
                _("Only a demographic question (asked only with consent) says what it asks.")
            )
        wanted = resolved_role(role, current.kind, current.choices)
        problem = role_problem(wanted, current.kind, current.choices)
        if problem is not None:
            raise ActionRefused(problem)
        before = current.demographic_role
        if before == wanted:
            return False
        current.demographic_role = wanted
        current.save(update_fields=["demographic_role"])
        audit.record(
            "survey.question_updated",
            actor=staff,
            obj=current,
            municipality_id=municipality_id,
            data={
                "method": current.method_instance_id,
                "changed": ["demographic_role"],
                "before": {"demographic_role": before},
                "had_answers": actions.has_answers(instance),
            },
        )
    question.demographic_role = wanted
    return True


def do_save_question(
    staff: User,
    instance: MethodInstance,
    question: Question | None,
    values: dict[str, Any],
    role: str,
) -> tuple[Question, bool]:
    """Add (``question`` None) or change a question and, when it is demographic, its role,
    all or nothing; returns the question and whether anything changed."""
    with transaction.atomic():
        if question is None:
            saved = actions.do_add_question(staff, instance, **values)
            changed = True
        else:
            changed = bool(actions.do_update_question(staff, question, **values))
            saved = question
        if saved.is_demographic:
            changed = do_set_role(staff, saved, role) or changed
    return saved, changed
