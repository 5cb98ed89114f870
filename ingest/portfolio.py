"""A user's portfolio file (`ticker,weight`, other columns ignored): holdings checked line by line."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from .user_files import InputError, parse_number, read_csv


def read_portfolio(path: Path | str, lookup: Mapping[str, str]) -> list[tuple[str, float, str]]:
    """(node, weight, ticker as written) per holding. `lookup` maps upper-cased tickers, ids and
    names to node ids. Weights are plain non-negative numbers (short positions are not modelled);
    a company listed twice is refused rather than silently summed or overwritten."""
    table = read_csv(path, "a portfolio file (CSV with columns ticker,weight)", ["ticker", "weight"])
    holdings: list[tuple[str, float, str]] = []
    first: dict[str, int] = {}
    for line, rec in table.rows:
        where = f"{path}:{line}"
        t = rec["ticker"]
        node = lookup.get(t.upper())
        if not node:
            raise InputError(f"{where}: field 'ticker': unknown ticker '{t}'")
        if node in first:
            raise InputError(f"{where}: field 'ticker': '{t}' is already held on line {first[node]}; "
                             f"list each company once")
        first[node] = line
        w = parse_number(rec["weight"], where, "weight", low=0)
        holdings.append((node, w, t))
    if not holdings or sum(w for _, w, _ in holdings) <= 0:
        raise InputError(f"{path}: no holdings with a positive total weight")
    return holdings
