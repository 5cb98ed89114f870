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
import numpy as np

from capexgraph.queries.analysis import run_scenarios
from capexgraph.queries.prepared import prepared
from capexgraph.queries.propagation import TOL
from capexgraph.queries.layers import ANY, SITES
from capexgraph.queries.exposure import (Exposure, order_nodes, place_mask, run_exposure, run_many,
                                         weights_from_frame)
from capexgraph.queries.scenarios import (Scenario, ScenarioError, edge_list_seeds, load_scenario_file,
                                          resolve_seeds,
                                          scenario_library)
from capexgraph.queries.weights import CHANNELS, published_mass

from capexgraph.ingest.user_files import did_you_mean

from .common import UsageError, add_dataset_options, run_guarded
from .common import magnitude as magnitude_arg, tolerance
from .render import table
from .viz_cmd import add_exposure_outputs, write_exposure_outputs

HEAD = {
    "en": {"rank": "rank", "company": "company", "ticker": "ticker", "category": "category",
           "score": "score", "supply": "supply", "demand": "demand", "financial": "financial",
           "direct": "direct", "path": "strongest path", "weight": "weight",
           "contribution": "contribution", "loss": "loss", "gain": "gain", "net": "net",
           "losers": "Most exposed (net losers)", "gainers": "Who gains (net gainers)"},
    "ko": {"rank": "순위", "company": "기업", "ticker": "티커", "category": "분류", "score": "노출도",
           "supply": "공급", "demand": "수요", "financial": "금융", "direct": "직접",
           "path": "주요 경로", "weight": "비중", "contribution": "기여", "loss": "손실", "gain": "수혜",
           "net": "순노출", "losers": "노출도 상위(순손실)", "gainers": "수혜 기업(순이익)",
           "scenario": "시나리오", "side": "구분"},
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
  exposure --graph edges.parquet --scenario shocks/ --tol 1e-9   many scenarios, fixed points stopped at 1e-9
  exposure --shock taiwan_strait --html taiwan.html --chart taiwan.png   slide-ready graph and chart

how to read it: `loss` and `gain` are each in [0, 1], propagated separately; `score` is their net
(loss - gain, in [-1, 1]). The first table ranks the net losers, the second (when the scenario
names gainers: substitution, pricing power) the net gainers; --winners shows only the gainers.
Countries and grid regions are conduits, shown in paths, not ranked (--include-places to list
them). Channel columns split the loss: supply (shock travels supplier -> customer), demand
(customer -> supplier) and financial (investee -> investor). Scores rank dependence; they are
model scores, not loss forecasts. --explain shows every weight's rule, product class, status
factor and source (rules: data/exposure.yaml, docs/EXPOSURE_MODEL.md).

speed: the dataset is read, validated, built and weighed once and kept (~/.cache/capexgraph, or
$CAPEXGRAPH_CACHE; CAPEXGRAPH_CACHE=off to turn it off) until a table, the model or the code
changes; a dataset with problems is checked, and refused, on every run.
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
    p.add_argument("--scenario", type=Path, action="append", metavar="FILE.yaml|DIR",
                   help="run a scenario file; repeat it, or name a folder of .yaml files, to run "
                        "many at once (one long table, a 'scenario' column, top N of each)")
    p.add_argument("--each", action="store_true",
                   help="run the named shocks (all of them if none is named) one by one in one batch, "
                        "instead of combining them: one long table")
    p.add_argument("--magnitude", type=magnitude_arg, default=1.0, metavar="X",
                   help="scale every seed: a number, or optimistic (0.5), neutral (1), pessimistic (1.5)")
    p.add_argument("--top", type=int, default=15, metavar="N", help="rows to show, in every format (default 15; 0 = all); JSON also "
                   "says how many companies are ranked")
    p.add_argument("--format", choices=["table", "markdown", "csv", "json"], default="table")
    p.add_argument("--lang", choices=["en", "ko"], default="en", help="names and headings language")
    p.add_argument("--explain", metavar="ID_OR_TICKER", help="explain one company's score")
    p.add_argument("--portfolio", type=Path, metavar="FILE.csv",
                   help="CSV with columns ticker,weight (others ignored): the book's exposure, each "
                        "holding's score, channels and path; exchange suffixes (2330.TW) are read, "
                        "duplicates merged, unknown tickers listed and left out")
    p.add_argument("--strict", action="store_true",
                   help="with --portfolio: refuse a book with a ticker the graph does not know")
    p.add_argument("--graph", type=Path, metavar="EDGES.csv",
                   help="run on your own network: columns source,target,channel,weight")
    p.add_argument("--paths", type=int, default=3, metavar="K", help="paths per company in JSON/explain")
    p.add_argument("--tol", type=tolerance, default=TOL, metavar="EPS",
                   help="stop each fixed point when no score moves by more than EPS in an iteration "
                        f"(default {TOL:g}, where batch and single runs agree to it; 1e-9, the plain "
                        "script's threshold, saved a quarter of the iterations on a 1M-node --graph "
                        "and moved no score by more than 1e-9 there)")
    p.add_argument("--winners", action="store_true", help="show only who gains (net gainers)")
    p.add_argument("--include-places", action="store_true",
                   help="also rank countries and grid regions (normally shown only as seeds and in paths)")
    add_exposure_outputs(p)
    add_dataset_options(p)
    return p


# --- inputs -----------------------------------------------------------------------------------
def read_edgelist(path: Path):
    """The user's `--graph` file, checked (capexgraph.ingest.edgelist)."""
    from capexgraph.ingest.edgelist import read_edgelist as read

    return read(path, CHANNELS)


def read_portfolio(path: Path, g: nx.MultiDiGraph, strict: bool = False):
    from capexgraph.ingest.portfolio import read_portfolio as read

    return read(path, ticker_index(g), strict)


def ticker_index(g: nx.MultiDiGraph) -> dict[str, str]:
    """Case-folded ids, tickers, names (English and Korean) and aliases -> node id."""
    from capexgraph.graph.lookup import name_index

    return name_index(g)


def choose_scenarios(args, lib: dict[str, Scenario]) -> list[Scenario]:
    chosen = []
    for name in args.shock or []:
        if name in [sc.name for sc in chosen]:
            raise UsageError(f"shock '{name}' is named twice; each scenario counts once")
        if name not in lib:
            raise UsageError(f"unknown shock '{name}'{did_you_mean(name, list(lib))}; valid: "
                             f"{', '.join(sorted(lib))}")
        chosen.append(lib[name])
    chosen += scenario_files(args.scenario)
    if not chosen and getattr(args, "each", False):
        chosen = list(lib.values())
    if not chosen:
        raise UsageError("name a shock: --shock NAME (see --list-shocks), or --scenario FILE.yaml")
    return chosen


def scenario_files(paths: list[Path] | None) -> list[Scenario]:
    """The scenario files named, a folder standing for the .yaml files in it (sorted by name)."""
    files: list[Path] = []
    for path in paths or []:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
            if not found:
                raise UsageError(f"{path}: is a directory with no scenario files (*.yaml) in it")
            files += found
        else:
            files.append(path)
    scenarios = [load_scenario_file(f) for f in files]
    names = [sc.name for sc in scenarios]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"scenario name(s) {', '.join(twice)} given twice; each scenario needs its own name")
    return scenarios


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


def result_rows(ex: Exposure, view: View, top: int, k_paths: int, side: str = "loss",
                include_places: bool = False) -> tuple[list[dict[str, Any]], int]:
    """The rows shown of one side (net losers or net gainers) and how many are ranked: rows and
    paths are built only for what is shown, so a million-node run pays for 20 rows, not a million."""
    ranked = ex.winners(include_places=include_places) if side == "gain" else ex.ranked(include_places=include_places)
    shown = ranked if top == 0 else ranked[:top]
    pg = ex.path_graph(side) if shown else None
    if pg is not None:
        pg.prepare(shown)   # one search that reaches every row shown
    loss, gain, net, direct = ex.scores, ex.gains, ex.net, ex.side(side).direct
    rows = []
    for rank, i in enumerate(shown, 1):
        n = ex.nodes[i]
        paths = ex.top_paths(n, k_paths, pg, side=side)
        rows.append({
            "rank": rank, "id": n, "name": view.name(n), "ticker": view.ticker(n) or None,
            "category": (view.g.nodes[n].get("category") if view.g is not None and n in view.g else []),
            "score": _sig(net[i]), "loss": _sig(loss[i]), "gain": _sig(gain[i]), "direct": _sig(direct[i]),
            "channels": {c: _sig(v) for c, v in ex.channel_scores(i, side).items()},
            "paths": [{"nodes": p["nodes"], "channels": p["channels"],
                       "contribution": _sig(p["contribution"])} for p in paths],
            "paths_cover": round(ex.coverage(n, paths, side), 4) if paths else None,
        })
    return rows, len(ranked)


def _table(rows, ex: Exposure, view: View, fmt: str, side: str) -> str:
    H = HEAD[view.lang]
    cols = ["rank", "company", "ticker", "category", "score", *(["loss", "gain"] if ex.has_gains else []),
            *ex.channels, "path"]
    body = []
    for r in rows:
        best = view.path(r["paths"][0]["nodes"]) if r["paths"] else ""
        body.append([r["rank"], r["name"], r["ticker"] or "", view.category(r["id"]), f"{r['score']:+.3f}"
                     if ex.has_gains else f"{r['score']:.3f}",
                     *([f"{r['loss']:.3f}", f"{r['gain']:.3f}"] if ex.has_gains else []),
                     *(f"{r['channels'][c]:.3f}" for c in ex.channels), best])
    nums = 1 + (2 if ex.has_gains else 0) + len(ex.channels)
    return table([H.get(c, c) for c in cols], body, "markdown" if fmt == "markdown" else "table",
                 right=[0, *range(4, 4 + nums)])


def print_ranking(losers: tuple[list, int], winners: tuple[list, int], ex: Exposure, view: View, fmt: str,
                  shock: dict, winners_only: bool = False) -> None:
    """Print the shown rows; `losers` and `winners` are (rows shown, how many are ranked)."""
    H = HEAD[view.lang]
    (shown, n_losers), (shown_g, n_gainers) = losers, winners
    if fmt == "json":
        print(json.dumps({"shock": shock, "ranked": {"losers": n_losers, "gainers": n_gainers},
                          "results": [] if winners_only else shown, "gainers": shown_g},
                         ensure_ascii=False, indent=1, default=str))
        return
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["side", "rank", "id", "name", "ticker", "category", "score", "loss", "gain", "direct",
                    *ex.channels, "path"])
        for side, part in (("loss", [] if winners_only else shown), ("gain", shown_g)):
            for r in part:
                best = view.path(r["paths"][0]["nodes"]) if r["paths"] else ""
                w.writerow([side, r["rank"], r["id"], r["name"], r["ticker"] or "", view.category(r["id"]),
                            r["score"], r["loss"], r["gain"], r["direct"],
                            *(r["channels"][c] for c in ex.channels), best])
        sys.stdout.write(out.getvalue())
        return
    title = shock.get("title_ko") if view.lang == "ko" and shock.get("title_ko") else shock["title"]
    lead = "#### " if fmt == "markdown" else ""
    print(f"{lead}{title}  [{shock['name']}, magnitude x{shock['magnitude']:g}"
          f"{', as of ' + shock['as_of'] if shock.get('as_of') else ''}]")
    print()
    sub = "**" if fmt == "markdown" else ""
    if not winners_only:
        if ex.has_gains:
            print(f"{sub}{H['losers']}{sub}")
            print()
        print(_table(shown, ex, view, fmt, "loss"))
        print()
    if ex.has_gains and (shown_g or winners_only):
        print(f"{sub}{H['gainers']}{sub}")
        print()
        print(_table(shown_g, ex, view, fmt, "gain") if shown_g else "(none)")
        print()
    pub = shock.get("published_share")
    if view.lang == "ko":
        line = (f"수혜 기업 {n_gainers}곳 중 상위 {len(shown_g)}곳." if winners_only else
                f"순손실 기업 {n_losers}곳 중 상위 {len(shown)}곳"
                + (f", 수혜 기업 {n_gainers}곳." if ex.has_gains else "."))
        if pub is not None:
            line += f" 엣지 가중치의 {pub:.0%}가 공시·발표 수치에 근거합니다(나머지는 추정; exposure --explain ID로 확인)."
        line += " 점수는 의존도 순위이며 손실 예측이 아닙니다."
    else:
        line = (f"{n_gainers} net gainers; showing {len(shown_g)}." if winners_only else
                f"{n_losers} companies net exposed; showing {len(shown)}"
                + (f"; {n_gainers} net gainers." if ex.has_gains else "."))
        if pub is not None:
            line += (f" {pub:.0%} of the edge weight rests on published figures, the rest on estimated "
                     f"rules (exposure --explain ID shows which).")
        line += " Scores rank dependence; they are not loss forecasts."
    print(line)


def print_batch(result: tuple[np.ndarray, np.ndarray], weights, scenarios: list[Scenario], view: View,
                fmt: str, top: int) -> int:
    """Many scenarios' rankings as one long table (scenario, rank, company, score, loss, gain): the
    top N net losers of each, then its net gainers. No paths: run one scenario to explain a row."""
    loss, gain = result
    places = place_mask(weights)
    rows = []
    for j, sc in enumerate(scenarios):
        net = loss[:, j] - gain[:, j]
        for side, keep, key in (("loss", net > Exposure.SHOWN, -net), ("gain", net < -Exposure.SHOWN, net)):
            for rank, i in enumerate(order_nodes(keep & ~places, key, top), 1):
                n = weights.nodes[i]
                rows.append({"scenario": sc.name, "side": side, "rank": rank, "id": n, "name": view.name(n),
                             "ticker": view.ticker(n) or None, "score": _sig(net[i]),
                             "loss": _sig(loss[i, j]), "gain": _sig(gain[i, j])})
    if fmt == "json":
        print(json.dumps({"scenarios": [sc.summary() for sc in scenarios], "results": rows},
                         ensure_ascii=False, indent=1, default=str))
        return 0
    cols = ["scenario", "side", "rank", "id", "name", "ticker", "score", "loss", "gain"]
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        w.writerows([[r[c] if r[c] is not None else "" for c in cols] for r in rows])
        sys.stdout.write(out.getvalue())
        return 0
    H = HEAD[view.lang]
    sides = {"loss": H["loss"], "gain": H["gain"]}
    body = [[r["scenario"], sides[r["side"]], r["rank"], r["name"], r["ticker"] or "", f"{r['score']:+.3f}",
             f"{r['loss']:.3f}", f"{r['gain']:.3f}"] for r in rows]
    print(table([H.get(c, c) for c in ["scenario", "side", "rank", "company", "ticker", "score", "loss", "gain"]],
                body, "markdown" if fmt == "markdown" else "table", right=[2, 5, 6, 7]))
    print()
    if view.lang == "ko":
        print(f"시나리오 {len(scenarios)}개를 한 번에 각각 계산했습니다(구분별 상위 {top or '전체'}). "
              "경로와 --explain은 시나리오 하나를 --shock NAME(또는 --scenario FILE)으로 실행하세요.")
    else:
        print(f"{len(scenarios)} scenarios run one by one in one batch; top {top or 'all'} of each side. "
              "Run one with --shock NAME (or --scenario FILE) for its paths and --explain.")
    return 0


EXPLAIN_WORDS = {
    "en": {"score": "score", "direct": "direct", "propagated": "propagated", "channels": "channels",
           "hit": "direct hit on the {channel} channel", "transmits": "transmits only: not counted in its own score",
           "own": "passes all of it on; {share} of it counts in its own score",
           "inputs": "supply inputs (complements: the scarcest sets the supply loss, the others are not added)",
           "inputs_add": "supply inputs (a cost shock: every input's cost adds up)",
           "counted": "counted", "more": "more", "sites": "its sites in the shocked place",
           "unclassified": "unclassified inputs",
           "paths": "Strongest paths from the shock's seeds", "cover": "cover {share} of the {what}",
           "direct_path": "direct hit", "incoming": "Incoming contributions",
           "sum": "they sum to the propagated part, {value}", "sources": "Relationships and sources",
           "cols": ["from", "channel", "contribution", "weight", "class", "status", "basis", "rule"],
           "estimated": "estimated", "published": "published"},
    "ko": {"score": "노출도", "direct": "직접", "propagated": "전파", "channels": "경로별",
           "hit": "{channel} 경로 직접 충격", "transmits": "전달만 함: 자기 점수에는 넣지 않음",
           "own": "전부 전달함; 자기 점수에는 {share}만 넣음",
           "inputs": "공급 투입물(보완재: 가장 부족한 투입물이 공급 손실을 정하고 나머지는 더하지 않음)",
           "inputs_add": "공급 투입물(비용 충격: 모든 투입물의 비용을 더함)",
           "counted": "반영", "more": "개 더", "sites": "충격 지역 내 사업장",
           "unclassified": "분류 없는 투입물",
           "paths": "충격 기점에서 오는 주요 경로", "cover": "{what}의 {share} 설명",
           "direct_path": "직접 충격", "incoming": "유입 기여",
           "sum": "합계 = 전파분 {value}", "sources": "관계와 출처",
           "cols": ["출처 기업", "경로", "기여", "가중치", "품목", "상태", "근거", "규칙"],
           "estimated": "추정", "published": "공시"},
}


def explain(ex: Exposure, node: str, view: View, fmt: str, g: nx.MultiDiGraph | None, k: int) -> None:
    i = ex.weights.index[node]
    sides = ["loss"] + (["gain"] if ex.gains[i] > 0 else [])
    H = HEAD[view.lang]
    if fmt == "json":
        out = {"id": node, "name": view.name(node), "score": float(ex.net[i]), "loss": float(ex.scores[i]),
               "gain": float(ex.gains[i])}
        for side in sides:
            paths = ex.top_paths(node, k, side=side)
            incoming = ex.incoming(node, side)
            block = {"direct": float(ex.side(side).direct[i]), "channels": ex.channel_scores(i, side),
                     "incoming": incoming, "supply_inputs": ex.supply_inputs(node, side),
                     "propagated": ex.propagated(node, side), "paths": paths,
                     "paths_cover": ex.coverage(node, paths, side), "sources": _sources(g, incoming)}
            if side == "loss":
                out.update(block)
            else:
                out["gain_detail"] = block
        print(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        return
    md = fmt == "markdown"
    b = "**" if md else ""
    X = EXPLAIN_WORDS[view.lang]
    head = (f"{'### ' if md else ''}{view.name(node)} ({view.ticker(node) or node}): "
            f"{X['score']} {ex.net[i]:+.3f} = {H['loss']} {ex.scores[i]:.3f} - {H['gain']} {ex.gains[i]:.3f}"
            if ex.has_gains else
            f"{'### ' if md else ''}{view.name(node)} ({view.ticker(node) or node}): {X['score']} {ex.scores[i]:.3f}")
    print(head)
    for side in sides:
        sd = ex.side(side)
        ch = ", ".join(f"{H.get(c, c)} {v:.3f}" for c, v in ex.channel_scores(i, side).items())
        what = H["loss"] if side == "loss" else H["gain"]
        print()
        print(f"{b}{what}{b} {sd.scores[i]:.3f} = {X['direct']} {sd.direct[i]:.3f} + {X['propagated']} "
              f"{ex.propagated(node, side) if sd.scores[i] > 0 else 0.0:.3f}; {X['channels']}: {ch}")
        groups = ex.supply_inputs(node, side) if sd.scores[i] > 0 else []
        if len(groups) > 1:
            more = f"; +{len(groups) - 4} {X['more']}" if len(groups) > 4 else ""
            print(f"{'- ' if md else '  '}{X['inputs' if ex.scarcest else 'inputs_add']}: " + "; ".join(
                f"{_input_label(gr['input'], view)} {gr['loss']:.3f}"
                + (f" [{X['counted']}]" if gr["counted"] and ex.scarcest else "")
                for gr in groups[:4]) + more)
        for s in sd.seeds:
            if s.node == node:
                print(f"{'- ' if md else '  '}{X['hit'].format(channel=H.get(s.channel, s.channel))}: "
                      f"{s.magnitude:.3f} ({s.reason(view.lang)})" + ("" if s.counts else f" [{X['transmits']}]")
                      + (f" [{X['own'].format(share=f'{s.own:.0%}')}]" if s.counts and s.own < 1 else ""))
        paths = ex.top_paths(node, k, side=side)
        if paths:
            print()
            cover = X["cover"].format(share=f"{ex.coverage(node, paths, side):.0%}", what=what)
            print(f"{b}{X['paths']}{b} ({cover}):")
            for p in paths:
                print(f"{'- ' if md else '  '}{p['contribution']:.3f}  {view.path(p['nodes'])}"
                      + (f"  [{', '.join(H.get(c, c) for c in p['channels'])}]" if p["channels"]
                         else f"  [{X['direct_path']}]"))
        incoming = ex.incoming(node, side) if sd.scores[i] > 0 else []
        rows = []
        for r in incoming[:15]:
            for j, part in enumerate(r["parts"] or [{"weight": r["weight"], "basis": "", "product_class": None,
                                                      "status_factor": 1.0, "rule": r["rule"], "sources": []}]):
                cls = part["product_class"]
                rows.append([view.name(r["from"]) if j == 0 else "", H.get(r["channel"], r["channel"]) if j == 0 else "",
                             f"{r['contribution']:.4f}" if j == 0 else "", f"{part['weight']:.4f}",
                             (view.schema.class_label(cls, view.lang) if view.lang == "ko" and view.schema and cls
                              else cls or ""), f"{part['status_factor']:g}",
                             part["basis"] or (X["estimated"] if r["estimated"] else X["published"]), part["rule"]])
        if rows:
            print()
            print(f"{b}{X['incoming']}{b} ({X['sum'].format(value=f'{ex.propagated(node, side):.3f}')}):")
            print(table(X["cols"], rows, "markdown" if md else "table", right=[2, 3, 5]))
        srcs = _sources(g, incoming[:15])
        if srcs:
            print()
            print(f"{b}{X['sources']}{b}:")
            for s_ in srcs:
                print(f"{'- ' if md else '  '}{s_['relationship']}: {s_['publisher']} [{s_['tier']}], "
                      f"\"{s_['title']}\", {s_['date']}, {s_['url']}")


def _input_label(group: str, view: View) -> str:
    """A supply input group as the reader knows it: a product class, or a place's sites."""
    X = EXPLAIN_WORDS[view.lang]
    if group == SITES:
        return X["sites"]
    if group == ANY:
        return X["unclassified"]
    return view.schema.class_label(group, view.lang) if view.lang == "ko" and view.schema else group


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
                            "date": str(s["date"]), "url": s["url"], "tier": s.get("tier", "other")})
    return out


PORTFOLIO_WORDS = {
    "en": {"title": "Portfolio exposure", "book": "book", "rows": "rows", "matched": "holdings matched",
           "of_weight": "of the weight", "total": "portfolio exposure",
           "total_why": "weighted mean of the matched holdings' net scores",
           "notes": "Notes", "left_out": "not in the graph, left out", "line": "line",
           "unexposed": "holdings with no exposure to this shock (no link from its seeds reaches them)",
           "of": "of", "footer": "Scores rank dependence; they are model scores, not loss forecasts."},
    "ko": {"title": "포트폴리오 노출도", "book": "포트폴리오", "rows": "행", "matched": "종목 연결",
           "of_weight": "비중 기준", "total": "포트폴리오 노출도", "total_why": "연결된 종목 순노출도의 가중평균",
           "notes": "참고", "left_out": "그래프에 없어 제외", "line": "행",
           "unexposed": "이 충격에 노출되지 않은 종목(충격 기점에서 닿는 연결 없음)",
           "of": "중", "footer": "점수는 의존도 순위이며 손실 예측이 아닙니다."},
}


def portfolio(ex: Exposure, book, view: View, fmt: str, shock: dict) -> None:
    from capexgraph.queries.portfolio import portfolio_report

    rep = portfolio_report(ex, book)
    W, H = PORTFOLIO_WORDS[view.lang], HEAD[view.lang]
    notes = list(book.notes)
    if book.unmatched:
        left = sum(u.weight for u in book.unmatched) / book.total
        notes.append(f"{W['left_out']} ({left:.0%} {W['of_weight']}): " + ", ".join(
            f"{u.ticker} ({W['line']} {u.line}){u.hint}" for u in book.unmatched))
    if rep.unexposed:
        notes.append(f"{len(rep.unexposed)} {W['of']} {len(rep.rows)} {W['unexposed']}: "
                     + ", ".join(view.name(r.node) for r in rep.unexposed))
    title = shock.get("title_ko") if view.lang == "ko" and shock.get("title_ko") else shock["title"]
    if fmt == "json":
        print(json.dumps({
            "shock": {k: shock[k] for k in ("name", "title", "magnitude", "as_of")},
            "book": book.path, "portfolio_exposure": _sig(rep.exposure), "coverage": _sig(rep.coverage),
            "holdings": [{"ticker": r.tickers[0], "tickers": r.tickers, "id": r.node, "name": view.name(r.node),
                          "weight": _sig(r.weight), "score": _sig(r.score), "loss": _sig(r.loss),
                          "gain": _sig(r.gain), "channels": {c: _sig(v) for c, v in r.channels.items()},
                          "path": r.path, "contribution": _sig(r.contribution)} for r in rep.rows],
            "unmatched": [{"ticker": u.ticker, "line": u.line, "weight": _sig(u.weight)} for u in book.unmatched],
            "notes": notes}, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["ticker", "id", "name", "weight", "score", "loss", "gain", *ex.channels, "contribution", "path"])
        for r in rep.rows:
            w.writerow([r.tickers[0], r.node, view.name(r.node), f"{r.weight:.4f}", f"{r.score:.6f}",
                        f"{r.loss:.6f}", f"{r.gain:.6f}", *(f"{r.channels.get(c, 0.0):.6f}" for c in ex.channels),
                        f"{r.contribution:.6f}", view.path(r.path) if r.path else ""])
        for n in notes:  # the table stays machine-readable; what it leaves out is said beside it
            print(f"note: {n}", file=sys.stderr)
        return
    md = fmt == "markdown"
    print(f"{'#### ' if md else ''}{W['title']}: {title}  [{shock['name']}, magnitude x{shock['magnitude']:g}"
          f"{', as of ' + shock['as_of'] if shock.get('as_of') else ''}]")
    print()
    n_rows = sum(len(h.lines) for h in book.holdings) + len(book.unmatched)
    print(f"{W['book']}: {book.path}, {n_rows} {W['rows']}, {len(rep.rows)} {W['matched']} "
          f"({rep.coverage:.0%} {W['of_weight']}); {W['total']} {rep.exposure:+.3f} ({W['total_why']})")
    print()
    body = [[" / ".join(dict.fromkeys(r.tickers)), view.name(r.node), f"{r.weight:.1%}", f"{r.score:+.3f}",
             *(f"{r.channels.get(c, 0.0):.3f}" for c in ex.channels), f"{r.contribution:+.4f}",
             view.path(r.path) if r.path else ""] for r in rep.rows]
    print(table([H["ticker"], H["company"], H["weight"], H["score"], *(H.get(c, c) for c in ex.channels),
                 H["contribution"], H["path"]], body, "markdown" if md else "table",
                right=list(range(2, 5 + len(ex.channels)))))
    if notes:
        print()
        print(f"{'**' if md else ''}{W['notes']}{'**' if md else ''}")
        for n in notes:
            print(f"- {n}")
    print()
    print(W["footer"])


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
        scenarios = scenario_files(args.scenario)
        weights = weights_from_frame(read_edgelist(args.graph))
        weights.tol = args.tol
        g = None
        if len(scenarios) > 1:
            return print_batch(run_many(weights, [(edge_list_seeds(sc, weights.index, args.magnitude), sc.channels, sc.cap, sc.scarcest)
                                                  for sc in scenarios]), weights, scenarios, View(None, args.lang),
                               args.format, args.top)
        sc = scenarios[0]
        seeds = edge_list_seeds(sc, weights.index, args.magnitude)
        view = View(None, args.lang)
        channels = [c for c in CHANNELS if c in sc.channels]
        ex = run_exposure(weights, seeds, channels, cap=sc.cap, scarcest=sc.scarcest)
        published = None
    else:
        lib = _library(args)
        scenarios = choose_scenarios(args, lib)
        records, g, weights = prepared(args.data, args.as_of)
        weights.tol = args.tol
        if args.each or (args.scenario and len(scenarios) > 1 and not args.shock):
            runs = [(resolve_seeds(sc, g, args.magnitude, weights), sc.channels, sc.cap, sc.scarcest) for sc in scenarios]
            return print_batch(run_many(weights, runs), weights, scenarios, View(g, args.lang, records.schema),
                               args.format, args.top)
        ex = run_scenarios(g, weights, scenarios, args.magnitude)
        seeds, channels = ex.seeds, ex.channels
        view = View(g, args.lang, records.schema)
        published = published_mass(weights)["share"]
    scaled = "" if args.magnitude == 1 else f" (every seed x{args.magnitude:g})"
    shock = {"name": "+".join(sc.name for sc in scenarios),
             "title": " + ".join(sc.title for sc in scenarios) + scaled,
             "title_ko": " + ".join((sc.title_ko or sc.title) for sc in scenarios)
             + ("" if args.magnitude == 1 else f" (모든 충격 x{args.magnitude:g})"),
             "channels": channels, "magnitude": args.magnitude,
             "as_of": args.as_of.isoformat() if args.as_of else None,
             "seeds": [{"node": s.node, "channel": s.channel, "magnitude": s.magnitude, "why": s.why,
                        "why_ko": s.why_ko,
                        "side": "gain" if s.gain else "loss",
                        # the part of the hit that counts in the seed's own score (all of it passes on)
                        "own_share": 0.0 if not s.counts else s.own} for s in seeds],
             "published_share": published,
             "scenarios": [sc.summary() for sc in scenarios]}
    write_exposure_outputs(args, ex, g, shock)
    if args.explain:
        node = _find(args.explain, g, weights)
        explain(ex, node, view, args.format, g, args.paths)
        return 0
    if args.portfolio:
        if g is None:
            raise UsageError("--portfolio works on the capexgraph dataset, not with --graph")
        portfolio(ex, read_portfolio(args.portfolio, g, args.strict), view, args.format, shock)
        return 0
    k = args.paths if args.format == "json" else 1   # the tables show one path per row
    losers = ([], 0) if args.winners else result_rows(ex, view, args.top, k, "loss", args.include_places)
    winners = result_rows(ex, view, args.top, k, "gain", args.include_places) if ex.has_gains else ([], 0)
    print_ranking(losers, winners, ex, view, args.format, shock, winners_only=args.winners)
    return 0


def _find(key: str, g, weights) -> str:
    if key in weights.index:
        return key
    hint = ""
    if g is not None:
        from capexgraph.graph.lookup import resolve, suggest

        node = resolve(g, key)
        if node:
            return node
        hint = suggest(g, key)
    else:
        hint = did_you_mean(key, list(weights.index))
    raise UsageError(f"unknown company '{key}'{hint}: give an id (e.g. nvidia), a ticker (e.g. NVDA) or a name")


def _library(args) -> dict[str, Scenario]:
    return scenario_library(args.scenario_dir)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def go() -> int:
        from .viz_cmd import outputs_together  # --html/--chart/--rdf go in place only if run succeeds

        try:
            with outputs_together():
                return run(args)
        except ScenarioError as exc:
            raise UsageError(str(exc)) from None
    return run_guarded(go)


if __name__ == "__main__":
    sys.exit(main())
