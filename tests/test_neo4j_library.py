"""Every Cypher library query, run in a real Neo4j 5.26 on the shipped graph with its `:param`
defaults, returns the rows Python computes from the same graph (tests/cypher_expected.py)."""
from __future__ import annotations

import json
import re
from pathlib import Path

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


# --- Neo4j Browser, as a user drives it ------------------------------------------------------------
PASTE = """(text) => { const dt = new DataTransfer(); dt.setData('text/plain', text);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true,
                                                                       cancelable: true})); }"""


def _grass_colour(grass: str, labels: list[str]) -> str:
    """The colour Neo4j Browser gives a node: the last rule of the style sheet that names one of
    its labels (later rules win, as in CSS)."""
    colour = None
    for label, body in re.findall(r"node\.(\w+)\s*\{([^}]*)\}", grass):
        if label in labels:
            colour = re.search(r"color:\s*(#[0-9A-Fa-f]{6})", body).group(1)
    return colour.upper()


def test_neo4j_browser_runs_a_pasted_library_query_and_takes_the_style(loaded, neo4j_instance, browser):
    """Neo4j Browser (the web app, served by the test server) in headless Chromium: log in with
    the server's password, paste a library file's `:param` lines and run them, paste its query and
    run it, read the rows from the result table; load capexgraph.grass with `:style` and check a
    node's colour. Nothing outside the test server is fetched (fonts, analytics and Neo4j's own
    telemetry are blocked and the page still works)."""
    from capexgraph.graph.neo4j_admin import grass_style
    from capexgraph.ingest import Schema

    server = neo4j_instance
    q = LIBRARY["suppliers_of"]
    expected = [r["supplier"] for r in loaded.run(q.text, **q.params)]
    assert expected
    params = "\n".join(line for line in q.source.splitlines() if line.startswith(":param"))
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    fetched_elsewhere: list[str] = []

    def route(r):
        if r.request.url.startswith((server.http, "data:", "blob:")):
            r.continue_()
        else:
            fetched_elsewhere.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server.http + "/browser/")
        page.wait_for_selector("[data-testid=boltaddress]", timeout=60_000)
        page.select_option("[data-testid=bolt-scheme-select]", "bolt://")
        page.fill("[data-testid=boltaddress]", server.bolt.split("//", 1)[1])
        page.fill("[data-testid=username]", server.user)
        page.fill("[data-testid=password]", server.password)
        page.click("[data-testid=connect]")
        page.wait_for_selector("text=You are connected as user", timeout=30_000)

        def paste_and_run(text: str):
            page.click("[data-testid=activeEditor] .monaco-editor")
            page.evaluate(PASTE, text)
            page.click("[data-testid=editor-Run]")

        paste_and_run(params)
        page.wait_for_selector("[data-testid=frame] >> text=company", timeout=30_000)
        paste_and_run(q.text)
        table = page.locator("[data-testid=frame]").first.locator("table[role=table]")
        table.wait_for(timeout=30_000)
        header = [h.strip() for h in table.locator("th[role=columnheader]").all_inner_texts()]
        assert header[:2] == ["supplier", "relationship"]
        rows = table.locator("tbody tr[role=row]")
        suppliers = [rows.nth(i).locator("td[role=cell]").nth(0).inner_text().strip().strip('"')
                     for i in range(rows.count())]
        assert suppliers == expected
        artifacts = Path(__file__).parent / "artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "neo4j-browser.png"))

        grass = grass_style(Schema.load())
        paste_and_run(":style " + grass)
        page.wait_for_timeout(500)
        labels = loaded.run("MATCH (n:CapexGraph {id: 'tsmc'}) RETURN labels(n) AS l")[0]["l"]
        paste_and_run("MATCH (n:CapexGraph {id: 'tsmc'}) RETURN n")
        circle = page.locator("[data-testid=frame]").first.locator("svg.neod3viz g.node circle.b-outline")
        circle.first.wait_for(timeout=30_000)
        assert circle.first.get_attribute("fill").upper() == _grass_colour(grass, labels)
        assert errors == [], errors   # with every request outside the test server's HTTP refused
    finally:
        page.close()


def test_in_database_exposure_matches_the_engine_for_every_shipped_scenario(loaded, graph, engine):
    """The fixed points run as Cypher in Neo4j give the Python engine's losses, gains and nets
    (to 1e-6; they agree to about 1e-16) for every library scenario, places and reach included."""
    from capexgraph.queries.neo4j_exposure import run_in_database
    from capexgraph.queries.scenarios import resolve_seeds, scenario_library

    weights, expected = engine["weights"], engine["properties"]
    for name, sc in scenario_library().items():
        seeds = resolve_seeds(sc, graph, 1.0, weights)
        res = run_in_database(loaded.run, weights, name, seeds, sc.channels, sc.cap, scarcest=sc.scarcest)
        want = expected[f"exposure_{name}"]
        assert any(v > 0.05 for v in want.values()), name
        for node in graph:
            assert res.loss.get(node, 0.0) == pytest.approx(want.get(node, 0.0), abs=1e-6), (name, node)
            if f"gain_{name}" in expected:
                assert res.gain.get(node, 0.0) == pytest.approx(expected[f"gain_{name}"][node], abs=1e-6)
        stored = {r["id"]: r["s"] for r in loaded.run(
            f"MATCH (n:CapexGraph) RETURN n.id AS id, n.exposure_{name} AS s")}
        assert all(stored[n] == pytest.approx(want.get(n, 0.0), abs=1e-6) for n in graph)
        assert not loaded.run("MATCH (n) WHERE n.cg_a IS NOT NULL OR n.cg_psi_supply IS NOT NULL "
                              "RETURN n.id LIMIT 1"), "working properties left behind"


def test_cli_neo4j_exposure_ranks_what_exposure_ranks(loaded, graph, engine, neo4j_instance, cli, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_instance.password)
    r = cli("neo4j-exposure", "--shock", "export_controls", "--top", "10", "--format", "json",
            "--uri", neo4j_instance.bolt, "--user", neo4j_instance.user)
    assert r.code == 0, r.err
    out = json.loads(r.out)
    net = engine["properties"]["net_export_controls"]
    places = engine["weights"].places
    want = sorted((n for n, v in net.items() if v > 5e-4 and n not in places), key=lambda n: (-net[n], n))[:10]
    assert [row["id"] for row in out["losers"]] == want
    assert out["gainers"][0]["net"] < 0 and out["computed_in"] == "neo4j"
    bad = cli("neo4j-exposure", "--shock", "no_such", "--uri", neo4j_instance.bolt, "--user", neo4j_instance.user)
    assert bad.code != 0 and "unknown shock" in bad.err and "Traceback" not in bad.err
