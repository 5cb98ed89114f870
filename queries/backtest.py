"""A small event study: does a scenario's exposure ranking match what the market did that day?

For each event day, the companies with a recorded move that are in the graph are ranked by the
scenario's net exposure (loss - gain) and by their loss that day (minus the move, market-adjusted;
the gain on a day that eased the shock). Spearman's rho and Kendall's tau say how well the two
orders agree; the same statistics for two baselines (number of relationships, direct hits alone)
say what the propagation adds (design note addendum; MacKinlay 1997). The rules are fixed in
data/events/README.md before any event met the model.

>>> rank_agreement([0.9, 0.5, 0.1, 0.0], [12.0, 6.0, 1.0, -0.5])["spearman"]
1.0
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from capexgraph.ingest.events import INDEX_BY_EXCHANGE, INDEX_BY_SUFFIX, Event

from .exposure import Exposure

#: events with fewer matched companies get no correlation (data/events/README.md)
MIN_NAMES = 6


def rank_agreement(score: list[float], outcome: list[float]) -> dict[str, float | None]:
    """Spearman and Kendall between a score and an outcome; None where either is constant."""
    if len(score) < 2 or np.ptp(score) == 0 or np.ptp(outcome) == 0:
        return {"spearman": None, "kendall": None}
    from scipy import stats   # here, not at the top: scipy.stats costs every other command 0.5 s to import
    rho = stats.spearmanr(score, outcome).statistic
    tau = stats.kendalltau(score, outcome).statistic
    return {"spearman": round(float(rho), 4), "kendall": round(float(tau), 4)}


def _benchmark(ticker: str, node: dict) -> str | None:
    for suffix, index in INDEX_BY_SUFFIX.items():
        if ticker.upper().endswith(suffix.upper()):
            return index
    if node.get("ticker") and ticker != node.get("ticker"):
        return "^GSPC"   # a foreign company's US listing (an ADR: TSM for TSMC)
    return INDEX_BY_EXCHANGE.get(node.get("exchange") or "")


@dataclass
class EventResult:
    event: Event
    rows: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, float | None] = field(default_factory=dict)
    degree: dict[str, float | None] = field(default_factory=dict)
    direct: dict[str, float | None] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.rows)

    @property
    def scored(self) -> bool:
        return self.n >= MIN_NAMES

    def summary(self) -> dict[str, Any]:
        e = self.event
        return {"event": e.event, "date": e.date.isoformat(), "scenario": e.scenario,
                "direction": e.direction, "set": e.set, "title": e.title, "matched": self.n,
                "scored": self.scored, "model": self.model, "degree_baseline": self.degree,
                "direct_baseline": self.direct, "rows": self.rows}


def score_event(event: Event, ex: Exposure, g: nx.MultiDiGraph) -> EventResult:
    """Match the day's moves to the graph and compare the three rankings with the outcome."""
    index = ex.weights.index
    net, direct_loss, direct_gain = ex.net, ex.loss.psi, ex.gain.psi
    res = EventResult(event)
    seen: set[str] = set()
    home_first = sorted(event.moves, key=lambda m: m.ticker != (g.nodes[m.entity].get("ticker")
                                                               if m.entity in g else None))
    for m in home_first:
        if not m.entity or m.entity not in g or m.entity not in index or m.entity in seen:
            continue
        seen.add(m.entity)
        node = g.nodes[m.entity]
        bench = _benchmark(m.ticker, node)
        base = event.index_move(bench) if bench else None
        adjusted = m.pct_change - (base or 0.0)
        outcome = -adjusted if event.direction == "shock" else adjusted
        i = index[m.entity]
        res.rows.append({
            "entity": m.entity, "ticker": m.ticker, "name": node.get("name"), "move": m.pct_change,
            "benchmark": bench if base is not None else None, "benchmark_move": base,
            "adjusted_move": round(adjusted, 4), "outcome": round(outcome, 4),
            "score": round(float(net[i]), 6), "degree": int(g.degree(m.entity)),
            "direct": round(float(max(direct_loss[c][i] for c in direct_loss)
                                  - max(direct_gain[c][i] for c in direct_gain)), 6),
            "source": f"{m.source['publisher']}, {m.source['date']}",
        })
    if res.scored:
        outcome = [r["outcome"] for r in res.rows]
        res.model = rank_agreement([r["score"] for r in res.rows], outcome)
        res.degree = rank_agreement([r["degree"] for r in res.rows], outcome)
        res.direct = rank_agreement([r["direct"] for r in res.rows], outcome)
    return res


def set_summary(results: list[EventResult]) -> dict[str, Any]:
    """Per set: the mean of the scored events' statistics, weighted by matched companies."""
    out: dict[str, Any] = {}
    for which in ("development", "held_aside"):
        scored = [r for r in results if r.event.set == which and r.scored]
        block: dict[str, Any] = {"events": sum(1 for r in results if r.event.set == which),
                                 "scored_events": len(scored),
                                 "matched": sum(r.n for r in scored)}
        for name in ("model", "degree", "direct"):
            for stat in ("spearman", "kendall"):
                pairs = [(getattr(r, name)[stat], r.n) for r in scored
                         if getattr(r, name).get(stat) is not None]
                w = sum(n for _, n in pairs)
                value = sum(v * n for v, n in pairs) / w if w else None
                block[f"{name}_{stat}"] = None if value is None or math.isnan(value) else round(value, 4)
        out[which] = block
    return out
