"""The installed commands as a user's shell runs them: a separate process, the console scripts
that pip installed, real exit codes. (Most CLI tests run `main()` in-process; these keep the
entry points themselves covered.)"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

BIN = Path(sys.executable).parent


def script(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"console script '{name}' is not installed: pip install -e '.[test]'")
    return found


def sh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120)


def test_exposure_script_prints_ranked_json_and_exits_zero():
    r = sh(script("exposure"), "--shock", "taiwan_strait", "--format", "json", "--top", "5")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    rows = out["results"]   # the 5 shown, each with its paths; the count says how many are ranked
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5] and out["ranked"]["losers"] > 5
    assert all(row["paths"] for row in rows)
    assert rows[0]["paths"][0]["nodes"][0] == "jur_tw"   # the seed starts the explaining path


def test_a_user_mistake_exits_two_with_one_line_and_no_traceback():
    r = sh(script("exposure"), "--shock", "taiwan_strat")
    assert r.returncode == 2 and r.stdout == ""
    assert "taiwan_strait" in r.stderr and "Traceback" not in r.stderr


def test_a_missing_dataset_exits_one_without_traceback(tmp_path):
    r = sh(script("capexgraph"), "validate", "--data", str(tmp_path / "nowhere"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "nowhere" in r.stdout + r.stderr


def test_module_entry_points_match_the_scripts():
    for module in ("capexgraph.cli.main", "capexgraph.cli.exposure"):
        r = sh(sys.executable, "-m", module, "--help")
        assert r.returncode == 0 and "usage:" in r.stdout, (module, r.stderr)
    r = sh(script("capexgraph"), "--version")
    assert r.returncode == 0 and r.stdout.strip()
