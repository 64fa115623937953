"""The klarspråk check on texts counted by hand (the counts are written next to each text)."""

from __future__ import annotations

import random

import pytest

from medvirk.algorithms.text.readability import (
    Band,
    BandThresholds,
    Reason,
    ReasonCode,
    SentenceSpan,
    WordSpan,
    analyse,
    band_for,
    lix,
)


def counts(text: str) -> tuple[int, int, int]:
    r = analyse(text)
    return r.words, r.sentences, r.long_words


# --- known texts --------------------------------------------------------------------------


def test_published_example_lix_index_readme() -> None:
    # The Norwegian example in the README of the npm package lix-index, which reports 18.79.
    # Hand count: "Dette er en lang tekst." 5 words, 0 long.
    # "Den har noen, men ikke så mange, kjempevanskelige ord." 9 words, 1 long (kjempevanskelige).
    # "Her er et eksempel på et slikt ord:" 8 words, 1 long (eksempel); the colon ends a period.
    # "onomatopoetikon." 1 word, 1 long.
    # 23 words / 4 periods + 100 × 3 / 23 = 5.75 + 13.04 = 18.79.
    text = (
        "Dette er en lang tekst. Den har noen, men ikke så mange, kjempevanskelige ord. "
        "Her er et eksempel på et slikt ord: onomatopoetikon."
    )
    r = analyse(text)
    assert (r.words, r.sentences, r.long_words) == (23, 4, 3)
    assert r.lix == 18.8
    assert lix(23, 4, 3) == pytest.approx(18.79, abs=0.005)
    assert r.band is Band.VERY_EASY
    # Both are 15 letters or more.
    assert [w.word for w in r.very_long_words] == ["kjempevanskelige", "onomatopoetikon"]


def test_lillevik_notice_hand_counted() -> None:
    # Sentence 1: Kommunestyret(13, long) skal(4) bestemme(8, long) hva(3) som(3) skjer(5)
    #   med(3) Lillevik(8, long) skole(5) = 9 words, 3 long.
    # Sentence 2: Bygningen(9, long) er(2) i(1) svært(5) dårlig(6) stand(5) = 6 words, 1 long.
    # Sentence 3: Vi(2) vil(3) høre(4) hva(3) du(2) mener(5) = 6 words, 0 long.
    # LIX = 21/3 + 100 × 4/21 = 7 + 19.05 = 26.05 -> 26.0 (very easy)
    text = (
        "Kommunestyret skal bestemme hva som skjer med Lillevik skole. "
        "Bygningen er i svært dårlig stand. Vi vil høre hva du mener!"
    )
    r = analyse(text)
    assert (r.words, r.sentences, r.long_words) == (21, 3, 4)
    assert r.lix == 26.0
    assert r.band is Band.VERY_EASY
    assert r.reasons == ()


def test_bureaucratic_sentence_is_very_hard() -> None:
    # One sentence of 13 words; long ones (7+ letters) marked *:
    # I(1) henhold(7*) til(3) kommunestyrets(14*) vedtak(6) igangsettes(11*) en(2)
    # helhetlig(9*) utredning(9*) av(2) skolestrukturens(16*) fremtidige(10*) innretning(10*)
    # = 8 long. LIX = 13/1 + 100 × 8/13 = 13 + 61.54 = 74.54 -> 74.5 (very hard)
    text = (
        "I henhold til kommunestyrets vedtak igangsettes en helhetlig utredning av "
        "skolestrukturens fremtidige innretning."
    )
    r = analyse(text)
    assert (r.words, r.sentences, r.long_words) == (13, 1, 8)
    assert r.lix == 74.5
    assert r.band is Band.VERY_HARD
    assert Reason(ReasonCode.HARD_TO_READ) in r.reasons
    assert [w.word for w in r.very_long_words] == ["skolestrukturens"]


# --- words --------------------------------------------------------------------------------


def test_norwegian_and_accented_letters_count_as_letters() -> None:
    # Blåbærsyltetøy(14: long, not very long) på kafé | Ærlighetsvurderingene(21) øker
    r = analyse("Blåbærsyltetøy på kafé. Ærlighetsvurderingene øker.")
    assert (r.words, r.sentences, r.long_words) == (5, 2, 2)
    assert [w.word for w in r.very_long_words] == ["Ærlighetsvurderingene"]
    # A decomposed é (e + combining accent) is one letter: café 4 letters, kaféene 7 (long).
    assert counts("cafe\u0301 kafe\u0301ene") == (2, 1, 1)


def test_numbers_are_words_but_never_long() -> None:
    # 2025, 3,5, 3.5, 17.05.2025, 18:00 and 12 000 are one word each; none is long.
    r = analyse(
        "I 2025 brukte vi 3,5 eller 3.5 millioner den 17.05.2025 kl. 18:00 på 12 000 bøker."
    )
    # I, 2025, brukte, vi, 3,5, eller, 3.5, millioner, den, 17.05.2025, kl., 18:00, på,
    # 12 000, bøker = 15 words; 1 long (millioner); one sentence.
    assert (r.words, r.sentences, r.long_words) == (15, 1, 1)
    # A number with letters counts only its letters: "1000-årsjubileet" has 11.
    assert counts("1000-årsjubileet") == (1, 1, 1)


def test_hyphenated_compound_is_one_word_counted_by_its_letters() -> None:
    # skole-bruksplan: 5 + 9 = 14 letters: long, not very long (15 or more).
    r = analyse("En skole-bruksplan.")
    assert (r.words, r.long_words) == (2, 1)
    assert r.very_long_words == ()
    r = analyse("En skole-bruksplanen.")
    assert r.very_long_words == (WordSpan(3, 20, "skole-bruksplanen"),)
    # A suspended compound keeps its parts apart: barne, og, ungdomsråd.
    assert counts("barne- og ungdomsråd") == (3, 1, 1)
    # e-post is one word of five letters.
    assert counts("Send e-post.") == (2, 1, 0)


def test_addresses_are_one_word_and_never_long() -> None:
    r = analyse("Les mer på https://www.lillevik.kommune.no/skole. Skriv til post@lillevik.no.")
    # Les, mer, på, <url> | Skriv, til, <e-mail>
    assert (r.words, r.sentences, r.long_words) == (7, 2, 0)
    assert r.very_long_words == ()


# --- sentences ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "abbreviation",
    ["f.eks.", "bl.a.", "jf.", "kl.", "nr.", "ca.", "dvs.", "F.eks.", "Bl.a."],
)
def test_abbreviations_do_not_end_sentences(abbreviation: str) -> None:
    # "Vi møtes <abbr> Lillevik skole." is one sentence of 5 words even with a capital after.
    r = analyse(f"Vi møtes {abbreviation} Lillevik skole.")
    assert (r.words, r.sentences) == (5, 1)


@pytest.mark.parametrize("abbreviation", ["osv.", "m.m.", "mv.", "etc."])
def test_closing_abbreviations_end_a_sentence_before_a_capital(abbreviation: str) -> None:
    # "Vi har bøker, penner <abbr>" 5 words | "Alle kan låne." 3 words
    assert counts(f"Vi har bøker, penner {abbreviation} Alle kan låne.") == (8, 2, 0)
    # Followed by a lower-case word they carry on.
    assert counts(f"Vi har bøker, penner {abbreviation} som alle kan låne.") == (9, 1, 0)


def test_ordinal_dates_and_lower_case_continuations() -> None:
    # "17. mai" does not end the sentence: 1 sentence, 6 words, 1 long (Fristen).
    assert counts("Fristen er 17. mai i år.") == (6, 1, 1)
    # A question inside a quote, followed by lower case: one sentence of 5 words.
    assert counts("«Hva skjer nå?» spurte hun.") == (5, 1, 0)
    # Ellipsis followed by lower case carries on, followed by a capital ends.
    # Vi vet ikke kanskje(7, long) | Vi vet ikke | Kanskje(long)
    assert counts("Vi vet ikke ... kanskje. Vi vet ikke … Kanskje.") == (8, 3, 2)


def test_marks_end_sentences_once_per_run() -> None:
    # "Hva?!" "Nei!!!" "Ja..." are three sentences of one word each.
    assert counts("Hva?! Nei!!! Ja...") == (3, 3, 0)
    # Closing quotes and brackets after the mark do not matter.
    assert counts("Han sa «ja.» (Det var bra.) Så gikk han.") == (9, 3, 0)


def test_colon_ends_a_period_but_not_inside_a_time() -> None:
    assert counts("Merk: møtet er kl. 18:00.") == (5, 2, 0)


def test_line_breaks_lists_and_paragraphs() -> None:
    text = (
        "Om saken\n"  # heading: 2 words
        "Skolen er gammel.\n"  # 3 words
        "\n"
        "Vi vurderer tre ting:\n"  # 4 words, 1 long (vurderer)
        "- rive skolen\n"  # 2 words (the marker is not a word)
        "* pusse opp\n"  # 2 words
        "• bygge ny\n"  # 2 words
        "1. Alternativ A\n"  # 2 words, 1 long
        "2) Alternativ B\n"  # 2 words, 1 long
        "\n"
        "Første avsnitt\n\nAndre avsnitt"  # 2 + 2 words, 2 long (avsnitt)
    )
    r = analyse(text)
    assert (r.words, r.sentences, r.long_words) == (23, 10, 5)


def test_hard_wrapped_lines_carry_on() -> None:
    # A single line break followed by lower case continues the sentence: 1 sentence, 10 words.
    assert counts("Vi skal bygge en ny\nskole i Lillevik til høsten.") == (10, 1, 1)
    # Windows line endings count the same and spans still point into the original text.
    r = analyse("Første linje\r\nAndre linje")
    assert (r.words, r.sentences) == (4, 2)
    # A blank line always ends the sentence, even before lower case.
    assert counts("uten punktum\n\nog videre") == (4, 2, 1)


def test_text_without_a_final_mark_is_one_sentence() -> None:
    assert counts("Skolen er gammel") == (3, 1, 0)


# --- empty and odd input ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t ", "...", "!!! ???", "- \n* \n", "«»()"])
def test_empty_text_has_no_lix_and_no_division_by_zero(text: str) -> None:
    r = analyse(text)
    assert (r.words, r.sentences, r.long_words) == (0, 0, 0)
    assert r.lix is None
    assert r.band is None
    assert r.reasons == (Reason(ReasonCode.NO_TEXT),)
    assert lix(0, 0, 0) is None


def test_long_sentence_is_flagged_with_its_span_and_opening() -> None:
    words_25 = " ".join(["ord"] * 25)
    assert analyse(words_25 + ".").long_sentences == ()  # 25 is not over 25

    long_one = " ".join(["Ord"] + ["ord"] * 25)
    text = "Kort setning. " + long_one + ". Slutt."
    r = analyse(text)
    start = len("Kort setning. ")
    end = start + len(long_one) + 1  # including the full stop
    assert r.long_sentences == (SentenceSpan(start, end, 26),)
    assert text[start:end].endswith("ord.")
    assert r.flagged_sentences[0].opening == " ".join(["Ord"] + ["ord"] * 7) + " …"
    assert r.flagged_sentences[0].word_count == 26
    assert Reason(ReasonCode.LONG_SENTENCES, 1) in r.reasons


def test_very_long_words_spans_point_into_the_text() -> None:
    text = "Reguleringsplanarbeidet starter. Reguleringsplanarbeidet tar tid."
    r = analyse(text)
    assert [text[s.start : s.end] for s in r.very_long_words] == ["Reguleringsplanarbeidet"] * 2
    assert r.distinct_very_long_words == ("Reguleringsplanarbeidet",)
    assert Reason(ReasonCode.VERY_LONG_WORDS, 1) in r.reasons


def test_limits_are_settings() -> None:
    text = "Skolebygningen er gammel og trenger mye vedlikehold nå."
    assert analyse(text).very_long_words == ()
    r = analyse(text, very_long_word_letters=10, long_sentence_words=5, long_word_letters=6)
    # Skolebygningen(14), vedlikehold(11) >= 10; long >= 6: Skolebygningen, gammel,
    # trenger, vedlikehold.
    assert [w.word for w in r.very_long_words] == ["Skolebygningen", "vedlikehold"]
    assert r.long_words == 4
    assert r.long_sentences == (SentenceSpan(0, len(text), 8),)
    with pytest.raises(ValueError):
        analyse(text, long_sentence_words=0)


# --- bands --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, Band.VERY_EASY),
        (29.9, Band.VERY_EASY),
        (30, Band.EASY),
        (39.9, Band.EASY),
        (40, Band.MEDIUM),
        (50, Band.HARD),
        (59.9, Band.HARD),
        (60, Band.VERY_HARD),
        (95, Band.VERY_HARD),
    ],
)
def test_default_bands(value: float, band: Band) -> None:
    assert band_for(value) is band


def test_custom_thresholds() -> None:
    strict = BandThresholds(easy=20, medium=25, hard=30, very_hard=35)
    assert band_for(26.0, strict) is Band.MEDIUM
    # The 26.0 text above is very easy by default and medium with strict bands.
    text = (
        "Kommunestyret skal bestemme hva som skjer med Lillevik skole. "
        "Bygningen er i svært dårlig stand. Vi vil høre hva du mener!"
    )
    assert analyse(text, thresholds=strict).band is Band.MEDIUM
    with pytest.raises(ValueError):
        BandThresholds(easy=40, medium=30)


# --- properties ---------------------------------------------------------------------------

# fmt: off
VOCABULARY = (
    "vi", "du", "er", "på", "og", "i", "skolen", "kommunen", "Lillevik", "elevene", "foreldre",
    "bygningen", "vedtak", "høring", "innbyggere", "kommunestyret", "ny", "gammel", "2025", "3,5",
    "e-post", "barnehage", "skal", "kan",
)
# fmt: on


def random_text(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 30))]
        words[0] = words[0].capitalize()
        sentences.append(" ".join(words) + rng.choice([".", "!", "?"]))
    return rng.choice([" ", "\n", "\n\n"]).join(sentences)


def test_adding_a_sentence_of_short_words_lowers_the_lix() -> None:
    rng = random.Random(2025)
    for _ in range(200):
        text = random_text(rng)
        before = analyse(text)
        assert before.lix is not None
        # k short words with k no more than the average sentence length.
        k = max(1, min(3, before.words // before.sentences))
        short_sentence = {1: " Ja.", 2: " Vi er.", 3: " Vi er her."}[k]
        after = analyse(text + short_sentence)
        assert (after.words, after.sentences, after.long_words) == (
            before.words + k,
            before.sentences + 1,
            before.long_words,
        )
        raw_before = lix(before.words, before.sentences, before.long_words)
        raw_after = lix(after.words, after.sentences, after.long_words)
        assert raw_before is not None and raw_after is not None
        assert raw_after <= raw_before
        if before.long_words:
            assert raw_after < raw_before


def test_counts_do_not_depend_on_spacing_or_line_endings() -> None:
    rng = random.Random(7)
    for _ in range(100):
        text = random_text(rng)
        base = counts(text)
        assert counts(text.replace(" ", "  ")) == base
        assert counts(text.replace("\n", "\r\n")) == base
        r = analyse(text)
        assert r.sentences <= r.words
        for span in r.very_long_words:
            assert text[span.start : span.end] == span.word


def test_large_input_is_fast_enough_for_typing() -> None:
    # 20 000 characters (the view's limit) must analyse without trouble.
    text = ("Kommunestyret skal bestemme hva som skjer med Lillevik skole. " * 400)[:20_000]
    r = analyse(text)
    assert r.sentences == 323
    assert r.band is not None
