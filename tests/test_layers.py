"""The supply layers (queries/layers.py): the plain fixed point when every output needs every
input, and the design note's invariants when outputs need only some inputs."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

from capexgraph.queries.layers import SupplyLayer
from capexgraph.queries.propagation import contributions, fixed_point
from capexgraph.queries.weights import ChannelWeights, Part, Weight

CLASSES = ["a", "b", "c"]


@st.composite
def classed_networks(draw, max_n: int = 8):
    n = draw(st.integers(2, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    nodes = [f"n{i}" for i in range(n)]
    edges = {}
    for u in range(n):
        for v in range(n):
            if u != v and rng.random() < 0.35:
                cls = CLASSES[rng.integers(0, len(CLASSES))]
                edges[(nodes[u], nodes[v])] = Weight(nodes[u], nodes[v],
                                                     [Part(float(rng.random()) * 0.6, "test", "", [], cls)])
    needs = {c: {x for x in CLASSES if rng.random() < 0.5} for c in CLASSES}
    psi = rng.random(n) * (rng.random(n) < 0.4)
    w = ChannelWeights(nodes, {x: i for i, x in enumerate(nodes)}, {"supply": edges, "demand": {}, "financial": {}})
    return w, needs, psi


@settings(max_examples=80, deadline=None)
@given(classed_networks())
def test_every_output_needing_everything_and_inputs_adding_up_is_the_plain_fixed_point(net):
    w, _, psi = net
    layered = SupplyLayer(w, needs=None).run(psi, scarcest=False)[0]
    plain = fixed_point(w.matrix("supply"), psi).h
    assert np.allclose(layered, plain, atol=1e-10)


@settings(max_examples=80, deadline=None)
@given(classed_networks())
def test_complements_never_above_inputs_adding_up_and_equal_with_one_class(net):
    w, needs, psi = net
    layer = SupplyLayer(w, needs)
    scarcest, added = layer.run(psi)[0], layer.run(psi, scarcest=False)[0]
    assert np.all(scarcest <= added + 1e-9)
    # one class everywhere: every input is a substitute of every other, so nothing changes
    one = {k: Weight(e.u, e.v, [Part(p.w, p.basis, p.rule, p.cites, "a") for p in e.parts])
           for k, e in w.edges["supply"].items()}
    w1 = ChannelWeights(w.nodes, w.index, {"supply": one, "demand": {}, "financial": {}})
    layer1 = SupplyLayer(w1, {"a": {"a"}})
    assert np.allclose(layer1.run(psi)[0], layer1.run(psi, scarcest=False)[0], atol=1e-10)


def test_complementary_inputs_the_scarcest_sets_the_loss():
    """Known answer: a lab buys GPUs (weight 0.6) and power (weight 0.3); a shock stops half of
    both suppliers. Without either input it cannot run, so it loses what the scarcer one costs it,
    0.6 x 0.5 = 0.3, not 0.3 + 0.15; a second GPU maker (a substitute) adds to the GPU input."""
    part = lambda w, cls: [Part(w, "t", "", [], cls)]  # noqa: E731
    e = {("gpu", "lab"): Weight("gpu", "lab", part(0.6, "gpus")),
         ("gpu2", "lab"): Weight("gpu2", "lab", part(0.2, "gpus")),
         ("power", "lab"): Weight("power", "lab", part(0.3, "electricity"))}
    nodes = ["gpu", "gpu2", "power", "lab"]
    w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}})
    layer = SupplyLayer(w, None)
    assert layer.run(np.array([0.5, 0, 0.5, 0]))[0][3] == 0.3
    assert abs(layer.run(np.array([0.5, 0, 0.5, 0]), scarcest=False)[0][3] - 0.45) < 1e-12
    assert abs(layer.run(np.array([0.5, 0.5, 0.5, 0]))[0][3] - 0.4) < 1e-12   # 0.3 + 0.1 of GPUs
    h, x, _ = layer.run(np.array([0.5, 0.5, 0.5, 0]))
    groups = layer.inputs(3, x, h)
    assert [(g, round(v, 6)) for g, v, _ in groups] == [("gpus", 0.4), ("electricity", 0.15)]


@settings(max_examples=120, deadline=None)
@given(classed_networks(), st.floats(0.0, 1.0))
def test_bounded_monotone_and_never_above_the_plain_model(net, t):
    w, needs, psi = net
    layer = SupplyLayer(w, needs)
    h = layer.run(psi)[0]
    assert np.all(h >= psi - 1e-12) and np.all(h <= 1 + 1e-12)
    assert np.all(layer.run(psi * t)[0] <= h + 1e-9)
    # filtering what passes through can only remove paths
    assert np.all(h <= fixed_point(w.matrix("supply"), psi).h + 1e-9)


@settings(max_examples=80, deadline=None)
@given(classed_networks())
def test_contributions_sum_to_the_propagated_part(net):
    w, needs, psi = net
    layer = SupplyLayer(w, needs)
    h, x, _ = layer.run(psi)
    for v in range(len(w.nodes)):
        raw = layer.incoming(v, x, h)
        total = sum(raw.values())
        if total > 0:
            need = h[v] - psi[v]
            assert need <= total + 1e-9          # the cap can only scale contributions down


def test_a_shock_passes_only_through_outputs_that_need_it():
    e = {("fab", "chip"): Weight("fab", "chip", [Part(0.8, "t", "", [], "wafers")]),
         ("tool", "chip"): Weight("tool", "chip", [Part(0.3, "t", "", [], "tools")]),
         ("chip", "cloud"): Weight("chip", "cloud", [Part(0.6, "t", "", [], "gpus")]),
         ("chip", "lab"): Weight("chip", "lab", [Part(0.5, "t", "", [], "service")])}
    nodes = ["fab", "tool", "chip", "cloud", "lab"]
    w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}})
    layer = SupplyLayer(w, {"gpus": {"wafers"}, "service": {"tools"}})
    h = layer.run(np.array([1.0, 0, 0, 0, 0]))[0]
    assert h.round(6).tolist() == [1.0, 0.0, 0.8, 0.48, 0.0]   # the fab's loss never reaches the lab
    h = layer.run(np.array([0, 1.0, 0, 0, 0]))[0]
    assert h.round(6).tolist() == [0.0, 1.0, 0.3, 0.0, 0.15]


def test_seed_reaching_one_output_class_only():
    e = {("maker", "a"): Weight("maker", "a", [Part(0.5, "t", "", [], "hbm")]),
         ("maker", "b"): Weight("maker", "b", [Part(0.8, "t", "", [], "wafers")])}
    nodes = ["maker", "a", "b"]
    w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}})
    h = SupplyLayer(w, None).run(np.array([0.2, 0, 0]), reach={0: {"hbm"}})[0]
    assert h.round(6).tolist() == [0.2, 0.1, 0.0]


def test_contributions_of_the_plain_engine_still_match():
    W = sp.csr_matrix(np.array([[0, 0.5], [0.2, 0]]))
    psi = np.array([0.4, 0.0])
    h = fixed_point(W, psi).h
    C = contributions(W, h, psi)
    assert np.allclose(np.asarray(C.sum(axis=0)).ravel(), h - psi)


def test_a_border_shock_enters_only_buyers_in_its_countries():
    """Known answer: a US tariff on a Taiwanese fab's output (10%) reaches the US chip designer
    (0.8 x 0.1) and, through it, the US lab (0.6 x 0.08), but not the French lab that buys the
    same chips abroad, directly or through the designer. Without `buyers_in` it would lose 0.098."""
    from capexgraph.queries.exposure import run_exposure
    from capexgraph.queries.scenarios import Seed

    part = lambda w, cls: [Part(w, "t", "", [], cls)]  # noqa: E731
    e = {("fab", "chip"): Weight("fab", "chip", part(0.8, "wafers")),
         ("chip", "fr_lab"): Weight("chip", "fr_lab", part(0.6, "gpus")),
         ("chip", "us_lab"): Weight("chip", "us_lab", part(0.6, "gpus")),
         ("fab", "fr_lab"): Weight("fab", "fr_lab", part(0.5, "wafers"))}
    nodes = ["fab", "chip", "fr_lab", "us_lab"]
    w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}},
                       countries={"fab": "TW", "chip": "US", "fr_lab": "FR", "us_lab": "US"})

    def scores(buyers):
        ex = run_exposure(w, [Seed("fab", "supply", 0.1, "tariff", buyers_in=buyers)], ["supply"],
                          scarcest=False)   # a tariff: costs add up
        return dict(zip(nodes, np.round(ex.side("loss").scores, 6).tolist()))

    assert scores(("US",)) == {"fab": 0.1, "chip": 0.08, "fr_lab": 0.0, "us_lab": 0.048}
    assert scores(None)["fr_lab"] == 0.098


def test_a_border_shock_costs_the_exporter_only_its_sales_into_that_country():
    """Known answer: with `own_share` 0.3 (its sales into the US) the fab's own score is 0.1 x 0.3,
    while the US designer still pays the tariff on all it imports (0.8 x 0.1) and passes it on
    (0.6 x 0.08); the strongest path to the fab shows the part that counts, not the whole hit."""
    from capexgraph.queries.exposure import run_exposure
    from capexgraph.queries.scenarios import Seed

    part = lambda w, cls: [Part(w, "t", "", [], cls)]  # noqa: E731
    e = {("fab", "chip"): Weight("fab", "chip", part(0.8, "wafers")),
         ("chip", "us_lab"): Weight("chip", "us_lab", part(0.6, "gpus"))}
    nodes = ["fab", "chip", "us_lab"]
    w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}},
                       countries={"fab": "TW", "chip": "US", "us_lab": "US"})
    ex = run_exposure(w, [Seed("fab", "supply", 0.1, "tariff", buyers_in=("US",), own=0.3)], ["supply"],
                      scarcest=False)   # a tariff: costs add up
    scores = dict(zip(nodes, np.round(ex.side("loss").scores, 6).tolist()))
    assert scores == {"fab": 0.03, "chip": 0.08, "us_lab": 0.048}
    assert round(float(ex.direct[0]), 6) == 0.03
    best = ex.top_paths("fab", 1)[0]
    assert best["nodes"] == ["fab"] and round(best["contribution"], 6) == 0.03


def test_a_place_shock_with_buyers_in_reaches_every_operator_there_then_only_those_buyers():
    """Known answer: a US grid region short of power (0.2) reaches the Dutch-listed operator whose
    campus sits in it (its site is in the US: the place rule 0.5 x 0.2), then its US customer
    (0.5 x 0.1) but not its Saudi customer, served from data centers abroad."""
    from capexgraph.queries.exposure import run_exposure
    from capexgraph.queries.scenarios import Seed

    part = lambda w, cls: [Part(w, "t", "", [], cls)]  # noqa: E731
    e = {("grid", "neo"): Weight("grid", "neo", part(0.5, "datacenter_campus")),
         ("neo", "us_lab"): Weight("neo", "us_lab", part(0.5, "cloud_compute")),
         ("neo", "sa_lab"): Weight("neo", "sa_lab", part(0.5, "cloud_compute"))}
    nodes = ["grid", "neo", "us_lab", "sa_lab"]
    w = ChannelWeights(nodes, {n: i for i, n in enumerate(nodes)}, {"supply": e, "demand": {}, "financial": {}},
                       countries={"grid": "US", "neo": "NL", "us_lab": "US", "sa_lab": "SA"},
                       places=frozenset({"grid"}))
    ex = run_exposure(w, [Seed("grid", "supply", 0.2, "shortfall", buyers_in=("US",))], ["supply"])
    scores = dict(zip(nodes, np.round(ex.side("loss").scores, 6).tolist()))
    assert scores["neo"] == 0.1 and scores["us_lab"] == 0.05 and scores["sa_lab"] == 0.0
