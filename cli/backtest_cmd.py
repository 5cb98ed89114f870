"""`capexgraph backtest`: rank a scenario's exposure against real market days."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.ingest.events import default_events_dir, load_events
from capexgraph.queries.analysis import run_scenarios
from capexgraph.queries.backtest import MIN_NAMES, score_event, set_summary
from capexgraph.queries.scenarios import ScenarioError, scenario_library
from capexgraph.queries.weights import derive_weights

from .common import UsageError, add_dataset_options
from .render import table

EPILOG = f"""\
examples:
  capexgraph backtest                                    every shipped event day, both scenarios
  capexgraph backtest --shock capex_cut                  the demand-scare days only
  capexgraph backtest --shock export_controls --format markdown
  capexgraph backtest my-events/ --shock capex_cut       your own days (events.csv, moves.csv, sources.csv)
  capexgraph backtest --event deepseek-2025-01-27 --format json   one day, every matched company

how to read it: for each day, the companies with a recorded one-day move that are in the graph are
ranked by the scenario's net exposure and by their loss that day (minus the move, market-adjusted;
the gain on a day that eased the shock). Spearman's rho and Kendall's tau near 1 mean the model
ordered them as the market did. "degree" ranks by number of relationships, "direct" by the
scenario's direct hits alone: the model adds something only where it beats both. Days with fewer
than {MIN_NAMES} matched companies are listed without statistics. The development set may have been
looked at while the rules were improved; the held-aside set never was (data/events/README.md).
"""


def register(sub) -> None:
    b = sub.add_parser("backtest", help="compare a scenario's exposure ranking with real market days",
                       description="An event study: the exposure ranking against one-day stock moves on "
                                   "real shock days (data/events/).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("events", nargs="?", type=Path, metavar="EVENTS",
                   help="folder with events.csv, moves.csv and sources.csv (or its events.csv); "
                        "default: the shipped event days")
    b.add_argument("--shock", action="append", metavar="NAME",
                   help="only the days that test this scenario (repeat for several)")
    b.add_argument("--event", action="append", metavar="ID", help="only this event day")
    b.add_argument("--set", choices=["development", "held_aside", "all"], default="all")
    b.add_argument("--format", choices=["table", "markdown", "json"], default="table")
    add_dataset_options(b)
    b.set_defaults(func=cmd_backtest)


def _fmt(x) -> str:
    return "" if x is None else f"{x:+.2f}"


def cmd_backtest(args: argparse.Namespace) -> int:
    root = args.events or default_events_dir()
    if root.suffix.lower() == ".csv":
        root = root.parent
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder (it needs events.csv, moves.csv and sources.csv)")
    events = load_events(root)
    try:
        lib = scenario_library()
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None
    if args.shock:
        unknown = [s for s in args.shock if s not in lib]
        if unknown:
            raise UsageError(f"unknown shock '{unknown[0]}'; valid: {', '.join(sorted(lib))}")
        events = [e for e in events if e.scenario in args.shock]
    if args.event:
        known = {e.event for e in events}
        missing = [e for e in args.event if e not in known]
        if missing:
            raise UsageError(f"unknown event '{missing[0]}'; valid: {', '.join(sorted(known))}")
        events = [e for e in events if e.event in args.event]
    if args.set != "all":
        events = [e for e in events if e.set == args.set]
    missing = sorted({e.scenario for e in events} - set(lib))
    if missing:
        raise UsageError(f"{root}/events.csv names scenario '{missing[0]}', which is not in the library")
    records = load_records(args.data)
    g = build_graph(records, as_of=args.as_of)
    weights = derive_weights(g, records.schema)
    runs = {name: run_scenarios(g, weights, [lib[name]]) for name in sorted({e.scenario for e in events})}
    results = [score_event(e, runs[e.scenario], g) for e in events]
    by_scenario = {name: set_summary([r for r in results if r.event.scenario == name]) for name in runs}
    if args.format == "json":
        print(json.dumps({"min_names": MIN_NAMES, "summary": by_scenario,
                          "events": [r.summary() for r in results]}, ensure_ascii=False, indent=1,
                         default=str))
        return 0
    fmt = args.format
    b = "**" if fmt == "markdown" else ""
    for name in runs:
        print(f"{'#### ' if fmt == 'markdown' else ''}{lib[name].title}  [{name}]")
        print()
        rows = []
        for r in results:
            if r.event.scenario != name:
                continue
            rows.append([r.event.event, r.event.set.replace("_", " "), r.event.direction, r.n,
                         _fmt(r.model.get("spearman")), _fmt(r.model.get("kendall")),
                         _fmt(r.degree.get("spearman")), _fmt(r.direct.get("spearman"))]
                        if r.scored else
                        [r.event.event, r.event.set.replace("_", " "), r.event.direction, r.n,
                         f"(< {MIN_NAMES} names)", "", "", ""])
        print(table(["event", "set", "direction", "matched", "rho", "tau", "rho degree", "rho direct"],
                    rows, "markdown" if fmt == "markdown" else "table", right=[3, 4, 5, 6, 7]))
        print()
        summary = []
        for which, block in by_scenario[name].items():
            summary.append([which.replace("_", " "), f"{block['scored_events']} of {block['events']}",
                            block["matched"], _fmt(block["model_spearman"]), _fmt(block["model_kendall"]),
                            _fmt(block["degree_spearman"]), _fmt(block["direct_spearman"])])
        print(f"{b}By set{b} (means weighted by matched companies):")
        if fmt == "markdown":
            print()
        print(table(["set", "days scored", "companies", "rho", "tau", "rho degree", "rho direct"], summary,
                    "markdown" if fmt == "markdown" else "table", right=[2, 3, 4, 5, 6]))
        print()
    return 0
