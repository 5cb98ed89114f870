"""The docstring examples of every module that carries them run and hold (found, not listed)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import capexgraph


def _modules_with_examples() -> list[str]:
    found = []
    for pkg in ("ingest", "graph", "queries", "viz"):
        mod = importlib.import_module(f"capexgraph.{pkg}")
        for info in pkgutil.iter_modules(mod.__path__, f"capexgraph.{pkg}."):
            spec = importlib.util.find_spec(info.name)
            if spec and spec.origin and ">>> " in Path(spec.origin).read_text(encoding="utf-8"):
                found.append(info.name)
    return sorted(found)


MODULES = _modules_with_examples()


def test_examples_are_found():
    assert "capexgraph.queries.propagation" in MODULES and "capexgraph.ingest.user_files" in MODULES
    assert capexgraph.__name__ == "capexgraph"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
