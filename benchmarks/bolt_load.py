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
    cmd = [sys.executable, "-m", "capexgraph.cli.main", "load-neo4j", "--uri", server.bolt, "--user", server.user,
           "--data", str(data), *extra]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"load-neo4j failed ({done.returncode}): {done.stderr[-1000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("nodes:")][-1]
    return wall, float(re.search(r"; ([0-9.]+)s$", line).group(1)), line


def plain_create(server, data: Path) -> float:
    """What the server itself takes for the same rows with the least work a load can do: CREATE
    nodes, then CREATE relationships between nodes passed by internal id, in the loader's batch
    size, into a separate label. It bounds what any Bolt loader can reach on this machine."""
    from neo4j import GraphDatabase

    from capexgraph.graph import build_graph
    from capexgraph.graph.neo4j_model import node_rows, relationship_rows
    from capexgraph.ingest import load_records
    from capexgraph.queries.neo4j_load import Neo4jLoader

    records = load_records(data)
    g = build_graph(records)
    nodes = [r["props"] for r in node_rows(g, records.schema)]
    rels = relationship_rows(g)
    size = Neo4jLoader.DEFAULT_BATCH_SIZE
    with GraphDatabase.driver(server.bolt, auth=server.auth, notifications_min_severity="OFF") as driver:
        def write(query: str, **params):
            with driver.session() as session:
                return session.execute_write(lambda tx: tx.run(query, **params).data())

        t = time.perf_counter()
        ids: dict[str, int] = {}
        for i in range(0, len(nodes), size):
            batch = nodes[i:i + size]
            got = write("UNWIND $rows AS p CREATE (n:PlainBench) SET n = p RETURN id(n) AS i", rows=batch)
            ids.update((p["id"], r["i"]) for p, r in zip(batch, got))
        for i in range(0, len(rels), size):
            write("UNWIND $rows AS row MATCH (a) WHERE id(a) = row.a MATCH (b) WHERE id(b) = row.b "
                  "CREATE (a)-[r:PLAIN_BENCH]->(b) SET r = row.props",
                  rows=[{"a": ids[r["source"]], "b": ids[r["target"]], "props": r["props"]} for r in rels[i:i + size]])
        seconds = time.perf_counter() - t
        while write("MATCH (n:PlainBench) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS c")[0]["c"]:
            pass
    return seconds


def main() -> None:
    from graph_server import neo4j_server

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--edges-per-node", type=float, default=3.0)
    ap.add_argument("--heap", default="1g", help="the server's -Xmx (default 1g)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "data",
                    help="where the dataset folder goes (default benchmarks/data)")
    ap.add_argument("--serve", action="store_true", help="start the server, print the command, wait for Enter")
    ap.add_argument("--quick", action="store_true", help="only the first load and one reload")
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
        runs = [("first load, cold server", run_load(server, data)),
                ("reload (changes nothing)", run_load(server, data))]
        if not args.quick:
            runs += [("--wipe --yes then load, warm server", run_load(server, data, "--wipe", "--yes")),
                     ("reload again", run_load(server, data))]
        ceiling = plain_create(server, data)
        print(f"{n:,} nodes + {m:,} relationships = {rows:,} rows; server heap {args.heap}")
        print("| run | loader seconds (rows/s) | whole command seconds (rows/s) |")
        print("|---|---|---|")
        for label, (wall, load, _) in runs:
            print(f"| {label} | {load:.2f} s ({rows / load:,.0f}) | {wall:.2f} s ({rows / wall:,.0f}) |")
        print(f"| reference: the same rows as plain `UNWIND $rows CREATE` (no MATCH, MERGE, labels or "
              f"constraint), same server | {ceiling:.2f} s ({rows / ceiling:,.0f}) | |")
        print(runs[0][1][2])


if __name__ == "__main__":
    main()
