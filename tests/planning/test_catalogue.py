"""The method catalogue is data; these tests hold it to its schema and to the plug-ins that
claim its entries."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path

import pytest
from django.core import checks

from medvirk import vocabulary
from medvirk.planning import library
from medvirk.planning.catalogue import (
    DEFAULT_PATH,
    LANGUAGES,
    CatalogueError,
    default,
    language,
    parse,
    problems,
)
from medvirk.processes import registry

ISSUE_METHODS = {
    "information", "hearing", "public_inspection", "opinion_poll", "residents_panel",
    "plan_workshop", "future_workshop", "e_democracy", "hosted_conversation", "mayors_bench",
    "democracy_cafe", "barnetrakk", "citizens_initiative", "social_media_agenda", "committees",
    "institution_board", "youth_council_assembly", "participatory_budgeting",
    "advisory_referendum", "street_sampling", "survey", "opinion_map", "idea_board",
    "co_creation",
}  # fmt: skip


# Added in 2026.3 (issue 21), with the planner's answer schema v2.
NEW_METHODS = {
    "map_pins", "anonymous_channel", "class_session", "kindergarten_session",
    "question_channel", "user_dialogue",
}  # fmt: skip
NEW_LEGAL = {
    "electronic_dialogue", "planprogram_hearing", "notice_of_start", "private_proposal",
    "confidentiality", "special_laws", "initiative_same_period", "children_heard",
    "delegation_rules",
}  # fmt: skip
# The legal checklist items the rules may flag (schema v2): the catalogue has a text for each.
RULE_LEGAL_KEYS = NEW_LEGAL | {
    "information_duty", "pbl_participation", "children_in_planning", "childrens_representative",
    "hearing_six_weeks", "councils_early", "citizen_initiative", "advisory_referendum",
    "submissions_are_documents", "panel_openness", "delegated_bodies", "budget_public",
    "user_participation",
}  # fmt: skip


def raw() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_shipped_catalogue_is_valid_and_complete() -> None:
    assert problems(raw()) == []
    cat = default(())
    keys = [m.key for m in cat.methods]
    assert len(keys) == len(set(keys))
    assert set(keys) >= ISSUE_METHODS
    assert len(cat.methods) >= 24
    assert {p.key for p in cat.pitfalls} == {
        "representativeness", "committed_minority", "resourceful_activists",
        "diffused_responsibility", "time_horizon", "single_issue",
    }  # fmt: skip
    assert len(cat.reflection) == 14  # the second deck's reflection questions
    assert [p.key for p in cat.purposes] == ["information", "anchoring", "learning"]
    assert len(cat.partners) == 7


def test_version_2026_3_adds_acts_methods_and_legal_items() -> None:
    data = raw()
    assert data["version"] == "2026.3"
    cat = default(())
    assert cat.version == "2026.3"
    assert {m.key for m in cat.methods} >= ISSUE_METHODS | NEW_METHODS
    # The acts the new references need, named in every language.
    assert dict(cat.acts["fvl"]) == {
        "nb": "forvaltningsloven", "nn": "forvaltningslova", "en": "Public Administration Act",
    }  # fmt: skip
    assert dict(cat.acts["grl"]) == {
        "nb": "Grunnloven", "nn": "Grunnlova", "en": "The Constitution",
    }  # fmt: skip
    heard = cat.legal_item("children_heard")
    assert [cat.ref_label(r, "nb") for r in heard.refs] == ["Grunnloven § 104"]
    assert [cat.ref_label(r, "nn") for r in heard.refs] == ["Grunnlova § 104"]
    confidentiality = cat.legal_item("confidentiality")
    assert [cat.ref_label(r, "nn") for r in confidentiality.refs] == [
        "offentleglova § 13", "forvaltningslova § 13",
    ]  # fmt: skip


def test_every_legal_item_the_rules_flag_has_texts_and_references() -> None:
    cat = default(())
    assert {item.key for item in cat.legal} == RULE_LEGAL_KEYS
    refs = {item.key: {(r.act, r.section) for r in item.refs} for item in cat.legal}
    assert refs["electronic_dialogue"] == {("pbl", "5-2")}
    assert refs["planprogram_hearing"] == {("pbl", "4-1")}
    assert refs["notice_of_start"] == {("pbl", "12-8")}
    assert refs["private_proposal"] == {("pbl", "12-3"), ("pbl", "5-1")}
    assert refs["confidentiality"] == {("offl", "13"), ("fvl", "13")}
    assert refs["special_laws"] == set()  # the sector's own acts, no one section
    assert refs["initiative_same_period"] == {("kl", "12-1")}
    assert refs["children_heard"] == {("grl", "104")}
    assert refs["delegation_rules"] == {("kl", "5-14")}
    for item in cat.legal:
        for lang in LANGUAGES:
            assert item.texts(lang)["title"].strip(), (item.key, lang)
            assert item.texts(lang)["what"].strip(), (item.key, lang)
        assert item.texts("nn")["what"] != item.texts("nb")["what"], item.key


@pytest.mark.parametrize(
    ("key", "rung", "phases", "well", "badly", "effort", "weeks", "fmt", "traits"),
    [
        ("map_pins", 2, {"investigation", "alternatives"}, {"day_workers", "youth"},
         {"elderly", "children", "minority_language"}, "low", 3, "digital",
         {"map", "place", "online"}),
        ("anonymous_channel", 2, {"investigation", "alternatives", "follow_up"},
         {"silent_affected", "disabled", "minority_language"}, set(), "low", 2, "hybrid",
         {"anonymous", "listening"}),
        ("class_session", 3, {"investigation", "alternatives"}, {"children", "youth"},
         {"elderly", "day_workers"}, "low", 1, "physical",
         {"child_friendly", "school", "deliberative"}),
        ("kindergarten_session", 2, {"investigation"}, {"children"},
         {"elderly", "day_workers", "youth"}, "low", 2, "physical",
         {"child_friendly", "kindergarten"}),
        ("question_channel", 2, {"investigation", "decision", "follow_up"},
         {"day_workers", "elderly"}, {"children"}, "low", 1, "hybrid",
         {"questions", "listening"}),
        ("user_dialogue", 3, {"investigation", "alternatives", "follow_up"},
         {"elderly", "disabled", "silent_affected"}, {"day_workers", "youth"}, "medium", 4,
         "physical", {"outreach", "deliberative", "service"}),
    ],
)  # fmt: skip
def test_new_methods(  # type: ignore[no-untyped-def]
    key, rung, phases, well, badly, effort, weeks, fmt, traits
) -> None:
    method = default(()).method(key)
    assert method.rung == rung
    assert set(method.phases) == phases
    assert method.reaches_well == well
    assert method.reaches_badly == badly
    assert (method.effort, method.weeks, method.format) == (effort, weeks, fmt)
    assert method.traits == traits
    for lang in LANGUAGES:
        for field in ("name", "summary", "guide", "register"):
            assert method.texts(lang)[field].strip(), (key, lang, field)
    assert method.texts("nn")["guide"] != method.texts("nb")["guide"]


def test_new_guides_say_what_the_brief_asks() -> None:
    cat = default(())
    pins = cat.method("map_pins")
    assert [cat.ref_label(r, "nb") for r in pins.legal] == ["plan- og bygningsloven § 5-2"]
    # the map_input preset, by its label in each language
    for lang, preset in [("nb", "«For voksne»"), ("nn", "«For vaksne»"), ("en", "«For adults»")]:
        assert preset in pins.texts(lang)["guide"], lang
    anonymous = cat.method("anonymous_channel")
    assert [(r.act, r.section) for r in anonymous.legal] == [("offl", "13")]
    for lang in LANGUAGES:
        act = cat.acts["fvl"][lang]
        assert f"{act} § 13" in anonymous.texts(lang)["guide"], lang
    assert "begrunnet tilbakemelding" in cat.method("class_session").texts("nb")["guide"]
    assert "grunngitt tilbakemelding" in cat.method("class_session").texts("nn")["guide"]


def test_the_new_entries_are_run_by_their_plugins() -> None:
    cat = library.catalogue()
    assert cat.method("map_pins").medvirk_method == "map_input"
    assert cat.method("class_session").medvirk_method == "meeting"
    assert cat.method("user_dialogue").medvirk_method == "meeting"
    for planned in ("anonymous_channel", "kindergarten_session", "question_channel"):
        assert cat.method(planned).medvirk_method is None, planned


def test_every_method_has_all_three_languages_and_attributes() -> None:
    for method in default(()).methods:
        for lang in LANGUAGES:
            texts = method.texts(lang)
            for field in ("name", "summary", "guide", "register"):
                assert texts[field].strip(), (method.key, lang, field)
        assert 1 <= method.rung <= 5
        assert method.phases
        assert method.effort in {"low", "medium", "high"}
        assert method.format in {"physical", "digital", "hybrid"}
    # nn is not a copy of nb: the catalogue is really written in both.
    differing = [m for m in default(()).methods if m.texts("nn")["guide"] != m.texts("nb")["guide"]]
    assert len(differing) == len(default(()).methods)


def test_registered_methods_claim_existing_entries_and_the_planner_links_them() -> None:
    claims = {(e, p.key) for p in registry.all_plugins() for e in p.catalogue_entries}
    assert claims == {
        ("information", "information"),
        ("survey", "survey"),
        ("opinion_poll", "poll"),
        ("hearing", "hearing"),
        ("public_inspection", "hearing"),
        ("residents_panel", "panel"),
        ("e_democracy", "discussion"),
        ("opinion_map", "opinion_map"),
        ("plan_workshop", "meeting"),
        ("future_workshop", "meeting"),
        ("hosted_conversation", "meeting"),
        ("mayors_bench", "meeting"),
        ("democracy_cafe", "meeting"),
        ("class_session", "meeting"),
        ("user_dialogue", "meeting"),
        ("citizens_initiative", "initiative"),
        ("idea_board", "ideas"),
        ("barnetrakk", "map_input"),
        ("map_pins", "map_input"),
        ("participatory_budgeting", "budgeting"),
        ("advisory_referendum", "referendum"),
        ("statutory_councils", "bodies"),
        ("youth_council_assembly", "bodies"),
        ("committees", "bodies"),
        ("institution_board", "bodies"),
    }
    keys = {m.key for m in default(()).methods}
    assert {entry for entry, _method in claims} <= keys
    runs = {m.key: m.medvirk_method for m in library.catalogue().methods if m.medvirk_method}
    assert runs == {
        "information": "information",
        "survey": "survey",
        "opinion_poll": "poll",
        "hearing": "hearing",
        "public_inspection": "hearing",
        "residents_panel": "panel",
        "e_democracy": "discussion",
        "opinion_map": "opinion_map",
        "plan_workshop": "meeting",
        "future_workshop": "meeting",
        "hosted_conversation": "meeting",
        "mayors_bench": "meeting",
        "democracy_cafe": "meeting",
        "class_session": "meeting",
        "user_dialogue": "meeting",
        "citizens_initiative": "initiative",
        "idea_board": "ideas",
        "barnetrakk": "map_input",
        "map_pins": "map_input",
        "participatory_budgeting": "budgeting",
        "advisory_referendum": "referendum",
        "statutory_councils": "bodies",
        "youth_council_assembly": "bodies",
        "committees": "bodies",
        "institution_board": "bodies",
    }
    # The data alone names no method: the link comes only from the plug-ins.
    assert not any(m.medvirk_method for m in default(()).methods)
    assert all("medvirk_method" not in m for m in raw()["methods"])


def test_a_plugin_claiming_a_missing_entry_is_named_by_the_planner_and_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    survey = type(registry.get("survey"))
    monkeypatch.setattr(survey, "catalogue_entries", ("survey", "online_survey"))
    assert registry.problems(registry.get("survey")) == []  # the registry cannot know
    message = (
        "method 'survey' claims catalogue entry 'online_survey', which the catalogue does not "
        "have (see catalogue_entries in its plugin.py)"
    )
    with pytest.raises(CatalogueError) as refused:
        library.catalogue()
    assert refused.value.problems == [message]
    e002 = [m.msg for m in checks.run_checks() if m.id == "medvirk.E002"]
    assert e002 == [f"method catalogue: {message}"]


def test_two_methods_cannot_run_one_entry() -> None:
    with pytest.raises(CatalogueError, match="'survey' is claimed by both 'survey' and 'poll'"):
        parse(raw(), (("survey", "survey"), ("survey", "poll")))


def test_links_fill_medvirk_method_and_are_cached_per_set_of_links() -> None:
    linked = default((("barnetrakk", "walks"),))
    assert linked.method("barnetrakk").medvirk_method == "walks"
    assert linked.method("survey").medvirk_method is None
    assert default((("barnetrakk", "walks"),)) is linked
    assert default(()) is not linked


def test_the_shipped_methods_pass_the_planner_check() -> None:
    assert [m.msg for m in checks.run_checks() if m.id == "medvirk.E002"] == []


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("survey", "must be a tuple of catalogue keys"),  # a string, not a tuple
        (("survey", 3), "must be a tuple of catalogue keys"),
        (("Survey",), "must be a tuple of catalogue keys"),
        (("survey", "survey"), "catalogue_entries must be unique"),
    ],
)
def test_registry_checks_the_claimed_entries_are_unique_keys(
    monkeypatch: pytest.MonkeyPatch, entries: object, message: str
) -> None:
    plugin = registry.get("survey")
    monkeypatch.setattr(type(plugin), "catalogue_entries", entries)
    assert message in " ".join(registry.problems(plugin))


def _imports(path: Path, package: str) -> set[str]:
    """The modules a file imports, relative imports resolved from ``package``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            found.add(".".join(p for p in (base, node.module or "") if p))
    return found


def test_catalogue_and_rules_stay_free_of_django_and_the_registry() -> None:
    planning = Path(library.__file__).parent
    files = [(planning / "catalogue" / "__init__.py", "medvirk.planning.catalogue")]
    # The rules are a module or a package of modules; either way, all of them.
    if (planning / "rules.py").exists():
        files.append((planning / "rules.py", "medvirk.planning"))
    files += [(path, "medvirk.planning.rules") for path in (planning / "rules").glob("*.py")]
    assert len(files) > 1
    for path, package in files:
        imported = _imports(path, package)
        assert not [m for m in imported if m.split(".")[0] == "django"], path
        medvirk = {
            m
            for m in imported
            if m.startswith("medvirk") and not m.startswith("medvirk.planning.rules")
        }
        assert medvirk <= {"medvirk.vocabulary", "medvirk.planning.catalogue"}, path


def test_legal_hooks_from_norway_md() -> None:
    cat = default(())
    refs = {(r.act, r.section) for m in cat.methods for r in m.legal}
    refs |= {(r.act, r.section) for item in cat.legal for r in item.refs}
    for needed in [("pbl", "5-1"), ("pbl", "3-3"), ("pbl", "5-2"), ("pbl", "4-1"),
                   ("pbl", "11-14"), ("pbl", "12-10"), ("kl", "12-1"), ("kl", "12-2"),
                   ("kl", "5-12")]:  # fmt: skip
        assert needed in refs
    barnetrakk = cat.method("barnetrakk")
    assert cat.ref_label(barnetrakk.legal[0], "nb") == "plan- og bygningsloven § 5-1"
    assert cat.ref_label(barnetrakk.legal[0], "nn") == "plan- og bygningslova § 5-1"


def test_seed_deck_wording_is_quoted() -> None:
    cat = default(())
    assert "Barn lar seg i mindre grad begrense" in cat.method("barnetrakk").texts("nb")["summary"]
    assert "fremtidsverkstedet" in cat.method("future_workshop").texts("nb")["summary"]
    assert cat.reflection[0].label("nb") == "Hva må vi ha tenkt på i forkant?"


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda d: d["methods"][0]["text"].pop("nn"), "missing nn"),
        (lambda d: d["methods"][1]["text"]["en"].update(guide=""), "missing en guide"),
        (lambda d: d["methods"][2].update(rung=6), "rung must be one of"),
        (lambda d: d["methods"][3].update(key=d["methods"][0]["key"]), "duplicate keys"),
        (lambda d: d["methods"][4]["legal"].append({"act": "pbl", "section": "§5"}), "section"),
        (
            lambda d: d["methods"][4]["legal"].append({"act": "xyz", "section": "5-1"}),
            "unknown act",
        ),
        (lambda d: d["methods"][5].update(phases=["someday"]), "phases"),
        (lambda d: d["methods"][5].update(reaches_well=["martians"]), "reaches_well"),
        (lambda d: d["methods"][6].update(weeks=0), "weeks"),
        (lambda d: d["methods"][6].update(traits=["magic"]), "unknown traits"),
        (lambda d: d["pitfalls"][0]["text"]["nb"].pop("mitigation"), "missing nb mitigation"),
        (lambda d: d["legal"][0].update(refs={"act": "kl"}), "must be a list"),
        (lambda d: d["legal"][0]["refs"].append({"act": "grl"}), "exactly 'act' and 'section'"),
        (lambda d: d["legal"][0]["refs"].append({"act": "grl", "section": "1041"}), "section"),
        (lambda d: d["reflection"][0]["text"].update(en=""), "missing en text"),
        (lambda d: d["methods"][0].update(medvirk_method="information"), "no longer read"),
    ],
)
def test_validation_catches(break_it, message: str) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(raw())
    break_it(data)
    found = problems(data)
    assert any(message in p for p in found), found
    with pytest.raises(CatalogueError):
        parse(data, ())


def test_language_codes() -> None:
    assert language("nn") == "nn"
    assert language("en-gb") == "en"
    assert language("no") == "nb"
    assert language("de") == "nb"
    assert language(None) == "nb"


def test_catalogue_agrees_with_the_vocabulary() -> None:
    """Rungs and phase kinds in the data are the product's own words, all of them used."""
    cat = library.catalogue()
    assert {m.rung for m in cat.methods} == set(vocabulary.RUNGS)
    assert {p for m in cat.methods for p in m.phases} == set(vocabulary.PHASE_KINDS)
    for method in cat.methods:
        if method.medvirk_method:
            plugin = registry.get(method.medvirk_method)
            assert vocabulary.Rung(method.rung) in plugin.rungs, method.key
