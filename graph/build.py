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
from capexgraph.ingest.publishers import RANK as TIER_RANK

#: Every attribute a node or edge of the model carries (readers restore absent ones as empty).
NODE_ATTRS = ("name", "name_ko", "aliases", "ticker", "exchange", "country", "category", "kind",
              "source_ids", "note", "facts", "revenue_usd", "revenue_usd_period", "capex_usd",
              "capex_usd_period", "china_revenue_share", "china_revenue_share_period")
EDGE_ATTRS = ("type", "product", "product_class", "amount", "currency", "amount_qualifier", "amount_usd",
              "amount_usd_note", "term",
              "date", "date_precision", "status", "source_ids", "sources", "note")

#: Node attributes summarising the latest published figure of each metric (USD only):
#: attribute -> (metric, counterparty).
SUMMARY_METRICS = {"revenue_usd": ("revenue", None), "capex_usd": ("capex", None),
                   "china_revenue_share": ("revenue_share_region", "jur_cn")}


_PART_YEAR = re.compile(r"^(?:Q[1-4]|[1-4]Q|H[12]|[12]H|CQ[1-4]|(?:[1-9]|1[01])M|"
                        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b", re.IGNORECASE)
#: how many of a part-year period make a year, for flows (revenue, capex) reported only quarterly
_PER_YEAR = {"Q": 4, "H": 2, "C": 4}  # anything else that is part of a year is one month


_FORWARD = re.compile(r"\b(?:forecast|projection|projected|target|plan(?:ned)?|guidance|outlook|expects?|"
                      r"expected to)\b", re.IGNORECASE)
#: a note's first clause saying so ("Guidance: ...", "Omdia forecast Dec 2024: ..."); later clauses
#: often mention an outlook beside an actual figure
_FORWARD_NOTE = re.compile(r"^[^:;.]{0,60}\b(?:forecast|projection|projected|target|guidance)\b", re.IGNORECASE)


def _is_forecast(fact: dict) -> bool:
    """A figure about the future: its period or note calls it a forecast, target, plan or
    guidance, or it is a full year published before that year could have ended (a year later than
    the publication). (Quarters are left alone: fiscal years are named by the year they end in, so
    Q1 FY2026 is reported in 2025.)"""
    period = fact["period"].strip()
    if _FORWARD.search(period) or (fact.get("metric") != "capex_guidance"
                                   and _FORWARD_NOTE.search(fact.get("note") or "")):
        return True
    year = re.search(r"(\d{4})$", period)
    published = fact["source"].get("date")
    if not year or not published or _PART_YEAR.match(period):
        return False
    y = int(year.group(1))
    return y > published.year or (y == published.year and "guidance" in (fact.get("note") or "").lower())


def latest_fact(facts: Iterable[dict], metric: str, counterparty: str | None = None,
                segment: str | None = None, bounds: bool = False, actual_only: bool = False) -> dict | None:
    """The most recent fact of a metric (by period, then source tier, then source date) that
    needs no conversion.

    A full-year figure wins over a later quarter: a flow (revenue, capex) is the denominator of
    yearly exposure weights, and a share of a year's business is what a filing reports and what
    one unusual quarter (a stockpiling rush before a ban) does not distort. With only part-year
    figures the latest is used; a flow is annualised and its period says so ('Q1 FY2026 x4,
    annualised'). An upper bound ('up_to') is not a value; with `bounds` it stands in where no
    value is published (a scenario sizing a seed by "at most this share"), its qualifier kept.
    With `actual_only` a forecast or target never stands in (a place's share of capacity is
    today's, not a plan for the next decade).
    """
    fitting = [f if f["unit"] in ("USD", "fraction") else
               {**f, "value": f["value_usd"], "unit": "USD", "converted": f.get("usd_note")}
               for f in facts if f["metric"] == metric and f["counterparty"] == counterparty
               and (segment is None or f.get("segment") == segment)
               and (f["unit"] in ("USD", "fraction") or f.get("value_usd") is not None)]
    values = [f for f in fitting if f.get("qualifier") != "up_to"]
    fitting = values or (fitting if bounds else [])
    # a figure for a year that had not begun when it was published is a forecast ("ASML expects
    # China to fall to about 20% of 2026 sales", said in January 2026): actual figures come first
    actual = [f for f in fitting if not _is_forecast(f)]
    fitting = actual if actual or actual_only else fitting
    if not fitting:
        return None
    def key(f):
        p = f["period"].strip()
        when = p if re.match(r"^\d{4}-\d{2}-\d{2}$", p) else p[-4:]  # a figure measured on a day
        return (when, not _PART_YEAR.match(p), f["source"]["date"])

    def pick(facts):
        # the latest period wins; for that one period, the filing beats a blog's retelling of it,
        # whichever was published later
        period = max(facts, key=key)["period"].strip().upper()
        same = [f for f in facts if f["period"].strip().upper() == period]
        return max(same, key=lambda f: (-TIER_RANK.get(f["source"].get("tier", "other"), len(TIER_RANK)),
                                        f["source"]["date"]))
    annual = [f for f in fitting if not _PART_YEAR.match(f["period"].strip())]
    if annual:
        return pick(annual)
    if metric in ("revenue", "capex"):
        part = pick(fitting)
        head = part["period"].strip().upper()
        months = re.match(r"^(\d{1,2})M\b", head)
        times = (12 / int(months.group(1))) if months else _PER_YEAR.get(head.lstrip("1234")[:1], 12)
        return {**part, "value": part["value"] * times,
                "period": f"{part['period']} x{times:.3g}, annualised"}
    return pick(fitting)


def _node_attrs(entity: dict, facts: list[dict]) -> dict[str, Any]:
    attrs = {k: v for k, v in entity.items() if k != "id"}
    attrs["facts"] = facts
    for key, (metric, counterparty) in SUMMARY_METRICS.items():
        fact = latest_fact(facts, metric, counterparty)
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
