"""`load-neo4j` against a real Neo4j 5.26 (tests/neo4j_server), with authentication on.

The server is the session's (fixture `neo4j_instance`, conftest.py); each test here starts from a
graph it loads itself. Without Java and Maven these tests skip with one line (see graph_server.py).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.queries.neo4j_load import Neo4jLoader
from conftest import REPO
from neo4j import GraphDatabase

KIND_LABELS = {"company": "Company", "jurisdiction": "Jurisdiction", "grid_region": "GridRegion"}


@pytest.fixture(scope="module")
def server(neo4j_instance):
    return neo4j_instance


@pytest.fixture(scope="module")
def driver(server):
    d = GraphDatabase.driver(server.bolt, auth=server.auth)
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


@pytest.fixture
def login(server, monkeypatch) -> list[str]:
    """The command-line options a user gives; the password travels in $NEO4J_PASSWORD."""
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    return ["--uri", server.bolt, "--user", server.user]


def expected_labels(data: dict) -> set[str]:
    return {"CapexGraph", KIND_LABELS[data["kind"]],
            *("".join(p.capitalize() for p in c.split("_")) for c in data.get("category") or [])}


def snapshot(loader: Neo4jLoader) -> tuple[list, list]:
    """Every loaded node and relationship with all its labels and properties, in a fixed order."""
    nodes = loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p ORDER BY id")
    rels = loader.run("MATCH (a:CapexGraph)-[r]->(b:CapexGraph) RETURN r.id AS id, a.id AS s, b.id AS t, "
                      "type(r) AS type, properties(r) AS p ORDER BY id, type")
    return [{**n, "labels": sorted(n["labels"])} for n in nodes], rels


def test_full_load_matches_networkx(loader, records, graph):
    summary = loader.load(graph, records.schema)
    assert summary.nodes_created == graph.number_of_nodes() and summary.nodes_updated == 0
    assert summary.relationships_created == graph.number_of_edges() and summary.relationships_updated == 0
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    rows = loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, n.name AS name, n.ticker AS ticker, "
                      "labels(n) AS labels, n.revenue_usd AS revenue")
    assert {r["id"]: (r["name"], r["ticker"], set(r["labels"]), r["revenue"]) for r in rows} == {
        n: (d["name"], d["ticker"], expected_labels(d), d["revenue_usd"]) for n, d in graph.nodes(data=True)}
    rels = loader.run("MATCH (a:CapexGraph)-[r]->(b:CapexGraph) RETURN r.id AS id, a.id AS s, b.id AS t, "
                      "type(r) AS type, r.amount_usd AS amount, r.date AS date, r.source_urls AS urls, "
                      "r.source_titles AS titles")
    assert len(rels) == graph.number_of_edges()
    for r in rels:
        d = graph.edges[r["s"], r["t"], r["id"]]
        assert r["type"] == d["type"].upper()
        assert r["amount"] == d["amount_usd"]
        assert r["date"] == d["date"].isoformat()
        assert r["urls"] == [s["url"] for s in d["sources"]]
        assert r["titles"] == [s["title"] for s in d["sources"]]


def test_constraint_makes_ids_unique(loader, records, graph):
    loader.load(graph, records.schema)
    from neo4j.exceptions import ConstraintError

    with pytest.raises(ConstraintError):
        loader.run("CREATE (:CapexGraph {id: $id})", id="nvidia")


def test_second_load_changes_nothing(cli, login, loader, graph):
    first = cli("load-neo4j", *login)
    assert first.code == 0, first.err
    assert (f"nodes: {graph.number_of_nodes()} created, 0 updated; relationships: "
            f"{graph.number_of_edges()} created, 0 updated") in first.out
    before = snapshot(loader)
    again = cli("load-neo4j", *login)
    assert again.code == 0, again.err
    assert (f"nodes: 0 created, {graph.number_of_nodes()} updated; relationships: "
            f"0 created, {graph.number_of_edges()} updated") in again.out
    assert snapshot(loader) == before
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}


def test_interrupted_load_completes_on_rerun(loader, records, graph):
    """A connection that drops on the second relationship batch: what was committed stays, and the
    rerun adds exactly the rest."""
    original = loader.write
    calls = {"n": 0}

    def flaky(query, **params):
        if "MERGE (a)-[r:" in query:
            calls["n"] += 1
            if calls["n"] == 2:
                raise ConnectionError("connection dropped half-way")
        return original(query, **params)

    loader.batch_size = 50
    loader.write = flaky
    with pytest.raises(ConnectionError):
        loader.load(graph, records.schema)
    partial = loader.counts()
    assert partial == {"nodes": graph.number_of_nodes(), "relationships": 50}
    loader.write = original
    summary = loader.load(graph, records.schema)
    assert summary.relationships_created == graph.number_of_edges() - 50
    assert summary.relationships_updated == 50 and summary.nodes_created == 0
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}


def test_killed_load_completes_on_rerun(cli, login, loader, graph):
    """The real command, killed (SIGKILL) while it writes relationships five per transaction, then run
    again: exact counts, and the rerun says how many it still had to create."""
    proc = subprocess.Popen([sys.executable, "-m", "capexgraph.cli.main", "load-neo4j", *login, "--batch-size", "5"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if loader.counts()["relationships"] >= 20:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the load finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    partial = loader.counts()
    assert partial["nodes"] == graph.number_of_nodes()
    assert 20 <= partial["relationships"] < graph.number_of_edges()
    r = cli("load-neo4j", *login)
    assert r.code == 0, r.err
    assert (f"relationships: {graph.number_of_edges() - partial['relationships']} created, "
            f"{partial['relationships']} updated") in r.out
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}


def test_injection_attempts_are_stored_as_text(loader, records, graph):
    g = graph.copy()
    nasty = ["x'}) MATCH (n) DETACH DELETE n //", 'quote " and \\ backslash', "<script>alert(1)</script>",
             "코닝 '; DROP", "$rows ${x} `tick`"]
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


def engine_properties(graph, schema) -> tuple[dict[str, dict[str, float]], object]:
    """The Python engine's answer for every shipped scenario, computed here, not by the command."""
    from capexgraph.queries.analysis import run_scenarios
    from capexgraph.queries.scenarios import scenario_library
    from capexgraph.queries.weights import derive_weights

    weights = derive_weights(graph, schema)
    props: dict[str, dict[str, float]] = {}
    for name, sc in scenario_library().items():
        ex = run_scenarios(graph, weights, [sc])
        props[f"exposure_{name}"] = dict(zip(ex.nodes, map(float, ex.scores)))
        if ex.has_gains:
            props[f"gain_{name}"] = dict(zip(ex.nodes, map(float, ex.gains)))
            props[f"net_{name}"] = dict(zip(ex.nodes, map(float, ex.net)))
    return props, weights


def test_with_exposure_matches_the_python_engine(cli, login, loader, records, graph):
    r = cli("load-neo4j", *login, "--with-exposure")
    assert r.code == 0, r.err
    expected, weights = engine_properties(graph, records.schema)
    assert "exposure properties: " + ", ".join(sorted(expected)) in r.out
    stored = {row["id"]: row["p"] for row in loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, properties(n) AS p")}
    assert len(stored) == graph.number_of_nodes()
    for prop, scores in expected.items():
        assert any(v > 0 for v in scores.values()), prop
        for node, p in stored.items():
            assert p[prop] == pytest.approx(scores.get(node, 0.0), abs=1e-12), (prop, node)
    for channel, rtype in {"supply": "SUPPLY_EXPOSURE", "demand": "DEMAND_EXPOSURE",
                           "financial": "FINANCIAL_EXPOSURE"}.items():
        rows = loader.run(f"MATCH (a:CapexGraph)-[r:{rtype}]->(b:CapexGraph) RETURN a.id AS u, b.id AS v, r.w AS w")
        assert {(x["u"], x["v"]): x["w"] for x in rows} == {
            uv: e.w for uv, e in weights.edges[channel].items() if e.w > 0}
    again = cli("load-neo4j", *login, "--with-exposure")  # idempotent with weights too
    assert again.code == 0 and "0 created" in again.out
    assert loader.run("MATCH ()-[r:SUPPLY_EXPOSURE]->() RETURN count(r) AS c")[0]["c"] == sum(
        1 for e in weights.edges["supply"].values() if e.w > 0)


def test_wipe_removes_only_what_capexgraph_loaded(cli, login, loader, graph):
    assert cli("load-neo4j", *login, "--with-exposure").code == 0
    loader.run("CREATE (:Other {id: 'keep-me'})-[:NOTES]->(:Other {id: 'me-too'})")
    try:
        r = cli("load-neo4j", *login, "--wipe")
        assert r.code == 2 and "confirm with --yes" in r.err  # no terminal: never deletes unasked
        assert loader.counts()["nodes"] == graph.number_of_nodes()
        r = cli("load-neo4j", *login, "--wipe", "--yes")
        assert r.code == 0, r.err
        assert f"deleted {graph.number_of_nodes()} capexgraph nodes" in r.out
        assert (f"nodes: {graph.number_of_nodes()} created, 0 updated; relationships: "
                f"{graph.number_of_edges()} created, 0 updated") in r.out
        # the reload without --with-exposure leaves no exposure scores or weights behind
        assert loader.run("MATCH (n:CapexGraph) WHERE n.exposure_taiwan_strait IS NOT NULL RETURN count(n) AS c") \
            == [{"c": 0}]
        assert loader.run("MATCH ()-[r:SUPPLY_EXPOSURE]->() RETURN count(r) AS c") == [{"c": 0}]
        r = cli("load-neo4j", *login, "--wipe", "--wipe-only", "--yes")
        assert r.code == 0 and loader.counts() == {"nodes": 0, "relationships": 0}
        assert loader.run("MATCH (a:Other)-[:NOTES]->(b:Other) RETURN a.id AS a, b.id AS b") == [
            {"a": "keep-me", "b": "me-too"}]
    finally:
        loader.run("MATCH (n:Other) DETACH DELETE n")


def test_wrong_password_is_one_line(cli, server, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    r = cli("load-neo4j", "--uri", server.bolt, "--user", server.user)
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.strip().count("\n") == 0 and "authentication failed for user 'neo4j'" in r.err


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


@pytest.mark.process
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


def test_in_database_exposure_on_an_edge_list_network(loader):
    """A user's edge list (no product classes): the supply channel is the plain fixed point, here
    a chain with a cycle whose answer is known by hand, and the financial channel takes the
    operational exposure on. Before any weights are loaded the run says what to do."""
    import pandas as pd

    from capexgraph.queries.exposure import run_exposure, weights_from_frame
    from capexgraph.queries.neo4j_exposure import run_in_database
    from capexgraph.queries.scenarios import Seed

    frame = pd.DataFrame({"source": ["a", "b", "c", "b"], "target": ["b", "c", "b", "d"],
                          "channel": ["supply", "supply", "supply", "financial"],
                          "weight": [0.5, 0.4, 0.5, 0.5]})
    weights = weights_from_frame(frame)
    seeds = [Seed("a", "supply", 0.8, "test")]
    with pytest.raises(LookupError, match="with-exposure"):
        run_in_database(loader.run, weights, "chain", seeds, ["supply", "financial"])
    loader.load_network(weights)
    res = run_in_database(loader.run, weights, "chain", seeds, ["supply", "financial"])
    # b = 0.4 + 0.5 c, c = 0.4 b  ->  b = 0.5, c = 0.2; d takes half of b on the financial channel
    assert res.loss == pytest.approx({"a": 0.8, "b": 0.5, "c": 0.2, "d": 0.25}, abs=1e-9)
    ex = run_exposure(weights, seeds, ["supply", "financial"])
    assert [res.loss.get(n, 0.0) for n in ex.nodes] == pytest.approx(ex.scores.tolist(), abs=1e-12)
    assert loader.run("MATCH (n:CapexGraph {id: 'd'}) RETURN n.exposure_chain AS s") == [{"s": pytest.approx(0.25)}]
