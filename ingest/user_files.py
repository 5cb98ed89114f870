"""Files a user hands us (datasets, edge lists, portfolios, candidate files, scenarios): read once,
checked the same way everywhere, every problem reported with file, line and field.

One place decides what a readable file is (a file, not a folder; not too large; UTF-8 text, not a
spreadsheet or binary), what a well-formed table is (each column once, the columns the file kind
needs, as many cells per row as the header has, quotes that close) and what a number is (plain
decimal, finite, inside its range), so every command answers a bad file with the same clear line.

>>> parse_number("0.25", "w.csv:2", "weight", low=0, high=1)
0.25
>>> parse_number("inf", "w.csv:2", "weight")
Traceback (most recent call last):
...
capexgraph.ingest.user_files.InputError: w.csv:2: field 'weight': 'inf' is not a number (write a plain decimal such as 0.25)
"""
from __future__ import annotations

import csv
import difflib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

#: Largest file a command reads by default: far above any real dataset, portfolio or scenario, and
#: small enough that a wrong file (a disk image, a log) is refused at once instead of exhausting memory.
MAX_BYTES = 200 * 1024 * 1024

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SIGNATURES = {b"PK\x03\x04": "a zip archive (an .xlsx workbook?): save it as CSV UTF-8",
               b"\xd0\xcf\x11\xe0": "an old Office file (.xls?): save it as CSV UTF-8",
               b"%PDF": "a PDF file", b"\x89PNG": "a PNG image", b"PAR1": "a Parquet file"}


class InputError(ValueError):
    """A file the user gave cannot be used: one line that names it (and the line and field).
    `problem` holds the same location as data, for callers that collect problems."""

    def __init__(self, message: str, problem: Problem | None = None):
        super().__init__(message)
        self.problem = problem


def _fail(path: Path | str, line: int, message: str, field: str = "") -> InputError:
    problem = Problem(str(path), line, field, message)
    return InputError(str(problem), problem)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def utf8_problem(data: bytes) -> tuple[int, str] | None:
    """(line, what) of the first byte that is not UTF-8, or None.

    >>> utf8_problem("a,b\\ncafé".encode("latin-1"))
    (2, 'byte 0xe9 is not UTF-8 (the file looks like Latin-1 or Windows-1252: save it as UTF-8)')
    """
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        hint = (" (the file looks like Latin-1 or Windows-1252: save it as UTF-8)"
                if 0x80 <= byte <= 0xff else "")
        return line, f"byte 0x{byte:02x} is not UTF-8{hint}"


def read_bytes(path: Path | str, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or an InputError saying why it is not a `what`."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, 0, "no such file")
    if path.is_dir():
        raise _fail(path, 0, f"is a folder, not {what}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _fail(path, 0, f"{_size(size)} is larger than {what} may be ({_size(max_bytes)})")
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise _fail(path, 0, f"cannot read ({exc.strerror or exc})") from None


def decode_text(data: bytes, path: Path | str, what: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or an InputError naming the line of the first bad byte."""
    for sig, kind in _SIGNATURES.items():
        if data.startswith(sig):
            raise _fail(path, 0, f"is {kind}, not {what}")
    head = data[:4096]
    if head and sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 100:
        raise _fail(path, 0, f"is a binary file, not {what}")
    bad = utf8_problem(data)
    if bad is not None:
        raise _fail(path, bad[0], bad[1])
    text = data.decode("utf-8")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _fail(path, line, f"a NUL byte: this is a binary file, not {what}")
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path: Path | str, what: str, max_bytes: int = MAX_BYTES) -> str:
    return decode_text(read_bytes(path, what, max_bytes), path, what)


def parse_number(text: str, where: str, field: str, low: float | None = None,
                 high: float | None = None) -> float:
    """A plain decimal number inside [low, high]; 'inf', 'nan', '0x1', 'true', '1e999' are refused."""
    s = (text or "").strip()
    if not s:
        raise InputError(f"{where}: field '{field}': empty, a number is needed")
    if not _NUMBER.match(s):
        raise InputError(f"{where}: field '{field}': '{s}' is not a number (write a plain decimal such as 0.25)")
    value = float(s)
    if not math.isfinite(value):
        raise InputError(f"{where}: field '{field}': '{s}' is too large")
    if (low is not None and value < low) or (high is not None and value > high):
        rule = (f"lie in [{low:g}, {high:g}]" if low is not None and high is not None else
                f"be >= {low:g}" if low is not None else f"be <= {high:g}")
        raise InputError(f"{where}: field '{field}': {s} is out of range; it must {rule}")
    return value


def did_you_mean(word: str, valid: list[str] | tuple[str, ...] | set[str]) -> str:
    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class Table:
    """A CSV file's rows as dicts of stripped strings, each with its line number (header = line 1)."""

    path: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def header_problems(path: str, header: list[str], required: list[str], allowed: list[str] | None
                    ) -> list[Problem]:
    """Each column once, every required one, and (when `allowed` is given) no other."""
    problems = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, 1):
        if name in seen:
            problems.append(Problem(path, 1, name or "(empty)",
                                    f"column appears twice (columns {seen[name]} and {i})"))
        seen.setdefault(name, i)
    for c in required:
        if c not in seen:
            problems.append(Problem(path, 1, c, "missing column" + did_you_mean(c, [h for h in header
                                                                                  if h not in required])))
    if allowed is not None:
        for c in header:
            if c not in allowed and c not in required:
                problems.append(Problem(path, 1, c or "(empty)",
                                        "unknown column" + did_you_mean(c, allowed)
                                        + f"; expected {', '.join(allowed)}"))
    return problems


def parse_csv(text: str, path: str, required: list[str], allowed: list[str] | None = None,
              problems: list[Problem] | None = None) -> Table:
    """Rows of a CSV text. With `problems`, trouble is collected there and reading goes on where it
    can (a dataset reports everything at once); without, the first problem raises InputError."""
    collect = problems if problems is not None else []
    if "\r" in text and "\n" in text:
        # a lone carriage return (not part of CRLF) would end the row mid-field: name it, then read on
        for m in re.finditer(r"\r(?!\n)", text):
            line = text.count("\n", 0, m.start()) + 1
            collect.append(Problem(path, line, "", "a carriage return (\\r) inside a line; remove it "
                                                   "(or quote the field that holds it)"))
        text = re.sub(r"\r(?!\n)", " ", text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] = []
    start = 1
    try:
        header = [h.strip() for h in next(reader, [])]
        collect.extend(header_problems(path, header, required, allowed))
        start = reader.line_num + 1
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank line
            if len(cells) != len(header):
                collect.append(Problem(path, line, "", f"{len(cells)} cells, the header has "
                                                       f"{len(header)} columns"))
                if len(cells) > len(header):
                    cells = cells[:len(header)]
            rows.append((line, {h: c.strip() for h, c in zip(header, cells)}))
    except csv.Error as exc:
        why = str(exc)
        if "end of data" in why or "EOF" in why:
            why = "a quote opened here is never closed"
        collect.append(Problem(path, start, "", why))
    if problems is None and collect:
        raise InputError(str(collect[0]), collect[0])
    return Table(path, header, rows)


def read_csv(path: Path | str, what: str, required: list[str], allowed: list[str] | None = None,
             max_bytes: int = MAX_BYTES) -> Table:
    """A user's CSV file, checked; the first problem raises InputError."""
    return parse_csv(read_text(path, what, max_bytes), str(path), required, allowed)
