"""`exposure` on the shipped graph: every scenario runs, and its answers are explained by real data."""
from __future__ import annotations

import csv
import io
import json

import pytest

from capexgraph.graph import load_graph
from capexgraph.queries.scenarios import scenario_library

SCENARIOS = sorted(scenario_library())


def exposure(cli, *args):
    return cli(*args, module="capexgraph.cli.exposure")


def run_json(cli, *args):
    r = exposure(cli, *args, "--format", "json")
    assert r.code == 0, r.err
    return json.loads(r.out)


@pytest.fixture(scope="module")
def g():
    return load_graph()


def test_required_scenarios_exist():
    assert {"export_controls", "power_shortage", "taiwan_strait", "capex_cut", "hbm_shortage",
            "tariffs"} <= set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_runs_and_is_explained_by_data(cli, g, name):
    out = run_json(cli, "--shock", name, "--top", "10")
    results = out["results"]
    assert results, name
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    for r in results[:10]:
        assert r["paths"], (name, r["id"])
        ch = r["channels"]   # the channel split adds up to the loss: operational (the larger of
        # supply and demand) plus what the financial channel adds on top
        assert all(0 <= v <= 1 for v in ch.values())
        assert max(ch.get("supply", 0), ch.get("demand", 0)) + ch.get("financial", 0) == pytest.approx(r["loss"], abs=1e-9)
        for path in r["paths"]:
            nodes = path["nodes"]
            assert nodes[0] in {s["node"] for s in out["shock"]["seeds"]}
            for u, v in zip(nodes, nodes[1:]):
                # every hop is a relationship in the data (either direction: demand and financial
                # shocks travel against the relationship's direction) or a disclosed customer share
                linked = g.has_edge(u, v) or g.has_edge(v, u) or any(
                    f["counterparty"] == u for f in g.nodes[v]["facts"])
                assert linked, (name, u, v)


def test_export_controls_seeds_are_disclosed_china_shares(cli, g):
    """Every vendor's direct hit is its disclosed China share (times the revenue share of its
    accelerator and HBM lines for a chip vendor, its data-center share where it publishes neither;
    times the share of tools the controls cover, as the scenario file assumes, for a toolmaker), as
    the graph picks the figure, and says which filing it comes from."""
    from capexgraph.graph.build import latest_fact
    from capexgraph.queries.scenarios import scenario_library

    tool_rule = next(r for r in scenario_library()["export_controls"].seed_rules
                     if r["select"].get("category") == "semi_equipment")
    covered = tool_rule["magnitude"]["times"]
    assert 0 < covered < 1

    out = run_json(cli, "--shock", "export_controls", "--top", "0")
    losses = {s["node"]: s for s in out["shock"]["seeds"] if s["channel"] == "demand" and s["side"] == "loss"}
    assert {"asml", "applied_materials", "lam_research", "kla", "tokyo_electron", "nvidia"} <= set(losses)
    for node, seed in losses.items():
        facts = g.nodes[node]["facts"]
        china = latest_fact(facts, "revenue_share_region", "jur_cn")
        expected = china["value"]
        if "semi_equipment" not in g.nodes[node]["category"]:
            lines = [f for f in (latest_fact(facts, "revenue_share_product", segment=c, bounds=True)
                                 for c in ("accelerators", "hbm")) if f is not None]
            expected *= (sum(f["value"] for f in lines) if lines
                         else latest_fact(facts, "revenue_share_datacenter", bounds=True)["value"])
        else:
            expected *= covered
            assert "scenario assumption" in seed["why"]
        assert seed["magnitude"] == pytest.approx(expected)
        assert "revenue_share_region jur_cn" in seed["why"] and china["source"]["publisher"] in seed["why"]


def test_export_controls_hit_a_chinese_fab_both_ways(cli):
    """SMIC gains the buyers who switch to domestic chips and loses the tools it buys abroad: both
    show, the loss sized by its recorded toolmakers, so it is no longer the largest gainer."""
    out = run_json(cli, "--shock", "export_controls", "--top", "0")
    seeds = [s for s in out["shock"]["seeds"] if s["node"] == "smic"]
    loss = next(s for s in seeds if s["side"] == "loss")
    assert loss["channel"] == "supply" and 0 < loss["magnitude"] < 0.33
    assert all(v in loss["why"] for v in ("asml", "applied_materials", "lam_research", "tokyo_electron"))
    assert any(s["side"] == "gain" for s in seeds)
    gainers = [r["id"] for r in out.get("gainers", [])]
    assert gainers and gainers[0] != "smic"


def test_capex_cut_hits_suppliers_not_the_hyperscalers(cli):
    out = run_json(cli, "--shock", "capex_cut", "--top", "0")
    by_id = {r["id"]: r for r in out["results"]}
    top10 = [r["id"] for r in out["results"][:10]]
    for h in ("microsoft", "amazon", "alphabet", "meta", "oracle"):
        # they cut, so they transmit: never counted as hit by their own cut, never near the top
        assert h not in top10 and by_id.get(h, {"direct": 0})["direct"] == 0
    assert "coreweave" in by_id and by_id["coreweave"]["channels"]["demand"] > 0


def test_taiwan_strait_reaches_tsmc_and_its_customers(cli):
    out = run_json(cli, "--shock", "taiwan_strait", "--top", "0")
    by_id = {r["id"]: r for r in out["results"]}
    assert by_id["tsmc"]["score"] >= 0.5
    assert by_id["nvidia"]["score"] > 0
    assert any("tsmc" in p["nodes"] for p in by_id["nvidia"]["paths"])


def test_magnitude_presets_are_monotone(cli):
    low = {r["id"]: r["score"] for r in run_json(cli, "--shock", "export_controls", "--magnitude", "optimistic", "--top", "0")["results"]}
    high = {r["id"]: r["score"] for r in run_json(cli, "--shock", "export_controls", "--magnitude", "pessimistic", "--top", "0")["results"]}
    assert set(low) <= set(high)
    assert all(low[k] <= high[k] + 1e-12 for k in low)
    assert sum(high.values()) > sum(low.values())


def test_combined_shocks_dominate_each(cli):
    a = {r["id"]: r["score"] for r in run_json(cli, "--shock", "export_controls", "--top", "0")["results"]}
    both = {r["id"]: r["score"] for r in run_json(cli, "--shock", "export_controls", "--shock", "taiwan_strait", "--top", "0")["results"]}
    assert all(both.get(k, 0) >= v - 1e-12 for k, v in a.items())


def test_explain_contributions_sum_and_cite_sources(cli):
    out = run_json(cli, "--shock", "taiwan_strait", "--explain", "NVDA")
    assert out["id"] == "nvidia"
    assert sum(r["contribution"] for r in out["incoming"]) == pytest.approx(out["propagated"], abs=1e-9)
    assert out["paths"] and 0 < out["paths_cover"] <= 1
    assert out["sources"] and all(s["url"].startswith("http") for s in out["sources"])
    r = exposure(cli, "--shock", "taiwan_strait", "--explain", "NVDA")
    assert r.code == 0 and "Strongest paths" in r.out and "Incoming contributions" in r.out


def test_as_of_uses_the_graph_known_then(cli):
    now = run_json(cli, "--shock", "export_controls", "--top", "0")
    then = run_json(cli, "--shock", "export_controls", "--top", "0", "--as-of", "2023-06-30")
    assert then["shock"]["as_of"] == "2023-06-30"
    assert len(then["results"]) < len(now["results"])


def test_portfolio(cli, tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("ticker,weight\nNVDA,0.5\nGLW,0.3\nTSM,0.2\n", encoding="utf-8")
    out = run_json(cli, "--shock", "taiwan_strait", "--portfolio", book)
    scores = {r["ticker"]: r["score"] for r in out["holdings"]}
    expected = 0.5 * scores["NVDA"] + 0.3 * scores["GLW"] + 0.2 * scores["TSM"]
    assert out["portfolio_exposure"] == pytest.approx(expected)
    assert sum(r["contribution"] for r in out["holdings"]) == pytest.approx(expected)
    book.write_text("ticker,weight\nNVDA,0.5\nNOPE,0.5\n", encoding="utf-8")
    r = exposure(cli, "--shock", "taiwan_strait", "--portfolio", book, "--strict")
    assert r.code == 2 and f"{book}:3: field 'ticker': unknown ticker 'NOPE'" in r.err


def test_a_real_book_is_reported_not_refused(cli, tmp_path):
    """Seven rows as a broker exports them: exchange suffixes, one name the graph does not hold,
    one company on two rows. The report covers what it can, says what it left out, merges the
    duplicate, and its total is the weighted mean of the holdings it shows."""
    book = tmp_path / "book.csv"
    book.write_text("ticker,weight,name\nNVDA,30,Nvidia\n2330.TW,20,TSMC\n005930.KS,10,Samsung\n"
                    "8035.T,10,TEL\nnvda,10,Nvidia again\nWMT,15,Walmart\nAAPL,5,Apple\n", encoding="utf-8")
    out = run_json(cli, "--shock", "taiwan_strait", "--portfolio", book)
    ids = [h["id"] for h in out["holdings"]]
    assert sorted(ids) == ["apple", "nvidia", "samsung", "tokyo_electron", "tsmc"]
    nvda = next(h for h in out["holdings"] if h["id"] == "nvidia")
    assert nvda["tickers"] == ["NVDA", "nvda"] and nvda["weight"] == pytest.approx(40 / 85)
    assert out["coverage"] == pytest.approx(85 / 100)
    assert [u["ticker"] for u in out["unmatched"]] == ["WMT"]
    assert out["portfolio_exposure"] == pytest.approx(sum(h["weight"] * h["score"] for h in out["holdings"]))
    assert sum(h["weight"] for h in out["holdings"]) == pytest.approx(1.0)
    notes = " | ".join(out["notes"])
    assert "2330.TW read as 2330" in notes and "lines 2, 6: one company, weights added" in notes
    assert "WMT (line 7)" in notes and "15% of the weight" in notes
    # each loss is explained from the shock: through Taiwan, or (a toolmaker selling to fabs
    # there) as the holding's own lost sales to Taiwan
    assert all(h["path"][0] == "jur_tw" or h["path"] == [h["id"]] for h in out["holdings"] if h["loss"] > 0)
    tel = next(h for h in out["holdings"] if h["id"] == "tokyo_electron")
    assert tel["loss"] > 0.15 and tel["path"] == ["tokyo_electron"]
    text = exposure(cli, "--shock", "taiwan_strait", "--portfolio", book)
    assert text.code == 0 and "Loss of Taiwan" in text.out and "85% of the weight" in text.out
    ko = exposure(cli, "--shock", "taiwan_strait", "--portfolio", book, "--lang", "ko")
    assert "포트폴리오 노출도" in ko.out and "참고" in ko.out and "엔비디아" in ko.out


def test_formats_and_korean(cli):
    r = exposure(cli, "--shock", "export_controls", "--format", "csv", "--top", "5")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    losers = [x for x in rows if x["side"] == "loss"]
    gainers = [x for x in rows if x["side"] == "gain"]
    assert len(losers) == 5 and 0 < len(gainers) <= 5
    assert {"rank", "id", "score", "loss", "gain", "path"} <= set(rows[0])
    assert all(float(x["score"]) > 0 for x in losers) and all(float(x["score"]) < 0 for x in gainers)
    r = exposure(cli, "--shock", "export_controls", "--format", "markdown", "--top", "5")
    assert r.out.count("\n|") >= 6
    r = exposure(cli, "--shock", "export_controls", "--lang", "ko", "--top", "20")
    assert "노출도" in r.out and "램리서치" in r.out and "도쿄일렉트론" in r.out


def test_unknown_explain_target(cli):
    r = exposure(cli, "--shock", "export_controls", "--explain", "ZZZZ")
    assert r.code == 2 and "unknown company 'ZZZZ'" in r.err


def test_list_shocks(cli):
    r = exposure(cli, "--list-shocks")
    assert r.code == 0
    for name in ("export_controls", "power_shortage", "taiwan_strait", "capex_cut", "hbm_shortage", "tariffs"):
        assert name in r.out


def test_user_scenario_dir(cli, tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "name: my_corning_outage\ntitle: Corning plant outage\nchannels: [supply]\n"
        "seeds:\n  - select: {id: corning}\n    channel: supply\n    magnitude: 0.5\n", encoding="utf-8")
    out = run_json(cli, "--scenario-dir", tmp_path, "--shock", "my_corning_outage", "--top", "0")
    ids = [r["id"] for r in out["results"]]
    assert ids[0] == "corning" and "meta" in ids


def test_consistency_an_explanation_never_contradicts_its_score(cli):
    """A hyperscaler that cuts its own capex only transmits: its explanation shows no 'direct hit'
    path worth the cut beside a direct part of 0; a zero score has no path at all."""
    r = exposure(cli, "--shock", "capex_cut", "--explain", "ORCL", "--format", "json")
    doc = json.loads(r.out)
    assert doc["direct"] == 0 and all(len(p["nodes"]) > 1 for p in doc["paths"])
    assert sum(p["contribution"] for p in doc["paths"]) <= doc["loss"] + 1e-9
    zero = exposure(cli, "--shock", "taiwan_strait", "--explain", "VST", "--format", "json")   # a US generator
    z = json.loads(zero.out)
    assert z["loss"] < 5e-4 and z["paths"] == []


def test_consistency_names_titles_and_language(cli):
    r = exposure(cli, "--shock", "export_control")
    assert r.code == 2 and "(did you mean 'export_controls'?)" in r.err
    r = exposure(cli, "--shock", "capex_cut", "--explain", "Nvidai")
    assert r.code == 2 and "(did you mean 'Nvidia'?)" in r.err
    r = exposure(cli, "--shock", "capex_cut", "--shock", "capex_cut")
    assert r.code == 2 and "named twice" in r.err
    r = exposure(cli, "--shock", "capex_cut", "--magnitude", "1.5", "--top", "3")
    assert "(every seed x1.5)" in r.out.splitlines()[0]
    ko = exposure(cli, "--shock", "capex_cut", "--explain", "엔비디아", "--lang", "ko")
    assert ko.code == 0 and ko.out.startswith("엔비디아 (NVDA): 노출도")
    for word in ("전파", "충격 기점에서 오는 주요 경로", "유입 기여", "관계와 출처"):
        assert word in ko.out
    assert "Strongest paths" not in ko.out and "Incoming contributions" not in ko.out
    # the scenario's own reason is in Korean too (its why_ko), the figures from the data appended
    assert "데이터센터 시장이 줄어든다" in ko.out and "the data-center market shrinks" not in ko.out


def test_every_shipped_seed_rule_gives_its_reason_in_korean():
    """A Korean reader gets every scenario's reasons in Korean: each rule that says why says it twice."""
    from capexgraph.queries.scenarios import scenario_library

    for name, sc in scenario_library().items():
        for rule in sc.seed_rules + sc.gain_rules:
            if rule.get("why"):
                assert rule.get("why_ko"), (name, rule["why"])
                assert any("\uac00" <= ch <= "\ud7a3" for ch in rule["why_ko"]), (name, rule["why_ko"])


def test_every_shipped_scenario_gives_the_same_scores_in_a_batch_as_alone(cli):
    """`exposure --each` runs every shipped scenario in one batch (run_many); each one's rows must
    be the single run's rows, losers and gainers, to 1e-12 (the table rounds; JSON keeps 12 digits)."""
    import numpy as np

    from capexgraph.graph import build_graph
    from capexgraph.ingest import load_records
    from capexgraph.queries.analysis import run_scenarios
    from capexgraph.queries.exposure import run_many
    from capexgraph.queries.scenarios import resolve_seeds
    from capexgraph.queries.weights import derive_weights

    records = load_records()
    g = build_graph(records)
    w = derive_weights(g, records.schema)
    lib = scenario_library([])
    assert len(lib) >= 6
    loss, gain = run_many(w, [(resolve_seeds(sc, g, 1.0, w), sc.channels, sc.cap, sc.scarcest) for sc in lib.values()])
    for j, sc in enumerate(lib.values()):
        alone = run_scenarios(g, w, [sc])
        assert np.abs(loss[:, j] - alone.scores).max() <= 1e-12, sc.name
        assert np.abs(gain[:, j] - alone.gains).max() <= 1e-12, sc.name
    batch = run_json(cli, "--each", "--top", "5")["results"]
    for sc in lib.values():
        alone = run_json(cli, "--shock", sc.name, "--top", "5")
        for side, key in (("loss", "results"), ("gain", "gainers")):
            mine = [(r["id"], r["score"]) for r in batch if r["scenario"] == sc.name and r["side"] == side]
            assert mine == [(r["id"], r["score"]) for r in alone[key]], (sc.name, side)
    for lang, words in (("en", "6 scenarios run one by one"), ("ko", "시나리오 6개")):
        r = cli("--each", "--top", "2", "--format", "markdown", "--lang", lang, module="capexgraph.cli.exposure")
        assert r.code == 0 and words in r.out and "| taiwan_strait |" in r.out, r.err


def test_a_seed_sized_by_a_published_bound_says_it_is_at_most_that(cli):
    """Qualcomm files no data-center revenue of its own, only its nonreportable segments (QGOV and
    the data-center business together, 0.4% of FY2025 revenue): the export-control seed uses that
    bound, says 'at most', and stays tiny beside Nvidia's, as the controls barely touch Qualcomm."""
    seeds = {s["node"]: s for s in run_json(cli, "--shock", "export_controls", "--top", "1")["shock"]["seeds"]}
    q = seeds["qualcomm"]
    assert "at most 0.4%" in q["why"] and "revenue_share_region jur_cn" in q["why"]
    assert 0 < q["magnitude"] < 0.005 < seeds["nvidia"]["magnitude"]
    assert "at most" not in seeds["nvidia"]["why"]   # a published value, not a bound
