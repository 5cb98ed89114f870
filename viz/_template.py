"""The page around the graph: layout, controls and the script that wires them to vis-network.

Placeholders: __NAME__ words are replaced by HTML-escaped text; /*__VIS__*/ by vis-network's code;
/*__DATA__*/ by the graph as script-safe JSON. All data reaches the DOM through textContent.
"""

PAGE = r"""<!DOCTYPE html>
<html lang="__LANG__">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'">
<title>__TITLE_TEXT__</title>
<style>
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:__FONT__;color:#1a1a1a;background:#ffffff}
body{display:flex;flex-direction:column}
header{padding:10px 20px 8px;border-bottom:1px solid #e2e2e2;display:flex;align-items:baseline;gap:18px}
header .titles{flex:1;min-width:0}
#cg-title{margin:0;font-size:28px;font-weight:700;line-height:1.2}
#cg-subtitle{margin:2px 0 0;font-size:17px;color:#555}
#cg-toggle,.hbtn{font:inherit;font-size:14px;padding:4px 10px;border:1px solid #bbb;border-radius:4px;background:#f7f7f7;cursor:pointer}
.hbtn.off{display:none}
body.present #cg-title{font-size:36px}
body.present #cg-subtitle{font-size:21px}
main{flex:1;display:flex;min-height:0}
aside{width:320px;flex:none;overflow-y:auto;border-right:1px solid #e2e2e2;padding:10px 14px;font-size:14px;background:#fafafa}
aside.hidden{display:none}
#cg-graph{flex:1;position:relative;min-width:0}
#cg-canvas{position:absolute;inset:0}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#666;margin:14px 0 6px}
.row{display:flex;gap:6px;align-items:center;margin:4px 0}
input[type=search],input[type=date],select{font:inherit;font-size:14px;padding:4px 6px;border:1px solid #bbb;border-radius:4px;background:#fff;min-width:0}
input[type=search]{flex:1}
button{font:inherit;font-size:13px;padding:4px 9px;border:1px solid #bbb;border-radius:4px;background:#fff;cursor:pointer}
button:hover{background:#eef3fb}
#cg-status,#cg-msg{font-size:13px;color:#555;min-height:1.2em}
#cg-msg.warn{color:#b00020}
ul.legend{list-style:none;margin:0;padding:0}
ul.legend li{display:flex;align-items:center;gap:6px;margin:2px 0}
ul.legend label{display:flex;align-items:center;gap:6px;cursor:pointer;flex:1;min-width:0}
ul.legend .count{color:#888;font-size:12px}
.sw{display:inline-block;width:13px;height:13px;border-radius:50%;flex:none;border:1px solid rgba(0,0,0,.15)}
.ln{display:inline-block;width:26px;height:0;border-top-width:3px;flex:none}
.small{font-size:12px;color:#666;margin:3px 0}
.links button{font-size:12px;padding:1px 6px}
#cg-details{font-size:13px;background:#fff;border:1px solid #e2e2e2;border-radius:4px;padding:6px 8px;overflow-wrap:anywhere}
.tip{max-width:420px;font-size:13px;line-height:1.35;overflow-wrap:anywhere}
.tip-h{font-weight:700;font-size:15px}
.tip-sub{color:#555;margin-bottom:3px}
.tip table{border-collapse:collapse;margin-top:3px}
.tip th{text-align:left;font-weight:600;color:#555;padding:1px 8px 1px 0;vertical-align:top;white-space:nowrap}
.tip td{padding:1px 0;vertical-align:top}
.tip ul{margin:2px 0 0;padding-left:16px}
.tip .tip-k{font-weight:600;color:#555;margin-top:4px}
.tip .url{color:#2b6cb0}
div.vis-tooltip{position:absolute;visibility:hidden;padding:8px 10px;background:#fff;border:1px solid #999;border-radius:5px;box-shadow:0 2px 8px rgba(0,0,0,.25);pointer-events:none;z-index:10;white-space:normal;font-family:__FONT__;color:#1a1a1a}
#cg-overlay{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;background:rgba(255,255,255,.85);font-size:20px;color:#333;z-index:5}
#cg-overlay.done{display:none}
.grad{height:12px;border-radius:3px;border:1px solid #ccc}
.scale{display:flex;justify-content:space-between;font-size:12px;color:#666}
ol.top{margin:0;padding-left:22px}
ol.top li{cursor:pointer}
ol.top li:hover{text-decoration:underline}
.paths li{margin:2px 0}
</style>
<script>/*__VIS__*/</script>
</head>
<body>
<header>
  <div class="titles"><h1 id="cg-title">__TITLE_TEXT__</h1><p id="cg-subtitle">__SUBTITLE_TEXT__</p></div>
  <button id="cg-opening" class="hbtn off" type="button">__UI_EXPOSED_VIEW__</button>
  <button id="cg-present" class="hbtn" type="button">__UI_PRESENT__</button>
  <button id="cg-png" class="hbtn" type="button">__UI_SAVE_PNG__</button>
  <button id="cg-svg" class="hbtn" type="button">__UI_SAVE_SVG__</button>
  <button id="cg-toggle" type="button">__UI_PANEL__</button>
</header>
<main>
<aside id="cg-aside">
  <h2>__UI_SEARCH__</h2>
  <div class="row"><input id="cg-search" type="search" list="cg-names" placeholder="__UI_SEARCH_PH__" autocomplete="off"><button id="cg-find" type="button">__UI_FIND__</button></div>
  <datalist id="cg-names"></datalist>
  <div id="cg-msg"></div>
  <div class="row"><button id="cg-focus" type="button">__UI_FOCUS__</button><label>__UI_DEPTH__ <select id="cg-depth"><option>1</option><option selected>2</option><option>3</option><option>4</option></select></label></div>
  <div class="row"><button id="cg-showall" type="button">__UI_SHOW_ALL__</button><button id="cg-reset" type="button">__UI_RESET__</button></div>
  <div id="cg-status"></div>
  <div id="cg-shock"></div>
  <h2>__UI_SELECTED__</h2>
  <div id="cg-details"><span class="small">__UI_CLICK_HINT__</span></div>
  <h2>__UI_CATEGORIES__</h2>
  <div class="links" id="cg-cat-links"></div>
  <ul class="legend" id="cg-cats"></ul>
  <p class="small">__UI_SIZE__</p>
  <h2>__UI_TYPES__</h2>
  <ul class="legend" id="cg-types"></ul>
  <p class="small">__UI_ARROWS__</p>
  <p class="small">__UI_WIDTH__</p>
  <h2>__UI_FILTERS__</h2>
  <div class="row"><label>__UI_MIN_AMOUNT__ <select id="cg-amount"></select></label></div>
  <div class="row"><label>__UI_FROM__ <input id="cg-from" type="date"></label></div>
  <div class="row"><label>__UI_TO__ <input id="cg-to" type="date"></label></div>
  <div class="row"><label><input id="cg-isolated" type="checkbox"> __UI_HIDE_ISOLATED__</label></div>
</aside>
<div id="cg-graph"><div id="cg-canvas"></div><div id="cg-overlay">__UI_LAYING_OUT__ <span id="cg-progress"></span></div></div>
</main>
<script type="application/json" id="cg-data">/*__DATA__*/</script>
<script>
(function () {
"use strict";
var D = JSON.parse(document.getElementById("cg-data").textContent);
var ui = D.ui;
function $(id) { return document.getElementById(id); }
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function tipElement(t, withLinks) {
  var d = el("div", "tip");
  d.appendChild(el("div", "tip-h", t.h));
  if (t.sub) d.appendChild(el("div", "tip-sub", t.sub));
  if (t.rows && t.rows.length) {
    var tb = el("table");
    t.rows.forEach(function (r) {
      var tr = el("tr"); tr.appendChild(el("th", null, r[0])); tr.appendChild(el("td", null, r[1])); tb.appendChild(tr);
    });
    d.appendChild(tb);
  }
  if (t.src && t.src.length) {
    d.appendChild(el("div", "tip-k", ui.sources));
    var ul = el("ul");
    t.src.forEach(function (s) {
      var li = el("li", null, s.text);
      if (s.url) {
        li.appendChild(document.createTextNode(" "));
        if (withLinks && /^https?:\/\//i.test(s.url)) {
          var a = el("a", "url", s.url); a.href = s.url; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else {
          li.appendChild(el("span", "url", s.url));
        }
      }
      ul.appendChild(li);
    });
    d.appendChild(ul);
  }
  return d;
}

// --- data -------------------------------------------------------------------------------------
var byId = {}, edgeById = {}, adj = {};
D.nodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; n.title = tipElement(n.tip, false); });
D.edges.forEach(function (e) {
  edgeById[e.id] = e; e.title = tipElement(e.tip, false);
  if (adj[e.from]) adj[e.from].push(e); if (adj[e.to]) adj[e.to].push(e);
});
var nodes = new vis.DataSet(D.nodes);
var edges = new vis.DataSet(D.edges);
// A shock view opens on its own story (seeds, the most exposed, the paths between them); a big
// whole-graph view on its largest companies. "Show all" brings everything.
var mode = D.open ? "shock" : (D.core ? "core" : null);
var state = {cats: {}, types: {}, minUsd: 0, from: null, to: null, focus: null, depth: 2, isolated: false,
             open: mode !== null};
var openSet = {}, baseFont = {}, home = {}, corePos = null;
(D.open || []).forEach(function (o) { openSet[o.id] = o; });
(D.core || []).forEach(function (id) { openSet[id] = {id: id}; });
var baseLabel = {};
D.nodes.forEach(function (n) { baseFont[n.id] = n.font && n.font.size; baseLabel[n.id] = n.label; });
D.categories.forEach(function (c) { state.cats[c.code] = true; });
D.types.forEach(function (t) { state.types[t.code] = true; });
var visibleNodes = {}, visibleEdges = {};
D.nodes.forEach(function (n) { visibleNodes[n.id] = true; });
D.edges.forEach(function (e) { visibleEdges[e.id] = true; });
var nodeView = new vis.DataView(nodes, {filter: function (n) { return visibleNodes[n.id] === true; }});
var edgeView = new vis.DataView(edges, {filter: function (e) { return visibleEdges[e.id] === true; }});

function catOk(n) { for (var i = 0; i < n.cats.length; i++) if (state.cats[n.cats[i]]) return true; return false; }
function edgeOk(e) {
  if (!state.types[e.type]) return false;
  if (state.minUsd > 0 && !(e.usd !== null && e.usd >= state.minUsd)) return false;
  if (state.from && (!e.date || e.date < state.from)) return false;
  if (state.to && (!e.date || e.date > state.to)) return false;
  return true;
}
function computeVisible() {
  var vn = {}, ve = {};
  D.nodes.forEach(function (n) { if (catOk(n) && (!state.open || state.focus || openSet[n.id])) vn[n.id] = true; });
  var okEdge = {};
  D.edges.forEach(function (e) { if (edgeOk(e) && vn[e.from] && vn[e.to]) okEdge[e.id] = true; });
  if (state.focus && byId[state.focus]) {
    var seen = {}; seen[state.focus] = true;
    var frontier = [state.focus];
    for (var d = 0; d < state.depth; d++) {
      var next = [];
      frontier.forEach(function (id) {
        // places (countries, grid regions) are shown but not walked through: they would pull in
        // every company operating there
        if (id !== state.focus && (byId[id].kind === "jurisdiction" || byId[id].kind === "grid_region")) return;
        adj[id].forEach(function (e) {
          if (!okEdge[e.id]) return;
          var o = e.from === id ? e.to : e.from;
          if (!seen[o]) { seen[o] = true; next.push(o); }
        });
      });
      frontier = next;
    }
    var vn2 = {};
    Object.keys(seen).forEach(function (id) { if (vn[id] || id === state.focus) vn2[id] = true; });
    vn = vn2;
  }
  Object.keys(okEdge).forEach(function (id) { var e = edgeById[id]; if (vn[e.from] && vn[e.to]) ve[id] = true; });
  if (state.isolated) {
    var linked = {};
    Object.keys(ve).forEach(function (id) { linked[edgeById[id].from] = true; linked[edgeById[id].to] = true; });
    if (state.focus) linked[state.focus] = true;
    Object.keys(vn).forEach(function (id) { if (!linked[id]) delete vn[id]; });
  }
  visibleNodes = vn; visibleEdges = ve;
}
var realEdges = D.edges.filter(function (e) { return !e.virtual; }).length;
function status() {
  var nn = Object.keys(visibleNodes).length;
  var ne = Object.keys(visibleEdges).filter(function (id) { return !edgeById[id].virtual; }).length;
  var txt = nn + " / " + D.nodes.length + " · " + ne + " / " + realEdges + " " + ui.shown;
  if (state.focus) txt += " · " + ui.focus_on + " " + byId[state.focus].tip.h + " (" + ui.depth + " " + state.depth + ")";
  else if (state.open && mode === "core") txt += " · " + ui.core_note;
  $("cg-status").textContent = txt;
}
var network = null;
function applyFilters(fit) {
  computeVisible();
  nodeView.refresh(); edgeView.refresh();
  status();
  if (state.open && !state.focus) layoutOpening();
  else if (fit && network) network.fit({animation: false});
}

// --- the opening of a shock view: columns by step from the seeds, read left to right ---------
var measure = document.createElement("canvas").getContext("2d");
var present = false;
function nodeBox(n, size) {
  // a node and its label below it at scale 1: the cell it needs
  measure.font = size + "px " + D.font;
  var lines = String(n.label || "").split("\n"), w = 0;
  lines.forEach(function (l) { w = Math.max(w, measure.measureText(l).width); });
  var r = n.size || 10;
  var label = lines.length * size * 1.2 + 8;
  return {w: Math.max(w + 10, 2 * r), h: 2 * r + label, label: label};
}
function legible() {
  // every shown label at least 14 px on screen at the opening zoom
  var s = network.getScale(), upd = [];
  Object.keys(visibleNodes).forEach(function (id) {
    var n = nodes.get(id), size = (n.font && n.font.size) || 14;
    if (size * s < 14) upd.push({id: id, font: {size: Math.ceil(14 / s)}});
  });
  if (upd.length) nodes.update(upd);
}
function wrapName(label) {
  // a long name on two lines ("Marvell\nTechnology"), the score line kept
  var lines = String(label || "").split("\n"), name = lines[0];
  if (name.length <= 12 || name.indexOf(" ") < 0) return label;
  var mid = name.length / 2, best = -1;
  for (var i = 0; i < name.length; i++) if (name[i] === " " && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  lines[0] = name.slice(0, best) + "\n" + name.slice(best + 1);
  return lines.join("\n");
}
function gridFor(items, W, H, pad, f, wrap) {
  var cellW = 0, cellH = 0, boxes = {}, upd = [];
  items.forEach(function (o) {
    var n = byId[o.id], size = Math.round((baseFont[o.id] || 14) * f);
    var label = wrap ? wrapName(baseLabel[o.id]) : baseLabel[o.id];
    boxes[o.id] = nodeBox({label: label, size: n.size}, size);
    cellW = Math.max(cellW, boxes[o.id].w); cellH = Math.max(cellH, boxes[o.id].h);
    upd.push({id: o.id, font: {size: size}, label: label});
  });
  cellW += 24; cellH += 10;
  var rows = Math.max(1, Math.floor((H - 2 * pad) / cellH)), byLayer = {}, cols = [];
  items.forEach(function (o) { (byLayer[o.layer] = byLayer[o.layer] || []).push(o.id); });
  Object.keys(byLayer).map(Number).sort(function (a, b) { return a - b; }).forEach(function (l) {
    var ids = byLayer[l];
    var per = Math.ceil(ids.length / Math.ceil(ids.length / rows));  // balanced when a step wraps
    for (var i = 0; i < ids.length; i += per) cols.push(ids.slice(i, i + per));
  });
  var colW = Math.max(cellW, Math.min((W - 2 * pad) / Math.max(cols.length, 1), 2.2 * cellW));
  return {cellH: cellH, rows: rows, cols: cols, colW: colW, totalW: colW * cols.length, boxes: boxes, upd: upd};
}
function layoutOpening() {
  if (!mode || !network) return;
  if (mode === "core") {
    // type no larger than a headline among 40 nodes; positions as the subset's layout left them
    nodes.update(Object.keys(visibleNodes).map(function (id) {
      var u = {id: id, font: {size: Math.min(baseFont[id] || 16, 24)}};
      if (corePos && corePos[id]) { u.x = corePos[id].x; u.y = corePos[id].y; }
      return u;
    }));
    network.fit({animation: false}); network.redraw(); network.redraw(); legible();
    return;
  }
  var box = $("cg-canvas"), W = box.clientWidth, H = box.clientHeight, pad = 20;
  var items = D.open.filter(function (o) { return visibleNodes[o.id]; });
  var f = present ? 1.25 : 1;
  // one line per name while the columns fit the width; long names on two lines when not
  var gr = gridFor(items, W, H, pad, f, false);
  if (gr.totalW > W - 2 * pad) {
    var wrapped = gridFor(items, W, H, pad, f, true);
    if (wrapped.totalW < gr.totalW) gr = wrapped;
  }
  var pos = {};
  gr.cols.forEach(function (ids, c) {
    var x = -gr.totalW / 2 + (c + 0.5) * gr.colW;
    var rowH = Math.max(gr.cellH, Math.min((H - 2 * pad) / ids.length, 1.5 * gr.cellH));
    ids.forEach(function (id, r) {
      var b = gr.boxes[id], centre = (r - (ids.length - 1) / 2) * rowH;
      pos[id] = {x: x, y: centre - b.label / 2};  // the node sits above its label: centre the pair
    });
  });
  gr.upd.forEach(function (u) { u.x = pos[u.id].x; u.y = pos[u.id].y; });
  nodes.update(gr.upd);
  var scale = Math.min(1, (W - 2 * pad) / Math.max(gr.totalW, 1));
  network.moveTo({position: {x: 0, y: 0}, scale: scale, animation: false});
  // vis-network culls a node by the box of its last drawn position; a moved node needs one
  // pass to learn its new box before it is drawn
  network.redraw(); network.redraw();
  api.opening = {columns: gr.cols.length, rows: gr.rows, scale: scale};
}
function leaveOpening() {
  if (!state.open) return;
  state.open = false;
  if (mode === "core") corePos = network.getPositions(Object.keys(openSet));
  var upd = [];
  D.nodes.forEach(function (n) {
    var u = {id: n.id, font: {size: baseFont[n.id]}, label: baseLabel[n.id]};
    if (home[n.id]) { u.x = home[n.id].x; u.y = home[n.id].y; }
    upd.push(u);
  });
  nodes.update(upd);
  $("cg-opening").classList.remove("off");
}
function showOpening() {
  if (!mode) return;
  state.open = true; state.focus = null;
  $("cg-opening").classList.add("off");
  applyFilters(false);
}

// --- controls ---------------------------------------------------------------------------------
var names = $("cg-names");
D.nodes.forEach(function (n) {
  var o = document.createElement("option"); o.value = n.tip.h; names.appendChild(o);
});
var catList = $("cg-cats"), catBoxes = {};
D.categories.forEach(function (c) {
  var li = el("li"), lab = el("label"), cb = el("input");
  cb.type = "checkbox"; cb.checked = true; cb.value = c.code; cb.setAttribute("data-cat", c.code);
  cb.addEventListener("change", function () { state.cats[c.code] = cb.checked; applyFilters(false); });
  var sw = el("span", "sw"); sw.style.background = c.color;
  lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(el("span", null, c.label));
  li.appendChild(lab); li.appendChild(el("span", "count", c.count)); catList.appendChild(li);
  catBoxes[c.code] = cb;
});
function setAllCats(v) {
  D.categories.forEach(function (c) { state.cats[c.code] = v; catBoxes[c.code].checked = v; });
  applyFilters(false);
}
var bAll = el("button", null, ui.all), bNone = el("button", null, ui.none);
bAll.type = bNone.type = "button";
bAll.addEventListener("click", function () { setAllCats(true); });
bNone.addEventListener("click", function () { setAllCats(false); });
$("cg-cat-links").appendChild(bAll); $("cg-cat-links").appendChild(document.createTextNode(" ")); $("cg-cat-links").appendChild(bNone);

var typeList = $("cg-types"), typeBoxes = {};
D.types.forEach(function (t) {
  var li = el("li"), lab = el("label"), cb = el("input");
  cb.type = "checkbox"; cb.checked = true; cb.value = t.code; cb.setAttribute("data-type", t.code);
  cb.addEventListener("change", function () { state.types[t.code] = cb.checked; applyFilters(false); });
  var ln = el("span", "ln"); ln.style.borderTopColor = t.color; ln.style.borderTopStyle = t.dash;
  lab.title = t.groupLabel + (t.direction ? ": " + t.direction : "");
  lab.appendChild(cb); lab.appendChild(ln); lab.appendChild(el("span", null, t.label));
  li.appendChild(lab); li.appendChild(el("span", "count", t.count)); typeList.appendChild(li);
  typeBoxes[t.code] = cb;
});
var amount = $("cg-amount");
D.amounts.forEach(function (a) { var o = el("option", null, a.label); o.value = String(a.value); amount.appendChild(o); });
amount.addEventListener("change", function () { state.minUsd = Number(amount.value) || 0; applyFilters(false); });
if (D.dates.min) { $("cg-from").min = $("cg-to").min = D.dates.min; $("cg-from").max = $("cg-to").max = D.dates.max; }
$("cg-from").addEventListener("change", function () { state.from = $("cg-from").value || null; applyFilters(false); });
$("cg-to").addEventListener("change", function () { state.to = $("cg-to").value || null; applyFilters(false); });
$("cg-isolated").addEventListener("change", function () { state.isolated = $("cg-isolated").checked; applyFilters(false); });
$("cg-depth").addEventListener("change", function () {
  state.depth = Number($("cg-depth").value) || 2; if (state.focus) applyFilters(true);
});
function message(text, warn) { var m = $("cg-msg"); m.textContent = text || ""; m.className = warn ? "warn" : ""; }
function resetFilters() {
  D.categories.forEach(function (c) { state.cats[c.code] = true; catBoxes[c.code].checked = true; });
  D.types.forEach(function (t) { state.types[t.code] = true; typeBoxes[t.code].checked = true; });
  state.minUsd = 0; amount.value = "0"; state.from = state.to = null; $("cg-from").value = $("cg-to").value = "";
  state.isolated = false; $("cg-isolated").checked = false; state.focus = null;
  applyFilters(true);
}
$("cg-reset").addEventListener("click", function () { resetFilters(); message(""); });
$("cg-showall").addEventListener("click", function () { leaveOpening(); state.focus = null; applyFilters(true); });
$("cg-opening").addEventListener("click", showOpening);
if (mode === "core") $("cg-opening").textContent = ui.core_view;
function showDetails(item) {
  var box = $("cg-details"); box.textContent = "";
  if (item) box.appendChild(tipElement(item.tip, true));
}
function selectNode(id, zoom) {
  if (!network || !byId[id]) return;
  network.selectNodes([id]);
  showDetails(byId[id]);
  if (zoom) network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: {duration: 350}});
}
function findNode(q) {
  q = String(q || "").trim().toLowerCase();
  if (!q) return null;
  var exact = null, part = null;
  for (var i = 0; i < D.nodes.length; i++) {
    var n = D.nodes[i], keys = n.q.split(" | ");
    if (keys.indexOf(q) >= 0 || n.tip.h.toLowerCase() === q) { exact = n; break; }
    if (!part && n.q.indexOf(q) >= 0) part = n;
  }
  return exact || part;
}
function search() {
  var q = $("cg-search").value, n = findNode(q);
  if (!n) { message(ui.not_found + ": " + q, true); return null; }
  if (!visibleNodes[n.id]) { leaveOpening(); resetFilters(); }
  message(ui.found + ": " + n.tip.h, false);
  selectNode(n.id, true);
  return n.id;
}
$("cg-find").addEventListener("click", search);
$("cg-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); search(); } });
$("cg-focus").addEventListener("click", function () {
  var sel = network ? network.getSelectedNodes() : [];
  if (!sel.length) { message(ui.select_first, true); return; }
  leaveOpening(); state.focus = sel[0]; state.depth = Number($("cg-depth").value) || 2; message("");
  applyFilters(true); network.selectNodes([sel[0]]);
});
function refit() {
  if (!network) return;
  network.redraw();
  if (state.open && !state.focus) layoutOpening(); else network.fit({animation: false});
}
$("cg-toggle").addEventListener("click", function () { $("cg-aside").classList.toggle("hidden"); refit(); });
$("cg-present").addEventListener("click", function () {
  // for the projector: no panel, larger type
  present = !present;
  document.body.classList.toggle("present", present);
  $("cg-aside").classList.toggle("hidden", present);
  refit();
});

// --- saving the view as it is on screen (offline: data: URLs, no server) ---------------------
function download(url, name) {
  var a = el("a"); a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
}
function pngURL() {
  var src = $("cg-canvas").querySelector("canvas"), c = document.createElement("canvas");
  c.width = src.width; c.height = src.height;
  var ctx = c.getContext("2d"); ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(src, 0, 0);
  return c.toDataURL("image/png");
}
function svgText() {
  var NS = "http://www.w3.org/2000/svg", box = $("cg-canvas"), W = box.clientWidth, H = box.clientHeight;
  function mk(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  var svg = mk("svg", {xmlns: NS, width: W, height: H + 70, viewBox: "0 0 " + W + " " + (H + 70),
                       "font-family": D.font});
  svg.appendChild(mk("rect", {x: 0, y: 0, width: W, height: H + 70, fill: "#ffffff"}));
  svg.appendChild(mk("text", {x: 16, y: 32, "font-size": 26, "font-weight": 700, fill: "#1a1a1a"}, $("cg-title").textContent));
  svg.appendChild(mk("text", {x: 16, y: 58, "font-size": 15, fill: "#555555"}, $("cg-subtitle").textContent));
  var g = mk("g", {transform: "translate(0,70)"}); svg.appendChild(g);
  var s = network.getScale(), ids = Object.keys(visibleNodes), pos = network.getPositions(ids), dom = {};
  ids.forEach(function (id) { dom[id] = network.canvasToDOM(pos[id]); });
  Object.keys(visibleEdges).forEach(function (id) {
    var e = edges.get(id), a = dom[e.from], b = dom[e.to];
    if (!a || !b) return;
    var c = e.color || {}, attrs = {x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
      stroke: c.color || "#999999", "stroke-opacity": c.opacity === undefined ? 1 : c.opacity,
      "stroke-width": Math.max(0.5, (e.width || 1) * s).toFixed(2)};
    if (e.dashes) attrs["stroke-dasharray"] = Array.isArray(e.dashes) ? e.dashes.join(" ") : "6 4";
    g.appendChild(mk("line", attrs));
  });
  ids.forEach(function (id) {
    var n = nodes.get(id), p = dom[id], r = (n.size || 10) * s, c = n.color || {};
    var fill = c.background || "#cccccc", stroke = c.border || "#5a5a5a", sw = (n.borderWidth || 1) * s;
    var corners = n.shape === "diamond" ? [[0, -r], [r, 0], [0, r], [-r, 0]]
                : n.shape === "triangle" ? [[0, -r], [r, r], [-r, r]] : null;
    if (corners) {
      g.appendChild(mk("polygon", {points: corners.map(function (q) { return (p.x + q[0]).toFixed(1) + "," + (p.y + q[1]).toFixed(1); }).join(" "),
                                   fill: fill, stroke: stroke, "stroke-width": sw}));
    } else {
      g.appendChild(mk("circle", {cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), fill: fill, stroke: stroke, "stroke-width": sw}));
    }
    var fs = ((n.font && n.font.size) || 14) * s, lines = String(n.label || "").split("\n");
    lines.forEach(function (line, i) {
      g.appendChild(mk("text", {x: p.x.toFixed(1), y: (p.y + r + fs * (i + 1)).toFixed(1), "font-size": fs.toFixed(1),
        "text-anchor": "middle", fill: (n.font && n.font.color) || "#1a1a1a", stroke: "#ffffff", "stroke-width": 3,
        "paint-order": "stroke"}, line));
    });
  });
  return new XMLSerializer().serializeToString(svg);
}
$("cg-png").addEventListener("click", function () { download(pngURL(), "capexgraph-view.png"); });
$("cg-svg").addEventListener("click", function () {
  download("data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText()), "capexgraph-view.svg");
});

// shock panel
if (D.shock) {
  var sp = $("cg-shock");
  sp.appendChild(el("h2", null, ui.exposure));
  var grad = el("div", "grad");
  grad.style.background = "linear-gradient(to right," + D.shock.stops.join(",") + ")";
  sp.appendChild(grad);
  var sc = el("div", "scale");
  sc.appendChild(el("span", null, ui.low)); sc.appendChild(el("span", null, ui.high + " (" + D.shock.max.toFixed(3) + ")"));
  sp.appendChild(sc);
  var z = el("div", "small"); var zs = el("span", "sw"); zs.style.background = D.shock.zero;
  z.appendChild(zs); z.appendChild(document.createTextNode(" " + ui.zero + "   ★ " + ui.seeds)); sp.appendChild(z);
  sp.appendChild(el("h2", null, ui.top_exposed));
  var ol = el("ol", "top");
  D.shock.top.forEach(function (t) {
    var li = el("li", null, t.label + "  " + t.score);
    li.addEventListener("click", function () { if (!visibleNodes[t.id]) resetFilters(); selectNode(t.id, true); });
    ol.appendChild(li);
  });
  sp.appendChild(ol);
  if (D.shock.gainers && D.shock.gainers.length) {
    sp.appendChild(el("h2", null, ui.gainers));
    var gg = el("div", "grad");
    gg.style.background = "linear-gradient(to right," + D.shock.gain_stops.join(",") + ")";
    sp.appendChild(gg);
    var og = el("ol", "top");
    D.shock.gainers.forEach(function (t) {
      var li = el("li", null, t.label + "  +" + t.score);
      li.addEventListener("click", function () { if (!visibleNodes[t.id]) resetFilters(); selectNode(t.id, true); });
      og.appendChild(li);
    });
    sp.appendChild(og);
  }
  if (D.shock.paths.length) {
    sp.appendChild(el("h2", null, ui.paths));
    var pl = el("ul", "legend paths");
    D.shock.paths.forEach(function (p) { pl.appendChild(el("li", "small", p)); });
    sp.appendChild(pl);
  }
}

// --- network ----------------------------------------------------------------------------------
if (D.focus) { state.focus = D.focus.id; state.depth = D.focus.depth; $("cg-depth").value = String(Math.min(4, D.focus.depth)); }
var options = {
  autoResize: true,
  nodes: {shape: "dot", borderWidth: 1.5, font: {face: D.font, color: "#1a1a1a", strokeWidth: 4, strokeColor: "#ffffff"},
          scaling: {label: {enabled: false, drawThreshold: 5, maxVisible: 40}}},
  edges: {arrows: {to: {enabled: true, scaleFactor: 0.55}}, smooth: false, selectionWidth: 2, hoverWidth: 1,
          font: {face: D.font}},
  physics: {enabled: true, solver: "forceAtlas2Based",
            forceAtlas2Based: {gravitationalConstant: -90, centralGravity: 0.03, springLength: 110, springConstant: 0.06,
                               damping: 0.5, avoidOverlap: 1.0},
            stabilization: {enabled: true, iterations: D.layout.iterations, updateInterval: 25, fit: true},
            minVelocity: 1.5},
  interaction: {hover: true, tooltipDelay: 100, hideEdgesOnDrag: D.layout.big, hideEdgesOnZoom: D.layout.big,
                keyboard: false, multiselect: false},
  layout: {improvedLayout: false, randomSeed: 7}
};
var api = window.capexgraph = {nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state,
  ready: false, applyFilters: applyFilters, resetFilters: resetFilters, search: search, findNode: findNode,
  visibleNodes: function () { return Object.keys(visibleNodes); }, visibleEdges: function () { return Object.keys(visibleEdges); },
  svgText: function () { return svgText(); }, pngURL: function () { return pngURL(); }, opening: null,
  open: D.open};
network = api.network = new vis.Network($("cg-canvas"), {nodes: nodeView, edges: edgeView}, options);
network.on("stabilizationProgress", function (p) {
  $("cg-progress").textContent = Math.round(100 * p.iterations / p.total) + "%";
});
var settled = false;
function settle() {
  if (settled) return; settled = true;
  network.setOptions({physics: {enabled: false}});
  var pos = network.getPositions(), upd = [];
  Object.keys(pos).forEach(function (id) { upd.push({id: id, x: pos[id].x, y: pos[id].y}); });
  nodes.update(upd);
  upd.forEach(function (u) { home[u.id] = {x: u.x, y: u.y}; });
  if (mode === "core" && state.open) {
    // the largest companies, laid out among themselves (physics on the shown ones only)
    computeVisible(); nodeView.refresh(); edgeView.refresh(); status();
    // fewer nodes, room for their labels: a longer reach
    network.setOptions({physics: {enabled: true, forceAtlas2Based: {gravitationalConstant: -260, springLength: 230,
                                                                    centralGravity: 0.02}}});
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false, forceAtlas2Based: options.physics.forceAtlas2Based}});
      corePos = network.getPositions(Object.keys(visibleNodes));
      layoutOpening();
      finish();
    });
    network.stabilize(D.layout.iterations);
    return;
  }
  applyFilters(true);
  finish();
}
function finish() {
  if (state.focus) selectNode(state.focus, false);
  $("cg-overlay").className = "done";
  api.ready = true;
  document.body.setAttribute("data-ready", "1");
}
network.once("stabilizationIterationsDone", settle);
if (!D.nodes.length) settle();
network.on("click", function (p) {
  if (p.nodes.length) showDetails(byId[p.nodes[0]]);
  else if (p.edges.length) showDetails(edgeById[p.edges[0]]);
  else showDetails(null);
});
status();
})();
</script>
</body>
</html>
"""
