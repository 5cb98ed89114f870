"""A user's portfolio file (`ticker,weight`, other columns ignored): holdings checked line by line
and matched to the graph's companies.

A broken value is an error (an empty, negative, infinite or non-numeric weight); a ticker the graph
does not know, an exchange suffix and a company listed twice are facts about the book, reported
beside the result: an analyst's real book holds names outside any dataset, and one of them must
not throw the whole report away (`strict` makes them errors).

>>> book = parse_book([(2, "2330.TW", "3"), (3, "NVDA", "5"), (4, "nvda", "2"), (5, "XYZ", "1")],
...                   {"2330": "tsmc", "nvda": "nvidia"}, "book.csv")
>>> [(h.node, h.weight) for h in book.holdings], [u.ticker for u in book.unmatched]
([('tsmc', 3.0), ('nvidia', 7.0)], ['XYZ'])
>>> book.coverage
0.9090909090909091
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from .user_files import InputError, did_you_mean, parse_number, read_csv

#: Exchange suffixes as data vendors write them (2330.TW, 005930.KS, 8035.T, ASML.AS, 0700.HK).
_SUFFIX = re.compile(r"^(?P<base>[^.\s]+)\.(?P<suffix>[A-Za-z]{1,3})$")


@dataclass
class Holding:
    node: str
    weight: float
    tickers: list[str]      # as written in the file (several when rows were merged)
    lines: list[int]


@dataclass
class Unmatched:
    ticker: str
    line: int
    weight: float
    hint: str = ""


@dataclass
class Book:
    path: str
    holdings: list[Holding]
    unmatched: list[Unmatched] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(h.weight for h in self.holdings) + sum(u.weight for u in self.unmatched)

    @property
    def coverage(self) -> float:
        """Share of the book's weight that the graph knows."""
        return sum(h.weight for h in self.holdings) / self.total if self.total else 0.0


def resolve_ticker(ticker: str, lookup: Mapping[str, str]) -> tuple[str | None, str]:
    """(node, how): exact (ids, tickers, names, aliases, case-folded), else without an exchange suffix."""
    key = ticker.strip().casefold()
    if key in lookup:
        return lookup[key], ""
    m = _SUFFIX.match(ticker.strip())
    if m and m.group("base").casefold() in lookup:
        return lookup[m.group("base").casefold()], f"{ticker} read as {m.group('base')}"
    return None, ""


def parse_book(rows: Iterable[tuple[int, str, str]], lookup: Mapping[str, str], path: str,
               strict: bool = False) -> Book:
    """Rows of (line, ticker, weight text) -> a Book; duplicates merged, unknown tickers kept aside."""
    by_node: dict[str, Holding] = {}
    book = Book(path, [])
    for line, ticker, weight_text in rows:
        where = f"{path}:{line}"
        if not ticker.strip():
            raise InputError(f"{where}: field 'ticker': empty")
        weight = parse_number(weight_text, where, "weight", low=0)
        node, how = resolve_ticker(ticker, lookup)
        if node is None:
            hint = did_you_mean(ticker.casefold(), list(lookup))
            if strict:
                raise InputError(f"{where}: field 'ticker': unknown ticker '{ticker}'{hint}")
            book.unmatched.append(Unmatched(ticker, line, weight, hint))
            continue
        if how:
            book.notes.append(how)
        if node in by_node:
            h = by_node[node]
            h.weight += weight
            h.tickers.append(ticker)
            h.lines.append(line)
        else:
            by_node[node] = Holding(node, weight, [ticker], [line])
    book.holdings = list(by_node.values())
    for h in book.holdings:
        if len(h.lines) > 1:
            book.notes.append(f"{' / '.join(dict.fromkeys(h.tickers))} on lines "
                              f"{', '.join(map(str, h.lines))}: one company, weights added")
    if not book.holdings or sum(h.weight for h in book.holdings) <= 0:
        known = "no holdings the graph knows" if book.unmatched else "no holdings"
        raise InputError(f"{path}: {known} with a positive total weight")
    return book


def read_portfolio(path: Path | str, lookup: Mapping[str, str], strict: bool = False) -> Book:
    table = read_csv(path, "a portfolio file (CSV with columns ticker,weight)", ["ticker", "weight"])
    return parse_book(((line, rec["ticker"], rec["weight"]) for line, rec in table.rows), lookup,
                      str(path), strict)
