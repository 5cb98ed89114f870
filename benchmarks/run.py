"""Exposure engine benchmarks (not tests): speed and memory, compared in the same run with
(a) a straightforward pure-Python propagation of the same model and (b) the physical floor, a bare
scipy.sparse matrix-vector loop with the same number of iterations.

    python benchmarks/generate.py --nodes 100000 --out benchmarks/data/net-100k
    python benchmarks/run.py benchmarks/data/net-100k [--python-iterations 0]

Prints a Markdown table row per network and writes <net>.bench.json. Each network runs in its own
process so that peak memory (ru_maxrss) belongs to that network alone.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, *args, repeat: int = 1, **kwargs):
    best, out = math.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t)
    return best, out


def bench(net: Path, python_iterations: int | None) -> dict:
    from capexgraph.cli.exposure import read_edgelist
    from capexgraph.queries.exposure import run_batch, run_exposure, weights_from_frame
    from capexgraph.queries.scenarios import Seed

    res: dict = {"network": net.name}
    t_csv, frame = timed(read_edgelist, net.with_suffix(".csv"))
    t_w, weights = timed(weights_from_frame, frame)
    t_pq, frame = timed(read_edgelist, net.with_suffix(".parquet"))
    res.update(nodes=len(weights.nodes), edges=len(frame), load_csv_s=t_csv + t_w,
               load_parquet_s=t_pq + t_w, peak_after_load_mb=peak_mb())
    del frame

    # One scenario on all channels: the 10 largest hubs lose half their supply and demand.
    deg = np.asarray(weights.matrix("supply").sum(axis=1)).ravel()
    hubs = [weights.nodes[i] for i in np.argsort(-deg)[:10]]
    seeds = [Seed(h, c, 0.5, "bench") for h in hubs for c in ("supply", "demand")]
    for c in ("supply", "demand", "financial"):
        weights.matrix_t(c)  # transposes are part of loading, not of each scenario
    t_one, ex = timed(lambda: run_exposure(weights, seeds), repeat=3)
    ranked = ex.ranked()
    res.update(one_scenario_s=t_one, iterations=dict(ex.iterations), exposed=len(ranked),
               peak_after_one_scenario_mb=peak_mb())

    # (b) the floor: the same number of bare sparse iterations, no convergence checks.
    def bare():
        n = len(weights.nodes)
        psi = {c: np.zeros(n) for c in ("supply", "demand")}
        for s in seeds:
            psi[s.channel][weights.index[s.node]] = s.magnitude
        out = {}
        for c in ("supply", "demand"):
            WT, h = weights.matrix_t(c), psi[c].copy()
            for _ in range(ex.iterations[c]):
                h = np.minimum(1.0, psi[c] + WT @ h)
            out[c] = h
        op = np.maximum(out["supply"], out["demand"])
        WT, h = weights.matrix_t("financial"), op.copy()
        for _ in range(ex.iterations["financial"]):
            h = np.minimum(1.0, op + WT @ h)
        return h
    t_bare, h_bare = timed(bare, repeat=3)
    assert np.allclose(h_bare, ex.total, atol=1e-9)
    res.update(bare_loop_s=t_bare, ratio_to_floor=t_one / t_bare)

    # 100 scenarios batched: each scenario hits 10 random nodes.
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    n, k = len(weights.nodes), 100
    rows = rng.integers(0, n, 10 * k)
    cols = np.repeat(np.arange(k), 10)
    psi = {"supply": sp.csc_matrix((np.full(10 * k, 0.5), (rows, cols)), shape=(n, k)),
           "demand": sp.csc_matrix((n, k))}
    t_batch, _ = timed(run_batch, weights, psi)
    res.update(batch_100_s=t_batch, batch_per_scenario_s=t_batch / k, peak_after_batch_mb=peak_mb())

    # Explanations for the top 20: strongest path and incoming contributions.
    def explain():
        for i in ranked[:20]:
            node = ex.nodes[i]
            ex.top_paths(node, 1)
            ex.incoming(node)
    t_explain, _ = timed(explain)
    res.update(explain_top20_s=t_explain, peak_memory_mb=peak_mb())

    # (a) pure Python: dict of incoming lists, same update rule, same iteration counts.
    if python_iterations != 0:
        def build(c):
            coo = weights.matrix(c).tocoo()
            incoming: dict[int, list] = {}
            for u, v, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()):
                incoming.setdefault(v, []).append((u, w))
            return incoming
        inc = {c: build(c) for c in ("supply", "demand", "financial")}
        psi1 = {c: {} for c in ("supply", "demand")}
        for s in seeds:
            psi1[s.channel][weights.index[s.node]] = s.magnitude

        def step(incoming, base, h):
            return {v: min(1.0, base.get(v, 0.0) + sum(w * h.get(u, 0.0) for u, w in lst))
                    for v, lst in incoming.items()} | {v: x for v, x in base.items() if v not in incoming}
        total_iters = sum(ex.iterations.values())
        runs = python_iterations or total_iters
        t = time.perf_counter()
        h = dict(psi1["supply"])
        for _ in range(runs):
            h = step(inc["supply"], psi1["supply"], h)
        per_iter = (time.perf_counter() - t) / runs
        res.update(python_s=per_iter * total_iters, python_measured_iterations=runs,
                   python_extrapolated=runs < total_iters, speedup_vs_python=per_iter * total_iters / t_one)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("networks", nargs="+", type=Path, help="paths without extension (see generate.py)")
    ap.add_argument("--python-iterations", type=int, default=None,
                    help="pure-Python iterations to time (default: all; 0 skips; fewer = extrapolate)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(bench(args.networks[0], args.python_iterations)))
        return
    import subprocess
    rows = []
    for net in args.networks:
        cmd = [sys.executable, __file__, str(net), "--child"]
        if args.python_iterations is not None:
            cmd += ["--python-iterations", str(args.python_iterations)]
        print(f"benchmarking {net} ...", file=sys.stderr)
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        net.with_suffix(".bench.json").write_text(json.dumps(r, indent=1))
        rows.append(r)
    print("| network | nodes | edges | load CSV | load Parquet | one scenario | bare loop | ratio | "
          "pure Python | speed-up | 100 batched | top-20 explain | peak MB: load / +1 scenario / all |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        py = (f"{r['python_s']:.1f}s{'*' if r.get('python_extrapolated') else ''}" if "python_s" in r else "-")
        sp = f"{r['speedup_vs_python']:.0f}x" if "speedup_vs_python" in r else "-"
        print(f"| {r['network']} | {r['nodes']:,} | {r['edges']:,} | {r['load_csv_s']:.2f}s | "
              f"{r['load_parquet_s']:.2f}s | {r['one_scenario_s']:.3f}s | {r['bare_loop_s']:.3f}s | "
              f"{r['ratio_to_floor']:.2f} | {py} | {sp} | {r['batch_100_s']:.2f}s | "
              f"{r['explain_top20_s']:.2f}s | {r['peak_after_load_mb']:.0f} / "
              f"{r['peak_after_one_scenario_mb']:.0f} / {r['peak_memory_mb']:.0f} |")


if __name__ == "__main__":
    main()
