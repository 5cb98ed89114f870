"""The graph model: records -> networkx MultiDiGraph, its pandas views and file formats."""
from .build import build_graph, load_graph
from .formats import FORMATS, read_graph, write_graph
from .frames import edges_frame, nodes_frame

__all__ = ["FORMATS", "build_graph", "edges_frame", "load_graph", "nodes_frame", "read_graph",
           "write_graph"]
