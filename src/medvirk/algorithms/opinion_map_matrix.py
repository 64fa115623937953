"""Vote matrix and two-dimensional opinion space for the opinion map.

Everything here works on sparse matrices so that 50 000 participants × 1 000 statements
stays small: the mean-imputed, centred matrix is itself sparse (an imputed cell equals
its column mean, so it is zero once centred), and the principal components come from the
statements × statements Gram matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Up to this many statements the statements × statements Gram matrix is cheap to form and
# decompose exactly; above it, Lanczos iteration on the sparse matrix is much faster.
_DENSE_EIGH_LIMIT = 400


@dataclass(frozen=True)
class VoteMatrix:
    """The latest vote of each participant on each statement, as a sparse matrix.

    Rows are ``participant_ids`` (sorted), columns ``statement_ids`` (sorted). Three 0/1
    matrices of the same shape mark agree, disagree and any vote (a pass is a vote that is
    neither), so that no meaning hangs on explicitly stored zeros.
    """

    participant_ids: IntArray
    statement_ids: IntArray
    agree: sp.csr_matrix
    disagree: sp.csr_matrix
    voted: sp.csr_matrix

    @property
    def votes(self) -> sp.csr_matrix:
        """+1 agree, −1 disagree, 0 pass or no vote."""
        result: sp.csr_matrix = self.agree - self.disagree
        return result

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))

    def votes_per_participant(self) -> IntArray:
        return np.asarray(self.voted.sum(axis=1), dtype=np.int64).ravel()

    def columns(self, keep: npt.NDArray[np.bool_]) -> VoteMatrix:
        """The same matrix restricted to the statements where ``keep`` is true."""
        index = np.flatnonzero(keep)
        return VoteMatrix(
            self.participant_ids,
            self.statement_ids[index],
            self.agree[:, index].tocsr(),
            self.disagree[:, index].tocsr(),
            self.voted[:, index].tocsr(),
        )


def latest_vote_matrix(
    participants: npt.ArrayLike,
    statements: npt.ArrayLike,
    votes: npt.ArrayLike,
    timestamps: npt.ArrayLike | None = None,
) -> VoteMatrix:
    """Build the vote matrix, keeping each participant's latest vote per statement.

    "Latest" is by timestamp; ties (or no timestamps) go to the later row, so a plain list
    of votes in the order they were cast works too.
    """
    pid = np.asarray(participants, dtype=np.int64)
    tid = np.asarray(statements, dtype=np.int64)
    val = np.asarray(votes, dtype=np.int64)
    participant_ids, rows = np.unique(pid, return_inverse=True)
    statement_ids, cols = np.unique(tid, return_inverse=True)
    shape = (len(participant_ids), len(statement_ids))
    cell = rows.astype(np.int64) * shape[1] + cols
    # Stable sorts: by time first (if given), then by cell, so the last vote of each cell
    # in the sorted order is the latest one (ties: the later row).
    if timestamps is None:
        order = np.argsort(cell, kind="stable")
    else:
        order = np.argsort(np.asarray(timestamps, dtype=np.float64), kind="stable")
        order = order[np.argsort(cell[order], kind="stable")]
    sorted_cells = cell[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = sorted_cells[1:] != sorted_cells[:-1]
    keep = order[last]  # one vote per cell, ordered by row then column: CSR order
    rows, cols, val = rows[keep], cols[keep], val[keep]

    def marks(which: npt.NDArray[np.bool_]) -> sp.csr_matrix:
        indptr = np.zeros(shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[which], minlength=shape[0]), out=indptr[1:])
        data = np.ones(int(which.sum()))
        return sp.csr_matrix((data, cols[which], indptr), shape=shape)

    return VoteMatrix(
        participant_ids,
        statement_ids,
        marks(val > 0),
        marks(val < 0),
        marks(np.ones(len(val), dtype=bool)),
    )


@dataclass(frozen=True)
class Projection:
    """Participants placed in the two-dimensional opinion space."""

    coordinates: FloatArray  # (participants, 2)
    components: FloatArray  # (2, statements)
    column_means: FloatArray  # (statements,)


def _centred(matrix: VoteMatrix) -> tuple[sp.csr_matrix, FloatArray]:
    """Mean-imputed, centred matrix: vote − statement mean where voted, zero elsewhere."""
    counts = np.asarray(matrix.voted.sum(axis=0), dtype=np.float64).ravel()
    votes = matrix.votes
    sums = np.asarray(votes.sum(axis=0), dtype=np.float64).ravel()
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    centred = sp.csr_matrix(votes - matrix.voted.multiply(means[None, :]))
    return centred, means


def _top_two_eigenvectors(centred: sp.csr_matrix) -> FloatArray:
    n_statements = centred.shape[1]
    if n_statements <= _DENSE_EIGH_LIMIT:
        gram = (centred.T @ centred).toarray()
        _, vectors = np.linalg.eigh(gram)
        top = vectors[:, ::-1][:, :2]
    else:

        def gram_times(x: FloatArray) -> FloatArray:
            result: FloatArray = centred.T @ (centred @ x)
            return result

        operator = LinearOperator((n_statements, n_statements), matvec=gram_times, dtype=float)
        values, vectors = eigsh(operator, k=2, which="LA", v0=np.ones(n_statements))
        top = vectors[:, np.argsort(values)[::-1]]
    components = np.zeros((2, n_statements))
    components[: top.shape[1]] = top.T
    # Eigenvectors have arbitrary sign; fix it so that results are reproducible.
    for row in components:
        pivot = np.argmax(np.abs(row))
        if row[pivot] < 0:
            row *= -1
    return components


def project(matrix: VoteMatrix, neutral_statements: int = 0) -> Projection:
    """Principal-component projection, scaled for how much each participant voted.

    A participant who voted on few statements lands near the centre because their missing
    votes are filled with the average; Pol.is compensates by stretching each projection by
    sqrt(statements / own votes), and so do we. ``neutral_statements`` (moderated-out
    statements) count in that factor as a pass from everyone: Pol.is keeps them as a column
    of zeros, and matching its groups depends on it (see docs/algorithms.md).
    """
    centred, means = _centred(matrix)
    n_participants, n_statements = centred.shape
    if n_participants == 0 or n_statements == 0:
        return Projection(np.zeros((n_participants, 2)), np.zeros((2, n_statements)), means)
    components = _top_two_eigenvectors(centred)
    raw = np.asarray(centred @ components.T)
    n_votes = np.maximum(matrix.votes_per_participant() + neutral_statements, 1)
    scale = np.sqrt((n_statements + neutral_statements) / n_votes)
    return Projection(raw * scale[:, None], components, means)
