"""Objects built from a dataset, kept between runs while nothing they were built from changed.

Reading, validating, building and weighing the shipped dataset costs about 0.2 s, most of a
command that then answers in a few milliseconds; an analyst runs `exposure` again and again on
the same files. The key is everything the objects depend on: the bytes of the dataset's tables,
the package's model files (schema.yaml, exposure.yaml) and the size and modification time of its
code, the options and today's date (validation refuses future dates). Change any of them and the
objects are rebuilt. Only successful builds are kept, so a dataset with problems is checked, and
refused, on every run.

Where: `$CAPEXGRAPH_CACHE`, else `$XDG_CACHE_HOME/capexgraph`, else `~/.cache/capexgraph`;
`CAPEXGRAPH_CACHE=off` turns it off. A cache that cannot be written (a read-only home) or read
(a damaged file) is ignored: the objects are built as if it were not there.

>>> import tempfile
>>> folder = tempfile.TemporaryDirectory()
>>> calls = []
>>> build = lambda: calls.append(1) or {"built": len(calls)}
>>> [cached("demo", [k], build, Path(folder.name)) for k in ("a", "a", "b")]
[{'built': 1}, {'built': 1}, {'built': 2}]
>>> folder.cleanup()
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from ..ingest.atomic import OutputError, write_bytes

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent.parent
_CODE = ("ingest", "graph", "queries")
KEEP = 8   # entries kept per kind; older ones are removed


def cache_dir() -> Path | None:
    env = os.environ.get("CAPEXGRAPH_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "capexgraph"


def code_stamp() -> list[str]:
    """What the package's own code and model files are, cheaply: size and mtime of each file."""
    out = []
    for sub in _CODE:
        for p in sorted((_PACKAGE / sub).glob("*.py")):
            st = p.stat()
            out.append(f"{sub}/{p.name}:{st.st_size}:{st.st_mtime_ns}")
    for name in ("schema.yaml", "exposure.yaml"):
        p = _PACKAGE / "data" / name
        if p.exists():
            out.append(f"{name}:{hashlib.sha256(p.read_bytes()).hexdigest()}")
    return out


def files_digest(paths: Iterable[Path]) -> list[str]:
    """The bytes of the files a build reads (absent files count as absent)."""
    out = []
    for p in paths:
        out.append(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}" if p.exists() else f"{p.name}:-")
    return out


def cached(kind: str, key_parts: list[str], build: Callable[[], T], root: Path | None = None) -> T:
    """`build()`'s result, from the cache when `key_parts` (and the code) are unchanged."""
    root = root or cache_dir()
    if root is None:
        return build()
    key = hashlib.sha256("\n".join([kind, *key_parts, *code_stamp()]).encode()).hexdigest()[:32]
    path = root / f"{kind}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:   # absent, damaged or from another version: build it again
        pass
    value = build()
    _store(root, kind, path, value)
    return value


def _store(root: Path, kind: str, path: Path, value: Any) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        # readers see the old file or the whole new one, never half of it
        write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        old = sorted(root.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in old[KEEP:]:
            p.unlink(missing_ok=True)
    except (OSError, OutputError):
        pass
