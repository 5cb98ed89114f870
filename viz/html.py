"""The interactive graph: one self-contained, offline HTML file drawn with vis-network (pyvis' copy).

`render_html(g, "graph.html")` writes a page with the whole graph, a legend, search, filters by
category / relationship type / amount / date, a neighbourhood focus, and (with `exposure=`) a
shock view coloured by exposure score with the seeds and the strongest paths highlighted.

The page fetches nothing: vis-network's JavaScript is inlined from the pyvis package, there is no
CSS framework or web font, and every string that comes from the data travels as JSON and reaches
the page as DOM text (`textContent`), never as HTML, so a company called `<img onerror=...>` is
shown as those characters.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import networkx as nx

from capexgraph.ingest import Schema
from capexgraph.ingest.atomic import OutputError, write_bytes

from . import style
from ._template import PAGE

__all__ = ["ShockView", "VizError", "render_html", "resolve_node", "shock_view", "vis_js"]

#: Minimum-amount choices of the filter (USD).
AMOUNT_STEPS = [0, 1e8, 5e8, 1e9, 5e9, 1e10, 5e10, 1e11]
#: Edge type of drawn path steps that no relationship backs (shock view only).
VIRTUAL_TYPE = "exposure_link"
#: Above this many nodes the initial layout is left to the browser (networkx would be slow).
PY_LAYOUT_MAX = 600
#: The whole-graph view opens on this many of the largest companies when it holds more nodes
#: (everything at once is a hairball on a projector); "Show all" brings the rest.
CORE_TOP = 40
FONT_STACK = ("'Noto Sans', 'Noto Sans CJK KR', 'Apple SD Gothic Neo', 'Malgun Gothic', "
              "'Segoe UI', Roboto, Helvetica, Arial, sans-serif")


class VizError(ValueError):
    """A request the views cannot satisfy (an unknown company to focus on, a bad output path)."""


# --- exposure input ---------------------------------------------------------------------------
@dataclass
class ShockView:
    """What the shock view needs: a score per node, the seeds and the strongest paths.

    `channels` (optional) gives each node's per-channel scores for the tooltips; `seeds` are
    dicts with `node` and optionally `channel`, `magnitude`, `why` (plain node ids also work).
    """

    scores: dict[str, float]
    seeds: list[dict[str, Any]] = field(default_factory=list)
    paths: list[list[str]] = field(default_factory=list)
    channels: dict[str, dict[str, float]] = field(default_factory=dict)
    gains: dict[str, float] = field(default_factory=dict)   # nodes that gain (substitution, pricing power)

    @property
    def seed_nodes(self) -> list[str]:
        return style.unique(s["node"] for s in self.seeds)


def shock_view(exposure: Any, top: int = 8, k: int = 2) -> ShockView:
    """Normalise an Exposure object, a ShockView, or a mapping into a ShockView.

    A mapping is either `{node: score}` or `{"scores": {...}, "seeds": [...], "paths": [[...]],
    "channels": {...}}`. From an Exposure, the paths are the `k` strongest seed-to-node paths of
    its `top` most exposed nodes.
    """
    if isinstance(exposure, ShockView):
        return exposure
    if isinstance(exposure, Mapping):
        if "scores" in exposure:
            seeds = [s if isinstance(s, Mapping) else {"node": str(s)}
                     for s in exposure.get("seeds") or []]
            return ShockView({str(n): float(v) for n, v in exposure["scores"].items()},
                             [dict(s) for s in seeds], [list(p) for p in exposure.get("paths") or []],
                             {str(n): dict(c) for n, c in (exposure.get("channels") or {}).items()})
        return ShockView({str(n): float(v) for n, v in exposure.items()})
    if hasattr(exposure, "scores") and hasattr(exposure, "nodes") and hasattr(exposure, "top_paths"):
        ex = exposure
        nodes = list(ex.nodes)
        net = getattr(ex, "net", ex.scores)
        shown = getattr(ex, "SHOWN", 0.0)   # what rounds to 0.000 in the tables is not exposed here either
        scores = {n: float(s) if s >= shown else 0.0 for n, s in zip(nodes, net)}
        gains = {n: -float(s) for n, s in zip(nodes, net) if s <= -shown}
        channels = {n: ex.channel_scores(i) for i, n in enumerate(nodes) if scores[n] > 0}
        seeds = [{"node": s.node, "channel": s.channel, "magnitude": float(s.magnitude), "why": s.why,
                  "why_ko": getattr(s, "why_ko", None), "gain": bool(getattr(s, "gain", False))}
                 for s in ex.seeds]
        pg = ex.path_graph()
        paths: list[list[str]] = []
        for i in ex.ranked()[:top]:
            for p in ex.top_paths(nodes[i], k, pg):
                if len(p["nodes"]) > 1 and p["nodes"] not in paths:
                    paths.append(list(p["nodes"]))
        return ShockView(scores, seeds, paths, channels, gains)
    raise TypeError("exposure= takes an Exposure, a ShockView, or a mapping of node -> score")


# --- helpers ----------------------------------------------------------------------------------
def _is_place(g: nx.MultiDiGraph, n: str) -> bool:
    """Countries and grid regions are conduits of a shock, not results: never ranked."""
    return g.nodes[n].get("kind") in ("jurisdiction", "grid_region")


def vis_js() -> str:
    """vis-network's standalone build, as shipped inside the pyvis package."""
    for sub in ("templates/lib/vis-9.1.2", "lib/vis-9.1.2"):
        path = Path(str(resources.files("pyvis"))) / sub / "vis-network.min.js"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise VizError("vis-network.min.js not found in the pyvis package (pip install 'pyvis>=0.3')")


def resolve_node(g: nx.MultiDiGraph, key: str) -> str:
    """A node id from an id, a ticker, a name (English or Korean) or an alias, case-insensitive."""
    from capexgraph.graph.lookup import resolve, suggest

    node = resolve(g, key)
    if node is None:
        raise VizError(f"unknown company '{key}'{suggest(g, key)}: give an id (e.g. nvidia), a ticker "
                       f"(e.g. NVDA) or a name")
    return node


def atomic_write(out_path: Path | str, data: bytes) -> Path:
    """Write `data` atomically (capexgraph.ingest.atomic), its refusals raised as VizError."""
    try:
        return write_bytes(out_path, data)
    except OutputError as exc:
        raise VizError(str(exc)) from None


#: Every placeholder of the template: `__NAME__` words and the two script slots.
_SLOT = re.compile(r"/\*__(?:DATA|VIS)__\*/|__[A-Z][A-Z_]*__")


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """Put each placeholder's value in `template` in one pass over the template.

    Why one pass: text already put in is never searched again, so a company called
    `/*__DATA__*/` or a title `__UI_FIND__` stays that text. A placeholder without a value is
    an error (a typo in the template would otherwise ship)."""
    def one(m: re.Match) -> str:
        try:
            return values[m.group(0)]
        except KeyError:
            raise KeyError(f"template placeholder {m.group(0)} has no value") from None
    return _SLOT.sub(one, template)


def _script_json(obj: Any) -> str:
    """JSON safe to place inside <script>: no '<', '>', '&' or line separators survive literally."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _amount_text(d: dict, lang: str) -> str:
    amount, cur = d.get("amount"), d.get("currency")
    if amount is None:
        return ""
    q = style.QUALIFIER[lang].get(d.get("amount_qualifier") or "", "")
    if cur in (None, "USD"):
        return q + style.money(amount)
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(amount) >= scale:
            return f"{q}{cur} {amount / scale:,.1f}{unit}"
    return f"{q}{cur} {amount:,.0f}"


def _label(d: dict, n: str, lang: str) -> str:
    return str((d.get("name_ko") if lang == "ko" else None) or d.get("name") or n)


def _short(label: str, limit: int = 22) -> str:
    """Canvas label: drop a long name's parenthetical, cut what is still too long."""
    if len(label) > limit and " (" in label:
        label = label.split(" (", 1)[0]
    return label if len(label) <= limit + 6 else label[: limit + 5] + "…"


def _size_measure(d: dict) -> float | None:
    for key in ("revenue_usd", "capex_usd"):
        v = d.get(key)
        if isinstance(v, (int, float)) and math.isfinite(v) and v > 0:
            return float(v)
    return None


def _edge_width(usd: float | None) -> float:
    if not usd or usd <= 0:
        return 1.0
    return round(min(8.0, max(1.5, 1.5 + 6.5 * (math.log10(usd) - 8) / 4)), 2)


def _initial_positions(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    if g.number_of_nodes() == 0 or g.number_of_nodes() > PY_LAYOUT_MAX:
        return {}
    und = nx.Graph()
    und.add_nodes_from(g.nodes)
    und.add_edges_from((u, v) for u, v in g.edges() if u != v)
    pos = nx.spring_layout(und, seed=7, iterations=60)
    scale = 70 * math.sqrt(max(g.number_of_nodes(), 4))
    return {n: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for n, (x, y) in pos.items()}


def _date_iso(value: Any) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10] if value else None


def _finite(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return 0.0
    return x if math.isfinite(x) else 0.0


def _fmt_score(x: float) -> str:
    return f"{x:.3f}"


def _ranked(g: nx.MultiDiGraph, values: Mapping[str, float]) -> list[str]:
    """Companies with a positive value, largest first (places are conduits: never ranked)."""
    return sorted((n for n in g if _finite(values.get(n, 0)) > 0 and not _is_place(g, n)),
                  key=lambda n: -values[n])  # ties keep the graph's order, as the exposure table does


def _core(g: nx.MultiDiGraph, measures: Mapping[str, float | None]) -> list[str] | None:
    """The largest companies (by the measure that sizes the nodes), what the whole-graph view
    opens on when the graph is too big to read at once; None when it is small enough."""
    companies = [n for n in g if not _is_place(g, n)]
    if g.number_of_nodes() <= CORE_TOP:
        return None
    return [str(n) for n in sorted(companies, key=lambda n: (-(measures.get(n) or 0), -g.degree(n), str(n)))[:CORE_TOP]]


def _opening(g: nx.MultiDiGraph, shock: ShockView, top: int) -> list[dict[str, Any]]:
    """What the shock view opens on, in reading order: the `top` most exposed companies, the
    leading gainers and every node on their strongest paths, each with its column (its step
    from a seed along those paths: seeds and places left, the furthest-reached right).

    Why: the whole graph is a hairball on a projector; a slide needs the shock's own story."""
    losers = _ranked(g, shock.scores)[:top]
    gainers = _ranked(g, shock.gains)[:max(0, min(5, top // 5))]
    wanted = set(losers) | set(gainers)
    seeds = set(shock.seed_nodes)
    layer: dict[str, int] = {}
    for path in shock.paths:
        if not path or path[-1] not in wanted or any(x not in g for x in path):
            continue
        for i, n in enumerate(path):
            layer[n] = min(layer.get(n, i), i)
    for n in [*losers, *gainers]:
        layer.setdefault(n, 0 if n in seeds else 1)
    def weight(n: str) -> float:
        return max(_finite(shock.scores.get(n, 0)), _finite(shock.gains.get(n, 0)))
    # within a column: places, then losers, then gainers (kept together, green), by size
    order = sorted(layer, key=lambda n: (layer[n], not _is_place(g, n), n in gainers and n not in losers,
                                         -weight(n), str(n)))
    rank = {n: i for i, n in enumerate(losers)}
    return [{"id": str(n), "layer": layer[n], "rank": rank.get(n)} for n in order]


# --- payload: nodes ----------------------------------------------------------------------------
def _categories(g: nx.MultiDiGraph, schema: Schema, lang: str) -> list[dict[str, Any]]:
    """The legend's categories: those present in the graph, in schema order, with colour and count."""
    cat_order = list(schema.categories)
    extra_colors: dict[str, str] = {}
    present: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        cats = list(d.get("category") or []) or [style.NO_CATEGORY]
        for c in cats:
            present[c] = present.get(c, 0) + 1
    categories = []
    for c in sorted(present, key=lambda c: (cat_order.index(c) if c in cat_order else len(cat_order), c)):
        label = schema.category_label(c, lang) if c in schema.categories else (
            "—" if c == style.NO_CATEGORY else c)
        categories.append({"code": c, "label": label, "color": style.category_color(
            None if c == style.NO_CATEGORY else c, extra_colors, schema), "count": present[c]})
    return categories


def _size_measures(g: nx.MultiDiGraph) -> tuple[dict[str, float | None], str]:
    """What sizes each node, and its name: revenue (or capex), else the number of relationships."""
    measures = {n: _size_measure(d) for n, d in g.nodes(data=True)}
    if any(measures.values()):
        return measures, "revenue"
    # no revenue or capex known: size by number of relationships
    return {n: float(g.degree(n)) or None for n in g}, "degree"


@dataclass(frozen=True)
class _ShockStyle:
    """What styling a node in the shock view needs beyond the node: the scales' tops, the seeds,
    and which nodes the view opens on (labelled with their score; the ten most exposed larger)."""

    max_score: float
    max_gain: float
    seeds: dict[str, list[dict]]
    labelled: set[str]
    top_ten: set[str]


def _shock_style(g: nx.MultiDiGraph, shock: ShockView, opening: list[dict[str, Any]]) -> _ShockStyle:
    """Gather the shock view's node scales once, so each node is styled without re-scanning."""
    seeds: dict[str, list[dict]] = {}
    for s in shock.seeds:
        seeds.setdefault(s["node"], []).append(s)
    return _ShockStyle(
        max_score=max([_finite(s) for n, s in shock.scores.items() if n in g], default=0.0),
        max_gain=max([_finite(s) for n, s in shock.gains.items() if n in g], default=0.0),
        seeds=seeds, labelled={o["id"] for o in opening},
        top_ten={o["id"] for o in opening if o["rank"] is not None and o["rank"] < 10})


def _node_rows(d: dict, cats: list[str], lang: str, schema: Schema) -> list[list[str]]:
    """The tooltip rows every view shows for a node: ticker, country, categories, revenue, capex."""
    ui = style.UI[lang]
    rows: list[list[str]] = []
    if d.get("ticker"):
        rows.append([ui["ticker"], " · ".join(str(x) for x in (d.get("ticker"), d.get("exchange")) if x)])
    if d.get("country"):
        rows.append([ui["country"], str(d["country"])])
    if cats:
        rows.append([ui["category"], ", ".join(schema.category_label(c, lang) for c in cats)])
    for key, word in (("revenue_usd", "revenue"), ("capex_usd", "capex")):
        if d.get(key):
            period = d.get(f"{key}_period")
            rows.append([ui[word], style.money(d[key]) + (f" ({period})" if period else "")])
    return rows


def _base_node(n: str, d: dict, label: str, cats: list[str],
               positions: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """The node fields every view shares: id, canvas label, categories, search text, shape, position."""
    node: dict[str, Any] = {"id": str(n), "label": _short(label), "cats": cats or [style.NO_CATEGORY],
                            "kind": d.get("kind") or "", "shape": "dot"}
    q = [str(n), label, d.get("name"), d.get("name_ko"), d.get("ticker"), *(d.get("aliases") or [])]
    node["q"] = " | ".join(str(x).casefold() for x in q if x)
    if n in positions:
        node["x"], node["y"] = positions[n]
    if d.get("kind") == "jurisdiction":
        node["shape"] = "diamond"
    elif d.get("kind") == "grid_region":
        node["shape"] = "triangle"
    return node


def _node_color(fill: str, border: str) -> dict[str, Any]:
    """vis-network's node colour: the fill and border, outlined dark when highlighted or hovered."""
    return {"background": fill, "border": border,
            "highlight": {"background": fill, "border": "#111111"},
            "hover": {"background": fill, "border": "#111111"}}


def _style_by_category(node: dict[str, Any], measure: float | None, top_measure: float | None,
                       fill: str) -> None:
    """Whole-graph look: area by the size measure, filled with the primary category's colour."""
    rel = math.sqrt(measure / top_measure) if (measure and top_measure) else 0.0
    size = 9 + 41 * rel
    node.update(size=round(size, 1), borderWidth=1.5, color=_node_color(fill, "#ffffff"),
                font={"size": round(16 + 30 * rel)})


def _exposure_fill(score: float, gain: float, look: _ShockStyle) -> tuple[str, float]:
    """A shock-view node's fill and size: red scale by exposure, green by gain (gain wins), else grey."""
    rel = score / look.max_score if look.max_score > 0 else 0.0
    fill = style.lerp_color(style.EXPOSURE_STOPS, rel) if score > 0 else style.ZERO_EXPOSURE
    size = 8 + 18 * math.sqrt(rel) if score > 0 else 7
    if gain > 0:
        grel = gain / look.max_gain if look.max_gain > 0 else 0.0
        fill = style.lerp_color(style.GAIN_STOPS, grel)
        size = 8 + 14 * math.sqrt(grel)
    return fill, size


def _seed_row(seed: dict, lang: str) -> list[str]:
    """A seed's tooltip row: its channel, magnitude and why, as far as the scenario gives them."""
    ui = style.UI[lang]
    why = (seed.get("why_ko") or seed.get("why")) if lang == "ko" else seed.get("why")
    bits = [x for x in (seed.get("channel"), f"{ui['magnitude']} {seed['magnitude']:.2f}"
                        if isinstance(seed.get("magnitude"), (int, float)) else None, why) if x]
    return [ui["seed"], "; ".join(str(b) for b in bits)]


def _style_by_exposure(node: dict[str, Any], rows: list[list[str]], g: nx.MultiDiGraph, n: str,
                       label: str, shock: ShockView, look: _ShockStyle, lang: str) -> None:
    """Shock-view look and tooltip: coloured by exposure or gain, seeds starred, scores in the rows."""
    ui = style.UI[lang]
    score = _finite(shock.scores.get(n, 0.0))
    gain = _finite(shock.gains.get(n, 0.0))
    fill, size = _exposure_fill(score, gain, look)
    # one colour scale per meaning: fill = exposure (red) or gain (green); the border is
    # neutral (a category ring in red or orange would read as "high exposure")
    node.update(size=round(size, 1), borderWidth=2, color=_node_color(fill, style.NEUTRAL_BORDER),
                font={"size": 20 if n in look.top_ten else 17 if n in look.labelled else 14,
                      "color": "#1a1a1a" if (score > 0 or gain > 0 or n in look.labelled) else "#777777"})
    if n in look.labelled and not _is_place(g, n):
        shown = f"+{_fmt_score(gain)}" if gain > 0 else _fmt_score(score)
        node["label"] = f"{_short(label)}\n{shown}"
    ch = shock.channels.get(n) or {}
    detail = " · ".join(f"{style.CHANNEL_LABEL[lang].get(c, c)} {_fmt_score(_finite(v))}"
                        for c, v in ch.items())
    rows.insert(0, [ui["exposure"], _fmt_score(score) + (f" ({detail})" if detail else "")])
    if gain > 0:
        rows.insert(1, [ui["gain"], _fmt_score(gain)])
        node["gain"] = round(gain, 6)
    if n in look.seeds:
        node.update(shape="star", borderWidth=4, color={**node["color"], "border": style.SEED_BORDER})
        node["seed"] = True
        for seed in look.seeds[n]:
            rows.insert(1, _seed_row(seed, lang))
    node["score"] = round(score, 6)


def _nodes(g: nx.MultiDiGraph, lang: str, schema: Schema, positions: Mapping[str, tuple[float, float]],
           color_of: Mapping[str, str], measures: Mapping[str, float | None],
           shock: ShockView | None, look: _ShockStyle | None) -> list[dict[str, Any]]:
    """One vis-network node per graph node, styled by category or (shock view) by exposure."""
    top_measure = max([m for m in measures.values() if m], default=None)
    nodes = []
    for n, d in g.nodes(data=True):
        cats = list(d.get("category") or [])
        label = _label(d, n, lang)
        rows = _node_rows(d, cats, lang, schema)
        other = d.get("name") if lang == "ko" else d.get("name_ko")
        sub = str(other) if other and other != label else ""
        node = _base_node(n, d, label, cats, positions)
        if shock is None or look is None:
            _style_by_category(node, measures[n], top_measure, color_of[cats[0] if cats else style.NO_CATEGORY])
        else:
            _style_by_exposure(node, rows, g, n, label, shock, look, lang)
        node["tip"] = {"h": label, "sub": sub, "rows": rows}
        nodes.append(node)
    return nodes


# --- payload: edges ----------------------------------------------------------------------------
def _edge_color(color: str, opacity: float) -> dict[str, Any]:
    """vis-network's edge colour: the colour and opacity, dark when highlighted or hovered."""
    return {"color": color, "highlight": "#111111", "hover": "#111111", "opacity": opacity}


def _path_pairs(shock: ShockView | None) -> set[frozenset]:
    """The node pairs (either direction) that are steps of a strongest path: drawn highlighted."""
    pairs: set[frozenset] = set()
    if shock:
        for p in shock.paths:
            for a, b in zip(p, p[1:]):
                pairs.add(frozenset((a, b)))
    return pairs


def _edge_look(typ: str, schema: Schema, usd: float | None, shock_view: bool,
               on_path: bool) -> tuple[dict[str, Any], float]:
    """An edge's colour and width: its group's colour, or in the shock view path-red or faded grey."""
    width = _edge_width(usd)
    if not shock_view:
        return _edge_color(style.GROUP_STYLE[style.type_group(typ, schema)]["color"], 0.8), width
    if on_path:
        return _edge_color(style.PATH_COLOR, 1.0), max(width, 3.0) + 2
    return _edge_color("#9a9a9a", 0.35), width


def _edge_rows(d: dict, usd: float | None, date: str | None, on_path: bool, lang: str,
               schema: Schema) -> list[list[str]]:
    """An edge's tooltip rows: amount, USD value, date at its precision, status, product, term."""
    ui = style.UI[lang]
    rows = [[ui["amount"], _amount_text(d, lang)]] if d.get("amount") is not None else []
    if usd is not None and d.get("currency") not in (None, "USD"):
        rows.append([ui["amount_usd"], style.money(usd)])
    if date:
        precision = d.get("date_precision") or "day"
        rows.append([ui["date"], date[:4] if precision == "year" else date[:7] if precision == "month" else date])
    if d.get("status"):
        st = str(d["status"])
        rows.append([ui["status"], schema.status_label(st, lang)])
    if d.get("product"):
        rows.append([ui["product"], str(d["product"])])
    if d.get("term"):
        rows.append([ui["term"], str(d["term"])])
    if on_path:
        rows.append(["★", ui["path_edge"]])
    return rows


def _edge_sources(d: dict) -> list[dict[str, str]]:
    """An edge's sources for the tooltip: 'publisher, “title”, date' and the link."""
    srcs = []
    for s in d.get("sources") or []:
        bits = [s.get("publisher"), f"“{s['title']}”" if s.get("title") else None, _date_iso(s.get("date"))]
        srcs.append({"text": ", ".join(str(b) for b in bits if b), "url": str(s.get("url") or "")})
    return srcs


def _spring_length(sizes: Mapping[str, float], u: str, v: str, shock_view: bool) -> int:
    """Big nodes (and their two-line labels in the shock view) need longer springs."""
    return round(80 + 1.6 * (sizes.get(u, 10) + sizes.get(v, 10)) * (1.5 if shock_view else 1.0))


def _edges(g: nx.MultiDiGraph, lang: str, schema: Schema, shock: ShockView | None,
           sizes: Mapping[str, float]) -> tuple[list[dict[str, Any]], dict[str, int], list[str]]:
    """One vis-network edge per relationship, with the type counts and dates the filters need."""
    path_pairs = _path_pairs(shock)
    pair_rank: dict[frozenset, int] = {}
    type_count: dict[str, int] = {}
    dates: list[str] = []
    edges = []
    for u, v, k, d in g.edges(keys=True, data=True):
        typ = str(d.get("type") or "")
        type_count[typ] = type_count.get(typ, 0) + 1
        usd = d.get("amount_usd")
        usd = float(usd) if isinstance(usd, (int, float)) and math.isfinite(usd) else None
        date = _date_iso(d.get("date"))
        if date:
            dates.append(date)
        pair = frozenset((u, v))
        rank = pair_rank.get(pair, 0)   # how many edges between this pair came before: curve this one
        pair_rank[pair] = rank + 1
        on_path = shock is not None and pair in path_pairs
        color, width = _edge_look(typ, schema, usd, shock is not None, on_path)
        names = (_label(g.nodes[u], u, lang), _label(g.nodes[v], v, lang))
        arrow = "—" if typ == "partners_with" else "→"
        edge: dict[str, Any] = {
            "id": str(k), "from": str(u), "to": str(v), "type": typ, "usd": usd, "date": date,
            "width": width, "length": _spring_length(sizes, u, v, shock is not None), "color": color,
            "dashes": style.GROUP_STYLE[style.type_group(typ, schema)]["dashes"],
            "tip": {"h": f"{names[0]} {arrow} {names[1]}", "sub": schema.type_label(typ, lang),
                    "rows": _edge_rows(d, usd, date, on_path, lang, schema), "src": _edge_sources(d)}}
        if typ == "partners_with":
            edge["arrows"] = {"to": {"enabled": False}}
        if rank:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if rank % 2 else "curvedCCW",
                              "roundness": round(0.18 * ((rank + 1) // 2), 2)}
        if on_path:
            edge["path"] = True
        edges.append(edge)
    return edges, type_count, dates


def _exposure_links(g: nx.MultiDiGraph, shock: ShockView, edges: list[dict[str, Any]],
                    lang: str) -> list[dict[str, Any]]:
    """Path steps no drawn relationship backs, as virtual "exposure links" (never counted as edges).

    Why: the exposure model also links companies through disclosed revenue shares in facts.csv;
    those steps are drawn, but marked virtual so they are never mistaken for relationships."""
    ui = style.UI[lang]
    drawn_pairs = {frozenset((e["from"], e["to"])) for e in edges}
    links = []
    for p in shock.paths:
        for a, b in zip(p, p[1:]):
            if a not in g or b not in g or frozenset((str(a), str(b))) in drawn_pairs:
                continue
            drawn_pairs.add(frozenset((str(a), str(b))))
            names = (_label(g.nodes[a], a, lang), _label(g.nodes[b], b, lang))
            links.append({
                "id": f"exposure:{a}:{b}", "from": str(a), "to": str(b), "type": VIRTUAL_TYPE,
                "usd": None, "date": None, "width": 4, "length": 200, "virtual": True, "path": True,
                "color": _edge_color(style.PATH_COLOR, 1.0),
                "dashes": [2, 5],
                "tip": {"h": f"{names[0]} → {names[1]}", "sub": ui["exposure_link"],
                        "rows": [["★", ui["exposure_link_why"]]], "src": []}})
    return links


def _types(type_count: Mapping[str, int], schema: Schema, lang: str) -> list[dict[str, Any]]:
    """The legend's relationship types: schema order, then unknown ones, exposure links last."""
    ui = style.UI[lang]
    type_order = list(schema.relationship_types)
    types = []
    for t in sorted(type_count, key=lambda t: (type_order.index(t) if t in type_order else
                                               (100 if t == VIRTUAL_TYPE else 99), t)):
        if t == VIRTUAL_TYPE:
            types.append({"code": t, "label": ui["exposure_link"], "group": "exposure",
                          "groupLabel": ui["exposure_link"], "color": style.PATH_COLOR, "dash": "dotted",
                          "direction": ui["exposure_link_why"], "count": type_count[t]})
            continue
        group = style.type_group(t, schema)
        types.append({"code": t, "label": schema.type_label(t, lang), "group": group,
                      "groupLabel": style.GROUP_LABEL[lang][group],
                      "color": style.GROUP_STYLE[group]["color"],
                      "dash": "dashed" if group == "investment" else (
                          "dotted" if group in ("partnership", "location") else "solid"),
                      "direction": str(schema.relationship_types.get(t, {}).get("direction") or ""),
                      "count": type_count[t]})
    return types


# --- payload: titles and panels ----------------------------------------------------------------
def _counts_text(g: nx.MultiDiGraph, lang: str, shock: ShockView | None) -> list[str]:
    """The subtitle's opening bits: companies and relationships, or exposed companies and seeds."""
    ui = style.UI[lang]
    if shock:
        exposed = len(_ranked(g, shock.scores))
        seeds = [_label(g.nodes[s], s, lang) for s in shock.seed_nodes if s in g]
        more = f" +{len(seeds) - 4}" if len(seeds) > 4 else ""
        bits = [(f"{exposed} compan{'y' if exposed == 1 else 'ies'} exposed" if lang == "en"
                 else f"노출 기업 {exposed}곳")]
        if seeds:
            bits.append(f"{ui['seeds']}: {', '.join(seeds[:4])}{more}")
        return bits
    n_companies = sum(1 for _, d in g.nodes(data=True) if d.get("kind", "company") == "company")
    if lang == "ko":
        return [f"기업 {n_companies}곳 · 관계 {g.number_of_edges()}건"]
    return [f"{n_companies} compan{'y' if n_companies == 1 else 'ies'} · "
            f"{g.number_of_edges()} relationship{'' if g.number_of_edges() == 1 else 's'}"]


def _subtitle(g: nx.MultiDiGraph, lang: str, shock: ShockView | None, focus_id: str | None,
              depth: int, as_of: str | None) -> str:
    """The default subtitle: what the view counts, then its focus and date when it has them."""
    ui = style.UI[lang]
    bits = _counts_text(g, lang, shock)
    if focus_id is not None:
        bits.append(f"{ui['focus_on']} {_label(g.nodes[focus_id], focus_id, lang)} "
                    f"({ui['depth']} {depth})")
    if as_of:
        bits.append(f"{ui['as_of']} {as_of}")
    return " · ".join(bits)


def _shock_panel(g: nx.MultiDiGraph, shock: ShockView, lang: str, max_score: float) -> dict[str, Any]:
    """The shock view's side panel: top losers and gainers, seeds, strongest paths, colour scales."""
    ranked = _ranked(g, shock.scores)
    gained = _ranked(g, shock.gains)
    return {
        "max": max_score,
        "top": [{"id": str(n), "label": _label(g.nodes[n], n, lang), "score": _fmt_score(shock.scores[n])}
                for n in ranked[:12]],
        "gainers": [{"id": str(n), "label": _label(g.nodes[n], n, lang), "score": _fmt_score(shock.gains[n])}
                    for n in gained[:8]],
        "gain_stops": style.GAIN_STOPS,
        "seeds": [{"id": str(s), "label": _label(g.nodes[s], s, lang)} for s in shock.seed_nodes if s in g],
        "paths": [" → ".join(_label(g.nodes[x], x, lang) for x in p if x in g)
                  for p in shock.paths[:10]],
        "stops": style.EXPOSURE_STOPS, "zero": style.ZERO_EXPOSURE,
    }


# --- payload ----------------------------------------------------------------------------------
def _payload(g: nx.MultiDiGraph, lang: str, title: str | None, subtitle: str | None,
             focus: str | None, depth: int, shock: ShockView | None, schema: Schema,
             top: int = 25) -> dict:
    """Everything the page's script draws, as one JSON-ready dict."""
    ui = style.UI[lang]
    positions = _initial_positions(g)
    categories = _categories(g, schema, lang)
    measures, size_by = _size_measures(g)
    opening = _opening(g, shock, top) if shock else []
    look = _shock_style(g, shock, opening) if shock else None
    nodes = _nodes(g, lang, schema, positions, {c["code"]: c["color"] for c in categories}, measures,
                   shock, look)
    edges, type_count, dates = _edges(g, lang, schema, shock, {nd["id"]: nd["size"] for nd in nodes})
    if shock:
        links = _exposure_links(g, shock, edges, lang)
        edges.extend(links)
        if links:
            type_count[VIRTUAL_TYPE] = type_count.get(VIRTUAL_TYPE, 0) + len(links)
    as_of = g.graph.get("as_of") or (max(dates) if dates else None)
    focus_id = resolve_node(g, focus) if focus is not None else None
    if title is None:
        title = ui["shock_title"] if shock else ui["title"]
    if subtitle is None:
        subtitle = _subtitle(g, lang, shock, focus_id, depth, as_of)
    n = g.number_of_nodes()
    return {
        "lang": lang, "ui": ui, "sizeBy": "exposure" if shock else size_by, "title": title, "subtitle": subtitle, "font": FONT_STACK,
        "nodes": nodes, "edges": edges, "categories": categories, "types": _types(type_count, schema, lang),
        "amounts": [{"value": a, "label": ui["any"] if a == 0 else "≥ " + style.money(a)}
                    for a in AMOUNT_STEPS],
        "dates": {"min": min(dates) if dates else None, "max": max(dates) if dates else None},
        "layout": {"iterations": 400 if n <= 400 else (300 if n <= 1000 else 200),
                   "positioned": bool(positions), "big": n > 800},
        "focus": {"id": str(focus_id), "depth": depth} if focus_id is not None else None,
        "shock": _shock_panel(g, shock, lang, look.max_score) if shock and look else None,
        "open": opening if (shock and focus_id is None and opening) else None,
        "core": _core(g, measures) if (not shock and focus_id is None) else None,
    }


def render_html(g: nx.MultiDiGraph, out_path: str | os.PathLike, *, lang: str = "en",
                title: str | None = None, subtitle: str | None = None, focus: str | None = None,
                depth: int = 2, exposure: Any = None, schema: Schema | None = None,
                top: int = 25) -> Path:
    """Write the interactive graph to `out_path` (one offline HTML file) and return its path.

    lang: "en" or "ko" (Korean names and controls). focus: a node id, ticker or name; the page
    opens on its neighbourhood `depth` links away (the audience can "Show all"). exposure: an
    Exposure, a ShockView or a mapping node -> score (see `shock_view`) for the shock view, which
    opens on the seeds, the `top` most exposed companies and the strongest paths between them.
    """
    if lang not in style.UI:
        raise VizError(f"lang must be one of {', '.join(style.UI)}, not '{lang}'")
    if depth < 1:
        raise VizError("depth must be >= 1")
    if top < 1:
        raise VizError("top must be >= 1")
    schema = schema or Schema.load()
    shock = shock_view(exposure, top=top, k=1) if exposure is not None else None
    data = _payload(g, lang, title, subtitle, focus, depth, shock, schema, top)
    ui = data["ui"]
    text = {"__LANG__": lang, "__TITLE_TEXT__": str(data["title"]),
            "__SUBTITLE_TEXT__": str(data["subtitle"]),
            "__UI_SIZE__": ui["legend_size_" + data["sizeBy"]]}
    for slot, key in (("SEARCH", "search"), ("SEARCH_PH", "search_ph"), ("FIND", "find"),
                      ("FOCUS", "focus"), ("DEPTH", "depth"), ("SHOW_ALL", "show_all"),
                      ("FILTERS", "filters"), ("CATEGORIES", "categories"), ("TYPES", "types"),
                      ("MIN_AMOUNT", "min_amount"), ("FROM", "date_from"), ("TO", "date_to"),
                      ("HIDE_ISOLATED", "hide_isolated"), ("RESET", "reset"),
                      ("SELECTED", "selected"), ("CLICK_HINT", "click_hint"),
                      ("LAYING_OUT", "laying_out"), ("ARROWS", "legend_arrows"),
                      ("WIDTH", "legend_width"), ("PANEL", "panel"), ("EXPOSED_VIEW", "exposed_view"),
                      ("PRESENT", "present"), ("SAVE_PNG", "save_png"), ("SAVE_SVG", "save_svg")):
        text[f"__UI_{slot}__"] = ui[key]
    values = {k: html.escape(v) for k, v in text.items()}
    values["__FONT__"] = FONT_STACK
    values["/*__DATA__*/"] = _script_json(data)
    values["/*__VIS__*/"] = vis_js().replace("</script", "<\\/script")
    page = fill_template(PAGE, values)
    return atomic_write(out_path, page.encode("utf-8"))
