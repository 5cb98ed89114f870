"""File formats of the graph: one small writer and reader per format, behind one registry.

Writers never leave a half-written file: they write next to the target and rename into place.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import networkx as nx
import pandas as pd

from capexgraph.ingest.atomic import OutputError, atomic_dir, atomic_file
from capexgraph.ingest.text_checks import XML_FORBIDDEN, xml_forbidden_fields

from .build import EDGE_ATTRS, NODE_ATTRS
from .plain import STRUCTURED, flatten, from_plain, to_plain
from .rdf import RDF_FORMAT_ENTRIES


def _fill_missing(g: nx.MultiDiGraph, node_keys=NODE_ATTRS, edge_keys=EDGE_ATTRS) -> nx.MultiDiGraph:
    """Scalar formats drop empty values; give every node and edge the full set of keys again."""
    for items, known in ((list(g.nodes(data=True)), node_keys),
                         ([(k, d) for *_, k, d in g.edges(keys=True, data=True)], edge_keys)):
        keys = set(known).union(*(d.keys() for _, d in items)) if items else set(known)
        for _, data in items:
            for key in keys - data.keys():
                data[key] = [] if key in STRUCTURED else None
    return g


@contextmanager
def atomic_path(target: Path, is_dir: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target`; move it into place only if the block succeeds.

    A thin door to capexgraph.ingest.atomic (the one implementation), kept for the writers that
    call it: a file's parent folders are created; for a folder (`is_dir`) the yielded path does
    not exist yet (the caller creates it), and an existing folder is replaced only if it holds
    nothing but an earlier capexgraph output (else OutputError; see `replace_anyway`)."""
    if not is_dir:
        with atomic_file(target, parents=True) as tmp:
            yield tmp
        return
    with atomic_dir(target) as tmp:
        tmp.rmdir()  # callers of this form create the folder themselves
        yield tmp


def _edge_rows(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict]]:
    for u, v, key, data in g.edges(keys=True, data=True):
        yield u, v, key, {k: val for k, val in data.items() if k != "id"}


# --- JSON (networkx node-link) -------------------------------------------------------------
def write_json(g: nx.MultiDiGraph, path: Path) -> None:
    data = nx.node_link_data(g, edges="links")
    data["graph"] = to_plain(data["graph"])
    data["nodes"] = [to_plain(n) for n in data["nodes"]]
    data["links"] = [to_plain(e) for e in data["links"]]
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path) -> nx.MultiDiGraph:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    links = "links" if "links" in data else "edges"
    data["nodes"] = [{**from_plain({k: v for k, v in n.items() if k != "id"}), "id": n["id"]}
                     for n in data["nodes"]]
    data[links] = [{**from_plain(e), "source": e["source"], "target": e["target"]}
                   for e in data[links]]
    return nx.node_link_graph(data, directed=True, multigraph=True, edges=links)


# --- GraphML and GEXF: scalar attributes only ---------------------------------------------
def _all_keys(g: nx.MultiDiGraph) -> tuple[list[str], list[str]]:
    nodes = sorted(set().union(*(d.keys() for _, d in g.nodes(data=True))))
    edges = sorted(set().union(*(d.keys() for *_, d in g.edges(data=True))) - {"id"})
    return nodes, edges


def _scalar_graph(g: nx.MultiDiGraph, gexf: bool = False) -> nx.MultiDiGraph:
    h = nx.MultiDiGraph(**{k: v for k, v in flatten(g.graph).items()})
    for n, data in g.nodes(data=True):
        attrs = flatten(data)
        if gexf:
            attrs["label"] = data.get("name") or n
        h.add_node(n, **attrs)
    for u, v, key, data in _edge_rows(g):
        attrs = flatten(data)
        if gexf:  # GEXF reserves 'type' (edge direction) and 'label'
            attrs["rel_type"] = attrs.pop("type")
        h.add_edge(u, v, key=key, **attrs)
    return h


def _typed_graph(h: nx.MultiDiGraph, gexf: bool = False) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(**{k: v for k, v in h.graph.items() if k not in ("node_default", "edge_default", "mode")})
    for n, data in h.nodes(data=True):
        data = {k: v for k, v in data.items() if not (gexf and k == "label")}
        g.add_node(str(n), **from_plain(data))
    for u, v, key, data in h.edges(keys=True, data=True):
        data = dict(data)
        if gexf:
            data.pop("type", None)
            data.pop("label", None)
            data["type"] = data.pop("rel_type")
            key = data.pop("id", key)
        g.add_edge(str(u), str(v), key=str(key), id=str(key), **from_plain(data))
    return _fill_missing(g)


def _visible(text: str) -> str:
    return XML_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", str(text))


def _refuse_xml_forbidden(h: nx.MultiDiGraph, path: Path, fmt: str) -> None:
    """Refuse (OutputError, one line) a graph holding text XML 1.0 cannot carry.

    Why refuse rather than drop: dropping would change names and notes without a word, and
    escaping cannot help (`&#11;` is forbidden too); the message names entity and field."""
    where: list[tuple[str, list[tuple[str, str]]]] = []
    graph_bad = xml_forbidden_fields({str(k): v for k, v in h.graph.items()})
    if graph_bad:
        where.append(("the graph's attributes", graph_bad))
    for n, data in h.nodes(data=True):
        bad = xml_forbidden_fields({"id": str(n), **data})
        if bad:
            where.append((f"entity '{_visible(n)}'", bad))
    for u, v, key, data in h.edges(keys=True, data=True):
        bad = xml_forbidden_fields({"id": str(key), **data})
        if bad:
            where.append((f"relationship '{_visible(key)}' ({_visible(u)} -> {_visible(v)})", bad))
    if where:
        what, ((field, message), *_) = where[0]
        more = sum(len(b) for _, b in where) - 1
        raise OutputError(f"cannot write {path} ({fmt}): {what}, field '{field}' {message}"
                          + (f" (and {more} more field{'s' if more != 1 else ''})" if more else ""))


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    h = _scalar_graph(g)
    _refuse_xml_forbidden(h, path, "GraphML")
    with atomic_path(path) as tmp:
        nx.write_graphml(h, tmp, encoding="utf-8")


def read_graphml(path: Path) -> nx.MultiDiGraph:
    h = nx.read_graphml(path, force_multigraph=True)
    return _typed_graph(nx.MultiDiGraph(h))


def write_gexf(g: nx.MultiDiGraph, path: Path) -> None:
    h = _scalar_graph(g, gexf=True)
    for u, v, key, data in h.edges(keys=True, data=True):
        data["id"] = key
    _refuse_xml_forbidden(h, path, "GEXF")
    with atomic_path(path) as tmp:
        nx.write_gexf(h, tmp, encoding="utf-8")


def read_gexf(path: Path) -> nx.MultiDiGraph:
    return _typed_graph(nx.MultiDiGraph(nx.read_gexf(path)), gexf=True)


# --- CSV: a folder with nodes.csv and edges.csv --------------------------------------------
def write_csv(g: nx.MultiDiGraph, path: Path) -> None:
    node_keys, edge_keys = _all_keys(g)
    nodes = pd.DataFrame([{"id": n, **flatten(d)} for n, d in g.nodes(data=True)],
                         columns=["id", *node_keys])
    edges = pd.DataFrame([{"id": k, "source": u, "target": v, **flatten(d)}
                          for u, v, k, d in _edge_rows(g)], columns=["id", "source", "target", *edge_keys])
    with atomic_dir(path) as tmp:
        nodes.to_csv(tmp / "nodes.csv", index=False)
        edges.to_csv(tmp / "edges.csv", index=False)


def read_csv(path: Path) -> nx.MultiDiGraph:
    path = Path(path)
    g = nx.MultiDiGraph(name="capexgraph")
    nodes = pd.read_csv(path / "nodes.csv", dtype=str, keep_default_na=False)
    edges = pd.read_csv(path / "edges.csv", dtype=str, keep_default_na=False)
    for row in nodes.to_dict("records"):
        nid = row.pop("id")
        g.add_node(nid, **from_plain(row))
    for row in edges.to_dict("records"):
        key, u, v = row.pop("id"), row.pop("source"), row.pop("target")
        g.add_edge(u, v, key=key, id=key, **from_plain(row))
    return _fill_missing(g)


Writer = Callable[[nx.MultiDiGraph, Path], None]
Reader = Callable[[Path], nx.MultiDiGraph]

#: format name -> (writer, reader, what the user gets)
FORMATS: dict[str, tuple[Writer, Reader, str]] = {
    "json": (write_json, read_json, "networkx node-link JSON (one file)"),
    "graphml": (write_graphml, read_graphml, "GraphML (one file; yEd, Cytoscape, networkx)"),
    "gexf": (write_gexf, read_gexf, "GEXF (one file; Gephi)"),
    "csv": (write_csv, read_csv, "a folder with nodes.csv and edges.csv"),
}
FORMATS.update(RDF_FORMAT_ENTRIES)  # ttl, jsonld, nt (graph/rdf.py)


def write_graph(g: nx.MultiDiGraph, fmt: str, path: Path | str) -> None:
    FORMATS[fmt][0](g, Path(path))


def read_graph(fmt: str, path: Path | str) -> nx.MultiDiGraph:
    return FORMATS[fmt][1](Path(path))
