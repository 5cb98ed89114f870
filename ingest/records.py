"""Validated, typed records: the only form in which data leaves the ingest layer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .fx import FxTable, period_year
from .parse import parse_amount, parse_date, split_list
from .problems import DataError
from .schema import Schema
from .publishers import load_publishers, tier_of
from .tables import Tables, read_tables
from .validate import validate_tables


@dataclass
class Records:
    """Typed entities, relationships, sources and facts, ready for the graph layer."""

    schema: Schema
    root: Path
    entities: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    relationships: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    fx_rates: list[dict[str, Any]] | None = None


def _none(text: str) -> str | None:
    return text or None


def _source(row: dict, publishers: dict[str, str]) -> dict[str, Any]:
    date, _ = parse_date(row["date"])
    return {"id": row["id"], "publisher": row["publisher"], "title": row["title"],
            "url": row["url"], "date": date, "date_basis": row["date_basis"] or None,
            "tier": tier_of(row["url"], publishers)}


def _entity(row: dict) -> dict[str, Any]:
    return {
        "id": row["id"], "name": row["name"], "name_ko": _none(row["name_ko"]),
        "aliases": split_list(row["aliases"]), "ticker": _none(row["ticker"]),
        "exchange": _none(row["exchange"]), "country": _none(row["country"]),
        "category": split_list(row["categories"]), "kind": row["kind"],
        "source_ids": split_list(row["source_ids"]), "note": _none(row["note"]),
    }


def _relationship(row: dict, sources: dict[str, dict], fx: FxTable) -> dict[str, Any]:
    amount = parse_amount(row["amount"]) if row["amount"] else None
    date, precision = parse_date(row["date"])
    ids = split_list(row["source_ids"])
    usd = fx.to_usd(amount, row["currency"], date) if amount is not None and row["currency"] else None
    return {
        "id": row["id"], "source": row["source"], "target": row["target"], "type": row["type"],
        "product": _none(row["product"]), "product_class": _none(row["product_class"]),
        "amount": amount, "currency": _none(row["currency"]),
        "amount_qualifier": _none(row["amount_qualifier"]),
        # Other currencies are converted only with a sourced rate (data/fx_rates.csv), and say so.
        "amount_usd": usd[0] if usd else None,
        "amount_usd_note": (usd[1] or None) if usd else None,
        "term": _none(row["term"]), "date": date, "date_precision": precision,
        "status": row["status"], "source_ids": ids, "sources": [sources[i] for i in ids],
        "note": _none(row["note"]),
    }


def _fact(row: dict, sources: dict[str, dict], fx: FxTable) -> dict[str, Any]:
    value = parse_amount(row["value"])
    usd = None
    if row["unit"] not in ("USD", "fraction"):
        usd = fx.to_usd(value, row["unit"], period_year(row["period"]) or sources[row["source_id"]]["date"])
    return {
        "id": row["id"], "entity": row["entity"], "metric": row["metric"],
        "value": value, "unit": row["unit"], "period": row["period"],
        "value_usd": usd[0] if usd else None, "usd_note": usd[1] if usd else None,
        "qualifier": _none(row["qualifier"]), "counterparty": _none(row["counterparty"]),
        "segment": _none(row["segment"]), "basis": _none(row["basis"]),
        "source": sources[row["source_id"]], "note": _none(row["note"]),
    }


def records_from_tables(tables: Tables, schema: Schema | None = None,
                        today: dt.date | None = None) -> Records:
    """Validate tables and convert them; raise DataError listing every problem otherwise."""
    schema = schema or Schema.load()
    problems = validate_tables(tables, schema, today)
    if problems:
        raise DataError(problems)
    publishers = load_publishers(tables.root)
    sources = {r["id"]: _source(r, publishers) for r in tables.sources}
    fx_rows = [{**r, "source": sources[r["source_id"]]}
               for r in (tables.fx_rates or [])]
    fx = FxTable(fx_rows)
    return Records(
        schema=schema,
        root=tables.root,
        entities={r["id"]: _entity(r) for r in tables.entities},
        sources=sources,
        relationships=[_relationship(r, sources, fx) for r in tables.relationships],
        facts=[_fact(r, sources, fx) for r in tables.facts],
        fx_rates=fx_rows,
    )


def load_records(root: Path | str | None = None, today: dt.date | None = None) -> Records:
    """Read and validate a dataset directory (default: the shipped dataset)."""
    return records_from_tables(read_tables(root), today=today)
