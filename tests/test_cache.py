"""The built dataset kept between `exposure` runs (graph/cache.py): the same answer as a fresh
build, rebuilt when a table changes, never a refusal or a damaged file kept."""
from __future__ import annotations

import csv

import pytest


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAPEXGRAPH_CACHE", str(folder))
    return folder


def _exposure(cli, data, *extra):
    return cli("--shock", "capex_cut", "--data", data, "--format", "json", *extra,
               module="capexgraph.cli.exposure")


def test_a_cached_run_answers_as_a_fresh_build(cli, mini, cache, monkeypatch):
    first = _exposure(cli, mini)
    assert first.code == 0, first.err
    assert len(list(cache.glob("dataset-*.pickle"))) == 1
    again = _exposure(cli, mini)
    monkeypatch.setenv("CAPEXGRAPH_CACHE", "off")
    fresh = _exposure(cli, mini)
    assert again.out == first.out == fresh.out
    assert len(list(cache.glob("dataset-*.pickle"))) == 1   # the second run read it


def test_an_edited_table_is_read_again(cli, mini, cache, monkeypatch):
    before = _exposure(cli, mini)
    path = mini / "facts.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["value"] = "0.31"                   # Microsoft's share of CoreWeave's revenue, halved
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    after = _exposure(cli, mini)
    assert after.code == 0 and after.out != before.out
    assert len(list(cache.glob("dataset-*.pickle"))) == 2
    with monkeypatch.context() as m:
        m.setenv("CAPEXGRAPH_CACHE", "off")
        assert _exposure(cli, mini).out == after.out
    rows[0]["metric"] = "revenue_shared"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    for _ in range(2):                          # a refusal is never kept: checked every run
        bad = _exposure(cli, mini)
        assert bad.code == 1 and "unknown metric 'revenue_shared'" in bad.err
    assert len(list(cache.glob("dataset-*.pickle"))) == 2


def test_a_damaged_or_unwritable_cache_is_ignored(cli, mini, cache):
    good = _exposure(cli, mini)
    (entry,) = cache.glob("dataset-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert _exposure(cli, mini).out == good.out
    for p in cache.iterdir():
        p.unlink()
    cache.rmdir()
    cache.write_text("a file where the folder should be", encoding="utf-8")
    r = _exposure(cli, mini)
    assert r.code == 0 and r.out == good.out and not r.err
