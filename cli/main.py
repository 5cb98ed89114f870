"""`capexgraph`: the umbrella command (validate, stats, export ...)."""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path

from capexgraph import __version__
from capexgraph.graph import FORMATS, build_graph, write_graph
from capexgraph.graph.neo4j_admin import write_neo4j_admin
from capexgraph.ingest import load_records, read_tables, validate_tables, Schema
from capexgraph.ingest.amounts import money
from capexgraph.ingest.atomic import NotOurFolder, OutputError, check_dir_target, replace_anyway
from capexgraph.queries.stats import coverage, graph_stats

from . import backtest_cmd, neo4j_cmd, news_cmd, rdf_cmd
from .viz_cmd import register as register_viz
from .common import UsageError, add_dataset_options, run_guarded
from .render import table

EPILOG = """\
examples:
  capexgraph validate                         check the shipped dataset, list every problem
  capexgraph validate --data my-data/         check your own copy after editing it
  capexgraph stats                            what the graph covers
  capexgraph stats --as-of 2025-01-01 --format markdown
  capexgraph export --format json --out out/capexgraph.json
  capexgraph export --format gexf --out out/capexgraph.gexf     (open in Gephi)
  capexgraph export --format csv --out out/csv/                 (nodes.csv + edges.csv)
  capexgraph export --format neo4j-admin --out out/neo4j/       (neo4j-admin import, LOAD CSV)
  capexgraph load-neo4j --uri bolt://localhost:7687 --user neo4j --with-exposure
  capexgraph neo4j-exposure --shock export_controls          (the same scenario, computed by Neo4j)
  capexgraph cypher list
  capexgraph export --format ttl --out out/capexgraph.ttl      (RDF: also jsonld, nt)
  capexgraph import-rdf out/capexgraph.ttl --out back.json
  capexgraph shacl                                       check the dataset against the SHACL shapes
  capexgraph sparql list
  capexgraph sparql run suppliers_of --param company=meta
  capexgraph ingest-news article.txt --out candidates.csv   propose deals from news (ko/en)
  capexgraph accept candidates.csv                       merge the rows you marked yes
  capexgraph viz --out graph.html                        interactive graph, one offline HTML file
  capexgraph viz --out taiwan.html --shock taiwan_strait --focus TSM --depth 2
  capexgraph backtest --shock capex_cut                  exposure ranking vs real market days
"""


def cmd_validate(args: argparse.Namespace) -> int:
    tables = read_tables(args.data)
    problems = validate_tables(tables, Schema.load())
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in {tables.root}",
              file=sys.stderr)
        return 1
    print(f"OK: {len(tables.entities)} entities, {len(tables.relationships)} relationships, "
          f"{len(tables.sources)} sources, {len(tables.facts)} facts in {tables.root}: no problems")
    return 0


def _print_audit(records, top_ids: list[str], fmt: str) -> None:
    from collections import Counter

    from capexgraph.queries.stats import STALE_MONTHS, audit

    a = audit(records, top_ids)
    print()
    print(f"statuses that may be stale ({len(a['stale'])}: a deal that closes still announced or a letter of "
          f"intent, or an unconfirmed report, more than {STALE_MONTHS} months old; check the latest source):")
    print(table(["relationship", "type", "status", "date", "sources"],
                [[x["id"], x["type"], x["status"], x["date"], x["sources"]] for x in a["stale"]], fmt, right=[4]))
    print()
    by_type = Counter(x["type"] for x in a["aggregator_only"])
    print(f"relationships of the {len(top_ids)} largest companies resting only on aggregators or unclassified "
          f"hosts: {len(a['aggregator_only'])} (" + ", ".join(f"{t} {n}" for t, n in by_type.most_common()) + ")")
    tiers = Counter(x["tier"] for x in a["figures"])
    n = max(1, len(a["figures"]))
    print(f"the latest figure of each kind the model reads for those companies ({len(a['figures'])}): "
          + ", ".join(f"{t} {tiers[t]} ({tiers[t] / n:.0%})" for t in ("primary", "major", "trade", "other")))
    print("(stats --audit --format json lists every row)")


def cmd_stats(args: argparse.Namespace) -> int:
    from capexgraph.queries.weights import derive_weights, published_mass

    records = load_records(args.data)
    g = build_graph(records, as_of=args.as_of)
    s = graph_stats(g)
    weights = derive_weights(g, records.schema)
    cov = coverage(g, weights, top=args.top)
    mass_all = published_mass(weights)
    mass_top = published_mass(weights, list(cov["id"])) if len(cov) else mass_all
    if args.format == "json":
        out = s.to_dict()
        out["published_weight_share"] = round(mass_all["share"], 4)
        out[f"published_weight_share_top{args.top}"] = round(mass_top["share"], 4)
        out["published_total_split_share"] = round(mass_all["split_share"], 4)
        out[f"published_total_split_share_top{args.top}"] = round(mass_top["split_share"], 4)
        out["coverage"] = cov.to_dict("records")
        if args.sources:
            from capexgraph.queries.stats import source_tiers

            out["source_tiers"] = source_tiers(records)
        if args.audit:
            from capexgraph.queries.stats import audit

            out["audit"] = audit(records, list(cov["id"]))
        print(json.dumps(out, ensure_ascii=False, indent=2, default=float))
        return 0
    fmt = args.format
    scope = f" as of {args.as_of}" if args.as_of else ""
    head = [
        f"capexgraph{scope}: {s.nodes} nodes ({s.companies} companies), {s.edges} relationships, "
        f"{s.sources} distinct sources",
        f"relationships with a disclosed amount: {s.with_amount} ({s.amount_share:.0%}); "
        f"in USD: {s.with_amount_usd}",
        f"announcement dates: {s.first_date} to {s.last_date}",
    ]
    print("\n".join(f"- {h}" if fmt == "markdown" else h for h in head))
    print()
    print(table(["category", "nodes"], s.by_category.values.tolist(), fmt, right=[1]))
    print()
    rows = [[r["type"], r["edges"], r["with_amount"], money(r["disclosed_usd"])]
            for r in s.by_type.to_dict("records")]
    print(table(["relationship type", "edges", "with amount", "disclosed USD (sum)"], rows, fmt,
                right=[1, 2, 3]))
    print()
    lines = [f"edge weight resting on published figures (disclosed shares, market shares, contracts "
             f"with a stated term, capacity shares, stakes): {mass_all['share']:.1%} of all, "
             f"{mass_top['share']:.1%} on the {len(cov)} largest companies by revenue",
             f"on a published total divided among recorded customers by a rule (a disclosed share of "
             f"revenue from data-center or cloud customers): a further {mass_all['split_share']:.0%} of "
             f"all, {mass_top['split_share']:.0%} on the {len(cov)} largest; the rest rests on estimated "
             f"rules (exposure --explain ID shows which)"]
    print("\n".join(f"- {x}" if fmt == "markdown" else x for x in lines))
    if args.sources:
        from capexgraph.queries.stats import source_tiers

        tiers = source_tiers(records)
        print()
        body = [[kind, sum(c.values()), *(f"{c[t]} ({c[t] / max(1, sum(c.values())):.0%})" for t in c)]
                for kind, c in tiers.items()]
        print(table(["rows", "total", "primary", "major outlet", "trade / research", "other (aggregator, unclassified)"],
                    body, fmt, right=[1, 2, 3, 4, 5]))
        print()
        print("tiers by URL host (data/publishers.csv); a relationship or fact counts at its best source")
    if args.audit:
        _print_audit(records, list(cov["id"]), fmt)
    if args.coverage:
        print()
        body = [[i + 1, r["name"], money(r["revenue_usd"]), r["revenue_period"], r["geography"] or "-",
                 f"{r['customer_shares']} ({r['named_customers']} named)" if r["customer_shares"] else "-",
                 "yes" if r["datacenter_share"] else "-", r["capex"] or "-", r["sites"] or "-",
                 "-" if r.get("published_weight") is None or r["published_weight"] != r["published_weight"]
                 else f"{r['published_weight']:.0%}"]
                for i, r in enumerate(cov.to_dict("records"))]
        print(table(["#", "company", "revenue", "period", "revenue by region", "customer shares",
                     "DC share", "capex", "sites", "published weight"], body, fmt, right=[0, 2, 8, 9]))
    return 0


#: Formats that are written but not read back: name -> (writer(graph, path, schema), description)
WRITE_ONLY = {"neo4j-admin": (write_neo4j_admin, "a folder for neo4j-admin import, a LOAD CSV script and a Browser style")}
FOLDER_FORMATS = {"csv", "neo4j-admin"}


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    folder = args.format in FOLDER_FORMATS
    if out.exists() and out.is_dir() != folder:
        raise UsageError(f"--out {out}: the {args.format} format writes "
                         f"{'a folder' if folder else 'a file'}, and a "
                         f"{'folder' if out.is_dir() else 'file'} is there")
    if folder:  # before any work: a folder of the user's files is refused, not emptied
        try:
            check_dir_target(out, args.force)
        except OutputError as exc:
            hint = " (--force replaces it anyway)" if isinstance(exc, NotOurFolder) else ""
            raise UsageError(f"--out {exc}{hint}") from None
    records = load_records(args.data)
    g = build_graph(records, as_of=args.as_of)
    try:
        with replace_anyway(out) if args.force else nullcontext():
            if args.format in WRITE_ONLY:
                WRITE_ONLY[args.format][0](g, out, records.schema)
            else:
                write_graph(g, args.format, out)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out} ({args.format}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="capexgraph",
        description="A sourced knowledge graph of the AI-infrastructure supply chain: "
                    "who supplies, funds, powers and houses whom, every fact cited.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"capexgraph {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="check the data files; list every problem with file, row and field",
                       description="Check every table of a dataset against the schema (data/schema.yaml) "
                                   "and each other. Exit code 1 if anything is wrong.")
    add_dataset_options(v, as_of=False)
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("stats", help="counts by category and relationship type, amount coverage, date range")
    add_dataset_options(s)
    s.add_argument("--format", choices=["table", "markdown", "json"], default="table")
    s.add_argument("--coverage", action="store_true",
                   help="also list the largest companies by revenue and which figures each one has")
    s.add_argument("--top", type=int, default=50, metavar="N", help="companies in the coverage report (default 50)")
    s.add_argument("--sources", action="store_true",
                   help="how citable the data is: sources, relationships and facts by source tier "
                        "(primary filings and releases, major outlets, trade press, other)")
    s.add_argument("--audit", action="store_true",
                   help="what to check first: deals whose status may be stale, rows of the largest companies "
                        "resting only on aggregators, and the source tier of each figure the model reads for them")
    s.set_defaults(func=cmd_stats)

    e = sub.add_parser("export", help="write the graph as JSON, GraphML, GEXF, CSV, RDF (ttl, jsonld, nt) or neo4j-admin files",
                       description="Write the graph to a file. Formats: " + "; ".join(
                           [f"{k}: {v[2]}" for k, v in FORMATS.items()]
                           + [f"{k}: {v[1]}" for k, v in WRITE_ONLY.items()]) + ".")
    add_dataset_options(e)
    e.add_argument("--format", required=True, choices=sorted([*FORMATS, *WRITE_ONLY]))
    e.add_argument("--out", required=True, metavar="PATH", help="file (or folder, for csv) to write")
    e.add_argument("--force", action="store_true",
                   help="replace an existing --out folder even if it holds files capexgraph did not "
                        "write (without it, such a folder is refused)")
    e.set_defaults(func=cmd_export)
    neo4j_cmd.register(sub)
    rdf_cmd.register(sub)
    news_cmd.register(sub)
    register_viz(sub)
    backtest_cmd.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return run_guarded(lambda: args.func(args))


if __name__ == "__main__":
    sys.exit(main())
