"""Writes of the discussion for staff: the questions (topics), the municipality's rules, and
the reasons given with reactions that a moderator shows or keeps from view.

Each checks the staff member's capability in the case's municipality first, writes in one
transaction and records an audit row. ``None`` as ``staff`` is the demo loader acting as
the system (no audit row). Moderating posts themselves is the core's (the moderation
queue, ``contributions.actions.do_hide`` and its kin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_name
from medvirk.organisations import capabilities
from medvirk.processes.models import MethodInstance
from medvirk.vocabulary import Capability

from .actions import METHOD_KEY
from .models import Reaction, Rules, Topic

if TYPE_CHECKING:
    from medvirk.identity.models import User

TITLE_MAX = 300
BODY_MAX = 4000
RULES_MAX = 4000
UP = "up"
DOWN = "down"


def _check(staff: User | None, instance: MethodInstance, capability: Capability) -> None:
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a discussion."), status=404)
    if staff is None:
        return
    if not capabilities.staff_can(staff, capability, instance.process.municipality_id):
        raise ActionRefused(
            _("Your role in %(municipality)s does not allow this.")
            % {"municipality": instance.process.municipality.name},
            status=403,
        )


def _record(
    staff: User | None, code: str, obj: object, instance: MethodInstance, **data: object
) -> None:
    if staff is None:
        return
    audit.record(
        code,
        actor=staff,
        obj=obj,
        municipality_id=instance.process.municipality_id,
        data={"method": instance.pk, **data},
    )


# --- questions ----------------------------------------------------------------------------


def _clean_topic(title: str, body: str) -> tuple[str, str]:
    cleaned = clean_name(title, max_length=TITLE_MAX + 1)
    if not cleaned:
        raise ActionRefused(_("Write the question."))
    if len(cleaned) > TITLE_MAX:
        raise ActionRefused(
            _("The question is too long: at most %(max)d characters.") % {"max": TITLE_MAX}
        )
    body = body.strip()
    if len(body) > BODY_MAX:
        raise ActionRefused(
            _("The background is too long: at most %(max)d characters.") % {"max": BODY_MAX}
        )
    return cleaned, body


def _topic(instance: MethodInstance, topic_id: int) -> Topic:
    found = Topic.objects.select_for_update().filter(pk=topic_id, method_instance=instance).first()
    if found is None:
        raise ActionRefused(_("The question is not in this discussion."), status=404)
    return found


def do_save_topic(
    staff: User | None,
    instance: MethodInstance,
    *,
    title: str,
    body: str = "",
    is_open: bool = True,
    topic_id: int | None = None,
) -> Topic:
    """Add a question (last in the order), or change one (``topic_id``)."""
    _check(staff, instance, Capability.MANAGE_PROCESS)
    title, body = _clean_topic(title, body)
    with transaction.atomic():
        if topic_id is None:
            last = Topic.objects.filter(method_instance=instance).aggregate(n=Max("order"))["n"]
            topic = Topic.objects.create(
                method_instance=instance,
                title=title,
                body=body,
                is_open=is_open,
                order=(last or 0) + 1,
                created_by=staff,
            )
            _record(staff, "discussion.topic_added", topic, instance, open=is_open)
            return topic
        topic = _topic(instance, topic_id)
        changed = [
            name
            for name, value in (("title", title), ("body", body), ("is_open", is_open))
            if getattr(topic, name) != value
        ]
        if changed:
            topic.title, topic.body, topic.is_open = title, body, is_open
            topic.save(update_fields=changed)
            _record(staff, "discussion.topic_updated", topic, instance, fields=changed)
        return topic


def do_set_topic_open(
    staff: User | None, instance: MethodInstance, topic_id: int, is_open: bool
) -> Topic:
    """Close a question for new posts, replies and reactions (it stays readable), or open it."""
    _check(staff, instance, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        topic = _topic(instance, topic_id)
        if topic.is_open != is_open:
            topic.is_open = is_open
            topic.save(update_fields=["is_open"])
            code = "discussion.topic_opened" if is_open else "discussion.topic_closed"
            _record(staff, code, topic, instance)
    return topic


def do_move_topic(
    staff: User | None, instance: MethodInstance, topic_id: int, direction: str
) -> list[Topic]:
    """Move a question one place up or down; the order is renumbered 1, 2, 3 …"""
    _check(staff, instance, Capability.MANAGE_PROCESS)
    if direction not in (UP, DOWN):
        raise ActionRefused(_("Choose whether to move the question up or down."))
    with transaction.atomic():
        ordered = list(
            Topic.objects.select_for_update()
            .filter(method_instance=instance)
            .order_by("order", "pk")
        )
        index = next((i for i, t in enumerate(ordered) if t.pk == topic_id), None)
        if index is None:
            raise ActionRefused(_("The question is not in this discussion."), status=404)
        other = index - 1 if direction == UP else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
            for number, topic in enumerate(ordered, start=1):
                topic.order = number
            Topic.objects.bulk_update(ordered, ["order"])
            _record(
                staff,
                "discussion.topic_moved",
                ordered[other],
                instance,
                direction=direction,
                position=other + 1,
            )
    return ordered


# --- the municipality's rules -------------------------------------------------------------


def do_save_rules(staff: User | None, instance: MethodInstance, text: str) -> Rules:
    """The municipality's rules for every discussion (shown beside every discussion form)."""
    _check(staff, instance, Capability.MANAGE_PROCESS)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise ActionRefused(_("Write the rules, or go back to the default rules."))
    if len(text) > RULES_MAX:
        raise ActionRefused(
            _("The rules are too long: at most %(max)d characters.") % {"max": RULES_MAX}
        )
    municipality_id = instance.process.municipality_id
    with transaction.atomic():
        rules, _created = Rules.objects.select_for_update().get_or_create(
            municipality_id=municipality_id, defaults={"text": text}
        )
        if rules.text != text or _created:
            rules.text = text
            rules.save()
            _record(staff, "discussion.rules_saved", rules, instance, length=len(text))
    return rules


def do_reset_rules(staff: User | None, instance: MethodInstance) -> bool:
    """Back to the default rules (shown in each reader's language); False if already."""
    _check(staff, instance, Capability.MANAGE_PROCESS)
    with transaction.atomic():
        rules = (
            Rules.objects.select_for_update()
            .filter(municipality_id=instance.process.municipality_id)
            .first()
        )
        if rules is None:
            return False
        _record(staff, "discussion.rules_reset", rules, instance)
        rules.delete()
    return True


# --- reasons given with reactions ---------------------------------------------------------


def do_set_reason_visible(
    staff: User | None, instance: MethodInstance, reaction_id: int, visible: bool
) -> Reaction:
    """A moderator shows a reason screening kept back, or keeps a shown one from view. The
    stance still counts either way; a masked number stays masked."""
    _check(staff, instance, Capability.MODERATE)
    with transaction.atomic():
        reaction = (
            Reaction.objects.select_for_update()
            .filter(pk=reaction_id, post__contribution__method_instance=instance)
            .first()
        )
        if reaction is None:
            raise ActionRefused(_("The reaction is not in this discussion."), status=404)
        if reaction.is_visible != visible:
            reaction.is_visible = visible
            reaction.save(update_fields=["is_visible"])
            code = "discussion.reason_shown" if visible else "discussion.reason_hidden"
            _record(staff, code, reaction, instance, post=reaction.post_id)
    return reaction
