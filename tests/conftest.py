"""Shared test helpers: run the real CLI, copy the small fixture dataset."""
from __future__ import annotations

import contextlib
import importlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The session's Neo4j 5.26 servers (started in the background once collection shows they are
# needed), and the hook that reports their skip in one line.
from graph_server import (neo4j_imported, neo4j_instance, pytest_collection_finish,  # noqa: F401
                          pytest_runtest_makereport, pytest_sessionfinish)

FIXTURES = Path(__file__).parent / "fixtures"
# Tests check what a command computes, so each builds its dataset afresh (and writes nothing to
# ~/.cache); the tests of the cache itself turn it on with their own folder.
os.environ["CAPEXGRAPH_CACHE"] = "off"
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_process(*args: str, module: str = "capexgraph.cli.main", cwd: Path | None = None,
                input: str | None = None) -> Result:
    """Run a command-line entry point as a user would: a separate process, real exit code."""
    proc = subprocess.run([sys.executable, "-m", module, *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, input=input, timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_cli(*args: str, module: str = "capexgraph.cli.main", cwd: Path | None = None,
            input: str | None = None) -> Result:
    """Run a command's `main(argv)` in this process, as `python -m MODULE ARGS` would: the same
    parser, exit code (argparse's own exits included), stdout and stderr, without paying the
    interpreter's start and the imports for every call. A few tests use `run_process` to keep
    the real entry points covered."""
    main = importlib.import_module(module).main
    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_stdin = os.getcwd(), sys.stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.StringIO(input or "")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
            except Exception:  # an unhandled error is what a user would see as a traceback
                import traceback

                traceback.print_exc()
                code = 1
    finally:
        os.chdir(old_cwd)
        sys.stdin = old_stdin
    return Result(int(code or 0), out.getvalue(), err.getvalue())


#: The slow tiers, read from what a test uses (or marks itself with): a real browser, a Neo4j
#: server, a separate process (entry points, the built wheel, Node's Cypher linter, stock
#: pySHACL), or minutes of rdflib on the shipped graph. Each also carries `slow`, so
#: `pytest -m "not slow"` is the quick run and `pytest -m neo4j` runs one tier.
TIERS = {"browser": {"browser"}, "neo4j": {"neo4j_instance", "neo4j_imported"},
         "process": {"process", "wheel_site"}, "slow": {"shipped_answers", "shipped_rdf"}}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items) -> None:
    """Mark each test with its tiers before `-m` selects (tryfirst: ahead of the mark plugin)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        tiers = {t for t, needs in TIERS.items() if used & needs}
        tiers |= {m.name for m in item.iter_markers() if m.name in TIERS}
        for tier in sorted(tiers | ({"slow"} if tiers else set())):
            item.add_marker(tier)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def process():
    return run_process


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small, hand-checked dataset in tests/fixtures/mini."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield b
        b.close()
