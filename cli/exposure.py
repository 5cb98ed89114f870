"""`exposure`: who is exposed to a shock, how much, and through which path."""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import networkx as nx

from capexgraph.graph import build_graph
from capexgraph.ingest import load_records
from capexgraph.queries.exposure import Exposure, run_exposure, weights_from_frame
from capexgraph.queries.scenarios import (Scenario, ScenarioError, load_scenario_file,
                                          resolve_seeds, scenario_library)
from capexgraph.queries.weights import CHANNELS, derive_weights

from .common import UsageError, add_dataset_options, run_guarded
from .common import magnitude as magnitude_arg
from .render import table
from .viz_cmd import add_exposure_outputs, write_exposure_outputs

HEAD = {
    "en": {"rank": "rank", "company": "company", "ticker": "ticker", "category": "category",
           "score": "score", "supply": "supply", "demand": "demand", "financial": "financial",
           "direct": "direct", "path": "strongest path", "weight": "weight",
           "contribution": "contribution"},
    "ko": {"rank": "순위", "company": "기업", "ticker": "티커", "category": "분류", "score": "노출도",
           "supply": "공급", "demand": "수요", "financial": "금융", "direct": "직접",
           "path": "주요 경로", "weight": "비중", "contribution": "기여"},
}

EPILOG = """\
examples:
  exposure --list-shocks
  exposure --shock export_controls                     ranked table, top 15
  exposure --shock taiwan_strait --top 30 --format markdown > taiwan.md
  exposure --shock capex_cut --magnitude pessimistic   scale every seed by 1.5
  exposure --shock export_controls --shock tariffs     combine scenarios
  exposure --shock export_controls --explain NVDA      paths, edges and sources behind one score
  exposure --shock power_shortage --portfolio book.csv (columns ticker,weight)
  exposure --shock export_controls --as-of 2025-06-30  the graph as known on that date
  exposure --shock export_controls --lang ko           Korean names and headings
  exposure --graph edges.csv --scenario shock.yaml     your own network (source,target,channel,weight)
  exposure --shock taiwan_strait --html taiwan.html --chart taiwan.png   slide-ready graph and chart

scores are in [0, 1]: the fraction of a company's value the model says is at risk. channel
columns show supply (shock travels supplier -> customer), demand (customer -> supplier) and
financial (investee -> investor). Weights without a published number are estimated; --explain
shows which, with the rule behind each (data/exposure.yaml).
"""




def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="exposure", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Rank companies by their exposure to a shock (export controls, a power "
                    "shortage, a Taiwan foundry disruption, a capex cut ...) propagated along the "
                    "supply, demand and financial links of the capexgraph knowledge graph.")
    p.add_argument("--shock", action="append", metavar="NAME",
                   help="scenario name (repeat to combine); see --list-shocks")
    p.add_argument("--list-shocks", action="store_true", help="list scenario names and descriptions")
    p.add_argument("--scenario-dir", action="append", type=Path, metavar="DIR", default=[],
                   help="also look for scenario YAML files here (also $CAPEXGRAPH_SCENARIOS)")
    p.add_argument("--scenario", type=Path, metavar="FILE.yaml", help="run one scenario file")
    p.add_argument("--magnitude", type=magnitude_arg, default=1.0, metavar="X",
                   help="scale every seed: a number, or optimistic (0.5), neutral (1), pessimistic (1.5)")
    p.add_argument("--top", type=int, default=15, metavar="N", help="rows to show (default 15; 0 = all)")
    p.add_argument("--format", choices=["table", "markdown", "csv", "json"], default="table")
    p.add_argument("--lang", choices=["en", "ko"], default="en", help="names and headings language")
    p.add_argument("--explain", metavar="ID_OR_TICKER", help="explain one company's score")
    p.add_argument("--portfolio", type=Path, metavar="FILE.csv",
                   help="CSV with columns ticker,weight: portfolio exposure and each holding's part")
    p.add_argument("--graph", type=Path, metavar="EDGES.csv",
                   help="run on your own network: columns source,target,channel,weight")
    p.add_argument("--paths", type=int, default=3, metavar="K", help="paths per company in JSON/explain")
    add_exposure_outputs(p)
    add_dataset_options(p)
    return p


# --- inputs -----------------------------------------------------------------------------------
def read_edgelist(path: Path):
    """`source,target,channel,weight` from CSV or Parquet, checked column by column (vectorised)."""
    import numpy as np
    import pandas as pd

    need = ["source", "target", "channel", "weight"]
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path, columns=None)
            first_line = 0  # Parquet rows have no line numbers; report row index + 1
        else:
            try:  # pyarrow's reader: multi-threaded, and strings stay in compact Arrow buffers
                frame = pd.read_csv(path, engine="pyarrow", dtype_backend="pyarrow")
            except ImportError:
                frame = pd.read_csv(path, dtype={"source": str, "target": str, "channel": str},
                                    keep_default_na=False, encoding="utf-8-sig")
            first_line = 2  # header is line 1
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, ValueError, pd.errors.ParserError, ImportError) as exc:
        raise UsageError(f"{path}: cannot read the edge list ({str(exc).splitlines()[0]})") from None
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise UsageError(f"{path}:1: missing column(s) {', '.join(missing)}; expected {','.join(need)}")

    def where(i: int) -> str:
        return f"{path}:{i + first_line}" if first_line else f"{path}: row {i + 1}"

    channel = frame["channel"].astype("string")
    bad = np.flatnonzero(~channel.isin(CHANNELS).to_numpy())
    if len(bad):
        raise UsageError(f"{where(bad[0])}: field 'channel': '{channel.iloc[bad[0]]}' is not one of "
                         f"{', '.join(CHANNELS)}")
    weight = pd.to_numeric(frame["weight"], errors="coerce").astype("float64")
    bad = np.flatnonzero(weight.isna().to_numpy())
    if len(bad):
        raise UsageError(f"{where(bad[0])}: field 'weight': '{frame['weight'].iloc[bad[0]]}' is not a number")
    bad = np.flatnonzero((weight < 0).to_numpy())
    if len(bad):
        raise UsageError(f"{where(bad[0])}: field 'weight': {weight.iloc[bad[0]]} is negative")
    for col in ("source", "target"):
        ids = frame[col].astype("string")
        bad = np.flatnonzero((ids.isna() | (ids.str.len() == 0)).fillna(True).to_numpy(dtype=bool))
        if len(bad):
            raise UsageError(f"{where(bad[0])}: field '{col}': empty node id")
    return pd.DataFrame({"source": frame["source"], "target": frame["target"],
                         "channel": channel, "weight": weight.astype(float)})


def read_portfolio(path: Path, g: nx.MultiDiGraph) -> list[tuple[str, float, str]]:
    lookup = ticker_index(g)
    holdings = []
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        reader = csv.DictReader(fh)
        if not {"ticker", "weight"} <= set(reader.fieldnames or []):
            raise UsageError(f"{path}:1: a portfolio file needs the columns ticker,weight")
        for rec in reader:
            line = reader.line_num
            t = (rec["ticker"] or "").strip()
            node = lookup.get(t.upper())
            if not node:
                raise UsageError(f"{path}:{line}: field 'ticker': unknown ticker '{t}'")
            try:
                w = float(rec["weight"])
            except ValueError:
                raise UsageError(f"{path}:{line}: field 'weight': '{rec['weight']}' is not a number") from None
            holdings.append((node, w, t))
    if not holdings or sum(w for _, w, _ in holdings) <= 0:
        raise UsageError(f"{path}: no holdings with a positive total weight")
    return holdings


def ticker_index(g: nx.MultiDiGraph) -> dict[str, str]:
    """Upper-cased ids, tickers, names and aliases -> node id."""
    out: dict[str, str] = {}
    for n, d in g.nodes(data=True):
        for key in [n, d.get("ticker"), d.get("name"), *(d.get("aliases") or [])]:
            if key:
                out.setdefault(str(key).upper(), n)
    return out


def choose_scenarios(args, lib: dict[str, Scenario]) -> list[Scenario]:
    chosen = []
    for name in args.shock or []:
        if name not in lib:
            raise UsageError(f"unknown shock '{name}'; valid: {', '.join(sorted(lib))}")
        chosen.append(lib[name])
    if args.scenario:
        chosen.append(load_scenario_file(args.scenario))
    if not chosen:
        raise UsageError("name a shock: --shock NAME (see --list-shocks), or --scenario FILE.yaml")
    return chosen


# --- output -----------------------------------------------------------------------------------
class View:
    """Labels for nodes in the chosen language."""

    def __init__(self, g: nx.MultiDiGraph | None, lang: str, schema=None):
        self.g, self.lang, self.schema = g, lang, schema

    def name(self, n: str) -> str:
        if self.g is None or n not in self.g:
            return n
        d = self.g.nodes[n]
        return (d.get("name_ko") if self.lang == "ko" else None) or d.get("name") or n

    def ticker(self, n: str) -> str:
        return (self.g.nodes[n].get("ticker") or "") if self.g is not None and n in self.g else ""

    def category(self, n: str) -> str:
        if self.g is None or n not in self.g:
            return ""
        cats = self.g.nodes[n].get("category") or []
        if not cats:
            return ""
        return self.schema.category_label(cats[0], self.lang) if self.schema else cats[0]

    def path(self, nodes: list[str]) -> str:
        return " → ".join(self.name(n) for n in nodes)


def _sig(x: float) -> float:
    """Twelve significant digits: small scores stay visible (fixed decimals would round them to 0)."""
    return float(f"{float(x):.12g}")


def result_rows(ex: Exposure, view: View, top: int, k_paths: int) -> list[dict[str, Any]]:
    pg = ex.path_graph()
    ranked = ex.ranked()
    rows = []
    for rank, i in enumerate(ranked, 1):
        n = ex.nodes[i]
        detailed = top == 0 or rank <= top
        paths = ex.top_paths(n, k_paths, pg) if detailed else []
        rows.append({
            "rank": rank, "id": n, "name": view.name(n), "ticker": view.ticker(n) or None,
            "category": (view.g.nodes[n].get("category") if view.g is not None and n in view.g else []),
            "score": _sig(ex.scores[i]), "direct": _sig(ex.direct[i]),
            "channels": {c: _sig(v) for c, v in ex.channel_scores(i).items()},
            "paths": [{"nodes": p["nodes"], "channels": p["channels"],
                       "contribution": _sig(p["contribution"])} for p in paths],
            "paths_cover": round(ex.coverage(n, paths), 4) if paths else None,
        })
    return rows


def print_ranking(rows, ex: Exposure, view: View, fmt: str, top: int, shock: dict) -> None:
    H = HEAD[view.lang]
    shown = rows if top == 0 else rows[:top]
    if fmt == "json":
        print(json.dumps({"shock": shock, "results": rows}, ensure_ascii=False, indent=1, default=str))
        return
    cols = ["rank", "company", "ticker", "category", "score", *ex.channels, "path"]
    body = []
    for r in shown:
        best = view.path(r["paths"][0]["nodes"]) if r["paths"] else ""
        body.append([r["rank"], r["name"], r["ticker"] or "", view.category(r["id"]),
                     f"{r['score']:.3f}", *(f"{r['channels'][c]:.3f}" for c in ex.channels), best])
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["rank", "id", "name", "ticker", "category", "score", "direct", *ex.channels, "path"])
        for r, b in zip(shown, body):
            w.writerow([r["rank"], r["id"], r["name"], r["ticker"] or "", b[3], r["score"], r["direct"],
                        *(r["channels"][c] for c in ex.channels), b[-1]])
        sys.stdout.write(out.getvalue())
        return
    title = shock.get("title_ko") if view.lang == "ko" and shock.get("title_ko") else shock["title"]
    lead = "#### " if fmt == "markdown" else ""
    print(f"{lead}{title}  [{shock['name']}, magnitude x{shock['magnitude']:g}"
          f"{', as of ' + shock['as_of'] if shock.get('as_of') else ''}]")
    print()
    print(table([H.get(c, c) for c in cols], body, fmt, right=[0, *range(4, 5 + len(ex.channels))]))
    print()
    est = shock.get("estimated_share")
    if view.lang == "ko":
        print(f"노출 기업 {len(rows)}곳 중 상위 {len(shown)}곳."
              + (f" 엣지 가중치의 {est:.0%}는 추정치입니다(exposure --explain ID로 확인)." if est is not None else ""))
    else:
        print(f"{len(rows)} companies exposed (score > 0); showing {len(shown)}."
              + (f" {est:.0%} of edge weights are estimated (exposure --explain ID shows which)." if est is not None else ""))


def explain(ex: Exposure, node: str, view: View, fmt: str, g: nx.MultiDiGraph | None, k: int) -> None:
    i = ex.weights.index[node]
    paths = ex.top_paths(node, k)
    incoming = ex.incoming(node)
    if fmt == "json":
        print(json.dumps({"id": node, "name": view.name(node), "score": float(ex.scores[i]),
                          "direct": float(ex.direct[i]), "channels": ex.channel_scores(i),
                          "incoming": incoming, "propagated": ex.propagated(node), "paths": paths,
                          "paths_cover": ex.coverage(node, paths),
                          "sources": _sources(g, incoming)}, ensure_ascii=False, indent=1, default=str))
        return
    md = fmt == "markdown"
    ch = ", ".join(f"{c} {v:.3f}" for c, v in ex.channel_scores(i).items())
    print(f"{'### ' if md else ''}{view.name(node)} ({view.ticker(node) or node}): score {ex.scores[i]:.3f} "
          f"= direct {ex.direct[i]:.3f} + propagated; channels: {ch}")
    print()
    print(f"{'**' if md else ''}Strongest paths from the shock's seeds{'**' if md else ''} "
          f"(cover {ex.coverage(node, paths):.0%} of the score):")
    for p in paths:
        print(f"{'- ' if md else '  '}{p['contribution']:.3f}  {view.path(p['nodes'])}"
              + (f"  [{', '.join(p['channels'])}]" if p["channels"] else "  [direct hit]"))
    print()
    fmt_t = "markdown" if md else "table"
    rows = [[view.name(r["from"]), r["channel"], f"{r['contribution']:.4f}", f"{r['weight']:.4f}",
             "estimated" if r["estimated"] else "published", r["rule"]] for r in incoming[:15]]
    if rows:
        print(f"{'**' if md else ''}Incoming contributions{'**' if md else ''} (they sum to the propagated part, "
              f"{ex.propagated(node):.3f}):")
        print(table(["from", "channel", "contribution", "weight", "basis", "rule"], rows, fmt_t, right=[2, 3]))
        print()
    srcs = _sources(g, incoming[:15])
    if srcs:
        print(f"{'**' if md else ''}Relationships and sources{'**' if md else ''}:")
        for s in srcs:
            print(f"{'- ' if md else '  '}{s['relationship']}: {s['publisher']}, \"{s['title']}\", {s['date']}, {s['url']}")


def _sources(g: nx.MultiDiGraph | None, incoming: list[dict]) -> list[dict]:
    if g is None:
        return []
    out = []
    rel_index = {k: d for _, _, k, d in g.edges(keys=True, data=True)}
    for r in incoming:
        for rel in r["relationships"]:
            d = rel_index.get(rel)
            if d is None:
                continue
            for s in d["sources"]:
                out.append({"relationship": rel, "publisher": s["publisher"], "title": s["title"],
                            "date": str(s["date"]), "url": s["url"]})
    return out


def portfolio(ex: Exposure, holdings, view: View, fmt: str) -> None:
    total_w = sum(w for _, w, _ in holdings)
    rows, port = [], 0.0
    for node, w, t in holdings:
        s = float(ex.scores[ex.weights.index[node]])
        part = w / total_w * s
        port += part
        rows.append({"ticker": t, "id": node, "name": view.name(node), "weight": w / total_w,
                     "score": s, "contribution": part})
    rows.sort(key=lambda r: -r["contribution"])
    if fmt == "json":
        print(json.dumps({"portfolio_exposure": port, "holdings": rows}, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["ticker", "id", "name", "weight", "score", "contribution"])
        for r in rows:
            w.writerow([r["ticker"], r["id"], r["name"], f"{r['weight']:.4f}", f"{r['score']:.6f}", f"{r['contribution']:.6f}"])
        return
    H = HEAD[view.lang]
    print(f"portfolio exposure: {port:.4f} (weighted mean of holdings' scores)")
    print()
    body = [[r["ticker"], r["name"], f"{r['weight']:.1%}", f"{r['score']:.3f}",
             f"{r['contribution']:.4f}", f"{(r['contribution'] / port if port else 0):.0%}"] for r in rows]
    print(table([H["ticker"], H["company"], H["weight"], H["score"], H["contribution"], "share"], body,
                "markdown" if fmt == "markdown" else "table", right=[2, 3, 4, 5]))


# --- main -------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    if args.list_shocks:
        lib = _library(args)
        rows = [[sc.name, sc.title_ko if args.lang == "ko" and sc.title_ko else sc.title,
                 ", ".join(sc.channels)] for sc in lib.values()]
        if args.format == "json":
            print(json.dumps([sc.summary() for sc in lib.values()], ensure_ascii=False, indent=1, default=str))
        else:
            print(table(["name", "what it is", "channels"], rows, "markdown" if args.format == "markdown" else "table"))
            print("\nexposure --shock NAME runs one; descriptions and evidence: exposure --list-shocks --format json")
        return 0
    if args.top < 0:
        raise UsageError("--top must be >= 0")
    if args.graph:
        if not args.scenario:
            raise UsageError("--graph needs --scenario FILE.yaml (seeds as node: magnitude, and channels)")
        weights = weights_from_frame(read_edgelist(args.graph))
        sc = load_scenario_file(args.scenario)
        g = None
        seeds = _plain_seeds(sc, weights, args.magnitude)
        scenarios = [sc]
        view = View(None, args.lang)
    else:
        lib = _library(args)
        scenarios = choose_scenarios(args, lib)
        records = load_records(args.data)
        g = build_graph(records, as_of=args.as_of)
        weights = derive_weights(g, records.schema)
        seeds = [s for sc in scenarios for s in resolve_seeds(sc, g, args.magnitude)]
        view = View(g, args.lang, records.schema)
    channels = sorted({c for sc in scenarios for c in sc.channels}, key=CHANNELS.index)
    cap = all(sc.cap for sc in scenarios)
    ex = run_exposure(weights, seeds, channels, cap=cap)
    n_edges = weights.edge_count()
    n_est = weights.estimated_count()
    shock = {"name": "+".join(sc.name for sc in scenarios), "title": " + ".join(sc.title for sc in scenarios),
             "title_ko": " + ".join((sc.title_ko or sc.title) for sc in scenarios),
             "channels": channels, "magnitude": args.magnitude,
             "as_of": args.as_of.isoformat() if args.as_of else None,
             "seeds": [{"node": s.node, "channel": s.channel, "magnitude": s.magnitude, "why": s.why} for s in seeds],
             "estimated_share": (n_est / n_edges) if n_edges and g is not None else None,
             "scenarios": [sc.summary() for sc in scenarios]}
    write_exposure_outputs(args, ex, g, shock)
    if args.explain:
        node = _find(args.explain, g, weights)
        explain(ex, node, view, args.format, g, args.paths)
        return 0
    if args.portfolio:
        if g is None:
            raise UsageError("--portfolio works on the capexgraph dataset, not with --graph")
        portfolio(ex, read_portfolio(args.portfolio, g), view, args.format)
        return 0
    rows = result_rows(ex, view, args.top, args.paths)
    print_ranking(rows, ex, view, args.format, args.top, shock)
    return 0


def _plain_seeds(sc: Scenario, weights, scale: float):
    from capexgraph.queries.scenarios import Seed

    seeds = []
    for rule in sc.seed_rules:
        ids = rule["select"].get("id", [])
        for n in (ids if isinstance(ids, list) else [ids]):
            if str(n) not in weights.index:
                raise UsageError(f"{sc.path}: seed '{n}' is not a node of the edge list")
            mag = rule["magnitude"]
            if isinstance(mag, dict):
                raise UsageError(f"{sc.path}: with --graph, seed magnitudes must be numbers")
            ch = rule.get("channel", "all")
            for c in (sc.channels if ch == "all" else [ch]):
                seeds.append(Seed(str(n), c, float(mag) * scale, "scenario file"))
    return seeds


def _find(key: str, g, weights) -> str:
    if key in weights.index:
        return key
    if g is not None:
        node = ticker_index(g).get(key.upper())
        if node:
            return node
    raise UsageError(f"unknown company '{key}': give an id (e.g. nvidia), a ticker (e.g. NVDA) or a name")


def _library(args) -> dict[str, Scenario]:
    return scenario_library(args.scenario_dir)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def go() -> int:
        try:
            return run(args)
        except ScenarioError as exc:
            raise UsageError(str(exc)) from None
    return run_guarded(go)


if __name__ == "__main__":
    sys.exit(main())
