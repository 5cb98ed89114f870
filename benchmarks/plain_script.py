"""The yardstick for `exposure --graph`: the shortest honest script that answers the same question.

    python benchmarks/plain_script.py benchmarks/data/net-1m.parquet benchmarks/scenario-1m.yaml

Reads the Parquet edge list (source,target,channel,weight), factorises the ids, builds one CSR per
channel, iterates h = min(1, psi + W^T h) to 1e-9 on each of the scenario's channels, combines them
as the model does (the larger of the supply and demand loss, then the financial links on top) and
prints the 20 highest scores as JSON. No validation, no explanations,
no paths: what the command does beyond this is what a user pays for. Issue #14 asks the whole
`exposure` process to cost no more than this whole process (timed with farm-bench --vs).
"""
from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import scipy.sparse as sp
import yaml


def main(edges: str, scenario: str, top: int = 20) -> None:
    frame = pd.read_parquet(edges, columns=["source", "target", "channel", "weight"])
    codes, names = pd.factorize(pd.concat([frame["source"], frame["target"]], ignore_index=True))
    m = len(frame)
    src, dst, n = codes[:m], codes[m:], len(names)
    sc = yaml.safe_load(open(scenario, encoding="utf-8"))
    index = {str(x): i for i, x in enumerate(names)}
    weight, channel_of = frame["weight"].to_numpy(), frame["channel"].to_numpy()

    def seeds(channel: str) -> np.ndarray:
        psi = np.zeros(n)
        for seed in sc["seeds"]:
            if seed.get("channel", "all") in ("all", channel):
                for node in np.atleast_1d(seed["select"]["id"]):
                    psi[index[str(node)]] = max(psi[index[str(node)]], float(seed["magnitude"]))
        return psi

    def fixed_point(channel: str, psi: np.ndarray) -> np.ndarray:
        mask = channel_of == channel
        wt = sp.csr_matrix((weight[mask], (dst[mask], src[mask])), shape=(n, n))
        h = psi.copy()
        for _ in range(10_000):
            new = np.minimum(1.0, psi + wt @ h)
            done = np.abs(new - h).max() < 1e-9
            h = new
            if done:
                break
        return h

    # the model's combination (docs/EXPOSURE_MODEL.md): supply and demand losses travel on their
    # own links, a company's operational loss is the larger, and investors feel it on top
    run = {c: (fixed_point(c, seeds(c)) if c in sc["channels"] else seeds(c)) for c in ("supply", "demand")}
    operational = np.maximum(np.maximum(run["supply"], run["demand"]), seeds("financial"))
    total = fixed_point("financial", operational) if "financial" in sc["channels"] else operational
    order = np.argsort(-total, kind="stable")[:top]
    print(json.dumps([{"node": str(names[i]), "score": float(total[i])} for i in order], indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
