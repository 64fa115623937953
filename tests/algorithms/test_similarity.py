"""Text similarity for spotting an earlier proposal with the same content: pure Python."""

from __future__ import annotations

import pytest

from medvirk.algorithms.text import similarity

LAMPS_NN = (
    "Gatelys langs skulevegen til Nordbygda. Vegen er mørk om vinteren, og borna går utan "
    "fortau. Kommunen bør setje opp lys langs heile vegen."
)
LAMPS_NB = (
    "Lys langs skoleveien til Nordbygda! Veien er mørk om vinteren og barna går uten fortau. "
    "Kommunen bør sette opp gatelys langs hele veien."
)
BATHING = (
    "Badeplass med brygge ved Lillevatnet, med benkar og søppeldunkar, så born kan lære å "
    "symje om sommaren."
)
LIBRARY = "Lengre opningstider på biblioteket i helgane, og eit lesesal for studentar."


def test_a_text_is_identical_to_itself() -> None:
    assert similarity.similarity(LAMPS_NN, LAMPS_NN) == pytest.approx(1.0)


def test_the_same_proposal_in_bokmal_and_nynorsk_scores_high() -> None:
    same = similarity.similarity(LAMPS_NN, LAMPS_NB)
    different = similarity.similarity(LAMPS_NN, BATHING)
    assert same > 0.4
    assert different < 0.15
    assert same > 3 * different


def test_word_order_and_case_do_not_matter() -> None:
    assert similarity.similarity("gatelys skuleveg Nordbygda", "NORDBYGDA SKULEVEG GATELYS") == (
        pytest.approx(1.0)
    )


def test_function_words_and_numbers_alone_count_for_nothing() -> None:
    assert similarity.words("og i på 2025 av at det") == []
    assert similarity.similarity("og i på det", "det på i og") == 0.0


def test_empty_and_hostile_texts_score_zero_without_error() -> None:
    assert similarity.similarity("", LAMPS_NN) == 0.0
    assert similarity.similarity("\x00\u202e<script>", "") == 0.0
    assert similarity.rank(LAMPS_NN, []) == []


def test_the_light_stemmer_meets_inflections() -> None:
    assert similarity.stem("skulen") == similarity.stem("skule")
    assert similarity.stem("skolane") == similarity.stem("skolen")
    assert similarity.stem("bygg") == "bygg"  # too short to strip


def test_rank_puts_the_same_content_first_and_drops_the_rest() -> None:
    candidates = [("library", LIBRARY), ("lamps", LAMPS_NB), ("bathing", BATHING)]
    ranked = similarity.rank(LAMPS_NN, candidates, min_score=0.25)
    assert [m.key for m in ranked] == ["lamps"]
    everything = similarity.rank(LAMPS_NN, candidates)
    assert everything[0].key == "lamps"
    assert all(0 < m.score <= 1 for m in everything)
    assert [m.score for m in everything] == sorted((m.score for m in everything), reverse=True)


def test_rank_keeps_the_given_order_for_ties_and_honours_the_limit() -> None:
    ranked = similarity.rank("gatelys", [(1, "gatelys"), (2, "gatelys"), (3, "gatelys")], limit=2)
    assert [m.key for m in ranked] == [1, 2]
