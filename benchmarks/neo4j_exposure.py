"""In-database exposure (`capexgraph neo4j-exposure`'s engine) on a synthetic network, against the
Python engine on the same weights.

Generates a heavy-tailed network with benchmarks/generate.py, starts the test server from
tests/neo4j_server (Neo4j 5.26 in-process), loads the network's weights (`Neo4jLoader.load_network`),
seeds the ten largest suppliers, and times the fixed points run as Cypher; then the same run in
Python, and the largest difference between the two.

    python benchmarks/neo4j_exposure.py --nodes 100000 --edges-per-node 3 --heap 2g
"""
from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges-per-node", type=float, default=3.0)
    ap.add_argument("--heap", default="2g")
    args = ap.parse_args()

    import graph_server
    import numpy as np
    from generate import generate
    from neo4j import GraphDatabase

    from capexgraph.queries.exposure import run_exposure, weights_from_frame
    from capexgraph.queries.neo4j_exposure import run_in_database
    from capexgraph.queries.neo4j_load import Neo4jLoader
    from capexgraph.queries.scenarios import Seed

    frame = generate(args.nodes, args.edges_per_node)
    weights = weights_from_frame(frame)
    out_degree = np.asarray((weights.matrix("supply") != 0).sum(axis=1)).ravel()
    seeds = [Seed(weights.nodes[i], "supply", 0.5, "bench") for i in np.argsort(-out_degree)[:10]]
    channels = ["supply", "demand", "financial"]
    print(f"{args.nodes:,} nodes, {len(frame):,} edges; seeds: the 10 largest suppliers at 0.5")
    with ExitStack() as stack:
        server = stack.enter_context(graph_server.neo4j_server(heap=args.heap))
        driver = GraphDatabase.driver(server.bolt, auth=server.auth, notifications_min_severity="OFF")
        stack.callback(driver.close)
        loader = Neo4jLoader(driver)
        t = time.perf_counter()
        loader.load_network(weights)
        print(f"load_network: {time.perf_counter() - t:.1f} s")
        for run in ("first run (cold)", "second run"):
            res = run_in_database(loader.run, weights, "bench", seeds, channels)
            print(f"in-database exposure, {run}: {res.seconds:.1f} s, iterations {res.iterations['loss']}")
    t = time.perf_counter()
    ex = run_exposure(weights, seeds, channels)
    py = time.perf_counter() - t
    diff = max(abs(res.loss.get(n, 0.0) - s) for n, s in zip(ex.nodes, ex.scores.tolist()))
    print(f"Python engine: {py:.2f} s; largest difference {diff:.1e}; "
          f"{int((ex.scores > 0).sum()):,} nodes exposed")


if __name__ == "__main__":
    main()
