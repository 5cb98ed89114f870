"""User mistakes in `exposure`: one clear line, exit code 2, no traceback, nothing else printed."""
from __future__ import annotations

import pytest

from conftest import FIXTURES

REF = FIXTURES / "reference"


def exposure(cli, *args):
    return cli(*args, module="capexgraph.cli.exposure")


def check_error(r, *words):
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.err and r.out == ""
    for w in words:
        assert w in r.err, r.err


def test_unknown_shock_lists_valid_names(cli):
    r = exposure(cli, "--shock", "export_control")
    check_error(r, "unknown shock 'export_control'", "export_controls", "taiwan_strait", "capex_cut")


def test_no_shock_named(cli):
    check_error(exposure(cli), "name a shock")


def test_malformed_scenario_yaml(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nseeds: [unclosed\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad), str(bad), "not valid YAML")


def test_a_key_written_twice_in_a_scenario_is_refused_with_its_line(cli, tmp_path):
    """YAML keeps the second of two equal keys and drops the first silently: a reason pasted twice
    under one rule would replace another rule's reason. It is an error, with both lines."""
    bad = tmp_path / "twice.yaml"
    bad.write_text("name: x\nchannels: [supply]\nseeds:\n  - select: {id: a}\n    magnitude: 0.5\n"
                   "    why: one\n    why: two\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad),
                str(bad), "line 7: key 'why' appears twice", "first on line 6")


def test_scenario_with_bad_magnitude(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchannels: [supply]\nseeds: {a: lots}\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad),
                "field 'seeds'", "magnitude of 'a'")


def test_scenario_with_unknown_channel(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchannels: [credit]\nseeds: {a: 1}\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad), "field 'channels'")


def test_scenario_seed_not_in_network(cli, tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("name: x\nchannels: [supply]\nseeds: {zz: 1}\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad), "seed 'zz'")


def test_edge_list_errors_name_row_and_field(cli, tmp_path):
    edges = tmp_path / "e.csv"
    edges.write_text("source,target,channel,weight\na,b,supply,0.5\nb,c,supply,heavy\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", edges, "--scenario", REF / "debtrank_seed_c.yaml"),
                f"{edges}:3: field 'weight': 'heavy' is not a number")
    edges.write_text("source,target,channel,weight\na,b,credit,0.5\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", edges, "--scenario", REF / "debtrank_seed_c.yaml"),
                f"{edges}:2: field 'channel'")
    edges.write_text("from,to,weight\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", edges, "--scenario", REF / "debtrank_seed_c.yaml"), "missing column")


def test_graph_without_scenario(cli):
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv"), "--graph needs --scenario")


@pytest.mark.parametrize("value", ["-1", "huge"])
def test_bad_magnitude_option(cli, value):
    r = exposure(cli, "--shock", "capex_cut", "--magnitude", value)
    assert r.code == 2 and "Traceback" not in r.err and "--magnitude" in r.err


def test_a_misspelled_scenario_key_gets_a_did_you_mean(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchanels: [supply]\nseeds: {a: 0.5}\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad),
                "unknown key 'chanels' (did you mean 'channels'?)")
    bad.write_text("name: x\nchannels: [supply]\ncap: 'false'\nseeds: {a: 0.5}\n", encoding="utf-8")
    check_error(exposure(cli, "--graph", REF / "debtrank_edges.csv", "--scenario", bad),
                "field 'cap': use true or false")


def test_the_same_shock_twice_is_refused(cli):
    check_error(exposure(cli, "--shock", "export_controls", "--shock", "export_controls"),
                "shock 'export_controls' is named twice")


@pytest.mark.parametrize("value, words", [("0", "above 0"), ("1", "at most 0.001"), ("tight", "not a number")])
def test_a_tolerance_out_of_range_is_refused(cli, value, words):
    check_error(exposure(cli, "--shock", "capex_cut", "--tol", value), "--tol", words)
