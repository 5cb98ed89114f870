"""Shared command-line plumbing: dataset options, date parsing and clean error exits."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, Callable, Mapping

from capexgraph.ingest import DataError
from capexgraph.ingest.user_files import InputError


class UsageError(Exception):
    """A user mistake in the command line or an input file: one line, exit code 2."""


def as_of_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


#: Named magnitudes for scenario runs: `--magnitude optimistic|neutral|pessimistic` or a number.
MAGNITUDE_PRESETS = {"optimistic": 0.5, "neutral": 1.0, "pessimistic": 1.5}


def magnitude(text: str) -> float:
    """argparse type for --magnitude: a preset name or a non-negative number."""
    if text in MAGNITUDE_PRESETS:
        return MAGNITUDE_PRESETS[text]
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number or one of {', '.join(MAGNITUDE_PRESETS)}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("magnitude must be >= 0")
    return value


def tolerance(text: str) -> float:
    """argparse type for --tol: a convergence threshold between 0 and 0.001 (exclusive of 0)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number (try 1e-9)") from None
    if not 0 < value <= 1e-3:
        raise argparse.ArgumentTypeError("tolerance must be above 0 and at most 0.001 (try 1e-9)")
    return value


def add_dataset_options(p: argparse.ArgumentParser, as_of: bool = True) -> None:
    p.add_argument("--data", type=Path, metavar="DIR",
                   help="dataset folder with entities/relationships/sources/facts.csv "
                        "(default: the dataset shipped with capexgraph)")
    if as_of:
        p.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                       help="only what had been announced by this date")


def run_guarded(func: Callable[[], int]) -> int:
    """Turn user mistakes into one clear message and a non-zero exit, never a traceback."""
    try:
        return func()
    except DataError as exc:
        print(exc.summary(), file=sys.stderr)
        return 1
    except (UsageError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def library_query(lib: Mapping[str, Any], action: str, name: str | None, kind: str) -> Any:
    """The query a `cypher|sparql show|run NAME` names, or a UsageError listing the valid names."""
    if not name:
        raise UsageError(f"{kind} {action} needs a query name; valid: {', '.join(lib)}")
    if name not in lib:
        raise UsageError(f"unknown query '{name}'; valid: {', '.join(lib)}")
    return lib[name]


def library_command(lib: Mapping[str, Any], args: argparse.Namespace, kind: str, hint: str,
                    text: Callable[[Any], str]) -> Any:
    """The `list` and `show` actions both query libraries share: printed here (None returned);
    for `run`, the named query."""
    if args.action == "list" or args.action is None:
        list_library(lib, hint)
        return None
    q = library_query(lib, args.action, args.name, kind)
    if args.action == "show":
        body = text(q)
        print(body, end="" if body.endswith("\n") else "\n")
        return None
    return q


def list_library(lib: Mapping[str, Any], hint: str) -> None:
    """Print a query library as a table of name, parameters and what each answers."""
    from .render import table

    rows = [[q.name, ", ".join(q.params) or "-", q.description[:90]] for q in lib.values()]
    print(table(["name", "parameters", "what it answers"], rows))
    print(f"\n{len(lib)} queries. {hint}")


def param_overrides(items: list[str] | None) -> dict[str, str]:
    """`--param NAME=VALUE` options as a dict (a missing '=' is a usage error)."""
    overrides: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"--param '{item}': write NAME=VALUE")
        k, v = item.split("=", 1)
        overrides[k.strip()] = v
    return overrides
