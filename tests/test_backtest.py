"""`capexgraph backtest`: the event study a user runs, on the shipped days and on small known ones."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from capexgraph.queries.backtest import MIN_NAMES, rank_agreement

SOURCES = "id,publisher,title,url,date,date_basis\nm1,Example Wire,Chip stocks fall,https://example.com/a,2025-04-17,\n"


def write_events(root: Path, direction: str, moves: dict[str, float], index: float | None = -1.0) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources.csv").write_text(SOURCES, encoding="utf-8")
    (root / "events.csv").write_text(
        "event,date,scenario,direction,set,title,description,source_ids\n"
        f"day1,2025-04-16,export_controls,{direction},development,A test day,,m1\n", encoding="utf-8")
    rows = ["event,ticker,entity,pct_change,basis,source_id,note"]
    rows += [f"day1,{t},{e},{m},quoted,m1," for e, (t, m) in moves.items()]
    if index is not None:
        rows.append(f"day1,^GSPC,,{index},quoted,m1,")
    (root / "moves.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


VENDORS = {"lam_research": ("LRCX", -9.0), "kla": ("KLAC", -8.0), "asml": ("ASML", -7.0),
           "applied_materials": ("AMAT", -6.0), "nvidia": ("NVDA", -4.0), "micron": ("MU", -2.0),
           "apple": ("AAPL", 0.5)}


def test_rank_agreement_is_spearman_and_kendall():
    assert rank_agreement([3, 2, 1], [30, 20, 10]) == {"spearman": 1.0, "kendall": 1.0}
    assert rank_agreement([3, 2, 1], [10, 20, 30]) == {"spearman": -1.0, "kendall": -1.0}
    assert rank_agreement([1, 1, 1], [1, 2, 3]) == {"spearman": None, "kendall": None}


def test_a_day_the_model_ranks_as_the_market_did(cli, tmp_path):
    root = write_events(tmp_path / "ev", "shock", VENDORS)
    r = cli("backtest", root, "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    day = out["events"][0]
    assert day["matched"] == len(VENDORS) >= MIN_NAMES
    # losses are market-adjusted: minus the S&P 500's -1% that day
    lam = next(x for x in day["rows"] if x["entity"] == "lam_research")
    assert lam["adjusted_move"] == pytest.approx(-8.0) and lam["outcome"] == pytest.approx(8.0)
    assert day["model"]["spearman"] > 0.7
    assert out["summary"]["export_controls"]["development"]["scored_events"] == 1


def test_an_easing_day_flips_what_counts_as_right(cli, tmp_path):
    """When restrictions are relaxed the exposed names rise: the same moves with the opposite
    sign score as well on an easing day as the falls score on a shock day."""
    up = {e: (t, -m) for e, (t, m) in VENDORS.items()}
    shock = json.loads(cli("backtest", write_events(tmp_path / "a", "shock", VENDORS), "--format", "json").out)
    easing = json.loads(cli("backtest", write_events(tmp_path / "b", "easing", up, 1.0), "--format", "json").out)
    assert easing["events"][0]["model"]["spearman"] == pytest.approx(shock["events"][0]["model"]["spearman"])


def test_too_few_names_get_no_statistics(cli, tmp_path):
    few = dict(list(VENDORS.items())[:MIN_NAMES - 1])
    out = json.loads(cli("backtest", write_events(tmp_path / "ev", "shock", few), "--format", "json").out)
    assert out["events"][0]["scored"] is False and out["events"][0]["model"] == {}


def test_a_broken_events_file_names_file_line_and_field(cli, tmp_path):
    root = write_events(tmp_path / "ev", "shock", VENDORS)
    moves = root / "moves.csv"
    moves.write_text(moves.read_text(encoding="utf-8").replace("-9.0", "about nine"), encoding="utf-8")
    events = root / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",shock,", ",crash,"), encoding="utf-8")
    r = cli("backtest", root)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{events}:2: field 'direction': 'crash' is not one of shock, easing" in r.err
    r = cli("backtest", tmp_path / "nowhere")
    assert r.code == 2 and "no such folder" in r.err


def test_the_shipped_days_report_both_sets(cli):
    r = cli("backtest", "--format", "json")
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert set(out["summary"]) == {"capex_cut", "export_controls"}
    for scenario in out["summary"].values():
        assert set(scenario) == {"development", "held_aside"}
        assert scenario["development"]["events"] and scenario["held_aside"]["events"]
    for day in out["events"]:
        for row in day["rows"]:
            assert row["source"] and row["entity"]
    r = cli("backtest", "--shock", "capex_cut", "--format", "markdown")
    assert r.code == 0 and "| event |" in r.out and "By set" in r.out
