"""Whether new input is public at once: the kommune's mode, the method's own, who gives it,
and whether it carries free text. Screening wins over every mode."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from medvirk.contributions import moderation
from medvirk.contributions.actions import Draft, do_contribute, do_set_moderation_mode
from medvirk.contributions.models import ModerationMode, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.organisations.models import Role
from medvirk.processes.actions import METHOD_MODERATION, do_save_method
from tests import factories
from tests.methods.survey import factories as survey_factories

from .conftest import give_in, set_mode

PUBLISHED, PENDING, HELD = (
    ModerationState.PUBLISHED,
    ModerationState.PENDING,
    ModerationState.HELD,
)


def test_a_new_kommune_pre_moderates_anonymous_free_text(db: None) -> None:
    org = factories.municipality(moderation_mode=ModerationMode.AUTO)
    fresh = type(org)(name="Ny", slug="ny", kommunenummer="9999", inhabitants=1)
    assert fresh.moderation_mode == ModerationMode.AUTO  # the model's default
    proc = factories.process(org)
    give = give_in(factories.method(proc, factories.phase(proc)))
    assert give().moderation == PENDING


@pytest.mark.parametrize(
    ("mode", "anonymous", "logged_in", "staff", "no_text"),
    [
        (ModerationMode.AUTO, PENDING, PUBLISHED, PUBLISHED, PUBLISHED),
        (ModerationMode.PRE, PENDING, PENDING, PENDING, PUBLISHED),
        (ModerationMode.POST, PUBLISHED, PUBLISHED, PUBLISHED, PUBLISHED),
    ],
)
def test_each_mode(
    w: factories.World,
    mode: str,
    anonymous: str,
    logged_in: str,
    staff: str,
    no_text: str,
) -> None:
    method = set_mode(w, mode)
    give = give_in(method)
    assert give().moderation == anonymous
    assert give(user=w.resident).moderation == logged_in
    clerk = factories.staff(w.org, Role.CASE_OFFICER)
    offline = do_contribute(
        AnonymousUser(),
        method,
        "",
        Draft(kind="offline_input", text="Sagt på møtet: fleire klasserom.", channel="meeting"),
        registered_by=clerk,
    ).contribution
    assert offline.moderation == staff
    assert give("").moderation == no_text
    # Screening holds whatever the mode.
    assert give("Ring 41234567").moderation == HELD
    assert give("Ring 41234567", user=w.resident).moderation == HELD


def test_the_method_can_choose_its_own_mode(w: factories.World) -> None:
    set_mode(w, ModerationMode.POST)
    method = do_save_method(
        w.admin,
        w.process,
        phase=w.phase,
        method_key="information",
        slug="sporsmal",
        title="Spørsmål",
        is_published=True,
        moderation=ModerationMode.PRE,
    )
    assert give_in(method)(user=w.resident).moderation == PENDING
    # "" follows the kommune again; None keeps what is stored.
    for value, expected in ((None, PENDING), ("", PUBLISHED)):
        method = do_save_method(
            w.admin,
            w.process,
            phase=w.phase,
            method_key="information",
            slug="sporsmal",
            title="Spørsmål",
            is_published=True,
            instance=method,
            moderation=value,
        )
        assert give_in(method)(user=w.resident).moderation == expected


def test_a_method_mode_must_be_known(w: factories.World) -> None:
    with pytest.raises(ActionRefused):
        do_save_method(
            w.admin,
            w.process,
            phase=w.phase,
            method_key="information",
            slug="x",
            title="X",
            moderation="sometimes",
        )
    # The processes app cannot import the mode (it sits lower): its list must stay equal.
    assert {"", *ModerationMode.values} == METHOD_MODERATION


def test_free_text_in_data_and_a_shown_name_count(w: factories.World) -> None:
    give = give_in(set_mode(w, ModerationMode.PRE))
    assert give("", data={"title": "Ein idé"}).moderation == PENDING
    assert give("", data={"choice": 2, "consent": True}).moderation == PUBLISHED
    assert give("", author_name="Kari", show_name=True).moderation == PENDING
    assert give("", author_name="Kari", show_name=False).moderation == PUBLISHED
    # A method may say its data holds only choices.
    assert give("", data={"choice": "b"}, has_free_text=False).moderation == PUBLISHED


def test_a_survey_answer_of_only_ticks_is_published(w: factories.World) -> None:
    do_set_moderation_mode(w.admin, w.org, ModerationMode.PRE)
    survey = survey_factories.survey(w.org)
    ticks = survey_factories.survey_answer(survey, {survey.single.pk: "new"})
    assert ticks.contribution.moderation == PUBLISHED
    written = survey_factories.survey_answer(
        survey, {survey.single.pk: "new", survey.text.pk: "Fleire klasserom, takk."}
    )
    assert written.contribution.moderation == PENDING


def test_the_kommune_setting_is_for_administrators_and_audited(w: factories.World) -> None:
    with pytest.raises(ActionRefused) as refused:
        do_set_moderation_mode(w.moderator, w.org, ModerationMode.POST)
    assert refused.value.status == 403
    with pytest.raises(ActionRefused) as refused:
        do_set_moderation_mode(w.admin, w.org, "whenever")
    assert refused.value.status == 400
    mark = factories.audit_mark()
    do_set_moderation_mode(w.admin, w.org, ModerationMode.PRE)
    [row] = factories.audited_since(mark)
    assert (row.action, row.data) == (
        "municipality.moderation_mode",
        {"from": "post", "to": "pre"},
    )


def test_the_policy_on_plain_values() -> None:
    state = moderation.initial_state
    kwargs = {"free_text": True, "logged_in": False, "registered_by_staff": False}
    assert state(ModerationMode.POST, held=True, **kwargs) == HELD
    assert state(ModerationMode.AUTO, held=False, **kwargs) == PENDING
    assert moderation.has_free_text({"a": [1, {"b": " "}]}) is False
    assert moderation.has_free_text({"a": [1, {"b": "x"}]}) is True


@pytest.mark.parametrize("mode", list(ModerationMode))
def test_a_method_can_ask_for_review_whatever_the_mode(mode: ModerationMode) -> None:
    """Draft.review (files screening cannot read) waits for a moderator, even in
    post-moderation and for a logged-in author; a fødselsnummer still holds it."""
    for logged_in in (False, True):
        state = moderation.initial_state(
            mode,
            free_text=False,
            logged_in=logged_in,
            registered_by_staff=False,
            held=False,
            review=True,
        )
        assert state == PENDING
    held = moderation.initial_state(
        mode, free_text=True, logged_in=True, registered_by_staff=False, held=True, review=True
    )
    assert held == HELD
    by_staff = moderation.initial_state(
        mode, free_text=True, logged_in=False, registered_by_staff=True, held=False, review=True
    )
    assert by_staff != PENDING or mode == ModerationMode.PRE
