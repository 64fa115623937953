"""Theme suggestions on a Norwegian text set: 60 short inputs about the Lillevik school case
in mixed bokmål and nynorsk, 15 on each of four planted topics. The suggestions must find
the topics again (adjusted Rand index and purity), the same way every time, and survive
the texts real input brings (empty, duplicated, very short, one, all the same)."""

from __future__ import annotations

from collections import Counter

import pytest
from sklearn.metrics import adjusted_rand_score

from medvirk.algorithms.text import themes
from medvirk.algorithms.text.themes import Suggestion, suggest, words

TRAFFIC = [
    "Skulevegen langs fylkesvegen er farleg, bilane køyrer altfor fort.",
    "Skoleveien mangler fortau, og barna må gå i veikanten.",
    "Vi treng gangfelt ved krysset ved butikken, det er mykje trafikk om morgonen.",
    "Det er for mye trafikk forbi skolen når foreldre kjører barna.",
    "Fartsgrensa på skulevegen bør setjast ned til 30 km/t.",
    "Bussen stopper på feil side av veien, så barna må krysse veien uten gangfelt.",
    "Eg er redd for at nokon blir påkøyrde på vegen til skulen.",
    "Lag fortau og gatelys langs hele skoleveien.",
    "Skulebussen er full, og mange born må gå langs vegen i mørket.",
    "Foreldrekøyringa skaper kaos og farlege situasjonar ved skuleporten.",
    "Trafikksikkerheten på veien til skolen må bli bedre før noe annet.",
    "Det trengs fartsdumper og fotgjengerfelt ved skolen.",
    "Vegen er smal og utan fortau, det er ikkje trygt for syklande born.",
    "Lastebilene kjører fort forbi skolen hver morgen.",
    "Ein trygg skuleveg med gang- og sykkelveg er det viktigaste for oss.",
]
INDOOR = [
    "Inneklimaet i klasseromma er dårleg, elevane får hovudverk.",
    "Ventilasjonen på skolen fungerer ikke, luften er tung etter første time.",
    "Det er fukt og mugg i kjellaren, og lukta kjem opp i klasseromma.",
    "Klasserommene er altfor varme om sommeren og kalde om vinteren.",
    "Ventilasjonsanlegget er gammalt og bråkar så elevane ikkje høyrer læraren.",
    "Barnet mitt får astma av den dårlige luften i klasserommet.",
    "Luftkvaliteten må målast, vi mistenkjer mugg i veggene.",
    "Lærerne klager på hodepine og dårlig inneklima.",
    "Vinduene kan ikke åpnes, og ventilasjonen er for svak.",
    "Det trekkjer kaldt frå vindauga, og golvet er kaldt heile vinteren.",
    "Muggsopp i gymsalen må fjernes før elevene kan bruke den.",
    "Inneklimaet gjer at elevane blir trøytte og ukonsentrerte.",
    "Skolen trenger nytt ventilasjonsanlegg og bedre isolasjon.",
    "Fukt i taket har gitt mugg og lukt i fleire rom.",
    "Dårlig inneklima og støy fra ventilasjonen gjør det vanskelig å lære.",
]
OUTDOOR = [
    "Leikeplassen er gammal, og fleire av apparata er øydelagde.",
    "Skolegården trenger nye lekeapparater og mer grønt.",
    "Borna ønskjer seg ei klatrevegg og ein ballbinge i skulegarden.",
    "Uteområdet er bare asfalt, barna har ingenting å leke med i friminuttene.",
    "Huskene på leikeplassen har vore stengde i to år.",
    "Vi ønsker en ballbinge og en sandkasse til de minste.",
    "Skulegarden bør ha tre, benkar og skugge om sommaren.",
    "Lekeplassen brukes av mange familier på ettermiddagen og i helgene.",
    "Uteområdet bør vere ope for leik og idrett etter skuletid.",
    "Sklia og huskene er ødelagt, og gjerdet rundt lekeplassen er rustent.",
    "Elevrådet vil ha ein større fotballbane og nye mål i skulegarden.",
    "Friminuttene blir kjedelige fordi skolegården er så liten.",
    "Gje borna ein naturleikeplass med stein, tre og bekk.",
    "Lag en trygg lekeplass med gummidekke under klatrestativet.",
    "Uteområdet ved skulen treng ei skikkeleg oppgradering med nye leikeapparat.",
]
CLOSURE = [
    "Om skulen blir lagd ned, mistar bygda hjartet sitt.",
    "Nedlegging av skolen vil føre til at unge familier flytter fra bygda.",
    "Skulen er samlingsstaden for heile bygda, ikkje legg han ned.",
    "Sentralisering av skolen gjør bygda mindre attraktiv for tilflyttere.",
    "Vi flytta hit på grunn av nærskulen. Legg han ned, og vi flyttar.",
    "Lillevik trenger skolen sin for at bygda skal overleve.",
    "Nedlegginga vil gjere bygda til ei sovebygd utan liv.",
    "Bygda har kjempet for skolen før, og vi gjør det igjen.",
    "Kommunen sparer lite på å legge ned skolen, men bygda taper mye.",
    "Utan skule forsvinn butikken og idrettslaget, og bygda døyr.",
    "Nei til nedlegging! Behold nærskolen i bygda.",
    "Barna skal gå på skule der dei bur, i si eiga bygd.",
    "Folketalet i bygda vil gå ned dersom skulen blir nedlagd.",
    "Skolen er viktig for frivilligheten og samholdet i bygda.",
    "Legg ikkje ned skulen, bygg heller ny skule i bygda.",
]
TOPICS = {"traffic": TRAFFIC, "indoor": INDOOR, "outdoor": OUTDOOR, "closure": CLOSURE}


def _interleaved() -> list[tuple[int, str, str]]:
    """(id, text, planted topic), the topics mixed as input arrives."""
    out: list[tuple[int, str, str]] = []
    for i in range(15):
        for topic, texts in TOPICS.items():
            out.append((len(out) + 1, texts[i], topic))
    return out


CASE = _interleaved()


def _labels(found: list[Suggestion[int]], ids: list[int]) -> list[str]:
    where = {pk: str(n) for n, s in enumerate(found) for pk in s.member_ids}
    return [where.get(pk, "unsorted") for pk in ids]


def test_the_text_set_is_four_topics_of_fifteen() -> None:
    assert len(CASE) == 60
    assert Counter(topic for _, _, topic in CASE) == dict.fromkeys(TOPICS, 15)


def test_the_planted_topics_are_found_again() -> None:
    found = suggest([(pk, text) for pk, text, _ in CASE])
    ids = [pk for pk, _, _ in CASE]
    planted = [topic for _, _, topic in CASE]
    ari = adjusted_rand_score(planted, _labels(found, ids))
    assert ari >= 0.6, (ari, [s.label_terms for s in found])
    # Purity: each suggestion's biggest planted topic, over all the texts.
    topic_of = {pk: topic for pk, _, topic in CASE}
    majority = sum(Counter(topic_of[pk] for pk in s.member_ids).most_common(1)[0][1] for s in found)
    assert majority / len(CASE) >= 0.75
    assert 3 <= len(found) <= 8


def test_each_suggestion_is_labelled_with_written_words_and_shows_its_centre() -> None:
    found = suggest([(pk, text) for pk, text, _ in CASE])
    all_words = {w for _, text, _ in CASE for w in words(text)}
    topic_of = {pk: topic for pk, _, topic in CASE}
    for s in found:
        assert 3 <= len(s.label_terms) <= 5
        # Unstemmed: every label is a word as someone wrote it.
        assert set(s.label_terms) <= all_words, s.label_terms
        assert 1 <= len(s.representative_ids) <= 3
        assert set(s.representative_ids) <= set(s.member_ids)
        assert 0.0 <= s.cohesion <= 1.0
        assert s.member_ids == sorted(s.member_ids)  # input order
        # The examples shown are of the group's own main topic.
        main = Counter(topic_of[pk] for pk in s.member_ids).most_common(1)[0][0]
        assert topic_of[s.representative_ids[0]] == main
    # Largest first.
    assert [s.size for s in found] == sorted((s.size for s in found), reverse=True)
    # The planted words come back as labels.
    labels = {w for s in found for w in s.label_terms}
    assert labels & {"bygda", "nedlegging"}
    assert labels & {"mugg", "inneklimaet", "ventilasjonen", "fukt"}


def test_suggestions_are_the_same_every_time() -> None:
    texts = [(pk, text) for pk, text, _ in CASE]
    assert suggest(texts) == suggest(texts) == suggest(list(texts))
    assert suggest(texts, seed=3) == suggest(texts, seed=3)


def test_no_id_is_in_two_suggestions_and_min_size_is_kept() -> None:
    found = suggest([(pk, text) for pk, text, _ in CASE], min_size=4, max_themes=6)
    seen = [pk for s in found for pk in s.member_ids]
    assert len(seen) == len(set(seen))
    assert all(s.size >= 4 for s in found)
    assert len(found) <= 6


def test_stop_words_include_the_nynorsk_function_words_stopwordsiso_lacks() -> None:
    stop = themes.stop_words()
    for word in ("eg", "ikkje", "kva", "korleis", "dei", "berre", "òg", "frå", "sjølv", "meir"):
        assert word in stop
    assert words("Eg meiner òg at skulen berre treng 2 nye vindauge frå 2026!") == [
        "skulen",
        "treng",
        "nye",
        "vindauge",
    ]


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [(1, "")],
        [(1, "Skulevegen er farleg.")],
        [(1, ""), (2, "   "), (3, "123 456"), (4, "!!!")],
        [(1, "og"), (2, "eg"), (3, "ikkje"), (4, "kva")],
        [(1, "Fortau!"), (2, "Mugg.")],
        [(1, "Fortau"), (2, "Mugg"), (3, "Bygda")],
    ],
)
def test_too_little_gives_no_suggestions(texts: list[tuple[int, str]]) -> None:
    assert suggest(texts) == []


def test_all_identical_texts_are_one_suggestion() -> None:
    texts = [(i, "Skulevegen manglar fortau.") for i in range(6)]
    (only,) = suggest(texts)
    assert only.member_ids == list(range(6))
    assert only.cohesion == 1.0
    assert only.representative_ids == [0, 1, 2]
    assert set(only.label_terms) == {"skulevegen", "manglar", "fortau"}


def test_duplicates_short_and_empty_texts_do_not_break_the_grouping() -> None:
    texts: list[tuple[object, str]] = [(pk, text) for pk, text, _ in CASE]
    # The same complaint twenty times, empty and one-word input, odd ids.
    texts += [(f"dup-{i}", "Skulevegen manglar fortau og gangfelt.") for i in range(20)]
    texts += [("empty", ""), ("digits", "2026"), ("ja", "Ja!"), ("ord", "Mugg")]
    found = suggest(texts)
    assert found
    members = {pk for s in found for pk in s.member_ids}
    assert {"empty", "digits", "ja"}.isdisjoint(members)
    dup_groups = {
        n for n, s in enumerate(found) for pk in s.member_ids if str(pk).startswith("dup")
    }
    assert len(dup_groups) == 1  # the duplicates stay together


def test_two_clear_groups_in_a_small_set() -> None:
    texts = [
        (1, "Fortau langs skulevegen."),
        (2, "Fortau på skulevegen, takk."),
        (3, "Skulevegen treng fortau."),
        (4, "Mugg i klasserommet."),
        (5, "Mugg og fukt i klasserommet."),
        (6, "Klasserommet har mugg."),
    ]
    found = suggest(texts, max_themes=4)
    assert sorted(sorted(s.member_ids) for s in found) == [[1, 2, 3], [4, 5, 6]]
