"""`capexgraph load-neo4j` and `capexgraph cypher`: the graph in Neo4j, and the query library."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.queries.cypher_library import ParamValueError, bind, load_library

from .common import UsageError, add_dataset_options, library_command, param_overrides
from .render import print_rows

LOAD_EPILOG = """\
examples:
  NEO4J_PASSWORD=secret capexgraph load-neo4j --uri bolt://localhost:7687 --user neo4j
  capexgraph load-neo4j --uri bolt://localhost:7687 --user neo4j --with-exposure
  capexgraph load-neo4j --uri bolt://localhost:7687 --user neo4j --wipe --yes
The password comes from $NEO4J_PASSWORD, or a prompt; --no-auth for servers without authentication.
"""


def _progress(stage: str, done: int, total: int) -> None:
    if not sys.stderr.isatty():
        if done == total:
            print(f"  {stage}: {done}/{total}", file=sys.stderr)
        return
    width = 30
    filled = int(width * done / total) if total else width
    print(f"\r  {stage:<13} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="",
          file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def connect(args: argparse.Namespace):
    """A verified driver, or one clear line about what failed."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    scheme = args.uri.split("://", 1)[0].lower() if "://" in args.uri else ""
    if scheme not in BOLT_SCHEMES:
        raise UsageError(f"bad --uri '{args.uri}': give a Bolt address such as bolt://localhost:7687 "
                         f"(schemes: {', '.join(BOLT_SCHEMES)}); Neo4j Browser's http:// port is not Bolt")

    if args.no_auth:
        auth = None
    else:
        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise UsageError("set NEO4J_PASSWORD (no terminal to prompt for the password), or use --no-auth")
            password = getpass.getpass(f"Neo4j password for {args.user}: ")
        auth = (args.user, password)
    try:
        # The server's notifications (a label not yet in an empty database, ...) would reach the
        # user as log blobs on stderr; the loader's and the library's Cypher are linted instead.
        driver = GraphDatabase.driver(args.uri, auth=auth, connection_timeout=10, notifications_min_severity="OFF")
        driver.verify_connectivity()
    except AuthError:
        raise UsageError(f"authentication failed for user '{args.user}' at {args.uri}") from None
    except (ServiceUnavailable, OSError) as exc:
        raise UsageError(f"cannot connect to {args.uri}: {str(exc).splitlines()[0]}") from None
    except (ConfigurationError, ValueError) as exc:
        raise UsageError(f"bad --uri '{args.uri}': {exc}") from None
    return driver


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: a batch holds at least 1 row")
    return value


def lost_connection(uri: str, exc: Exception, what: str) -> UsageError:
    """The server went away in the middle: say so in one line, and that a rerun is safe."""
    return UsageError(f"lost the connection to {uri} during the {what} ({str(exc).splitlines()[0][:160]}); "
                      f"run the same command again: loading is idempotent")


def _connection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--uri", default="bolt://localhost:7687", help="Bolt URI (default bolt://localhost:7687)")
    p.add_argument("--user", default="neo4j", help="user name (default neo4j)")
    p.add_argument("--database", default=None, help="database name (default: the server's default)")
    p.add_argument("--no-auth", action="store_true", help="connect without authentication")


def cmd_load(args: argparse.Namespace) -> int:
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from capexgraph.queries.neo4j_load import Neo4jLoader

    records = load_records(args.data)
    g = build_graph(records, as_of=args.as_of)
    driver = connect(args)
    try:
        loader = Neo4jLoader(driver, args.database, args.batch_size, _progress)
        if args.wipe:
            if not args.yes:
                if not sys.stdin.isatty():
                    raise UsageError("--wipe deletes every node capexgraph loaded: confirm with --yes")
                answer = input(f"Delete every capexgraph node in {args.uri}? [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    print("nothing deleted")
                    return 1
            print(f"deleted {loader.wipe()} capexgraph nodes (and their relationships)")
            if args.wipe_only:
                return 0
        exposure, weights = None, None
        if args.with_exposure:
            exposure, weights = _exposure_properties(g, records.schema)
        print(f"loading {g.number_of_nodes()} nodes and {g.number_of_edges()} relationships "
              f"into {args.uri} ...", file=sys.stderr)
        try:
            summary = loader.load(g, records.schema, exposure=exposure, weights=weights)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise lost_connection(args.uri, exc, "load") from None
        print(summary.line())
        if exposure:
            print("exposure properties: " + ", ".join(sorted(exposure)))
    finally:
        driver.close()
    return 0


def _exposure_properties(g, schema) -> tuple[dict[str, dict[str, float]], Any]:
    """Every library scenario's scores as node properties: `exposure_<name>` (the loss, in
    [0, 1]), and for scenarios that name gainers `gain_<name>` and `net_<name>` (loss - gain)."""
    import re

    from capexgraph.queries.analysis import run_scenarios
    from capexgraph.queries.scenarios import scenario_library
    from capexgraph.queries.weights import derive_weights

    weights = derive_weights(g, schema)
    props: dict[str, dict[str, float]] = {}
    for name, sc in scenario_library().items():
        if not re.match(r"^[a-z0-9_]+$", name):
            continue  # property names come from an allow-list pattern, never raw text
        ex = run_scenarios(g, weights, [sc])
        props[f"exposure_{name}"] = {n: float(s) for n, s in zip(ex.nodes, ex.scores)}
        if ex.has_gains:
            props[f"gain_{name}"] = {n: float(s) for n, s in zip(ex.nodes, ex.gains)}
            props[f"net_{name}"] = {n: float(s) for n, s in zip(ex.nodes, ex.net)}
    return props, weights


def cmd_cypher(args: argparse.Namespace) -> int:
    q = library_command(load_library(), args, "cypher",
                        "capexgraph cypher show NAME prints one (paste it into Neo4j Browser).",
                        lambda q: q.source)
    if q is None:
        return 0
    overrides = param_overrides(args.param)
    try:
        params = bind(q, overrides)
    except KeyError as exc:
        raise UsageError(f"query '{q.name}' has no parameter {exc}; its parameters: "
                         f"{', '.join(q.params) or 'none'}") from None
    except ParamValueError as exc:
        raise UsageError(f"--param: {exc}") from None
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from capexgraph.queries.neo4j_load import Neo4jLoader

    driver = connect(args)
    try:
        rows = Neo4jLoader(driver, args.database).run(q.text, **params)
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise lost_connection(args.uri, exc, "query") from None
    finally:
        driver.close()
    print_rows(list(rows[0]) if rows else [], rows, args.format)
    return 0


EXPOSURE_EPILOG = """\
examples:
  capexgraph load-neo4j --with-exposure                 first: the graph and its exposure weights
  capexgraph neo4j-exposure --shock export_controls     the scenario computed by Neo4j, top 15
  capexgraph neo4j-exposure --shock taiwan_strait --top 30 --format json
  capexgraph neo4j-exposure --scenario my_shock.yaml
The fixed points run as Cypher in the database (one aggregation query per iteration), the same model
as `exposure`, to 1e-12; the scores are written to the nodes as exposure_<name> (gain_<name> and
net_<name> when the scenario names gainers), so a Browser query can rank by them:
  MATCH (c:Company) RETURN c.name, c.exposure_export_controls ORDER BY c.exposure_export_controls DESC
"""


def cmd_exposure(args: argparse.Namespace) -> int:
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from capexgraph.queries.neo4j_exposure import run_in_database
    from capexgraph.queries.neo4j_load import Neo4jLoader
    from capexgraph.queries.scenarios import resolve_seeds, scenario_library
    from capexgraph.queries.weights import derive_weights

    from .exposure import choose_scenarios

    chosen = choose_scenarios(args, scenario_library())
    if len(chosen) != 1:
        raise UsageError("name one scenario: --shock NAME or --scenario FILE.yaml")
    sc = chosen[0]
    records = load_records(args.data)
    g = build_graph(records, as_of=args.as_of)
    weights = derive_weights(g, records.schema)
    try:
        seeds = resolve_seeds(sc, g, 1.0, weights)
    except KeyError as exc:
        raise UsageError(f"scenario '{sc.name}': seed {exc} is not a node of the graph") from None
    driver = connect(args)
    try:
        loader = Neo4jLoader(driver, args.database)
        print(f"running {sc.name} in {args.uri} ...", file=sys.stderr)
        res = run_in_database(loader.run, weights, sc.name, seeds, sc.channels, sc.cap,
                              scarcest=sc.scarcest)
        names = {r["id"]: r["name"] for r in loader.run(
            "MATCH (n:CapexGraph) WHERE n.id IN $ids RETURN n.id AS id, n.name AS name",
            ids=sorted(set(res.loss) | set(res.gain)))}
    except (LookupError, ValueError) as exc:   # no weights loaded; a scenario name unfit for a property
        raise UsageError(str(exc)) from None
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise lost_connection(args.uri, exc, "exposure run") from None
    finally:
        driver.close()
    losers = res.ranked("loss", args.top, weights.places)
    gainers = res.ranked("gain", args.top, weights.places)
    row = lambda i, n: {"rank": i, "id": n, "company": names.get(n, n), "net": round(res.net(n), 6),  # noqa: E731
                        "loss": round(res.loss.get(n, 0.0), 6), "gain": round(res.gain.get(n, 0.0), 6)}
    its = {side: sum(v.values()) for side, v in res.iterations.items()}
    if args.format == "json":
        import json

        print(json.dumps({"scenario": sc.name, "computed_in": "neo4j", "seconds": round(res.seconds, 3),
                          "iterations": res.iterations,
                          "losers": [row(i, n) for i, n in enumerate(losers, 1)],
                          "gainers": [row(i, n) for i, n in enumerate(gainers, 1)]}, indent=2))
        return 0
    print(f"{sc.title}  [{sc.name}, computed in Neo4j]")
    for title, chosen_rows in (("Most exposed (net losers)", losers), ("Who gains (net gainers)", gainers)):
        if chosen_rows:
            print(f"\n{title}\n")
            rows = [row(i, n) for i, n in enumerate(chosen_rows, 1)]
            print_rows(list(rows[0]), [{**r, "net": f"{r['net']:+.3f}", "loss": f"{r['loss']:.3f}",
                                        "gain": f"{r['gain']:.3f}"} for r in rows], args.format)
    print(f"\n{res.seconds:.2f}s in the database, {its.get('loss', 0)} iterations for losses"
          + (f", {its['gain']} for gains" if its.get("gain") else "")
          + f"; written to the nodes as exposure_{sc.name}. Paths and --explain: exposure --shock {sc.name}")
    return 0


def register(sub) -> None:
    from capexgraph.queries.neo4j_load import Neo4jLoader

    p = sub.add_parser("load-neo4j", help="load the graph into Neo4j with the official driver",
                       description="Load the graph into Neo4j 5 with batched, "
                                   "idempotent MERGE writes. Provenance travels on every relationship.",
                       epilog=LOAD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _connection_options(p)
    add_dataset_options(p)
    p.add_argument("--with-exposure", action="store_true",
                   help="also write each scenario's scores (exposure_<name>) and the exposure weights")
    p.add_argument("--wipe", action="store_true", help="first delete what capexgraph loaded (asks; --yes skips)")
    p.add_argument("--wipe-only", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--batch-size", type=_positive, default=Neo4jLoader.DEFAULT_BATCH_SIZE,
                   help=f"rows per transaction (default {Neo4jLoader.DEFAULT_BATCH_SIZE:,})")
    p.set_defaults(func=cmd_load)

    e = sub.add_parser("neo4j-exposure", help="run a scenario's exposure inside Neo4j (for graphs too large for Python)",
                       description="Compute a scenario's exposure in Neo4j with Cypher, over the weights "
                                   "`load-neo4j --with-exposure` wrote, and rank the result.",
                       epilog=EXPOSURE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("--shock", action="append", metavar="NAME", help="a library scenario (exposure --list-shocks)")
    e.add_argument("--scenario", type=Path, action="append", metavar="FILE.yaml", help="a scenario file")
    e.add_argument("--top", type=_positive, default=15, help="rows per table (default 15)")
    e.add_argument("--format", choices=["table", "markdown", "json"], default="table")
    _connection_options(e)
    add_dataset_options(e)
    e.set_defaults(func=cmd_exposure)

    c = sub.add_parser("cypher", help="list, show or run the named Cypher queries",
                       description="The Cypher query library (queries/cypher/*.cypher). Each file runs "
                                   "as pasted into Neo4j Browser; `run` executes it over Bolt.",
                       epilog="examples:\n  capexgraph cypher list\n  capexgraph cypher show suppliers_of\n"
                              "  capexgraph cypher run suppliers_of --param company=meta --no-auth",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("action", nargs="?", choices=["list", "show", "run"], default="list")
    c.add_argument("name", nargs="?")
    c.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="override a parameter (a Cypher literal, or bare text)")
    c.add_argument("--format", choices=["table", "markdown", "json"], default="table")
    _connection_options(c)
    c.set_defaults(func=cmd_cypher)
