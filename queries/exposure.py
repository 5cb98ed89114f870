"""Exposure of every node to a shock: channels run, combined, and explained.

Supply and demand run independently (each a bounded fixed point); a node's operational exposure is
the larger of the two (Diem et al. 2022); the financial channel is then seeded with it and carries
losses to investors. Explanations give the incoming contributions (they sum to the propagated part)
and the strongest paths from the seeds, with the share of the score those paths cover.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .propagation import fixed_point
from .scenarios import Seed
from .weights import CHANNELS, ChannelWeights


@dataclass
class Exposure:
    """Result of one (possibly combined) scenario over every node."""

    weights: ChannelWeights
    seeds: list[Seed]
    channels: list[str]
    psi: dict[str, np.ndarray]        # channel -> direct hit injected there
    h: dict[str, np.ndarray]          # channel -> fixed point (financial: seeded with operational)
    operational: np.ndarray
    total: np.ndarray
    iterations: dict[str, int] = field(default_factory=dict)
    cap: bool = True
    discount: np.ndarray | None = None  # own hit of seeds that only transmit (not counted as exposure)

    @property
    def nodes(self) -> list[str]:
        return self.weights.nodes

    @property
    def direct(self) -> np.ndarray:
        return np.maximum(np.maximum.reduce([self.psi[c] for c in CHANNELS]) - self._discount, 0.0)

    @property
    def _discount(self) -> np.ndarray:
        return self.discount if self.discount is not None else np.zeros(len(self.nodes))

    @property
    def scores(self) -> np.ndarray:
        """Total exposure per node, in [0, 1] (the figure users rank by)."""
        return np.maximum(self.total - self._discount, 0.0)

    def channel_scores(self, i: int) -> dict[str, float]:
        out = {}
        for c in self.channels:
            if c == "financial":
                out[c] = float(self.total[i] - self.operational[i])
            else:
                out[c] = float(max(self.h[c][i] - self._discount[i], 0.0))
        return out

    def ranked(self, min_score: float = 1e-12) -> list[int]:
        scores = self.scores
        order = np.argsort(-scores, kind="stable")
        return [int(i) for i in order if scores[i] > min_score]

    # --- explanations ------------------------------------------------------------------------
    def _csc(self, channel: str) -> sp.csc_matrix:
        cache = self.__dict__.setdefault("_csc_cache", {})
        if channel not in cache:
            cache[channel] = self.weights.matrix(channel).tocsc()
        return cache[channel]

    def dominant(self, i: int) -> str:
        """The operational channel that sets node i's operational exposure (max of the two)."""
        return "supply" if self.h["supply"][i] >= self.h["demand"][i] else "demand"

    def incoming(self, node: str) -> list[dict[str, Any]]:
        """Who passed how much of node's exposure (largest first).

        Covers the dominant operational channel and the financial channel, so the contributions
        sum to the score minus the direct hit on that channel (`propagated`).
        """
        v = self.weights.index[node]
        rows = []
        for c in (self.dominant(v), "financial"):
            if c not in self.channels:
                continue
            base = self.operational if c == "financial" else self.psi[c]
            col = self._csc(c)[:, v].tocoo()  # only node v's column: no full-matrix work
            raw = col.data * self.h[c][col.row]
            need = self.h[c][v] - base[v]
            total = raw.sum()
            scale = need / total if total > 0 else 0.0
            for u, val in zip(col.row.tolist(), (raw * scale).tolist()):
                if val <= 0:
                    continue
                src = self.nodes[u]
                e = self.weights.weight(c, src, node)
                rows.append({"from": src, "channel": c, "contribution": float(val), "weight": e.w,
                             "estimated": e.estimated, "rule": e.rule, "relationships": list(e.rels)})
        return sorted(rows, key=lambda r: -r["contribution"])

    def propagated(self, node: str) -> float:
        """Score minus the direct hit: what the incoming contributions add up to."""
        i = self.weights.index[node]
        return float(self.total[i] - self.psi[self.dominant(i)][i] - max(
            0.0, self.operational[i] - max(self.h["supply"][i], self.h["demand"][i])))

    #: Above this many weighted edges, paths come from one sparse Dijkstra pass (best path only)
    #: instead of Yen's k-shortest simple paths on a networkx graph.
    LARGE = 20_000

    def _arcs(self):
        """(u, v, cost, w, channel) over all channels, the cheapest channel kept per pair."""
        best: dict[tuple[int, int], tuple[float, float, str]] = {}
        for c in self.channels:
            coo = self.weights.matrix(c).tocoo()
            for u, v, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()):
                if w <= 0 or u == v:
                    continue
                cost = -math.log(min(w, 1.0))
                if (u, v) not in best or best[(u, v)][0] > cost:
                    best[(u, v)] = (cost, w, c)
        return best

    def _seed_costs(self) -> tuple[dict[int, tuple[float, float, str]], float]:
        # Seed edges cost -log(magnitude / largest magnitude), so costs stay >= 0 even for
        # uncapped magnitudes above 1; `top` restores path values.
        top = max([s.magnitude for s in self.seeds if s.magnitude > 0], default=1.0)
        out: dict[int, tuple[float, float, str]] = {}
        for s in self.seeds:
            if s.magnitude > 0:
                i = self.weights.index[s.node]
                cost = -math.log(s.magnitude / top)
                if i not in out or out[i][0] > cost:
                    out[i] = (cost, s.magnitude, s.channel)
        return out, top

    def path_graph(self) -> nx.DiGraph:
        """All channels' edges, cost -log(w), plus a virtual source feeding every seed."""
        pg = nx.DiGraph()
        names = self.nodes
        for (u, v), (cost, w, c) in self._arcs().items():
            pg.add_edge(names[u], names[v], cost=cost, w=w, channel=c)
        seeds, top = self._seed_costs()
        pg.graph["scale"] = top
        for i, (cost, w, c) in seeds.items():
            pg.add_edge(SOURCE, names[i], cost=cost, w=w, channel=c)
        return pg

    def top_paths(self, node: str, k: int = 3, pg: nx.DiGraph | None = None) -> list[dict[str, Any]]:
        """The k strongest seed-to-node paths, value = seed magnitude x product of weights."""
        if pg is None and self.weights.edge_count() > self.LARGE:
            return self._best_path(node)
        pg = pg if pg is not None else self.path_graph()
        if node not in pg or SOURCE not in pg:
            return []
        out = []
        try:
            for path in nx.shortest_simple_paths(pg, SOURCE, node, weight="cost"):
                value = pg.graph["scale"] * math.exp(-sum(pg[a][b]["cost"] for a, b in zip(path, path[1:])))
                chans = [pg[a][b]["channel"] for a, b in zip(path[1:], path[2:])]
                out.append({"nodes": path[1:], "channels": chans, "contribution": value})
                if len(out) >= k:
                    break
        except nx.NetworkXNoPath:
            return []
        return out

    def _best_path(self, node: str) -> list[dict[str, Any]]:
        """The single strongest path, from one multi-source sparse Dijkstra pass (cached)."""
        if getattr(self, "_dijkstra", None) is None:
            from scipy.sparse.csgraph import dijkstra

            n = len(self.nodes)
            rows, cols, costs, chans = [], [], [], {}
            for c in self.channels:
                m = self.weights.matrix(c).tocoo()
                keep = (m.data > 0) & (m.row != m.col)
                rows.append(m.row[keep]); cols.append(m.col[keep])
                costs.append(-np.log(np.minimum(m.data[keep], 1.0)) + 1e-15)
            seeds, top = self._seed_costs()
            rows.append(np.full(len(seeds), n)); cols.append(np.array(list(seeds), dtype=np.int64))
            costs.append(np.array([c for c, _, _ in seeds.values()]) + 1e-15)
            A = sp.csr_matrix((np.concatenate(costs), (np.concatenate(rows), np.concatenate(cols))),
                              shape=(n + 1, n + 1))
            # duplicates across channels: keep the cheapest by taking a minimum over a stacked COO
            A = A.tocoo()
            order = np.lexsort((A.data, A.col, A.row))
            r, c_, d = A.row[order], A.col[order], A.data[order]
            first = np.ones(len(r), dtype=bool)
            first[1:] = (r[1:] != r[:-1]) | (c_[1:] != c_[:-1])
            A = sp.csr_matrix((d[first], (r[first], c_[first])), shape=(n + 1, n + 1))
            dist, pred = dijkstra(A, indices=n, return_predecessors=True)
            self._dijkstra = (dist, pred, top, A)
        dist, pred, top, A = self._dijkstra
        v = self.weights.index[node]
        if not np.isfinite(dist[v]):
            return []
        path = [v]
        while pred[path[-1]] >= 0 and pred[path[-1]] != len(self.nodes):
            path.append(int(pred[path[-1]]))
        path.reverse()
        chans = []
        for a, b in zip(path, path[1:]):
            chans.append(min(self.channels, key=lambda c: -self.weights.matrix(c)[a, b]))
        return [{"nodes": [self.nodes[i] for i in path], "channels": chans,
                 "contribution": top * math.exp(-(dist[v] - 1e-15 * len(path)))}]

    def coverage(self, node: str, paths: list[dict[str, Any]]) -> float:
        score = float(self.scores[self.weights.index[node]])
        if score <= 0:
            return 0.0
        return min(1.0, sum(p["contribution"] for p in paths) / score)


SOURCE = "__seeds__"


def run_exposure(weights: ChannelWeights, seeds: list[Seed], channels: list[str] | None = None,
                 cap: bool = True) -> Exposure:
    """Propagate seeds on each channel and combine them (see module docstring)."""
    channels = [c for c in CHANNELS if c in (channels or CHANNELS)]
    n = len(weights.nodes)
    psi = {c: np.zeros(n) for c in CHANNELS}
    for s in seeds:
        if s.node not in weights.index:
            raise KeyError(s.node)
        i = weights.index[s.node]
        for c in ([s.channel] if s.channel in CHANNELS else channels):
            psi[c][i] = psi[c][i] + s.magnitude
    if cap:
        for c in CHANNELS:
            np.minimum(psi[c], 1.0, out=psi[c])
    h: dict[str, np.ndarray] = {}
    iterations: dict[str, int] = {}
    for c in ("supply", "demand"):
        if c in channels:
            res = fixed_point(None, psi[c], cap=cap, WT=weights.matrix_t(c))
            h[c], iterations[c] = res.h, res.iterations
        else:
            h[c] = psi[c].copy()
    operational = np.maximum(h["supply"], h["demand"])
    operational = np.maximum(operational, psi["financial"])
    if "financial" in channels:
        res = fixed_point(None, operational, cap=cap, WT=weights.matrix_t("financial"))
        h["financial"], iterations["financial"] = res.h, res.iterations
        total = res.h
    else:
        h["financial"] = operational.copy()
        total = operational
    discount = np.zeros(n)
    for s in seeds:
        if not s.counts:
            i = weights.index[s.node]
            discount[i] = max(discount[i], min(s.magnitude, 1.0) if cap else s.magnitude)
    return Exposure(weights, seeds, channels, psi, h, operational, total, iterations, cap, discount)


def run_batch(weights: ChannelWeights, psi: dict[str, np.ndarray], channels: list[str] | None = None,
              cap: bool = True, chunk: int = 10) -> np.ndarray:
    """Many scenarios in one pass: psi[channel] is (n, k), dense or scipy.sparse (seeds are usually
    sparse: a 1M x 100 dense seed matrix alone is 800 MB); returns total exposure (n, k).

    Same combination as `run_exposure`; each iteration is one sparse x dense product per channel,
    on dense blocks of at most `chunk` scenarios so memory stays bounded.
    """
    channels = [c for c in CHANNELS if c in (channels or CHANNELS)]
    shape = next(iter(psi.values())).shape
    if len(shape) == 2 and shape[1] > chunk:
        psi = {c: (p.tocsc() if sp.issparse(p) else p) for c, p in psi.items()}
        out = np.empty(shape)
        for j in range(0, shape[1], chunk):
            out[:, j:j + chunk] = run_batch(weights, {c: p[:, j:j + chunk] for c, p in psi.items()},
                                            channels, cap, chunk)
        return out
    psi = {c: (p.toarray() if sp.issparse(p) else np.asarray(p, dtype=float)) for c, p in psi.items()}
    zero = np.zeros(shape)
    h = {}
    for c in ("supply", "demand"):
        base = np.minimum(psi.get(c, zero), 1.0) if cap else psi.get(c, zero)
        h[c] = fixed_point(None, base, cap=cap, WT=weights.matrix_t(c)).h if c in channels else base
    operational = np.maximum(h["supply"], h["demand"])
    if "financial" in channels:
        return fixed_point(None, operational, cap=cap, WT=weights.matrix_t("financial")).h
    return operational


def weights_from_frame(frame) -> ChannelWeights:
    """Weights straight from a user's `source,target,channel,weight` table (already normalised).

    Vectorised: node ids are factorised once and each channel becomes a CSR matrix directly, so a
    10-million-edge list needs no Python loop over rows.
    """
    import pandas as pd

    codes, uniques = pd.factorize(pd.concat([frame["source"], frame["target"]], ignore_index=True))
    n_edges = len(frame)
    src, dst = codes[:n_edges], codes[n_edges:]
    nodes = [str(x) for x in uniques]
    n = len(nodes)
    matrices = {}
    channel = frame["channel"].to_numpy()
    weight = frame["weight"].to_numpy(dtype=float)
    for c in CHANNELS:
        mask = channel == c
        m = sp.csr_matrix((weight[mask], (src[mask], dst[mask])), shape=(n, n))
        m.sum_duplicates()
        matrices[c] = m
    return ChannelWeights(nodes, {x: i for i, x in enumerate(nodes)}, {c: {} for c in CHANNELS}, matrices)
