"""Bolt load throughput: rows per second that `capexgraph load-neo4j` writes into Neo4j 5.26.

Writes a synthetic dataset folder (entities, relationships, sources, facts .csv) whose edges come
from benchmarks/generate.py (heavy-tailed degrees), starts the test server from tests/neo4j_server
(Neo4j 5.26 in-process, loopback, authentication on), then runs the real command as a separate
process: a first load into an empty database and an idempotent reload.

    python benchmarks/bolt_load.py --nodes 2000 --edges-per-node 3        # 2,000 + 6,000 rows
    python benchmarks/bolt_load.py --nodes 100000 --edges-per-node 3 --heap 2g
    python benchmarks/bolt_load.py --nodes 2000 --edges-per-node 3 --serve  # keep the server up,
        # print the command line, so an outside timer can run the command itself
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

TYPES = {"supply": ("supplies", "servers"), "demand": ("cloud_capacity", "cloud_compute"),
         "financial": ("invests_in", "")}


def write_dataset(out: Path, nodes: int, edges_per_node: float, seed: int = 42) -> tuple[int, int]:
    """A dataset folder `load-neo4j --data` reads; (entities, relationships) written."""
    from generate import generate

    edges = generate(nodes, edges_per_node, seed)
    out.mkdir(parents=True, exist_ok=True)
    width = len(str(nodes))
    with open(out / "entities.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "name_ko", "aliases", "ticker", "exchange", "country", "categories", "kind",
                    "source_ids", "note"])
        for i in range(nodes):
            w.writerow([f"n{i:0{width}d}", f"Company {i}", "", "", "", "", "US", "server_odm", "company", "s1", ""])
    with open(out / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "publisher", "title", "url", "date", "date_basis"])
        w.writerow(["s1", "Bench", "Synthetic", "https://example.org/synthetic", "2025-01-01", ""])
    with open(out / "facts.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["id", "entity", "metric", "value", "unit", "period", "qualifier",
                                 "counterparty", "segment", "basis", "source_id", "note"])
    with open(out / "relationships.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "source", "target", "type", "product", "product_class", "amount", "currency",
                    "amount_qualifier", "term", "date", "status", "source_ids", "note"])
        for k, (s, t, channel) in enumerate(zip(edges["source"], edges["target"], edges["channel"])):
            rtype, pclass = TYPES[channel]
            w.writerow([f"r{k}", s, t, rtype, f"synthetic item {k}", pclass, 1_000_000, "USD", "", "", "2025-01-01",
                        "active", "s1", ""])
    return nodes, len(edges)


def run_load(server, data: Path, *extra: str) -> tuple[float, float, str]:
    """The command as a process: (wall seconds, the loader's own seconds, its summary line)."""
    env = {**os.environ, "NEO4J_PASSWORD": server.password}
    cmd = [sys.executable, "-m", "capexgraph.main", "load-neo4j", "--uri", server.bolt, "--user", server.user,
           "--data", str(data), *extra]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"load-neo4j failed ({done.returncode}): {done.stderr[-1000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("nodes:")][-1]
    return wall, float(re.search(r"; ([0-9.]+)s$", line).group(1)), line


def main() -> None:
    from graph_server import neo4j_server

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--edges-per-node", type=float, default=3.0)
    ap.add_argument("--heap", default="1g", help="the server's -Xmx (default 1g)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "data",
                    help="where the dataset folder goes (default benchmarks/data)")
    ap.add_argument("--serve", action="store_true", help="start the server, print the command, wait for Enter")
    args = ap.parse_args()
    data = args.out / f"load-{args.nodes}-{args.edges_per_node:g}"
    n, m = write_dataset(data, args.nodes, args.edges_per_node)
    rows = n + m
    with neo4j_server(heap=args.heap) as server:
        if args.serve:
            print(f"export NEO4J_PASSWORD={server.password}\n"
                  f"capexgraph load-neo4j --uri {server.bolt} --user neo4j --data {data}\n"
                  f"(press Enter to stop the server)", flush=True)
            sys.stdin.readline()
            return
        first_wall, first_load, line = run_load(server, data)
        again_wall, again_load, _ = run_load(server, data)
        print(f"| load-neo4j into Neo4j 5.26 | {n:,} nodes + {m:,} relationships | first load {first_load:.2f} s "
              f"({rows / first_load:,.0f} rows/s; whole command {first_wall:.2f} s, {rows / first_wall:,.0f} rows/s) "
              f"| reload {again_load:.2f} s ({rows / again_load:,.0f} rows/s; whole command {again_wall:.2f} s, "
              f"{rows / again_wall:,.0f} rows/s) |")
        print(line)


if __name__ == "__main__":
    main()
