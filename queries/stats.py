"""What the graph holds: counts by category and type, amount coverage, date range."""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from capexgraph.graph import edges_frame, nodes_frame


@dataclass
class Stats:
    nodes: int
    companies: int
    edges: int
    sources: int
    with_amount: int
    with_amount_usd: int
    first_date: str | None
    last_date: str | None
    by_category: pd.DataFrame   # category, nodes
    by_type: pd.DataFrame       # type, edges, with_amount, disclosed_usd

    @property
    def amount_share(self) -> float:
        return self.with_amount / self.edges if self.edges else 0.0

    def to_dict(self) -> dict:
        return {
            "nodes": self.nodes, "companies": self.companies, "relationships": self.edges,
            "sources": self.sources, "relationships_with_amount": self.with_amount,
            "relationships_with_amount_usd": self.with_amount_usd,
            "share_with_amount": round(self.amount_share, 4),
            "date_range": [self.first_date, self.last_date],
            "by_category": dict(zip(self.by_category["category"], self.by_category["nodes"].astype(int))),
            "by_type": self.by_type.to_dict("records"),
        }


def graph_stats(g: nx.MultiDiGraph) -> Stats:
    """Summarise a graph, so a user can judge its coverage before trusting an answer."""
    nodes = nodes_frame(g)
    edges = edges_frame(g)
    cats = nodes.explode("category").groupby("category").size().rename("nodes")
    by_category = cats.sort_values(ascending=False).reset_index()
    by_type = (edges.assign(has_amount=edges["amount"].notna())
               .groupby("type")
               .agg(edges=("id", "size"), with_amount=("has_amount", "sum"),
                    disclosed_usd=("amount_usd", "sum"))
               .sort_values("edges", ascending=False).reset_index())
    by_type["with_amount"] = by_type["with_amount"].astype(int)
    urls = {s["url"] for _, _, d in g.edges(data=True) for s in d.get("sources", [])}
    urls |= {f["source"]["url"] for _, d in g.nodes(data=True) for f in d.get("facts", [])}
    dates = edges["date"].dropna()
    return Stats(
        nodes=len(nodes), companies=int((nodes["kind"] == "company").sum()), edges=len(edges),
        sources=len(urls), with_amount=int(edges["amount"].notna().sum()),
        with_amount_usd=int(edges["amount_usd"].notna().sum()),
        first_date=dates.min().date().isoformat() if len(dates) else None,
        last_date=dates.max().date().isoformat() if len(dates) else None,
        by_category=by_category, by_type=by_type,
    )


#: Categories whose capital spending carries the AI build-out (capex is expected of them)
CAPEX_CATEGORIES = {"hyperscaler", "neocloud", "foundry", "memory", "datacenter", "server_odm"}


def coverage(g: nx.MultiDiGraph, weights=None, top: int = 50) -> pd.DataFrame:
    """The largest companies by USD revenue and which of the figures the exposure model reads
    each one has: revenue, geography, customer concentration, capex (where relevant), production
    sites; and the share of the edge weight on each that rests on published numbers."""
    from capexgraph.graph.build import latest_fact

    rows = []
    for n, d in g.nodes(data=True):
        if d.get("kind") != "company" or not d.get("revenue_usd"):
            continue
        facts = d.get("facts", [])
        metrics = {f["metric"] for f in facts}
        regions = sorted({f["counterparty"] for f in facts if f["metric"] == "revenue_share_region"})
        customers = [f for f in facts if f["metric"] in ("revenue_share_customer", "revenue_share_customer_group")]
        sites = {v for _, v, e in g.out_edges(n, data=True) if e["type"] == "located_in" and e["status"] != "announced"}
        capex = latest_fact(facts, "capex") or latest_fact(facts, "capex_guidance")
        rows.append({
            "id": n, "name": d.get("name"), "revenue_usd": d["revenue_usd"], "revenue_period": d.get("revenue_usd_period"),
            "geography": ", ".join(r.replace("jur_", "").upper() for r in regions),
            "customer_shares": len(customers),
            "named_customers": sum(1 for f in customers if f.get("counterparty")),
            "datacenter_share": bool({"revenue_share_datacenter", "orders_share_datacenter"} & set(metrics)),
            "capex": (capex["period"] if capex else "") if set(d.get("category") or []) & CAPEX_CATEGORIES else "n/a",
            "sites": len(sites),
        })
    columns = ["id", "name", "revenue_usd", "revenue_period", "geography", "customer_shares",
               "named_customers", "datacenter_share", "capex", "sites"]
    frame = pd.DataFrame(rows, columns=columns)   # a dataset with no revenue figures: no rows
    frame = frame.sort_values("revenue_usd", ascending=False).head(top).reset_index(drop=True)
    if weights is not None and len(frame):
        from capexgraph.queries.weights import published_mass

        share = []
        for n in frame["id"]:
            m = published_mass(weights, [n])
            share.append(m["share"] if m["total"] else None)
        frame["published_weight"] = share
    return frame


def source_tiers(records) -> dict[str, dict[str, int]]:
    """How citable the dataset is: sources by tier, and relationships and facts by the best tier
    among their sources (data/publishers.csv; `other` is an aggregator or an unclassified host)."""
    from capexgraph.ingest.publishers import TIERS, best_tier

    out = {kind: {t: 0 for t in TIERS} for kind in ("sources", "relationships", "facts")}
    for s in records.sources.values():
        out["sources"][s["tier"]] += 1
    for r in records.relationships:
        out["relationships"][best_tier(r["sources"])] += 1
    for f in records.facts:
        out["facts"][best_tier([f["source"]])] += 1
    return out


#: deal types that close (an acquisition completes, an investment or loan is funded): one still
#: `announced` or a letter of intent this long after its date has most likely moved on
CLOSING_TYPES = ("acquires", "invests_in", "lends", "grants")
STALE_MONTHS = 12


def audit(records, top_ids: list[str], today=None) -> dict[str, list[dict]]:
    """What a careful reader would check first: deals whose status may be stale, rows touching the
    largest companies that rest only on aggregators, and the tier of the latest figure the model
    reads for each of those companies.

    `stale`: a closing-type deal still announced, a letter of intent, or a media report not
    confirmed, dated more than STALE_MONTHS before today (a later row that supersedes it is
    linked in data/links.csv and its status is `superseded`, so it is not listed)."""
    import datetime as dt

    from capexgraph.graph.build import latest_fact
    from capexgraph.ingest.publishers import best_tier

    today = today or dt.date.today()
    back = today.year * 12 + today.month - 1 - STALE_MONTHS
    cutoff = dt.date(back // 12, back % 12 + 1, min(today.day, 28))
    stale = [{"id": r["id"], "type": r["type"], "status": r["status"], "date": str(r["date"]),
              "sources": len(r["sources"])}
             for r in records.relationships
             if r["date"] and r["date"] < cutoff and (
                 (r["type"] in CLOSING_TYPES and r["status"] in ("announced", "letter_of_intent"))
                 or r["status"] == "reported_not_confirmed")]
    top = set(top_ids)
    weak = [{"id": r["id"], "type": r["type"], "companies": ", ".join(c for c in (r["source"], r["target"]) if c in top),
             "publisher": r["sources"][0]["publisher"] if r["sources"] else ""}
            for r in records.relationships
            if (r["source"] in top or r["target"] in top) and best_tier(r["sources"]) == "other"]
    groups: dict[tuple, list[dict]] = {}
    for f in records.facts:
        if f["entity"] in top and f["metric"] != "market_cap":
            groups.setdefault((f["entity"], f["metric"], f["counterparty"] or "", f["segment"] or ""), []).append(f)
    figures = []
    for (entity, metric, cp, seg), facts in sorted(groups.items()):
        f = latest_fact(facts, metric, cp or None, seg or None, bounds=True)  # the one the model reads
        if f:
            figures.append({"entity": entity, "metric": metric, "of": cp or seg, "period": f["period"],
                            "tier": f["source"].get("tier", "other"), "publisher": f["source"]["publisher"]})
    return {"stale": sorted(stale, key=lambda x: x["date"]), "aggregator_only": weak, "figures": figures}
