"""Invariants of the design note (docs/EXPOSURE_MODEL), as property-based tests on random networks."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

from capexgraph.queries.propagation import contributions, fixed_point, leontief


@st.composite
def networks(draw, max_n: int = 9):
    """A random weighted digraph (self-loops and cycles allowed), incoming weights <= 1."""
    n = draw(st.integers(2, max_n))
    density = draw(st.floats(0.1, 0.7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    W = rng.random((n, n)) * (rng.random((n, n)) < density)
    col = W.sum(axis=0)
    W = W / np.maximum(col, 1.0)[None, :] * draw(st.floats(0.1, 1.0))
    psi = rng.random(n) * (rng.random(n) < 0.5)
    return sp.csr_matrix(W), psi


@settings(max_examples=150, deadline=None)
@given(networks())
def test_bounds(net):
    W, psi = net
    h = fixed_point(W, psi).h
    assert np.all(h >= psi - 1e-12) and np.all(h <= 1 + 1e-12) and np.all(psi >= 0)


@settings(max_examples=50, deadline=None)
@given(networks())
def test_zero_shock_zero_exposure(net):
    W, _ = net
    assert np.all(fixed_point(W, np.zeros(W.shape[0])).h == 0)


@settings(max_examples=150, deadline=None)
@given(networks(), st.floats(0.0, 1.0))
def test_monotone_in_shock_size(net, t):
    W, psi = net
    small = fixed_point(W, psi * t).h
    large = fixed_point(W, psi).h
    assert np.all(small <= large + 1e-9)


@settings(max_examples=100, deadline=None)
@given(networks())
def test_terminates_on_cycles_and_self_loops(net):
    W, psi = net
    W = (W + sp.identity(W.shape[0]) * 0.5).tocsr()  # heavy self-loops on top of cycles
    res = fixed_point(W, psi)
    assert res.converged


@settings(max_examples=100, deadline=None)
@given(networks(), st.floats(0.01, 0.3))
def test_linear_and_additive_while_no_cap_binds(net, scale):
    W, psi = net
    W = (W * 0.5).tocsr()  # spectral radius < 1
    a, b = psi * scale * 0.1, np.roll(psi, 1) * scale * 0.1
    ha, hb, hab = (fixed_point(W, x).h for x in (a, b, a + b))
    if np.max(hab) < 1:  # no cap binds
        assert np.allclose(hab, ha + hb, atol=1e-9)
        assert np.allclose(fixed_point(W, 2 * a).h, 2 * ha, atol=1e-9)
        assert np.allclose(fixed_point(W, a, cap=False).h, leontief(W, a), atol=1e-8)


@settings(max_examples=100, deadline=None)
@given(networks())
def test_shock_reaches_only_descendants(net):
    import networkx as nx

    W, psi = net
    g = nx.DiGraph(W.toarray())
    seeds = set(np.flatnonzero(psi))
    reach = set(seeds)
    for s in seeds:
        reach |= nx.descendants(g, s)
    h = fixed_point(W, psi).h
    assert all(h[i] == 0 for i in range(len(h)) if i not in reach)


@settings(max_examples=150, deadline=None)
@given(networks())
def test_contributions_sum_to_propagated_part(net):
    W, psi = net
    h = fixed_point(W, psi).h
    C = contributions(W, h, psi)
    assert np.allclose(np.asarray(C.sum(axis=0)).ravel(), h - psi, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(networks(), st.randoms())
def test_relabelling_permutes_the_result(net, rnd):
    W, psi = net
    n = W.shape[0]
    perm = list(range(n))
    rnd.shuffle(perm)
    P = sp.csr_matrix((np.ones(n), (range(n), perm)), shape=(n, n))  # row i -> column perm[i]
    W2 = (P.T @ W @ P).tocsr()
    psi2 = np.empty(n)
    psi2[perm] = psi
    h, h2 = fixed_point(W, psi).h, fixed_point(W2, psi2).h
    assert np.allclose(h2[perm], h, atol=1e-12)


def test_many_scenarios_in_one_pass_equal_one_by_one():
    rng = np.random.default_rng(7)
    W = sp.random(40, 40, density=0.1, random_state=7, format="csr") * 0.3
    PSI = rng.random((40, 12)) * (rng.random((40, 12)) < 0.2)
    batch = fixed_point(W, PSI).h
    for j in range(PSI.shape[1]):
        assert np.allclose(batch[:, j], fixed_point(W, PSI[:, j]).h, atol=1e-10)


def random_edges(n: int, m: int, top: float, seed: int):
    """A random three-channel edge list (what `exposure --graph` reads), weights in [0, top)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    return pd.DataFrame({"source": rng.integers(0, n, m).astype(str), "target": rng.integers(0, n, m).astype(str),
                         "channel": rng.choice(["supply", "demand", "financial"], m), "weight": rng.random(m) * top})


def test_batched_scenarios_equal_single_runs_with_sparse_seeds():
    from capexgraph.queries.exposure import run_batch, run_exposure, weights_from_frame
    from capexgraph.queries.scenarios import Seed

    w = weights_from_frame(random_edges(60, 300, 0.2, seed=3))
    k = len(w.nodes)
    P = sp.random(k, 40, density=0.05, format="csc", random_state=3) * 0.8
    out = run_batch(w, {"supply": P, "demand": sp.csc_matrix((k, 40))}, chunk=16)
    for j in range(40):
        seeds = [Seed(w.nodes[i], "supply", float(P[i, j]), "") for i in P[:, j].nonzero()[0]]
        assert np.allclose(out[:, j], run_exposure(w, seeds).total, atol=1e-10)


@pytest.mark.parametrize("transmit_only", [False, True])
@pytest.mark.parametrize("channel", ["supply", "demand", "financial", "all"])
def test_many_scenarios_at_once_equal_single_runs_for_every_seed_channel(channel, transmit_only):
    """Issue #14's one-edge case among them: a -> b financial 0.5 and a seeded 0.8 on the financial
    channel must give a 0.8 and b 0.4 in a batch exactly as in a single run."""
    import pandas as pd

    from capexgraph.queries.exposure import run_exposure, run_many, weights_from_frame
    from capexgraph.queries.scenarios import Seed

    frame = pd.DataFrame({"source": ["a", "b", "a", "c"], "target": ["b", "c", "c", "d"],
                          "channel": ["financial", "supply", "demand", "supply"], "weight": [0.5, 0.6, 0.3, 0.9]})
    w = weights_from_frame(frame)
    chans = ["supply", "demand", "financial"]
    runs = [([Seed("a", channel, 0.8, "", counts=not transmit_only)], chans, True),
            ([Seed("b", channel, 0.5, ""), Seed("a", "demand", 0.2, "")], chans, True)]
    loss, gain = run_many(w, runs)
    for j, (seeds, ch, cap) in enumerate(runs):
        single = run_exposure(w, seeds, ch, cap)
        assert np.abs(loss[:, j] - single.scores).max() <= 1e-12
        assert not gain.any()
    if channel == "financial" and not transmit_only:
        assert loss[w.index["a"], 0] == pytest.approx(0.8) and loss[w.index["b"], 0] == pytest.approx(0.4)


def test_bounded_path_search_finds_the_paths_an_unbounded_one_finds():
    """On a graph too large for k-shortest paths, the strongest paths of the rows shown come from
    a Dijkstra pass bounded in cost (and over the arcs within the bound): each must be the path,
    and the value, that a search over every arc without a bound gives."""
    from scipy.sparse.csgraph import dijkstra

    from capexgraph.queries.exposure import run_exposure, weights_from_frame
    from capexgraph.queries.paths import LARGE, PathGraph
    from capexgraph.queries.scenarios import Seed

    w = weights_from_frame(random_edges(3000, 15000, 0.3, seed=11))
    seeds = [Seed(w.nodes[i], c, 0.6, "") for i in range(5) for c in ("supply", "demand")]
    ex = run_exposure(w, seeds)
    shown = ex.ranked()[:40]
    pg = ex.path_graph()
    assert pg.arcs > LARGE
    pg.prepare(shown)
    bounded = [pg.best(i) for i in shown]
    full = PathGraph(ex.side("loss"), ex.channels, len(w.nodes))
    full._dijkstra = dijkstra(full.A, indices=full.source, return_predecessors=True)
    for i, got in zip(shown, bounded):
        want = full.best(i)
        assert got and got[0]["nodes"] == want[0]["nodes"]
        assert got[0]["contribution"] == pytest.approx(want[0]["contribution"], rel=1e-12)
    assert pg._bounded   # the bound held: the search did not fall back to every arc


def test_supply_and_demand_side_by_side_give_the_serial_answer(monkeypatch):
    """On a large graph a single run solves supply and demand on two threads: the scores must be
    the ones the serial run gives, exactly."""
    import capexgraph.queries.exposure as exposure
    from capexgraph.queries.scenarios import Seed

    w = exposure.weights_from_frame(random_edges(500, 4000, 0.3, seed=5))
    seeds = [Seed(w.nodes[i], c, 0.7, "") for i in range(8) for c in ("supply", "demand", "financial")]
    serial = exposure.run_exposure(w, seeds).scores
    monkeypatch.setattr(exposure, "PARALLEL", 0)
    monkeypatch.setattr(exposure.os, "cpu_count", lambda: 2)
    threaded = exposure.run_exposure(w, seeds)
    assert threaded.scores.tolist() == serial.tolist() and threaded.scores.max() > 0


@pytest.mark.parametrize("negative", [False, True])
@pytest.mark.parametrize("cap", [True, False])
def test_fixed_point_matches_the_plain_iteration(negative, cap):
    """The in-place kernel and the shortcuts for rising iterates give the plain iteration's answer,
    for one column and for many, with and without negative weights (where no shortcut applies)."""
    import numpy as np
    import scipy.sparse as sp

    from capexgraph.queries.propagation import fixed_point

    rng = np.random.default_rng(7)
    dense = rng.random((30, 30)) * (rng.random((30, 30)) < 0.15) * 0.3
    if negative:
        dense[rng.random((30, 30)) < 0.05] = -0.2
    W = sp.csr_matrix(dense)
    for psi in (rng.random(30) * 0.5, rng.random((30, 4)) * 0.5):
        h = psi.copy()
        for _ in range(5000):
            nxt = psi + dense.T @ h
            nxt = np.minimum(nxt, 1.0) if cap else nxt
            if np.abs(nxt - h).max() < 1e-14:
                break
            h = nxt
        got = fixed_point(W, psi, cap=cap).h
        assert got.shape == psi.shape and np.allclose(got, nxt, atol=1e-10)
        public = sp.csr_array(W.T.tocsr())   # not the kernel's csr_matrix: the public product
        assert np.allclose(fixed_point(None, psi, cap=cap, WT=public).h, got, atol=1e-12)


def test_a_looser_tolerance_stops_sooner_and_stays_within_it():
    """`exposure --tol`: two suppliers feeding each other (a <-> b at 0.9) converge geometrically
    to the closed form h_a = 0.5 / (1 - 0.81); the default reaches it to 1e-10, a looser threshold
    in fewer iterations and still within what the geometric tail allows (tol x 0.9 / 0.1)."""
    import pandas as pd

    from capexgraph.queries.exposure import run_exposure, weights_from_frame
    from capexgraph.queries.scenarios import Seed

    frame = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "channel": ["demand", "demand"],
                          "weight": [0.9, 0.9]})
    exact = 0.5 / (1 - 0.81)
    runs = {}
    for tol in (1e-12, 1e-4):
        w = weights_from_frame(frame)
        w.tol = tol
        ex = run_exposure(w, [Seed("a", "demand", 0.5, "")], ["demand"], cap=False)
        runs[tol] = (ex.loss.sol.iterations["demand"], ex.loss.sol.h["demand"][w.index["a"]])
    assert abs(runs[1e-12][1] - exact) < 1e-10
    assert runs[1e-4][0] < runs[1e-12][0]
    assert abs(runs[1e-4][1] - exact) <= 1e-4 * 0.9 / 0.1 * max(1.0, exact)
