"""Synthetic supply networks for benchmarks: seeded, heavy-tailed, three channels.

    python benchmarks/generate.py --nodes 1000000 --out benchmarks/data/net-1m

writes `<out>.csv` and `<out>.parquet` with columns source,target,channel,weight (what
`exposure --graph` reads). Degrees are heavy-tailed like real supply networks: each node draws an
attractiveness from a Pareto law and edge endpoints are picked in proportion to it, so a few hubs
(the Nvidias and TSMCs) have tens of thousands of links and most nodes have a handful. Channel mix
60% supply, 30% demand, 10% financial. Weights are lognormal, normalised per target and channel so
each node's incoming weight is a random fraction in [0.2, 0.9] (the design note keeps it <= 1).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

CHANNELS = np.array(["supply", "demand", "financial"])
MIX = [0.6, 0.3, 0.1]


def generate(nodes: int, edges_per_node: float = 10.0, seed: int = 42) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    m = int(nodes * edges_per_node)
    attract = rng.pareto(1.5, nodes) + 1.0
    p = attract / attract.sum()
    src = rng.choice(nodes, size=m, p=p)
    dst = rng.choice(nodes, size=m, p=rng.permutation(p))
    keep = src != dst
    src, dst = src[keep], dst[keep]
    chan = rng.choice(3, size=len(src), p=MIX)
    raw = rng.lognormal(0.0, 1.0, size=len(src))
    key = dst * 3 + chan
    total = np.bincount(key, weights=raw, minlength=nodes * 3)
    budget = rng.uniform(0.2, 0.9, size=nodes * 3)
    weight = raw / total[key] * budget[key]
    width = len(str(nodes))
    ids = np.char.add("n", np.char.zfill(np.arange(nodes).astype(str), width))
    return pd.DataFrame({"source": ids[src], "target": ids[dst], "channel": CHANNELS[chan],
                         "weight": weight.round(8)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--edges-per-node", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, required=True, help="path without extension")
    args = ap.parse_args()
    t = time.perf_counter()
    frame = generate(args.nodes, args.edges_per_node, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(args.out.with_suffix(".parquet"), index=False)
    frame.to_csv(args.out.with_suffix(".csv"), index=False)
    print(f"{len(frame):,} edges over {args.nodes:,} nodes -> {args.out}.csv/.parquet "
          f"({time.perf_counter() - t:.1f}s)")


if __name__ == "__main__":
    main()
