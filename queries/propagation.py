"""Shock propagation on one channel: the bounded fixed point of the design note.

    h = min(1, psi + W^T h)      least fixed point, iterated from h = psi

`W[u, v]` is the fraction of v's value lost if u loses 100%. This equals differential DebtRank
(Bardoscia et al. 2015): every increment of loss is passed on once, so cycles and self-loops
terminate. Without the cap it is the Leontief/Ghosh solution h = (I - W^T)^-1 psi. Many scenarios
run at once: `psi` is an (n, k) matrix and each iteration is one sparse x dense product.

>>> import numpy as np, scipy.sparse as sp
>>> W = sp.csr_matrix(np.array([[0, 1, 1], [0.5, 0, 1], [0, 0.6, 0]]))
>>> fixed_point(W, np.array([0.0, 0.0, 1.0])).h.round(6).tolist()
[0.5, 1.0, 1.0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

try:   # SciPy's CSR kernels, private: without them every product allocates its result
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec, csr_matvecs as _csr_matvecs
except ImportError:   # pragma: no cover - a SciPy that moved them
    _csr_matvec = _csr_matvecs = None


#: where every fixed point stops by default: no score moves by more than this in an iteration
#: (batch and single runs, the sparse engine and the Neo4j one, agree to it)
TOL = 1e-12


@dataclass
class Propagation:
    h: np.ndarray          # final exposure, same shape as psi
    iterations: int
    converged: bool


def fixed_point(W: sp.spmatrix | None, psi: np.ndarray, cap: bool = True, tol: float = TOL,
                max_iter: int = 100_000, WT: sp.csr_matrix | None = None,
                groups: np.ndarray | None = None) -> Propagation:
    """Iterate h <- min(1, psi + W^T h) from h = psi until the largest change is below `tol`.

    With `cap=False` the iteration is the Neumann series of (I - W^T)^-1 psi; it converges when
    the spectral radius of W is below 1 (an input-output table's is).

    With `groups`, the rows of WT are slots, not nodes: slot rows of node i start at `groups[i]`
    (increasing, one slot at least per node) and node i takes the largest of its slots,
    h <- min(1, psi + max over i's slots of WT h). Inputs that complement each other (a lab needs
    both its GPUs and its power) are separate slots: the scarcest one sets the loss, as in a
    Leontief production function, where the sum would count one shortfall once per input.

    Node 1 needs two inputs from node 0 (slots 1 and 2, weights 0.5 and 0.3); node 0 has one empty
    slot. Node 0 stops: node 1 loses 0.5, not 0.8.

    >>> WT = sp.csr_matrix(np.array([[0.0, 0.0], [0.5, 0.0], [0.3, 0.0]]))
    >>> fixed_point(None, np.array([1.0, 0.0]), WT=WT, groups=np.array([0, 1])).h.tolist()
    [1.0, 0.5]
    """
    psi = np.asarray(psi, dtype=float)
    if WT is None:  # callers running many scenarios pass the transpose once
        WT = sp.csr_matrix(W).T.tocsr()
    h = np.ascontiguousarray(psi, dtype=float).copy()
    if not h.size:
        return Propagation(h, 1, True)
    slots = None if groups is None else np.empty((WT.shape[0],) + h.shape[1:])
    # With no negative weight or seed (every shipped and generated network) the iterates only grow
    # from h = psi, so the change needs no absolute value; capped, they also stay in [0, 1], so the
    # convergence scale is 1. Each skipped pass is a full read of an (n, k) block.
    rising = float(psi.min(initial=0.0)) >= 0 and float(WT.data.min(initial=0.0)) >= 0 and (
        not cap or float(psi.max(initial=0.0)) <= 1)
    nxt = np.empty_like(h)
    for it in range(1, max_iter + 1):
        # into a buffer kept across iterations: at a million nodes x 10 scenarios each temporary
        # is 80 MB, and allocating it every iteration cost more than the arithmetic
        if slots is None:
            _product(WT, h, nxt)
        else:
            _product(WT, h, slots)
            np.maximum.reduceat(slots, groups, axis=0, out=nxt)
        nxt += psi
        if cap:
            np.minimum(nxt, 1.0, out=nxt)
        np.subtract(nxt, h, out=h)          # the change, in the old iterate's memory
        if rising:
            delta = float(h.max())
            scale = 1.0 if cap else max(1.0, float(nxt.max()))
        else:
            np.abs(h, out=h)
            delta = float(h.max())
            scale = max(1.0, float(nxt.max()), -float(nxt.min()))
        h, nxt = nxt, h
        if delta < tol * scale:
            return Propagation(h, it, True)
    return Propagation(h, max_iter, False)


def _product(WT: sp.csr_matrix, h: np.ndarray, out: np.ndarray) -> None:
    """out = WT @ h without allocating: SciPy's own CSR kernels (which add into `out`) when the
    arrays fit them, else the public product."""
    fits = (_csr_matvec is not None and isinstance(WT, sp.csr_matrix) and h.flags.c_contiguous
            and out.flags.c_contiguous and WT.dtype == h.dtype == out.dtype == np.float64)
    if not fits:
        out[...] = WT @ h
        return
    out.fill(0.0)
    n, m = WT.shape
    if h.ndim == 1:
        _csr_matvec(n, m, WT.indptr, WT.indices, WT.data, h, out)
    else:
        _csr_matvecs(n, m, h.shape[1], WT.indptr, WT.indices, WT.data, h.ravel(), out.ravel())


def leontief(W: sp.spmatrix, psi: np.ndarray) -> np.ndarray:
    """Closed form of the uncapped model, h = (I - W^T)^-1 psi (a direct sparse solve)."""
    n = W.shape[0]
    A = (sp.identity(n, format="csc") - sp.csr_matrix(W).T).tocsc()
    return sp.linalg.spsolve(A, np.asarray(psi, dtype=float))


def debtrank(W: sp.spmatrix, psi: np.ndarray) -> np.ndarray:
    """Original DebtRank (Battiston et al. 2012): each node passes on its distress only once.

    Kept to reproduce published DebtRank numbers; the engine itself uses `fixed_point`.
    """
    W = sp.csr_matrix(W)
    h = np.asarray(psi, dtype=float).copy()
    inactive = np.zeros(len(h), dtype=bool)
    distressed = h > 0
    while distressed.any():
        transmit = np.where(distressed, h, 0.0)
        h = np.minimum(1.0, h + W.T @ transmit)
        inactive |= distressed
        distressed = (h > 0) & ~inactive
    return h


def contributions(W: sp.spmatrix, h: np.ndarray, psi: np.ndarray) -> sp.csr_matrix:
    """Edge contributions at the fixed point: C[u, v] = W[u, v] h_u, scaled where the cap binds.

    Row sums over u of column v equal h_v - psi_v (the propagated part of v's exposure).
    """
    W = sp.csr_matrix(W)
    C = W.multiply(np.asarray(h, dtype=float)[:, None])
    return scale_columns(C, np.asarray(h, dtype=float) - np.asarray(psi, dtype=float)).tocsr()


def scale_columns(C: sp.spmatrix, need: np.ndarray) -> sp.csc_matrix:
    """Raw contributions (column v: what each node passes to v) scaled so that column v sums to
    need_v, v's propagated part. Where the cap at 1 binds the raw sum exceeds it, so every
    contribution shrinks in proportion; explanations of one node use the same rule on one column.

    >>> scale_columns(sp.csc_matrix([[0.6], [0.9]]), np.array([1.0])).toarray().ravel().round(2)
    array([0.4, 0.6])
    """
    C = sp.csc_matrix(C)
    incoming = np.asarray(C.sum(axis=0)).ravel()
    need = np.asarray(need, dtype=float)
    scale = np.divide(need, incoming, out=np.zeros_like(need), where=incoming > 0)
    return sp.csc_matrix(C.multiply(scale[None, :]))
