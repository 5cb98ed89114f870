"""Exposure of every node to a shock: channels run, combined, and explained, for losses and gains.

Supply and demand run independently (each a bounded fixed point); a node's operational exposure is
the larger of the two (Diem et al. 2022); the financial channel is then seeded with it and carries
it to investors. Losses and gains are two such families of fixed points over the same weights
(design note, December 2026 addendum): a gain never cancels a loss mid-way, each stays in [0, 1],
and a node's net score is loss - gain, in [-1, 1]. Explanations give the incoming contributions
(they sum to the propagated part) and the strongest paths from the seeds, with the share of the
score those paths cover.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .layers import SupplyLayer, counted, input_group
from .paths import LARGE, PathGraph
from .propagation import fixed_point, scale_columns
from .scenarios import Seed
from .weights import CHANNELS, ChannelWeights, Part, Weight


@dataclass
class Solution:
    """The fixed points of one side (losses or gains) for one or many scenarios."""

    h: dict[str, np.ndarray]      # channel -> fixed point (financial: seeded with operational)
    operational: np.ndarray
    total: np.ndarray
    iterations: dict[str, int] = field(default_factory=dict)


#: below this many nodes a single run's fixed points are too short to gain from a second thread
PARALLEL = 200_000


def solve(ops: dict[str, Any], psi: dict[str, np.ndarray], channels: list[str], cap: bool = True,
          reach: dict[int, set[str]] | None = None, scarcest: bool = True) -> tuple[Solution, np.ndarray | None]:
    """The channel combination, shared by single runs and batches: psi[c] is (n,) or (n, k);
    ops["supply"] is a SupplyLayer, the other channels' W^T matrices; every fixed point stops at
    the layer's weights' `tol`. Returns the solution and the supply output states' losses (single
    runs). `scarcest`: a company's inputs of different classes are complements (a shortfall), else
    they add up (a cost shock, a tariff): queries/layers.py."""
    tol = ops["supply"].weights.tol
    h: dict[str, np.ndarray] = {}
    iterations: dict[str, int] = {}
    x = None

    def supply() -> None:
        nonlocal x
        if "supply" not in channels:
            h["supply"] = psi["supply"].copy()
        elif psi["supply"].ndim == 2:
            h["supply"] = ops["supply"].run_many(psi["supply"], cap, scarcest)
        else:
            h["supply"], x, iterations["supply"] = ops["supply"].run(psi["supply"], cap, reach, scarcest)

    def demand() -> None:
        if "demand" not in channels:
            h["demand"] = psi["demand"].copy()
            return
        res = fixed_point(None, psi["demand"], cap=cap, WT=ops["demand"], tol=tol)
        h["demand"], iterations["demand"] = res.h, res.iterations

    # supply and demand are independent fixed points: on a large graph they run side by side
    # (SciPy's products release the GIL); on a small one a thread costs more than it saves
    # (a batch already runs its blocks on every core, so only single runs do this)
    if ({"supply", "demand"} <= set(channels) and psi["demand"].ndim == 1 and psi["demand"].size >= PARALLEL
            and (os.cpu_count() or 1) > 1):
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(supply), pool.submit(demand)]:
                done.result()
    else:
        supply()
        demand()
    operational = np.maximum(np.maximum(h["supply"], h["demand"]), psi["financial"])
    if "financial" in channels:
        res = fixed_point(None, operational, cap=cap, WT=ops["financial"], tol=tol)
        h["financial"], iterations["financial"] = res.h, res.iterations
    else:
        h["financial"] = operational.copy()
    return Solution(h, operational, h["financial"], iterations), x


def place_mask(weights: ChannelWeights) -> np.ndarray:
    """Which nodes are places (countries, grid regions): conduits of a shock, not results."""
    mask = np.zeros(len(weights.nodes), dtype=bool)
    mask[[weights.index[p] for p in weights.places if p in weights.index]] = True
    return mask


def order_nodes(keep: np.ndarray, key: np.ndarray, top: int = 0) -> np.ndarray:
    """The nodes where `keep`, by ascending `key`, ties by index; only the first `top` (0 = all),
    found without sorting the rest (20 rows of a million nodes)."""
    chosen = np.flatnonzero(keep)
    if top and len(chosen) > top:
        k = key[chosen]
        chosen = chosen[k <= np.partition(k, top - 1)[top - 1]]   # the top and whatever ties the last
    return chosen[np.argsort(key[chosen], kind="stable")][:top or None]


@dataclass
class Side:
    """One side of a run: its seeds, direct hits, the operators it ran on and its solution."""

    seeds: list[Seed]
    psi: dict[str, np.ndarray]
    wt: dict[str, sp.csr_matrix]        # W^T per channel
    layer: SupplyLayer                  # the supply channel's output states (what is supplied)
    sol: Solution
    discount: np.ndarray                # own hit of seeds that only transmit (not counted)
    index: dict[str, int]
    x: np.ndarray | None = None         # loss carried by each supply output state
    x0: np.ndarray | None = None        # its direct part
    scarcest: bool = True               # inputs of different classes are complements (layers.py)
    paths: Any = None                   # a path graph being built while the side is solved

    @property
    def scores(self) -> np.ndarray:
        return np.maximum(self.sol.total - self.discount, 0.0)

    @property
    def direct(self) -> np.ndarray:
        return np.maximum(np.maximum.reduce([self.psi[c] for c in CHANNELS]) - self.discount, 0.0)


def seed_vectors(weights: ChannelWeights, seeds: list[Seed], channels: list[str], cap: bool
                 ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Direct hits per channel (psi) and the own hit of seeds that only transmit (discount)."""
    n = len(weights.nodes)
    psi = {c: np.zeros(n) for c in CHANNELS}
    discount = np.zeros(n)
    for s in seeds:
        if s.node not in weights.index:
            raise KeyError(s.node)
        i = weights.index[s.node]
        for c in ([s.channel] if s.channel in CHANNELS else channels):
            psi[c][i] += s.magnitude
        if not s.counts or s.own < 1.0:
            # a seed that only transmits counts none of its own hit; one with an own share, part
            own = 0.0 if not s.counts else s.own
            hit = min(s.magnitude, 1.0) if cap else s.magnitude
            discount[i] = max(discount[i], hit * (1.0 - own))
    if cap:
        for c in CHANNELS:
            np.minimum(psi[c], 1.0, out=psi[c])
    return psi, discount


def seed_reach(weights: ChannelWeights, seeds: list[Seed]) -> tuple[dict[str, set[str]], dict[int, set[str]]]:
    """Where seeds reach only some of what a node makes: places whose shock reaches only those
    kinds of site (place -> kinds), and companies seeded through some product classes only."""
    place_reach: dict[str, set[str] | None] = {}
    company_reach: dict[int, set[str]] = {}
    for s in seeds:
        if s.node in weights.places:
            if s.reaches is None or (s.node in place_reach and place_reach[s.node] is None):
                place_reach[s.node] = None
            else:
                place_reach[s.node] = (place_reach.get(s.node) or set()) | set(s.reaches)
        elif s.reaches is not None and s.channel == "supply":
            company_reach.setdefault(weights.index[s.node], set()).update(s.reaches)
    return {p: r for p, r in place_reach.items() if r is not None}, company_reach


def seed_buyers(seeds: list[Seed]) -> frozenset[str] | None:
    """The countries a side's supply loss may enter (a tariff is paid at one border), or None
    (everywhere) when any supply seed is not a border shock."""
    supply = [s for s in seeds if s.channel == "supply"]
    if not supply or any(s.buyers_in is None for s in supply):
        return None
    return frozenset(c for s in supply for c in s.buyers_in)


def _supply_layer(weights: ChannelWeights, seeds: list[Seed]) -> tuple[SupplyLayer, dict[int, set[str]]]:
    """The supply layer for these seeds: a place seeded with `reaches` passes its shock only to
    those kinds of site; a company seeded with `reaches` only through those product classes; a
    border shock (`buyers_in`) only into buyers located in those countries."""
    masked, company_reach = seed_reach(weights, seeds)
    buyers = seed_buyers(seeds)
    if not masked and buyers is None:
        return weights.supply_layer(), company_reach
    country = weights.countries

    def drop(e, p) -> bool:
        if e.u in masked and not set(p.sites) & masked[e.u]:
            return True
        # a place's shock reaches the companies operating there whatever their home country (their
        # sites are behind the border); from them on it enters only buyers in the listed countries
        return buyers is not None and e.u not in weights.places and country.get(e.v) not in buyers
    return SupplyLayer(weights, weights.needs, drop), company_reach


def _paths_ahead(side: Side, channels: list[str], n: int) -> PathGraph:
    pg = PathGraph(side, channels, n)
    if pg.arcs > LARGE:
        pg.search_ahead()
    return pg


def cut_links(seeds: list[Seed]) -> frozenset[tuple[str, str]]:
    """(buyer, supplier) demand links a scenario's own loss seeds cut (`via`: a ban on the tools a
    Chinese fab buys from foreign toolmakers): its gains do not travel back along them, so the
    fab's substitution gain is no extra order for the toolmakers the ban shuts out."""
    return frozenset((s.node, u) for s in seeds if not s.gain for u in s.cut)


def _side(weights: ChannelWeights, seeds: list[Seed], channels: list[str], cap: bool,
          ahead: ThreadPoolExecutor | None = None, cut: frozenset[tuple[str, str]] = frozenset(),
          scarcest: bool = True) -> Side:
    psi, discount = seed_vectors(weights, seeds, channels, cap)
    layer, reach = _supply_layer(weights, seeds)
    wt = {c: weights.matrix_t(c) for c in CHANNELS}
    if cut:
        wt["demand"] = weights.without_parts("demand", lambda e, p: (e.u, e.v) in cut)
    x0 = None if layer.plain else layer.seed_states(psi["supply"], reach)
    side = Side(seeds, psi, wt, layer, None, discount, weights.index, None, x0,   # type: ignore[arg-type]
                scarcest=scarcest)
    if ahead is not None and seeds:
        # the path graph and its first search need no scores: on a large graph they are built on
        # the core the fixed points leave idle (the supply and demand solves end at different
        # times, the financial one runs alone), so explaining the shown rows costs little more
        side.paths = ahead.submit(_paths_ahead, side, channels, len(weights.nodes))
    side.sol, side.x = solve({**wt, "supply": layer}, psi, channels, cap, reach, scarcest)
    return side


@dataclass
class Exposure:
    """Result of one (possibly combined) scenario over every node: losses, gains and their net."""

    weights: ChannelWeights
    seeds: list[Seed]
    channels: list[str]
    loss: Side
    gain: Side
    cap: bool = True
    scarcest: bool = True

    @property
    def nodes(self) -> list[str]:
        return self.weights.nodes

    # the loss side, under the names the rest of the package has always used
    @property
    def scores(self) -> np.ndarray:
        """Loss per node, in [0, 1] (the exposure users rank by)."""
        return self.loss.scores

    @property
    def direct(self) -> np.ndarray:
        return self.loss.direct

    @property
    def psi(self) -> dict[str, np.ndarray]:
        return self.loss.psi

    @property
    def h(self) -> dict[str, np.ndarray]:
        return self.loss.sol.h

    @property
    def total(self) -> np.ndarray:
        return self.loss.sol.total

    @property
    def operational(self) -> np.ndarray:
        return self.loss.sol.operational

    @property
    def gains(self) -> np.ndarray:
        """Gain per node, in [0, 1] (substitution, pricing power), propagated like losses."""
        return self.gain.scores

    @property
    def net(self) -> np.ndarray:
        """Loss minus gain, in [-1, 1]: positive for a net loser, negative for a net gainer."""
        return self.loss.scores - self.gain.scores

    @property
    def has_gains(self) -> bool:
        return bool(self.gain.seeds)

    def side(self, name: str) -> Side:
        return self.gain if name == "gain" else self.loss

    def channel_scores(self, i: int, side: str = "loss") -> dict[str, float]:
        sd = self.side(side)
        out = {}
        for c in self.channels:
            if c == "financial":
                out[c] = float(sd.sol.total[i] - sd.sol.operational[i])
            else:
                out[c] = float(max(sd.sol.h[c][i] - sd.discount[i], 0.0))
        return out

    #: a score below this rounds to 0.000 in every table: not exposed, not shown
    SHOWN = 5e-4

    def ranked(self, min_score: float = SHOWN, include_places: bool = False) -> list[int]:
        """Net losers, largest first (places are conduits, not results, unless asked for)."""
        return self._order(self.net > min_score, -self.net, include_places)

    def winners(self, min_score: float = SHOWN, include_places: bool = False) -> list[int]:
        """Net gainers, largest gain first."""
        return self._order(self.net < -min_score, self.net, include_places)

    def _order(self, keep: np.ndarray, key: np.ndarray, include_places: bool) -> list[int]:
        return order_nodes(keep if include_places else keep & ~place_mask(self.weights), key).tolist()

    # --- explanations ------------------------------------------------------------------------
    def dominant(self, i: int, side: str = "loss") -> str:
        """The operational channel that sets node i's operational exposure (max of the two)."""
        h = self.side(side).sol.h
        return "supply" if h["supply"][i] >= h["demand"][i] else "demand"

    def incoming(self, node: str, side: str = "loss") -> list[dict[str, Any]]:
        """Who passed how much of node's score (largest first), with each weight's parts.

        Covers the dominant operational channel and the financial channel, so the contributions
        sum to the score minus the direct hit on that channel (`propagated`).
        """
        sd = self.side(side)
        v = self.weights.index[node]
        rows = []
        for c in (self.dominant(v, side), "financial"):
            if c not in self.channels:
                continue
            base = sd.sol.operational if c == "financial" else sd.psi[c]
            binding = None
            if c == "supply":
                groups = sd.layer.inputs(v, sd.x, sd.sol.h["supply"])
                binding = groups[0][0] if groups and sd.scarcest and not sd.layer.plain else None
                raw = counted(groups, sd.scarcest)
                col = sp.csc_matrix((list(raw.values()), (list(raw.keys()), [0] * len(raw))),
                                    shape=(len(self.nodes), 1))
            else:  # row v of W^T = column v of W: only node v's inputs
                col = sd.wt[c][v].T.multiply(sd.sol.h[c][:, None])
            col = scale_columns(col, np.array([sd.sol.h[c][v] - base[v]])).tocoo()
            for u, val in zip(col.row.tolist(), col.data.tolist()):
                if val <= 0 or u == v:
                    continue
                src = self.nodes[u]
                e = self.weights.weight(c, src, node)
                parts = [p for p in e.parts if p.w > 0]
                if c == "supply" and binding is not None:   # only the scarcest input's parts count
                    parts = [p for p in parts if input_group(p) == binding]
                # a supply input counts in the node's own score at its lines' share (Part.own)
                w = sum(p.own_w for p in parts) if c == "supply" else e.w
                rows.append({"from": src, "channel": c, "contribution": float(val), "weight": w,
                             "estimated": e.estimated, "rule": e.rule, "relationships": list(e.rels),
                             "parts": [_part_dict(p) for p in parts]})
        return sorted(rows, key=lambda r: -r["contribution"])

    def supply_inputs(self, node: str, side: str = "loss") -> list[dict[str, Any]]:
        """Node's supply inputs by class, largest first, each with the loss it alone would pass
        (before the cap) and whether it is the one counted: the scarcest where inputs are
        complements, every one where they add up."""
        sd = self.side(side)
        if "supply" not in self.channels or sd.layer.plain:
            return []
        v = self.weights.index[node]
        groups = sd.layer.inputs(v, sd.x, sd.sol.h["supply"])
        return [{"input": g, "loss": val, "counted": (k == 0) or not sd.scarcest}
                for k, (g, val, _) in enumerate(groups) if val > 0]

    def propagated(self, node: str, side: str = "loss") -> float:
        """Score minus the direct hit: what the incoming contributions add up to."""
        sd = self.side(side)
        i = self.weights.index[node]
        h = sd.sol.h
        return float(sd.sol.total[i] - sd.psi[self.dominant(i, side)][i] - max(
            0.0, sd.sol.operational[i] - max(h["supply"][i], h["demand"][i])))

    LARGE = LARGE

    def path_graph(self, side: str = "loss") -> PathGraph:
        """The layered path graph of one side (built once per side and reused)."""
        cache = self.__dict__.setdefault("_path_graphs", {})
        if side not in cache:
            sd = self.side(side)
            cache[side] = (sd.paths.result() if sd.paths is not None
                           else PathGraph(sd, self.channels, len(self.nodes)))
        return cache[side]

    def top_paths(self, node: str, k: int = 3, pg: PathGraph | None = None,
                  side: str = "loss") -> list[dict[str, Any]]:
        """The k strongest seed-to-node paths, value = seed magnitude x product of weights.

        A node with no score on this side has no path to show (an explanation never contradicts
        the score it explains)."""
        i = self.weights.index[node]
        if self.side(side).scores[i] < self.SHOWN:   # shown as 0.000: nothing to explain
            return []
        pg = pg or self.path_graph(side)
        found = pg.k_best(i, k) if k > 1 else pg.best(i)
        own = float(self.side(side).direct[i])
        if any(len(p["nodes"]) == 1 and p["contribution"] > own + 1e-12 for p in found):
            # a seed that only transmits (a hyperscaler cutting its own capex) does not count its
            # own hit, and one with an own share (a tariff on the part of its sales that enters the
            # country) counts part of it: its "direct hit" path shows what counts, no more
            found = [{**p, "contribution": min(p["contribution"], own)} if len(p["nodes"]) == 1 else p
                     for p in pg.k_best(i, k + 1)]
            found = sorted((p for p in found if p["contribution"] > 0),
                           key=lambda p: -p["contribution"])[:k]
        return [{**p, "nodes": [self.nodes[j] for j in p["nodes"]]} for p in found]

    def coverage(self, node: str, paths: list[dict[str, Any]], side: str = "loss") -> float:
        score = float(self.side(side).scores[self.weights.index[node]])
        if score <= 0:
            return 0.0
        return min(1.0, sum(p["contribution"] for p in paths) / score)


def _part_dict(p: Part) -> dict[str, Any]:
    return {"weight": p.w, "basis": p.basis, "estimated": p.estimated, "product_class": p.product_class,
            "status_factor": p.status_factor, "own_share": p.own, "rule": p.rule, "sources": list(p.cites),
            "relationships": list(p.rels)}


def run_exposure(weights: ChannelWeights, seeds: list[Seed], channels: list[str] | None = None,
                 cap: bool = True, scarcest: bool = True) -> Exposure:
    """Propagate the loss seeds and the gain seeds on each channel and combine them."""
    channels = [c for c in CHANNELS if c in (channels or CHANNELS)]
    large = len(weights.nodes) >= PARALLEL and (os.cpu_count() or 1) > 1
    ahead = ThreadPoolExecutor(1) if large else None   # path graphs built beside the solves
    try:
        loss = _side(weights, [s for s in seeds if not s.gain], channels, cap, ahead, scarcest=scarcest)
        gain = _side(weights, [s for s in seeds if s.gain], channels, cap, ahead, cut_links(seeds), scarcest)
    finally:
        if ahead is not None:
            ahead.shutdown(wait=False)
    return Exposure(weights, seeds, channels, loss, gain, cap, scarcest)


def run_batch(weights: ChannelWeights, psi: dict[str, np.ndarray], channels: list[str] | None = None,
              cap: bool = True, chunk: int = 10, discount: np.ndarray | None = None,
              workers: int | None = None, scarcest: bool = True) -> np.ndarray:
    """Many scenarios in one pass: psi[channel] is (n, k), dense or scipy.sparse (seeds are usually
    sparse: a 1M x 100 dense seed matrix alone is 800 MB); returns the score of each node in each
    scenario (n, k), exactly as `run_exposure` combines them (`solve`); `discount` (n, k) holds the
    own hit of seeds that only transmit.

    Each iteration is one sparse x dense product per channel, on dense blocks of at most `chunk`
    scenarios so memory stays bounded; blocks run on `workers` threads (default: one per core).
    """
    channels = [c for c in CHANNELS if c in (channels or CHANNELS)]
    shape = next(iter(psi.values())).shape
    if len(shape) == 2 and shape[1] > chunk:
        psi = {c: (p.tocsc() if sp.issparse(p) else p) for c, p in psi.items()}
        for c in CHANNELS:   # the shared operators, built before the blocks share them
            weights.matrix_t(c)
        weights.supply_layer()
        out = np.empty(shape)

        def block(j: int) -> None:
            d = None if discount is None else discount[:, j:j + chunk]
            out[:, j:j + chunk] = run_batch(weights, {c: p[:, j:j + chunk] for c, p in psi.items()},
                                            channels, cap, chunk, d, scarcest=scarcest)

        # blocks are independent and SciPy's sparse products and NumPy's array loops release the
        # GIL, so threads use every core on shared matrices (1.7x on 2 cores; the same numbers)
        starts = range(0, shape[1], chunk)
        workers = min(workers or os.cpu_count() or 1, len(starts))
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(block, starts))
        else:
            for j in starts:
                block(j)
        return out
    dense = {c: (p.toarray() if sp.issparse(p) else np.asarray(p, dtype=float)) for c, p in psi.items()}
    zero = np.zeros(shape)
    full = {c: (np.minimum(dense[c], 1.0) if cap else dense[c]) if c in dense else zero for c in CHANNELS}
    sol, _ = solve({**{c: weights.matrix_t(c) for c in CHANNELS}, "supply": weights.supply_layer()},
                   full, channels, cap, scarcest=scarcest)
    if discount is None:
        return sol.total
    d = discount.toarray() if sp.issparse(discount) else np.asarray(discount, dtype=float)
    return np.maximum(sol.total - d, 0.0)


def _nonzero(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i = np.flatnonzero(v)
    return i, v[i]


def _columns(cols: list[tuple[np.ndarray, np.ndarray]], n: int) -> sp.csc_matrix:
    """Sparse (n, k) from k (rows, values) columns: 100 scenarios at 1M nodes stay a few KB, not 800 MB."""
    rows = np.concatenate([r for r, _ in cols]) if cols else np.zeros(0, dtype=int)
    vals = np.concatenate([v for _, v in cols]) if cols else np.zeros(0)
    which = np.repeat(np.arange(len(cols)), [len(r) for r, _ in cols])
    return sp.csc_matrix((vals, (rows, which)), shape=(n, len(cols)))


def run_many(weights: ChannelWeights, runs: list[tuple], chunk: int = 10
             ) -> tuple[np.ndarray, np.ndarray]:
    """Many scenarios at once: runs[j] = (seeds, channels, cap[, scarcest]) of scenario j (scarcest:
    True unless given, `Scenario.scarcest`); returns the loss and
    the gain of every node in every scenario, (n, k) each, equal to what `run_exposure` gives one
    by one. Scenarios that share channels and cap go through `run_batch` together; one whose seeds
    reach only some sites or classes needs its own supply layer and runs alone, through the same
    `solve`."""
    n, k = len(weights.nodes), len(runs)
    out = {False: np.zeros((n, k)), True: np.zeros((n, k))}
    groups: dict[tuple, list[tuple[int, dict, np.ndarray]]] = {}
    for j, (seeds, channels, cap, *rest) in enumerate(runs):
        scarcest = bool(rest[0]) if rest else True
        channels = [c for c in CHANNELS if c in channels]
        cut = cut_links(seeds)
        for gain in (False, True):
            mine = [s for s in seeds if s.gain == gain]
            if not mine:
                continue
            if any(s.reaches is not None or s.buyers_in is not None or s.node in weights.places
                   for s in mine) or (gain and cut):
                out[gain][:, j] = _side(weights, mine, channels, cap, cut=cut if gain else frozenset(),
                                        scarcest=scarcest).scores
                continue
            psi, discount = seed_vectors(weights, mine, channels, cap)   # kept sparse: a few seeds each
            groups.setdefault((gain, tuple(channels), cap, scarcest), []).append(
                (j, {c: _nonzero(v) for c, v in psi.items()}, _nonzero(discount)))
    for (gain, channels, cap, scarcest), members in groups.items():
        cols = [j for j, _, _ in members]
        psi = {c: _columns([m[1][c] for m in members], n) for c in CHANNELS}
        discount = _columns([m[2] for m in members], n)
        scores = run_batch(weights, psi, list(channels), cap, chunk, discount, scarcest=scarcest)
        if cols == list(range(k)):
            out[gain] = scores   # the usual case: no copy of an (n, k) block
        else:
            out[gain][:, cols] = scores
    return out[False], out[True]


def weights_from_frame(frame) -> ChannelWeights:
    """Weights straight from a user's `source,target,channel,weight` table (already normalised).

    Vectorised: node ids are factorised once and each channel becomes its W^T matrix directly (what
    every propagation step multiplies by; W is its transpose, a view), so a 10-million-edge list
    needs no Python loop over rows and no transposed copy.
    """
    import pandas as pd

    codes, uniques = pd.factorize(pd.concat([frame["source"], frame["target"]], ignore_index=True))
    n_edges = len(frame)
    src, dst = codes[:n_edges], codes[n_edges:]
    if uniques.dtype != object and pd.api.types.is_string_dtype(uniques.dtype):   # Arrow strings, in C
        nodes = uniques.to_numpy(dtype=object).tolist()
    else:                                            # ids read as numbers
        nodes = [str(x) for x in uniques]
    n = len(nodes)
    weight = frame["weight"].to_numpy(dtype=float)
    matrices, transposed = {}, {}
    channel = frame["channel"]
    if isinstance(channel.dtype, pd.CategoricalDtype):   # read_edgelist's codes: one pass, no strings
        codes, names = channel.cat.codes.to_numpy(), list(channel.cat.categories)
        masks = {c: codes == (names.index(c) if c in names else -2) for c in CHANNELS}
    else:
        masks = {c: (channel == c).to_numpy(dtype=bool) for c in CHANNELS}   # compared in Arrow
    for c in CHANNELS:
        mask = masks[c]
        wt = sp.csr_matrix((weight[mask], (dst[mask], src[mask])), shape=(n, n))
        wt.sum_duplicates()
        transposed[c], matrices[c] = wt, wt.T
    weights = ChannelWeights(nodes, {x: i for i, x in enumerate(nodes)}, {c: {} for c in CHANNELS}, matrices)
    weights.__dict__["_transposed"] = transposed   # the cache matrix_t fills
    return weights


__all__ = ["Exposure", "Side", "Solution", "solve", "run_exposure", "cut_links", "run_batch", "run_many", "weights_from_frame",
           "order_nodes", "place_mask",
           "Weight"]
