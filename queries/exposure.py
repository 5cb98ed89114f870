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

from .propagation import contributions, fixed_point
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
            W = self.weights.matrix(c)
            base = self.operational if c == "financial" else self.psi[c]
            C = contributions(W, self.h[c], base)
            col = C.getcol(v).tocoo()
            for u, val in zip(col.row, col.data):
                if val <= 0:
                    continue
                src = self.nodes[u]
                e = self.weights.edges[c][(src, node)]
                rows.append({"from": src, "channel": c, "contribution": float(val), "weight": e.w,
                             "estimated": e.estimated, "rule": e.rule, "relationships": list(e.rels)})
        return sorted(rows, key=lambda r: -r["contribution"])

    def propagated(self, node: str) -> float:
        """Score minus the direct hit: what the incoming contributions add up to."""
        i = self.weights.index[node]
        return float(self.total[i] - self.psi[self.dominant(i)][i] - max(
            0.0, self.operational[i] - max(self.h["supply"][i], self.h["demand"][i])))

    def path_graph(self) -> nx.DiGraph:
        """All channels' edges, cost -log(w), plus a virtual source feeding every seed."""
        pg = nx.DiGraph()
        for c in self.channels:
            for (u, v), e in self.weights.edges[c].items():
                if e.w <= 0 or u == v:
                    continue
                cost = -math.log(min(e.w, 1.0))
                if not pg.has_edge(u, v) or pg[u][v]["cost"] > cost:
                    pg.add_edge(u, v, cost=cost, w=e.w, channel=c)
        # Seed edges cost -log(magnitude / largest magnitude), so costs stay >= 0 even for
        # uncapped magnitudes above 1; `scale` restores path values.
        top = max([s.magnitude for s in self.seeds if s.magnitude > 0], default=1.0)
        pg.graph["scale"] = top
        for s in self.seeds:
            if s.magnitude > 0:
                cost = -math.log(s.magnitude / top)
                if not pg.has_edge(SOURCE, s.node) or pg[SOURCE][s.node]["cost"] > cost:
                    pg.add_edge(SOURCE, s.node, cost=cost, w=s.magnitude, channel=s.channel)
        return pg

    def top_paths(self, node: str, k: int = 3, pg: nx.DiGraph | None = None) -> list[dict[str, Any]]:
        """The k strongest seed-to-node paths, value = seed magnitude x product of weights."""
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
            res = fixed_point(weights.matrix(c), psi[c], cap=cap)
            h[c], iterations[c] = res.h, res.iterations
        else:
            h[c] = psi[c].copy()
    operational = np.maximum(h["supply"], h["demand"])
    operational = np.maximum(operational, psi["financial"])
    if "financial" in channels:
        res = fixed_point(weights.matrix("financial"), operational, cap=cap)
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


def weights_from_edgelist(rows: list[tuple[str, str, str, float]]) -> ChannelWeights:
    """Weights straight from a user's `source,target,channel,weight` list (already normalised)."""
    from .weights import Weight

    nodes: list[str] = []
    index: dict[str, int] = {}
    edges: dict[str, dict] = {c: {} for c in CHANNELS}
    for u, v, c, w in rows:
        for x in (u, v):
            if x not in index:
                index[x] = len(nodes)
                nodes.append(x)
        key = (u, v)
        if key in edges[c]:
            edges[c][key].w += w
        else:
            edges[c][key] = Weight(u, v, w, False, "given in the edge list", [])
    return ChannelWeights(nodes, index, edges)
