"""`capexgraph export --format neo4j-admin`, imported for real: `neo4j-admin database import full`
(Neo4j 5.26's AdminTool) with the command the export's README gives, the imported store served by
Neo4j, then the export's `load_csv.cypher` run on it (and on an empty database)."""
from __future__ import annotations

import re

import pytest

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.queries.cypher_library import load_library
from cypher_expected import EXPECTED, check
from capexgraph.queries.neo4j_load import Neo4jLoader
from neo4j import GraphDatabase
from test_neo4j import expected_labels, snapshot


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_records())


@pytest.fixture(scope="module")
def imported(neo4j_imported):
    """The export imported by neo4j-admin, served (see graph_server._imported_enter)."""
    server, out, report = neo4j_imported
    driver = GraphDatabase.driver(server.bolt, auth=server.auth)
    yield Neo4jLoader(driver), out, report
    driver.close()


def run_script(loader: Neo4jLoader, script: str) -> None:
    """The script's statements one by one, as Browser's multi-statement mode runs them (each in an
    auto-commit transaction, which `CALL {...} IN TRANSACTIONS` needs)."""
    with loader.driver.session() as session:
        for stmt in script.split(";\n"):
            if any(line.strip() and not line.strip().startswith("//") for line in stmt.splitlines()):
                session.run(stmt).consume()


def test_import_report_counts(imported, graph):
    _, _, report = imported
    assert re.search(rf"\b{graph.number_of_nodes()} nodes\b", report)
    assert re.search(rf"\b{graph.number_of_edges()} relationships\b", report)


def test_imported_store_is_the_graph(imported, graph):
    loader, _, _ = imported
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    nodes = {r["id"]: r for r in loader.run("MATCH (n:CapexGraph) RETURN n.id AS id, labels(n) AS labels, "
                                            "n.name AS name, n.aliases AS aliases, n.revenue_usd AS revenue")}
    for n, d in graph.nodes(data=True):
        assert set(nodes[n]["labels"]) == expected_labels(d)
        assert nodes[n]["name"] == d["name"] and nodes[n]["revenue"] == d["revenue_usd"]
        assert (nodes[n]["aliases"] or []) == list(d["aliases"] or [])
    rels = loader.run("MATCH (a:CapexGraph)-[r]->(b:CapexGraph) RETURN r.id AS id, a.id AS s, b.id AS t, "
                      "type(r) AS type, r.amount_usd AS amount, r.source_urls AS urls")
    for r in rels:
        d = graph.edges[r["s"], r["t"], r["id"]]
        assert (r["type"], r["amount"], r["urls"]) == (d["type"].upper(), d["amount_usd"],
                                                       [s["url"] for s in d["sources"]])


def test_library_query_on_the_imported_store(imported, graph):
    loader, _, _ = imported
    q = load_library()["suppliers_of"]
    check(EXPECTED["suppliers_of"](graph, q.params, None), loader.run(q.text, **q.params))


def test_load_csv_script(imported, graph):
    """On the imported store the script changes nothing; on an empty database it builds the same graph."""
    loader, out, _ = imported
    script = (out / "load_csv.cypher").read_text(encoding="utf-8")
    before = snapshot(loader)
    run_script(loader, script)
    assert snapshot(loader) == before
    loader.run("MATCH (n:CapexGraph) DETACH DELETE n")
    assert loader.counts() == {"nodes": 0, "relationships": 0}
    run_script(loader, script)
    assert loader.counts() == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    assert snapshot(loader) == before
