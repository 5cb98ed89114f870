"""A synthetic capexgraph-shaped graph, for demos and for timing the HTML view on large graphs.

The graph has the attributes `capexgraph.graph.build_graph` gives (name, name_ko, ticker,
category, kind, revenue_usd, edges with type, amount_usd, date and sources), so every view can be
tried on it without the shipped dataset. Deterministic for a given `seed`.
"""
from __future__ import annotations

import datetime as dt
import random

import networkx as nx

CATEGORIES = ["hyperscaler", "ai_lab", "accelerator", "foundry", "memory", "semi_equipment",
              "server_odm", "networking", "optics_fiber", "neocloud", "datacenter",
              "power_utility", "power_equipment", "cooling", "nuclear", "investor"]
TYPES = ["supplies", "supplies", "supplies", "cloud_capacity", "power_supply", "lease",
         "licenses", "invests_in", "lends", "acquires", "owns", "partners_with"]
SYLLABLES_KO = "가나다라마바사아자차카타파하"


def synthetic_graph(n_nodes: int = 300, edges_per_node: float = 2.5, seed: int = 7) -> nx.MultiDiGraph:
    """A random MultiDiGraph of `n_nodes` companies (plus a few places) and ~n*edges_per_node deals."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(name="synthetic", as_of=None)
    places = [("us", "United States", "미국"), ("tw", "Taiwan", "대만"), ("kr", "South Korea", "한국")]
    for pid, name, name_ko in places:
        g.add_node(pid, name=name, name_ko=name_ko, ticker=None, exchange=None, country=pid.upper(),
                   category=["jurisdiction"], kind="jurisdiction", revenue_usd=None, capex_usd=None,
                   facts=[])
    ids = []
    for i in range(n_nodes):
        nid = f"co{i:04d}"
        cat = CATEGORIES[i % len(CATEGORIES)] if i < len(CATEGORIES) else rng.choice(CATEGORIES)
        big = rng.random() < 0.1
        revenue = rng.lognormvariate(23.5 if big else 21.5, 1.2) if rng.random() < 0.8 else None
        ko = "".join(rng.choice(SYLLABLES_KO) for _ in range(3))
        g.add_node(nid, name=f"Company {i}", name_ko=f"{ko} {i}", ticker=f"C{i:03d}",
                   exchange="NASDAQ", country="US", category=[cat], kind="company",
                   revenue_usd=revenue, revenue_usd_period="FY2025" if revenue else None,
                   capex_usd=None, facts=[])
        ids.append(nid)
    n_edges = int(n_nodes * edges_per_node)
    weights = [1.0 / (1 + k) ** 0.7 for k in range(n_nodes)]  # a few hubs, a long tail
    for k in range(n_edges):
        u, v = rng.choices(ids, weights=weights, k=2)
        if u == v:
            continue
        typ = rng.choice(TYPES)
        amount = round(rng.lognormvariate(20.5, 1.5), -6) if rng.random() < 0.7 else None
        date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 1100))
        src = {"publisher": "Example Wire", "title": f"Deal {k}", "url": f"https://example.com/deal/{k}",
               "date": date}
        g.add_edge(u, v, key=f"syn-r{k:05d}", id=f"syn-r{k:05d}", type=typ, product="components",
                   amount=amount, currency="USD" if amount else None, amount_qualifier=None,
                   amount_usd=amount, term=None, date=date, date_precision="day", status="announced",
                   sources=[src], note=None)
    for i, nid in enumerate(ids[: max(3, n_nodes // 20)]):
        pid = places[i % len(places)][0]
        date = dt.date(2024, 1, 1)
        g.add_edge(nid, pid, key=f"syn-loc{i:04d}", id=f"syn-loc{i:04d}", type="located_in",
                   product=None, amount=None, currency=None, amount_qualifier=None, amount_usd=None,
                   term=None, date=date, date_precision="day", status="active",
                   sources=[{"publisher": "Annual report", "title": "Operations", "url":
                             "https://example.com/ops", "date": date}], note=None)
    return g
