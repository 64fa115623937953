"""Theme suggestions: group a case's input texts (bokmål and nynorsk) by what they are about.

The suggestions only point case officers at candidate themes; people read the input and
decide. So the pipeline is plain and explainable:

Words
  NFKC, lower-cased; a word is a run of letters (æ, ø, å and other accented letters
  included), so numbers drop out. Function words are left out: the maintained Norwegian
  list of ``stopwordsiso`` ("no") and :data:`NYNORSK_EXTRA`, the nynorsk (and a few
  bokmål) function words it lacks. Each word is stemmed with the Snowball Norwegian
  stemmer, so "skulen", "skular" and "skule" meet; for labels each stem is shown as its
  most frequent written form in the input.
Weights
  Each text is its stems plus the four-letter pieces of its words ("#skul", "kule", …),
  which join spellings and compounds the stemmer keeps apart ("leikeplass" and
  "naturleikeplass", "skulevegen" and "skoleveien"). TF-IDF (scikit-learn) with sublinear
  term frequency over the texts themselves; a feature must occur in at least two texts
  once there are :data:`MIN_DF_FROM` texts or more.
Groups
  For every k from 2 to ``max_themes``: the texts in k latent dimensions (LSA, truncated
  SVD: words that occur together pull their texts together), grouped by k-means (fixed
  seed, fixed number of starts; the same text given many times is one weighted point).
  The k whose groups have the best silhouette (cosine, measured in the TF-IDF space so
  every k is judged on the same scale) wins, the smaller k on a tie. Groups smaller than
  ``min_size`` are left unsorted, as are texts with no content words.
Output
  Per group: the 3–5 stems that weigh most in it compared with the rest (shown as the
  written word most used for each), the members, the (up to three) members closest to the
  group's centre, and its cohesion — the mean cosine of the members to the centre, from 0
  (loose) to 1 (the same).

On the test set of 60 short school-case inputs in four planted topics
(``tests/algorithms/test_themes.py``) the groups are pure (purity 1.0) with an adjusted
Rand index of about 0.7: a topic written in both bokmål and nynorsk may come as two groups.

Deterministic for the same input in the same order; nothing is downloaded at run time.
Pure Python with numpy and scikit-learn (no Django).
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

import numpy as np
import snowballstemmer
import stopwordsiso
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

K = TypeVar("K", bound=Hashable)

# Function words missing from stopwordsiso's Norwegian list (checked against version 0.7):
# nynorsk forms first, then a few bokmål ones, and opinion verbs that say nothing about a
# topic ("eg meiner", "vi ønsker").
_NYNORSK_EXTRA = """
    òg berre sjølv frå heile meir utan inga ei vert vorte difor likevel kanskje heilt
    saman gjer gjere gjort fått enno endå kring ikring fleire anna nokså svært litt lite
    desse dersom viss slikt einaste eigentleg dykk dykkar våre vårt hos
    hele bør derfor rundt mindre ganske veldig
    tykkjer synest trur meiner meinar ønskjer ønsker
"""
NYNORSK_EXTRA = frozenset(_NYNORSK_EXTRA.split())
# From this many texts on, a stem must occur in two texts to count (one-off words and typos
# say nothing about a group).
MIN_DF_FROM = 20
N_INIT = 10
# The silhouette of more texts than this is estimated from a fixed sample.
SILHOUETTE_SAMPLE = 2000
MAX_LABEL_TERMS = 5
MIN_LABEL_TERMS = 3
N_REPRESENTATIVES = 3
# The length of the character n-grams added to the stems.
GRAM = 4
# Words shorter than this are left out ("å", "ja", stray letters).
MIN_WORD = 2

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion(Generic[K]):
    """One suggested theme."""

    label_terms: list[str]  # 3–5 words that mark the group, most telling first
    member_ids: list[K]  # in input order
    representative_ids: list[K]  # up to three members closest to the centre, closest first
    cohesion: float  # mean cosine of the members to the centre, 0..1

    @property
    def size(self) -> int:
        return len(self.member_ids)


@cache
def stop_words() -> frozenset[str]:
    """The Norwegian function words left out (stopwordsiso "no" and NYNORSK_EXTRA)."""
    return frozenset(stopwordsiso.stopwords("no")) | NYNORSK_EXTRA


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("norwegian")


def words(text: str) -> list[str]:
    """The content words of ``text`` as written (lower-cased), in order."""
    if not text:
        return []
    normal = unicodedata.normalize("NFKC", text).lower()
    skip = stop_words()
    return [w for w in _WORD.findall(normal) if len(w) >= MIN_WORD and w not in skip]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _grams(word: str) -> list[str]:
    """The word's character n-grams with its boundaries ("#skul", "#kule", …), marked with
    "#" so they never meet a stem: they join spellings and compounds the stemmer keeps
    apart ("skulevegen" and "skoleveien", "leikeplass" and "naturleikeplass")."""
    padded = f" {word} "
    return ["#" + padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1)]


def _label_terms(
    weights: NDArray[np.float64], vocabulary: NDArray[np.str_], shown: dict[str, str]
) -> list[str]:
    """The most telling stems (highest weight first, then alphabetically), as written."""
    order = sorted(
        (i for i in range(len(weights)) if weights[i] > 0 and not vocabulary[i].startswith("#")),
        key=lambda i: (-round(float(weights[i]), 12), str(vocabulary[i])),
    )
    return [shown[str(vocabulary[i])] for i in order[:MAX_LABEL_TERMS]]


def suggest(
    texts: Sequence[tuple[K, str]],
    *,
    max_themes: int = 8,
    min_size: int = 2,
    seed: int = 0,
) -> list[Suggestion[K]]:
    """Suggested themes for ``texts`` (``(id, text)`` pairs), largest first.

    Texts without content words and groups smaller than ``min_size`` are in no suggestion.
    Returns ``[]`` when there is too little to group (fewer than ``2 × min_size`` texts with
    content words). When every usable text says the same, that is one suggestion.
    """
    min_size = max(1, int(min_size))
    max_themes = max(2, int(max_themes))
    stem = _stemmer().stemWord

    ids: list[K] = []
    documents: list[list[str]] = []
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for key, text in texts:
        features = []
        for word in words(text or ""):
            s = stem(word)
            written[s][word] += 1
            features.append(s)
            features.extend(_grams(word))
        if features:
            ids.append(key)
            documents.append(features)
    if len(documents) < max(2 * min_size, 2):
        return []
    # The most frequent written form of each stem; the alphabetically first on a tie.
    shown = {
        s: min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0] for s, forms in written.items()
    }

    n = len(documents)
    vectorizer = TfidfVectorizer(
        analyzer=_identity,  # the documents are already lists of stems
        sublinear_tf=True,
        min_df=2 if n >= MIN_DF_FROM else 1,
        norm="l2",
    )
    try:
        tfidf = vectorizer.fit_transform(documents)
    except ValueError:  # no stem occurs in two texts: nothing in common to group by
        return []
    vocabulary = vectorizer.get_feature_names_out()
    has_words = np.asarray(tfidf.getnnz(axis=1)).ravel() > 0
    rows = np.flatnonzero(has_words)
    if len(rows) < 2 * min_size:
        return []
    matrix = tfidf[rows].tocsr()
    matrix.sort_indices()

    # The same text said many times is one point with a weight: k-means stays defined
    # (never more groups than different texts) and the counts still matter.
    point_of: dict[tuple[tuple[int, ...], tuple[float, ...]], int] = {}
    first: list[int] = []
    inverse_list: list[int] = []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        row = (
            tuple(int(j) for j in matrix.indices[start:end]),
            tuple(round(float(v), 9) for v in matrix.data[start:end]),
        )
        if row not in point_of:
            point_of[row] = len(first)
            first.append(i)
        inverse_list.append(point_of[row])
    first_of = np.asarray(first, dtype=np.intp)
    inverse = np.asarray(inverse_list, dtype=np.intp)
    if len(first_of) == 1:
        members = [ids[i] for i in rows]
        if len(members) < min_size:
            return []
        return [
            Suggestion(
                label_terms=_label_terms(_mean(matrix[:1]), vocabulary, shown),
                member_ids=members,
                representative_ids=members[:N_REPRESENTATIVES],
                cohesion=1.0,
            )
        ]

    with threadpool_limits(1):  # small matrices: threads cost more than they give
        labels, space = _best_labels(
            matrix, first_of=first_of, unique_of=inverse, max_k=max_themes, seed=seed
        )

    suggestions: list[Suggestion[K]] = []
    overall = _mean(matrix)
    for label in sorted(set(labels.tolist())):
        inside = np.flatnonzero(labels == label)
        if len(inside) < min_size:
            continue
        centre = space[inside].mean(axis=0)
        norm = float(np.linalg.norm(centre))
        closeness = space[inside] @ (centre / norm) if norm > 0 else np.zeros(len(inside))
        # Closest first; input order breaks ties (so duplicates keep their order).
        ranked = sorted(range(len(inside)), key=lambda j: (-round(float(closeness[j]), 9), j))
        # What the group says more than the rest: its mean weight above the overall mean.
        telling = _mean(matrix[inside]) - overall
        terms = _label_terms(telling, vocabulary, shown)
        if len(terms) < MIN_LABEL_TERMS:
            terms = _label_terms(_mean(matrix[inside]), vocabulary, shown)
        suggestions.append(
            Suggestion(
                label_terms=terms,
                member_ids=[ids[rows[j]] for j in inside],
                representative_ids=[ids[rows[inside[j]]] for j in ranked[:N_REPRESENTATIVES]],
                cohesion=round(max(0.0, min(1.0, float(closeness.mean()))), 4),
            )
        )
    suggestions.sort(key=lambda s: (-s.size, -s.cohesion, s.label_terms))
    return suggestions


def _mean(rows: csr_matrix) -> NDArray[np.float64]:
    """The mean of sparse rows, as a flat array."""
    return np.asarray(rows.mean(axis=0), dtype=np.float64).ravel()


def _best_labels(
    tfidf: csr_matrix,
    *,
    first_of: NDArray[np.intp],
    unique_of: NDArray[np.intp],
    max_k: int,
    seed: int,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """k-means labels for the k (2..max_k) with the best cosine silhouette, and the space
    (LSA with k dimensions, rows of length 1) they were found in."""
    n_unique = len(first_of)
    top_k = min(max_k, n_unique)
    # One point per different text, weighted by how often it was given.
    weights = np.bincount(unique_of, minlength=n_unique).astype(np.float64)
    components = min(top_k, tfidf.shape[1] - 1, n_unique - 1)
    latent: NDArray[np.float64] | None = None
    if components >= 2:
        svd = TruncatedSVD(n_components=components, algorithm="arpack", random_state=seed)
        latent = svd.fit_transform(tfidf)
    best: tuple[float, NDArray[np.intp], NDArray[np.float64]] | None = None
    for k in range(2, top_k + 1):
        # k groups in k latent dimensions (the first k of the SVD are its best k).
        space = normalize(latent[:, :k]) if latent is not None else normalize(tfidf).toarray()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed)
            point_labels = model.fit_predict(space[first_of], sample_weight=weights)
        labels: NDArray[np.intp] = point_labels[unique_of]
        found = len(set(labels.tolist()))
        if found < 2 or found >= len(labels):
            continue
        # Judged in the TF-IDF space itself, not the reduced one: every k on the same scale.
        sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
        score = float(
            silhouette_score(tfidf, labels, metric="cosine", sample_size=sample, random_state=seed)
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, labels, space)
    if best is None:  # two different texts only: each its own group
        return unique_of.astype(np.intp), normalize(tfidf).toarray()
    return best[1], best[2]
