"""Neo4j without Python: CSV files for `neo4j-admin database import full`, a LOAD CSV script for
Browser users, and a GraSS style that colours nodes by category."""
from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from capexgraph.ingest import Schema

from .formats import atomic_path
from .neo4j_model import BASE_LABEL, KIND_LABELS, category_label, node_rows, rel_type, relationship_rows

NODE_FIELDS = [("id", "id:ID"), ("name", "name"), ("name_ko", "name_ko"), ("ticker", "ticker"),
               ("exchange", "exchange"), ("country", "country"), ("kind", "kind"),
               ("categories", "categories:string[]"), ("aliases", "aliases:string[]"),
               ("revenue_usd", "revenue_usd:double"), ("revenue_period", "revenue_period"),
               ("capex_usd", "capex_usd:double"), ("capex_period", "capex_period"),
               ("china_revenue_share", "china_revenue_share:double")]
REL_FIELDS = [("id", "id"), ("type", "type"), ("product", "product"), ("product_class", "product_class"), ("amount", "amount:double"),
              ("currency", "currency"), ("amount_qualifier", "amount_qualifier"),
              ("amount_usd", "amount_usd:double"), ("term", "term"), ("date", "date"),
              ("date_precision", "date_precision"), ("status", "status"),
              ("source_urls", "source_urls:string[]"), ("source_titles", "source_titles:string[]"),
              ("source_publishers", "source_publishers:string[]"),
              ("source_dates", "source_dates:string[]"), ("note", "note")]
ARRAY_DELIMITER = "|"

PALETTE = ["#4C8EDA", "#F79767", "#57C7E3", "#F16667", "#D9C8AE", "#8DCC93", "#ECB5C9", "#FFC454",
           "#DA7194", "#569480", "#C990C0", "#A5ABB6", "#6DCE9E", "#FF756E", "#68BDF6", "#DE9BF9",
           "#FB95AF", "#FFD86E", "#9195A4", "#B0D96A"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, "/") for v in value)
    return str(value)


def grass_style(schema: Schema) -> str:
    """A Neo4j Browser style sheet (paste with `:style`): colour by category, caption by name."""
    lines = ["node {", "  diameter: 50px;", "  color: #A5ABB6;", "  border-color: #9AA1AC;",
             "  border-width: 2px;", "  text-color-internal: #FFFFFF;", "  font-size: 10px;",
             "  caption: '{name}';", "}", ""]
    for i, cat in enumerate(schema.categories):
        colour = PALETTE[i % len(PALETTE)]
        lines += [f"node.{category_label(cat)} {{", f"  color: {colour};", f"  border-color: {colour};",
                  "  caption: '{name}';", "}", ""]
    lines += ["relationship {", "  shaft-width: 2px;", "  font-size: 8px;", "  padding: 3px;",
              "  text-color-external: #000000;", "  caption: '<type>';", "}", ""]
    return "\n".join(lines)


def load_csv_script(schema: Schema) -> str:
    """Cypher for Browser: LOAD CSV from Neo4j's import/ folder; labels and types from the allow-list."""
    sets = "\n".join(
        f"  FOREACH (_ IN CASE WHEN '{c}' IN cats THEN [1] ELSE [] END | SET n:{category_label(c)})"
        for c in schema.categories)
    kinds = "\n".join(
        f"  FOREACH (_ IN CASE WHEN row.kind = '{k}' THEN [1] ELSE [] END | SET n:{label})"
        for k, label in KIND_LABELS.items())
    prop = lambda f, h: (f"toFloat(row.`{h}`)" if h.endswith(":double") else  # noqa: E731
                         f"CASE WHEN row.`{h}` IS NULL THEN null ELSE split(row.`{h}`, '{ARRAY_DELIMITER}') END"
                         if h.endswith("[]") else f"row.`{h}`")
    node_set = ",\n      ".join(f"n.{f} = {prop(f, h)}" for f, h in NODE_FIELDS if f != "id")
    rel_set = ",\n      ".join(f"r.{f} = {prop(f, h)}" for f, h in REL_FIELDS if f != "id")
    parts = [
        "// capexgraph LOAD CSV script for Neo4j Browser.",
        "// 1. Copy nodes.csv and relationships.csv into the database's import/ folder.",
        "// 2. Paste this whole script into Browser (enable multi-statement editing) and run it.",
        "// Running it twice changes nothing: every write is a MERGE on id.",
        f"CREATE CONSTRAINT capexgraph_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE;",
        "",
        "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
        "CALL {",
        "  WITH row",
        f"  MERGE (n:{BASE_LABEL} {{id: row.`id:ID`}})",
        f"  SET {node_set}",
        "  WITH n, row, split(coalesce(row.`categories:string[]`, ''), '|') AS cats",
        kinds,
        sets,
        "} IN TRANSACTIONS OF 500 ROWS;",
        "",
    ]
    for t in schema.relationship_types:
        rt = rel_type(t)
        parts += [
            "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row",
            "WITH row WHERE row.`:TYPE` = '" + rt + "'",
            "CALL {",
            "  WITH row",
            f"  MATCH (a:{BASE_LABEL} {{id: row.`:START_ID`}})",
            f"  MATCH (b:{BASE_LABEL} {{id: row.`:END_ID`}})",
            f"  MERGE (a)-[r:{rt} {{id: row.id}}]->(b)",
            f"  SET {rel_set}",
            "} IN TRANSACTIONS OF 500 ROWS;",
            "",
        ]
    return "\n".join(parts)


README = """# capexgraph for Neo4j

Files written by `capexgraph export --format neo4j-admin --out {out}`.

| file | what |
|---|---|
| `nodes.csv`, `relationships.csv` | `neo4j-admin database import full` input (array delimiter `{delim}`) |
| `load_csv.cypher` | the same data for Browser users: copy the CSVs into `import/`, paste the script |
| `capexgraph.grass` | Browser style: `:style` then drop the file (colours nodes by category, captions by name) |

## Import into a new, empty database (server stopped)
```
neo4j-admin database import full --array-delimiter="{delim}" \\
  --nodes=nodes.csv --relationships=relationships.csv --overwrite-destination neo4j
```
(Run it from this folder, or give full paths; with Neo4j Desktop, use the DBMS's Terminal.)
Then start the database and create the uniqueness constraint:
```
CREATE CONSTRAINT capexgraph_id IF NOT EXISTS FOR (n:{base}) REQUIRE n.id IS UNIQUE;
```
Every node has the label `{base}`, one of `Company`, `Jurisdiction`, `GridRegion`, and one label per
category (`Hyperscaler`, `Accelerator`, `OpticsFiber` ...). Relationship types: {types}.
Dates are ISO text (`r.date >= '2026-01-01'`; `date(r.date)` makes a Neo4j date where the precision is a day).
"""


def write_neo4j_admin(g: nx.MultiDiGraph, path: Path, schema: Schema | None = None) -> None:
    schema = schema or Schema.load()
    with atomic_path(Path(path), is_dir=True) as tmp:
        tmp.mkdir()
        with open(tmp / "nodes.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([h for _, h in NODE_FIELDS] + [":LABEL"])
            for row in node_rows(g, schema):
                w.writerow([_cell(row["props"].get(f)) for f, _ in NODE_FIELDS] + [ARRAY_DELIMITER.join(row["labels"])])
        with open(tmp / "relationships.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([":START_ID", ":END_ID", ":TYPE"] + [h for _, h in REL_FIELDS])
            for row in relationship_rows(g):
                w.writerow([row["source"], row["target"], row["type"]]
                           + [_cell(row["props"].get(f)) for f, _ in REL_FIELDS])
        (tmp / "load_csv.cypher").write_text(load_csv_script(schema), encoding="utf-8")
        (tmp / "capexgraph.grass").write_text(grass_style(schema), encoding="utf-8")
        types = ", ".join(f"`{rel_type(t)}`" for t in schema.relationship_types)
        (tmp / "README.md").write_text(README.format(out=path, delim=ARRAY_DELIMITER, base=BASE_LABEL,
                                                     types=types), encoding="utf-8")
