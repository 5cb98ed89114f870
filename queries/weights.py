"""Edge weights per exposure channel, derived from the data with the rule that produced each.

`W[u, v]` is the fraction of v's value lost if u loses 100% (design note). The rules and their
default numbers live in data/exposure.yaml; every weight is made of parts, one per rule that
fired (a product class, a disclosed share, a contract ...), and each part records its basis
(`disclosed`, `market share`, `contract` ... or an estimate such as `equal split`), the product
class, the status factor and the sources, so `exposure --explain` can show what each number rests on.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from capexgraph.graph.build import latest_fact
from capexgraph.ingest.yamlio import safe_load as _yaml_load

from .propagation import TOL
from .terms import contract_years

CHANNELS = ("supply", "demand", "financial")
PLACE_KINDS = frozenset({"jurisdiction", "grid_region"})
#: Bases of a part that rest on a published number (the rest are estimates or defaults).
PUBLISHED = frozenset({"disclosed", "market share", "contract", "capacity share", "stake"})
#: Bases whose total is a published number (a disclosed share of revenue from a group of
#: customers) divided among the group's recorded members by a rule.
PUBLISHED_SPLIT = frozenset({"group share", "data-center share"})
#: Buyers whose purchases make up a supplier's data-center revenue (a disclosed segment share)
DATACENTER_BUYERS = frozenset({"hyperscaler", "neocloud", "datacenter", "ai_lab", "server_odm"})
#: customers whose purchases feed data centers, directly or as parts of what data centers buy: a
#: supplier's data-center revenue from them is already carried by a recorded edge
DATACENTER_CHAIN = DATACENTER_BUYERS | {"accelerator", "networking", "optics_fiber", "memory", "foundry"}


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or Path(str(resources.files("capexgraph.data").joinpath("exposure.yaml")))
    with open(path, encoding="utf-8") as fh:
        return _yaml_load(fh)


@dataclass
class Part:
    """One rule's share of an edge weight (an edge can carry several product classes)."""

    w: float
    basis: str
    rule: str
    rels: list[str] = field(default_factory=list)
    product_class: str | None = None
    status_factor: float = 1.0
    cites: list[str] = field(default_factory=list)
    sites: tuple[str, ...] = ()       # located_in parts: the kinds of site in that place
    #: the share of the buyer's own business made from this input (its product lines that need
    #: it, by published revenue share): the part counts in full in what those lines pass on, and
    #: at `w x own` in the buyer's own score (an HBM base die is not a DRAM maker's whole output)
    own: float = 1.0

    @property
    def own_w(self) -> float:
        """The weight in the buyer's own score."""
        return self.w * self.own

    @property
    def estimated(self) -> bool:
        return self.basis not in PUBLISHED


@dataclass
class Weight:
    """One edge of one channel: u transmits to v with weight `w`, the sum of its parts."""

    u: str
    v: str
    parts: list[Part] = field(default_factory=list)

    @property
    def w(self) -> float:
        return float(sum(p.w for p in self.parts))

    @property
    def estimated(self) -> bool:
        return any(p.estimated for p in self.parts)

    @property
    def rule(self) -> str:
        return "; ".join(p.rule for p in self.parts)

    @property
    def rels(self) -> list[str]:
        return [r for p in self.parts for r in p.rels]

    @classmethod
    def given(cls, u: str, v: str, w: float) -> "Weight":
        return cls(u, v, [Part(w, "disclosed", "given in the edge list")])


@dataclass
class ChannelWeights:
    """The weights of every channel over one node index: CSR matrices for the engine, and (for the
    knowledge graph) a `Weight` record per edge that says where each number came from."""

    nodes: list[str]
    index: dict[str, int]
    edges: dict[str, dict[tuple[str, str], Weight]] = field(default_factory=dict)
    matrices: dict[str, sp.csr_matrix] = field(default_factory=dict)
    places: frozenset[str] = frozenset()
    needs: dict[str, set[str]] | None = None   # output class -> the input classes it is made from
    #: supplier -> (its disclosed data-center revenue share, the part recorded customers hold, the
    #: fact): what no recorded customer carries is revenue from the data-center market at large,
    #: which a scenario may hit directly (`unrecorded: true` in a seed's magnitude)
    unrecorded: dict[str, tuple[float, float, dict]] = field(default_factory=dict)
    #: node -> its country (ISO code): a border shock (a tariff) passes only into buyers in one
    countries: dict[str, str] = field(default_factory=dict)
    #: every fixed point stops when an iteration changes no score by more than this (propagation.TOL
    #: by default; `exposure --tol` trades digits for speed)
    tol: float = TOL

    def supply_layer(self):
        """The supply channel's (node, output class) layer (queries/layers.py), built once."""
        from .layers import SupplyLayer

        if "_layer" not in self.__dict__:
            self.__dict__["_layer"] = SupplyLayer(self, self.needs)
        return self.__dict__["_layer"]

    def _build(self, items: list[tuple[str, str, float]]) -> sp.csr_matrix:
        n = len(self.nodes)
        if not items:
            return sp.csr_matrix((n, n))
        rows = np.fromiter((self.index[u] for u, _, _ in items), dtype=np.int64, count=len(items))
        cols = np.fromiter((self.index[v] for _, v, _ in items), dtype=np.int64, count=len(items))
        data = np.fromiter((w for _, _, w in items), dtype=float, count=len(items))
        return sp.csr_matrix((data, (rows, cols)), shape=(n, n))

    def matrix(self, channel: str) -> sp.csr_matrix:
        if channel not in self.matrices:
            self.matrices[channel] = self._build(
                [(e.u, e.v, e.w) for e in self.edges.get(channel, {}).values() if e.w > 0])
        return self.matrices[channel]

    def matrix_t(self, channel: str) -> sp.csr_matrix:
        """W^T in CSR form (what each propagation step multiplies by), computed once."""
        cache = self.__dict__.setdefault("_transposed", {})
        if channel not in cache:
            cache[channel] = self.matrix(channel).T.tocsr()
        return cache[channel]

    def without_parts(self, channel: str, drop: Callable[[Weight, Part], bool]) -> sp.csr_matrix:
        """W^T of a channel with some parts left out (a scenario whose place shock reaches only
        some kinds of site); the cached matrices are not touched."""
        items = []
        for e in self.edges.get(channel, {}).values():
            w = sum(p.w for p in e.parts if not drop(e, p))
            if w > 0:
                items.append((e.u, e.v, w))
        return self._build(items).T.tocsr()

    def weight(self, channel: str, u: str, v: str) -> Weight:
        """The record behind one edge (a plain one for networks brought as an edge list)."""
        found = self.edges.get(channel, {}).get((u, v))
        if found is not None:
            return found
        return Weight.given(u, v, float(self.matrix(channel)[self.index[u], self.index[v]]))

    def edge_count(self) -> int:
        return sum(self.matrix(c).nnz for c in CHANNELS)

    def estimated_count(self) -> int:
        return sum(1 for c in self.edges.values() for e in c.values() if e.estimated and e.w > 0)

    def parts(self) -> Iterable[tuple[str, Weight, Part]]:
        for c, edges in self.edges.items():
            for e in edges.values():
                for p in e.parts:
                    yield c, e, p


# --- helpers -------------------------------------------------------------------------------------
def _counted(d: dict, amount_factor: dict) -> tuple[float, str]:
    """The USD amount a weight counts and the words for it: a ceiling ("up to $6.5B") is not a
    value, so it counts at its qualifier's factor (data/exposure.yaml `amount_factor`)."""
    q = d.get("amount_qualifier") or ""
    f = float(amount_factor.get(q, 1.0))
    amount = (d["amount_usd"] or 0.0) * f
    return amount, "" if f == 1 else f" x {f:g} ({q.replace('_', ' ')} a ceiling)"


def _cite(fact: dict) -> str:
    s = fact["source"]
    return f"{s['publisher']}, {s['date']}"


def _pct(x: float) -> str:
    return f"{x:.0%}" if x >= 0.01 else f"{x:.1%}"


class _Facts:
    """The company figures the rules read, indexed once."""

    def __init__(self, g: nx.MultiDiGraph):
        self.customer: dict[tuple[str, str], dict] = {}      # (customer, supplier) -> fact
        self.group: dict[str, list[dict]] = defaultdict(list)  # supplier -> group facts
        self.input: dict[tuple[str, str, str], dict] = {}    # (customer, supplier, class) -> fact
        self.market: dict[tuple[str, str], dict] = {}        # (provider, class) -> world share
        self.regional: dict[tuple[str, str, str], dict] = {}  # (provider, class, country) -> share
        self.capacity: dict[tuple[str, str], dict] = {}      # (company, place) -> fact
        self.line: dict[tuple[str, str], dict] = {}          # (company, product line) -> revenue share
        self.market_cap: dict[str, dict] = {}                # company -> latest USD market value
        self.datacenter: dict[str, dict] = {}                # company -> data-center revenue share
        self.product: dict[tuple[str, str], dict] = {}       # (company, class) -> revenue share
        self.concentration: dict[str, list[dict]] = {}       # company -> its latest disclosure
        self.country = {n: (d.get("country") or "").upper() for n, d in g.nodes(data=True)}
        by_key: dict[tuple, list[dict]] = defaultdict(list)
        place_lines: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for n, d in g.nodes(data=True):
            for f in d.get("facts", []):
                by_key[(n, f["metric"], f.get("counterparty"), f.get("segment"))].append(f)
        for n, d in g.nodes(data=True):
            # a share of orders stands for the revenue share only where no revenue share is
            # published (orders lead revenue; the rule text says which one it read)
            best = (latest_fact(d.get("facts", []), "revenue_share_datacenter")
                    or latest_fact(d.get("facts", []), "orders_share_datacenter"))
            if best is not None:
                self.datacenter[n] = best
            disclosure = _latest_disclosure(d.get("facts", []))
            if disclosure is not None:
                self.concentration[n] = disclosure
        for (n, metric, cp, seg), facts in by_key.items():
            # a place's share of capacity is today's: a target for the next decade is no capacity yet
            best = latest_fact(facts, metric, cp, seg, actual_only=metric == "capacity_share")
            if best is None:
                continue
            if metric == "revenue_share_customer" and cp:
                self.customer[(cp, n)] = best
            elif metric == "revenue_share_customer_group" and seg:
                self.group[n].append(best)
            elif metric == "input_share" and cp and seg:
                self.input[(n, cp, seg)] = best
            elif metric in ("revenue_share_datacenter", "orders_share_datacenter"):
                pass  # several segment names: the choice above
            elif metric == "revenue_share_product" and seg:
                self.product[(n, seg)] = best
            elif metric == "market_cap" and best["unit"] == "USD":
                self.market_cap[n] = best
            elif metric == "market_share" and seg and cp and cp in g:
                # a share of one country's market (counterparty: the jurisdiction)
                country = (g.nodes[cp].get("country") or "").upper()
                if country:
                    self.regional[(n, seg, country)] = best
            elif metric == "market_share" and seg:
                self.market[(n, seg)] = best
            elif metric == "revenue_share_segment" and seg and not cp and "(" not in seg:
                self.line[(n, seg.lower())] = best   # "DRAM": a product line's share of revenue
            elif metric == "capacity_share" and cp:
                place_lines[(n, cp)].append(best)
        for (n, cp), found in place_lines.items():
            self.capacity[(n, cp)] = _place_share(n, found, self.line)

    def market_share(self, provider: str, cls: str, buyer: str) -> dict | None:
        """The provider's share of the buyer's own market where one is published (Nvidia's share
        of China's accelerator market for a Chinese buyer), else its world share."""
        regional = self.regional.get((provider, cls, self.country.get(buyer, "")))
        return regional if regional is not None else self.market.get((provider, cls))


def _line_of(segment: str | None) -> str:
    """The product line a capacity figure measures: its first word ("DRAM output" -> "dram")."""
    words = (segment or "").lower().split()
    return words[0] if words else ""


def _place_share(company: str, found: list[dict], lines: dict[tuple[str, str], dict]) -> dict:
    """A place's share of a company's capacity, from the figures published for it.

    A whole-company figure ("total ...") stands as published. A product line's figure ("65% of
    Micron's DRAM is made in Taiwan") is a share of that line, not of the company: where the
    line's share of revenue is published (DRAM 77% of Micron's revenue) it counts at that share,
    the latest figure for the line; lines whose revenue share is not published stand, the largest
    of them, for the part of revenue the published lines leave (for a company with none published,
    the whole company, flagged as such). Summing lines this way, a company's places cannot hold
    more than all of it (Micron's DRAM in Taiwan and NAND in Singapore are two lines, not 165%).

    >>> import datetime; src = {"publisher": "P", "date": datetime.date(2025, 1, 1)}
    >>> lines = {("m", "dram"): {"value": 0.75, "segment": "DRAM", "period": "FY2025", "source": src}}
    >>> f = lambda v, seg: {"metric": "capacity_share", "counterparty": "tw", "value": v, "unit": "fraction",
    ...                     "segment": seg, "period": "2024", "source": src}
    >>> round(_place_share("m", [f(0.6, "DRAM output")], lines)["value"], 3)
    0.45
    >>> round(_place_share("m", [f(0.6, "DRAM output"), f(0.4, "NAND output")], lines)["value"], 3)
    0.55
    >>> _place_share("m", [f(0.4, "NAND output"), f(0.9, "total capacity")], lines)["value"]
    0.9
    """
    totals = [f for f in found if "total" in (f.get("segment") or "").lower()]
    if totals:
        return {**max(totals, key=lambda f: f["value"]), "_total": True}
    by_line: dict[str, list[dict]] = defaultdict(list)
    for f in found:
        by_line[_line_of(f.get("segment"))].append(f)
    weighed = {ln: latest_fact(fs, "capacity_share", fs[0]["counterparty"], actual_only=True)
               for ln, fs in by_line.items() if (company, ln) in lines}
    others = [f for ln, fs in by_line.items() if ln not in weighed for f in fs]
    largest = max(others, key=lambda f: f["value"]) if others else None
    if not weighed:
        return {**largest, "_total": False}
    left = max(0.0, 1.0 - sum(lines[(company, ln)]["value"] for ln in weighed))
    value, words, cites = 0.0, [], []
    for ln, f in weighed.items():
        r = lines[(company, ln)]
        value += f["value"] * r["value"]
        words.append(f"{_pct(f['value'])} of its {f.get('segment')} ({f['period']}; {_cite(f)}) x "
                     f"{r['segment']} {_pct(r['value'])} of its revenue "
                     f"({r['period']}; {_cite(r)})")
        cites += [_cite(f), _cite(r)]
    estimated = largest is not None and left > 0
    if estimated:
        value += largest["value"] * left
        words.append(f"{_pct(largest['value'])} of its {largest.get('segment')} ({largest['period']}; "
                     f"{_cite(largest)}) x the {_pct(left)} of revenue the published lines leave")
        cites.append(_cite(largest))
    return {**(largest or next(iter(weighed.values()))), "value": min(1.0, value), "_total": False,
            "_lines": "; ".join(words), "_cites": cites, "_estimated": estimated}


def _latest_disclosure(facts: list[dict]) -> list[dict] | None:
    """A company's latest customer-concentration disclosure: the per-customer shares (named or
    not) of its latest period that reports any, or a statement that no customer reached the
    threshold (an `up_to` fact). Media estimates (`reported`) are not a disclosure."""
    told = [f for f in facts if f["metric"] == "revenue_share_customer" and f["unit"] == "fraction"
            and f.get("qualifier") != "reported"]
    if not told:
        return None
    key = {f["period"]: f for f in told}
    best = latest_fact([{**f, "qualifier": None, "counterparty": None} for f in key.values()],
                       "revenue_share_customer")
    return [f for f in told if f["period"] == best["period"]] if best else None


def _market_of(f: dict) -> str:
    cp = f.get("counterparty")
    return f" of the {cp.replace('jur_', '').upper()} market" if cp else ""


class _Edges:
    """Parts collected per channel and edge."""

    def __init__(self):
        self.by_channel: dict[str, dict[tuple[str, str], Weight]] = {c: {} for c in CHANNELS}
        self.unrecorded: dict[str, tuple[float, float, dict]] = {}

    def add(self, channel: str, u: str, v: str, part: Part) -> None:
        if part.w <= 0 and part.status_factor > 0:
            return
        e = self.by_channel[channel].setdefault((u, v), Weight(u, v))
        e.parts.append(part)


# --- supply --------------------------------------------------------------------------------------
def _supplier_shares(v: str, cls: str, suppliers: list[str], amounts: dict[str, float],
                     facts: _Facts) -> dict[str, tuple[float, str, str, list[str]]]:
    """u -> (share of v's purchases of `cls`, basis, how, cites): the design note's order."""
    out: dict[str, tuple[float, str, str, list[str]]] = {}
    disclosed = {u: facts.input[(v, u, cls)] for u in suppliers if (v, u, cls) in facts.input}
    for u, f in disclosed.items():
        out[u] = (f["value"], "disclosed", f"disclosed share {_pct(f['value'])} of {v}'s {cls} "
                  f"({f['period']})", [_cite(f)])
    rest = [u for u in suppliers if u not in disclosed]
    room = max(0.0, 1.0 - sum(f["value"] for f in disclosed.values()))
    # what v makes itself leaves the outside suppliers the rest: its own published share of its
    # needs (Google's TPUs in its AI servers), else its share of the market (TSMC's own CoWoS)
    made, market_own = facts.input.get((v, v, cls)), facts.market.get((v, cls))
    if made is not None and 0 < made["value"] < 1:
        own, how = made, f"its own {cls} are {_pct(made['value'])} of its needs, {made['period']}; {_cite(made)}"
    elif market_own is not None and 0 < market_own["value"] < 1:
        own, how = market_own, f"its own market share {_pct(market_own['value'])}, {market_own['period']}"
    else:
        own, how = None, ""
    of_own = ""
    if own is not None and not disclosed:
        room = 1.0 - own["value"]
        of_own = f" of the {_pct(room)} {v} does not make itself ({how})"
    if rest and room <= 0:
        for u in rest:
            out[u] = (0.0, "disclosed", f"the disclosed shares of other {cls} suppliers of {v} cover "
                      f"all of it", [])
        return out
    if not rest:
        return out
    of = f" of the remaining {_pct(room)}" if disclosed else of_own
    market = {u: facts.market_share(u, cls, v) for u in rest}
    if len(rest) == 1:
        only = "sole recorded supplier" if not disclosed else "the only other recorded supplier"
        out[rest[0]] = (room, "sole supplier", f"{only} of {cls} to {v}{of}", [])
    elif all(amounts[u] > 0 for u in rest):
        total = sum(amounts[u] for u in rest)
        for u in rest:
            out[u] = (room * amounts[u] / total, "contract",
                      f"split by disclosed amounts among {len(rest)} {cls} suppliers of {v}{of}", [])
    elif any(f is not None and f["value"] > 0 for f in market.values()):
        # published market shares where known; the rest of the market is split equally among the
        # recorded suppliers without one, each at most the smallest published share (a tracker
        # names the largest vendors: one it does not name is no larger than the last it does);
        # then renormalised over v's recorded suppliers
        known = {u: f["value"] for u, f in market.items() if f is not None and f["value"] > 0}
        unknown = [u for u in rest if u not in known]
        even = max(0.0, 1.0 - sum(known.values())) / len(unknown) if unknown else 0.0
        left = min(even, min(known.values()))
        capped = (f", at most the smallest published share {_pct(left)}" if left < even else "")
        raw = {u: known.get(u, left) for u in rest}
        total = sum(raw.values()) or 1.0
        for u in rest:
            f = market[u]
            if u in known:
                out[u] = (room * raw[u] / total, "market share",
                          f"market share {_pct(f['value'])}{_market_of(f)} ({f['period']}) renormalised over "
                          f"{len(rest)} recorded {cls} suppliers of {v}{of}", [_cite(f)])
            else:
                out[u] = (room * raw[u] / total, "market remainder",
                          f"no published market share: an equal part of the {_pct(1 - sum(known.values()))} "
                          f"of the market the others leave, among {len(unknown)}{capped}, renormalised "
                          f"over {len(rest)} recorded {cls} suppliers of {v}{of}", [])
    else:
        for u in rest:
            out[u] = (room / len(rest), "equal split",
                      f"equal split among {len(rest)} {cls} suppliers of {v}{of} (no disclosed or "
                      f"market share for every one)", [])
    return out


def _line_share(v: str, cls: str, products: set[str], needs: dict[str, set[str]],
                facts: _Facts) -> tuple[float, str, list[str]]:
    """How much of v's business the input `cls` feeds: the published revenue shares of v's
    product lines made from it (an HBM base die feeds a memory maker's HBM, not its DRAM), or one
    less the lines not made from it; (1, "", []) when the input feeds every line or no split is
    published (then one line stands for the whole company, as before)."""
    lines = {o for o in products if o not in needs or cls in needs[o]}
    others = products - lines
    if not lines or not others:
        return 1.0, "", []
    got = {o: facts.product.get((v, o)) for o in products}
    if all(got[o] is not None for o in lines):
        share = min(1.0, sum(got[o]["value"] for o in lines))
        what = ", ".join(f"{o} {_pct(got[o]['value'])} ({got[o]['period']})" for o in sorted(lines))
        how = f"the lines made from {cls} are {_pct(share)} of {v}'s revenue: {what}"
        cites = [_cite(got[o]) for o in sorted(lines)]
    elif all(got[o] is not None for o in others):
        share = max(0.0, 1.0 - sum(got[o]["value"] for o in others))
        what = ", ".join(f"{o} {_pct(got[o]['value'])} ({got[o]['period']})" for o in sorted(others))
        how = f"the lines made from {cls} are at most {_pct(share)} of {v}'s revenue (the others: {what})"
        cites = [_cite(got[o]) for o in sorted(others)]
    else:
        return 1.0, "", []
    return share, how, cites


def _binding_status(rows: list[tuple[str, dict]], status_factor: dict) -> str | None:
    """The status of a counterparty's most binding row (None with no row: a disclosed share alone)."""
    return max((d["status"] for _, d in rows), key=lambda s: status_factor.get(s, 1.0), default=None)


def _status_of(rows: list[tuple[str, dict]], status_factor: dict) -> float:
    """A counterparty's relationship status factor: its most binding row's (1 with no row)."""
    status = _binding_status(rows, status_factor)
    return 1.0 if status is None else status_factor.get(status, 1.0)


class _Bom:
    """What each company makes (its categories' `makes`, and what it is recorded selling) and what
    each output is made from (`inputs_of`), read once for both channels: the supply rule scales an
    input none of a buyer's products is made from, the demand rule a purchase of one."""

    def __init__(self, g: nx.MultiDiGraph, schema, live, cfg: dict):
        self.g, self.schema = g, schema
        self.needs = {k: set(x) for k, x in (cfg.get("inputs_of") or {}).items()}
        self.sells: dict[str, set[str]] = defaultdict(set)
        for u, v, k, d in live:
            if schema.channels(d["type"]).get("supply") == "forward" and d.get("product_class"):
                self.sells[u].add(d["product_class"])

    def products(self, v: str) -> tuple[set[str] | None, set[str]]:
        """(what v's categories make, or None when one declares nothing; that and what v sells)."""
        makes = self.schema.makes(self.g.nodes[v].get("category") or [])
        return makes, (makes or set()) | self.sells.get(v, set())

    def outside(self, cls: str, makes: set[str] | None, products: set[str]) -> bool:
        """None of what v makes is made from `cls` (Samsung's Nvidia GPUs run its own factories;
        its memory and wafers are not built from them). A class v itself sells is always an input
        (an OEM buys servers from ODMs, a utility buys power); a buyer whose category declares no
        products needs every input."""
        return (makes is not None and cls not in products
                and all(o in self.needs and cls not in self.needs[o] for o in products))


def _supply(g, schema, live, cfg, facts: _Facts, edges: _Edges, bom: _Bom) -> None:
    sup = cfg["supply"]
    status_factor = cfg["status_factor"]
    amount_factor = cfg.get("amount_factor") or {}
    groups: dict[tuple[str, str], list[tuple[str, str, dict]]] = defaultdict(list)
    for u, v, k, d in live:
        if schema.channels(d["type"]).get("supply") == "forward":
            groups[(v, d.get("product_class") or d["type"])].append((u, k, d))
    needs = bom.needs
    outside = sup.get("outside_bom_scale")
    for (v, cls), members in groups.items():
        crit = sup["criticality"].get(cls, sup.get("default", 0.2))
        cats = g.nodes[v].get("category") or []
        scale = sup.get("buyer_scale", {}).get(cats[0]) if cats else None
        scaled = "" if scale is None else f" x buyer scale {scale:g} ({cats[0]})"
        crit = crit * (1.0 if scale is None else scale)
        makes, products = bom.products(v) if outside is not None else (None, set(bom.sells.get(v, ())))
        if bom.outside(cls, makes, products):
            crit *= outside
            scaled += (f" x outside bill of materials {outside:g} (none of {v}'s "
                       f"{', '.join(sorted(products))} is made from {cls})")
        by_u: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for u, k, d in members:
            by_u[u].append((k, d))
        own, own_how, own_cites = (_line_share(v, cls, products, needs, facts) if makes is not None
                                   else (1.0, "", []))
        own_note = f"; in {v}'s own score x {own:.2f} ({own_how})" if own_how else ""
        factor = {u: _status_of(rows, status_factor) for u, rows in by_u.items()}
        suppliers = [u for u in by_u if factor[u] > 0]
        amounts = {u: sum(_counted(d, amount_factor)[0] * status_factor.get(d["status"], 1.0)
                          for _, d in by_u[u]) for u in suppliers}
        shares = _supplier_shares(v, cls, suppliers, amounts, facts)
        for u in by_u:
            rels = [k for k, _ in by_u[u]]
            if factor[u] == 0:
                edges.add("supply", u, v, Part(0.0, "terminated", f"{cls}: terminated, carries none",
                                               rels, cls, 0.0))
                continue
            share, basis, how, cites = shares[u]
            f = factor[u]
            status = "" if f == 1 else f" x status {f:g} ({_binding_status(by_u[u], status_factor)})"
            rule = (f"{cls}: criticality {crit:g}{scaled} (data/exposure.yaml) x {how} {share:.2f}"
                    f"{status}{own_note}")
            edges.add("supply", u, v, Part(crit * share * f, basis, rule, rels, cls, f,
                                           cites + own_cites, own=own))


# --- places --------------------------------------------------------------------------------------
def _places(g, schema, live, cfg, facts: _Facts, edges: _Edges) -> None:
    sup = cfg["supply"]
    rows: dict[str, dict[str, list[tuple[str, dict]]]] = defaultdict(lambda: defaultdict(list))
    for u, v, k, d in live:
        if schema.channels(d["type"]).get("supply") == "backward":  # located_in: place -> company
            rows[u][v].append((k, d))
    for (company, place), f in facts.capacity.items():  # a published share is itself a link
        if company in g and place in g:
            rows[company].setdefault(place, [])
    # A company operates in its home country (its headquarters, and most often its main
    # production) even when only its operating sites abroad are recorded: ASML's Korean service
    # campus is not where ASML is. The home country joins its places under the home-share rule.
    # (A company whose only recorded sites are announced ones keeps them as its places: its
    # legal home may be a holding company's, as Eaton's Irish domicile is.)
    # So does a company whose only recorded site at home is an announced new one (Wiwynn's
    # Kaohsiung plant under construction): the announced site carries none, the headquarters does.
    home_of = {d.get("country"): n for n, d in g.nodes(data=True) if d.get("kind") == "jurisdiction"}
    hq: dict[str, str] = {}
    for company, by_place in rows.items():
        home = home_of.get(g.nodes[company].get("country"))
        abroad_operating = any(g.nodes[p].get("kind") == "jurisdiction" and p != home and
                               (not r or any(d["status"] != "announced" for _, d in r))
                               for p, r in by_place.items())
        if home and abroad_operating and all(d["status"] == "announced" for _, d in by_place.get(home, [])):
            if by_place.get(home):
                hq[company] = home       # only an announced site there: the headquarters counts
            by_place.setdefault(home, [])
    for company, by_place in rows.items():
        for kind in ("jurisdiction", "grid_region"):
            here = {p: r for p, r in by_place.items() if g.nodes[p].get("kind") == kind}
            if here:
                _place_parts(g, company, here, sup, facts, edges, hq.get(company),
                             _country_part(g, company, here, edges, sup, home_of) if kind == "grid_region" else None)


def _country_part(g, company: str, grids: dict, edges: _Edges, sup: dict,
                  place_of: dict[str, str]) -> tuple[float, str] | None:
    """The share of a company's capacity in the country its grid regions lie in, where its
    countries are placed (a published capacity share, or the home-share rule over its recorded
    countries): its grid regions share that part, not the whole company. Meta's published 88% of
    capacity in the US is what its PJM and ERCOT campuses divide; with no country placed, the grids
    stand for the whole company, as before."""
    countries = {g.nodes[p].get("country") for p in grids}   # place_of: country -> its jurisdiction
    place = place_of.get(countries.pop()) if len(countries) == 1 else None
    e = edges.by_channel["supply"].get((place, company)) if place else None
    if e is None:
        return None
    share = sum(p.w for p in e.parts) / sup["located_in"]
    return (share, place) if 0 < share < 1 else None


def _place_parts(g, company: str, here: dict, sup: dict, facts: _Facts, edges: _Edges,
                 hq_home: str | None = None, within: tuple[float, str] | None = None) -> None:
    budget = sup["located_in"] * (within[0] if within else 1.0)
    inside = f", sharing the {within[0]:.0%} of it in {within[1]}" if within else ""
    # hq_home: the home country a company operates in through its headquarters, its only recorded
    # site there being an announced one (which itself carries none)
    here = {p: ([] if p == hq_home else r) for p, r in here.items()}
    operating = {p for p, r in here.items() if not r or any(d["status"] != "announced" for _, d in r)}
    live = [p for p in here if p in operating] or list(here)
    skipped = len(here) - len(live)
    note = f"; {skipped} announced place(s) not yet operating carry none" if skipped else ""

    def part(p: str, w: float, basis: str, rule: str, cites: list[str] | None = None) -> None:
        r = here[p]
        sites = tuple(sorted({d.get("product_class") or "operations" for _, d in r})) or ("operations",)
        edges.add("supply", p, company, Part(w, basis, rule + note, [k for k, _ in r], None, 1.0,
                                             cites or [], sites))

    published = {p: facts.capacity[(company, p)] for p in live if (company, p) in facts.capacity}
    for p, f in published.items():
        whole = f["_total"]
        if f.get("_lines"):
            # two published figures (a line's capacity share there, the line's revenue share) are
            # a published figure; a line standing for what the published ones leave is not
            part(p, budget * f["value"], "product-line shares" if f["_estimated"] else "capacity share",
                 f"capacity share {_pct(f['value'])} of {company}'s revenue made in {p}, by product line: "
                 f"{f['_lines']}", f["_cites"])
            continue
        part(p, budget * f["value"], "capacity share" if whole else "product-line share",
             f"capacity share {_pct(f['value'])} of {company}'s {f.get('segment') or 'capacity'} "
             f"in {p} ({f['period']}){'' if whole else ', one product line standing for the whole company'}",
             [_cite(f)])
    rest = [p for p in live if p not in published]
    room = budget * max(0.0, 1.0 - sum(f["value"] for f in published.values()))
    if not rest or room <= 0:
        return
    kind = g.nodes[rest[0]].get("kind")
    home = [p for p in rest if kind == "jurisdiction"
            and g.nodes[p].get("country") == g.nodes[company].get("country")]
    abroad = [p for p in rest if p not in home]
    if home and abroad:
        # the capacity no published figure places (all of it, or what a published share for
        # another country leaves) is split the same way: most at home, the rest abroad
        hs = sup.get("home_share", 0.7)
        hq = "" if here[home[0]] else (" (its headquarters; its site there is only announced)" if home[0] == hq_home
                                       else " (its headquarters; no site there is recorded)")
        of = f" of the {room / budget:.0%} not placed by a published share" if published else ""
        part(home[0], room * hs, "place rule", f"home country of {company}{hq}: share {hs:g}{of} "
             f"(data/exposure.yaml, no published split), operates in {len(live)} places")
        for p in abroad:
            part(p, room * (1 - hs) / len(abroad), "place rule",
                 f"operates abroad in {len(abroad)} recorded place(s): {1 - hs:g}/{len(abroad)}")
    else:
        left = " of the capacity not published by place" if published else ""
        for p in rest:
            part(p, room / len(rest), "place rule" if len(rest) > 1 or published else "sole place",
                 f"operates in {len(rest)} recorded {kind.replace('_', ' ')}(s){left}{inside}: "
                 f"{_pct(room)}/{len(rest)}")


# --- demand --------------------------------------------------------------------------------------
def _demand(g, schema, live, cfg, facts: _Facts, edges: _Edges, bom: _Bom) -> None:
    # the demand rules read amounts as the other channels do: one amount_factor for all
    dem = {**cfg["demand"], "amount_factor": cfg.get("amount_factor") or {}}
    status_factor = cfg["status_factor"]
    market = _market_spending(g)
    # supplier -> customer -> rows
    links: dict[str, dict[str, list[tuple[str, dict]]]] = defaultdict(lambda: defaultdict(list))
    for u, v, k, d in live:
        way = schema.channels(d["type"]).get("demand")
        if way == "backward":        # supplier -> customer: the customer's cut reaches the supplier
            links[u][v].append((k, d))
        elif way == "forward":       # payer -> payee (a grant): the payer's cut reaches the payee
            links[v][u].append((k, d))
    for (customer, supplier) in facts.customer:  # a disclosed share is itself evidence of the link
        if customer in g and supplier in g:
            links[supplier].setdefault(customer, [])
    for supplier, customers in links.items():
        _demand_for(g, supplier, customers, dem, status_factor, facts, edges, market)
    _overhead_purchases(schema, live, cfg, edges, bom)
    for supplier, dcf in facts.datacenter.items():   # data-center revenue with no recorded buyer
        edges.unrecorded.setdefault(supplier, (dcf["value"], 0.0, dcf))


def _overhead_purchases(schema, live, cfg, edges: _Edges, bom: _Bom) -> None:
    """A customer's loss reaches the supplier of an input none of its products is made from at
    `outside_bom_scale` of its revenue share: such purchases (the cloud capacity a chip designer
    rents for research, the GPUs that run a memory maker's own factories) support its operations,
    not its output, and do not fall with what it sells. The mirror of the supply rule; the share
    itself is unchanged (`--explain` says why the weight is smaller)."""
    scale = cfg["supply"].get("outside_bom_scale")
    if scale is None:
        return
    classes: dict[tuple[str, str], set[str]] = defaultdict(set)   # (customer, supplier) -> classes
    for u, v, k, d in live:
        way = schema.channels(d["type"]).get("demand")
        if way == "backward":
            classes[(v, u)].add(d.get("product_class") or "")
    for (c, supplier), e in edges.by_channel["demand"].items():
        bought = classes.get((c, supplier))
        if not bought or "" in bought:
            continue   # a disclosed share with no row, or a row of no class: what it buys is unknown
        makes, products = bom.products(c)
        if all(bom.outside(cls, makes, products) for cls in bought):
            for p in e.parts:
                if p.w > 0:
                    p.w *= scale
                    p.rule += (f"; x {scale:g}: {c} buys {', '.join(sorted(bought))} for its "
                               f"operations (none of its {', '.join(sorted(products))} is made from it), "
                               f"so its purchases do not fall with its output (outside_bom_scale)")


def _contract_part(g, supplier: str, rows: list[tuple[str, dict]], dem: dict, status_factor: dict
                   ) -> tuple[float, str, str, float] | None:
    """Contract USD per year / supplier revenue, summed over the rows: (w, basis, rule, factor)."""
    revenue = g.nodes[supplier].get("revenue_usd")
    priced = [(k, d) for k, d in rows if d["amount_usd"]]
    if not revenue or not priced:
        return None
    w, assumed, bits = 0.0, False, []
    ceiling = False
    for _, d in priced:
        stated = contract_years(d["term"], d["date"])
        assumed = assumed or stated is None
        years = min(stated or float(dem["default_years"]), dem["max_years"])
        f = status_factor.get(d["status"], 1.0)
        amount, counted = _counted(d, dem.get("amount_factor") or {})
        ceiling = ceiling or bool(counted)
        w += amount / years / revenue * f
        status = "" if f == 1 else f" x status {f:g} ({d['status']})"
        bits.append(f"${d['amount_usd'] / 1e9:,.2f}B{counted} over {years:g} years"
                    f"{' (assumed term)' if stated is None else ''}{status}")
    rule = (f"{' + '.join(bits)} / {supplier} revenue ${revenue / 1e9:,.1f}B "
            f"({g.nodes[supplier].get('revenue_usd_period')})")
    factor = _status_of(priced, status_factor)
    basis = "contract (ceiling)" if ceiling else "contract (assumed term)" if assumed else "contract"
    return w, basis, rule, factor


def _capex(g, node: str) -> float | None:
    """A buyer's yearly capital spending: the latest actual figure, else its latest guidance, a
    plan over several years ("2026-2030", "next 8 years") taken per year."""
    if g.nodes[node].get("capex_usd"):
        return g.nodes[node]["capex_usd"]
    f = latest_fact(g.nodes[node].get("facts", []), "capex_guidance")
    if f is None:
        return None
    return f["value"] / (contract_years(f["period"], None) or 1.0)


def _market_spending(g) -> dict[str, float]:
    """Yearly capital spending of every data-center buyer in the graph (a buyer with no figure
    counted as the smallest spender): the market a data-center revenue share is earned in."""
    buyers = [n for n, d in g.nodes(data=True) if set(d.get("category") or []) & DATACENTER_BUYERS]
    capex = {n: _capex(g, n) for n in buyers}
    known = [v for v in capex.values() if v]
    low = min(known) if known else 1.0
    return {n: v or low for n, v in capex.items()}


def _group_split(g, supplier: str, members: list[str], customers, dem, status_factor,
                 market: dict[str, float] | None = None) -> tuple[dict[str, float], str]:
    """How a published total (a customer group's or the data-center business's share of revenue)
    divides among its recorded members: by their contracts with the supplier when every one has a
    priced contract, else by their capital spending (a buyer's size), a member with no capex
    figure counted as the smallest spender, else equally. With `market` (a data-center total)
    each member's capital spending is taken as a share of the whole data-center market's,
    not of theirs alone: the data records some of a supplier's data-center buyers, not all, so a
    sole recorded buyer does not take the whole total; what it leaves is revenue from the market
    at large (`unrecorded`). The caller discounts each member's part
    by its relationship status, as every weight read from a relationship row is: a rumoured
    customer does not hold a published total at full weight, and what the discount leaves stays
    with the customers the data does not record."""
    priced = {c: _contract_part(g, supplier, customers[c], dem, status_factor) for c in members}
    if len(members) > 1 and all(p is not None for p in priced.values()):
        total = sum(p[0] for p in priced.values())
        if total > 0:
            return {c: priced[c][0] / total for c in members}, "by contract amounts"
    if market:
        total = sum(market.values())
        return ({c: market.get(c, 0.0) / total for c in members},
                f"by each one's share of the capital spending of the {len(market)} data-center buyers "
                f"in the data (${total / 1e9:,.0f}B a year; a buyer with no capex figure counted as the "
                f"smallest spender)")
    capex = {c: _capex(g, c) for c in members}
    known = [v for v in capex.values() if v]
    if len(members) > 1 and known:
        low = min(known)
        sizes = {c: capex[c] or low for c in members}
        total = sum(sizes.values())
        filled = sum(1 for v in capex.values() if not v)
        return ({c: sizes[c] / total for c in members},
                "by capital spending" + (f" ({filled} without a capex figure counted as "
                                         f"the smallest spender)" if filled else ""))
    return {c: 1 / len(members) for c in members}, "equally"


def _split_total(g, supplier, fact, members, parts, customers, dem, status_factor, basis, what,
                 market: dict[str, float] | None = None):
    """Rules 2 and 2b: what a published total leaves after the disclosed members, split over the
    recorded rest and discounted by each one's status."""
    known = sum(parts[c].w for c in members if c in parts)
    rest = [c for c in members if c not in parts and _status_of(customers[c], status_factor) > 0]
    if market:
        # a member with a priced contract is weighed by it (rule 3), which leaves the rest less
        priced = {c: _contract_part(g, supplier, customers[c], dem, status_factor) for c in rest}
        known += sum(min(1.0, p[0]) for p in priced.values() if p is not None)
        rest = [c for c in rest if priced[c] is None]
    room = max(0.0, fact["value"] - known)
    if not rest or room <= 0:
        return
    split, how = _group_split(g, supplier, rest, customers, dem, status_factor, market)
    of = ("orders (standing for revenue: no revenue share is published)"
          if fact["metric"].startswith("orders_") else "revenue")
    for c in rest:
        factor = _status_of(customers[c], status_factor)
        st = "" if factor == 1 else f", x status {factor:g}"
        parts[c] = Part(room * split[c] * factor, basis,
                        f"disclosed: {what} {_pct(fact['value'])} of {supplier}'s {of} ({fact['period']}; "
                        f"{_cite(fact)}), less disclosed customers, split {how} over {len(rest)} recorded "
                        f"{'data-center' if basis == 'data-center share' else fact['segment']} customer(s){st}",
                        [k for k, _ in customers[c]], None, factor, [_cite(fact)])


def _demand_for(g, supplier, customers, dem, status_factor, facts: _Facts, edges: _Edges,
                market: dict[str, float]) -> None:
    parts: dict[str, Part] = {}
    # 1) disclosed named shares
    for c, rows in customers.items():
        f = facts.customer.get((c, supplier))
        if f is not None:
            # a media or broker estimate of the share is not the company's disclosure: it weighs as
            # a relationship reported from unnamed sources does
            reported = f.get("qualifier") == "reported"
            factor = status_factor.get("reported_not_confirmed", 1.0) if reported else 1.0
            parts[c] = Part(f["value"] * factor, "reported share" if reported else "disclosed",
                            f"{'reported (not disclosed)' if reported else 'disclosed'}: {_pct(f['value'])} of "
                            f"{supplier}'s revenue from {c} ({f['period']}; {_cite(f)})"
                            + (f" x status {factor:g} (reported_not_confirmed)" if reported else ""),
                            [k for k, _ in rows] or [f"fact:{supplier}"], None, factor, [_cite(f)])
    # 2) a disclosed share of a customer group, less its disclosed members, split over the rest
    for gf in facts.group.get(supplier, []):
        cat = gf["segment"]
        members = [c for c in customers if cat in (g.nodes[c].get("category") or [])]
        _split_total(g, supplier, gf, members, parts, customers, dem, status_factor, "group share",
                     f"{cat} customers")
    # 2b) a disclosed data-center revenue share is a share of revenue from data-center customers:
    # what the disclosed and group shares above leave of it is split over the recorded ones
    dcf = facts.datacenter.get(supplier)
    if dcf is not None:
        members = [c for c in customers if set(g.nodes[c].get("category") or []) & DATACENTER_BUYERS]
        _split_total(g, supplier, dcf, members, parts, customers, dem, status_factor, "data-center share",
                     dcf.get("segment") or "data center", market)
    # 3) contracts, 4) default
    for c, rows in customers.items():
        if c in parts:
            continue
        factor = _status_of(rows, status_factor)
        keys = [k for k, _ in rows]
        if factor == 0:
            parts[c] = Part(0.0, "terminated", "terminated, carries none", keys, None, 0.0)
            continue
        priced = _contract_part(g, supplier, rows, dem, status_factor)
        if priced is not None:
            w, basis, rule, f = priced
            parts[c] = Part(min(1.0, w), basis, rule, keys, None, f)
        else:
            missing = "amount" if not any(d["amount_usd"] for _, d in rows) else f"{supplier} revenue"
            share = dem["default_share"] * factor
            st = "" if factor == 1 else f" x status {factor:g}"
            parts[c] = Part(share, "default", f"default share {dem['default_share']:g}{st} "
                            f"(no {missing} in the data)", keys, None, factor)
    disclosure = facts.concentration.get(supplier)
    if disclosure is not None:
        _cap_by_disclosure(supplier, parts, disclosure, dem["disclosure_threshold"])
    _fit_into_one(parts)
    for c, p in parts.items():
        edges.add("demand", c, supplier, p)
    if dcf is not None:
        held = sum(p.w for c, p in parts.items()
                   if set(g.nodes[c].get("category") or []) & DATACENTER_CHAIN)
        edges.unrecorded[supplier] = (dcf["value"], min(held, dcf["value"]), dcf)


#: Parts whose size a rule estimated, not a published figure per customer (a contract's amount is
#: published and may exceed what the supplier earns today, so it is not bounded by a disclosure;
#: a ceiling, "up to", is not a figure of what is bought, so it is).
_ESTIMATED_SHARES = ("group share", "data-center share", "default", "reported share", "contract (ceiling)")


def _cap_by_disclosure(supplier: str, parts: dict[str, Part], disclosure: list[dict],
                       threshold: float) -> None:
    """Filings name every customer of 10% or more of revenue (ASC 280-10-50-42, IFRS 8.34), so a
    recorded customer the latest disclosure does not name holds less than that, unless one of its
    unnamed shares ("Customer A: 23%") can be it: the largest estimates take the unnamed shares,
    largest first, each at most; the rest are held to the threshold. What is cut off belongs to
    customers the data does not record."""
    named = {f["counterparty"] for f in disclosure if f["counterparty"]}
    free = sorted((f for f in disclosure if not f["counterparty"] and f.get("qualifier") != "up_to"),
                  key=lambda f: -f["value"])
    told = disclosure[0]
    for c in sorted(parts, key=lambda c: -parts[c].w):
        p = parts[c]
        if p.basis not in _ESTIMATED_SHARES or c in named or p.w <= threshold:
            continue
        if free:
            f = free.pop(0)
            if p.w > f["value"]:
                p.w = f["value"]
                p.rule += (f"; held to {_pct(f['value'])}, the largest unnamed customer share left in "
                           f"{supplier}'s disclosure ({f['period']}; {_cite(f)})")
                p.cites.append(_cite(f))
        else:
            p.w = threshold
            p.rule += (f"; held to {_pct(threshold)}: {supplier}'s disclosure ({told['period']}; "
                       f"{_cite(told)}) names every customer of {_pct(threshold)} or more, and not this one")
            p.cites.append(_cite(told))


#: Order in which a supplier's revenue shares keep their value when together they exceed 100%:
#: measured shares first, then published totals and contracts, then estimates.
_TIERS = ({"disclosed"}, PUBLISHED_SPLIT | {"contract"})


def _tier(p: Part) -> int:
    for i, bases in enumerate(_TIERS):
        if p.basis in bases:
            return i
    return len(_TIERS)


def _fit_into_one(parts: dict[str, Part]) -> None:
    """Keep a supplier's revenue shares summing to <= 1: disclosed shares keep their value, then
    published totals and stated-term contracts fill what is left, then the estimates; a tier
    that does not fit is scaled into the room left (flagged)."""
    room = 1.0
    for tier in range(len(_TIERS) + 1):
        members = [p for p in parts.values() if _tier(p) == tier and p.w > 0]
        total = sum(p.w for p in members)
        if total > room:
            s = room / total if total > 0 else 0.0
            for p in members:
                p.w *= s
                p.rule += (f"; scaled by {s:.2f} to fit the {room:.0%} of revenue left by "
                           f"{'higher-ranked shares' if tier else 'itself: disclosed shares of different years exceed 100%'}")
        room = max(0.0, room - min(total, room))


# --- financial -----------------------------------------------------------------------------------
#: what a financial row's amount is, in the rule text (every one weighs as money at risk)
_HOLDING = {"lends": "loan", "guarantees": "guarantee"}


def _financial(g, schema, live, cfg, facts: "_Facts", edges: _Edges) -> None:
    fin = cfg["financial"]
    status_factor = cfg["status_factor"]
    amount_factor = cfg.get("amount_factor") or {}
    for u, v, k, d in live:
        if schema.channels(d["type"]).get("financial") != "backward":
            continue
        investor, investee = u, v
        f = status_factor.get(d["status"], 1.0)
        st = "" if f == 1 else f" x status {f:g} ({d['status']})"
        cap = facts.market_cap.get(investor)
        size = g.nodes[investor].get("revenue_usd")
        if f == 0:
            part = Part(0.0, "terminated", "terminated, carries none", [k], None, 0.0)
        elif d["amount_usd"] and cap:
            amount, counted = _counted(d, amount_factor)
            part = Part(min(1.0, amount / cap["value"]) * f, "stake (ceiling)" if counted else "stake",
                        f"{_HOLDING.get(d['type'], 'stake')} ${d['amount_usd'] / 1e9:,.2f}B{counted} / {investor} market value "
                        f"${cap['value'] / 1e9:,.0f}B ({cap['period']}; {_cite(cap)}){st}", [k], None, f, [_cite(cap)])
        elif d["amount_usd"] and size:
            amount, counted = _counted(d, amount_factor)
            part = Part(min(1.0, amount / size) * f, "stake on revenue",
                        f"{_HOLDING.get(d['type'], 'stake')} ${d['amount_usd'] / 1e9:,.2f}B{counted} / {investor} revenue ${size / 1e9:,.1f}B "
                        f"(no market value in the data: revenue as size proxy overstates a highly valued "
                        f"investor's exposure){st}", [k], None, f)
        else:
            miss = "amount" if not d["amount_usd"] else investor + " market value or revenue"
            part = Part(fin["default_share"] * f, "default",
                        f"default share {fin['default_share']:g}{st} (no {miss})", [k], None, f)
        edges.add("financial", investee, investor, part)
    incoming: dict[str, float] = defaultdict(float)
    for (u, v), e in edges.by_channel["financial"].items():
        incoming[v] += e.w
    for (u, v), e in edges.by_channel["financial"].items():
        if incoming[v] > 1.0:
            for p in e.parts:
                p.w /= incoming[v]
                p.rule += f"; scaled by 1/{incoming[v]:.2f} to keep incoming weight <= 1"


def derive_weights(g: nx.MultiDiGraph, schema, cfg: dict | None = None) -> ChannelWeights:
    """Weights for every channel of the design note, from a capexgraph graph."""
    cfg = cfg or load_config()
    nodes = list(g.nodes)
    # a row kept as history (replaced by a later one, data/links.csv) is not evidence of anything
    history = {s for s, meta in schema.statuses.items() if meta.get("history")}
    live = [e for e in g.edges(keys=True, data=True) if e[3].get("status") not in history]
    facts = _Facts(g)
    edges = _Edges()
    bom = _Bom(g, schema, live, cfg)
    _supply(g, schema, live, cfg, facts, edges, bom)
    _places(g, schema, live, cfg, facts, edges)
    _demand(g, schema, live, cfg, facts, edges, bom)
    _financial(g, schema, live, cfg, facts, edges)
    places = frozenset(n for n, d in g.nodes(data=True) if d.get("kind") in PLACE_KINDS)
    return ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, edges.by_channel, places=places,
                          needs=bom.needs, unrecorded=edges.unrecorded,
                          countries={n: c for n, c in facts.country.items() if c})


def published_mass(weights: ChannelWeights, nodes: Iterable[str] | None = None) -> dict[str, float]:
    """Total edge weight over edges touching `nodes` (all when None), and the parts of it that
    rest on published numbers exactly, or on a published total divided among recorded members."""
    keep = set(nodes) if nodes is not None else None
    total = published = split = 0.0
    for _, e, p in weights.parts():
        if keep is not None and e.u not in keep and e.v not in keep:
            continue
        total += p.w
        if p.basis in PUBLISHED:
            published += p.w
        elif p.basis in PUBLISHED_SPLIT:
            split += p.w
    share = lambda x: x / total if total else 0.0  # noqa: E731
    return {"total": total, "published": published, "published_split": split,
            "share": share(published), "split_share": share(split)}
