"""How alike two short Norwegian texts are: for spotting an earlier proposal with the same
content (kommuneloven § 12-1: the council may refuse a proposal whose content an earlier
one of the same valgperiode had).

The score only points staff at candidates; people decide whether two proposals say the
same thing. So it is built to be explainable and robust rather than clever:

Features
  Each text becomes a bag of features: its words, lower-cased, NFKC, with a light
  Norwegian suffix strip so that bokmål and nynorsk inflections meet ("skolen", "skolar",
  "skulane" → "skol"/"skul"), common function words of bokmål, nynorsk and English left
  out; and the character trigrams of every word (with its boundaries, " sk", "sku", …),
  which catch spelling variants and compounds ("skuleveg" ~ "skoleveien").
Weights
  TF-IDF over the texts compared together: ``(1 + log tf) × log((1 + n) / (1 + df)) + 1``
  (smoothed, so a feature in every text still counts a little). Words weigh twice what a
  trigram weighs, because a shared word says more than a shared fragment.
Score
  The cosine of the two weighted bags, from 0 (nothing shared) to 1 (the same features in
  the same proportions). Word order does not matter.

Pure Python (no Django): usable and testable anywhere.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
WORD_WEIGHT = 2.0
TRIGRAM_WEIGHT = 1.0
MIN_STEM = 3

# Function words (bokmål, nynorsk, English) that say nothing about content.
_STOP_WORDS = """
    a alle andre at av bare begge ble bli blir blitt både båe da dei deim deira deires dem
    den denne der dere deres det dette di din disse ditt du då eg ein eit eitt eller elles
    en end enn er et ett etter for fordi fra før ha hadde han hans har hennar henne hennes
    her hjå ho hoe honom hoss hossen hun hva hvem hver hvilke hvilken hvis hvor hvordan
    hvorfor i ikke ikkje ingen ingi inkje inn inni ja jeg kan kom korleis korso kva kvar
    kvarhelst kven kvi kvifor man mange me med medan meg meget mellom men mi min mine mitt
    mot mykje ned no noe noen noka noko nokon nokor nokre nå når og også om opp oss over på
    samme seg selv si sia sidan siden sin sine sitt sjøl skal skulle slik so som somme
    somt så sånn til um upp ut uten var vart varte ved vere verte vi vil ville vore vors
    vort vår være vært å
    an and are as at be by for from has have in is it its of on or that the this to was
    were will with
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Endings stripped (longest first), bokmål and nynorsk: definite forms, plurals, verb and
# adjective endings. A stem keeps at least MIN_STEM letters.
_SUFFIXES = """
    ingane ingar inga ingen ing heitene heita heiten heit heten het arne ande ende
    aste ast ane ene ar er ere est et en a e s
"""
SUFFIXES = tuple(sorted(_SUFFIXES.split(), key=len, reverse=True))


def normalise(text: str) -> str:
    """NFKC, case-folded, with typographic apostrophes made plain."""
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def words(text: str) -> list[str]:
    """The content words of ``text``: normalised, without function words or bare numbers."""
    found = []
    for match in _WORD.finditer(normalise(text)):
        word = match.group(0)
        if word in STOP_WORDS or word.isdigit():
            continue
        found.append(word)
    return found


def stem(word: str) -> str:
    """A light Norwegian stem: one common ending off, keeping at least MIN_STEM letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def features(text: str) -> Counter[str]:
    """Stemmed words ("w:…") and the character trigrams of every word ("c:…")."""
    bag: Counter[str] = Counter()
    for word in words(text):
        bag["w:" + stem(word)] += 1
        padded = f" {word} "
        for i in range(len(padded) - 2):
            bag["c:" + padded[i : i + 3]] += 1
    return bag


def _weight(feature: str) -> float:
    return WORD_WEIGHT if feature.startswith("w:") else TRIGRAM_WEIGHT


def _vectors(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors of the bags, computed over the bags themselves."""
    n = len(bags)
    document_frequency: Counter[str] = Counter()
    for bag in bags:
        document_frequency.update(bag.keys())
    vectors = []
    for bag in bags:
        vector = {
            f: (1.0 + math.log(tf))
            * (math.log((1 + n) / (1 + document_frequency[f])) + 1.0)
            * _weight(f)
            for f, tf in bag.items()
        }
        vectors.append(vector)
    return vectors


def cosine(one: Mapping[str, float], other: Mapping[str, float]) -> float:
    """The cosine of two sparse vectors (0 when either is empty)."""
    if not one or not other:
        return 0.0
    small, large = (one, other) if len(one) <= len(other) else (other, one)
    dot = sum(value * large.get(key, 0.0) for key, value in small.items())
    norm = math.sqrt(sum(v * v for v in one.values())) * math.sqrt(
        sum(v * v for v in other.values())
    )
    return 0.0 if norm == 0 else max(0.0, min(1.0, dot / norm))


def similarity(one: str, other: str) -> float:
    """How alike two texts are, from 0 to 1 (weights from these two texts alone)."""
    first, second = _vectors([features(one), features(other)])
    return cosine(first, second)


@dataclass(frozen=True)
class Match(Generic[K]):
    key: K
    score: float


def rank(
    text: str,
    candidates: Iterable[tuple[K, str]],
    *,
    min_score: float = 0.0,
    limit: int | None = None,
) -> list[Match[K]]:
    """The candidates most like ``text``, best first, each with its score.

    The weights come from ``text`` and all candidates together, so a word every proposal
    uses ("kommunen") counts less than one only two share. Ties keep the candidates' order.
    """
    pairs = list(candidates)
    if not pairs:
        return []
    vectors = _vectors([features(text), *(features(body) for _key, body in pairs)])
    query, rest = vectors[0], vectors[1:]
    scored = [
        Match(key, round(cosine(query, vector), 4))
        for (key, _body), vector in zip(pairs, rest, strict=True)
    ]
    kept = [m for m in scored if m.score >= min_score and m.score > 0]
    kept.sort(key=lambda m: -m.score)  # stable: ties keep the given order
    return kept if limit is None else kept[:limit]
