"""The design note's published reference numbers, reproduced through `exposure --graph --scenario`."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES

REF = FIXTURES / "reference"
SIZES = {"a": 10 / 140, "b": 100 / 140, "c": 30 / 140}


def run_json(cli, edges, scenario):
    r = cli("--graph", REF / edges, "--scenario", REF / scenario, "--format", "json", "--top", "0",
            module="capexgraph.cli.exposure")
    assert r.code == 0, r.err
    return json.loads(r.out)


@pytest.mark.parametrize("seed,final,R", [
    ("a", {"a": 1, "b": 1, "c": 1}, 0.9285714),
    ("b", {"a": 0.5, "b": 1, "c": 1}, 0.25),
    ("c", {"a": 0.5, "b": 1, "c": 1}, 0.75),   # differential DebtRank = the fixed point
])
def test_debtrank_worked_example(cli, seed, final, R):
    out = run_json(cli, "debtrank_edges.csv", f"debtrank_seed_{seed}.yaml")
    h = {r["id"]: r["score"] for r in out["results"]}
    for node, value in final.items():
        assert h.get(node, 0.0) == pytest.approx(value, abs=1e-6)
    r_value = sum(SIZES[n] * h.get(n, 0.0) for n in SIZES) - SIZES[seed]
    assert r_value == pytest.approx(R, abs=1e-6)


def test_original_debtrank_seed_c():
    """The original (pass-once) DebtRank column differs only for seed c: (0.3, 0.9, 1)."""
    import numpy as np
    import scipy.sparse as sp

    from capexgraph.queries.propagation import debtrank

    V = sp.csr_matrix(np.array([[0, 1, 1], [0.5, 0, 1], [0, 0.6, 0]]))
    h = debtrank(V, np.array([0, 0, 1.0]))
    assert h == pytest.approx([0.3, 0.9, 1.0], abs=1e-9)
    v = np.array([10, 100, 30]) / 140
    assert v @ h - v[2] == pytest.approx(0.6642857, abs=1e-6)


def test_leontief_miller_blair(cli):
    out = run_json(cli, "leontief_edges.csv", "leontief_scenario.yaml")
    x = {r["id"]: r["score"] for r in out["results"]}
    assert x["s1"] == pytest.approx(1247.5248, abs=1e-4)
    assert x["s2"] == pytest.approx(1841.5842, abs=1e-4)


def test_json_shape(cli):
    out = run_json(cli, "debtrank_edges.csv", "debtrank_seed_c.yaml")
    assert set(out) == {"shock", "ranked", "results", "gainers"}
    assert out["ranked"] == {"losers": len(out["results"]), "gainers": 0}   # a small graph: all shown
    scores = [r["score"] for r in out["results"]]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    first = out["results"][0]
    assert {"id", "name", "ticker", "category", "score", "direct", "channels", "paths"} <= set(first)
    a = next(r for r in out["results"] if r["id"] == "a")
    assert a["paths"][0]["nodes"] == ["c", "b", "a"]
    assert a["paths"][0]["contribution"] == pytest.approx(0.6 * 0.5)
