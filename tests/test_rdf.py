"""The RDF layer: ontology, Turtle/JSON-LD/N-Triples round trips, SHACL shapes, the SPARQL library.

Shipped-data tests run on `load_graph()` (the dataset in data/); the rest on tests/fixtures/mini
and the hand-written broken files in tests/fixtures/rdf/.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV

from capexgraph.graph import load_graph, read_graph
from capexgraph.cli.main import main
from capexgraph.graph.build import EDGE_ATTRS, NODE_ATTRS
from capexgraph.graph.rdf import (CG, ENT, REL, RDF_FORMATS, SCHEMA, RDFError, from_rdf, ontology,
                                  parse_rdf, read_rdf, to_rdf, vocabulary, write_rdf)
from capexgraph.graph.shacl import shacl_validate, shapes, shapes_path
from capexgraph.ingest import Schema
from capexgraph.queries.sparql_library import ParamError, bind, load_library, run

from conftest import FIXTURES

FORMATS = sorted(RDF_FORMATS)
BROKEN = FIXTURES / "rdf"


@pytest.fixture(scope="module")
def mini_graph():
    return load_graph(FIXTURES / "mini")


@pytest.fixture(scope="module")
def shipped_graph():
    return load_graph()


@pytest.fixture(scope="module")
def shipped_rdf(shipped_graph):
    return to_rdf(shipped_graph)


@pytest.fixture(scope="module")
def mini_rdf(mini_graph):
    return to_rdf(mini_graph)


def assert_same_graph(original, back, label=""):
    """Every node, edge and attribute (NODE_ATTRS / EDGE_ATTRS, typed) is back, plus the graph's own."""
    assert set(back.nodes) == set(original.nodes), label
    assert set(back.edges(keys=True)) == set(original.edges(keys=True)), label
    for n, data in original.nodes(data=True):
        for key in NODE_ATTRS:
            assert back.nodes[n][key] == data[key], (label, n, key, back.nodes[n][key], data[key])
        assert back.nodes[n] == data, (label, n)
    for u, v, k, data in original.edges(keys=True, data=True):
        for key in EDGE_ATTRS:
            assert back.edges[u, v, k][key] == data[key], (label, k, key, back.edges[u, v, k][key], data[key])
        assert back.edges[u, v, k] == data, (label, k)
    assert back.graph == original.graph, label


# --- ontology and shapes ----------------------------------------------------------------------
def test_ontology_has_a_class_for_every_code_of_the_schema():
    schema, vocab = Schema.load(), vocabulary()
    assert set(schema.node_kinds) <= set(vocab.kind_class)
    assert set(schema.categories) <= set(vocab.category_class)
    assert set(schema.relationship_types) <= set(vocab.rel_class)
    o = ontology()
    for code, cls in vocab.rel_class.items():
        assert (cls, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), CG.Relationship) in o, code
        assert vocab.rel_shortcut[code] is not None, code
    # mapped to established vocabularies
    assert (CG.Company, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), SCHEMA.Organization) in o
    assert (CG.Source, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), PROV.Entity) in o
    contract = URIRef("https://spec.edmcouncil.org/fibo/ontology/FND/Agreements/Contracts/Contract")
    assert (CG.Supply, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), contract) in o
    assert not list(o.triples((None, URIRef("http://www.w3.org/2002/07/owl#sameAs"), None)))


def _sh_in(path) -> set[str]:
    sh = "http://www.w3.org/ns/shacl#"
    g = shapes()
    for prop in g.subjects(URIRef(sh + "path"), path):
        lst = g.value(prop, URIRef(sh + "in"))
        if lst is not None:
            return {str(x) for x in Collection(g, lst)}
    raise AssertionError(f"no sh:in for {path}")


def test_shapes_allow_exactly_the_codes_of_the_schema():
    schema = Schema.load()
    assert _sh_in(CG.category) == set(schema.categories)
    assert _sh_in(CG.relationshipType) == set(schema.relationship_types)
    assert _sh_in(CG.status) == set(schema.statuses)
    assert _sh_in(CG.amountQualifier) == {q for q in schema.amount_qualifiers if q}


# --- round trips ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_mini(mini_graph, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    write_rdf(mini_graph, out, fmt)
    back = read_rdf(out, fmt)
    assert_same_graph(mini_graph, back, fmt)
    some = back.edges["corning", "meta", "seed-r001"]
    assert isinstance(some["date"], dt.date) and isinstance(some["sources"][0]["date"], dt.date)
    assert some["amount"] == 6e9 and some["amount_qualifier"] == "up_to"
    assert back.nodes["coreweave"]["facts"][0]["value"] == 0.62
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])   # N-Triples: the mini fixture's round trip
def test_round_trip_shipped(shipped_graph, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    write_rdf(shipped_graph, out, fmt)
    assert_same_graph(shipped_graph, read_rdf(out), fmt)  # format from the extension


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_command_writes_rdf(cli, mini, tmp_path, fmt):
    """Needs graph/formats.py to register the RDF formats (FORMATS.update(RDF_FORMAT_ENTRIES))."""
    out = tmp_path / f"graph.{fmt}"
    r = cli("export", "--format", fmt, "--out", out, "--data", mini)
    assert r.code == 0, r.err
    assert_same_graph(load_graph(mini), read_graph(fmt, out), fmt)


def test_literals_are_typed_and_relationships_are_resources(mini_rdf):
    g = mini_rdf
    rel = REL["seed-r001"]
    assert (rel, RDF.type, CG.Supply) in g and (rel, RDF.type, CG.Relationship) in g
    assert g.value(rel, CG["from"]) == ENT.corning and g.value(rel, CG.to) == ENT.meta
    assert (ENT.corning, CG.supplies, ENT.meta) in g  # the shortcut triple
    assert g.value(rel, CG.amount).datatype == XSD.decimal
    assert g.value(rel, CG.amountUSD).toPython() == 6000000000
    assert g.value(rel, CG.date) == Literal("2026-01-27", datatype=XSD.date)
    assert Literal("코닝", lang="ko") in set(g.objects(ENT.corning, SCHEMA.name))
    assert Literal("Corning") in set(g.objects(ENT.corning, SCHEMA.name))
    assert (ENT.corning, RDF.type, CG.OpticsFiberVendor) in g and (ENT.corning, RDF.type, CG.Company) in g
    sources = list(g.objects(rel, PROV.wasDerivedFrom))
    assert len(sources) == 2
    for s in sources:
        assert (s, RDF.type, CG.Source) in g
        assert g.value(s, SCHEMA.url).datatype == XSD.anyURI
        assert g.value(s, DCTERMS.date).datatype == XSD.date
        assert g.value(s, DCTERMS.publisher) and g.value(s, DCTERMS.title)


NASTY = [
    'He said "hi" \'there\'',
    'line one\nline two\r\nline three\ttab',
    "<script>alert('x')</script> & > <",
    "back\\slash \\n not a newline \\",
    'ends with a quote"',
    '"""triple quotes""" and \\"escaped\\"',
    "엔비디아 · 英伟达 · 輝達 · エヌビディア",
    "😀 emoji and zero\u200bwidth",
    "@prefix evil: <http://x/> . <a> <b> <c> .",
]


def _nasty_graph(base):
    g = copy.deepcopy(base)
    for i, (n, data) in enumerate(g.nodes(data=True)):
        data["name"] = NASTY[i % len(NASTY)] + f" #{i}"
        data["aliases"] = NASTY[:3] + ["", NASTY[(i + 3) % len(NASTY)]]
        data["note"] = NASTY[(i + 1) % len(NASTY)]
        data["name_ko"] = "코닝 \"따옴표\"\n줄바꿈"
    for i, (*_, data) in enumerate(g.edges(keys=True, data=True)):
        data["product"] = NASTY[i % len(NASTY)]
        data["note"] = NASTY[(i + 2) % len(NASTY)]
        data["sources"] = [dict(s, title=NASTY[(i + j) % len(NASTY)],
                                publisher="출판사 出版社 \"P\" <x>",
                                url=s["url"] + '?q="a b"&x=<y>\\z')
                           for j, s in enumerate(data["sources"])]
    # identifiers are untrusted too: a node and an edge whose ids need escaping in IRIs
    g.add_node('odd id "<&>"/\\ 中文', **dict(base.nodes["meta"], name="Odd"))
    g.add_edge("corning", 'odd id "<&>"/\\ 中文', key='edge "1" <x>',
               **dict(base.edges["corning", "meta", "seed-r001"], id='edge "1" <x>'))
    return g


@pytest.mark.parametrize("fmt", FORMATS)
def test_untrusted_text_never_breaks_the_serialisation(mini_graph, tmp_path, fmt):
    g = _nasty_graph(mini_graph)
    out = tmp_path / f"nasty.{fmt}"
    write_rdf(g, out, fmt)
    parsed = parse_rdf(out, fmt)
    # nothing injected: the only subjects are capexgraph resources, blank nodes and the
    # ontology's classes, which carry nothing but their place in the class hierarchy
    assert not [(s, p) for s, p in parsed.subject_predicates() if isinstance(s, URIRef)
                and not str(s).startswith("https://capexgraph.dev/id/")
                and not (str(s).startswith("https://capexgraph.dev/ontology#") and p == RDFS.subClassOf)]
    assert_same_graph(g, from_rdf(parsed), fmt)


# --- reading errors ---------------------------------------------------------------------------
def test_read_rdf_errors_are_one_clear_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle at all <<<", encoding="utf-8")
    with pytest.raises(RDFError, match=r"bad\.ttl is not valid ttl"):
        read_rdf(bad)
    not_rdf = tmp_path / "graph.json"
    not_rdf.write_text('{"nodes": [], "links": []}', encoding="utf-8")
    with pytest.raises(RDFError, match="no capexgraph entities or relationships"):
        read_rdf(not_rdf)
    with pytest.raises(RDFError, match="cannot tell the RDF format"):
        read_rdf(tmp_path / "graph.xyz")
    with pytest.raises(RDFError, match="has no target endpoint"):
        read_rdf(BROKEN / "relationship_without_target_or_source.ttl")


def test_hand_written_rdf_reads_into_the_graph():
    g = read_rdf(BROKEN / "valid_minimal.ttl")
    assert set(g.edges(keys=True)) == {("corning", "meta", "corning-meta")}
    e = g.edges["corning", "meta", "corning-meta"]
    assert e["amount_usd"] == 6e9 and e["date"] == dt.date(2026, 1, 27)
    assert e["sources"][0]["url"] == "https://www.reuters.com/a-deal" and e["source_ids"] == ["good"]
    assert g.nodes["meta"]["name_ko"] == "메타" and g.nodes["meta"]["category"] == ["hyperscaler"]


# --- SHACL ------------------------------------------------------------------------------------
def test_shipped_dataset_conforms_to_the_shapes(shipped_rdf):
    report = shacl_validate(shipped_rdf)
    assert report.conforms, "\n".join(v.line() for v in report.violations)


def test_mini_dataset_conforms_and_so_does_the_valid_fixture(mini_rdf):
    assert shacl_validate(mini_rdf).conforms
    assert shacl_validate(parse_rdf(BROKEN / "valid_minimal.ttl")).conforms


@pytest.mark.parametrize("name, expected", [
    ("company_without_name.ttl", [("ent:nameless", "schema:name", "name"),
                                  ("ent:nameless", "cg:category", "category")]),
    ("relationship_without_target_or_source.ttl", [("rel:dangling", "cg:to", "target endpoint"),
                                                   ("rel:dangling", "prov:wasDerivedFrom", "source")]),
    ("negative_amount.ttl", [("rel:negative", "cg:amount", "non-negative"),
                             ("rel:negative", "cg:amountUSD", "non-negative")]),
    ("source_without_url.ttl", [("src:no-url", "schema:url", "URL"),
                                ("src:no-url", "dcterms:date", "xsd:date")]),
])
def test_broken_fixtures_give_readable_violations(name, expected):
    report = shacl_validate(parse_rdf(BROKEN / name))
    assert not report.conforms
    found = {(v.focus.split(" ")[0], v.path) for v in report.violations}
    for focus, path, words in expected:
        assert (focus, path) in found, (name, focus, path, [v.line() for v in report.violations])
        line = next(v.line() for v in report.violations if v.focus.startswith(focus) and v.path == path)
        assert words in line and focus in line and path in line


def test_relationship_to_an_unknown_entity_is_a_violation(mini_rdf):
    g = Graph()
    for t in mini_rdf:
        g.add(t)
    g.set((REL["seed-r001"], CG.to, ENT["nobody"]))
    report = shacl_validate(g)
    assert not report.conforms
    assert any(v.focus == "rel:seed-r001" and v.path == "cg:to" and "must be a company" in v.message
               for v in report.violations)


@pytest.mark.process
def test_stock_pyshacl_validates_an_export_with_the_shipped_shapes_alone(cli, tmp_path):
    """An analyst's own validator, no capexgraph code: `pyshacl -s graph/shapes.ttl export.ttl`."""
    out = tmp_path / "mini.ttl"
    assert cli("export", "--data", FIXTURES / "mini", "--format", "ttl", "--out", out).code == 0
    stock = [sys.executable, "-m", "pyshacl", "-s", str(shapes_path())]
    ok = subprocess.run([*stock, str(out)], capture_output=True, text=True)
    assert ok.returncode == 0 and "Conforms: True" in ok.stdout, ok.stdout[-3000:]
    broken = copy.deepcopy(load_graph(FIXTURES / "mini"))
    u, v, k = next(iter(broken.edges(keys=True)))
    broken.edges[u, v, k]["amount"] = -5.0
    write_rdf(broken, tmp_path / "broken.ttl", "ttl")
    bad = subprocess.run([*stock, str(tmp_path / "broken.ttl")], capture_output=True, text=True)
    assert bad.returncode == 1 and "Conforms: False" in bad.stdout and "non-negative" in bad.stdout


@pytest.mark.slow
def test_shacl_command(cli):
    ok = cli("shacl")
    assert ok.code == 0, ok.err
    assert "conforms" in ok.out
    bad = cli("shacl", BROKEN / "negative_amount.ttl")
    assert bad.code == 1 and "Traceback" not in bad.err
    assert "rel:negative  cg:amount: an amount (cg:amount) is one non-negative xsd:decimal" in bad.err
    assert "violations of the capexgraph SHACL shapes" in bad.err
    garbage = cli("shacl", Path(__file__))
    assert garbage.code == 2 and "Traceback" not in garbage.err
    assert garbage.err.startswith("error: ") and len(garbage.err.strip().splitlines()) == 1


# --- import-rdf -------------------------------------------------------------------------------
def test_import_rdf_command(cli, mini_graph, tmp_path):
    src = tmp_path / "graph.jsonld"
    write_rdf(mini_graph, src, "jsonld")
    out = tmp_path / "back.json"
    r = cli("import-rdf", src, "--out", out)
    assert r.code == 0, r.err
    assert "7 nodes, 5 edges" in r.out
    assert_same_graph(mini_graph, read_graph("json", out))
    nt = tmp_path / "graph.data"
    write_rdf(mini_graph, nt, "nt")
    assert cli("import-rdf", nt, "--format", "nt").code == 0
    bad = cli("import-rdf", tmp_path / "missing.ttl")
    assert bad.code == 2 and bad.err.strip().startswith("error: cannot read ") and "Traceback" not in bad.err


@pytest.mark.parametrize("args, message", [
    (["graph.data"], "cannot tell the RDF format"),
    (["graph.data", "--format", "jsonld"], "is not valid jsonld"),
    (["graph.json"], "no capexgraph entities or relationships"),
    ([str(BROKEN / "relationship_without_target_or_source.ttl")], "has no target endpoint"),
])
def test_import_rdf_errors(capsys, mini_graph, tmp_path, args, message):
    write_rdf(mini_graph, tmp_path / "graph.data", "nt")
    (tmp_path / "graph.json").write_text('{"nodes": [], "links": []}', encoding="utf-8")
    args = [str(tmp_path / a) if a.startswith("graph.") else a for a in args]
    code = main(["import-rdf", *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1


# --- the SPARQL library -----------------------------------------------------------------------
#: Two-step chain queries that take 7-9 s each with rdflib on the shipped graph (README says so):
#: they run on the fixture graph below, which checks their header and columns the same way.
SLOW_ON_SHIPPED = {"circular_financing_loops", "dependence_on_korean_memory"}


@pytest.fixture(scope="module")
def shipped_answers(shipped_rdf):
    """Every other library query run once on the shipped data with its default parameters (the
    tests below share these answers)."""
    return {name: run(q, shipped_rdf) for name, q in load_library().items() if name not in SLOW_ON_SHIPPED}


def test_every_library_query_has_a_header_and_runs(shipped_answers, mini_rdf):
    lib = load_library()
    assert len(lib) >= 10
    for name, q in lib.items():
        assert q.text.startswith(f"# name: {name}\n"), name
        assert q.description, name
        for p in q.params.values():
            assert p.doc and p.default is not None, (name, p.name)
        answers = [run(q, mini_rdf)] + ([shipped_answers[name]] if name not in SLOW_ON_SHIPPED else [])
        for columns, rows in answers:
            assert columns, name
    for required in ("suppliers_of", "customers_of", "largest_contracts", "who_funds_whom",
                     "circular_financing", "dependence_on_jurisdiction", "announced_between",
                     "investors_in"):
        assert required in lib


def _rows(rdf, name, **params):
    return run(load_library()[name], rdf, {k: str(v) for k, v in params.items()})[1]


def test_suppliers_of_meta_on_the_shipped_data(shipped_rdf):
    rows = _rows(shipped_rdf, "suppliers_of", company="meta")
    corning = [r for r in rows if r["supplier"] == "Corning"]
    assert corning, rows
    assert corning[0]["amount_usd"] == 6000000000 and corning[0]["qualifier"] == "up_to"
    assert corning[0]["announced"] == "2026-01-27" and corning[0]["relationship"] == "supplies"
    assert "https://" in corning[0]["sources"]
    amounts = [r["amount_usd"] or 0 for r in rows]
    assert amounts == sorted(amounts, reverse=True)


def test_investors_in_coreweave_on_the_shipped_data(shipped_rdf):
    rows = _rows(shipped_rdf, "investors_in", company="coreweave")
    nvidia = [r for r in rows if r["investor"] == "Nvidia" and r["how"] == "invests_in"]
    assert any(r["amount_usd"] == 2000000000 for r in nvidia), rows


def test_more_analyst_questions_on_the_shipped_data(shipped_rdf, shipped_answers):
    lib = load_library()
    assert {p.name: str(p.default) for p in lib["dependence_on_jurisdiction"].params.values()} == \
        {"company": "nvidia", "place": "jur_tw"}
    taiwan = shipped_answers["dependence_on_jurisdiction"][1]
    assert any(r["supplier"] == "TSMC" and r["hops"] == 1 and r["chain"] == "TSMC → Nvidia" for r in taiwan)
    assert [str(p.default) for p in lib["announced_between"].params.values()] == ["2026-01-01", "2026-01-31"]
    january = shipped_answers["announced_between"][1]
    assert all("2026-01-01" <= r["announced"] <= "2026-01-31" for r in january)
    assert {("Corning", "Meta Platforms"), ("Nvidia", "CoreWeave")} <= {(r["source"], r["target"]) for r in january}
    largest = _rows(shipped_rdf, "largest_contracts", limit=3)
    assert len(largest) == 3 and largest[0]["amount_usd"] >= largest[1]["amount_usd"] >= largest[2]["amount_usd"]
    circular = shipped_answers["circular_financing"][1]
    assert any(r["investor"] == "Nvidia" and r["investee"] == "CoreWeave" for r in circular)
    funds = _rows(shipped_rdf, "who_funds_whom", limit=1000)
    assert [r["amount_usd"] or 0 for r in funds] == sorted((r["amount_usd"] or 0 for r in funds), reverse=True)
    assert any(r["investor"] == "Nvidia" and r["company"] == "CoreWeave" and r["amount_usd"] == 2000000000
               for r in funds)


def test_answers_on_the_mini_fixture(mini_rdf):
    assert [(r["supplier"], r["amount_usd"], r["qualifier"]) for r in _rows(mini_rdf, "suppliers_of", company="meta")] \
        == [("Corning", 6000000000, "up_to")]
    customers = _rows(mini_rdf, "customers_of", company="coreweave")
    assert [r["amount_usd"] for r in customers] == [11900000000, 6500000000, 4000000000]
    assert [(r["investor"], r["amount_usd"]) for r in _rows(mini_rdf, "investors_in", company="coreweave")] \
        == [("Nvidia", 2000000000)]
    spring = _rows(mini_rdf, "announced_between", **{"from": "2025-03-01", "to": "2025-05-31"})
    assert [r["announced"] for r in spring] == ["2025-03-01", "2025-05-01"]  # month-precision dates
    conc = _rows(mini_rdf, "supplier_concentration", company="openai")
    assert [(r["supplier"], r["spend_usd"], r["share"], r["hhi"]) for r in conc] == [("CoreWeave", 22400000000, 1, 1)]
    overview = _rows(mini_rdf, "company_overview", company="nvidia")[0]
    assert overview["name_ko"] == "엔비디아" and overview["main_category"] == "accelerator"
    assert overview["outgoing"] == 1 and overview["incoming"] == 0


def test_parameters_are_escaped_and_checked(mini_rdf):
    q = load_library()["suppliers_of"]
    evil = 'meta" } ?r ?p ?o . { "'
    text = bind(q, {"company": evil})
    assert list(mini_rdf.query(text)) == []  # still one valid query: the value stayed a literal
    with pytest.raises(ParamError, match="no entity with id"):
        run(q, mini_rdf, {"company": evil})
    with pytest.raises(ParamError, match="has no parameter 'compnay'"):
        bind(q, {"compnay": "meta"})
    with pytest.raises(ParamError, match="takes a date"):
        bind(load_library()["announced_between"], {"from": "January"})
    with pytest.raises(ParamError, match="whole number"):
        bind(load_library()["largest_contracts"], {"limit": "ten"})


@pytest.mark.slow
def test_sparql_command(cli):
    listed = cli("sparql", "list")
    assert listed.code == 0 and "suppliers_of" in listed.out and "dependence_on_jurisdiction" in listed.out
    shown = cli("sparql", "show", "suppliers_of")
    assert shown.code == 0 and shown.out.startswith("# name: suppliers_of") and "VALUES ?company" in shown.out
    r = cli("sparql", "run", "suppliers_of", "--param", "company=meta", "--format", "json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)
    assert any(x["supplier"] == "Corning" and x["amount_usd"] == 6000000000 and x["qualifier"] == "up_to"
               for x in rows)
    csv_out = cli("sparql", "run", "investors_in", "--param", "company=coreweave", "--format", "csv")
    assert csv_out.code == 0 and csv_out.out.splitlines()[0].startswith("investor,")
    assert any(line.startswith("Nvidia,nvidia,invests_in,") and ",2000000000," in line
               for line in csv_out.out.splitlines())
    table = cli("sparql", "run", "suppliers_of", "--data", FIXTURES / "mini")
    assert table.code == 0 and "Corning" in table.out and "1 row" in table.out


@pytest.mark.parametrize("args, message", [
    (["run", "no_such_query"], "unknown query 'no_such_query'"),
    (["run"], "needs a query name"),
    (["run", "suppliers_of", "--param", "compnay=meta"], "has no parameter 'compnay'"),
    (["run", "suppliers_of", "--param", "company"], "write NAME=VALUE"),
    (["run", "suppliers_of", "--param", "company=nobody"], "no entity with id 'nobody'"),
    (["run", "announced_between", "--param", "from=last week"], "takes a date"),
    (["run", "suppliers_of", "--rdf", Path(__file__), "--rdf-format", "ttl"], "is not valid ttl"),
    (["run", "suppliers_of", "--rdf", Path(__file__)], "cannot tell the RDF format"),
])
def test_sparql_command_errors(capsys, args, message):
    code = main(["sparql", *map(str, args)])  # in-process: the same code path, no interpreter start-up
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_misspelt_sparql_parameter_names_the_real_ones(cli):
    r = cli("sparql", "run", "suppliers_of", "--param", "compnay=meta")
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.strip() == "error: query 'suppliers_of' has no parameter 'compnay'; its parameters: company"
