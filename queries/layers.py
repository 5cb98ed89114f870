"""Supply propagation that follows what is supplied: a loss leaves a company only through the
products that need the input it lost.

A node's supply exposure counts every input (`crit x share` per product class, as the weights
say), but what it passes on to a customer through product class `l` counts only the inputs that
`l` is made from (data/exposure.yaml `inputs_of`). So TSMC's loss reaches Intel's CPUs, but not
the foundry wafers Intel sells to Microsoft; a place's shock reaches a company's fabs and leaves
through its chips, not through a power plant it also owns. With no product classes (a user's edge
list) every output needs every input and this is the plain fixed point on W.

The system has one state per (node, output class) the node sells:

    x = min(1, psi_S + max_k M_k^T x)     the loss carried by each output (a bounded fixed point)
    h = min(1, psi + max_k C_k^T x)       each node's supply exposure, from its scarcest input

with M_k[(w, k), (u, l)] = W_k[w, u] when output l of u needs input k, and C_k[(w, k), v] = W_k[w, v]:
suppliers of one input class add up (substitutes), and the classes are complements, so the
scarcest sets the loss (a Leontief production function; `input_group`). A cost shock adds every
input (`scarcest=False`: the sums M^T x and C^T x). Both are monotone and bounded, so every
invariant of the design note holds, and the contributions of the counted input's suppliers
(scaled where the cap binds) sum to h_v - psi_v.

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

from functools import cached_property
from typing import Callable

import numpy as np
import scipy.sparse as sp

from .propagation import fixed_point
from .weights import ChannelWeights, Part, Weight

ANY = "*"   # the output state of a place (or of a part with no class): it feeds every input kind
SITES = "@sites"   # the input group of a place's parts (plants in two places add up)


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


def input_group(p: Part) -> str:
    """Which input a part is, for combining inputs: its product class, one slot per class.

    Suppliers of one class are substitutes and add up (their shares of the buyer's need sum to at
    most 1); different classes are complements, so the scarcest one sets the loss. A place's parts
    are one input, the sites: a company's plants in two places add up like two suppliers."""
    return SITES if p.sites else (p.product_class or ANY)


def _slots(keys: dict[tuple[int, str], list[tuple[int, float]]], targets: int, sources: int
           ) -> tuple[sp.csr_matrix, np.ndarray, list[tuple[int, str]]]:
    """(slot x source) matrix, each target's first slot, and the slots' (target, input group):
    one slot per (target, input group), every target one slot at least (an empty one if it has no
    input), ordered by target, as `fixed_point(groups=...)` reads them."""
    order = sorted(keys)
    have = {t for t, _ in order}
    order = sorted(order + [(t, "") for t in range(targets) if t not in have])
    rows, cols, data = [], [], []
    for k, key in enumerate(order):
        for src, w in keys.get(key, ()):
            rows.append(k); cols.append(src); data.append(w)
    starts = np.searchsorted(np.array([t for t, _ in order], dtype=np.int64), np.arange(targets))
    return sp.csr_matrix((data, (rows, cols)), shape=(len(order), sources)), starts, order


class SupplyLayer:
    """The (node, output class) states of the supply channel and their matrices."""

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
        s = len(states)
        m_rows, m_cols, m_data, c_rows, c_cols, c_data = [], [], [], [], [], []
        m_keys: dict[tuple[int, str], list[tuple[int, float]]] = {}
        c_keys: dict[tuple[int, str], list[tuple[int, float]]] = {}
        for src, t, v, w, _, p in entries:
            g = input_group(p)
            if t is None:
                c_rows.append(src); c_cols.append(v); c_data.append(w)
                c_keys.setdefault((v, g), []).append((src, w))
            else:
                m_rows.append(src); m_cols.append(t); m_data.append(w)
                m_keys.setdefault((t, g), []).append((src, w))
        # the sums over every input (the path graph's arcs), and the slot matrices the engine runs
        self.M = sp.csr_matrix((m_data, (m_rows, m_cols)), shape=(s, s))
        self.C = sp.csr_matrix((c_data, (c_rows, c_cols)), shape=(s, n))
        self.MS, self.state_starts, _ = _slots(m_keys, s, s)
        self.CS, self.node_starts, self.node_slots = _slots(c_keys, n, s)
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

    @cached_property
    def MT(self) -> sp.csr_matrix:
        """M^T: every input summed (inputs that add up)."""
        return self.M.T.tocsr()

    @cached_property
    def CT(self) -> sp.csr_matrix:
        return self.C.T.tocsr()

    def _states(self, x0: np.ndarray, cap: bool, scarcest: bool):
        if scarcest:
            return fixed_point(None, x0, cap=cap, WT=self.MS, tol=self.weights.tol, groups=self.state_starts)
        return fixed_point(None, x0, cap=cap, WT=self.MT, tol=self.weights.tol)

    def _nodes(self, psi: np.ndarray, x: np.ndarray, cap: bool, scarcest: bool) -> np.ndarray:
        """Each node's supply exposure: its direct hit plus its scarcest input (or every input)."""
        h = psi + (np.maximum.reduceat(self.CS @ x, self.node_starts, axis=0) if scarcest else self.CT @ x)
        return np.minimum(h, 1.0) if cap else h

    def run(self, psi: np.ndarray, cap: bool = True, reach: dict[int, set[str]] | None = None,
            scarcest: bool = True) -> tuple[np.ndarray, np.ndarray | None, int]:
        """(h per node, x per output state, iterations)."""
        if self.plain:
            res = fixed_point(None, psi, cap=cap, WT=self.WT, tol=self.weights.tol)
            return res.h, None, res.iterations
        res = self._states(self.seed_states(psi, reach), cap, scarcest)
        return self._nodes(psi, res.h, cap, scarcest), res.h, res.iterations

    def run_many(self, psi: np.ndarray, cap: bool = True, scarcest: bool = True) -> np.ndarray:
        """psi (n, k): the node exposure of k scenarios at once."""
        if self.plain:
            return fixed_point(None, psi, cap=cap, WT=self.WT, tol=self.weights.tol).h
        return self._nodes(psi, self._states(psi[self.node_of], cap, scarcest).h, cap, scarcest)

    def inputs(self, v: int, x: np.ndarray | None, h: np.ndarray) -> list[tuple[str, float, dict[int, float]]]:
        """Node v's inputs, largest first: (input group, its loss, raw contributions by supplier
        node). The first one sets v's supply exposure; the others are complements, not added."""
        if self.plain:
            row = self.WT[v].tocoo()
            raw = {int(u): float(w * h[u]) for u, w in zip(row.col, row.data)}
            return [(ANY, sum(raw.values()), raw)] if raw else []
        out = []
        end = self.node_starts[v + 1] if v + 1 < len(self.node_starts) else self.CS.shape[0]
        for k in range(int(self.node_starts[v]), int(end)):
            row = self.CS[k].tocoo()
            raw: dict[int, float] = {}
            for s, w in zip(row.col.tolist(), row.data.tolist()):
                u = int(self.node_of[s])
                raw[u] = raw.get(u, 0.0) + w * float(x[s])
            if raw:
                out.append((self.node_slots[k][1], sum(raw.values()), raw))
        return sorted(out, key=lambda g: -g[1])

    def incoming(self, v: int, x: np.ndarray | None, h: np.ndarray, scarcest: bool = True) -> dict[int, float]:
        """Raw contributions to node v by supplier node: those of its scarcest input (of every
        input, where inputs add up)."""
        return counted(self.inputs(v, x, h), scarcest)


def counted(inputs: list[tuple[str, float, dict[int, float]]], scarcest: bool) -> dict[int, float]:
    """What a node's inputs (`SupplyLayer.inputs`, largest first) pass on, by supplier node: the
    scarcest one's where inputs are complements, all of them added where they add up."""
    if scarcest:
        return inputs[0][2] if inputs else {}
    out: dict[int, float] = {}
    for _, _, raw in inputs:
        for u, c in raw.items():
            out[u] = out.get(u, 0.0) + c
    return out
