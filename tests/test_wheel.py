"""The built wheel, not the editable checkout: what a user gets from `pip install capexgraph-*.whl`
must hold the shipped dataset, scenarios and query libraries and run the main job from anywhere."""
from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory):
    """Build the wheel from the checkout and install it (not editable) into a fresh virtualenv.

    The virtualenv borrows this interpreter's installed dependencies through a `.pth` line (a
    plain path: the editable install's own `.pth` hook is not run from there, so `capexgraph`
    can only come from the wheel); `test_the_wheel_declares_what_it_imports` checks that the
    wheel's metadata names those dependencies, which is what a real `pip install` would fetch."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"),
                            str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp / "dist").glob("capexgraph-*.whl"))
    env = tmp / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site_dir = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                   capture_output=True, text=True, check=True).stdout.strip())
    (site_dir / "_capexgraph_test_deps.pth").write_text(
        "\n".join(p for p in site.getsitepackages() if Path(p).is_dir()) + "\n")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                                "--no-deps", str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]
    return wheel, env, tmp


def _run(env: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("CAPEXGRAPH_") and k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run([str(env / "bin" / "python"), *args], cwd=cwd, env=clean, capture_output=True,
                          text=True)


def test_the_wheel_carries_every_shipped_file(wheel_site):
    wheel, _, _ = wheel_site
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*")
               if p.is_file() and p.suffix in {".csv", ".yaml"}]
    assert shipped
    missing = [p for p in shipped if f"capexgraph/data/{p}" not in names]
    assert not missing, missing
    for folder, ext in (("queries/sparql", ".rq"), ("queries/cypher", ".cypher")):
        for p in (ROOT / folder).glob(f"*{ext}"):
            assert f"capexgraph/{folder}/{p.name}" in names, p.name
    assert "capexgraph/graph/ontology.ttl" in names


def _imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_wheel_declares_what_it_imports(wheel_site):
    """A fresh `pip install` fetches only what the metadata names: every third-party module the
    packaged code imports must belong to a declared requirement (extras count for the dev tools)."""
    wheel, _, _ = wheel_site
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        imported = set().union(*(_imports(z.read(n).decode()) for n in z.namelist() if n.endswith(".py")))
    norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    declared = {norm(re.split(r"[ ;<>=!~\[(]", line.split(":", 1)[1].strip())[0])
                for line in meta.splitlines() if line.startswith("Requires-Dist:")}
    third_party = imported - set(sys.stdlib_module_names) - {"capexgraph", "__future__"}
    owners = importlib.metadata.packages_distributions()
    undeclared = {m: owners.get(m) for m in third_party
                  if not any(norm(d) in declared for d in owners.get(m, []))}
    assert "networkx" in third_party and "neo4j" in third_party
    assert not undeclared, undeclared


def test_the_installed_wheel_runs_the_main_job_outside_the_checkout(wheel_site):
    _, env, tmp = wheel_site
    where = _run(env, tmp, "-c", "import capexgraph; print(capexgraph.__file__)")
    assert where.returncode == 0 and where.stdout.strip().startswith(str(env)), where.stdout + where.stderr
    r = _run(env, tmp, "-m", "capexgraph.cli.exposure", "--shock", "export_controls", "--top", "10",
             "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    top = [x["id"] for x in out["results"][:10]]
    assert "nvidia" in top and all(x["paths"] for x in out["results"][:10])
    # the console script the wheel installs
    script = env / "bin" / "exposure"
    assert script.exists()
    r = subprocess.run([str(script), "--list-shocks"], cwd=tmp, capture_output=True, text=True,
                       env={k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}})
    assert r.returncode == 0 and "export_controls" in r.stdout, r.stderr


#: What a user runs first from an installed copy: every command that reads packaged files
#: (schema, scenarios, ontology and shapes, query libraries, page template), in one process of the
#: installed code so the check costs one start-up, not fifteen.
DRIVER = r"""
import contextlib, io, json, sys
from pathlib import Path
from capexgraph.cli.main import main
out = Path(sys.argv[1])
runs = [["validate"], ["stats"], ["shacl"], ["cypher", "list"], ["sparql", "list"],
        ["viz", "--out", str(out / "g.html")],
        ["viz", "--out", str(out / "s.html"), "--shock", "taiwan_strait"]]
for fmt, name in (("json", "g.json"), ("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "csv"),
                  ("ttl", "g.ttl"), ("jsonld", "g.jsonld"), ("nt", "g.nt"), ("neo4j-admin", "admin")):
    runs.append(["export", "--format", fmt, "--out", str(out / name)])
codes = {}
for args in runs:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code
    codes[" ".join(args[:2])] = [code or 0, buf.getvalue()[-5000:]]
print(json.dumps(codes))
"""


def test_the_installed_wheel_validates_exports_draws_and_lists_its_queries(wheel_site):
    _, env, tmp = wheel_site
    out = tmp / "out"
    out.mkdir()
    r = _run(env, tmp, "-c", DRIVER, str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    codes = json.loads(r.stdout.strip().splitlines()[-1])
    failed = {k: v for k, v in codes.items() if v[0] != 0}
    assert not failed, failed
    assert "conforms" in codes["shacl"][1].lower() or "0 violation" in codes["shacl"][1].lower(), codes["shacl"]
    assert "suppliers_of" in codes["cypher list"][1] and "suppliers_of" in codes["sparql list"][1]
    assert "relationships" in codes["stats"][1]
    for name in ("g.json", "g.graphml", "g.gexf", "g.ttl", "g.jsonld", "g.nt", "g.html", "s.html"):
        assert (out / name).stat().st_size > 1000, name
    assert (out / "csv" / "edges.csv").exists() and any((out / "admin").iterdir())
