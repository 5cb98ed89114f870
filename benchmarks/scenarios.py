"""Scenario files for a synthetic network, for `exposure --graph` and its batch mode.

    python benchmarks/scenarios.py benchmarks/data/net-1m.parquet --count 100 --out benchmarks/data/sc-1m

writes `<out>/s000.yaml` ... : scenario 0 hits the 10 largest suppliers (by number of outgoing
links) with a 0.5 loss of supply and of demand, on all three channels; scenario j > 0 hits 10
suppliers drawn (seed j) from the 1,000 largest. The same files feed `benchmarks/plain_script.py`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml


def scenarios(edges: Path, count: int) -> list[dict]:
    out_degree = pd.read_parquet(edges, columns=["source"])["source"].value_counts()
    hubs = out_degree.index.to_numpy()
    made = []
    for j in range(count):
        picked = hubs[:10] if j == 0 else np.random.default_rng(j).choice(hubs[:1000], 10, replace=False)
        made.append({"name": f"s{j:03d}", "title": f"10 large suppliers lose half their output (draw {j})",
                     "channels": ["supply", "demand", "financial"],
                     "seeds": [{"select": {"id": [str(h) for h in picked]}, "channel": c, "magnitude": 0.5}
                               for c in ("supply", "demand")]})
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("edges", type=Path, help="the network's .parquet file")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--out", type=Path, required=True, help="folder for the YAML files")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for sc in scenarios(args.edges, args.count):
        (args.out / f"{sc['name']}.yaml").write_text(yaml.safe_dump(sc, sort_keys=False), encoding="utf-8")
    print(f"{args.count} scenarios -> {args.out}/")


if __name__ == "__main__":
    main()
