"""YAML reading for every file the package loads: safe (no objects), with libyaml's C parser
where it is installed (ten times faster than the pure-Python one on the scenario library)."""
from __future__ import annotations

from typing import Any, IO

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | bytes | IO) -> Any:
    return yaml.load(stream, Loader=_Loader)  # noqa: S506 - a SafeLoader, C or Python
