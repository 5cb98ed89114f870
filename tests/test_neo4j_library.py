"""Every Cypher library query, run in a real Neo4j 5.26 on the shipped graph with its `:param`
defaults, returns the rows Python computes from the same graph (tests/cypher_expected.py)."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.queries.cypher_library import load_library
from capexgraph.queries.neo4j_load import Neo4jLoader
from cypher_expected import EXPECTED, check
from neo4j import GraphDatabase
from test_neo4j import engine_properties

LIBRARY = load_library()


@pytest.fixture(scope="module")
def graph():
    return build_graph(load_records())


@pytest.fixture(scope="module")
def loaded(neo4j_instance, graph):
    """The shipped graph loaded by the real command (`load-neo4j --wipe --yes --with-exposure`)."""
    from conftest import run_cli

    server = neo4j_instance
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEO4J_PASSWORD", server.password)
        r = run_cli("load-neo4j", "--uri", server.bolt, "--user", server.user, "--wipe", "--yes", "--with-exposure")
    assert r.code == 0, r.err
    driver = GraphDatabase.driver(server.bolt, auth=server.auth)
    yield Neo4jLoader(driver)
    driver.close()


@pytest.fixture(scope="module")
def engine(graph):
    props, weights = engine_properties(graph, load_records().schema)
    return {"properties": props, "weights": weights}


def test_every_library_query_has_an_expected_answer():
    assert set(EXPECTED) == set(LIBRARY)


@pytest.mark.parametrize("name", sorted(set(LIBRARY) - {"shortest_path"}))
def test_library_query_returns_the_expected_rows(loaded, graph, engine, name):
    q = LIBRARY[name]
    got = loaded.run(q.text, **q.params)
    expected = EXPECTED[name](graph, q.params, engine)
    assert expected.rows, f"{name}: the shipped data gives no rows for its defaults; pick other defaults"
    check(expected, got)


def test_shortest_path_is_a_real_shortest_chain(loaded, graph):
    q = LIBRARY["shortest_path"]
    [row] = loaded.run(q.text, **q.params)
    assert row["hops"] == EXPECTED["shortest_path"](graph, q.params, None).rows[0]["hops"]
    by_name = {d["name"]: n for n, d in graph.nodes(data=True)}
    chain = [by_name[x] for x in row["chain"]]
    assert chain[0] == q.params["from"] and chain[-1] == q.params["to"] and len(chain) == row["hops"] + 1
    for (a, b), rtype in zip(zip(chain, chain[1:]), row["relationships"]):
        between = [*(graph.get_edge_data(a, b) or {}).values(), *(graph.get_edge_data(b, a) or {}).values()]
        assert rtype in {d["type"].upper() for d in between}, (a, b, rtype)


def test_a_parameter_other_than_the_default(loaded, graph, engine):
    """The parameters really travel: another company gives that company's rows."""
    q = LIBRARY["suppliers_of"]
    params = {**q.params, "company": "openai"}
    expected = EXPECTED["suppliers_of"](graph, params, engine)
    assert expected.rows and params["company"] != q.params["company"]
    check(expected, loaded.run(q.text, **params))


def test_cli_cypher_run_on_the_loaded_graph(loaded, graph, engine, neo4j_instance, cli, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_instance.password)
    r = cli("cypher", "run", "suppliers_of", "--param", "company=meta", "--uri", neo4j_instance.bolt,
            "--format", "json")
    assert r.code == 0, r.err
    check(EXPECTED["suppliers_of"](graph, LIBRARY["suppliers_of"].params, engine), json.loads(r.out))
    r = cli("cypher", "run", "company_overview", "--uri", neo4j_instance.bolt)
    assert r.code == 0 and graph.nodes["corning"]["name"] in r.out and "1 row" in r.out


def test_undirected_reach_is_what_shortest_path_searches(graph):
    """The library's shortest_path searches at most 6 hops; the default pair is within that."""
    q = LIBRARY["shortest_path"]
    assert nx.shortest_path_length(nx.Graph(graph), q.params["from"], q.params["to"]) <= 6
