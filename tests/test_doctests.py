"""The docstring examples of the modules that carry them run and hold."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["capexgraph.queries.propagation", "capexgraph.queries.layers", "capexgraph.queries.terms",
           "capexgraph.queries.backtest", "capexgraph.ingest.fx",
           "capexgraph.ingest.text_checks"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
