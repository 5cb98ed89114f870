"""The graph model: records -> networkx MultiDiGraph, its pandas views and file formats.

The file formats (rdflib) and the pandas views load only when first used, so a command that
only builds the graph does not pay for them."""
from __future__ import annotations

from importlib import import_module

from .build import build_graph, load_graph

_LAZY = {"FORMATS": "formats", "read_graph": "formats", "write_graph": "formats",
         "edges_frame": "frames", "nodes_frame": "frames"}

__all__ = ["FORMATS", "build_graph", "edges_frame", "load_graph", "nodes_frame", "read_graph",
           "write_graph"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
