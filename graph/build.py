"""The graph model: a networkx MultiDiGraph built from validated records.

Nodes are entities (companies, jurisdictions, grid regions) keyed by id; edges are relationships
keyed by relationship id, so two deals between the same pair stay apart. Edge direction follows
the relationship type's convention in data/schema.yaml (supplier -> customer, investor -> investee ...).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

import networkx as nx

from capexgraph.ingest import Records, load_records

#: Every attribute a node or edge of the model carries (readers restore absent ones as empty).
NODE_ATTRS = ("name", "name_ko", "aliases", "ticker", "exchange", "country", "category", "kind",
              "source_ids", "note", "facts", "revenue_usd", "revenue_usd_period", "capex_usd",
              "capex_usd_period", "china_revenue_share", "china_revenue_share_period")
EDGE_ATTRS = ("type", "product", "amount", "currency", "amount_qualifier", "amount_usd", "term",
              "date", "date_precision", "status", "source_ids", "sources", "note")

#: Node attributes summarising the latest published figure of each metric (USD only).
SUMMARY_METRICS = {"revenue": "revenue_usd", "capex": "capex_usd",
                   "revenue_share_china": "china_revenue_share"}


_PART_YEAR = re.compile(r"^(?:Q[1-4]|[1-4]Q|H[12]|[12]H|CQ[1-4])\b", re.IGNORECASE)
#: how many of a part-year period make a year, for flows (revenue, capex) reported only quarterly
_PER_YEAR = {"Q": 4, "H": 2, "C": 4}


def _is_forecast(fact: dict) -> bool:
    """A full-year figure published before that year could have ended: a year later than the
    publication, or the same year with the source calling it guidance. (Quarters are left alone:
    fiscal years are named by the year they end in, so Q1 FY2026 is reported in 2025.)"""
    period = fact["period"].strip()
    year = re.search(r"(\d{4})$", period)
    published = fact["source"].get("date")
    if not year or not published or _PART_YEAR.match(period):
        return False
    y = int(year.group(1))
    return y > published.year or (y == published.year and "guidance" in (fact.get("note") or "").lower())


def latest_fact(facts: Iterable[dict], metric: str) -> dict | None:
    """The most recent fact of a metric (by period, then source date) that needs no conversion.

    A flow (revenue, capex) is a denominator of yearly exposure weights, so a full-year figure
    wins over a later quarter; with only part-year figures the latest is annualised and the
    period says so ('Q1 FY2026 x4, annualised'). Shares keep the latest period as reported.
    """
    fitting = [f for f in facts if f["metric"] == metric and not f["counterparty"]
               and f["unit"] in ("USD", "fraction") and f.get("qualifier") != "up_to"]
    # a figure for a year that had not begun when it was published is a forecast ("ASML expects
    # China to fall to about 20% of 2026 sales", said in January 2026): actual figures come first
    actual = [f for f in fitting if not _is_forecast(f)]
    fitting = actual or fitting
    if not fitting:
        return None
    key = lambda f: (f["period"][-4:], not _PART_YEAR.match(f["period"].strip()), f["source"]["date"])  # noqa: E731
    if metric in ("revenue", "capex"):
        annual = [f for f in fitting if not _PART_YEAR.match(f["period"].strip())]
        if annual:
            return max(annual, key=key)
        part = max(fitting, key=key)
        times = _PER_YEAR.get(part["period"].strip().upper().lstrip("1234")[:1], 4)
        return {**part, "value": part["value"] * times, "period": f"{part['period']} x{times}, annualised"}
    return max(fitting, key=key)


def _node_attrs(entity: dict, facts: list[dict]) -> dict[str, Any]:
    attrs = {k: v for k, v in entity.items() if k != "id"}
    attrs["facts"] = facts
    for metric, key in SUMMARY_METRICS.items():
        fact = latest_fact(facts, metric)
        attrs[key] = fact["value"] if fact else None
        attrs[f"{key}_period"] = fact["period"] if fact else None
    return attrs


def build_graph(records: Records, as_of: dt.date | None = None) -> nx.MultiDiGraph:
    """Build the knowledge graph; with `as_of`, keep only what had been announced by that date.

    An edge counts as known from its announcement date; a fact from its source's publication date.
    Every entity is kept (a company exists whether or not a deal involving it was known yet).
    """
    g = nx.MultiDiGraph(name="capexgraph", as_of=as_of.isoformat() if as_of else None)
    known_facts = [f for f in records.facts if as_of is None or f["source"]["date"] <= as_of]
    by_entity: dict[str, list[dict]] = {}
    for fact in known_facts:
        by_entity.setdefault(fact["entity"], []).append(fact)
    for eid, entity in records.entities.items():
        g.add_node(eid, **_node_attrs(entity, by_entity.get(eid, [])))
    for rel in records.relationships:
        if as_of is not None and rel["date"] > as_of:
            continue
        attrs = {k: v for k, v in rel.items() if k not in ("id", "source", "target")}
        g.add_edge(rel["source"], rel["target"], key=rel["id"], id=rel["id"], **attrs)
    return g


def load_graph(root=None, as_of: dt.date | None = None) -> nx.MultiDiGraph:
    """Shortcut: validated shipped (or given) dataset -> graph."""
    return build_graph(load_records(root), as_of=as_of)
