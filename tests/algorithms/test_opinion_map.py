"""Opinion map core: vote matrix, projection, grouping, representative statements, consensus."""

from __future__ import annotations

import numpy as np
import pytest

from medvirk.algorithms.opinion_map import matrix as opinion_map_matrix
from medvirk.algorithms.opinion_map.clusters import kmeans, silhouette
from medvirk.algorithms.opinion_map.engine import (
    OpinionMap,
    OpinionMapOptions,
    build_opinion_map,
    group_label,
)
from medvirk.algorithms.opinion_map.matrix import _ids_and_index, latest_vote_matrix, project
from medvirk.algorithms.opinion_map.synthetic import planted_conversation

from .test_opinion_map_ari import adjusted_rand_index


def _grouped(result: OpinionMap) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array(sorted(p for p, g in result.participants.items() if g is not None))
    return ids, np.array([result.participants[p] for p in ids])


# Two camps of three on statements 0–2, everyone agrees with 3, participant 7 votes once.
TINY = [
    # (participant, statement, vote)
    *[(p, 0, 1) for p in (1, 2, 3)],
    *[(p, 1, 1) for p in (1, 2)],
    (3, 1, 0),
    *[(p, 2, -1) for p in (1, 2, 3)],
    *[(p, 0, -1) for p in (4, 5, 6)],
    *[(p, 1, -1) for p in (4, 5, 6)],
    *[(p, 2, 1) for p in (4, 5, 6)],
    *[(p, 3, 1) for p in (1, 2, 3, 4, 5)],
    (6, 3, 0),
    (7, 0, 1),
]


def _tiny(**kwargs: object) -> OpinionMap:
    p, s, v = zip(*TINY, strict=True)
    return build_opinion_map(p, s, v, **kwargs)  # type: ignore[arg-type]


def test_latest_vote_wins_by_time_not_by_row() -> None:
    # Participant 1 changes their mind on statement 0; the rows are out of time order.
    matrix = latest_vote_matrix([1, 1, 1], [0, 0, 0], [1, -1, 0], timestamps=[10, 30, 20])
    assert matrix.shape == (1, 1)
    assert matrix.votes.toarray().tolist() == [[-1.0]]
    # Without timestamps the later row wins.
    matrix = latest_vote_matrix([1, 1], [0, 0], [1, -1])
    assert matrix.votes.toarray().tolist() == [[-1.0]]


def test_pass_is_a_vote_but_not_an_opinion() -> None:
    matrix = latest_vote_matrix([1, 2], [0, 0], [0, 1])
    assert matrix.votes_per_participant().tolist() == [1, 1]
    assert matrix.agree.toarray().tolist() == [[0.0], [1.0]]


def test_missing_votes_are_filled_with_the_statement_mean_not_zero() -> None:
    # Statement 1: everyone who voted agreed. A participant who skipped it must not look
    # like someone who passed on it: after mean imputation, the skip carries no signal.
    participants = [1, 1, 2, 2, 3, 3, 4]
    statements = [0, 1, 0, 1, 0, 1, 0]
    votes = [1, 1, -1, 1, 1, 1, -1]
    proj = project(latest_vote_matrix(participants, statements, votes))
    # Statement 1 has no variance once filled with its mean (1), so it takes no part
    # in the axes; participants 2 and 4 (both disagree on 0) land on the same spot
    # even though only 2 voted on statement 1 ... up to the vote-count stretch.
    assert abs(proj.components[0][1]) < 1e-9
    assert proj.column_means.tolist() == [0.0, 1.0]
    x2, x4 = proj.coordinates[1, 0], proj.coordinates[3, 0]
    assert np.sign(x2) == np.sign(x4) != 0
    assert x4 == pytest.approx(x2 * np.sqrt(2))  # stretched by sqrt(2 statements / 1 vote)


def test_tiny_conversation_groups_and_reasons() -> None:
    result = _tiny(moderated_out=[4])
    assert result.participants[7] is None  # one vote: not grouped
    groups = {g for g in result.participants.values() if g is not None}
    assert len(groups) == 2
    assert result.participants[1] == result.participants[2] == result.participants[3]
    assert result.participants[4] == result.participants[5] == result.participants[6]
    assert result.participants[1] != result.participants[4]
    assert [g.size for g in result.groups] == [3, 3]
    for group in result.groups:
        assert group.representative, "every group gets at least one statement"
        for rep in group.representative:
            assert rep.reason.startswith(f"Group {group.label}: ")
            assert "% " in rep.reason and "everyone else" in rep.reason
    # Statement 3 is common ground; 0–2 divide, so none of them is consensus.
    consensus = {(c.statement_id, c.direction) for c in result.consensus}
    assert (3, "agree") in consensus
    assert not {s for s, _ in consensus} & {0, 1, 2}
    item = next(c for c in result.consensus if c.statement_id == 3)
    assert sorted(item.agree.values()) == pytest.approx([2 / 3, 1.0])
    assert "every group agree with S3" in item.reason
    assert any("fewer than 4 statements" in note for note in result.notes)


def test_statements_nobody_voted_on_are_skipped_and_take_no_part() -> None:
    # 9 and 12 are listed (as in comments.csv) but have no votes; 12 was moderated out.
    plain = _tiny(moderated_out=[12])
    listed = _tiny(moderated_out=[12], listed=[0, 1, 2, 3, 9, 12])
    assert [(s.statement_id, s.cause) for s in listed.skipped] == [
        (9, "no-votes"),
        (12, "moderated-out"),
    ]
    assert listed.skipped[0].reason == "Nobody voted on S9"
    assert listed.skipped[1].reason == "S12 was moderated out before anyone voted on it"
    # The map itself is the one built without them (no column, no stretch, no note).
    assert plain.skipped == []
    with_skipped = listed.to_json()
    assert with_skipped.pop("skipped") == [
        {"statement": 9, "cause": "no-votes", "reason": "Nobody voted on S9"},
        {
            "statement": 12,
            "cause": "moderated-out",
            "reason": "S12 was moderated out before anyone voted on it",
        },
    ]
    assert with_skipped["summary"].pop("skipped") == 2
    expected = plain.to_json()
    expected.pop("skipped")
    expected["summary"].pop("skipped")
    assert with_skipped == expected


def test_everything_moderated_out_leaves_an_empty_map() -> None:
    result = _tiny(moderated_out=[0, 1, 2, 3])
    assert result.statements == [] and result.groups == [] and result.consensus == []
    assert set(result.participants.values()) == {None}
    assert result.notes == [
        "every statement with votes was moderated out: there is nothing to map",
        "4 moderated-out statement(s) left out",
    ]


def test_representative_statement_shares_are_plain_shares() -> None:
    result = _tiny()
    group_a = result.participants[1]
    group = result.groups[group_a]  # type: ignore[index]
    by_id = {rep.statement_id: rep for rep in group.representative}
    assert 0 in by_id or 2 in by_id
    if 2 in by_id:
        rep = by_id[2]
        assert rep.direction == "disagree"
        assert rep.disagree == 1.0 and rep.others_disagree == 0.0
        assert rep.votes == 3 and rep.others_votes == 3


def test_moderated_out_statement_is_not_reported() -> None:
    result = _tiny(moderated_out=[4])
    assert 4 not in result.statements
    shown = {rep.statement_id for g in result.groups for rep in g.representative}
    shown |= {c.statement_id for c in result.consensus}
    assert 4 not in shown


def test_deterministic_for_a_seed() -> None:
    conv = planted_conversation(400, 50, 0.3, 3, seed=5)
    args = (conv.participants, conv.statements, conv.votes)
    first = build_opinion_map(*args, timestamps=conv.timestamps)
    second = build_opinion_map(*args, timestamps=conv.timestamps)
    assert first.to_json() == second.to_json()


@pytest.mark.parametrize(("n_groups", "seed"), [(2, 0), (2, 1), (3, 0), (3, 1), (3, 2)])
def test_planted_groups_are_found(n_groups: int, seed: int) -> None:
    conv = planted_conversation(1200, 120, 0.25, n_groups, seed=seed)
    result = build_opinion_map(
        conv.participants, conv.statements, conv.votes, timestamps=conv.timestamps
    )
    ids, labels = _grouped(result)
    assert len(result.groups) == n_groups
    assert adjusted_rand_index(conv.truth[ids], labels) >= 0.9
    # Everyone with enough votes is grouped, nobody else.
    matrix = latest_vote_matrix(conv.participants, conv.statements, conv.votes, conv.timestamps)
    enough = matrix.participant_ids[matrix.votes_per_participant() >= 7]
    assert set(ids.tolist()) == set(enough.tolist())


def test_four_planted_groups() -> None:
    conv = planted_conversation(2000, 150, 0.3, 4, seed=0)
    result = build_opinion_map(
        conv.participants, conv.statements, conv.votes, timestamps=conv.timestamps
    )
    ids, labels = _grouped(result)
    assert len(result.groups) == 4
    assert adjusted_rand_index(conv.truth[ids], labels) >= 0.9


def test_group_ids_are_numbered_by_size() -> None:
    conv = planted_conversation(600, 60, 0.3, 3, seed=3)
    result = build_opinion_map(conv.participants, conv.statements, conv.votes)
    sizes = [g.size for g in result.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert [g.label for g in result.groups] == ["A", "B", "C"][: len(sizes)]
    assert sum(sizes) == sum(g is not None for g in result.participants.values())


def test_json_shape() -> None:
    data = _tiny(moderated_out=[4]).to_json()
    assert set(data) >= {"participants", "groups", "consensus"}
    assert data["participants"]["7"] is None
    group = data["groups"][0]
    assert set(group) >= {"id", "size", "representative"}
    rep = group["representative"][0]
    assert set(rep) >= {"statement", "direction", "agree", "disagree", "reason"}
    assert set(data["consensus"][0]) >= {"statement", "agree", "reason"}


def test_everyone_alike_gives_one_group_or_none() -> None:
    result = build_opinion_map([1, 2, 3, 1, 2, 3], [0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1])
    assert len(result.groups) <= 1
    assert result.consensus == []
    assert all(not group.representative for group in result.groups)


def test_all_statements_moderated_out_groups_nobody() -> None:
    result = build_opinion_map([1, 2], [0, 0], [1, -1], moderated_out=[0])
    assert result.groups == []
    assert set(result.participants.values()) == {None}


@pytest.mark.parametrize("votes", [[], [2]])
def test_bad_votes_raise(votes: list[int]) -> None:
    with pytest.raises(ValueError, match="vote"):
        build_opinion_map([1] * len(votes), [0] * len(votes), votes)


def test_group_labels() -> None:
    assert [group_label(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_min_votes_option() -> None:
    result = _tiny(options=OpinionMapOptions(min_votes=1))
    assert result.participants[7] is not None


def test_lanczos_and_dense_pca_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many statements use sparse Lanczos iteration; it must give the dense answer.
    conv = planted_conversation(500, 60, 0.3, 3, seed=4)
    matrix = latest_vote_matrix(conv.participants, conv.statements, conv.votes)
    dense = project(matrix)
    monkeypatch.setattr(opinion_map_matrix, "_DENSE_EIGH_LIMIT", 0)
    sparse = project(matrix)
    assert np.allclose(np.abs(dense.components), np.abs(sparse.components), atol=1e-6)
    assert np.allclose(np.abs(dense.coordinates), np.abs(sparse.coordinates), atol=1e-6)


def test_ids_and_index_match_unique() -> None:
    # Small non-negative ids use a lookup table; negative or huge ones fall back to a sort.
    for values in ([5, 3, 5, 0, 9], [-4, 2, -4, 7], [10**15, 3, 10**15], [7]):
        array = np.array(values, dtype=np.int64)
        ids, index = _ids_and_index(array)
        expected_ids, expected_index = np.unique(array, return_inverse=True)
        assert ids.tolist() == expected_ids.tolist()
        assert index.tolist() == expected_index.ravel().tolist()


def test_latest_vote_with_shuffled_times_matches_sorted_input() -> None:
    conv = planted_conversation(300, 40, 0.4, 2, seed=9)
    order = np.random.default_rng(1).permutation(len(conv.votes))
    # Repeated (participant, statement) pairs exist: the latest by time must win.
    args = (conv.participants, conv.statements, conv.votes, conv.timestamps)
    straight = latest_vote_matrix(*args)
    shuffled = latest_vote_matrix(*(a[order] for a in args))
    assert (straight.votes.toarray() == shuffled.votes.toarray()).all()
    assert (straight.voted.toarray() == shuffled.voted.toarray()).all()


def _silhouette_by_definition(points: np.ndarray, labels: np.ndarray) -> float:
    scores = []
    for i, own in enumerate(labels):
        dist = np.sqrt(((points - points[i]) ** 2).sum(axis=1))
        mates = (labels == own) & (np.arange(len(points)) != i)
        if not mates.any():
            scores.append(0.0)
            continue
        a = dist[mates].mean()
        b = min(dist[labels == other].mean() for other in set(labels.tolist()) - {own})
        scores.append((b - a) / max(a, b))
    return float(np.mean(scores))


def test_silhouette_matches_its_definition() -> None:
    rng = np.random.default_rng(3)
    points = rng.normal(size=(60, 2))
    labels = rng.integers(0, 4, size=60)
    labels[0] = 4  # a cluster of one scores 0
    assert silhouette(points, labels) == pytest.approx(_silhouette_by_definition(points, labels))


def test_kmeans_finds_separate_blobs_and_is_seeded() -> None:
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    truth = rng.integers(0, 3, size=3000)
    points = centres[truth] + rng.normal(scale=0.5, size=(3000, 2))
    first = kmeans(points, 3, np.random.default_rng(7))
    second = kmeans(points, 3, np.random.default_rng(7))
    assert first.labels.tolist() == second.labels.tolist()
    assert adjusted_rand_index(truth, first.labels) == 1.0
    # Each point sits with its nearest centre, and each centre is its points' mean.
    nearest = ((points[:, None, :] - first.centres[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (nearest == first.labels).all()
    for c in range(3):
        assert np.allclose(first.centres[c], points[first.labels == c].mean(axis=0))
