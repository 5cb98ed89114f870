"""Market event days and one-day price moves (data/events/), read and checked like the dataset.

`events.csv` names each day, the scenario it tests, whether it tightened or eased the shock and
which set it belongs to (development or held aside, fixed by the rule in data/events/README.md);
`moves.csv` holds each listed company's one-day % move with the source that states it;
`sources.csv` those sources. Every problem names file, line and field.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .parse import parse_date
from .problems import DataError, Problem

EVENT_COLUMNS = ["event", "date", "scenario", "direction", "set", "title", "description", "source_ids"]
MOVE_COLUMNS = ["event", "ticker", "entity", "pct_change", "basis", "source_id", "note"]
SOURCE_COLUMNS = ["id", "publisher", "title", "url", "date", "date_basis"]
DIRECTIONS = ("shock", "easing")
SETS = ("development", "held_aside")
BASES = ("quoted", "computed")

#: The broad index a listing is adjusted by (data/events/README.md): by exchange, or by a foreign
#: listing's ticker suffix (an ADR with no suffix trades in the US).
INDEX_BY_EXCHANGE = {"NASDAQ": "^GSPC", "NYSE": "^GSPC", "NYSE American": "^GSPC", "TWSE": "^TWII",
                     "KRX": "^KS11", "TSE": "^N225", "Euronext Amsterdam": "^AEX",
                     "XETRA": "^STOXX50E", "Euronext Paris": "^STOXX50E", "Euronext Milan": "^STOXX50E",
                     "SIX": "^STOXX50E", "Nasdaq Helsinki": "^STOXX50E", "Oslo Bors": "^STOXX50E"}
INDEX_BY_SUFFIX = {".AS": "^AEX", ".T": "^N225", ".KS": "^KS11", ".TW": "^TWII", ".DE": "^STOXX50E",
                   ".PA": "^STOXX50E", ".MI": "^STOXX50E"}


def default_events_dir() -> Path:
    return Path(str(resources.files("capexgraph.data").joinpath("events")))


@dataclass
class Move:
    event: str
    ticker: str
    entity: str | None
    pct_change: float
    basis: str
    source: dict
    note: str


@dataclass
class Event:
    event: str
    date: dt.date
    scenario: str
    direction: str
    set: str
    title: str
    description: str
    sources: list[dict]
    moves: list[Move] = field(default_factory=list)

    def index_move(self, index: str) -> float | None:
        for m in self.moves:
            if m.ticker == index and not m.entity:
                return m.pct_change
        return None


def _read(path: Path, columns: list[str], problems: list[Problem]) -> list[tuple[int, dict]]:
    if not path.exists():
        problems.append(Problem(str(path), 0, "", "missing file"))
        return []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            for c in columns:
                if c not in header:
                    problems.append(Problem(str(path), 1, c, "missing column"))
            if any(c not in header for c in columns):
                return []
            return [(reader.line_num, {c: (r.get(c) or "").strip() for c in columns}) for r in reader]
    except UnicodeDecodeError:
        problems.append(Problem(str(path), 0, "", "not UTF-8 text"))
        return []


def load_events(root: Path | str | None = None) -> list[Event]:
    """Read and check the event files; raise DataError listing every problem otherwise."""
    root = Path(root) if root else default_events_dir()
    problems: list[Problem] = []
    files = {n: root / f"{n}.csv" for n in ("events", "moves", "sources")}
    srcs: dict[str, dict] = {}
    for line, r in _read(files["sources"], SOURCE_COLUMNS, problems):
        where = (str(files["sources"]), line)
        try:
            date, _ = parse_date(r["date"])
        except ValueError as exc:
            problems.append(Problem(*where, "date", str(exc)))
            continue
        if not r["url"].startswith(("http://", "https://")):
            problems.append(Problem(*where, "url", "missing or not an http(s) URL"))
        if r["date_basis"] not in ("", "text"):
            problems.append(Problem(*where, "date_basis", "use empty (date shown) or 'text'"))
        srcs[r["id"]] = {**r, "date": date}
    events: dict[str, Event] = {}
    for line, r in _read(files["events"], EVENT_COLUMNS, problems):
        where = (str(files["events"]), line)
        bad = [(f, f"'{r[f]}' is not one of {', '.join(ok)}") for f, ok in
               (("direction", DIRECTIONS), ("set", SETS)) if r[f] not in ok]
        try:
            date, _ = parse_date(r["date"])
        except ValueError as exc:
            bad.append(("date", str(exc)))
        ids = [i for i in r["source_ids"].split(";") if i]
        bad += [("source_ids", f"unknown source '{i}'") for i in ids if i not in srcs]
        if not r["event"] or r["event"] in events:
            bad.append(("event", "missing or duplicate event id"))
        for f, msg in bad:
            problems.append(Problem(*where, f, msg))
        if not bad:
            events[r["event"]] = Event(r["event"], date, r["scenario"], r["direction"], r["set"],
                                       r["title"], r["description"], [srcs[i] for i in ids])
    seen: set[tuple[str, str]] = set()
    for line, r in _read(files["moves"], MOVE_COLUMNS, problems):
        where = (str(files["moves"]), line)
        bad = []
        if r["event"] not in events:
            bad.append(("event", f"unknown event '{r['event']}'"))
        try:
            pct = float(r["pct_change"])
            if not -100 <= pct <= 1000:
                bad.append(("pct_change", f"{pct} is not a one-day % move"))
        except ValueError:
            pct = 0.0
            bad.append(("pct_change", f"'{r['pct_change']}' is not a number"))
        if r["basis"] not in BASES:
            bad.append(("basis", f"'{r['basis']}' is not one of {', '.join(BASES)}"))
        if r["source_id"] not in srcs:
            bad.append(("source_id", f"unknown source '{r['source_id']}'"))
        if (r["event"], r["ticker"]) in seen:
            bad.append(("ticker", f"a second move for {r['ticker']} on {r['event']}"))
        seen.add((r["event"], r["ticker"]))
        for f, msg in bad:
            problems.append(Problem(*where, f, msg))
        if not bad:
            events[r["event"]].moves.append(Move(r["event"], r["ticker"], r["entity"] or None, pct,
                                                 r["basis"], srcs[r["source_id"]], r["note"]))
    if problems:
        raise DataError(sorted(problems))
    return sorted(events.values(), key=lambda e: (e.scenario, e.date, e.event))
