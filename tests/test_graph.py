"""The networkx model: typed attributes, parallel deals kept apart, as-of filtering, DataFrames."""
from __future__ import annotations

import datetime as dt

import pytest

from capexgraph.graph import build_graph, edges_frame, load_graph, nodes_frame
from capexgraph.ingest import load_records


def test_attributes_are_typed_and_cited(mini):
    g = load_graph(mini)
    data = g.edges["corning", "meta", "seed-r001"]
    assert data["amount"] == 6e9 and data["amount_usd"] == 6e9
    assert data["amount_qualifier"] == "up_to"
    assert data["date"] == dt.date(2026, 1, 27)
    assert all(s["url"].startswith("https://") and isinstance(s["date"], dt.date)
               for s in data["sources"])


def test_parallel_deals_between_one_pair_stay_apart(mini):
    g = load_graph(mini)
    keys = sorted(g["coreweave"]["openai"])
    assert len(keys) >= 2
    amounts = {g.edges["coreweave", "openai", k]["amount"] for k in keys}
    assert len(amounts) == len(keys)


def test_as_of_keeps_only_what_was_announced(mini):
    records = load_records(mini)
    full = build_graph(records)
    before = build_graph(records, as_of=dt.date(2026, 1, 25))
    after = build_graph(records, as_of=dt.date(2026, 1, 26))
    assert not before.has_edge("nvidia", "coreweave", "seed-r002")
    assert after.has_edge("nvidia", "coreweave", "seed-r002")
    assert all(d["date"] <= dt.date(2026, 1, 25) for *_, d in before.edges(data=True))
    assert before.number_of_edges() < full.number_of_edges()
    assert set(before.nodes) == set(full.nodes)
    # facts are known from their source's publication date
    for _, d in before.nodes(data=True):
        assert all(f["source"]["date"] <= dt.date(2026, 1, 25) for f in d["facts"])


def test_frames_are_one_call_away(mini):
    g = load_graph(mini)
    nodes, edges = nodes_frame(g), edges_frame(g)
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    row = edges.set_index("id").loc["seed-r001"]
    assert row["source"] == "corning" and row["amount_usd"] == 6e9
    assert str(edges["date"].dtype).startswith("datetime64")


def test_revenue_prefers_a_full_year_and_annualises_quarters():
    """Revenue is the denominator of yearly weights: a later quarter must not replace a year."""
    from capexgraph.graph.build import latest_fact as _latest

    src = {"date": dt.date(2026, 1, 1)}
    fy = {"metric": "revenue", "value": 500.0, "unit": "USD", "period": "FY2025", "counterparty": None,
          "qualifier": None, "source": src}
    q = {**fy, "value": 240.0, "period": "Q1 FY2026"}
    assert _latest([fy, q], "revenue")["value"] == 500.0
    only_q = _latest([q], "revenue")
    assert only_q["value"] == 960.0 and only_q["period"] == "Q1 FY2026 x4, annualised"
    h1 = _latest([{**fy, "value": 100.0, "period": "H1 2025"}], "revenue")
    assert h1["value"] == 200.0
    share = {**fy, "metric": "revenue_share_region", "unit": "fraction", "value": 0.4, "period": "Q3 FY2025",
             "counterparty": "jur_cn"}
    older = {**share, "value": 0.3, "period": "FY2024"}
    assert _latest([share, older], "revenue_share_region", "jur_cn")["value"] == 0.3   # the year
    assert _latest([share], "revenue_share_region", "jur_cn")["value"] == 0.4          # not annualised
    nine = _latest([{**fy, "value": 90.0, "period": "9M 2025"}], "revenue")
    assert nine["value"] == pytest.approx(120.0) and "annualised" in nine["period"]
    assert _latest([share, older], "revenue_share_region") is None   # another place's share is not China's


def test_for_one_period_the_filing_beats_a_later_retelling():
    """Two figures for FY2025: the 10-K's wins over a blog's, though the blog was published later;
    a later period still wins over an earlier one from a better source."""
    from capexgraph.graph.build import latest_fact

    filing = {"metric": "revenue_share_region", "value": 0.131, "unit": "fraction", "period": "FY2025",
              "counterparty": "jur_cn", "qualifier": None, "note": "",
              "source": {"date": dt.date(2025, 2, 26), "tier": "primary"}}
    blog = {**filing, "value": 0.13, "source": {"date": dt.date(2025, 4, 13), "tier": "other"}}
    assert latest_fact([blog, filing], "revenue_share_region", "jur_cn")["value"] == 0.131
    newer_year = {**blog, "period": "FY2026", "value": 0.06,
                  "source": {"date": dt.date(2026, 3, 1), "tier": "other"}}
    assert latest_fact([filing, newer_year], "revenue_share_region", "jur_cn")["value"] == 0.06
    # a later quarter of one fiscal year still beats an earlier one from a better source
    q1 = {**filing, "period": "Q1 FY2026", "value": 0.386, "source": {"date": dt.date(2025, 8, 1), "tier": "major"}}
    q2 = {**filing, "period": "Q2 FY2026", "value": 0.403, "source": {"date": dt.date(2025, 10, 31), "tier": "other"}}
    assert latest_fact([q2, q1], "revenue_share_region", "jur_cn")["value"] == 0.403


def test_a_forecast_share_does_not_replace_the_actual_one():
    """ASML's January 2026 guidance for 2026 is a forecast; its 2025 share is what was measured."""
    from capexgraph.graph.build import latest_fact

    jan = {"date": dt.date(2026, 1, 29)}
    actual = {"metric": "revenue_share_region", "value": 0.33, "unit": "fraction", "period": "FY2025",
              "counterparty": "jur_cn", "qualifier": None, "source": jan, "note": "China was 33% of 2025 sales."}
    guided = {**actual, "value": 0.2, "period": "FY2026", "note": "expects about 20% in 2026 (guidance)"}
    assert latest_fact([actual, guided], "revenue_share_region", "jur_cn")["value"] == 0.33
    # a quarter of a fiscal year named by its end year is not a forecast; a full year still wins
    # over it (what a filing reports for the year), and the quarter stands in when no year exists
    q1 = {**actual, "value": 0.386, "period": "Q1 FY2026", "source": {"date": dt.date(2025, 8, 1)}, "note": ""}
    assert latest_fact([actual, q1], "revenue_share_region", "jur_cn")["value"] == 0.33
    assert latest_fact([q1, guided], "revenue_share_region", "jur_cn")["value"] == 0.386
    assert latest_fact([guided], "revenue_share_region", "jur_cn")["value"] == 0.2   # nothing better known
