"""How the graph maps onto a property graph database (Neo4j, or any openCypher server).

Labels and relationship types cannot be query parameters, so they come only from this fixed
allow-list, derived from data/schema.yaml and checked against a strict pattern. Every value
travels as a parameter. Every node this tool loads carries the `CapexGraph` label, so `--wipe`
can remove exactly what it loaded.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import networkx as nx

from capexgraph.ingest import Schema

BASE_LABEL = "CapexGraph"
KIND_LABELS = {"company": "Company", "jurisdiction": "Jurisdiction", "grid_region": "GridRegion"}
#: Relationships derived from the exposure model's weights, one type per channel.
EXPOSURE_TYPES = {"supply": "SUPPLY_EXPOSURE", "demand": "DEMAND_EXPOSURE", "financial": "FINANCIAL_EXPOSURE"}
#: The supply channel's (company, output class) states and their two kinds of relationship: a state
#: feeding a state of its customer that needs it (STATE_FEEDS) and a company's own exposure
#: (STATE_INTO); in-database exposure (queries/neo4j_exposure.py) iterates over them.
STATE_LABEL = "ExposureState"
STATE_TYPES = {"feeds": "STATE_FEEDS", "into": "STATE_INTO"}
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _checked(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"'{name}' is not a safe label or relationship type")
    return name


@lru_cache(maxsize=None)  # called per node: a 100k-node load spent seconds re-deriving labels
def category_label(category: str) -> str:
    """hyperscaler -> Hyperscaler, semi_equipment -> SemiEquipment."""
    return _checked("".join(part.capitalize() for part in category.split("_")))


@lru_cache(maxsize=None)
def rel_type(relationship_type: str) -> str:
    """supplies -> SUPPLIES, invests_in -> INVESTS_IN."""
    return _checked(relationship_type.upper())


def allowed_labels(schema: Schema) -> set[str]:
    return {BASE_LABEL, *KIND_LABELS.values(), *(category_label(c) for c in schema.categories)}


def allowed_rel_types(schema: Schema) -> set[str]:
    return {*(rel_type(t) for t in schema.relationship_types), *EXPOSURE_TYPES.values(), *STATE_TYPES.values()}


def node_labels(data: dict[str, Any], schema: Schema, allowed: set[str] | None = None) -> list[str]:
    """Labels for one node, all from the allow-list: base, kind, then categories."""
    allowed = allowed if allowed is not None else allowed_labels(schema)
    labels = [BASE_LABEL, KIND_LABELS.get(data.get("kind"), "Company")]
    categories = schema.categories
    labels += [category_label(c) for c in data.get("category") or [] if c in categories]
    out = []
    for label in labels:
        if label not in allowed:
            raise ValueError(f"label '{label}' is not in the allow-list")
        if label not in out:
            out.append(label)
    return out


def node_properties(node: str, data: dict[str, Any]) -> dict[str, Any]:
    """Scalar and list properties only (what Neo4j stores); facts travel as JSON text."""
    props = {
        "id": node, "name": data.get("name"), "name_ko": data.get("name_ko"),
        "ticker": data.get("ticker"), "exchange": data.get("exchange"),
        "country": data.get("country"), "kind": data.get("kind"),
        "categories": list(data.get("category") or []), "aliases": list(data.get("aliases") or []),
        "revenue_usd": data.get("revenue_usd"), "revenue_period": data.get("revenue_usd_period"),
        "capex_usd": data.get("capex_usd"), "capex_period": data.get("capex_usd_period"),
        "china_revenue_share": data.get("china_revenue_share"),
    }
    return {k: v for k, v in props.items() if v is not None and v != []}


def relationship_properties(key: str, data: dict[str, Any]) -> dict[str, Any]:
    """Provenance travels: amount, date, status and every source's URL, title, publisher, date."""
    sources = data.get("sources") or []
    props = {
        "id": key, "type": data.get("type"), "product": data.get("product"),
        "product_class": data.get("product_class"),
        "amount": data.get("amount"), "currency": data.get("currency"),
        "amount_qualifier": data.get("amount_qualifier"), "amount_usd": data.get("amount_usd"),
        "amount_usd_note": data.get("amount_usd_note"),
        "term": data.get("term"),
        "date": data["date"].isoformat() if data.get("date") else None,
        "date_precision": data.get("date_precision"), "status": data.get("status"),
        "source_urls": [s["url"] for s in sources],
        "source_titles": [s["title"] for s in sources],
        "source_publishers": [s["publisher"] for s in sources],
        "source_dates": [s["date"].isoformat() for s in sources],
        "note": data.get("note"),
    }
    return {k: v for k, v in props.items() if v is not None and v != []}


def node_rows(g: nx.MultiDiGraph, schema: Schema) -> list[dict[str, Any]]:
    allowed = allowed_labels(schema)
    return [{"id": n, "labels": node_labels(d, schema, allowed), "props": node_properties(n, d)}
            for n, d in g.nodes(data=True)]


def relationship_rows(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return [{"id": k, "source": u, "target": v, "type": rel_type(d["type"]),
             "props": relationship_properties(k, d)} for u, v, k, d in g.edges(keys=True, data=True)]


def facts_json(data: dict[str, Any]) -> str:
    from .plain import to_plain

    return json.dumps(to_plain(data.get("facts") or []), ensure_ascii=False)
