"""Plain-language reasons for the rule engine's codes (``planning.rules``), translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REASONS: dict[str, Promise] = {
    "cap_decision_made": _(
        "You said the main decision is already made, so the plan informs and asks how it is "
        "carried out; children are still met in a form that suits them."
    ),
    "cap_information_only": _(
        "You chose information as the only purpose, so the plan stays on the lower rungs."
    ),
    "cap_nothing_open": _(
        "Nothing is described as open to influence yet, so the plan stays on the lower rungs."
    ),
    "rung_inform_always": _("Residents must know the facts before they can take part."),
    "rung_learning_ask": _("You want to learn: asking many people gives a broad picture."),
    "rung_learning_dialogue": _("You want to learn: dialogue shows why people think as they do."),
    "rung_anchoring_dialogue": _("You want ownership and trust: that needs two-way dialogue."),
    "rung_anchoring_agenda": _(
        "You want ownership and trust, and the case is early: residents can help set the agenda."
    ),
    "rung_children_agenda": _("Children and young people are affected and can map what matters."),
    "rung_alternatives_ask": _("Ask for input on the alternatives while they can still change."),
    "rung_budget_wheel": _("There is a fixed sum residents can allocate themselves."),
    "rung_plan_hearing": _("A plan case must go on hearing and public inspection."),
    "rung_decision_ask": _("Ask about the final proposal before it is decided."),
    "rung_referendum_wheel": _("The kommunestyre has decided to hold an advisory vote."),
    "rung_follow_up_ask": _("Ask how the decision works in practice."),
    "rung_partners_wheel": _("Residents, users or local partners can share the work and the say."),
    "rung_decision_made_ask": _("Ask how the decision should be carried out."),
    "req_inform_every_phase": _("Every phase starts with the facts and what is open."),
    "req_children_plan": _(
        "The plan affects children: pbl § 5-1 asks for adapted participation, and Barnetråkk "
        "lets them map it themselves."
    ),
    "req_children_place": _(
        "The case concerns places children use, and children are affected: Barnetråkk lets "
        "them map their routes and places."
    ),
    "req_councils_early": _(
        "The case concerns %(groups)s: the statutory council must get it early (kommuneloven "
        "§ 5-12)."
    ),
    "req_plan_hearing": _(
        "A plan proposal must go on hearing and public inspection (plan- og bygningsloven § 5-2)."
    ),
    "req_budget": _("You have a fixed sum residents can allocate."),
    "fit_reaches_group": _("Reaches %(group)s well, whom you marked as affected."),
    "caution_reaches_badly": _("Reaches %(group)s badly: pair it with a method that reaches them."),
    "caution_daytime_meeting": _(
        "People who work during the day are affected: hold it in the evening or add a digital way."
    ),
    "fit_learning_dialogue": _("You want to learn, and this is a conversation."),
    "fit_anchoring_involve": _("You want ownership and trust, and this involves people deeply."),
    "fit_know_too_little": _("You said we do not know enough about what residents think."),
    "fit_loud_debate": _("The case is debated loudly: this hears more than the loudest voices."),
    "fit_silent_outreach": _("Some are affected but will not speak up: this goes to them."),
    "fit_low_effort": _("You have little capacity, and this takes little effort."),
    "fit_runs_in_medvirk": _("Medvirk runs this method, so input arrives here by itself."),
    "left_above_cap": _(
        "Too high on the ladder for this case (rung %(rung)s, the case allows %(cap)s)."
    ),
    "left_resident_initiated": _("Starts with the residents, not with the municipality."),
    "left_no_budget": _("There is no fixed sum for residents to allocate."),
    "left_no_clear_question": _("The case is not a clear choice for an advisory vote."),
    "left_inspection_not_plan": _("Public inspection belongs to plan cases."),
    "left_not_co_creation": _(
        "Co-creation needs both ownership and learning as purposes and engaged local partners."
    ),
    "left_co_creation_decided": _("It is not co-creation when the solution is already decided."),
    "left_needs_standing_body": _(
        "Needs a standing body, ownership as a purpose and plenty of capacity."
    ),
    "left_no_children": _("No children or young people are marked as affected."),
    "left_no_council_groups": _("The case does not concern the elderly, disabled or youth."),
    "left_too_much_effort": _("Takes more effort than you have capacity for."),
    "left_too_long": _("Takes about %(weeks)s weeks; you have %(available)s."),
    "left_lower_score": _("Other methods fit your answers better."),
    "pit_silent_named": _("You named people who are affected but will not speak up."),
    "pit_know_enough": _("You are not sure we know enough about what residents think."),
    "pit_self_selected": _("Open methods (%(methods)s) hear those who choose to take part."),
    "pit_public_debate": _("The case is already debated loudly (local paper, social media)."),
    "pit_loud_stakeholders": _("%(keys)s will speak up loudly."),
    "pit_organised_voices": _("Organised voices (%(keys)s) are likely to speak up."),
    "pit_high_rung": _("The plan gives residents real power (rung %(rung)s)."),
    "pit_no_weeks": _("The time to the decision is not set."),
    "pit_long_process": _("The process runs for %(weeks)s weeks."),
    "pit_many_phases": _("Input is asked for in %(count)s phases."),
    "pit_single_issue": _("A single case (%(kind)s) affects the rest of the municipality too."),
    "law_always_inform": _("Applies to every case."),
    "law_plan_case": _("The case is a plan under the Planning and Building Act."),
    "law_plan_children": _("The plan affects children and young people."),
    "law_plan_kommune": _("The municipality makes the plan."),
    "law_plan_hearing": _("The plan goes on hearing (six-week minimum: § %(section)s)."),
    "law_councils": _("The case concerns %(groups)s."),
    "law_initiative": _("The case came as a citizens' initiative (threshold at most %(cap)s)."),
    "law_referendum": _("The plan recommends an advisory vote."),
    "law_submissions": _("The plan has a hearing or public inspection."),
    "law_panel": _("The plan recommends a residents' panel."),
    "law_bodies": _("The plan recommends a body with delegated power."),
    "cap_contracted": _(
        "You said the project is decided and contracted, so the plan gives the facts and a "
        "channel for questions about carrying it out."
    ),
    "fit_place": _("The case is about a place, and this method works on a map or on site."),
    "left_child_age": _("Does not suit the ages of the children you named (it suits %(ages)s)."),
    "left_contracted": _(
        "The project is decided and contracted: only the facts and questions about carrying it "
        "out are left."
    ),
    "left_no_service_users": _(
        "No users of a service, relatives, elderly or disabled are affected."
    ),
    "left_not_place": _("Works on a map or on site, and the case is not about a place."),
    "left_not_sensitive": _(
        "Nothing sensitive is said to come up, and no silent group meets a loud debate."
    ),
    "left_questions_when_decided": _(
        "Questions about carrying out a decision belong after the decision."
    ),
    "left_referendum_needs_council": _(
        "Only the kommunestyre can order an advisory vote (kommuneloven § 12-2). If it does, "
        "say so in the room for influence."
    ),
    "left_referendum_state": _("The state decides, so a local advisory vote does not fit."),
    "req_children_youngest": _(
        "Children under six are affected: they take part in the kindergarten, through play, "
        "drawing and the staff who know them."
    ),
    "req_children_school": _(
        "School-age children and young people are affected: meet them in class, with the "
        "teacher, in a session fitted to their age."
    ),
    "req_co_creation": _(
        "Partners (%(keys)s) want to take part, and you want ownership: define the problem and "
        "the solutions together with them (samskaping)."
    ),
    "req_council_vote": _(
        "The kommunestyre has decided to hold an advisory vote (kommuneloven § 12-2)."
    ),
    "req_dialogue_alternatives": _(
        "You want ownership: talk the alternatives through with residents, not only ask."
    ),
    "req_electronic_dialogue": _(
        "A plan case needs a way to take part electronically in every phase (plan- og "
        "bygningsloven § 5-2)."
    ),
    "req_planprogram_hearing": _(
        "The planning programme goes on hearing and public inspection at the start (plan- og "
        "bygningsloven § 4-1)."
    ),
    "req_questions_decided": _(
        "The decision is made: give people a named place to ask about how it is carried out."
    ),
    "req_reach_group": _("%(group)s are hard to reach: this method goes to them."),
    "req_representative": _(
        "You do not know enough about what residents think: get a representative picture, not "
        "only those who come forward."
    ),
    "req_residents_run": _(
        "Residents or users will run the result: give them a real say in how it is run."
    ),
    "req_sensitive_channel": _(
        "Personal or sensitive matters may come up: offer a way to speak without being named."
    ),
    "req_workshop_early": _(
        "The case is still open: a workshop early in the investigation lets residents shape it."
    ),
    "law_children_heard": _("Children or young people are affected."),
    "law_delegation": _("The plan gives residents or a body real power over a decision."),
    "law_initiative_same_period": _(
        "A proposal with the same content was dealt with earlier in this electoral term."
    ),
    "law_notice": _("The zoning plan starts with a notice of start."),
    "law_planprogram": _("The plan has a planning programme."),
    "law_private_proposal": _("A private party proposes the plan."),
    "law_sensitive": _("Personal or sensitive matters may come up."),
    "law_special_laws": _("Every sector has its own acts (here: %(kind)s)."),
    "partner_authority": _(
        "%(who)s share the responsibility: agree who answers which input, and say so in public."
    ),
    "partner_board": _("%(who)s can sit on the board that runs it with the users."),
    "partner_co_creator": _("%(who)s are equal partners in the co-creation."),
    "partner_co_host": _(
        "%(who)s can co-host a meeting or a gjestebud and bring in their members."
    ),
    "partner_consulted": _("%(who)s are asked for their knowledge and invited to the workshops."),
    "partner_initiators": _(
        "%(who)s put the proposal forward: they present it first and hear the answer first."
    ),
    "partner_proposer": _(
        "%(who)s propose the plan and must arrange participation (plan- og bygningsloven § 5-1); "
        "the municipality checks that they do."
    ),
    "pit_advisory_vote": _(
        "The plan has an advisory vote: the council must still answer for the decision."
    ),
    "pit_binding_vote": _(
        "Residents' vote on the budget is binding: the council hands over the choice."
    ),
    "pit_budget_vote": _("Residents vote on part of the budget."),
    "pit_co_creation": _("The plan shares the work with partners (samskaping)."),
    "pit_delegated_body": _("The plan gives a body delegated power."),
    "pit_initiative_wait": _(
        "The case came as a citizens' initiative: the initiators wait for an answer (up to six "
        "months)."
    ),
    "pit_private_proposer": _("A private party proposes the plan and runs its participation."),
    "pit_shared_remit": _("More than one authority decides parts of the case."),
    "warn_decided_empty": _(
        "You have not said what is already decided. Say it (the budget, the site, the law), so "
        "nobody spends time on what cannot change."
    ),
    "warn_decision_passed": _("The expected decision date has passed."),
    "warn_hearing_after_decision": _("The hearing would end after the expected decision date."),
    "warn_hearing_short": _(
        "A hearing in a plan case lasts at least six weeks (plan- og bygningsloven § %(section)s)."
    ),
    "warn_nothing_open": _(
        "Nothing is described as open to influence. Find the room for influence first, or only "
        "inform."
    ),
    "warn_too_little_time": _(
        "The methods and periods need about %(needed)s weeks; there are %(available)s until the "
        "decision."
    ),
    "cap_not_ours": _(
        "Another authority makes the decision (or several together), so the plan can give "
        "residents a say but not the decision itself."
    ),
    "left_co_creation_yes_no": _(
        "The case is a yes-or-no choice, not a problem to define and solve together."
    ),
    "req_users_where_they_are": _(
        "Users of the service and their relatives are affected: meet them where they are, at "
        "times and in ways that suit them."
    ),
    "req_place_map": _(
        "The case is about a place: let adults, too, show on a map or on site what matters."
    ),
    "caution_population_sample": _(
        "The affected are a known group, not the population at large: a population sample says "
        "little about them."
    ),
    "req_proposal_round": _(
        "Input can still change the decision: let residents comment on the final proposal "
        "before it is decided."
    ),
    "req_round_of_input": _("Input is open in this phase: give people a way to give it."),
    "fit_meet_where": _("Meet «%(who)s» where they are: %(setting)s."),
    "req_translate": _("Give the facts in the languages people need too: %(languages)s."),
    "req_easy_read": _("Make an easy-read version of the facts."),
    "left_co_creation_proposer": _(
        "A private party proposes the plan: its participation is the proposer's duty, not "
        "co-creation with the municipality."
    ),
    "req_youth_where_they_are": _(
        "Young people outside school are affected: meet them where they are, on their terms."
    ),
    "caution_open_sensitive": _(
        "Sensitive matters meet a loud side: an open, public format can expose the quiet side. "
        "Prefer closed meetings, with an interpreter where needed."
    ),
    "law_budget": _("The case is a budget."),
    "law_service_users": _("Users of a health or care service, or their relatives, are affected."),
    "warn_initiative_deadline": _(
        "The council must decide on a citizens' initiative within six months (kommuneloven "
        "§ 12-1); the decision is %(weeks)s weeks away."
    ),
    "req_closed_dialogue": _(
        "Sensitive matters meet a loud debate: talk in small, closed groups (a gjestebud), "
        "with an interpreter where needed, so the quiet side can speak."
    ),
    "rung_for_methods": _("Needed for %(methods)s (see below)."),
}
