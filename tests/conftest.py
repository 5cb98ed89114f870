"""Shared test helpers: run the real CLI, copy the small fixture dataset."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, module: str = "capexgraph.main", cwd: Path | None = None,
            input: str | None = None) -> Result:
    """Run a command-line entry point as a user would: a separate process, real exit code."""
    proc = subprocess.run([sys.executable, "-m", module, *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, input=input, timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small, hand-checked dataset in tests/fixtures/mini."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest
