"""The reviewable candidates file of `capexgraph ingest-news`, and its merge into a dataset
(`capexgraph accept`).

One row per proposed relationship (`kind` = relationship) or proposed new company (`kind` =
entity). A reviewer writes `yes` in `accept` for the rows to keep, may correct any cell (an id, a
type, an amount), and fills `categories` and `country` for new companies. `accept` then merges
the accepted rows: the article becomes a source (found again by its URL, so re-running creates no
duplicate), a candidate that matches a relationship already in the dataset adds its source to it,
and nothing is written unless the whole merged dataset validates.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .articles import Article
from .deals import Candidate
from .parse import parse_amount, parse_date, split_list
from .problems import DataError, Problem
from .schema import Schema
from .tables import COLUMNS, read_tables
from .atomic import all_or_nothing, atomic_file, write_text
from .user_files import InputError, parse_csv, read_text
from .validate import validate_tables

CANDIDATE_COLUMNS = [
    "candidate_id", "accept", "kind", "confidence", "source", "source_name", "type", "target",
    "target_name", "product", "product_class", "amount", "currency", "amount_qualifier", "amount_usd", "date", "status",
    "evidence", "in_dataset", "article", "article_title", "publisher", "url", "article_date",
    "name_ko", "categories", "country", "note", "rule",
]
YES = {"yes", "y", "true", "1", "x", "accept", "accepted", "ok", "예", "o", "✓"}
NO = {"", "no", "n", "false", "0", "reject", "rejected", "skip", "아니오"}


def candidate_id(*parts: str) -> str:
    """A stable id: the same article and deal give the same id on every run."""
    return "c-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


def _deal_date(article: Article, evidence: str) -> str:
    """The announcement date: the article's, or an earlier day of its month that the sentence
    names ('27일(현지시간)', 'on June 11'); empty when the article has no date."""
    if article.date is None:
        return ""
    d = article.date
    m = re.search(r"(\d{1,2})일\s*\(현지", evidence) or re.search(
        r"\b(?:on|On)\s+(?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December)\s+(\d{1,2})\b", evidence)
    if m:
        day = int(m.group(1))
        if day <= d.day:
            return dt.date(d.year, d.month, day).isoformat()
    return d.isoformat()


def _existing_match(rels: list[dict], c: dict) -> dict | None:
    """A relationship in the dataset that is the same deal as candidate row `c`."""
    for r in rels:
        same = (r["source"], r["target"], r["type"]) == (c["source"], c["target"], c["type"])
        if c["type"] == "partners_with":
            same = same or ((r["target"], r["source"], r["type"]) == (c["source"], c["target"], c["type"]))
        if not same:
            continue
        if c.get("amount") and r.get("amount"):
            try:
                a, b = parse_amount(c["amount"]), parse_amount(r["amount"])
            except ValueError:
                continue
            if r.get("currency") == c.get("currency") and abs(a - b) <= 0.05 * max(a, b):
                return r
            continue
        if c.get("date") and r.get("date") and r["date"][:7] == c["date"][:7]:
            return r
        if not c.get("amount") and not c.get("date"):
            return r
    return None


def candidate_rows(article: Article, cands: Iterable[Candidate], names: dict[str, str],
                   existing: list[dict]) -> list[dict[str, Any]]:
    """Rows of the candidates file for one article: its relationships, then the new companies."""
    rows: list[dict[str, Any]] = []
    new: dict[str, tuple[str, str]] = {}
    where = article.url or article.name
    for c in cands:
        date = _deal_date(article, c.evidence)
        row = {
            "candidate_id": candidate_id(where, c.source, c.target, c.type), "accept": "",
            "kind": "relationship", "confidence": f"{c.confidence:.2f}",
            "source": c.source, "source_name": c.new_entities.get(c.source) or names.get(c.source, c.source),
            "type": c.type,
            "target": c.target, "target_name": c.new_entities.get(c.target) or names.get(c.target, c.target),
            "product": c.product or "", "product_class": c.product_class or "",
            "amount": f"{c.amount:.0f}" if c.amount is not None else "",
            "currency": c.currency or "", "amount_qualifier": c.amount_qualifier or "",
            "amount_usd": f"{c.amount:.0f}" if c.amount is not None and c.currency == "USD" else "",
            "date": date, "status": c.status, "evidence": c.evidence,
            "article": str(article.path), "article_title": article.title or "",
            "publisher": article.publisher or "", "url": article.url or "",
            "article_date": article.date.isoformat() if article.date else "",
            "name_ko": "", "categories": "", "country": "", "note": "", "rule": c.rule,
        }
        match = _existing_match(existing, row)
        row["in_dataset"] = match["id"] if match else ""
        rows.append(row)
        for eid, name in c.new_entities.items():
            new.setdefault(eid, (name, c.evidence))
    for eid, (name, evidence) in new.items():
        hangul = bool(re.search(r"[\uac00-\ud7a3]", name))
        rows.append({
            **{k: "" for k in CANDIDATE_COLUMNS},
            "candidate_id": candidate_id(where, "entity", eid), "kind": "entity",
            "source": eid, "source_name": "" if hangul else name, "name_ko": name if hangul else "",
            "evidence": evidence, "article": str(article.path), "article_title": article.title or "",
            "publisher": article.publisher or "", "url": article.url or "",
            "article_date": article.date.isoformat() if article.date else "",
            "note": "new company: fill source_name (English name), categories and country to accept",
        })
    return rows


def write_candidates(path: Path, rows: list[dict[str, Any]]) -> int:
    """Write the candidates file; a reviewer's `accept` marks and edits in an earlier version of
    the same file are kept (matched by candidate_id). The file appears only once complete."""
    path = Path(path)
    previous: dict[str, dict] = {}
    if path.exists():
        try:
            for r in read_candidates(path):
                previous[r["candidate_id"]] = r
        except DataError:
            previous = {}
    kept = 0
    merged = []
    for r in rows:
        old = previous.get(r["candidate_id"])
        if old and (old.get("accept") or "").strip():
            # the reviewer's values win; cells they left empty take this run's values
            r = {**r, **{k: old[k] for k in CANDIDATE_COLUMNS
                         if old.get(k) and k not in ("rule", "confidence", "evidence")}}
            kept += 1
        merged.append(r)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CANDIDATE_COLUMNS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(merged)
    write_text(path, buf.getvalue())
    return kept


def read_candidates(path: Path) -> list[dict[str, str]]:
    """The rows of a candidates file, each with its line number under '_line'. The columns must be
    exactly those `ingest-news` writes: a file missing `url` or `amount` would otherwise add rows
    without a source or without their amount; a row with a cell too many or too few is refused as
    one problem, not as every field it shifts."""
    path = Path(path)
    problems: list[Problem] = []
    try:
        text = read_text(path, "a candidates file (written by `capexgraph ingest-news`)")
    except InputError as exc:
        raise DataError([exc.problem or Problem(str(path), 0, "", str(exc))]) from None
    table = parse_csv(text, str(path), CANDIDATE_COLUMNS, CANDIDATE_COLUMNS, problems)
    for p in problems:
        if p.row == 1 and "missing column" in p.message:
            problems[problems.index(p)] = Problem(p.file, 1, p.field, p.message + " (is this a candidates "
                                                  "file written by `capexgraph ingest-news`?)")
    if problems:
        raise DataError(problems)
    rows = []
    for line, rec in table.rows:
        row = {c: rec.get(c, "") for c in CANDIDATE_COLUMNS}
        row["_line"] = line
        rows.append(row)
    return rows


@dataclass
class MergeReport:
    relationships_added: list[str] = field(default_factory=list)
    relationships_sourced: list[str] = field(default_factory=list)   # existing rows given a new source
    unchanged: list[str] = field(default_factory=list)               # already had this source
    entities_added: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    rejected: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.relationships_added or self.relationships_sourced or self.entities_added)


def _table_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if k != "_line"} for r in rows]


def write_table(path: Path, table: str, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS[table], lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS[table]})


def _check_new_entity(row: dict, known: set[str], schema: Schema, bad: Callable[[dict, str, str], None]) -> None:
    """A new company has a fresh valid id, a name, a known category and a country code."""
    eid = row["source"]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", eid):
        bad(row, "source", f"'{eid}' is not a valid id (lowercase letters, digits, '_' or '-')")
    elif eid in known:
        bad(row, "source", f"entity '{eid}' is already in the dataset; use that id in the "
                           f"relationship rows and leave this row unaccepted")
    if not row["source_name"]:
        bad(row, "source_name", "a new company needs its name")
    cats = split_list(row["categories"])
    if not cats:
        bad(row, "categories", f"a new company needs a category ({', '.join(schema.categories)})")
    for c in cats:
        if c not in schema.categories:
            bad(row, "categories", f"unknown category '{c}'")
    if not re.fullmatch(r"[A-Z]{2}", row["country"]):
        bad(row, "country", f"'{row['country']}' is not a two-letter ISO country code (e.g. US, KR)")


def _check_relationship_row(row: dict, known: set[str], schema: Schema, today: dt.date,
                            bad: Callable[[dict, str, str], None]) -> None:
    """An accepted relationship names known companies, a known type with its class, a parseable
    amount, known qualifiers and status, dates not in the future, and its article's source."""
    for end in ("source", "target"):
        if row[end] not in known:
            bad(row, end, f"unknown entity '{row[end]}': accept its entity row (with categories "
                          f"and country) or write the id of a company already in the dataset")
    if row["type"] not in schema.relationship_types:
        bad(row, "type", f"unknown relationship type '{row['type']}'; valid: {', '.join(schema.relationship_types)}")
    else:
        classes = schema.classes_for(row["type"])
        cls = row.get("product_class", "")
        if classes and cls not in classes:
            bad(row, "product_class", f"a {row['type']} row says what it supplies: write one of "
                                      f"{', '.join(classes)}" + (f" (not '{cls}')" if cls else ""))
        elif not classes and cls:
            bad(row, "product_class", f"a {row['type']} row has no product class")
    if row["amount"]:
        try:
            parse_amount(row["amount"])
        except ValueError as exc:
            bad(row, "amount", str(exc))
        if row["currency"] not in schema.currencies:
            bad(row, "currency", f"unknown currency '{row['currency']}'")
    if row["amount_qualifier"] not in schema.amount_qualifiers:
        bad(row, "amount_qualifier", f"unknown amount qualifier '{row['amount_qualifier']}'")
    if row["status"] not in schema.statuses:
        bad(row, "status", f"unknown status '{row['status']}'")
    for field_ in ("date", "article_date"):
        if not row[field_]:
            bad(row, field_, "missing date: the article's date is not known; write it (YYYY-MM-DD)")
            continue
        try:
            value, _ = parse_date(row[field_])
            if value > today:
                bad(row, field_, f"date {row[field_]} is in the future (today is {today})")
        except ValueError as exc:
            bad(row, field_, str(exc))
    for field_ in ("publisher", "article_title"):
        if not row[field_]:
            bad(row, field_, f"missing {field_.replace('_', ' ')}: every source needs one")
    url = row["url"] or (f"file:{Path(row['article']).name}" if row["article"] else "")
    if not url:
        bad(row, "url", "missing URL or article file")
    row["_url"] = url


def _validate_and_write(tables, entities: list[dict], rels: list[dict], sources: list[dict], schema: Schema,
                        today: dt.date, cpath: Path, data_dir: Path | None) -> None:
    """The merged dataset validates as a whole or nothing is written; then, unless `data_dir` is
    None (a dry run, or nothing to change), the changed tables move into place together."""
    # validate the merged dataset as a whole before anything is written
    with tempfile.TemporaryDirectory(prefix="capexgraph-accept-") as tmp:
        tmp = Path(tmp)
        for table, data in (("entities", entities), ("relationships", rels), ("sources", sources),
                            ("facts", _table_rows(tables.facts))):
            write_table(tmp / f"{table}.csv", table, data)
        for table in ("fx_rates", "links"):   # unchanged, but the merged rows are checked against them
            if getattr(tables, table):
                write_table(tmp / f"{table}.csv", table, _table_rows(getattr(tables, table)))
        merged = validate_tables(read_tables(tmp), schema, today)
        if merged:
            raise DataError([Problem(str(cpath), 0, "", f"the merged dataset would not validate: {p}")
                             for p in merged])
        if data_dir is not None:
            # every table is staged beside its target first and only then moved into place (with
            # rollback), so a failure while writing changes nothing
            with all_or_nothing():
                for table in ("entities", "sources", "relationships"):
                    with atomic_file(data_dir / f"{table}.csv") as staged:
                        shutil.copyfile(tmp / f"{table}.csv", staged)


def merge_candidates(candidates_path: Path, data_dir: Path, schema: Schema | None = None,
                     today: dt.date | None = None, dry_run: bool = False) -> MergeReport:
    """Merge the accepted rows of a candidates file into the dataset in `data_dir`.

    Every problem (a row naming an unknown company, a new company without a category, a missing
    source date ...) is reported with the candidates file's line and field, and nothing is written.
    """
    schema = schema or Schema.load()
    today = today or dt.date.today()
    cpath = Path(candidates_path)
    rows = read_candidates(cpath)
    tables = read_tables(data_dir)
    entities = _table_rows(tables.entities)
    rels = _table_rows(tables.relationships)
    sources = _table_rows(tables.sources)
    known = {e["id"] for e in entities}
    problems: list[Problem] = []
    report = MergeReport()

    def bad(row: dict, field_: str, message: str) -> None:
        problems.append(Problem(str(cpath), int(row["_line"]), field_, message))

    accepted = []
    for row in rows:
        mark = row["accept"].lower()
        if mark in YES:
            accepted.append(row)
        elif mark in NO:
            report.rejected += 1
        else:
            bad(row, "accept", f"'{row['accept']}' is neither yes nor no (write yes to merge the row, "
                               f"leave it empty to skip it)")

    new_entities = [r for r in accepted if r["kind"] == "entity"]
    for row in new_entities:
        _check_new_entity(row, known, schema, bad)
    known |= {r["source"] for r in new_entities}

    source_by_url = {s["url"]: s["id"] for s in sources}
    numbers = [int(m.group(1)) for s in sources if (m := re.fullmatch(r"s(\d+)", s["id"]))]
    next_source = max(numbers, default=0) + 1
    rel_ids = {r["id"] for r in rels}
    added_sources: dict[str, str] = {}

    for row in [r for r in accepted if r["kind"] == "relationship"]:
        _check_relationship_row(row, known, schema, today, bad)
    if problems:
        raise DataError(problems)

    for row in new_entities:
        entities.append({"id": row["source"], "name": row["source_name"], "name_ko": row["name_ko"],
                         "aliases": "", "ticker": "", "exchange": "", "country": row["country"],
                         "categories": row["categories"], "kind": "company", "source_ids": "",
                         "note": row["note"] if not row["note"].startswith("new company:") else ""})
        report.entities_added.append(row["source"])

    for row in [r for r in accepted if r["kind"] == "relationship"]:
        url = row["_url"]
        sid = source_by_url.get(url)
        if sid is None:
            sid = f"s{next_source:04d}"
            next_source += 1
            sources.append({"id": sid, "publisher": row["publisher"], "title": row["article_title"],
                            "url": url, "date": row["article_date"]})
            source_by_url[url] = sid
            added_sources[url] = sid
            report.sources_added.append(sid)
        match = _existing_match(rels, row)
        if match is not None:
            ids = split_list(match["source_ids"])
            if sid in ids:
                report.unchanged.append(match["id"])
            else:
                match["source_ids"] = ";".join([*ids, sid])
                report.relationships_sourced.append(match["id"])
            continue
        base = f"{row['source']}-{row['type']}-{row['target']}-{row['date'][:7].replace('-', '')}".replace("_", "-")
        rid, n = base, 2
        while rid in rel_ids:
            rid, n = f"{base}-{n}", n + 1
        rel_ids.add(rid)
        evidence = row["evidence"]
        rels.append({
            "id": rid, "source": row["source"], "target": row["target"], "type": row["type"],
            "product": row["product"], "product_class": row.get("product_class", ""),
            "amount": row["amount"], "currency": row["currency"] if row["amount"] else "",
            "amount_qualifier": row["amount_qualifier"] if row["amount"] else "", "term": "",
            "date": row["date"], "status": row["status"], "source_ids": sid,
            "note": row["note"] or f"Evidence: {evidence[:180]}{'...' if len(evidence) > 180 else ''}",
        })
        report.relationships_added.append(rid)

    _validate_and_write(tables, entities, rels, sources, schema, today, cpath,
                        None if dry_run or not report.changed else Path(data_dir))
    return report
