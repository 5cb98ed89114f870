"""docs/CONTRIBUTING.md, followed as written: each recipe touches only the file it names, and the
product picks the addition up. A recipe that stops working fails here, not in a newcomer's hands.
The recipes' files are copies in a temporary folder, read through the same hooks the shipped ones
use (`--scenario-dir`, a schema path, the FORMATS table, a library folder, a rules path)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_the_guide_names_the_five_paths():
    for heading in ("A scenario", "A relationship type", "An export format", "A Cypher or SPARQL query",
                    "A news rule"):
        assert f"## {heading}" in GUIDE
    for path in ("data/scenarios/", "data/schema.yaml", "graph/formats.py", "queries/cypher/",
                 "queries/sparql/", "data/news_rules.yaml"):
        assert path in GUIDE and (ROOT / path).exists(), path


def test_a_new_scenario_file_is_a_new_shock(cli, tmp_path):
    (tmp_path / "fab_fire.yaml").write_text(
        "name: fab_fire\ntitle: A fire at TSMC's fabs\nchannels: [supply]\n"
        "seeds:\n  - select: {id: tsmc}\n    channel: supply\n    magnitude: 0.3\n    why: assumption\n",
        encoding="utf-8")
    r = cli("--scenario-dir", tmp_path, "--shock", "fab_fire", "--explain", "NVDA", "--format", "json",
            module="capexgraph.cli.exposure")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["loss"] > 0 and doc["paths"][0]["nodes"][:2] == ["tsmc", "nvidia"]
    listed = cli("--scenario-dir", tmp_path, "--list-shocks", module="capexgraph.cli.exposure")
    assert "fab_fire" in listed.out


def test_a_new_relationship_type_in_the_schema_flows_through(tmp_path):
    """One entry in schema.yaml: the validator accepts its rows, the graph carries them, the
    weight rules read its channels, the exports write it and the HTML legend names and styles it."""
    from capexgraph.graph import build_graph, write_graph
    from capexgraph.ingest import Schema
    from capexgraph.ingest.records import records_from_tables
    from capexgraph.ingest.tables import read_tables
    from capexgraph.queries.weights import derive_weights

    raw = yaml.safe_load((ROOT / "data" / "schema.yaml").read_text(encoding="utf-8"))
    raw["relationship_types"]["co_develops"] = {
        "label": "co-develops with", "label_ko": "공동 개발", "style": "partnership",
        "direction": "developer -> partner (a joint design contract)",
        "channels": {"supply": "forward", "demand": "backward"}, "class_kind": "product"}
    schema_path = tmp_path / "schema.yaml"
    schema_path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    schema = Schema.load(schema_path)

    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", data)
    tables = read_tables(data)
    row = dict(tables.relationships[0])
    src = row["source_ids"].split("|")[0] if "|" in row["source_ids"] else row["source_ids"].split(";")[0]
    tables.relationships.append({**row, "id": "co-dev-1", "type": "co_develops", "amount": "",
                                 "currency": "", "amount_qualifier": "", "term": "", "source_ids": src,
                                 "product_class": "chip_ip", "status": "active"})
    g = build_graph(records_from_tables(tables, schema))
    edge = next(d for *_, k, d in g.edges(keys=True, data=True) if k == "co-dev-1")
    assert edge["type"] == "co_develops"
    w = derive_weights(g, schema)
    parts = w.edges["supply"][(row["source"], row["target"])].parts
    assert any("co-dev-1" in p.rels for p in parts)   # its declared channel carries a weight
    out = tmp_path / "g.graphml"
    write_graph(g, "graphml", out)
    assert "co_develops" in out.read_text(encoding="utf-8")
    from capexgraph.viz import render_html
    page = render_html(g, tmp_path / "g.html", lang="ko", schema=schema).read_text(encoding="utf-8")
    legend = json.loads(re.search(r'"types":\s*(\[.*?\])\s*,\s*"', page, re.S).group(1))
    entry = next(t for t in legend if t["code"] == "co_develops")
    assert entry["label"] == "공동 개발" and entry["group"] == "partnership" and entry["dash"] == "dotted"


def test_a_new_export_format_is_one_line_in_formats(cli, tmp_path, monkeypatch):
    from capexgraph.graph import FORMATS

    def write_edges_txt(g, path: Path) -> None:
        path.write_text("".join(f"{u} {v} {d['type']}\n" for u, v, d in g.edges(data=True)), encoding="utf-8")

    def read_edges_txt(path: Path):
        raise NotImplementedError

    monkeypatch.setitem(FORMATS, "edges-txt", (write_edges_txt, read_edges_txt, "one line per relationship"))
    out = tmp_path / "edges.txt"
    r = cli("export", "--format", "edges-txt", "--out", out)
    assert r.code == 0, r.err
    assert "corning meta supplies" in out.read_text(encoding="utf-8")
    assert "edges-txt" in cli("export", "--help").out


def test_a_new_sparql_file_is_a_new_library_query(tmp_path):
    from capexgraph.graph import load_graph
    from capexgraph.graph.rdf import to_rdf
    from capexgraph.queries.sparql_library import load_library, run

    shipped = (ROOT / "queries" / "sparql" / "suppliers_of.rq").read_text(encoding="utf-8")
    mine = shipped.replace("# name: suppliers_of", "# name: my_suppliers")
    (tmp_path / "my_suppliers.rq").write_text(mine, encoding="utf-8")
    lib = load_library(tmp_path)
    assert list(lib) == ["my_suppliers"] and "company" in lib["my_suppliers"].params
    rows = run(lib["my_suppliers"], to_rdf(load_graph(ROOT / "tests" / "fixtures" / "mini")))[1]
    assert [r["supplier"] for r in rows] == ["Corning"]


def test_a_new_cypher_file_is_a_new_library_query(tmp_path):
    from capexgraph.queries.cypher_library import bind, load_library

    text = ("// name: my_partners\n// Who a company partners with.\n:param company => 'nvidia';\n"
            "MATCH (a:CapexGraph {id: $company})-[:PARTNERS_WITH]-(b) RETURN b.name AS partner\n")
    (tmp_path / "my_partners.cypher").write_text(text, encoding="utf-8")
    lib = load_library(tmp_path)
    assert list(lib) == ["my_partners"]
    assert bind(lib["my_partners"], {}) == {"company": "nvidia"}
    assert bind(lib["my_partners"], {"company": "amd"}) == {"company": "amd"}


def test_a_new_deal_word_in_the_rules_file_is_read(tmp_path):
    from capexgraph.ingest.deals import extract
    from capexgraph.ingest.mentions import EntityIndex
    from capexgraph.ingest.records import load_records

    idx = EntityIndex(load_records().entities.values())
    sentence = "Corning will furnish Meta with optical fiber for its data centers."
    assert not [c for c in extract(sentence, idx, "en") if c.type == "supplies"]
    rules = yaml.safe_load((ROOT / "data" / "news_rules.yaml").read_text(encoding="utf-8"))
    rules["keywords"]["supply"]["en"].append("will furnish")
    path = tmp_path / "news_rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [c for c in extract(sentence, idx, "en", str(path)) if c.type == "supplies"]
    assert [(c.source, c.target) for c in found] == [("corning", "meta")]


def test_what_is_where_matches_the_tree():
    """The README's layout block lists every top-level folder and file a newcomer meets, and
    nothing that is not there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    listed = {m.group(1).rstrip("/") for m in re.finditer(r"^([A-Za-z0-9_.\-]+/?)\s", block, re.M)}
    ignored = {"build", "dist", "capexgraph.egg-info", "__pycache__"}   # __pycache__: Python writes it
    tree = {p.name for p in ROOT.iterdir() if not p.name.startswith(".") and p.name not in ignored
            and not p.name.endswith(".egg-info")}
    assert listed <= tree, listed - tree
    assert tree <= listed, tree - listed


def test_the_schema_is_the_one_vocabulary_of_names_and_styles():
    """Every code the outputs print has its English and Korean name and its look in schema.yaml,
    so adding one is one edit there (viz/style.py holds only the line-style groups)."""
    from capexgraph.ingest import Schema
    from capexgraph.viz import style

    schema = Schema.load()
    for code, info in schema.categories.items():
        assert info.get("label") and info.get("label_ko") and re.fullmatch(r"#[0-9a-f]{6}", info.get("color", "")), code
    for code, info in schema.relationship_types.items():
        assert info.get("label") and info.get("label_ko"), code
        assert info.get("style") in style.GROUP_STYLE and info["style"] != "other", code
    for code, info in schema.statuses.items():
        assert info.get("about") and info.get("label_ko"), code
        assert schema.status_label(code, "ko") == info["label_ko"] and schema.status_label(code) == code.replace("_", " ")
    assert set(style.GROUP_LABEL["en"]) == set(style.GROUP_LABEL["ko"]) == set(style.GROUP_STYLE)
    assert not hasattr(style, "CATEGORY_COLORS") and not hasattr(style, "TYPE_GROUP")


def _families(schema) -> dict[str, set[str]]:
    """The schema's families of relationship types that queries list together."""
    return {"commercial": {t for t, d in schema.relationship_types.items() if d.get("class_kind") == "product"},
            "financial": {t for t in schema.relationship_types if "financial" in schema.channels(t)}}


def _check_type_lists(path: Path, text: str, lists: list[set[str]], families: dict[str, set[str]]) -> list[str]:
    """A list of three or more types is a whole family, or the file's `types:` line says what it leaves out."""
    marker = "//" if path.suffix == ".cypher" else "#"
    if re.search(rf"^{marker} types: ", text, re.M):
        return []
    return [f"{path.name}: lists {sorted(types)}, not all {name} types (missing {sorted(family - types)}); "
            f"add them or a '{marker} types:' line saying why"
            for types in lists for name, family in families.items() if len(types) >= 3 and types < family]


def test_the_query_libraries_name_only_schema_types_and_whole_families():
    """Queries pasted into Neo4j Browser must spell types out, so a test holds them to the schema:
    every relationship type, label and predicate they name exists, and a list of the commercial
    (or financial) types is the whole family, so a type added to schema.yaml is not silently left out."""
    from capexgraph.graph.neo4j_model import allowed_labels, allowed_rel_types, rel_type
    from capexgraph.graph.rdf import CG, ontology, vocabulary
    from capexgraph.ingest import Schema

    schema = Schema.load()
    families = _families(schema)
    by_cypher = {rel_type(t): t for t in schema.relationship_types}
    by_predicate = {str(p).rsplit("#", 1)[1]: t for t, p in vocabulary().rel_shortcut.items() if p is not None}
    defined = {str(s).rsplit("#", 1)[1] for s in ontology().subjects() if str(s).startswith(str(CG))}
    problems = []
    for path in sorted((ROOT / "queries" / "cypher").glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        lists = [set(m.group(1).split("|")) for m in re.finditer(r"\[\w*:([A-Z_|]+)", text)]
        problems += [f"{path.name}: unknown relationship type {t}" for ts in lists for t in ts
                     if t not in allowed_rel_types(schema)]
        problems += [f"{path.name}: unknown label {lab}" for m in re.finditer(r"\(\w*((?::\w+)+)", text)
                     for lab in m.group(1).strip(":").split(":") if lab not in allowed_labels(schema)]
        problems += _check_type_lists(path, text, [{by_cypher[t] for t in ts if t in by_cypher} for ts in lists], families)
    for path in sorted((ROOT / "queries" / "sparql").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.name}: cg:{term} is not in the ontology" for term in set(re.findall(r"\bcg:(\w+)", text))
                     if term not in defined]
        lists = [{by_predicate[p] for p in m.group(0).replace("cg:", "").split("|") if p in by_predicate}
                 for m in re.finditer(r"cg:\w+(?:\|cg:\w+)+", text)]
        problems += _check_type_lists(path, text, lists, families)
    assert len(families["commercial"]) == 5 and len(families["financial"]) == 5
    assert not problems, "\n".join(problems)
