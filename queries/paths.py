"""Strongest paths from a shock's seeds to a node, on the graph the engine actually solved.

The path graph has the engine's own layers, so every path it returns is one the fixed point can
take: supply output states (node, product class) chained where an output needs the input, then
the node they reach; demand arcs node to node; then financial arcs from a node's operational
exposure to its investors. Each arc costs -log(w) (w capped at 1), a path's value is the seed's
magnitude times the product of its weights, and the cheapest path is the strongest. One CSR
matrix holds it all: k-shortest simple paths (Yen, networkx) on small graphs, one multi-source
Dijkstra pass (scipy.sparse.csgraph) above `LARGE` arcs.
"""
from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

EPS = 1e-15          # csgraph drops explicit zeros: a free arc costs this instead
LARGE = 20_000


def _cost(w: np.ndarray) -> np.ndarray:
    return -np.log(np.minimum(w, 1.0)) + EPS


class PathGraph:
    """Vertices: x-states [0, S), then per node: supply arrival, demand, financial, target; SOURCE."""

    def __init__(self, side, channels: list[str], n: int):
        self.n = n
        layer = side.layer
        S = len(layer.states)
        self.S = S
        self.node_of = layer.node_of if not layer.plain else np.arange(n)
        base = {"s": S, "d": S + n, "f": S + 2 * n, "t": S + 3 * n}
        self.base = base
        self.source = S + 4 * n
        pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        # free arcs between one node's own layers, as (tail layer, head layer) offsets: they join
        # no two nodes, so a search needs them only at nodes some other arc reaches
        self._structural: list[tuple[int, int]] = []

        def add(r, c, w):   # the channel an arc carries is its head's layer (channel_into)
            w = np.asarray(w, dtype=float)
            keep = w > 0
            if keep.all():
                pieces.append((np.asarray(r), np.asarray(c), w))
            else:
                pieces.append((np.asarray(r)[keep], np.asarray(c)[keep], w[keep]))

        free = self._structural.append
        if "supply" in channels:
            if layer.plain:
                m = layer.WT.T.tocoo()
                off = m.row != m.col
                add(m.row[off], m.col[off], m.data[off])
                free((0, base["s"]))                       # state = node: arrival is free
            else:
                m = layer.M.tocoo()
                off = self.node_of[m.row] != self.node_of[m.col]
                add(m.row[off], m.col[off], m.data[off])
                c = layer.C.tocoo()
                add(c.row, base["s"] + c.col, c.data)
            free((base["s"], base["f"]))                   # operational -> financial layer
            free((base["s"], base["t"]))
        if "demand" in channels:
            d = side.wt["demand"].T.tocoo()
            off = d.row != d.col
            add(base["d"] + d.row[off], base["d"] + d.col[off], d.data[off])
            free((base["d"], base["f"]))
            free((base["d"], base["t"]))
        if "financial" in channels:
            f = side.wt["financial"].T.tocoo()
            off = f.row != f.col
            add(base["f"] + f.row[off], base["f"] + f.col[off], f.data[off])
        free((base["f"], base["t"]))
        # seeds: the direct hit itself, and the output states it leaves through
        top = max([s.magnitude for s in side.seeds if s.magnitude > 0], default=1.0)
        self.top = top
        idx = side.index
        for s in side.seeds:
            if s.magnitude <= 0:
                continue
            i = idx[s.node]
            w = np.array([s.magnitude / top])
            layer_of = {"supply": "s", "demand": "d", "financial": "f"}[s.channel]
            add([self.source], [base[layer_of] + i], w)
            if s.channel == "supply":
                states = np.flatnonzero(side.x0 > 0) if not layer.plain else np.array([], dtype=int)
                mine = states[self.node_of[states] == i] if len(states) else states
                if layer.plain:
                    add([self.source], [i], w)
                elif len(mine):
                    add(np.full(len(mine), self.source), mine, np.full(len(mine), w[0]))
        size = self.source + 1
        self.size = size
        self._pieces = pieces   # arcs as (tails, heads, weights), joined only for the search asked
        self._A: sp.csr_matrix | None = None
        self._nx: nx.DiGraph | None = None
        self._dijkstra = None
        self._bounded = False   # the last search stopped at a cost bound
        self._first: tuple[float, np.ndarray, np.ndarray] | None = None   # search_ahead's pass

    @property
    def A(self) -> sp.csr_matrix:
        """Every arc, as a CSR matrix of costs (built on first use)."""
        if self._A is None:
            self._A = self._matrix(None)
        return self._A

    @property
    def arcs(self) -> int:
        return sum(len(r) for r, _, _ in self._pieces) + self.n * len(self._structural)

    def _nodes_of(self, vertices: np.ndarray) -> np.ndarray:
        """Vectorised `node`: the node of each vertex below `source`."""
        out = (vertices - self.S) % self.n
        low = vertices < self.S
        out[low] = self.node_of[vertices[low]]
        return out

    def _matrix(self, limit: float | None) -> sp.csr_matrix:
        """The arcs costing at most `limit` (all with None): no path within the limit uses another.
        An arc costs -log(w), so the bound is a weight floor, applied before anything is joined;
        a node's free arcs between its own layers enter only where another kept arc arrives."""
        if limit is None:
            parts = list(self._pieces)
            nodes = np.arange(self.n)
        else:
            floor = math.exp(EPS - limit)
            parts = [(r[k], c[k], w[k]) for r, c, w in self._pieces for k in [w >= floor]]
            heads = np.concatenate([p[1] for p in parts])
            reached = np.zeros(self.n, dtype=bool)
            reached[self._nodes_of(heads[heads < self.source])] = True
            nodes = np.flatnonzero(reached)
        for tail, head in self._structural:
            parts.append((tail + nodes, head + nodes, np.ones(len(nodes))))
        r = np.concatenate([p[0] for p in parts])
        c = np.concatenate([p[1] for p in parts])
        d = _cost(np.concatenate([p[2] for p in parts]))
        m = sp.csr_matrix((d, (r, c)), shape=(self.size, self.size))   # sums duplicate arcs ...
        if m.nnz < len(r):   # ... so where two vertices have several, keep the cheapest (a sort)
            order = np.lexsort((d, c, r))
            r, c, d = r[order], c[order], d[order]
            first = np.ones(len(r), dtype=bool)
            first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
            m = sp.csr_matrix((d[first], (r[first], c[first])), shape=(self.size, self.size))
        return m

    def node(self, vertex: int) -> int | None:
        if vertex < self.S:
            return int(self.node_of[vertex])
        if vertex < self.source:
            return int((vertex - self.S) % self.n)
        return None

    def channel_into(self, vertex: int) -> int:
        """The channel of an arc into this vertex (0 supply, 1 demand, 2 financial, 3 none): every
        arc into an output state or a supply arrival carries supply, into the demand layer demand,
        into the financial layer financial; arcs into a target only end a path."""
        if vertex < self.base["d"]:
            return 0
        return 1 if vertex < self.base["f"] else 2 if vertex < self.base["t"] else 3

    def _translate(self, path: list[int], value: float) -> dict[str, Any]:
        """Vertex path -> node ids and the channel of each hop between distinct nodes."""
        names = {0: "supply", 1: "demand", 2: "financial"}
        nodes: list[int] = []
        chans: list[str] = []
        for a, b in zip(path, path[1:]):
            nb = self.node(b)
            if nb is None:
                continue
            kind = self.channel_into(b)
            if not nodes:
                nodes.append(nb)
            elif nb != nodes[-1]:
                chans.append(names.get(kind, "supply"))
                nodes.append(nb)
        return {"nodes": nodes, "channels": chans, "contribution": value}

    def _graph(self) -> nx.DiGraph:
        if self._nx is None:
            g = nx.DiGraph()
            coo = self.A.tocoo()
            g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
            self._nx = g
        return self._nx

    def best(self, v: int) -> list[dict[str, Any]]:
        """The strongest path to node v, from one single-source Dijkstra pass shared by all nodes
        (networkx on a small graph; scipy.sparse.csgraph, which is slow to import, on a large one)."""
        t = self.base["t"] + v
        if self.arcs <= LARGE:
            if self._dijkstra is None:
                self._dijkstra = nx.single_source_dijkstra(self._graph(), self.source, weight="weight")
            dist, paths = self._dijkstra
            if t not in dist:
                return []
            path = paths[t]
            return [self._translate(path, self.top * math.exp(-(dist[t] - EPS * (len(path) - 1))))]
        if self._dijkstra is None:
            self.prepare([v])
        dist, pred = self._dijkstra
        if not np.isfinite(dist[t]) and self._bounded:   # beyond the bound of an earlier search
            self._dijkstra = None
            self.prepare([v])
            dist, pred = self._dijkstra
        if not np.isfinite(dist[t]):
            return []
        path = [t]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        path.reverse()
        return [self._translate(path, self.top * math.exp(-(dist[t] - EPS * (len(path) - 1))))]

    def prepare(self, nodes: list[int]) -> None:
        """One Dijkstra pass from the seeds that reaches these nodes (on a large graph): first
        bounded to strong paths (cost 2 = a path worth e^-2 of the largest seed), widened until
        every node asked for is reached. Distances within the bound are exact, so the paths are the
        ones an unbounded pass finds, but a million-node graph is neither searched to its far ends
        nor turned whole into a matrix."""
        if self.arcs <= LARGE or self._dijkstra is not None:
            return
        from scipy.sparse.csgraph import dijkstra

        targets = self.base["t"] + np.asarray(nodes, dtype=int)
        limit, dist, pred = self._first if self._first is not None else self.search_ahead()
        while not np.isfinite(dist[targets]).all() and limit <= 64:
            limit *= 4   # only the arcs that can lie on a path within the bound enter the search
            dist, pred = dijkstra(self._matrix(limit), indices=self.source, return_predecessors=True,
                                  limit=limit)
        self._bounded = True
        if not np.isfinite(dist[targets]).all():
            dist, pred = dijkstra(self.A, indices=self.source, return_predecessors=True)
            self._bounded = False
        self._dijkstra = (dist, pred)

    def search_ahead(self, limit: float = 2.0) -> tuple[float, np.ndarray, np.ndarray]:
        """The first bounded pass of `prepare`, which needs no scores: a run may do it while its
        fixed points are still being solved, before anyone knows which rows will be shown."""
        from scipy.sparse.csgraph import dijkstra

        dist, pred = dijkstra(self._matrix(limit), indices=self.source, return_predecessors=True, limit=limit)
        self._first = (limit, dist, pred)
        return self._first

    def k_best(self, v: int, k: int) -> list[dict[str, Any]]:
        """Up to k strongest paths to node v, distinct as node sequences."""
        if self.arcs > LARGE:
            return self.best(v)
        t = self.base["t"] + v
        graph = self._graph()
        if t not in graph or self.source not in graph:
            return []
        out, seen = [], set()
        try:
            for path in nx.shortest_simple_paths(graph, self.source, t, weight="weight"):
                cost = sum(self.A[a, b] for a, b in zip(path, path[1:]))
                p = self._translate(path, self.top * math.exp(-(cost - EPS * (len(path) - 1))))
                key = tuple(p["nodes"])
                if key in seen or len(set(key)) < len(key):   # a loop back through a node explains nothing
                    seen.add(key)
                    continue
                seen.add(key)
                out.append(p)
                if len(out) >= k or len(seen) > 50 * k:
                    break
        except nx.NetworkXNoPath:
            return []
        return out
