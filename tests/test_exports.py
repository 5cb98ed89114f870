"""Every export format, written by the real CLI, reads back with nodes, edges and attributes intact."""
from __future__ import annotations

import datetime as dt

import pytest

from capexgraph.graph import FORMATS, load_graph, read_graph

NODE_KEYS = ["name", "name_ko", "ticker", "exchange", "country", "category", "kind", "aliases",
             "revenue_usd", "facts"]
EDGE_KEYS = ["type", "product", "product_class", "amount", "currency", "amount_qualifier", "amount_usd", "term",
             "date", "date_precision", "status", "source_ids", "sources", "note"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip(cli, mini, tmp_path, fmt):
    out = tmp_path / ("csvdir" if fmt == "csv" else f"graph.{fmt}")
    r = cli("export", "--format", fmt, "--out", out, "--data", mini)
    assert r.code == 0, r.err
    original = load_graph(mini)
    back = read_graph(fmt, out)
    assert set(back.nodes) == set(original.nodes)
    assert set(back.edges(keys=True)) == set(original.edges(keys=True))
    for n, data in original.nodes(data=True):
        for key in NODE_KEYS:
            assert back.nodes[n][key] == data[key], (fmt, n, key)
    for u, v, k, data in original.edges(keys=True, data=True):
        for key in EDGE_KEYS:
            assert back.edges[u, v, k][key] == data[key], (fmt, k, key)
    # typed, not strings
    some = next(iter(back.edges(keys=True, data=True)))[3]
    assert isinstance(some["date"], dt.date)
    assert isinstance(some["sources"][0]["date"], dt.date)


def test_json_has_the_documented_fields(cli, mini, tmp_path):
    import json

    out = tmp_path / "g.json"
    assert cli("export", "--format", "json", "--out", out, "--data", mini).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    node = next(n for n in data["nodes"] if n["id"] == "corning")
    assert node["name"] == "Corning" and node["name_ko"] == "코닝" and node["ticker"] == "GLW"
    assert node["category"] == ["optics_fiber"] and node["country"] == "US"
    link = next(e for e in data["links"] if e["source"] == "corning" and e["target"] == "meta")
    assert link["type"] == "supplies" and link["amount_usd"] == 6e9 and link["date"] == "2026-01-27"
    assert {"publisher", "title", "url", "date"} <= set(link["sources"][0])


def test_export_refuses_folder_for_file_format(cli, mini, tmp_path):
    r = cli("export", "--format", "json", "--out", tmp_path, "--data", mini)
    assert r.code == 2 and "Traceback" not in r.err
    assert "writes a file, and a folder is there" in r.err


def test_export_rewrites_its_own_csv_folder_whole(cli, mini, tmp_path):
    out = tmp_path / "csv"
    assert cli("export", "--format", "csv", "--out", out, "--data", mini).code == 0
    assert cli("export", "--format", "csv", "--out", out, "--data", mini).code == 0
    assert sorted(p.name for p in out.iterdir()) == [".capexgraph-output", "edges.csv", "nodes.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "mini"]  # no temp folder left
