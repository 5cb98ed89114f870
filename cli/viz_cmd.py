"""`capexgraph viz`: write the interactive graph (and, for a shock, the exposure chart).

Also the helpers the `exposure` command calls for `--html out.html --chart out.png`.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from capexgraph.graph import build_graph
from capexgraph.ingest import Schema, load_records
from capexgraph.ingest.atomic import OutputError, after_commit, all_or_nothing
from capexgraph.queries.analysis import run_scenarios
from capexgraph.queries.exposure import Exposure
from capexgraph.queries.scenarios import ScenarioError, scenario_library
from capexgraph.queries.weights import derive_weights

from .common import UsageError, add_dataset_options
from .common import magnitude as magnitude_arg


EPILOG = """\
examples:
  capexgraph viz --out graph.html                         the whole graph, one offline HTML file
  capexgraph viz --out graph.html --lang ko --title "AI 인프라 공급망"
  capexgraph viz --out nvda.html --focus NVDA --depth 2    open on Nvidia's neighbourhood
  capexgraph viz --out taiwan.html --shock taiwan_strait --chart taiwan.png
  capexgraph viz --out q2.html --as-of 2025-06-30         the graph as known on that date

The page needs no network: open it from disk, a USB stick or an e-mail attachment.
"""




def _depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("depth must be >= 1")
    return value


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `viz` subcommand to the capexgraph CLI's subparsers."""
    p = subparsers.add_parser(
        "viz", help="write the graph as one interactive, offline HTML page (and a shock chart)",
        description="Write the knowledge graph as a self-contained HTML page: coloured by category, "
                    "sized by revenue, with search, filters and a neighbourhood focus. With --shock, "
                    "nodes are coloured by exposure and the strongest paths are highlighted.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, type=Path, metavar="FILE.html", help="the page to write")
    p.add_argument("--lang", choices=["en", "ko"], default="en", help="names and controls language")
    p.add_argument("--title", help="slide title (default: a description of the view)")
    p.add_argument("--subtitle", help="slide subtitle (default: counts, focus and date)")
    p.add_argument("--focus", metavar="ID_OR_TICKER", help="open on this company's neighbourhood")
    p.add_argument("--depth", type=_depth, default=2, metavar="N", help="links away from --focus (default 2)")
    p.add_argument("--shock", action="append", metavar="NAME",
                   help="colour by exposure to this scenario (repeat to combine); see exposure --list-shocks")
    p.add_argument("--magnitude", type=magnitude_arg, default=1.0, metavar="X",
                   help="with --shock: scale every seed (number, optimistic, neutral, pessimistic)")
    p.add_argument("--scenario-dir", action="append", type=Path, default=[], metavar="DIR",
                   help="also look for scenario YAML files here")
    p.add_argument("--chart", type=Path, metavar="FILE.png|FILE.svg",
                   help="with --shock: also write the ranked exposure chart")
    p.add_argument("--top", type=int, default=15, metavar="N", help="companies in the chart (default 15)")
    add_dataset_options(p)
    p.set_defaults(func=cmd_viz)
    return p


def _check_out(path: Path, suffixes: tuple[str, ...], what: str) -> None:
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"{what} {path}: use a {' or '.join(suffixes)} file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{what} {path}: folder {parent} does not exist")
    if path.is_dir():
        raise UsageError(f"{what} {path}: is a folder")


def _title(shock: dict | None, lang: str, magnitude: float) -> str | None:
    if not shock:
        return None
    t = shock.get("title_ko") if lang == "ko" and shock.get("title_ko") else shock.get("title")
    return f"{t} (×{magnitude:g})" if t and magnitude != 1.0 else t


def _subtitle(shock: dict | None, lang: str) -> str | None:
    """What a slide must say under the title: which scenario, at what size, on which data."""
    if not shock:
        return None
    ko = lang == "ko"
    parts = [f"{'시나리오' if ko else 'scenario'} {shock['name']}",
             f"{'충격 크기' if ko else 'magnitude'} x{shock.get('magnitude', 1.0):g}",
             (f"{'기준일' if ko else 'as of'} {shock['as_of']}" if shock.get("as_of") else
              ("전체 데이터" if ko else "all data to date"))]
    return " · ".join(parts)


def html_for_exposure(ex: Exposure | None, g: nx.MultiDiGraph, out: Path | str, *, lang: str = "en",
                      title: str | None = None, subtitle: str | None = None, focus: str | None = None,
                      depth: int = 2, shock: dict | None = None, schema: Schema | None = None) -> Path:
    """Write the graph page for an exposure run (`shock` is the exposure command's shock dict)."""
    from capexgraph.viz import VizError, render_html  # late: loaded only when a page is asked for

    _check_out(Path(out), (".html", ".htm"), "--html")
    try:
        return render_html(g, out, lang=lang, title=title or _title(shock, lang, (shock or {}).get("magnitude", 1.0)),
                           subtitle=subtitle, focus=focus, depth=depth, exposure=ex, schema=schema)
    except VizError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None


def chart_for_exposure(ex_or_rows: Exposure | list[dict], out: Path | str, *, g: nx.MultiDiGraph | None = None,
                       lang: str = "en", title: str | None = None, subtitle: str | None = None,
                       top: int = 15, shock: dict | None = None) -> Path:
    """Write the ranked chart from an Exposure or from the exposure command's result rows."""
    from capexgraph.viz import VizError  # late: the drawing libraries load only for a chart
    from capexgraph.viz.chart import exposure_rows, render_chart

    _check_out(Path(out), (".png", ".svg"), "--chart")
    rows = ex_or_rows if isinstance(ex_or_rows, list) else exposure_rows(ex_or_rows, g, lang, top)
    try:
        return render_chart(rows, out, lang=lang, title=title or _title(shock, lang, (shock or {}).get("magnitude", 1.0)),
                            subtitle=subtitle or _subtitle(shock, lang), top=top)
    except VizError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None


def add_exposure_outputs(p: argparse.ArgumentParser) -> None:
    """Options for the `exposure` command: --html FILE and --chart FILE."""
    p.add_argument("--html", type=Path, metavar="FILE.html",
                   help="also write the graph coloured by exposure (one offline HTML page)")
    p.add_argument("--chart", type=Path, metavar="FILE.png|FILE.svg",
                   help="also write the ranked exposure chart (PNG or SVG)")
    p.add_argument("--rdf", type=Path, metavar="FILE.ttl|.jsonld|.nt",
                   help="also write every company's loss, gain and net as RDF (cg:ExposureScore)")


@contextmanager
def outputs_together() -> Iterator[None]:
    """Every output written inside the block goes into place at its end, or none does.

    Why: `exposure --html a --chart b --rdf c` (and `viz --out --chart`) must not leave the page
    written when the chart fails, nor any output when the command fails after rendering.
    A failure to put them in place is one line (UsageError), the user's files as they were."""
    try:
        with all_or_nothing():
            yield
    except OutputError as exc:
        raise UsageError(str(exc)) from None


def _report(path: Path | str, stream: Any = None) -> None:
    after_commit(lambda: print(f"wrote {path}", file=stream or sys.stderr))


def write_exposure_outputs(args: argparse.Namespace, ex: Exposure, g: nx.MultiDiGraph | None,
                           shock: dict, schema: Schema | None = None) -> None:
    """For `exposure ... --html/--chart/--rdf`: write what was asked, all or nothing, and report
    on stderr (stdout stays data). Every name is checked before anything is rendered."""
    html_out, chart_out = getattr(args, "html", None), getattr(args, "chart", None)
    rdf_out = getattr(args, "rdf", None)
    if html_out:
        if g is None:
            raise UsageError("--html draws the capexgraph dataset; it does not work with --graph")
        _check_out(Path(html_out), (".html", ".htm"), "--html")
    if chart_out:
        _check_out(Path(chart_out), (".png", ".svg"), "--chart")
    if rdf_out:
        from capexgraph.graph.rdf import EXTENSIONS, guess_format

        try:
            guess_format(rdf_out)
        except ValueError:
            raise UsageError(f"--rdf {rdf_out}: name the file .ttl, .jsonld or .nt") from None
        _check_out(Path(rdf_out), tuple(EXTENSIONS), "--rdf")
    with outputs_together():
        if html_out:
            _report(html_for_exposure(ex, g, html_out, lang=args.lang, shock=shock, schema=schema))
        if chart_out:
            _report(chart_for_exposure(ex, chart_out, g=g, lang=args.lang, top=args.top or 15, shock=shock))
        if rdf_out:
            from capexgraph.graph.rdf import write_exposure_rdf

            scores = {n: (float(l_), float(g_)) for n, l_, g_ in zip(ex.nodes, ex.scores, ex.gains)
                      if n not in ex.weights.places}
            try:
                write_exposure_rdf(rdf_out, shock["name"], shock["title"], scores)
            except OSError as exc:
                raise UsageError(f"cannot write {rdf_out}: {exc.strerror or exc}") from None
            _report(rdf_out)


def cmd_viz(args: argparse.Namespace) -> int:
    from capexgraph.viz import VizError, render_html

    _check_out(args.out, (".html", ".htm"), "--out")
    if args.chart and not args.shock:
        raise UsageError("--chart ranks exposures: add --shock NAME")
    if args.chart:
        _check_out(args.chart, (".png", ".svg"), "--chart")
    if args.top < 0:
        raise UsageError("--top must be >= 0")
    records = load_records(args.data)
    g = build_graph(records, as_of=args.as_of)
    ex, shock = None, None
    if args.shock:
        try:
            lib = scenario_library(args.scenario_dir)
            unknown = [s for s in args.shock if s not in lib]
            if unknown:
                raise UsageError(f"unknown shock '{unknown[0]}'; valid: {', '.join(sorted(lib))}")
            scenarios = [lib[s] for s in args.shock]
            ex = run_scenarios(g, derive_weights(g, records.schema), scenarios, args.magnitude)
        except ScenarioError as exc:
            raise UsageError(str(exc)) from None
        shock = {"name": "+".join(sc.name for sc in scenarios), "magnitude": args.magnitude,
                 "title": " + ".join(sc.title for sc in scenarios),
                 "title_ko": " + ".join((sc.title_ko or sc.title) for sc in scenarios)}
    what = f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships"
    title = args.title or _title(shock, args.lang, args.magnitude)
    with outputs_together():  # the page and the chart, or neither
        try:
            render_html(g, args.out, lang=args.lang, title=title, subtitle=args.subtitle, focus=args.focus,
                        depth=args.depth, exposure=ex, schema=records.schema)
        except VizError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        _report(f"{args.out} ({what}{', exposure to ' + shock['name'] if shock else ''})", sys.stdout)
        if args.chart:
            chart_for_exposure(ex, args.chart, g=g, lang=args.lang, title=title, top=args.top or 15)
            _report(args.chart, sys.stdout)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m capexgraph.cli.viz_cmd ...`) until `viz` is wired into capexgraph."""
    from .common import run_guarded

    parser = argparse.ArgumentParser(prog="capexgraph")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register(sub)
    args = parser.parse_args(["viz", *(sys.argv[1:] if argv is None else argv)])
    return run_guarded(lambda: args.func(args))


if __name__ == "__main__":
    sys.exit(main())
