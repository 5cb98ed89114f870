"""Reading the dataset's CSV tables, keeping each record's line number for error messages."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .problems import DataError, Problem

#: Columns of each table, in the order the files are written. All must be present.
COLUMNS: dict[str, list[str]] = {
    "entities": ["id", "name", "name_ko", "aliases", "ticker", "exchange", "country",
                 "categories", "kind", "source_ids", "note"],
    "relationships": ["id", "source", "target", "type", "product", "product_class", "amount", "currency",
                      "amount_qualifier", "term", "date", "status", "source_ids", "note"],
    "sources": ["id", "publisher", "title", "url", "date", "date_basis"],
    "facts": ["id", "entity", "metric", "value", "unit", "period", "qualifier", "counterparty",
              "segment", "basis", "source_id", "note"],
    "fx_rates": ["currency", "period", "units_per_usd", "kind", "source_id", "note"],
}
#: Tables a dataset may leave out (an empty one is assumed).
OPTIONAL = {"fx_rates"}
LINE = "_line"  # the column holding each record's line number in its file


def default_data_dir() -> Path:
    """The dataset shipped inside the package (data/ in the repository)."""
    return Path(str(resources.files("capexgraph.data")))


@dataclass
class Tables:
    """The raw tables as rows of strings (each with its line number), plus where they came from.

    Plain rows, as the CSV reader gives them: every consumer reads row by row, and the command a
    user runs most does not pay for a DataFrame library it would only convert back."""

    root: Path
    entities: list[dict[str, str]]
    relationships: list[dict[str, str]]
    sources: list[dict[str, str]]
    facts: list[dict[str, str]]
    fx_rates: list[dict[str, str]] | None = None

    def file(self, table: str) -> str:
        return str(self.root / f"{table}.csv")


def _read_table(path: Path, table: str, problems: list[Problem]) -> list[dict[str, str]]:
    empty: list[dict[str, str]] = []
    if not path.exists():
        if table not in OPTIONAL:
            problems.append(Problem(str(path), 0, "", f"missing file (the {table} table)"))
        return empty
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS[table] if c not in header]
            unknown = [c for c in header if c not in COLUMNS[table]]
            for c in missing:
                problems.append(Problem(str(path), 1, c, "missing column"))
            for c in unknown:
                problems.append(Problem(str(path), 1, c or "(empty)",
                                        f"unknown column; expected {', '.join(COLUMNS[table])}"))
            records = []
            for rec in reader:
                if None in rec:  # more cells than header columns
                    problems.append(Problem(str(path), reader.line_num, "",
                                            "more cells than the header has columns"))
                    rec.pop(None)
                row = {c: (rec.get(c) or "").strip() for c in COLUMNS[table]}
                if not any(row.values()):
                    continue  # blank line
                row[LINE] = reader.line_num
                records.append(row)
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), 0, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return empty
    except csv.Error as exc:
        problems.append(Problem(str(path), 0, "", f"not a readable CSV file: {exc}"))
        return empty
    return records


def read_tables(root: Path | str | None = None) -> Tables:
    """Read all tables; raise DataError naming every file that is missing or malformed."""
    root = Path(root) if root is not None else default_data_dir()
    if not root.is_dir():
        raise DataError([Problem(str(root), 0, "", "not a directory holding a capexgraph dataset")])
    problems: list[Problem] = []
    frames = {t: _read_table(root / f"{t}.csv", t, problems) for t in COLUMNS}
    if problems:
        raise DataError(problems)
    return Tables(root=root, **frames)
