"""Exposure computed inside Neo4j: the engine's bounded fixed points, run as Cypher over the
exposure relationships `load-neo4j --with-exposure` writes.

This is the path for a graph too large for one Python process: the data stays in the database and
each iteration is one aggregation query, `h <- min(1, psi + W^T h)` over every node at once (a
Jacobi step, as queries/propagation.py takes), until the largest change is below `tol` relative to
the largest value. Python only sends the seeds (a few rows) and reads back the result. The channels
combine as queries/exposure.py `solve` combines them: supply (over the (company, output class)
states where the weights have product classes, each input group summed and the scarcest one
counted unless the scenario's inputs add up; else over SUPPLY_EXPOSURE), demand, their maximum
with the financial seeds, then the financial channel seeded with it; the own hit of seeds that only
transmit is taken off; gains run the same way and net = loss - gain.

Property names written on nodes come from fixed names in this module and from scenario names
checked against `^[a-z0-9_]+$`; every value is a parameter.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from capexgraph.graph.neo4j_model import BASE_LABEL, EXPOSURE_TYPES, STATE_LABEL, STATE_TYPES

from .exposure import Exposure, cut_links, seed_buyers, seed_reach, seed_vectors
from .layers import ANY
from .propagation import TOL
from .scenarios import Seed
from .weights import CHANNELS, ChannelWeights

Run = Callable[..., list[dict[str, Any]]]
_NAME = re.compile(r"^[a-z0-9_]+$")
#: working properties, removed after each run
_WORK = ("cg_psi_supply", "cg_psi_demand", "cg_psi_financial", "cg_discount", "cg_h_supply", "cg_h_demand",
         "cg_op", "cg_a", "cg_b")
#: a state fed from a place whose shock reaches only some kinds of site carries only those parts;
#: a border shock (a tariff) enters only buyers located in its countries (r.country: the buyer's),
#: except from a place into the companies operating there (their sites are behind the border)
_PLACE_FILTER = ("WHERE (r.place IS NULL OR NOT r.place IN keys($masked) "
                 "OR any(k IN r.sites WHERE k IN $masked[r.place])) "
                 "AND ($buyers IS NULL OR r.place IS NOT NULL OR r.country IN $buyers)")


@dataclass
class SideRun:
    scores: dict[str, float]
    iterations: dict[str, int] = field(default_factory=dict)


def seed_rows(weights: ChannelWeights, seeds: list[Seed], channels: list[str], cap: bool
              ) -> tuple[list[dict[str, Any]], dict[str, list[str]], list[str] | None]:
    """The seeds as the rows the database needs (only nodes with a hit), the place masks and the
    countries a border shock enters (None: everywhere)."""
    psi, discount = seed_vectors(weights, seeds, channels, cap)
    masked, company_reach = seed_reach(weights, seeds)
    hit = discount != 0
    for c in CHANNELS:
        hit |= psi[c] != 0
    rows = []
    for i in np.flatnonzero(hit).tolist():   # a few seeds, not every node of a large graph
        reach = company_reach.get(i)
        rows.append({"id": weights.nodes[i], **{c: float(psi[c][i]) for c in CHANNELS},
                     "discount": float(discount[i]), "reach": sorted(reach) if reach is not None else None})
    buyers = seed_buyers(seeds)
    return rows, {p: sorted(k) for p, k in masked.items()}, sorted(buyers) if buyers is not None else None


def _inputs_into(node: str, prop: str, scarcest: bool) -> str:
    """`m`, what node's incoming `r` relationships pass (w x the source's `prop`): summed, or with
    `scarcest` summed per input group (`r.g`) and the largest taken, as queries/layers.py does."""
    if scarcest:
        return (f"WITH {node}, r.g AS g, coalesce(sum(r.w * s.{prop}), 0.0) AS part "
                f"WITH {node}, max(part) AS m ")
    return f"WITH {node}, coalesce(sum(r.w * s.{prop}), 0.0) AS m "


def fixed_point(run: Run, label: str, rel: str, seed: str, cap: bool, tol: float = TOL,
                max_iter: int = 10_000, where: str = "", params: dict | None = None,
                scarcest: bool = False) -> tuple[str, int]:
    """Iterate `x <- min(1, seed + sum(w x over incoming rel))` on every `label` node; the result
    lands in the returned property (cg_a or cg_b, alternating so each step reads the last).
    `scarcest`: the sum runs per input group (`r.g`) and the largest group counts, as
    queries/layers.py combines complementary inputs."""
    params = params or {}
    run(f"MATCH (n:{label}) SET n.cg_a = coalesce(n.{seed}, 0.0)")

    def step(old: str, new: str) -> str:
        return (f"MATCH (t:{label}) OPTIONAL MATCH (s:{label})-[r:{rel}]->(t) {where} " +
                _inputs_into("t", old, scarcest) +
                f"WITH t, coalesce(t.{seed}, 0.0) + m AS v "
                f"WITH t, CASE WHEN $cap AND v > 1.0 THEN 1.0 ELSE v END AS v "
                f"SET t.{new} = v RETURN max(abs(v - t.{old})) AS delta, max(v) AS top, min(v) AS low")

    old, new = "cg_a", "cg_b"
    for it in range(1, max_iter + 1):
        row = run(step(old, new), cap=cap, **params)[0]
        old, new = new, old
        if (row["delta"] or 0.0) < tol * max(1.0, row["top"] or 0.0, -(row["low"] or 0.0)):
            return old, it
    return old, max_iter


def has_states(run: Run) -> bool:
    return bool(run(f"MATCH (s:{STATE_LABEL}) RETURN s.id AS id LIMIT 1"))


def has_weights(run: Run) -> bool:
    types = "|".join(EXPOSURE_TYPES.values())
    return bool(run(f"MATCH (:{BASE_LABEL})-[r:{types}]->(:{BASE_LABEL}) RETURN r.w AS w LIMIT 1"))


def run_side(run: Run, rows: list[dict[str, Any]], masked: dict[str, list[str]], channels: list[str],
             cap: bool = True, tol: float = TOL, states: bool | None = None,
             buyers: list[str] | None = None, cut: list[list[str]] | None = None,
             scarcest: bool = True) -> SideRun:
    """One side's fixed points in the database; its scores by node id (only nonzero ones). `cut`:
    the (buyer, supplier) demand links the scenario's loss seeds cut, which its gains do not take
    (queries/exposure.py `cut_links`)."""
    out = SideRun({})
    if not rows:
        return out
    states = has_states(run) if states is None else states
    run(f"MATCH (n:{BASE_LABEL}) SET n.cg_psi_supply = 0.0, n.cg_psi_demand = 0.0, "
        f"n.cg_psi_financial = 0.0, n.cg_discount = 0.0")
    run(f"UNWIND $rows AS r MATCH (n:{BASE_LABEL} {{id: r.id}}) SET n.cg_psi_supply = r.supply, "
        f"n.cg_psi_demand = r.demand, n.cg_psi_financial = r.financial, n.cg_discount = r.discount", rows=rows)
    # supply
    if "supply" not in channels:
        run(f"MATCH (n:{BASE_LABEL}) SET n.cg_h_supply = n.cg_psi_supply")
    elif states:
        run(f"MATCH (s:{STATE_LABEL}) SET s.cg_x0 = 0.0")
        run(f"UNWIND $rows AS r MATCH (s:{STATE_LABEL} {{node: r.id}}) SET s.cg_x0 = CASE "
            f"WHEN r.reach IS NULL OR s.cls = $any OR s.cls IN r.reach THEN r.supply ELSE 0.0 END",
            rows=[r for r in rows if r["supply"]], any=ANY)
        x, out.iterations["supply"] = fixed_point(run, STATE_LABEL, STATE_TYPES["feeds"], "cg_x0", cap, tol,
                                                  where=_PLACE_FILTER,
                                                  params={"masked": masked, "buyers": buyers}, scarcest=scarcest)
        run(f"MATCH (v:{BASE_LABEL}) OPTIONAL MATCH (s:{STATE_LABEL})-[r:{STATE_TYPES['into']}]->(v) "
            f"{_PLACE_FILTER} " + _inputs_into("v", x, scarcest) + "WITH v, v.cg_psi_supply + m AS h "
            f"SET v.cg_h_supply = CASE WHEN $cap AND h > 1.0 THEN 1.0 ELSE h END", masked=masked,
            buyers=buyers, cap=cap)
        run(f"MATCH (s:{STATE_LABEL}) REMOVE s.cg_x0, s.cg_a, s.cg_b")
    else:
        h, out.iterations["supply"] = fixed_point(run, BASE_LABEL, EXPOSURE_TYPES["supply"], "cg_psi_supply",
                                                  cap, tol)
        run(f"MATCH (n:{BASE_LABEL}) SET n.cg_h_supply = n.{h}")
    # demand
    if "demand" in channels:
        h, out.iterations["demand"] = fixed_point(run, BASE_LABEL, EXPOSURE_TYPES["demand"], "cg_psi_demand",
                                                  cap, tol, where="WHERE NOT [s.id, t.id] IN $cut",
                                                  params={"cut": cut or []})
        run(f"MATCH (n:{BASE_LABEL}) SET n.cg_h_demand = n.{h}")
    else:
        run(f"MATCH (n:{BASE_LABEL}) SET n.cg_h_demand = n.cg_psi_demand")
    # operational, then financial seeded with it
    run(f"MATCH (n:{BASE_LABEL}) SET n.cg_op = CASE WHEN n.cg_h_supply >= n.cg_h_demand AND "
        f"n.cg_h_supply >= n.cg_psi_financial THEN n.cg_h_supply WHEN n.cg_h_demand >= n.cg_psi_financial "
        f"THEN n.cg_h_demand ELSE n.cg_psi_financial END")
    total = "cg_op"
    if "financial" in channels:
        total, out.iterations["financial"] = fixed_point(run, BASE_LABEL, EXPOSURE_TYPES["financial"], "cg_op",
                                                         cap, tol)
    found = run(f"MATCH (n:{BASE_LABEL}) WITH n, n.{total} - n.cg_discount AS s WHERE s > 0 "
                f"RETURN n.id AS id, s AS score")
    out.scores = {r["id"]: float(r["score"]) for r in found}
    return out


@dataclass
class DatabaseExposure:
    """One scenario computed in the database: losses, gains and net by node id."""

    name: str
    loss: dict[str, float]
    gain: dict[str, float]
    iterations: dict[str, dict[str, int]]
    seconds: float

    def net(self, node: str) -> float:
        return self.loss.get(node, 0.0) - self.gain.get(node, 0.0)

    def ranked(self, side: str = "loss", top: int = 0, exclude: frozenset[str] = frozenset(),
               min_score: float = Exposure.SHOWN) -> list[str]:
        """Net losers (or gainers, side="gain") largest first, ties by id, as `exposure` ranks
        them; `exclude` the places, which are conduits, not results."""
        sign = 1.0 if side == "loss" else -1.0
        ids = [n for n in set(self.loss) | set(self.gain)
               if n not in exclude and sign * self.net(n) > min_score]
        return sorted(ids, key=lambda n: (-sign * self.net(n), n))[:top or None]


def run_in_database(run: Run, weights: ChannelWeights, name: str, seeds: list[Seed], channels: list[str],
                    cap: bool = True, tol: float = TOL, write: bool = True, scarcest: bool = True) -> DatabaseExposure:
    """Run one scenario's loss and gain fixed points in Neo4j; with `write`, store the results as
    `exposure_<name>` (and `gain_<name>`, `net_<name>` when it names gainers), the properties
    `load-neo4j --with-exposure` writes from the Python engine."""
    if not _NAME.match(name):
        raise ValueError(f"scenario name {name!r} is not a safe property name (a-z, 0-9, _)")
    if not has_weights(run):
        raise LookupError("no exposure relationships in this database: load them first with "
                          "`capexgraph load-neo4j --with-exposure`")
    start = time.perf_counter()
    channels = [c for c in CHANNELS if c in channels]
    states = has_states(run)
    sides, iterations = {}, {}
    try:
        cut = sorted([b, s] for b, s in cut_links(seeds))
        for side, chosen in (("loss", [s for s in seeds if not s.gain]), ("gain", [s for s in seeds if s.gain])):
            rows, masked, buyers = seed_rows(weights, chosen, channels, cap)
            res = run_side(run, rows, masked, channels, cap, tol, states, buyers, cut if side == "gain" else None,
                           scarcest)
            sides[side], iterations[side] = res.scores, res.iterations
    finally:
        run(f"MATCH (n:{BASE_LABEL}) REMOVE " + ", ".join(f"n.{p}" for p in _WORK))
    result = DatabaseExposure(name, sides["loss"], sides["gain"], iterations, time.perf_counter() - start)
    if write:
        props = {f"exposure_{name}": result.loss}
        if any(s.gain for s in seeds):
            nodes = set(result.loss) | set(result.gain)
            props[f"gain_{name}"] = result.gain
            props[f"net_{name}"] = {n: result.net(n) for n in nodes}
        for prop, values in props.items():
            run(f"MATCH (n:{BASE_LABEL}) SET n.{prop} = 0.0")
            run(f"UNWIND $rows AS r MATCH (n:{BASE_LABEL} {{id: r.id}}) SET n.{prop} = r.v",
                rows=[{"id": k, "v": v} for k, v in values.items()])
    return result
