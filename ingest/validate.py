"""Every rule the dataset must follow, checked at once so one run lists all problems."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Iterable

from .parse import parse_amount, parse_date, split_list
from .links import check_links
from .publishers import host_of, load_outlets, misnamed_outlet
from .problems import Problem, fold_consequences
from .text_checks import xml_forbidden_fields
from .schema import Schema
from .tables import LINE, Tables

_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _rows(rows: list[dict]) -> Iterable[dict]:
    return rows


def _hint(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _one_of(value: str, allowed: Iterable[str], what: str) -> str | None:
    allowed = list(allowed)
    if value in allowed:
        return None
    shown = ", ".join(a if a else "(empty)" for a in allowed)
    return f"unknown {what} '{value}'{_hint(value, allowed)}; valid: {shown}"


class _Checker:
    def __init__(self, tables: Tables, schema: Schema, today: dt.date):
        self.t, self.schema, self.today = tables, schema, today
        self.problems: list[Problem] = []

    def add(self, table: str, row: dict, field: str, message: str) -> None:
        self.problems.append(Problem(self.t.file(table), int(row[LINE]), field, message))

    def date(self, table: str, row: dict, field: str, required: bool = True) -> None:
        text = row[field]
        if not text:
            if required:
                self.add(table, row, field, "missing date")
            return
        try:
            value, _ = parse_date(text)
        except ValueError as exc:
            self.add(table, row, field, str(exc))
            return
        if value > self.today:
            self.add(table, row, field, f"date {text} is in the future (today is {self.today})")

    def unique_ids(self, table: str, field: str = "id") -> set[str]:
        seen: dict[str, int] = {}
        for row in _rows(getattr(self.t, table)):
            value = row[field]
            if not value:
                self.add(table, row, field, "missing id")
            elif not _ID.match(value):
                self.add(table, row, field, f"id '{value}' must be lowercase letters, digits, '_' or '-'")
            elif value in seen:
                self.add(table, row, field, f"duplicate id '{value}' (first used on line {seen[value]})")
            else:
                seen[value] = int(row[LINE])
        return set(seen)

    def refs(self, table: str, row: dict, field: str, known: set[str], what: str,
             required: bool = True) -> list[str]:
        values = split_list(row[field])
        if not values and required:
            self.add(table, row, field, f"missing {what}")
        for value in values:
            if value not in known:
                self.add(table, row, field, f"unknown {what} '{value}'{_hint(value, known)}")
        return values


def validate_tables(tables: Tables, schema: Schema, today: dt.date | None = None) -> list[Problem]:
    """Check the tables against the schema and each other; return every problem, sorted."""
    c = _Checker(tables, schema, today or dt.date.today())
    source_ids = c.unique_ids("sources")
    entity_ids = c.unique_ids("entities")
    c.unique_ids("relationships")
    c.unique_ids("facts")
    kinds = {r["id"]: r["kind"] for r in _rows(tables.entities)}

    _check_sources(c, tables, schema)
    _check_entities(c, tables, schema, source_ids)
    _check_relationships(c, tables, schema, entity_ids, source_ids, kinds)
    _check_facts(c, tables, schema, entity_ids, kinds, source_ids)
    _check_fx(c, tables, schema, source_ids)
    for table in ("entities", "relationships", "sources", "facts"):
        for row in _rows(getattr(tables, table)):   # what an XML export could not carry
            for field, message in xml_forbidden_fields(row):
                c.add(table, row, field, message)
    return sorted(fold_consequences([*tables.read_problems, *c.problems]))


def _check_sources(c: _Checker, tables: Tables, schema: Schema) -> None:
    """A publisher, a title, a URL and a date; a publisher that names an outlet is that outlet's page."""
    outlets = load_outlets(tables.root)
    for row in _rows(tables.sources):
        for field in ("publisher", "title"):
            if not row[field]:
                c.add("sources", row, field, f"missing {field}")
        if not row["url"]:
            c.add("sources", row, "url", "missing URL: every source needs one")
        elif not re.match(r"^(?:https?://[^\s/]+\.[^\s]+|file:\S+)$", row["url"]):
            c.add("sources", row, "url", f"'{row['url']}' is not an http(s) URL (or file:NAME for a "
                                         f"local article)")
        c.date("sources", row, "date")
        outlet = misnamed_outlet(row["publisher"], row["url"], outlets) if row["url"] else None
        if outlet:
            c.add("sources", row, "publisher",
                  f"'{row['publisher']}' names {outlet}, but the page is on {host_of(row['url'])}: the "
                  f"publisher is whoever publishes that page ('{outlet}, via ...' for a copy)")
        err = _one_of(row["date_basis"], schema.date_bases, "date basis")
        if err:
            c.add("sources", row, "date_basis", err)


def _check_entities(c: _Checker, tables: Tables, schema: Schema, source_ids: set[str]) -> None:
    """Names, kinds, categories, countries, tickers; every company cited by something."""
    cited: set[str] = set()
    for row in _rows(tables.relationships):
        cited.update((row["source"], row["target"]))
    for row in _rows(tables.facts):
        cited.add(row["entity"])
    for row in _rows(tables.entities):
        if not row["name"]:
            c.add("entities", row, "name", "missing name")
        err = _one_of(row["kind"], schema.node_kinds, "kind")
        if err:
            c.add("entities", row, "kind", err)
        cats = split_list(row["categories"])
        if not cats:
            c.add("entities", row, "categories", "missing category: every entity needs at least one")
        for cat in cats:
            err = _one_of(cat, schema.categories, "category")
            if err:
                c.add("entities", row, "categories", err)
        if row["kind"] == "company" and not _COUNTRY.match(row["country"]):
            c.add("entities", row, "country",
                  f"'{row['country']}' is not a two-letter ISO country code (e.g. US, KR, TW)")
        if row["ticker"] and not row["exchange"]:
            c.add("entities", row, "exchange", f"ticker '{row['ticker']}' needs its exchange")
        own = c.refs("entities", row, "source_ids", source_ids, "source", required=False)
        if row["kind"] == "company" and not own and row["id"] not in cited:
            c.add("entities", row, "source_ids",
                  f"company '{row['id']}' is cited nowhere: add a source id or a sourced relationship")


def _check_relationships(c: _Checker, tables: Tables, schema: Schema, entity_ids: set[str],
                         source_ids: set[str], kinds: dict[str, str]) -> None:
    """Known ends and type, a target of the kind the type allows, money only where the type carries
    it, a class, a date, sources; the same deal twice; look-alike rows linked (links.py)."""
    seen_deals: dict[tuple, int] = {}
    for row in _rows(tables.relationships):
        for end in ("source", "target"):
            if not row[end]:
                c.add("relationships", row, end, f"missing {end} entity")
            elif row[end] not in entity_ids:
                c.add("relationships", row, end,
                      f"unknown entity '{row[end]}'{_hint(row[end], entity_ids)}")
        if row["source"] and row["source"] == row["target"]:
            c.add("relationships", row, "target", "source and target are the same entity")
        err = _one_of(row["type"], schema.relationship_types, "relationship type")
        if err:
            c.add("relationships", row, "type", err)
        else:
            allowed = schema.relationship_types[row["type"]].get("targets")
            if allowed and row["target"] in kinds and kinds[row["target"]] not in allowed:
                c.add("relationships", row, "target",
                      f"a {row['type']} relationship must point at a {' or '.join(allowed)}, "
                      f"not a {kinds[row['target']]}")
        no_money = not err and schema.relationship_types[row["type"]].get("amount") is False
        if row["amount"] and no_money:
            c.add("relationships", row, "amount",
                  f"a {row['type']} row records a place, not money: put the investment in facts.csv as a "
                  f"site_investment fact (counterparty: the place) with the same source")
        elif row["amount"]:
            try:
                parse_amount(row["amount"])
            except ValueError as exc:
                c.add("relationships", row, "amount", str(exc))
            if not row["currency"]:
                c.add("relationships", row, "currency", "an amount needs its currency (e.g. USD)")
        elif row["amount_qualifier"]:
            c.add("relationships", row, "amount_qualifier", "a qualifier without an amount")
        if row["currency"]:
            err = _one_of(row["currency"], schema.currencies, "currency")
            if err:
                c.add("relationships", row, "currency", err)
        err = _one_of(row["amount_qualifier"], schema.amount_qualifiers, "amount qualifier")
        if err:
            c.add("relationships", row, "amount_qualifier", err)
        err = _one_of(row["status"], schema.statuses, "status")
        if err:
            c.add("relationships", row, "status", err)
        _check_class(c, row, schema)
        c.date("relationships", row, "date")
        c.refs("relationships", row, "source_ids", source_ids, "source")
        key = (row["source"], row["target"], row["type"], row["date"], row["amount"], row["product"])
        if key in seen_deals:
            c.add("relationships", row, "id",
                  f"same deal as line {seen_deals[key]} (same parties, type, date, amount and product)")
        else:
            seen_deals[key] = int(row[LINE])
    check_links(c.add, tables.relationships, tables.links, schema.links, LINE)


def _check_facts(c: _Checker, tables: Tables, schema: Schema, entity_ids: set[str],
                 kinds: dict[str, str], source_ids: set[str]) -> None:
    """A known entity and metric, a value in the metric's unit, a period, fields as the metric means them."""
    for row in _rows(tables.facts):
        if row["entity"] not in entity_ids:
            c.add("facts", row, "entity", f"unknown entity '{row['entity']}'{_hint(row['entity'], entity_ids)}")
        err = _one_of(row["metric"], schema.metrics, "metric")
        metric = None if err else schema.metrics[row["metric"]]
        if err:
            c.add("facts", row, "metric", err)
        try:
            value = parse_amount(row["value"]) if row["value"] else None
        except ValueError as exc:
            c.add("facts", row, "value", str(exc))
            value = None
        if not row["value"]:
            c.add("facts", row, "value", "missing value")
        if metric and metric["unit_kind"] == "fraction":
            if row["unit"] != "fraction":
                c.add("facts", row, "unit", f"{row['metric']} is a share: unit must be 'fraction'")
            if value is not None and value > 1:
                c.add("facts", row, "value", f"{value} is not a share between 0 and 1")
        elif metric:
            err = _one_of(row["unit"], schema.currencies, "currency")
            if err:
                c.add("facts", row, "unit", err)
        if not row["period"]:
            c.add("facts", row, "period", "missing period (e.g. FY2025)")
        err = _one_of(row["qualifier"], schema.amount_qualifiers, "qualifier")
        if err:
            c.add("facts", row, "qualifier", err)
        if row["counterparty"] and row["counterparty"] not in entity_ids:
            c.add("facts", row, "counterparty", f"unknown entity '{row['counterparty']}'")
        elif metric:
            _check_fact_fields(c, row, metric, schema, kinds)
        c.refs("facts", row, "source_id", source_ids, "source")


def _check_fx(c: _Checker, tables: Tables, schema: Schema, source_ids: set[str]) -> None:
    """Exchange rates: a known currency, a positive rate, a year or a date, and a source."""
    if tables.fx_rates is None:
        return
    seen: dict[tuple, int] = {}
    for row in _rows(tables.fx_rates):
        err = _one_of(row["currency"], [x for x in schema.currencies if x != "USD"], "currency")
        if err:
            c.add("fx_rates", row, "currency", err)
        try:
            rate = float(row["units_per_usd"])
            if not rate > 0 or rate != rate or rate == float("inf"):
                raise ValueError
        except ValueError:
            c.add("fx_rates", row, "units_per_usd", f"'{row['units_per_usd']}' is not a positive number")
        if row["kind"] not in ("annual_average", "spot"):
            c.add("fx_rates", row, "kind", f"'{row['kind']}' is not annual_average or spot")
        elif row["kind"] == "annual_average" and not re.fullmatch(r"\d{4}", row["period"]):
            c.add("fx_rates", row, "period", "an annual average's period is a year (e.g. 2025)")
        elif row["kind"] == "spot":
            c.date("fx_rates", row, "period")
        key = (row["currency"], row["period"], row["kind"])
        if key in seen:
            c.add("fx_rates", row, "period", f"a second {row['kind']} rate for {row['currency']} "
                                             f"{row['period']} (first on line {seen[key]})")
        seen[key] = int(row[LINE])
        c.refs("fx_rates", row, "source_id", source_ids, "source")


_PLACES = {"jurisdiction", "grid_region"}


def _check_class(c: _Checker, row: dict, schema: Schema) -> None:
    """A supply-type row names what it supplies, a located_in row what kind of site it is."""
    if row["type"] not in schema.relationship_types:
        return
    allowed = schema.classes_for(row["type"])
    cls = row["product_class"]
    if not allowed:
        if cls:
            c.add("relationships", row, "product_class", f"a {row['type']} relationship has no product class")
        return
    kind = schema.relationship_types[row["type"]]["class_kind"]
    if not cls:
        c.add("relationships", row, "product_class",
              f"missing {kind} class: a {row['type']} row says what it "
              f"{'supplies' if kind == 'product' else 'is'} (one of {', '.join(allowed)})")
    else:
        err = _one_of(cls, allowed, f"{kind} class")
        if err:
            c.add("relationships", row, "product_class", err)


def _check_fact_fields(c: _Checker, row: dict, metric: dict, schema: Schema, kinds: dict) -> None:
    """counterparty, segment and basis mean what the metric says they mean (data/schema.yaml)."""
    want = metric.get("counterparty")
    cp = row["counterparty"]
    if cp and not want:
        c.add("facts", row, "counterparty", f"{row['metric']} has no counterparty")
    elif want == "required" and not cp:
        c.add("facts", row, "counterparty", f"{row['metric']} needs a counterparty (an entity id)")
    elif (want == "jurisdiction" or (want == "optional_jurisdiction" and cp)) and \
            kinds.get(cp) != "jurisdiction":
        c.add("facts", row, "counterparty", f"{row['metric']} needs a jurisdiction id (e.g. jur_cn), "
                                            f"not '{cp}'")
    elif want == "place" and kinds.get(cp) not in _PLACES:
        c.add("facts", row, "counterparty", f"{row['metric']} needs a jurisdiction or grid-region id, "
                                            f"not '{cp}'")
    seg, kind = row["segment"], metric.get("segment")
    if seg and not kind:
        c.add("facts", row, "segment", f"{row['metric']} has no segment")
    elif not seg and metric.get("segment_required"):
        c.add("facts", row, "segment", f"{row['metric']} needs a segment")
    elif seg and kind in ("product_class", "category"):
        allowed = schema.product_classes if kind == "product_class" else schema.categories
        err = _one_of(seg, allowed, kind.replace("_", " "))
        if err:
            c.add("facts", row, "segment", err)
    basis = row["basis"]
    if metric.get("needs_basis"):
        err = None if basis else "missing basis: say how the filing assigns revenue to places"
        err = err or _one_of(basis, schema.bases, "basis")
        if err:
            c.add("facts", row, "basis", err)
    elif basis:
        c.add("facts", row, "basis", f"{row['metric']} has no basis (only revenue_share_region does)")


