"""Data problems as values: every check reports where (file, row, field) and what is wrong."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located precisely enough to fix it by hand."""

    file: str
    row: int  # line number in the file (the header is line 1); 0 when the whole file is at fault
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        if self.field:
            return f"{where}: field '{self.field}': {self.message}"
        return f"{where}: {self.message}"


class DataError(Exception):
    """Raised when input data is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


#: The message a reader gives a row whose cell count differs from the header's (user_files.py).
RAGGED = "cells, the header has"


def fold_consequences(problems: list[Problem]) -> list[Problem]:
    """Show the cause, fold what it causes: a header problem (a missing or doubled column) makes
    every row's check of that column fail, and a row with too many or too few cells fails the
    checks of its shifted fields. Those follow-on problems become one count on their cause.

    >>> head = Problem("f.csv", 1, "date", "missing column")
    >>> rows = [Problem("f.csv", n, "date", "missing date") for n in (2, 3, 4)]
    >>> [str(p) for p in fold_consequences([head, *rows])]
    ["f.csv:1: field 'date': missing column (and 3 row problems it causes)"]
    """
    header = {(p.file, p.field) for p in problems if p.row == 1 and p.field}
    ragged = {(p.file, p.row) for p in problems if RAGGED in p.message}
    folded: Counter = Counter()
    kept = []
    for p in problems:
        if p.row > 1 and (p.file, p.field) in header:
            folded[("h", p.file, p.field)] += 1
        elif p.field and (p.file, p.row) in ragged:
            folded[("r", p.file, p.row)] += 1
        else:
            kept.append(p)
    out = []
    for p in kept:
        n = folded.get(("h", p.file, p.field), 0) if p.row == 1 and p.field else (
            folded.get(("r", p.file, p.row), 0) if RAGGED in p.message else 0)
        out.append(replace(p, message=f"{p.message} (and {n} {'row ' if p.row == 1 else ''}problem"
                                      f"{'s' if n != 1 else ''} it causes)") if n else p)
    return out
