"""The HTML graph: one offline file, data shown as text, and (in headless Chromium) a page that
draws every node and edge, searches, filters, shows tooltips and fetches nothing.

Browser tests drive Debian's /usr/bin/chromium through playwright with every network request
aborted and counted; they skip only if that browser (or playwright) is not installed.
Screenshots land in tests/artifacts/ (gitignored).
"""
from __future__ import annotations

import math

import datetime as dt
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from capexgraph.graph import load_graph
from capexgraph.ingest import DataError
from capexgraph.viz import ShockView, VizError, render_html
from capexgraph.viz.synthetic import synthetic_graph
from capexgraph.viz.html import CORE_TOP

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"
from conftest import CHROMIUM  # noqa: E402,F401  (the browser fixture lives in conftest.py)
XSS = "<img src=x onerror=window.__x=1>"
ALLOWED_SCHEMES = ("file:", "data:", "about:")
CLEAN_FOR_SCREENSHOT = """() => { const c = window.capexgraph; c.network.unselectAll();
    document.querySelectorAll('div.vis-tooltip').forEach(t => { t.style.visibility = 'hidden'; });
    c.network.fit({animation: false}); }"""


# --- graphs -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped():
    """The shipped dataset's graph; skipped (with the reason) while the data does not validate."""
    try:
        return load_graph()
    except DataError as exc:
        pytest.skip(f"shipped dataset does not validate right now ({len(exc.problems)} problems); "
                    "see test_shipped_data.py")


@pytest.fixture(scope="module")
def mini_graph():
    """The hand-checked small dataset (tests/fixtures/mini), through the real loader."""
    path = Path(__file__).parent / "fixtures" / "mini"
    if not path.is_dir():
        pytest.skip("tests/fixtures/mini is not there")
    return load_graph(path)


def _edge(g, u, v, key, typ="supplies", amount=None, date=dt.date(2025, 5, 1), **extra):
    src = {"publisher": "Example Wire", "title": f"{u} and {v}", "url": "https://example.com/a",
           "date": date}
    g.add_edge(u, v, key=key, id=key, type=typ, product=extra.get("product"), amount=amount,
               currency="USD" if amount is not None else None, amount_qualifier=None,
               amount_usd=amount, term=None, date=date, status="announced",
               sources=extra.get("sources", [src]))


def _node(g, n, name, cats, revenue=None, ticker=None, name_ko=None, kind="company"):
    g.add_node(n, name=name, name_ko=name_ko, ticker=ticker, exchange=None, country="US",
               category=cats, kind=kind, revenue_usd=revenue, capex_usd=None, facts=[])


def small_graph() -> nx.MultiDiGraph:
    """A hand-made graph: a supply chain, an investment, a partnership, a place."""
    g = nx.MultiDiGraph(as_of=None)
    _node(g, "tsmc", "TSMC", ["foundry"], 9e10, "TSM", "TSMC")
    _node(g, "nvidia", "Nvidia", ["accelerator"], 1.3e11, "NVDA", "엔비디아")
    _node(g, "microsoft", "Microsoft", ["hyperscaler", "investor"], 2.5e11, "MSFT", "마이크로소프트")
    _node(g, "openai", "OpenAI", ["ai_lab"], 4e9, None, "오픈AI")
    _node(g, "vistra", "Vistra", ["power_utility"], 1.7e10, "VST", "비스트라")
    _node(g, "jur_tw", "Taiwan", ["jurisdiction"], None, None, "대만", kind="jurisdiction")
    _edge(g, "tsmc", "nvidia", "r1", amount=2e10)
    _edge(g, "nvidia", "microsoft", "r2", amount=3e10)
    _edge(g, "nvidia", "microsoft", "r2b", amount=5e9, date=dt.date(2024, 2, 1))
    _edge(g, "microsoft", "openai", "r3", "invests_in", 1.3e10, dt.date(2023, 1, 23))
    _edge(g, "vistra", "microsoft", "r4", "power_supply", None)
    _edge(g, "openai", "microsoft", "r5", "partners_with", None)
    _edge(g, "tsmc", "jur_tw", "r6", "located_in", None)
    return g


def xss_graph() -> nx.MultiDiGraph:
    g = small_graph()
    _node(g, "evil", XSS, ["ai_lab"], 1e9, "<b>X</b>", XSS)
    _edge(g, "evil", "openai", "evil-r", amount=1e9, product="<script>window.__x=2</script>",
          sources=[{"publisher": "<svg onload=window.__x=3>", "title": "</script><script>window.__x=4</script>",
                    "url": "javascript:window.__x=5", "date": dt.date(2025, 1, 1)}])
    return g


# --- static checks ----------------------------------------------------------------------------
class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action", "data", "poster") and v is not None:
                self.refs.append((tag, k, v))


def test_one_self_contained_file(tmp_path):
    out = render_html(small_graph(), tmp_path / "g.html", title="T", subtitle="S")
    text = out.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    assert parser.refs == []  # no src= or href= at all: nothing is loaded from anywhere
    assert "link" not in parser.tags and "iframe" not in parser.tags
    assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", text)
    assert "vis.Network" in text and "new vis.DataSet" in text  # vis-network inlined
    assert "cdn" not in text.lower().split("<script>", 1)[0]  # head before the inlined library
    assert sorted(os.listdir(tmp_path)) == ["g.html"]  # no temp file left behind


def test_write_is_atomic_and_a_failure_leaves_the_old_file(tmp_path):
    out = tmp_path / "g.html"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(VizError, match="unknown company"):
        render_html(small_graph(), out, focus="no-such-company")
    assert out.read_text(encoding="utf-8") == "old"
    render_html(small_graph(), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(os.listdir(tmp_path)) == ["g.html"]
    with pytest.raises(VizError, match="does not exist"):
        render_html(small_graph(), tmp_path / "missing" / "g.html")


def test_data_cannot_break_out_of_the_script(tmp_path):
    text = render_html(xss_graph(), tmp_path / "x.html").read_text(encoding="utf-8")
    assert XSS not in text
    assert "</script><script>window.__x" not in text
    assert "<svg onload" not in text
    assert text.count("</script>") == 3  # vis-network, the data, the page script


def test_korean_labels_and_focus_by_ticker(tmp_path):
    text = render_html(small_graph(), tmp_path / "ko.html", lang="ko", focus="nvda").read_text("utf-8")
    assert '"label":"엔비디아"' in text and '"lang":"ko"' in text
    assert '"focus":{"id":"nvidia","depth":2}' in text
    assert "주변 관계망" in text  # Korean subtitle names the focus


def test_shock_view_accepts_a_plain_mapping(tmp_path):
    shock = {"scores": {"nvidia": 0.5, "microsoft": 0.2, "jur_tw": 1.0}, "seeds": ["jur_tw"],
             "paths": [["jur_tw", "tsmc", "nvidia"]]}
    text = render_html(small_graph(), tmp_path / "s.html", exposure=shock).read_text("utf-8")
    assert '"seed":true' in text and '"path":true' in text and '"score":0.5' in text
    with pytest.raises(TypeError):
        render_html(small_graph(), tmp_path / "bad.html", exposure=[1, 2])
    seeds = [{"node": "b"}, {"node": "a", "channel": "supply"}, {"node": "b", "channel": "demand"}]
    assert ShockView({"a": 1.0}, seeds=seeds).seed_nodes == ["b", "a"]   # each seed once, in order


TINY = {
    "entities.csv": """id,name,name_ko,aliases,ticker,exchange,country,categories,kind,source_ids,note
nvidia,Nvidia,엔비디아,,NVDA,NASDAQ,US,accelerator,company,s1,
tsmc,TSMC,TSMC,,TSM,NYSE,TW,foundry,company,s1,
microsoft,Microsoft,마이크로소프트,,MSFT,NASDAQ,US,hyperscaler;investor,company,s2,
jur_tw,Taiwan,대만,,,,TW,jurisdiction,jurisdiction,s1,
""",
    "relationships.csv": """id,source,target,type,product,product_class,amount,currency,amount_qualifier,term,date,status,source_ids,note
r1,tsmc,nvidia,supplies,wafers,foundry_wafers,20000000000,USD,,,2025-05-01,active,s1,
r2,nvidia,microsoft,supplies,GPUs,accelerators,30000000000,USD,approximately,,2025-06-01,announced,s2,
r3,tsmc,jur_tw,located_in,,fab,,,,,2024-01-01,active,s1,
""",
    "sources.csv": """id,publisher,title,url,date,date_basis
s1,Example Wire,TSMC and Nvidia,https://example.com/1,2025-05-01,
s2,Example Wire,Nvidia and Microsoft,https://example.com/2,2025-06-01,
""",
    "facts.csv": "id,entity,metric,value,unit,period,qualifier,counterparty,segment,basis,source_id,note\n",
}


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A four-entity dataset that validates (the CLI reads datasets from disk)."""
    d = tmp_path / "tiny"
    d.mkdir()
    for name, text in TINY.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _viz_cli(*args):
    return subprocess.run([sys.executable, "-m", "capexgraph.cli.viz_cmd", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.process
def test_cli_writes_the_page_and_chart(tiny, tmp_path):
    out, chart = tmp_path / "g.html", tmp_path / "g.svg"
    res = _viz_cli("--out", out, "--data", tiny, "--lang", "ko", "--focus", "NVDA", "--depth", "1")
    assert res.returncode == 0, res.stderr
    assert "wrote" in res.stdout and '"focus":{"id":"nvidia","depth":1}' in out.read_text("utf-8")
    res = _viz_cli("--out", out, "--data", tiny, "--shock", "taiwan_strait", "--chart", chart,
                   "--as-of", "2025-05-15", "--title", "Taiwan")
    assert res.returncode == 0, res.stderr
    text = out.read_text("utf-8")
    assert "<title>Taiwan</title>" in text and '"seed":true' in text and '"r2"' not in text
    assert b"<svg" in chart.read_bytes()[:500]


@pytest.mark.parametrize("args, message", [
    (["--out", "g.png"], "--out"),
    (["--out", "g.html", "--focus", "no-such-co"], "unknown company"),
    (["--out", "g.html", "--shock", "no-such-shock"], "unknown shock"),
    (["--out", "g.html", "--chart", "c.png"], "--shock"),
    (["--out", "g.html", "--shock", "taiwan_strait", "--chart", "c.jpg"], "--chart"),
    (["--out", "no-such-dir/g.html"], "does not exist"),
])
@pytest.mark.process
def test_cli_mistakes_are_one_line(tiny, tmp_path, args, message):
    res = subprocess.run([sys.executable, "-m", "capexgraph.cli.viz_cmd", *args, "--data", str(tiny)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "g.html").exists()


# --- browser ----------------------------------------------------------------------------------
class Page:
    """One opened page, with its blocked requests and JavaScript errors."""

    def __init__(self, browser, path: Path, width=1600, height=900):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                     if m.type in ("error", "assert") else None)
        self.page.goto(path.resolve().as_uri())
        # The page sets data-ready once the layout has settled and physics is off.
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith(ALLOWED_SCHEMES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def counts(self) -> dict:
        return self.js("""() => { const c = window.capexgraph; return {
            virtual: c.edges.get({filter: e => e.virtual === true}).length,
            nodes: c.nodes.length, edges: c.edges.length, viewNodes: c.nodeView.length,
            viewEdges: c.edgeView.length, drawnNodes: c.network.body.nodeIndices.length,
            drawnEdges: c.network.body.edgeIndices.length,
            physics: c.network.physics.options.enabled }; }""")

    def hover_node(self, node_id: str) -> str:
        """Move the mouse onto a node and return the tooltip's text."""
        box = self.page.locator("#cg-canvas").bounding_box()
        self.js(f"() => window.capexgraph.network.moveTo({{position: window.capexgraph.network.getPositions([{node_id!r}])[{node_id!r}], scale: 1.2}})")
        pos = self.js(f"() => window.capexgraph.network.canvasToDOM(window.capexgraph.network.getPositions([{node_id!r}])[{node_id!r}])")
        x, y = box["x"] + pos["x"], box["y"] + pos["y"]
        self.page.mouse.move(x - 30, y - 30)
        self.page.mouse.move(x, y, steps=4)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        return tip.inner_text()

    def park_mouse(self):
        """Move the pointer to an empty corner of the graph, ending any hover highlight."""
        box = self.page.locator("#cg-canvas").bounding_box()
        self.page.mouse.move(box["x"] + 3, box["y"] + 3, steps=3)

    def close(self):
        self.page.close()


def _check_clean(p: Page):
    assert p.blocked == [], f"the page tried to fetch {p.blocked}"
    assert p.errors == [], p.errors


def _check_complete(p: Page, g, virtual_ok: bool = False):
    c = p.counts()
    assert c["nodes"] == c["viewNodes"] == c["drawnNodes"] == g.number_of_nodes()
    assert c["edges"] == c["viewEdges"] == c["drawnEdges"]
    # every relationship is drawn; shock views may add marked "exposure links" on top
    assert c["edges"] - c["virtual"] == g.number_of_edges()
    if not virtual_ok:
        assert c["virtual"] == 0
    assert c["physics"] is False  # the layout settled, then physics was turned off


def _biggest(g) -> str:
    with_rev = [n for n in g if g.nodes[n].get("revenue_usd")]
    return max(with_rev or list(g), key=lambda n: (g.nodes[n].get("revenue_usd") or 0, g.degree(n)))


def _default_view(browser, g, tmp_path, shot: str | None):
    out = render_html(g, tmp_path / "graph.html", title="AI-infrastructure supply chain")
    p = Page(browser, out)
    try:
        if g.number_of_nodes() > CORE_TOP:
            # a big graph opens on its largest companies, every label legible, not as a hairball
            view = p.js(SLIDE_CHECK)
            assert len(view["nodes"]) == CORE_TOP and _biggest(g) in {n["id"] for n in view["nodes"]}
            assert min(n["px"] for n in view["nodes"]) >= 14 - 1e-6
            assert "Show all" in p.page.inner_text("#cg-status") or "전체 보기" in p.page.inner_text("#cg-status")
            p.page.click("#cg-showall")
        _check_complete(p, g)
        # search by name: the company is selected and named in the message line
        target = _biggest(g)
        name = g.nodes[target]["name"]
        p.page.fill("#cg-search", name.upper())
        p.page.press("#cg-search", "Enter")
        assert p.js("() => window.capexgraph.network.getSelectedNodes()") == [target]
        assert name in p.page.inner_text("#cg-msg")
        # and by ticker, through the Find button
        ticker = g.nodes[target].get("ticker")
        if ticker:
            p.js("() => window.capexgraph.network.unselectAll()")
            p.page.fill("#cg-search", ticker.lower())
            p.page.click("#cg-find")
            assert p.js("() => window.capexgraph.network.getSelectedNodes()") == [target]
        # unknown company: a message, nothing selected
        p.page.fill("#cg-search", "no such company zzz")
        p.page.press("#cg-search", "Enter")
        assert "zzz" in p.page.inner_text("#cg-msg")
        # hovering shows the tooltip, as text
        tip = p.hover_node(target)
        assert name in tip
        if shot:
            ARTIFACTS.mkdir(exist_ok=True)
            p.park_mouse()
            p.js(CLEAN_FOR_SCREENSHOT)
            p.page.wait_for_timeout(200)
            p.page.screenshot(path=str(ARTIFACTS / shot))
        # category filter hides exactly the nodes with no other category, and their edges
        cats = [c for d in (g.nodes[n] for n in g) for c in (d.get("category") or [])]
        cat = max(set(cats), key=cats.count)
        p.page.uncheck(f"input[data-cat='{cat}']")
        hidden = {n for n in g if set(g.nodes[n].get("category") or []) <= {cat}}
        c = p.counts()
        assert c["viewNodes"] == c["drawnNodes"] == g.number_of_nodes() - len(hidden)
        shown_edges = [(u, v) for u, v in g.edges() if u not in hidden and v not in hidden]
        assert c["viewEdges"] == c["drawnEdges"] == len(shown_edges)
        p.page.check(f"input[data-cat='{cat}']")
        # relationship-type filter
        types = [d["type"] for *_, d in g.edges(data=True)]
        typ = max(set(types), key=types.count)
        p.page.uncheck(f"input[data-type='{typ}']")
        assert p.counts()["viewEdges"] == g.number_of_edges() - types.count(typ)
        assert typ not in p.js("() => window.capexgraph.edgeView.get().map(e => e.type)")
        p.page.check(f"input[data-type='{typ}']")
        # minimum amount: only edges with a disclosed amount >= $1B stay
        p.page.select_option("#cg-amount", "1000000000")
        big = sum(1 for *_, d in g.edges(data=True) if (d.get("amount_usd") or 0) >= 1e9)
        assert p.counts()["viewEdges"] == big
        p.page.select_option("#cg-amount", "0")
        # date: up to a day keeps only what was announced by then
        dates = sorted(d["date"] for *_, d in g.edges(data=True))
        cut = dates[len(dates) // 2]
        p.page.fill("#cg-to", cut.isoformat())
        assert p.counts()["viewEdges"] == sum(1 for d in dates if d <= cut)
        p.page.fill("#cg-to", "")
        # focus on the selected company's neighbourhood, depth 1, then show all again
        p.js(f"() => window.capexgraph.network.selectNodes([{target!r}])")
        p.page.select_option("#cg-depth", "1")
        p.page.click("#cg-focus")
        near = set(nx.ego_graph(nx.Graph(g.to_undirected()), target, radius=1))
        assert set(p.js("() => window.capexgraph.visibleNodes()")) == near
        p.page.click("#cg-showall")
        assert p.counts()["viewNodes"] == g.number_of_nodes()
        # the side panel folds away for the projector, and the graph takes the width
        before = p.page.locator("#cg-canvas canvas").bounding_box()["width"]
        p.page.click("#cg-toggle")
        p.page.wait_for_timeout(100)
        assert not p.page.locator("#cg-aside").is_visible()
        assert p.page.locator("#cg-canvas canvas").bounding_box()["width"] > before
        p.page.click("#cg-toggle")
        if g.number_of_nodes() > CORE_TOP:   # back to the largest companies, as they opened
            p.page.click("#cg-opening")
            again = p.js(SLIDE_CHECK)
            assert {n["id"] for n in again["nodes"]} == {n["id"] for n in view["nodes"]}
            assert min(n["px"] for n in again["nodes"]) >= 14 - 1e-6
            # type no larger than a headline (24), unless the zoom needs more to reach 14 px
            assert max(n["px"] / again["scale"] for n in again["nodes"]) <= max(24, math.ceil(14 / again["scale"])) + 1e-6
        _check_clean(p)
    finally:
        p.close()


def test_browser_default_view_shipped(browser, shipped, tmp_path):
    _default_view(browser, shipped, tmp_path, "graph.png")


def test_browser_default_view_mini_fixture(browser, mini_graph, tmp_path):
    _default_view(browser, mini_graph, tmp_path, "graph-mini.png")


def test_browser_korean_and_focus(browser, tmp_path):
    g = small_graph()
    p = Page(browser, render_html(g, tmp_path / "ko.html", lang="ko", focus="NVDA", depth=1))
    try:
        near = set(nx.ego_graph(nx.Graph(g.to_undirected()), "nvidia", radius=1))
        assert set(p.js("() => window.capexgraph.visibleNodes()")) == near
        assert p.counts()["drawnNodes"] == len(near)
        assert "엔비디아" in p.js("() => window.capexgraph.nodes.get('nvidia').label")
        assert "기업 검색" in p.page.inner_text("aside")
        _check_clean(p)
    finally:
        p.close()


def _run_shock(g, sc, weights):
    """One scenario through the real exposure chain, as `exposure --shock` runs it."""
    from capexgraph.queries.exposure import run_exposure
    from capexgraph.queries.scenarios import resolve_seeds

    return run_exposure(weights, resolve_seeds(sc, g, weights=weights), sc.channels, cap=sc.cap, scarcest=sc.scarcest)


def _shock_for(g):
    """A shipped scenario that reaches more than one node of this graph, run on it."""
    from capexgraph.ingest import Schema
    from capexgraph.queries.scenarios import scenario_library
    from capexgraph.queries.weights import derive_weights

    lib = scenario_library()
    weights = derive_weights(g, Schema.load())
    for name in ("taiwan_strait", "export_controls", *sorted(lib)):
        sc = lib.get(name)
        if sc is None:
            continue
        try:
            ex = _run_shock(g, sc, weights)
        except Exception:  # a seed node missing from this graph
            continue
        if len(ex.ranked()) > 1:
            return sc, ex
    pytest.skip("no shipped scenario reaches more than one node of this graph")


def test_browser_shock_view_shipped(browser, shipped, tmp_path):
    sc, ex = _shock_for(shipped)
    out = render_html(shipped, tmp_path / "shock.html", exposure=ex, title=sc.title)
    _shock_checks(browser, shipped, ex, out, "shock.png")


def test_browser_shock_view_mini_fixture(browser, mini_graph, tmp_path):
    sc, ex = _shock_for(mini_graph)
    out = render_html(mini_graph, tmp_path / "shock.html", exposure=ex, title=sc.title)
    _shock_checks(browser, mini_graph, ex, out, "shock-mini.png")


def test_browser_shock_view_small(browser, tmp_path):
    g = small_graph()
    shock = {"scores": {"jur_tw": 1.0, "tsmc": 0.9, "nvidia": 0.45, "microsoft": 0.12},
             "seeds": [{"node": "jur_tw", "channel": "supply", "magnitude": 1.0, "why": "test"}],
             "paths": [["jur_tw", "tsmc", "nvidia", "microsoft"]],
             "channels": {"nvidia": {"supply": 0.45, "financial": 0.0}}}
    out = render_html(g, tmp_path / "shock.html", exposure=shock)
    p = Page(browser, out)
    try:
        assert set(p.js("() => window.capexgraph.visibleNodes()")) == {"jur_tw", "tsmc", "nvidia", "microsoft"}
        p.page.click("#cg-showall")
        _check_complete(p, g)
        assert p.js("() => window.capexgraph.nodes.get('jur_tw').shape") == "star"
        assert p.js("() => window.capexgraph.edges.get().filter(e => e.path).length") == 4  # r2 and r2b in parallel
        tip = p.hover_node("nvidia")
        assert "0.450" in tip and "Nvidia" in tip
        _check_clean(p)
    finally:
        p.close()


SLIDE_CHECK = """() => {
    const c = window.capexgraph, net = c.network, s = net.getScale();
    const box = document.getElementById('cg-canvas').getBoundingClientRect();
    const shown = c.visibleNodes();
    const nodes = shown.map(id => {
        const n = c.nodes.get(id), b = net.getBoundingBox(id);
        const tl = net.canvasToDOM({x: b.left, y: b.top}), br = net.canvasToDOM({x: b.right, y: b.bottom});
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        return {id: id, px: n.font.size * s, x: p.x, box: [tl.x, tl.y, br.x, br.y], label: n.label};
    });
    return {nodes: nodes, width: box.width, height: box.height, open: c.open, scale: s}; }"""


def _slide_problems(view: dict, top: int = 30) -> list[str]:
    """What would make the opening of a shock view unreadable on a slide: a label under 14 px, two
    labels of the first `top` in reading order overlapping, a node cut at the edge, or a step of a
    path drawn left of the step before it."""
    problems = []
    by_id = {n["id"]: n for n in view["nodes"]}
    for n in view["nodes"]:
        if n["px"] < 14 - 1e-6:
            problems.append(f"{n['id']}: label {n['px']:.1f} px")
        x0, y0, x1, y1 = n["box"]
        if x0 < -1 or y0 < -1 or x1 > view["width"] + 1 or y1 > view["height"] + 1:
            problems.append(f"{n['id']}: outside the canvas {n['box']}")
    first = [o["id"] for o in view["open"] if o["id"] in by_id][:top]
    for i, a in enumerate(first):
        for b in first[i + 1:]:
            A, B = by_id[a]["box"], by_id[b]["box"]
            if A[0] < B[2] - 0.5 and B[0] < A[2] - 0.5 and A[1] < B[3] - 0.5 and B[1] < A[3] - 0.5:
                problems.append(f"{a} and {b} overlap")
    layer = {o["id"]: o["layer"] for o in view["open"]}
    for a in by_id:
        for b in by_id:
            if layer[a] < layer[b] and not by_id[a]["x"] < by_id[b]["x"]:
                problems.append(f"{a} (step {layer[a]}) is not left of {b} (step {layer[b]})")
    return problems


def _opening_checks(p: Page, ex):
    """The shock view opens on its own story: the seeds that start a shown path, the most
    exposed companies and the nodes of their strongest paths, and nothing else."""
    view = p.js(SLIDE_CHECK)
    shown = {n["id"] for n in view["nodes"]}
    assert shown == {o["id"] for o in view["open"]}
    ranked = [ex.nodes[i] for i in ex.ranked()]
    assert set(ranked[:25]) <= shown
    return view


def _shock_checks(browser, g, ex, out, shot):
    p = Page(browser, out)
    try:
        _opening_checks(p, ex)
        assert _slide_problems(p.js(SLIDE_CHECK)) == []
        p.page.click("#cg-showall")
        _check_complete(p, g, virtual_ok=True)
        # an exposure link is only drawn where a path step has no relationship row behind it
        pairs = {frozenset(e) for e in g.edges()}
        for e in p.js("() => window.capexgraph.edges.get({filter: e => e.virtual === true})"):
            assert e["type"] == "exposure_link" and frozenset((e["from"], e["to"])) not in pairs
        top = ex.nodes[ex.ranked()[0]]
        seeds = {s.node for s in ex.seeds}
        shapes = p.js("() => Object.fromEntries(window.capexgraph.nodes.get().map(n => [n.id, n.shape]))")
        assert {n for n, s in shapes.items() if s == "star"} == seeds
        score = float(ex.scores[ex.weights.index[top]])
        assert f"{score:.3f}" in p.hover_node(top)
        assert p.js("() => window.capexgraph.edges.get().filter(e => e.path).length") > 0
        ARTIFACTS.mkdir(exist_ok=True)
        p.park_mouse()
        p.js(CLEAN_FOR_SCREENSHOT)
        p.page.wait_for_timeout(200)
        p.page.screenshot(path=str(ARTIFACTS / shot))
        p.page.click("#cg-opening")      # and back to the opening, as it was
        assert {n["id"] for n in p.js(SLIDE_CHECK)["nodes"]} == {o["id"] for o in p.js(SLIDE_CHECK)["open"]}
        _check_clean(p)
    finally:
        p.close()


def test_browser_xss_name_is_text(browser, tmp_path):
    g = xss_graph()
    p = Page(browser, render_html(g, tmp_path / "xss.html", subtitle=XSS, title=XSS))
    try:
        _check_complete(p, g)
        assert p.js("() => document.querySelectorAll('img, svg').length") == 0
        assert p.page.inner_text("#cg-title") == XSS
        tip = p.hover_node("evil")
        assert XSS in tip
        # click it: the details panel (with source links) shows the same text
        p.js("() => window.capexgraph.network.selectNodes(['evil'])")
        p.page.fill("#cg-search", "<img src=x")
        p.page.press("#cg-search", "Enter")
        assert XSS in p.page.inner_text("#cg-details")
        p.js("""() => { const c = window.capexgraph; const e = c.edges.get('evil-r');
                        c.network.selectEdges(['evil-r']); }""")
        p.page.wait_for_timeout(100)
        assert p.js("() => [window.__x, typeof window.__x]") == [None, "undefined"]
        assert p.js("() => document.querySelectorAll('img, svg, a[href^=javascript]').length") == 0
        _check_clean(p)
    finally:
        p.close()


def test_browser_edge_details_link_only_http(browser, tmp_path):
    g = xss_graph()
    p = Page(browser, render_html(g, tmp_path / "xss2.html"))
    try:
        # clicking an edge puts its sources into the details panel: http(s) URLs become links the
        # user may click; anything else (javascript:) stays text
        box = p.page.locator("#cg-canvas").bounding_box()
        details = {}
        for key in ("evil-r", "r1"):
            p.js(f"() => window.capexgraph.network.fit({{nodes: [window.capexgraph.edges.get({key!r}).from, window.capexgraph.edges.get({key!r}).to], animation: false}})")
            pt = p.js(f"""() => {{ const c = window.capexgraph, e = c.edges.get({key!r}),
                            pos = c.network.getPositions([e.from, e.to]);
                            const a = c.network.canvasToDOM(pos[e.from]), b = c.network.canvasToDOM(pos[e.to]);
                            for (let t = 0.5; t > 0.1; t -= 0.05) for (const u of [t, 1 - t]) {{
                              const q = {{x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u}};
                              if (c.network.getEdgeAt(q) === {key!r} && c.network.getNodeAt(q) === undefined) return q;
                            }}
                            return null; }}""")
            assert pt, f"no free point on edge {key}"
            x, y = box["x"] + pt["x"], box["y"] + pt["y"]
            p.page.mouse.click(x, y)
            details[key] = (p.page.inner_text("#cg-details"), p.js(
                "() => Array.from(document.querySelectorAll('#cg-details a')).map(a => a.href)"))
        assert "javascript:window.__x=5" in details["evil-r"][0] and details["evil-r"][1] == []
        assert "</script><script>window.__x=4</script>" in details["evil-r"][0]
        assert details["r1"][1] == ["https://example.com/a"], details
        assert p.js("() => typeof window.__x") == "undefined"
        _check_clean(p)
    finally:
        p.close()


def test_browser_focus_does_not_walk_through_places(browser, tmp_path):
    g = small_graph()
    _node(g, "umc", "UMC", ["foundry"], 7e9, "UMC")
    _edge(g, "umc", "jur_tw", "r7", "located_in", None)
    p = Page(browser, render_html(g, tmp_path / "f.html", focus="tsmc", depth=2))
    try:
        shown = set(p.js("() => window.capexgraph.visibleNodes()"))
        assert "jur_tw" in shown and "umc" not in shown  # Taiwan is a neighbour, not a bridge
        assert shown == {"tsmc", "nvidia", "microsoft", "jur_tw"}
        assert p.js("() => window.capexgraph.network.getSelectedNodes()") == ["tsmc"]
        _check_clean(p)
    finally:
        p.close()


def test_exposure_command_helpers(tmp_path):
    """What `exposure --shock X --html out.html --chart out.png` calls (capexgraph.cli.viz_cmd)."""
    import argparse

    from capexgraph.cli.common import UsageError
    from capexgraph.ingest import Schema
    from capexgraph.queries.exposure import run_exposure
    from capexgraph.queries.scenarios import Seed
    from capexgraph.queries.weights import derive_weights
    from capexgraph.cli.viz_cmd import add_exposure_outputs, write_exposure_outputs

    g = small_graph()
    ex = run_exposure(derive_weights(g, Schema.load()), [Seed("tsmc", "supply", 1.0, "test")])
    p = argparse.ArgumentParser()
    add_exposure_outputs(p)
    p.add_argument("--lang", default="en")
    p.add_argument("--top", type=int, default=15)
    args = p.parse_args(["--html", str(tmp_path / "s.html"), "--chart", str(tmp_path / "s.png")])
    shock = {"name": "t", "title": "Test shock", "title_ko": "시험", "magnitude": 1.0}
    write_exposure_outputs(args, ex, g, shock)
    text = (tmp_path / "s.html").read_text("utf-8")
    assert "<title>Test shock</title>" in text and '"seed":true' in text
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(UsageError, match="--graph"):
        write_exposure_outputs(args, ex, None, shock)
    bad = p.parse_args(["--html", str(tmp_path / "s.txt")])
    with pytest.raises(UsageError, match="html"):
        write_exposure_outputs(bad, ex, g, shock)


def test_browser_bare_and_empty_graphs(browser, tmp_path):
    """Graphs from elsewhere: no attributes at all, or nothing at all, still open cleanly."""
    bare = nx.MultiDiGraph()
    bare.add_edge("a", "b", key="e1")
    bare.add_edge("b", "c", key="e2", type="lends", amount_usd=float("nan"), date=None)
    bare.add_node("d")
    for name, g in (("bare", bare), ("empty", nx.MultiDiGraph())):
        p = Page(browser, render_html(g, tmp_path / f"{name}.html",
                                      exposure={"a": float("nan"), "b": 0.3} if name == "bare" else None))
        try:
            if name == "bare":   # the shock view opens on the one exposed node
                assert p.js("() => window.capexgraph.visibleNodes()") == ["b"]
                p.page.click("#cg-showall")
            _check_complete(p, g)
            _check_clean(p)
        finally:
            p.close()


def _shipped_shock(shipped, name):
    from capexgraph.ingest import Schema
    from capexgraph.queries.scenarios import scenario_library
    from capexgraph.queries.weights import derive_weights

    sc = scenario_library()[name]
    return sc, _run_shock(shipped, sc, derive_weights(shipped, Schema.load()))


@pytest.mark.parametrize("name, lang", [("taiwan_strait", "en"), ("export_controls", "en"),
                                        ("export_controls", "ko")])
def test_browser_shock_view_reads_on_a_slide(browser, shipped, tmp_path, name, lang):
    """At 1920x1080, as projected: the page opens on the seeds, the 25 most exposed and the paths
    between them, every label at least 14 px, no two of the first 30 overlapping, nothing cut at
    the edge, each path read left to right; the same in presentation mode (no panel, larger type);
    and the view saves as PNG and SVG without the network."""
    sc, ex = _shipped_shock(shipped, name)
    title = (sc.title_ko or sc.title) if lang == "ko" else sc.title
    out = render_html(shipped, tmp_path / f"{name}.html", exposure=ex, title=title, lang=lang)
    p = Page(browser, out, width=1920, height=1080)
    try:
        view = _opening_checks(p, ex)
        assert len(view["nodes"]) >= 25
        assert _slide_problems(view) == []
        seeds = {s.node for s in ex.seeds}
        first_column = min(n["x"] for n in view["nodes"])
        assert any(n["id"] in seeds and abs(n["x"] - first_column) < 1 for n in view["nodes"])
        if name == "taiwan_strait" and lang == "en":
            ARTIFACTS.mkdir(exist_ok=True)
            p.park_mouse()
            p.page.screenshot(path=str(ARTIFACTS / "shock-slide.png"))
        p.page.click("#cg-present")
        p.page.wait_for_timeout(100)
        assert not p.page.locator("#cg-aside").is_visible()
        big = p.js(SLIDE_CHECK)
        assert _slide_problems(big) == []
        assert min(n["px"] for n in big["nodes"]) > min(n["px"] for n in view["nodes"])
        # saving: an SVG with every shown company's label as text, and a PNG of the canvas
        svg = p.js("() => window.capexgraph.svgText()")
        assert svg.startswith("<svg") and title.split()[0] in svg
        from xml.etree import ElementTree
        texts = {t.text for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")}
        for n in big["nodes"]:
            assert n["label"].split("\n")[0] in texts, n["id"]
        with p.page.expect_download() as dl:
            p.page.click("#cg-svg")
        assert dl.value.suggested_filename.endswith(".svg")
        png = p.js("() => window.capexgraph.pngURL()")
        assert png.startswith("data:image/png;base64,") and len(png) > 10_000
        _check_clean(p)
    finally:
        p.close()


def test_a_big_graph_from_elsewhere_opens_on_its_largest_companies(tmp_path):
    """A synthetic 120-node graph opens on its CORE_TOP largest companies (by the revenue that
    sizes the nodes); a small graph opens whole."""
    from capexgraph.viz.html import _size_measure
    import json as _json
    import re as _re

    g = synthetic_graph(120, seed=3)
    text = render_html(g, tmp_path / "big.html").read_text(encoding="utf-8")
    data = _json.loads(_re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', text, _re.S)
                       .group(1).replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
    core = data["core"]
    assert len(core) == CORE_TOP and len(set(core)) == CORE_TOP
    size = {n: _size_measure(g.nodes[n]) or 0 for n in g}
    assert min(size[n] for n in core) >= sorted(size.values(), reverse=True)[CORE_TOP - 1]
    small = render_html(small_graph(), tmp_path / "small.html").read_text(encoding="utf-8")
    assert '"core":null' in small


def test_a_seed_tooltip_gives_the_reason_in_the_pages_language():
    from capexgraph.viz.html import _seed_row

    seed = {"channel": "supply", "magnitude": 0.1, "why": "assumption: 10% hit", "why_ko": "가정: 10% 타격"}
    assert "가정: 10% 타격" in _seed_row(seed, "ko")[1] and "assumption" not in _seed_row(seed, "ko")[1]
    assert "assumption: 10% hit" in _seed_row(seed, "en")[1]
    assert "assumption: 10% hit" in _seed_row({**seed, "why_ko": None}, "ko")[1]   # no Korean: the English
