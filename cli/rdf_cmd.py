"""`capexgraph import-rdf`, `capexgraph shacl` and `capexgraph sparql`: the graph as RDF.

(`capexgraph export --format ttl|jsonld|nt` writes it; graph/rdf.py does the work.)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capexgraph.graph import build_graph, write_graph
from capexgraph.graph.rdf import RDF_FORMATS, RDFError, parse_rdf, read_rdf, to_rdf
from capexgraph.graph.shacl import shacl_validate
from capexgraph.ingest import load_records
from capexgraph.queries.sparql_library import ParamError, load_library, run

from .common import UsageError, add_dataset_options, library_command, param_overrides
from .render import print_rows

FORMAT_HELP = ", ".join(f"{k} ({v[0]})" for k, v in RDF_FORMATS.items())


def _rdf_graph(args: argparse.Namespace):
    """The RDF graph to work on: --rdf FILE / FILE if given, else the dataset exported in memory."""
    path = getattr(args, "rdf", None) or getattr(args, "file", None)
    if path:
        try:
            return parse_rdf(path, args.rdf_format)
        except RDFError as exc:
            raise UsageError(str(exc)) from None
    return to_rdf(build_graph(load_records(args.data), as_of=args.as_of))


# --- import-rdf -----------------------------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    try:
        g = read_rdf(args.file, args.format)
    except RDFError as exc:
        raise UsageError(str(exc)) from None
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            raise UsageError(f"--out {out}: a folder is there; give a file name such as graph.json")
        try:
            write_graph(g, "json", out)
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        print(f"read {args.file} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges); wrote {out} (json)")
    else:
        print(f"read {args.file}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
              f"(use --out FILE.json to write the graph)")
    return 0


# --- shacl ---------------------------------------------------------------------------------------
def cmd_shacl(args: argparse.Namespace) -> int:
    rdf = _rdf_graph(args)
    what = args.file or "the dataset" + (f" in {args.data}" if args.data else " shipped with capexgraph")
    report = shacl_validate(rdf)
    bad = [v for v in report.violations if v.severity == "Violation"]
    for v in report.violations:
        print(v.line(), file=sys.stderr if v.severity == "Violation" else sys.stdout)
    if report.conforms and not bad:
        print(f"OK: {what} conforms to the capexgraph SHACL shapes ({report.triples} triples)")
        return 0
    print(f"{len(bad)} violation{'s' if len(bad) != 1 else ''} of the capexgraph SHACL shapes in {what}",
          file=sys.stderr)
    return 1


# --- sparql --------------------------------------------------------------------------------------
def cmd_sparql(args: argparse.Namespace) -> int:
    q = library_command(load_library(), args, "sparql",
                        "capexgraph sparql show NAME prints one; "
                        "capexgraph sparql run NAME --param k=v runs it on the dataset.",
                        lambda q: q.text)
    if q is None:
        return 0
    overrides = param_overrides(args.param)
    unknown = [k for k in overrides if k not in q.params]
    if unknown:  # before loading anything: a typo is reported at once
        raise UsageError(f"query '{q.name}' has no parameter '{unknown[0]}'; its parameters: "
                         f"{', '.join(q.params) or 'none'}")
    rdf = _rdf_graph(args)
    try:
        columns, rows = run(q, rdf, overrides)
    except ParamError as exc:
        raise UsageError(str(exc)) from None
    print_rows(columns, rows, args.format)
    return 0


def _rdf_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rdf-format", choices=sorted(RDF_FORMATS), default=None,
                   help="format of the RDF file (default: from its extension)")


def register(sub) -> None:
    i = sub.add_parser("import-rdf", help="read a Turtle, JSON-LD or N-Triples export back into the graph",
                       description="Read an RDF file written by `capexgraph export --format ttl|jsonld|nt` "
                                   "back into the graph (every node, relationship, attribute and source); "
                                   "--out writes it as networkx node-link JSON. Formats: " + FORMAT_HELP + ".",
                       epilog="examples:\n  capexgraph import-rdf graph.ttl\n"
                              "  capexgraph import-rdf graph.jsonld --out graph.json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("file", type=Path, help="the RDF file")
    i.add_argument("--format", choices=sorted(RDF_FORMATS), default=None,
                   help="RDF format (default: from the extension: .ttl, .jsonld, .nt)")
    i.add_argument("--out", type=Path, metavar="FILE.json", help="write the graph as node-link JSON")
    i.set_defaults(func=cmd_import)

    s = sub.add_parser("shacl", help="validate RDF against the capexgraph SHACL shapes",
                       description="Validate an RDF file (default: the dataset, exported in memory) "
                                   "against graph/shapes.ttl with pySHACL: every company has a name and "
                                   "a category, every relationship two endpoints and at least one source "
                                   "with a URL and a date, amounts are non-negative decimals. Prints each "
                                   "violation with its focus node and path; exit code 1 if any.",
                       epilog="examples:\n  capexgraph shacl\n  capexgraph shacl graph.ttl\n"
                              "  capexgraph shacl --data my-data/",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("file", nargs="?", type=Path, help="an RDF file (default: the dataset)")
    s.add_argument("--format", dest="rdf_format", choices=sorted(RDF_FORMATS), default=None,
                   help="RDF format of FILE (default: from its extension)")
    add_dataset_options(s)
    s.set_defaults(func=cmd_shacl)

    q = sub.add_parser("sparql", help="list, show or run the named SPARQL queries",
                       description="The SPARQL query library (queries/sparql/*.rq). `run` executes a query "
                                   "with rdflib on the dataset exported in memory (or on --rdf FILE).",
                       epilog="examples:\n  capexgraph sparql list\n  capexgraph sparql show suppliers_of\n"
                              "  capexgraph sparql run suppliers_of --param company=meta\n"
                              "  capexgraph sparql run announced_between --param from=2025-10-01 "
                              "--param to=2025-10-31 --format csv",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("action", nargs="?", choices=["list", "show", "run"], default="list")
    q.add_argument("name", nargs="?")
    q.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="set a parameter (see `sparql show NAME` for its parameters)")
    q.add_argument("--format", choices=["table", "markdown", "json", "csv"], default="table")
    q.add_argument("--rdf", type=Path, metavar="FILE", help="run on this RDF file instead of the dataset")
    _rdf_input_options(q)
    add_dataset_options(q)
    q.set_defaults(func=cmd_sparql)

