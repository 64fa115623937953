"""Vote matrix and two-dimensional opinion space for the opinion map.

Everything here works on sparse matrices so that 50 000 participants × 1 000 statements
stays small: the mean-imputed, centred matrix is itself sparse (an imputed cell equals
its column mean, so it is zero once centred), and the principal components come from the
statements × statements Gram matrix.

The sparse matrices are plain numpy arrays in compressed-row form (``SparseRows``):
the map needs only a few operations on them, and loading ``scipy.sparse`` took longer
than the 10 000-participant map itself. scipy is imported only for Lanczos iteration
when there are many statements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Up to this many statements the statements × statements Gram matrix is cheap to form and
# decompose exactly; above it, Lanczos iteration on the sparse matrix is much faster.
_DENSE_EIGH_LIMIT = 400
# Cells per dense block when forming the Gram matrix (bounds the memory it takes).
_GRAM_BLOCK_CELLS = 1 << 22


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix in compressed-row (CSR) form, entries sorted by row then column.

    The attributes are those of ``scipy.sparse.csr_matrix`` (``indptr``, ``indices``,
    ``data``, ``shape``); explicitly stored zeros are allowed.
    """

    indptr: IntArray  # (rows + 1,): row r holds entries indptr[r]:indptr[r + 1]
    indices: IntArray  # column of each entry
    data: FloatArray  # value of each entry
    shape: tuple[int, int]

    @property
    def nnz(self) -> int:
        return len(self.data)

    def entry_rows(self) -> IntArray:
        """Row of each entry."""
        return np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(self.indptr))

    def with_data(self, data: FloatArray) -> SparseRows:
        """Same entries, other values."""
        return SparseRows(self.indptr, self.indices, data, self.shape)

    def entries(self, keep: npt.NDArray[np.bool_]) -> SparseRows:
        """Only the entries where ``keep`` is true."""
        indptr = np.zeros(self.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.entry_rows()[keep], minlength=self.shape[0]), out=indptr[1:])
        return SparseRows(indptr, self.indices[keep], self.data[keep], self.shape)

    def column_sums(self) -> FloatArray:
        sums = np.bincount(self.indices, weights=self.data, minlength=self.shape[1])
        return sums.astype(np.float64)  # bincount of nothing is an integer array

    def toarray(self, rows: slice | None = None) -> FloatArray:
        """Dense copy (of a range of rows, if given)."""
        first, stop, _ = (rows or slice(None)).indices(self.shape[0])
        stop = max(stop, first)
        lo, hi = int(self.indptr[first]), int(self.indptr[stop])
        dense = np.zeros((stop - first, self.shape[1]))
        local = np.repeat(np.arange(stop - first), np.diff(self.indptr[first : stop + 1]))
        dense[local, self.indices[lo:hi]] = self.data[lo:hi]
        return dense

    def times(self, vectors: FloatArray) -> FloatArray:
        """Matrix × dense (columns, m) → (rows, m)."""
        rows = self.entry_rows()
        out = np.empty((self.shape[0], vectors.shape[1]))
        for j in range(vectors.shape[1]):
            weights = self.data * vectors[self.indices, j]
            out[:, j] = np.bincount(rows, weights=weights, minlength=self.shape[0])
        return out


@dataclass(frozen=True)
class VoteMatrix:
    """The latest vote of each participant on each statement, as a sparse matrix.

    Rows are ``participant_ids`` (sorted), columns ``statement_ids`` (sorted). ``cast``
    holds every vote cast (+1 agree, −1 disagree, 0 pass, the pass stored explicitly);
    ``agree``, ``disagree`` and ``voted`` are 0/1 marks derived from it, so that no meaning
    hangs on explicitly stored zeros.
    """

    participant_ids: IntArray
    statement_ids: IntArray
    cast: SparseRows

    @property
    def votes(self) -> SparseRows:
        """+1 agree, −1 disagree, 0 pass or no vote."""
        return self.cast

    @property
    def voted(self) -> SparseRows:
        return self.cast.with_data(np.ones(self.cast.nnz))

    @property
    def agree(self) -> SparseRows:
        keep = self.cast.data > 0
        return self.cast.entries(keep).with_data(np.ones(int(keep.sum())))

    @property
    def disagree(self) -> SparseRows:
        keep = self.cast.data < 0
        return self.cast.entries(keep).with_data(np.ones(int(keep.sum())))

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))

    def votes_per_participant(self) -> IntArray:
        return np.diff(self.cast.indptr).astype(np.int64)

    def columns(self, keep: npt.NDArray[np.bool_]) -> VoteMatrix:
        """The same matrix restricted to the statements where ``keep`` is true."""
        if keep.all():
            return self
        index = np.flatnonzero(keep)
        kept = self.cast.entries(keep[self.cast.indices])
        renumber = np.cumsum(keep) - 1
        cast = SparseRows(
            kept.indptr, renumber[kept.indices], kept.data, (self.shape[0], len(index))
        )
        return VoteMatrix(self.participant_ids, self.statement_ids[index], cast)


def _ids_and_index(values: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct values and each value's place among them (``np.unique`` with
    ``return_inverse``), by a lookup table when the ids are small non-negative numbers,
    as they are in Pol.is exports: linear time instead of a sort."""
    if len(values) == 0:
        return values.copy(), values.copy()
    low, high = int(values.min()), int(values.max())
    if low < 0 or high > 4 * len(values) + 1_000_000:
        ids, index = np.unique(values, return_inverse=True)
        return ids, index.astype(np.int64).ravel()
    present = np.zeros(high + 1, dtype=bool)
    present[values] = True
    ids = np.flatnonzero(present).astype(np.int64)
    place = np.cumsum(present, dtype=np.int64) - 1
    return ids, place[values]


def _time_rank(timestamps: npt.ArrayLike | None, n: int) -> IntArray | None:
    """Each vote's place in time order (ties: the later row later); None if the votes are
    already in that order, as exports and plain vote lists usually are."""
    if timestamps is None:
        return None
    stamps = np.asarray(timestamps, dtype=np.float64)
    if n < 2 or bool((stamps[1:] >= stamps[:-1]).all()):
        return None
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(stamps, kind="stable")] = np.arange(n)
    return rank


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
    participant_ids, rows = _ids_and_index(pid)
    statement_ids, cols = _ids_and_index(tid)
    shape = (len(participant_ids), len(statement_ids))
    n = len(val)
    cell = rows * shape[1] + cols
    rank = _time_rank(timestamps, n)
    if shape[0] * shape[1] < (1 << 62) // max(n, 1):
        # One plain sort of (cell, time rank) packed into one integer: each cell's votes
        # end up together in time order, cells in row-then-column (CSR) order.
        packed = cell * n + (np.arange(n, dtype=np.int64) if rank is None else rank)
        packed.sort()
        sorted_cells, ranks = np.divmod(packed, n)
        if rank is None:
            order = ranks
        else:
            order = np.empty(n, dtype=np.int64)
            order[rank] = np.arange(n)
            order = order[ranks]
    else:
        order = np.arange(n) if rank is None else np.argsort(rank)
        order = order[np.argsort(cell[order], kind="stable")]
        sorted_cells = cell[order]
    last = np.ones(n, dtype=bool)
    last[:-1] = sorted_cells[1:] != sorted_cells[:-1]
    keep = order[last]  # one vote per cell, ordered by row then column: CSR order
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=shape[0]), out=indptr[1:])
    cast = SparseRows(indptr, cols[keep], val[keep].astype(np.float64), shape)
    return VoteMatrix(participant_ids, statement_ids, cast)


@dataclass(frozen=True)
class Projection:
    """Participants placed in the two-dimensional opinion space."""

    coordinates: FloatArray  # (participants, 2)
    components: FloatArray  # (2, statements)
    column_means: FloatArray  # (statements,)


def _centred(matrix: VoteMatrix) -> tuple[SparseRows, FloatArray]:
    """Mean-imputed, centred matrix: vote − statement mean where voted, zero elsewhere."""
    cast = matrix.cast
    counts = np.bincount(cast.indices, minlength=cast.shape[1]).astype(np.float64)
    sums = cast.column_sums()
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return cast.with_data(cast.data - means[cast.indices]), means


def _gram(centred: SparseRows) -> FloatArray:
    """Centredᵀ × centred, from dense blocks of rows (one matrix product each)."""
    n_rows, n_statements = centred.shape
    gram = np.zeros((n_statements, n_statements))
    step = max(1, _GRAM_BLOCK_CELLS // max(n_statements, 1))
    for start in range(0, n_rows, step):
        block = centred.toarray(slice(start, start + step))
        gram += block.T @ block
    return gram


def _top_two_eigenvectors(centred: SparseRows) -> FloatArray:
    n_statements = centred.shape[1]
    if n_statements <= _DENSE_EIGH_LIMIT:
        _, vectors = np.linalg.eigh(_gram(centred))
        top = vectors[:, ::-1][:, :2]
    else:
        # Imported here: only many statements need it, and scipy takes a while to load.
        from scipy.sparse import csr_matrix
        from scipy.sparse.linalg import LinearOperator, eigsh

        matrix = csr_matrix((centred.data, centred.indices, centred.indptr), shape=centred.shape)
        transposed = matrix.T.tocsr()

        def gram_times(x: FloatArray) -> FloatArray:
            result: FloatArray = transposed @ (matrix @ x)
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
    raw = centred.times(components.T)
    n_votes = np.maximum(matrix.votes_per_participant() + neutral_statements, 1)
    scale = np.sqrt((n_statements + neutral_statements) / n_votes)
    return Projection(raw * scale[:, None], components, means)
