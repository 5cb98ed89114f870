"""Edge weights per exposure channel, derived from the data with the rule that produced each.

`W[u, v]` is the fraction of v's value lost if u loses 100% (design note). The rules and their
default numbers live in data/exposure.yaml; every weight records whether it rests on published
numbers or on a default (`estimated`), so a user can see which scores rest on estimates.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
import yaml

CHANNELS = ("supply", "demand", "financial")


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or Path(str(resources.files("capexgraph.data").joinpath("exposure.yaml")))
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class Weight:
    """One edge of one channel: u transmits to v with weight w, because of relationships `rels`."""

    u: str
    v: str
    w: float
    estimated: bool
    rule: str
    rels: list[str] = field(default_factory=list)


@dataclass
class ChannelWeights:
    """The weights of every channel over one node index: CSR matrices for the engine, and (for the
    knowledge graph) a `Weight` record per edge that says where each number came from."""

    nodes: list[str]
    index: dict[str, int]
    edges: dict[str, dict[tuple[str, str], Weight]] = field(default_factory=dict)
    matrices: dict[str, sp.csr_matrix] = field(default_factory=dict)

    def matrix(self, channel: str) -> sp.csr_matrix:
        if channel not in self.matrices:
            n = len(self.nodes)
            items = list(self.edges.get(channel, {}).values())
            if items:
                rows = np.fromiter((self.index[e.u] for e in items), dtype=np.int64, count=len(items))
                cols = np.fromiter((self.index[e.v] for e in items), dtype=np.int64, count=len(items))
                data = np.fromiter((e.w for e in items), dtype=float, count=len(items))
                self.matrices[channel] = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
            else:
                self.matrices[channel] = sp.csr_matrix((n, n))
        return self.matrices[channel]

    def matrix_t(self, channel: str) -> sp.csr_matrix:
        """W^T in CSR form (what each propagation step multiplies by), computed once."""
        cache = self.__dict__.setdefault("_transposed", {})
        if channel not in cache:
            cache[channel] = self.matrix(channel).T.tocsr()
        return cache[channel]

    def weight(self, channel: str, u: str, v: str) -> Weight:
        """The record behind one edge (a plain one for networks brought as an edge list)."""
        found = self.edges.get(channel, {}).get((u, v))
        if found is not None:
            return found
        w = float(self.matrix(channel)[self.index[u], self.index[v]])
        return Weight(u, v, w, False, "given in the edge list", [])

    def edge_count(self) -> int:
        return sum(self.matrix(c).nnz for c in CHANNELS)

    def estimated_count(self) -> int:
        return sum(1 for c in self.edges.values() for e in c.values() if e.estimated)


def _years(term: str | None, date, cfg: dict) -> tuple[float, bool]:
    """Contract length in years from its term text; (years, estimated)."""
    text = (term or "").lower()
    m = re.search(r"through (\d{4})", text)
    if m and date is not None:
        return max(1.0, int(m.group(1)) - date.year + 1), False
    m = re.search(r"(\d+(?:\.\d+)?)[ -]?(year|yr)", text)
    if m:
        return max(1.0, float(m.group(1))), False
    m = re.search(r"(\d+)[ -]?month", text)
    if m:
        return max(1.0, int(m.group(1)) / 12), False
    return float(cfg["demand"]["default_years"]), True


def _customer_shares(g: nx.MultiDiGraph) -> dict[tuple[str, str], tuple[float, str]]:
    """Disclosed revenue shares: (customer, supplier) -> (share, citation)."""
    out = {}
    for n, d in g.nodes(data=True):
        for f in d.get("facts", []):
            if f["metric"] == "revenue_share_customer" and f["counterparty"]:
                s = f["source"]
                out[(f["counterparty"], n)] = (f["value"], f"{s['publisher']}, {s['date']}")
    return out


def _add(edges: dict, u: str, v: str, w: float, estimated: bool, rule: str, rel: str) -> None:
    key = (u, v)
    if key in edges:
        e = edges[key]
        e.w += w
        e.estimated = e.estimated or estimated
        e.rels.append(rel)
        if rule not in e.rule:
            e.rule += f"; {rule}"
    else:
        edges[key] = Weight(u, v, w, estimated, rule, [rel])


def _cap_incoming(edges: dict[tuple[str, str], Weight], exempt=lambda u: False) -> None:
    """Keep each node's incoming weight per channel <= 1 (design note), scaling proportionally.

    Edges from `exempt` nodes are neither counted nor scaled: a place is not an input (see
    `_place_weights`), so a company's many suppliers must not dilute the loss of its home country.
    """
    incoming: dict[str, float] = defaultdict(float)
    for (u, v), e in edges.items():
        if not exempt(u):
            incoming[v] += e.w
    for (u, v), e in edges.items():
        if incoming[v] > 1.0 and not exempt(u):
            e.w /= incoming[v]
            e.rule += f"; scaled by 1/{incoming[v]:.2f} to keep incoming weight <= 1"


def _place_weights(g: nx.MultiDiGraph, company: str, locs: list[tuple[str, str]], sup: dict
                   ) -> list[tuple[str, float, str, list[str]]]:
    """How a shock to each place a company operates in reaches it: (place, weight, rule, rows).

    Places are counted once however many rows name them. Each kind of place (jurisdiction, grid
    region) carries the full `located_in` weight, split across the company's places of that
    kind; places recorded only as announced (not yet operating) carry none while the company
    operates somewhere else. Among jurisdictions, the company's home country keeps `home_share`
    when it also operates abroad (a headquarters country usually holds most of the capacity).
    """
    rows: dict[str, list[str]] = defaultdict(list)
    for place, k in locs:
        rows[place].append(k)
    operating = {p for p, keys in rows.items()
                 if any(g.edges[company, p, k]["status"] != "announced" for k in keys)}
    out = []
    for kind in ("jurisdiction", "grid_region"):
        here = [p for p in rows if g.nodes[p].get("kind") == kind]
        live = [p for p in here if p in operating] or here
        if not live:
            continue
        budget = sup["located_in"]
        home = [p for p in live if kind == "jurisdiction"
                and g.nodes[p].get("country") == g.nodes[company].get("country")]
        abroad = [p for p in live if p not in home]
        skipped = len(here) - len(live)
        note = f"; {skipped} announced place(s) not yet operating carry none" if skipped else ""
        if home and abroad:
            hs = sup.get("home_share", 0.7)
            out.append((home[0], budget * hs, f"home country of {company}: share {hs:g} of "
                        f"{budget:g} (data/exposure.yaml), operates in {len(live)} places{note}",
                        rows[home[0]]))
            for p in abroad:
                w = budget * (1 - hs) / len(abroad)
                out.append((p, w, f"operates abroad in {len(abroad)} recorded place(s): "
                            f"{budget * (1 - hs):g}/{len(abroad)}{note}", rows[p]))
        else:
            for p in live:
                out.append((p, budget / len(live), f"operates in {len(live)} recorded "
                            f"{kind.replace('_', ' ')}(s): {budget:g}/{len(live)}{note}", rows[p]))
    return out


def derive_weights(g: nx.MultiDiGraph, schema, cfg: dict | None = None) -> ChannelWeights:
    """Weights for every channel of the design note, from a capexgraph graph."""
    cfg = cfg or load_config()
    nodes = list(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges: dict[str, dict] = {c: {} for c in CHANNELS}
    excluded = set(cfg.get("exclude_status", []))
    live = [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
            if d["status"] not in excluded]
    shares = _customer_shares(g)
    sup = cfg["supply"]

    def input_group(u: str, d: dict) -> tuple[str, float]:
        if d["type"] in sup["criticality_by_type"]:
            return d["type"], sup["criticality_by_type"][d["type"]]
        cats = g.nodes[u]["category"]
        for c in cats:
            if c in sup["criticality_by_category"]:
                return c, sup["criticality_by_category"][c]
        return (cats[0] if cats else "other"), sup["default"]

    # --- supply: supplier -> customer, split within each input group --------------------------
    groups: dict[tuple[str, str], list[tuple[str, str, dict, float]]] = defaultdict(list)
    places: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u, v, k, d in live:
        ch = schema.channels(d["type"])
        if ch.get("supply") == "forward":
            group, crit = input_group(u, d)
            groups[(v, group)].append((u, k, d, crit))
        elif ch.get("supply") == "backward":  # located_in: the place transmits to the company
            places[u].append((v, k))
    for (v, group), members in groups.items():
        suppliers = {u for u, *_ in members}
        amounts = defaultdict(float)
        for u, k, d, _ in members:
            amounts[u] += d["amount_usd"] or 0.0
        by_amount = all(amounts[u] > 0 for u in suppliers) and len(suppliers) > 1
        total = sum(amounts.values())
        per_edge = defaultdict(int)
        for u, *_ in members:
            per_edge[u] += 1
        for u, k, d, crit in members:
            share = amounts[u] / total if by_amount else 1.0 / len(suppliers)
            how = "by disclosed amounts" if by_amount else "equally"
            rule = (f"criticality {crit:g} of {group} input (data/exposure.yaml) x share {share:.2f} "
                    f"of {len(suppliers)} {group} supplier(s) of {v}, split {how}")
            _add(edges["supply"], u, v, crit * share / per_edge[u], True, rule, k)
    for company, locs in places.items():
        for place, w, rule, keys in _place_weights(g, company, locs, sup):
            for k in keys:
                _add(edges["supply"], place, company, w / len(keys), True, rule, k)

    # --- demand: customer -> supplier, share of the supplier's revenue ------------------------
    dem = cfg["demand"]
    for u, v, k, d in live:
        if schema.channels(d["type"]).get("demand") != "backward":
            continue
        customer, supplier = v, u
        if (customer, supplier) in shares:
            if (customer, supplier) in edges["demand"]:
                edges["demand"][(customer, supplier)].rels.append(k)
                continue
            value, cite = shares[(customer, supplier)]
            _add(edges["demand"], customer, supplier, value, False,
                 f"disclosed: {value:.0%} of {supplier}'s revenue from {customer} ({cite})", k)
            continue
        revenue = g.nodes[supplier].get("revenue_usd")
        if d["amount_usd"] and revenue:
            years, est_years = _years(d["term"], d["date"], cfg)
            years = min(years, dem["max_years"])
            w = min(1.0, d["amount_usd"] / years / revenue)
            rule = (f"${d['amount_usd'] / 1e9:,.2f}B over {years:g} years"
                    f"{' (assumed term)' if est_years else ''} / {supplier} revenue "
                    f"${revenue / 1e9:,.1f}B ({g.nodes[supplier].get('revenue_usd_period')})")
            _add(edges["demand"], customer, supplier, w, True, rule, k)
        else:
            missing = "amount" if not d["amount_usd"] else f"{supplier} revenue"
            _add(edges["demand"], customer, supplier, dem["default_share"], True,
                 f"default share {dem['default_share']:g} (no {missing} in the data)", k)

    # A disclosed customer share is itself evidence of the link, with or without a deal row.
    for (customer, supplier), (value, cite) in shares.items():
        if (customer, supplier) not in edges["demand"] and customer in g and supplier in g:
            _add(edges["demand"], customer, supplier, value, False,
                 f"disclosed: {value:.0%} of {supplier}'s revenue from {customer} ({cite})", f"fact:{supplier}")

    # --- financial: investee -> investor --------------------------------------------------------
    fin = cfg["financial"]
    for u, v, k, d in live:
        if schema.channels(d["type"]).get("financial") != "backward":
            continue
        investor, investee = u, v
        size = g.nodes[investor].get("revenue_usd")
        if d["amount_usd"] and size:
            w = min(1.0, d["amount_usd"] / size)
            rule = (f"stake ${d['amount_usd'] / 1e9:,.2f}B / {investor} revenue ${size / 1e9:,.1f}B "
                    f"(size proxy)")
        else:
            w = fin["default_share"]
            rule = f"default share {w:g} (no {'amount' if not d['amount_usd'] else investor + ' revenue'})"
        _add(edges["financial"], investee, investor, w, True, rule, k)

    places_kinds = {"jurisdiction", "grid_region"}
    for c in CHANNELS:
        _cap_incoming(edges[c], exempt=lambda u: g.nodes[u].get("kind") in places_kinds)
    return ChannelWeights(nodes, index, edges)
