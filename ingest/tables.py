"""Reading the dataset's CSV tables, keeping each record's line number for error messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .problems import DataError, Problem
from .user_files import InputError, parse_csv, read_bytes, utf8_problem

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
    "links": ["row_id", "link", "other_id", "note"],
}
#: Tables a dataset may leave out (an empty one is assumed).
OPTIONAL = {"fx_rates", "links"}
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
    links: list[dict[str, str]] | None = None
    #: what was wrong with the files themselves (encoding, header, ragged rows); validation adds
    #: these to its own list, so a user sees every problem at once
    read_problems: list[Problem] = field(default_factory=list)

    def file(self, table: str) -> str:
        return str(self.root / f"{table}.csv")


def _read_table(path: Path, table: str, problems: list[Problem]) -> list[dict[str, str]]:
    """A table's rows; what is wrong with the file goes to `problems` and reading goes on where it
    can, so one bad byte or one ragged row does not hide the rest of a dataset's problems."""
    empty: list[dict[str, str]] = []
    if not path.exists():
        if table not in OPTIONAL:
            problems.append(Problem(str(path), 0, "", f"missing file (the {table} table)"))
        return empty
    try:
        data = read_bytes(path, f"the {table} table")
    except InputError as exc:
        problems.append(exc.problem or Problem(str(path), 0, "", str(exc)))
        return empty
    bad = utf8_problem(data)
    if bad is not None:
        problems.append(Problem(str(path), bad[0], "", bad[1]))
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    parsed = parse_csv(text, str(path), COLUMNS[table], COLUMNS[table], problems)
    records = []
    for line, rec in parsed.rows:
        row = {c: rec.get(c, "") for c in COLUMNS[table]}
        row[LINE] = line
        records.append(row)
    return records


def read_tables(root: Path | str | None = None) -> Tables:
    """Read all tables; what is wrong with the files travels in `read_problems` (validation reports
    it with the rest); only a folder that is not a dataset raises DataError here."""
    root = Path(root) if root is not None else default_data_dir()
    if not root.is_dir():
        raise DataError([Problem(str(root), 0, "", "not a directory holding a capexgraph dataset")])
    problems: list[Problem] = []
    frames = {t: _read_table(root / f"{t}.csv", t, problems) for t in COLUMNS}
    return Tables(root=root, **frames, read_problems=problems)
