"""`capexgraph validate` on small broken datasets: every message names file, row and field."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from capexgraph.ingest import COLUMNS


def edit(root: Path, table: str, index: int, field: str, value: str) -> int:
    """Set one cell (data row `index`, 0-based) and return its line number in the file."""
    path = root / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[index][field] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS[table], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return index + 2


def test_fixture_is_valid(cli, mini):
    r = cli("validate", "--data", mini)
    assert r.code == 0, r.err
    assert "no problems" in r.out


CASES = [
    # table, row, field, bad value, words the message must contain
    ("relationships", 0, "target", "nvdia", "unknown entity 'nvdia' (did you mean 'nvidia'?)"),
    ("relationships", 0, "type", "suplies", "unknown relationship type 'suplies'"),
    ("relationships", 0, "date", "2025-13-01", "not a real date"),
    ("relationships", 0, "date", "27/01/2026", "is not a date"),
    ("relationships", 0, "date", "2999-01-01", "in the future"),
    ("relationships", 0, "amount", "-5", "negative"),
    ("relationships", 0, "amount", "six billion", "is not a number"),
    ("relationships", 0, "source_ids", "", "missing source"),
    ("relationships", 0, "source_ids", "nope", "unknown source 'nope'"),
    ("relationships", 0, "status", "signed", "unknown status 'signed'"),
    ("entities", 0, "categories", "gpu", "unknown category 'gpu'"),
    ("entities", 1, "id", "FOO BAR", "must be lowercase"),
    ("entities", 0, "country", "USA", "two-letter ISO country code"),
    ("sources", 0, "url", "", "missing URL"),
    ("sources", 0, "url", "www.example.com/x", "not an http(s) URL"),
    ("sources", 0, "date", "", "missing date"),
    ("facts", 0, "value", "abc", "is not a number"),
    ("facts", 0, "metric", "profit", "unknown metric 'profit'"),
]


@pytest.mark.parametrize("table,index,field,value,words", CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3] or 'empty'}" for c in CASES])
def test_each_error_names_file_row_and_field(cli, mini, table, index, field, value, words):
    line = edit(mini, table, index, field, value)
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert "Traceback" not in r.err
    expected = f"{mini / (table + '.csv')}:{line}: field '{field}': "
    hits = [l for l in r.err.splitlines() if l.startswith(expected)]
    assert hits, r.err
    assert any(words in h for h in hits), r.err


def test_a_company_nothing_cites_is_refused(cli, mini):
    """Corning's only relationship is re-pointed at Microsoft: Corning is now cited nowhere."""
    edit(mini, "relationships", 0, "source", "microsoft")
    with open(mini / "entities.csv", encoding="utf-8") as fh:
        line = next(i for i, r in enumerate(csv.DictReader(fh), start=2) if r["id"] == "corning")
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert (f"{mini / 'entities.csv'}:{line}: field 'source_ids': company 'corning' is cited nowhere"
            in r.err), r.err


def test_duplicate_id_points_at_first_use(cli, mini):
    with open(mini / "entities.csv", encoding="utf-8") as fh:
        first = list(csv.DictReader(fh))[0]["id"]
    line = edit(mini, "entities", 2, "id", first)
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert f"entities.csv:{line}: field 'id': duplicate id '{first}' (first used on line 2)" in r.err


def test_all_problems_are_reported_at_once(cli, mini):
    edit(mini, "relationships", 2, "target", "nobody")
    edit(mini, "sources", 1, "date", "soon")
    edit(mini, "entities", 0, "categories", "")
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert "3 problems found" in r.err
    for words in ("unknown entity 'nobody'", "'soon' is not a date", "missing category"):
        assert words in r.err


def test_missing_file_and_column(cli, mini):
    (mini / "facts.csv").unlink()
    text = (mini / "sources.csv").read_text(encoding="utf-8").replace("publisher,", "publsher,", 1)
    (mini / "sources.csv").write_text(text, encoding="utf-8")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "facts.csv: missing file" in r.err
    assert "sources.csv:1: field 'publisher': missing column" in r.err
    assert "sources.csv:1: field 'publsher': unknown column" in r.err


def test_non_utf8_file(cli, mini):
    (mini / "entities.csv").write_bytes("id,name\nx,Caf\xe9\n".encode("latin-1"))
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "entities.csv: not UTF-8 text" in r.err


def test_build_refuses_invalid_data_with_same_messages(cli, mini, tmp_path):
    edit(mini, "relationships", 0, "target", "nvdia")
    out = tmp_path / "g.json"
    r = cli("export", "--format", "json", "--out", out, "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "unknown entity 'nvdia' (did you mean 'nvidia'?)" in r.err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [mini]  # nothing half-written beside it


def test_not_a_dataset_folder(cli, tmp_path):
    r = cli("stats", "--data", tmp_path / "nowhere")
    assert r.code == 1 and "Traceback" not in r.err
    assert "not a directory holding a capexgraph dataset" in r.err
