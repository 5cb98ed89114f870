"""Outputs never destroy what they did not write, write all or nothing, and carry any name.

Each test drives the real CLI in-process (the `cli` fixture) and checks what a user sees: the
exit code, the one line on stderr naming the path, the user's own files byte-for-byte, no
temporary file left, and well-formed output (or none) whatever the entity names hold.
"""
from __future__ import annotations

import csv
import errno
import json
import os
import re
import shutil
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, run_cli
from test_viz_html import Page, _check_clean  # the Chromium fixture `browser` is in conftest.py
from capexgraph.ingest import atomic
from capexgraph.ingest.atomic import (MANIFEST, TMP_PREFIX, OutputError, all_or_nothing, atomic_dir,
                                      atomic_file, write_text)

SHOCK = "capex_cut"  # exposes three of the mini dataset's companies, Nvidia among them
MINI_NODES = 7


# --- helpers ----------------------------------------------------------------------------------
def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative name -> bytes): 'unchanged' means equal snapshots."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(TMP_PREFIX))


def one_line_error(r, code: int = 2, *words: str) -> None:
    assert r.code == code, (r.code, r.out, r.err)
    assert "Traceback" not in r.err
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    for w in words:
        assert w in lines[0], lines[0]


def rename_entity(data: Path, name: str, field: str = "name", row: int = 0) -> None:
    """Give the `row`-th entity of a dataset copy a new `field` value (written as valid CSV)."""
    path = data / "entities.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[row][field] = name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def page_data(html_text: str) -> dict:
    """The page's JSON data block, parsed."""
    m = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html_text, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def carries(data: dict, node: str, name: str) -> bool:
    """The page's node `node` carries `name` (its search text holds every name, casefolded)."""
    return any(n["id"] == node and name.casefold() in n["q"] for n in data["nodes"])


# --- 1. folder outputs refuse a folder they did not write -------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "neo4j-admin"])
def test_folder_output_refuses_a_folder_holding_the_users_files(cli, mini, tmp_path, fmt):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (out / "nodes.csv").write_bytes(b"my own nodes.csv, not capexgraph's\n")
    before = snapshot(tmp_path)
    r = cli("export", "--format", fmt, "--out", out, "--data", mini)
    one_line_error(r, 2, f"--out {out}", "did not write", "nodes.csv", "notes.txt", "--force")
    assert r.out == ""
    assert snapshot(tmp_path) == before  # the user's files byte-for-byte, nothing added
    assert temps(tmp_path) == []


@pytest.mark.parametrize("fmt", ["csv", "neo4j-admin"])
def test_force_replaces_the_folder_with_exactly_our_output(cli, mini, tmp_path, fmt):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n", encoding="utf-8")
    r = cli("export", "--format", fmt, "--out", out, "--data", mini, "--force")
    assert r.code == 0, r.err
    names = sorted(p.name for p in out.iterdir())
    assert "notes.txt" not in names and MANIFEST in names and "nodes.csv" in names
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(listed) == sorted(n for n in names if n != MANIFEST)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "mini"]  # no temp left beside it


def test_our_own_folder_output_is_replaced_but_not_once_edited(cli, mini, tmp_path):
    out = tmp_path / "csv"
    assert cli("export", "--format", "csv", "--out", out, "--data", mini).code == 0
    rename_entity(mini, "Nvidia Renamed")
    assert cli("export", "--format", "csv", "--out", out, "--data", mini).code == 0  # ours: replaced
    assert "Nvidia Renamed" in (out / "nodes.csv").read_text(encoding="utf-8")
    with open(out / "nodes.csv", "a", encoding="utf-8") as fh:  # the user edits our output
        fh.write("my,row\n")
    before = snapshot(out)
    r = cli("export", "--format", "csv", "--out", out, "--data", mini)
    one_line_error(r, 2, str(out), "nodes.csv (changed since capexgraph wrote it)")
    assert snapshot(out) == before
    (out / "extra.txt").write_text("x", encoding="utf-8")
    one_line_error(cli("export", "--format", "csv", "--out", out, "--data", mini), 2, "extra.txt")


def test_an_empty_folder_is_fine(cli, mini, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert cli("export", "--format", "csv", "--out", out, "--data", mini).code == 0
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "edges.csv", "nodes.csv"]


def test_a_file_output_replaces_the_named_file_and_leaves_its_neighbours(cli, mini, tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    out = tmp_path / "g.json"
    out.write_text("old", encoding="utf-8")
    assert cli("export", "--format", "json", "--out", out, "--data", mini).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["nodes"]
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert temps(tmp_path) == []


def test_force_never_replaces_the_current_folder_or_a_link(cli, mini, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.txt").write_text("x", encoding="utf-8")
    r = cli("export", "--format", "csv", "--out", ".", "--data", mini, "--force", cwd=work)
    one_line_error(r, 2, "--out .", "current or home folder")
    link = tmp_path / "link"
    link.symlink_to(work, target_is_directory=True)
    one_line_error(cli("export", "--format", "csv", "--out", link, "--data", mini, "--force"), 2,
                   f"--out {link}", "symbolic link")
    assert sorted(p.name for p in work.iterdir()) == ["mine.txt"]


# --- 2./3. one atomic module: failures leave nothing, stale temporaries are swept ------------
def test_a_failing_block_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "g.txt"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_file(out) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("killed midway")
    with pytest.raises(RuntimeError):
        with atomic_dir(tmp_path / "d") as tmp:
            (tmp / "a.csv").write_text("half", encoding="utf-8")
            raise RuntimeError("killed midway")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.txt"]
    assert out.read_text(encoding="utf-8") == "old"
    with pytest.raises(OutputError, match="folder .*missing does not exist"):
        write_text(tmp_path / "missing" / "x.txt", "x")


def test_stale_temporaries_of_ours_are_swept_and_nothing_else(cli, mini, tmp_path):
    old = time.time() - 2 * atomic.STALE_AFTER
    stale_file = tmp_path / f"{TMP_PREFIX}abc-g.json"
    stale_dir = tmp_path / f"{TMP_PREFIX}def-csv"
    young = tmp_path / f"{TMP_PREFIX}ghi-g.json"   # may be a run in progress: kept
    foreign = tmp_path / ".g.json.x1y2.tmp"          # not our prefix: never touched
    user = tmp_path / "capexgraph-tmp-notes.txt"
    stale_dir.mkdir()
    (stale_dir / "nodes.csv").write_text("x", encoding="utf-8")
    for p in (stale_file, young, foreign, user):
        p.write_text("x", encoding="utf-8")
    for p in (stale_file, stale_dir, foreign, user):
        os.utime(p, (old, old))
    assert cli("export", "--format", "json", "--out", tmp_path / "g.json", "--data", mini).code == 0
    assert not stale_file.exists() and not stale_dir.exists()
    assert young.exists() and foreign.exists() and user.exists()


def test_all_or_nothing_rolls_back_when_a_later_move_fails(tmp_path, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a", encoding="utf-8")
    real = os.replace

    def flaky(src, dst):
        if Path(dst) == b:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)
    monkeypatch.setattr(atomic.os, "replace", flaky)
    with pytest.raises(OutputError, match=f"cannot write {re.escape(str(b))}: No space left"):
        with all_or_nothing():
            write_text(a, "new a")
            write_text(b, "new b")
    assert a.read_text(encoding="utf-8") == "old a" and not b.exists()
    assert temps(tmp_path) == []


def test_one_implementation_of_atomic_writes():
    """graph/ and viz/ write through ingest/atomic.py: no other mkstemp/mkdtemp + replace."""
    pkg = Path(__file__).resolve().parent.parent
    for folder in ("graph", "viz"):
        for py in (pkg / folder).glob("*.py"):
            text = py.read_text(encoding="utf-8")
            assert not re.search(r"mkstemp|mkdtemp|os\.replace|shutil\.rmtree", text), py


# --- 4. multi-output commands write all or nothing --------------------------------------------
def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_exposure_outputs_all_or_nothing_when_the_chart_fails(cli, mini, tmp_path, monkeypatch):
    import capexgraph.viz.chart as chart

    html, png, ttl = tmp_path / "a.html", tmp_path / "b.png", tmp_path / "c.ttl"
    ttl.write_text("my old scores", encoding="utf-8")
    monkeypatch.setattr(chart, "render_chart", _disk_full)
    r = cli("--shock", SHOCK, "--data", mini, "--html", html, "--chart", png, "--rdf", ttl,
            module="capexgraph.cli.exposure")
    one_line_error(r, 2, f"cannot write {png}", "No space left")
    assert not html.exists() and not png.exists()
    assert ttl.read_text(encoding="utf-8") == "my old scores"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.ttl", "mini"]


def test_exposure_outputs_wait_for_the_rest_of_the_command(cli, mini, tmp_path):
    html, ttl = tmp_path / "a.html", tmp_path / "c.ttl"
    r = cli("--shock", SHOCK, "--data", mini, "--html", html, "--rdf", ttl, "--explain", "no-such-co",
            module="capexgraph.cli.exposure")
    one_line_error(r, 2, "unknown company 'no-such-co'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini"]
    r = cli("--shock", SHOCK, "--data", mini, "--html", html, "--rdf", ttl, module="capexgraph.cli.exposure")
    assert r.code == 0, r.err
    assert f"wrote {html}" in r.err and f"wrote {ttl}" in r.err
    assert page_data(html.read_text(encoding="utf-8"))["nodes"] and ttl.read_text(encoding="utf-8")


def test_viz_page_and_chart_all_or_nothing(cli, mini, tmp_path, monkeypatch):
    import capexgraph.viz.chart as chart

    page, png = tmp_path / "g.html", tmp_path / "g.png"
    monkeypatch.setattr(chart, "render_chart", _disk_full)
    r = cli("viz", "--out", page, "--shock", SHOCK, "--chart", png, "--data", mini)
    one_line_error(r, 2, f"cannot write {png}")
    assert r.out == "" and sorted(p.name for p in tmp_path.iterdir()) == ["mini"]


# --- 5. formats escape what they carry ---------------------------------------------------------
HOSTILE_PAGE_NAME = '/*__DATA__*/ /*__VIS__*/ __TITLE_TEXT__ </script><b>"&\''


def test_a_name_that_spells_a_placeholder_stays_text(cli, mini, tmp_path):
    rename_entity(mini, HOSTILE_PAGE_NAME)
    page = tmp_path / "g.html"
    r = cli("viz", "--out", page, "--data", mini, "--title", "__UI_FIND__ /*__DATA__*/", "--focus", "NVDA")
    assert r.code == 0, r.err
    text = page.read_text(encoding="utf-8")
    data = page_data(text)
    assert len(data["nodes"]) == MINI_NODES and carries(data, "nvidia", HOSTILE_PAGE_NAME)
    assert data["title"] == "__UI_FIND__ /*__DATA__*/"
    assert "<title>__UI_FIND__ /*__DATA__*/</title>" in text
    assert text.count("</script>") == 3  # vis-network, the data, the page script


def test_browser_renders_a_page_with_a_placeholder_name(cli, mini, tmp_path, browser):
    rename_entity(mini, HOSTILE_PAGE_NAME)
    page = tmp_path / "g.html"
    assert cli("viz", "--out", page, "--data", mini).code == 0
    p = Page(browser, page)
    try:
        _check_clean(p)
        assert p.counts()["drawnNodes"] == MINI_NODES
        assert HOSTILE_PAGE_NAME.casefold() in p.js("() => window.capexgraph.nodes.get('nvidia').q")
    finally:
        p.close()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("char, described", [("\x0b", "U+000B (vertical tab)"), ("\x1b", "U+001B (escape)"),
                                              ("\ufffe", "U+FFFE (non-character)")])
def test_xml_exports_refuse_characters_xml_forbids(cli, mini, tmp_path, fmt, char, described):
    """Two guards: validate refuses the dataset (file, line, field), and the writer itself refuses
    a graph built some other way (an RDF import, a program) naming entity and field."""
    from capexgraph.graph import load_graph, write_graph

    rename_entity(mini, f"Nvidia{char}Corp")
    out = tmp_path / f"g.{fmt}"
    out.write_bytes(b"the user's previous export")
    r = cli("export", "--format", fmt, "--out", out, "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "entities.csv:2: field 'name'" in r.err and described in r.err
    assert out.read_bytes() == b"the user's previous export" and temps(tmp_path) == []
    g = load_graph(FIXTURES / "mini")
    g.nodes["nvidia"]["name"] = f"Nvidia{char}Corp"
    with pytest.raises(OutputError) as err:
        write_graph(g, fmt, out)
    for words in (f"cannot write {out}", "entity 'nvidia'", "field 'name'", described):
        assert words in str(err.value)
    assert out.read_bytes() == b"the user's previous export" and temps(tmp_path) == []


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_carry_markup_characters_well_formed(cli, mini, tmp_path, fmt):
    name = '<Nvidia & "Co"> \u200f\U0001F600 $x$'
    rename_entity(mini, name)
    out = tmp_path / f"g.{fmt}"
    assert cli("export", "--format", fmt, "--out", out, "--data", mini).code == 0
    values = {v for el in ET.parse(out).iter() for v in (el.text, *el.attrib.values())}
    assert name in values


def test_chart_labels_are_plain_text(cli, mini, tmp_path):
    rename_entity(mini, "Nvidia $_$ and $$")  # '$' pairs crashed mathtext (\x0b: refused by validate)
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    r = cli("--shock", SHOCK, "--data", mini, "--chart", png, module="capexgraph.cli.exposure")
    assert r.code == 0, r.err
    assert png.read_bytes()[:4] == b"\x89PNG"
    r = cli("viz", "--out", tmp_path / "g.html", "--shock", SHOCK, "--chart", svg, "--data", mini)
    assert r.code == 0, r.err
    ET.parse(svg)  # well-formed XML


# --- 6. hostile names, generated ---------------------------------------------------------------
HOSTILE = ['"', "'", "<", ">", "&", "$", "/*__DATA__*/", "/*__VIS__*/", "__LANG__", "\x00", "\x0b",
           "\x0c", "\x1b", "\ufffe", "\uffff", "\u200f", "\u202e", "\U0001F600", "\n", "\t", ";", ",",
           " ", "a", "엔비디아"]


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    """A folder for the generated examples (module scope: hypothesis reruns the test body)."""
    return tmp_path_factory.mktemp("fuzz")


def _outcome_ok(r, out: Path) -> bool:
    """Success, or a clean refusal: exit 2 and one line, or exit 1 and the data problems."""
    assert "Traceback" not in r.err, r.err
    if r.code == 0:
        return True
    assert r.code in (1, 2), (r.code, r.err)
    lines = r.err.strip().splitlines()
    if r.code == 2:
        assert len(lines) == 1, r.err
    else:
        assert re.match(r"\d+ problems? in the data:$", lines[0]), r.err
        assert all(line.startswith("  ") for line in lines[1:]), r.err
    assert not out.exists(), out
    return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6).map("".join),
       st.sampled_from(["name", "name_ko", "note"]))
def test_generated_hostile_names_give_well_formed_output_or_one_clear_error(fuzz_root, name, field):
    work = Path(tempfile.mkdtemp(dir=fuzz_root))
    try:
        data = work / "mini"
        shutil.copytree(FIXTURES / "mini", data)
        rename_entity(data, name, field)
        for fmt, check in (("graphml", ET.parse), ("gexf", ET.parse),
                           ("json", lambda p: json.loads(p.read_text(encoding="utf-8"))),
                           ("ttl", _parse_ttl)):
            out = work / f"g.{fmt}"
            if _outcome_ok(run_cli("export", "--format", fmt, "--out", out, "--data", data), out):
                check(out)
        page = work / "g.html"
        if _outcome_ok(run_cli("viz", "--out", page, "--data", data), page):
            assert len(page_data(page.read_text(encoding="utf-8"))["nodes"]) == MINI_NODES
        assert temps(work) == []
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _parse_ttl(path: Path) -> None:
    from rdflib import Graph

    assert len(Graph().parse(path, format="turtle")) > 0

