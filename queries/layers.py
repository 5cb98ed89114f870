"""Supply propagation that follows what is supplied: a loss leaves a company only through the
products that need the input it lost.

A node's supply exposure counts every input (`crit x share` per product class, as the weights
say), but what it passes on to a customer through product class `l` counts only the inputs that
`l` is made from (data/exposure.yaml `inputs_of`). So TSMC's loss reaches Intel's CPUs, but not
the foundry wafers Intel sells to Microsoft; a place's shock reaches a company's fabs and leaves
through its chips, not through a power plant it also owns. With no product classes (a user's edge
list) every output needs every input and this is the plain fixed point on W.

The system has one state per (node, output class) the node sells:

    x = min(1, psi_S + M^T x)     the loss carried by each output (a bounded fixed point)
    h = min(1, psi + C^T x)       each node's supply exposure, from all its inputs

with M[(w, k), (u, l)] = W_k[w, u] when output l of u needs input k, and C[(w, k), v] = W_k[w, v].
Both are monotone and bounded, so every invariant of the design note holds, and the contributions
C[(w, k), v] x[(w, k)] (scaled where the cap binds) sum to h_v - psi_v.

>>> import numpy as np
>>> from capexgraph.queries.weights import ChannelWeights, Part, Weight
>>> e = {("fab", "chipco"): Weight("fab", "chipco", [Part(0.8, "sole supplier", "", [], "foundry_wafers")]),
...      ("chipco", "cloud"): Weight("chipco", "cloud", [Part(0.6, "sole supplier", "", [], "accelerators")]),
...      ("toolco", "fab"): Weight("toolco", "fab", [Part(0.3, "sole supplier", "", [], "lithography")])}
>>> nodes = ["toolco", "fab", "chipco", "cloud"]
>>> w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}})
>>> layer = SupplyLayer(w, {"accelerators": {"foundry_wafers"}, "foundry_wafers": {"lithography"}})
>>> layer.run(np.array([1.0, 0, 0, 0]))[0].round(3).tolist()   # a toolmaker stops: 0.3 -> 0.24 -> 0.144
[1.0, 0.3, 0.24, 0.144]
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import scipy.sparse as sp

from .propagation import fixed_point
from .weights import ChannelWeights, Part, Weight

ANY = "*"   # the output state of a place (or of a part with no class): it feeds every input kind


def _input_kinds(p: Part) -> tuple[str, ...]:
    if p.sites:
        return p.sites
    return (p.product_class,) if p.product_class else (ANY,)


def supply_entries(weights: ChannelWeights, needs: dict[str, set[str]], drop=None
                   ) -> tuple[dict[tuple[int, str], int], list[tuple[int, int | None, int, float, Weight, Part]]]:
    """The supply layer as data: its (node, output class) states, and one entry per part and
    target, `(source state, target state, target node, w, edge, part)`: a target state for the
    matrix M (the output that needs this input, at the part's full weight), None for C (the node's
    own exposure, at `w x own`: the input's share of its business). The engine
    sums them into sparse matrices; the Neo4j writer stores each as a relationship."""
    idx = weights.index
    parts = [(e, p) for e in weights.edges.get("supply", {}).values() for p in e.parts
             if p.w > 0 and not (drop and drop(e, p))]
    out_class = lambda p: ANY if p.sites else (p.product_class or ANY)  # noqa: E731
    states: dict[tuple[int, str], int] = {}
    for e, p in parts:
        states.setdefault((idx[e.u], out_class(p)), len(states))
    by_node: dict[int, list[tuple[int, str]]] = {}
    for (i, cls), s in states.items():
        by_node.setdefault(i, []).append((s, cls))
    entries: list[tuple[int, int | None, int, float, Weight, Part]] = []
    for e, p in parts:
        src = states[(idx[e.u], out_class(p))]
        v = idx[e.v]
        entries.append((src, None, v, p.own_w, e, p))   # the node's own score: its lines' share
        kinds = set(_input_kinds(p))
        for t, cls in by_node.get(v, []):
            need = needs.get(cls)
            if need is None or ANY in kinds or kinds & need:
                entries.append((src, t, v, p.w, e, p))
    return states, entries


class SupplyLayer:
    """The (node, output class) states of the supply channel and their two matrices."""

    def __init__(self, weights: ChannelWeights, needs: dict[str, set[str]] | None,
                 drop: Callable[[Weight, Part], bool] | None = None):
        self.weights = weights
        self.needs = needs or {}
        n = len(weights.nodes)
        edges = weights.edges.get("supply", {})
        self.plain = not edges
        if self.plain:  # a user's edge list: one state per node, every output needs every input
            self.WT = weights.matrix_t("supply")
            self.states = [(i, ANY) for i in range(n)]
            return
        states, entries = supply_entries(weights, self.needs, drop)
        self.states = list(states)
        self.state_index = states
        m_rows, m_cols, m_data, c_rows, c_cols, c_data = [], [], [], [], [], []
        for src, t, v, w, _, _ in entries:
            if t is None:
                c_rows.append(src); c_cols.append(v); c_data.append(w)
            else:
                m_rows.append(src); m_cols.append(t); m_data.append(w)
        s = len(states)
        M = sp.csr_matrix((m_data, (m_rows, m_cols)), shape=(s, s))
        C = sp.csr_matrix((c_data, (c_rows, c_cols)), shape=(s, n))
        self.MT = M.T.tocsr()
        self.CT = C.T.tocsr()   # (n, s): row v lists the output states feeding v
        self.C = C.tocsr()
        self.M = M.tocsr()
        self.node_of = np.array([i for i, _ in self.states], dtype=np.int64)
        self.class_of = [c for _, c in self.states]

    def seed_states(self, psi: np.ndarray, reach: dict[int, set[str]] | None = None) -> np.ndarray:
        """Each output state starts with its node's direct hit, unless the seed reaches only some
        output classes (an HBM shortage leaves a memory maker through its HBM, not its foundry)."""
        x0 = psi[self.node_of].copy() if len(self.states) else np.zeros(0)
        for i, classes in (reach or {}).items():
            for s, (node, cls) in enumerate(self.states):
                if node == i and cls != ANY and cls not in classes:
                    x0[s] = 0.0
        return x0

    def run(self, psi: np.ndarray, cap: bool = True, reach: dict[int, set[str]] | None = None
            ) -> tuple[np.ndarray, np.ndarray | None, int]:
        """(h per node, x per output state, iterations)."""
        if self.plain:
            res = fixed_point(None, psi, cap=cap, WT=self.WT, tol=self.weights.tol)
            return res.h, None, res.iterations
        x0 = self.seed_states(psi, reach)
        res = fixed_point(None, x0, cap=cap, WT=self.MT, tol=self.weights.tol)
        h = psi + self.CT @ res.h
        if cap:
            np.minimum(h, 1.0, out=h)
        return h, res.h, res.iterations

    def run_many(self, psi: np.ndarray, cap: bool = True) -> np.ndarray:
        """psi (n, k): the node exposure of k scenarios at once."""
        if self.plain:
            return fixed_point(None, psi, cap=cap, WT=self.WT, tol=self.weights.tol).h
        x = fixed_point(None, psi[self.node_of], cap=cap, WT=self.MT, tol=self.weights.tol).h
        h = psi + self.CT @ x
        return np.minimum(h, 1.0) if cap else h

    def incoming(self, v: int, x: np.ndarray | None, h: np.ndarray) -> dict[int, float]:
        """Raw contributions to node v by supplier node: sum over its output states of C x."""
        if self.plain:
            row = self.WT[v].tocoo()
            return {int(u): float(w * h[u]) for u, w in zip(row.col, row.data)}
        row = self.CT[v].tocoo()
        out: dict[int, float] = {}
        for s, w in zip(row.col.tolist(), row.data.tolist()):
            u = int(self.node_of[s])
            out[u] = out.get(u, 0.0) + w * float(x[s])
        return out
