"""What each Cypher library query must return, computed in Python from the networkx graph.

One function per query file in queries/cypher: it takes the graph, the query's parameters and the
engine's scores, and returns an `Expected` — the rows (in the columns the query returns), the
ORDER BY keys the rows must be sorted by, the LIMIT, and the columns whose lists are unordered
(`collect`). Nothing here reads Neo4j, the loader or the Cypher text, so a wrong query, a wrong
mapping or a wrong load all show up as a difference.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

import networkx as nx

Row = dict[str, Any]
SALES = {"SUPPLIES", "CLOUD_CAPACITY", "POWER_SUPPLY", "LEASE", "LICENSES"}
FUNDING = {"INVESTS_IN", "LENDS", "ACQUIRES", "OWNS"}


@dataclass
class Expected:
    rows: list[Row]
    order: list[tuple[str | Callable[[Row], Any], bool]] = field(default_factory=list)  # (column, descending)
    limit: int | None = None
    bags: tuple[str, ...] = ()  # columns holding lists in no defined order


# --- the graph as Neo4j stores it, read straight from networkx -------------------------------------
def T(d: dict) -> str:
    return d["type"].upper()


def urls(d: dict) -> list[str] | None:
    """Source URLs; an empty list is not stored, so Neo4j answers null."""
    return [s["url"] for s in d.get("sources") or []] or None


def iso(d: dict) -> str | None:
    return d["date"].isoformat() if d.get("date") else None


def name(g: nx.MultiDiGraph, n: str) -> str:
    return g.nodes[n]["name"]


def cats(g: nx.MultiDiGraph, n: str) -> list[str] | None:
    return list(g.nodes[n].get("category") or []) or None


def edges(g: nx.MultiDiGraph, types: set[str] | None = None):
    for u, v, k, d in g.edges(keys=True, data=True):
        if types is None or T(d) in types:
            yield u, v, k, d


def coalesce0(x: float | None) -> float:
    return 0.0 if x is None else x


def concat(*lists: list | None) -> list | None:
    """Cypher's `a + b` on lists: null when either is null."""
    if any(x is None for x in lists):
        return None
    return [item for x in lists for item in x]


# --- one function per library query ----------------------------------------------------------------
def announced_between(g, p, scores) -> Expected:
    rows = [{"announced": iso(d), "source": name(g, u), "relationship": T(d), "target": name(g, v),
             "product": d.get("product"), "amount_usd": d.get("amount_usd"),
             "qualifier": d.get("amount_qualifier"), "sources": urls(d)}
            for u, v, k, d in edges(g) if iso(d) and p["from"] <= iso(d) <= p["to"]]
    return Expected(rows, [("announced", False), ("source", False)])


def circular_financing(g, p, scores) -> Expected:
    rows = []
    for i, x, _, inv in edges(g, {"INVESTS_IN", "LENDS"}):
        for _, buy in g.get_edge_data(i, x).items():
            if T(buy) in {"SUPPLIES", "CLOUD_CAPACITY", "LICENSES", "LEASE"}:
                rows.append({"investor": name(g, i), "investee": name(g, x), "invested_usd": inv.get("amount_usd"),
                             "invested_on": iso(inv), "buys": buy.get("product"),
                             "purchases_usd": buy.get("amount_usd"), "purchase_announced": iso(buy),
                             "sources": concat(urls(inv), urls(buy))})
    key = lambda r: coalesce0(r["invested_usd"]) + coalesce0(r["purchases_usd"])  # noqa: E731
    return Expected(rows, [(key, True)])


def circular_financing_loops(g, p, scores) -> Expected:
    loop_types = {"SUPPLIES", "CLOUD_CAPACITY", "LEASE", "LICENSES"}
    rows = []
    for i, x, _, inv in edges(g, {"INVESTS_IN", "LENDS"}):
        for y, _, _, b in g.in_edges(x, keys=True, data=True):
            if T(b) not in loop_types or len({i, x, y}) < 3:
                continue
            for _, c in (g.get_edge_data(i, y) or {}).items():
                if T(c) in loop_types:
                    rows.append({"investor": name(g, i), "investee": name(g, x), "via": name(g, y),
                                 "invested_usd": inv.get("amount_usd"), "investee_pays_via_usd": b.get("amount_usd"),
                                 "via_pays_investor_usd": c.get("amount_usd"),
                                 "sources": concat(urls(inv), urls(b), urls(c))})
    return Expected(rows, [(lambda r: coalesce0(r["invested_usd"]), True)], limit=50)


def company_overview(g, p, scores) -> Expected:
    c = p["company"]
    d = g.nodes[c]
    out = [T(e) for _, _, e in g.out_edges(c, data=True)]
    return Expected([{"name": d["name"], "name_ko": d.get("name_ko"), "ticker": d.get("ticker"),
                      "categories": cats(g, c), "revenue_usd": d.get("revenue_usd"),
                      "revenue_period": d.get("revenue_usd_period"), "capex_usd": d.get("capex_usd"),
                      "outgoing": len(out), "incoming": g.in_degree(c), "outgoing_types": out}],
                    bags=("outgoing_types",))


def _concentration(g, pairs: list[tuple[str, float]], who: str, label: str) -> list[Row]:
    by = Counter()
    for other, usd in pairs:
        by[other] += usd
    if not by:
        return []
    total = sum(by.values())
    shares = [{label: name(g, o), "share": s / total} for o, s in by.items()]
    return [{"company": name(g, who), "disclosed_usd": total, "hhi": sum(x["share"] ** 2 for x in shares),
             "shares": shares}]


def _counted(d: dict) -> bool:
    """`r.amount_usd IS NOT NULL AND r.status <> 'terminated'` (a null status fails it too)."""
    return d.get("amount_usd") is not None and d.get("status") is not None and d["status"] != "terminated"


def customer_concentration(g, p, scores) -> Expected:
    s = p["company"]
    pairs = [(c, d["amount_usd"]) for _, c, d in g.out_edges(s, data=True) if T(d) in SALES and _counted(d)]
    return Expected(_concentration(g, pairs, s, "customer"), bags=("shares",))


def supplier_concentration(g, p, scores) -> Expected:
    c = p["company"]
    pairs = [(s, d["amount_usd"]) for s, _, d in g.in_edges(c, data=True) if T(d) in SALES and _counted(d)]
    return Expected(_concentration(g, pairs, c, "supplier"), bags=("shares",))


def _trade_row(g, other_col: str, other: str, d: dict) -> Row:
    return {other_col: name(g, other), "relationship": T(d), "product": d.get("product"),
            "amount_usd": d.get("amount_usd"), "qualifier": d.get("amount_qualifier"), "announced": iso(d),
            "status": d.get("status"), "sources": urls(d)}


def customers_of(g, p, scores) -> Expected:
    rows = [_trade_row(g, "customer", c, d) for _, c, d in g.out_edges(p["company"], data=True) if T(d) in SALES]
    return Expected(rows, [(lambda r: coalesce0(r["amount_usd"]), True), ("announced", True)])


def suppliers_of(g, p, scores) -> Expected:
    rows = [_trade_row(g, "supplier", s, d) for s, _, d in g.in_edges(p["company"], data=True) if T(d) in SALES]
    return Expected(rows, [(lambda r: coalesce0(r["amount_usd"]), True), ("announced", True)])


def _paths_into(g, target: str, types: set[str], max_hops: int) -> list[list[tuple[str, str, dict]]]:
    """Every path of 1..max_hops relationships of `types` ending at `target` (no relationship twice),
    as lists of (u, v, data) from the start."""
    found: list[list[tuple[str, str, dict]]] = []

    def walk(node: str, suffix: list[tuple[str, str, str, dict]]) -> None:
        for u, _, k, d in g.in_edges(node, keys=True, data=True):
            if T(d) not in types or any(k == s[2] for s in suffix):
                continue
            path = [(u, node, k, d), *suffix]
            found.append([(a, b, e) for a, b, _, e in path])
            if len(path) < max_hops:
                walk(u, path)

    walk(target, [])
    return found


def dependence_on_jurisdiction(g, p, scores) -> Expected:
    place = p["place"]
    rows = set()
    for path in _paths_into(g, p["company"], {"SUPPLIES", "LICENSES"}, 2):
        s = path[0][0]
        chain = (name(g, s), *(name(g, v) for _, v, _ in path))
        locs = [d for _, t, d in g.out_edges(s, data=True) if t == place and T(d) == "LOCATED_IN"]
        if locs:
            rows |= {(name(g, s), len(path), chain, d.get("product")) for d in locs}
        elif g.nodes[s].get("country") is not None and g.nodes[s].get("country") == g.nodes[place].get("country"):
            rows.add((name(g, s), len(path), chain, "headquarters"))
    out = [{"supplier": a, "hops": h, "chain": list(c), "where_there": w} for a, h, c, w in rows]
    return Expected(out, [("hops", False), ("supplier", False)])


def dependence_on_korean_memory(g, p, scores) -> Expected:
    rows = set()
    for path in _paths_into(g, p["company"], {"SUPPLIES"}, 2):
        m = path[0][0]
        if "memory" in (g.nodes[m].get("category") or []) and g.nodes[m].get("country") == "KR":
            rows.add((name(g, m), len(path), (name(g, m), *(name(g, v) for _, v, _ in path)),
                      tuple(d.get("product") for _, _, d in path)))
    out = [{"memory_supplier": m, "hops": h, "chain": list(c), "products": list(pr)} for m, h, c, pr in rows]
    return Expected(out, [("hops", False), ("memory_supplier", False)])


def _two_hop(g, p, scores, channel: str) -> Expected:
    """h = psi + W^T psi + (W^T)^2 psi on the engine's weights (the linear model truncated at k = 2)."""
    weights = scores["weights"]
    W = weights.matrix(channel)
    import numpy as np

    psi = np.zeros(len(weights.nodes))
    for node, value in p["seeds"].items():
        psi[weights.index[node]] = value
    h = psi + W.T @ psi + W.T @ (W.T @ psi)
    # Cypher sums one term per path, so a node is listed once a path of weight > 0 reaches it;
    # the float sum is then compared approximately (see `canonical`).
    reached = set(p["seeds"])
    frontier = set(p["seeds"])
    for _ in range(2):
        frontier = {v for (u, v), e in weights.edges[channel].items() if u in frontier and e.w > 0}
        reached |= frontier
    rows = [{"id": n, "company": name(g, n), "exposure": float(h[weights.index[n]])} for n in reached]
    return Expected(rows, [("exposure", True), ("id", False)])


def exposure_supply_2hop(g, p, scores) -> Expected:
    return _two_hop(g, p, scores, "supply")


def exposure_demand_2hop(g, p, scores) -> Expected:
    return _two_hop(g, p, scores, "demand")


def grid_region_exposure(g, p, scores) -> Expected:
    groups: dict[tuple, set[str]] = {}
    for s, t, d in g.in_edges(p["region"], data=True):
        if T(d) != "LOCATED_IN":
            continue
        key = (name(g, s), d.get("product"), tuple(urls(d) or ()) or None)
        customers = groups.setdefault(key, set())
        customers |= {name(g, c) for _, c, e in g.out_edges(s, data=True)
                      if T(e) in {"POWER_SUPPLY", "LEASE", "CLOUD_CAPACITY", "SUPPLIES"}}
    rows = [{"operator": o, "site": site, "customers": sorted(c), "sources": list(u) if u else None}
            for (o, site, u), c in groups.items()]
    return Expected(rows, [("operator", False)], bags=("customers",))


def investors_in(g, p, scores) -> Expected:
    rows = [{"investor": name(g, i), "how": T(d), "instrument": d.get("product"), "amount_usd": d.get("amount_usd"),
             "qualifier": d.get("amount_qualifier"), "announced": iso(d), "status": d.get("status"),
             "sources": urls(d)} for i, _, d in g.in_edges(p["company"], data=True) if T(d) in FUNDING]
    return Expected(rows, [("announced", False)])


def largest_contracts(g, p, scores) -> Expected:
    rows = [{"seller": name(g, s), "buyer": name(g, c), "product": d.get("product"), "amount_usd": d["amount_usd"],
             "qualifier": d.get("amount_qualifier"), "term": d.get("term"), "announced": iso(d),
             "status": d.get("status"), "sources": urls(d)}
            for s, c, _, d in edges(g, SALES) if d.get("amount_usd") is not None]
    return Expected(rows, [("amount_usd", True)], limit=p["limit"])


def shortest_path(g, p, scores) -> Expected:
    """Only the length is determined (several chains may be shortest); the test checks the chain."""
    hops = nx.shortest_path_length(nx.Graph(g), p["from"], p["to"])
    return Expected([{"hops": hops if hops <= 6 else None}])


def single_source_chokepoints(g, p, scores) -> Expected:
    suppliers: dict[tuple[str, str | None], set[str]] = {}
    for s, c, _, d in edges(g, {"SUPPLIES"}):
        if d.get("status") is not None and d["status"] != "terminated":
            first = (g.nodes[s].get("category") or [None])[0]
            suppliers.setdefault((c, first), set()).add(name(g, s))
    groups: dict[tuple[str | None, str], list[str]] = {}
    for (c, first), names in suppliers.items():
        if len(names) == 1:
            groups.setdefault((first, next(iter(names))), []).append(name(g, c))
    rows = [{"sole_supplier": sole, "input": first, "customers_with_no_alternative": len(cs), "customers": cs}
            for (first, sole), cs in groups.items()]
    return Expected(rows, [("customers_with_no_alternative", True), ("sole_supplier", False)], bags=("customers",))


def top_exposed(g, p, scores) -> Expected:
    values = scores["properties"][p["property"]]
    rows = [{"company": name(g, n), "ticker": g.nodes[n].get("ticker"), "categories": cats(g, n), "score": v}
            for n, v in values.items() if v > 0]
    return Expected(rows, [("score", True)], limit=p["limit"])


def who_funds_whom(g, p, scores) -> Expected:
    rows = [{"investor": name(g, i), "how": T(d), "company": name(g, x), "instrument": d.get("product"),
             "amount_usd": d.get("amount_usd"), "qualifier": d.get("amount_qualifier"), "announced": iso(d),
             "status": d.get("status"), "sources": urls(d)} for i, x, _, d in edges(g, FUNDING)]
    return Expected(rows, [(lambda r: coalesce0(r["amount_usd"]), True), ("announced", True)], limit=p["limit"])


EXPECTED: dict[str, Callable[..., Expected]] = {f.__name__: f for f in [
    announced_between, circular_financing, circular_financing_loops, company_overview, customer_concentration,
    customers_of, dependence_on_jurisdiction, dependence_on_korean_memory, exposure_demand_2hop,
    exposure_supply_2hop, grid_region_exposure, investors_in, largest_contracts, shortest_path,
    single_source_chokepoints, supplier_concentration, suppliers_of, top_exposed, who_funds_whom]}


# --- comparing what Neo4j returned with what was expected ------------------------------------------
def canonical(value: Any, bag: bool = False) -> Any:
    """A hashable, order-free-where-it-should-be form; floats to 10 significant digits (sums taken
    in another order differ in the last bits)."""
    if isinstance(value, float):
        return float(f"{value:.10g}") if math.isfinite(value) else value
    if isinstance(value, dict):
        return tuple(sorted((k, canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        items = [canonical(v) for v in value]
        return tuple(sorted(items, key=repr)) if bag else tuple(items)
    return value


def canonical_row(row: Row, bags: tuple[str, ...]) -> tuple:
    return tuple(sorted((k, canonical(v, k in bags)) for k, v in row.items()))


def sort_value(value: Any) -> tuple:
    """Cypher orders null after every value (so first when descending)."""
    return (value is None, value if value is not None else 0)


def order_key(exp: Expected, row: Row) -> tuple:
    return tuple(sort_value(col(row) if callable(col) else row[col]) for col, _ in exp.order)


def is_sorted(exp: Expected, rows: list[Row]) -> bool:
    for a, b in zip(rows, rows[1:]):
        for col, desc in exp.order:
            x, y = (sort_value(col(r) if callable(col) else r[col]) for r in (a, b))
            if x == y:
                continue
            if (x > y) != desc:
                return False
            break
    return True


def check(exp: Expected, got: list[Row]) -> None:
    """The rows Neo4j returned are the expected ones: the same multiset (ties cut by LIMIT may pick
    any of the tied rows), in the query's ORDER BY order."""
    assert is_sorted(exp, got), "rows are not in the query's ORDER BY order"
    want = Counter(canonical_row(r, exp.bags) for r in exp.rows)
    have = Counter(canonical_row(r, exp.bags) for r in got)
    if exp.limit is None or len(exp.rows) <= exp.limit:
        missing, extra = want - have, have - want
        assert not missing and not extra, f"missing {list(missing)[:3]}, unexpected {list(extra)[:3]}"
        return
    assert len(got) == exp.limit
    assert not (have - want), f"unexpected rows {list(have - want)[:3]}"
    ranked = sorted(exp.rows, key=lambda r: order_key(exp, r), reverse=exp.order[0][1])
    cut = order_key(exp, ranked[exp.limit - 1])
    beyond = [r for r in ranked if (order_key(exp, r) > cut if not exp.order[0][1] else order_key(exp, r) < cut)]
    sure = Counter(canonical_row(r, exp.bags) for r in ranked if r not in beyond and order_key(exp, r) != cut)
    assert not (sure - have), f"rows ranked above the LIMIT are missing: {list(sure - have)[:3]}"
