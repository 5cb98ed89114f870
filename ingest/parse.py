"""Parsing of the cell formats used in the tables (dates, amounts, lists)."""
from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(text: str) -> tuple[dt.date, str]:
    """Parse YYYY-MM-DD, YYYY-MM or YYYY; return the first day it covers and its precision.

    >>> parse_date("2026-01-27")
    (datetime.date(2026, 1, 27), 'day')
    >>> parse_date("2025-10")
    (datetime.date(2025, 10, 1), 'month')
    """
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD, or YYYY-MM / YYYY when only that is known)")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a real date ({exc})") from None
    precision = "day" if m.group(3) else "month" if m.group(2) else "year"
    return value, precision


def parse_amount(text: str) -> float:
    """Parse a non-negative number written in full units (commas and underscores allowed).

    >>> parse_amount("6,000,000,000")
    6000000000.0
    """
    cleaned = text.replace(",", "").replace("_", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"'{text}' is not a number (write full units, e.g. 6000000000)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"'{text}' is not a finite number")
    if value < 0:
        raise ValueError(f"'{text}' is negative; amounts are non-negative")
    return value


def split_list(text: str) -> list[str]:
    """Split a ';'-separated cell into its non-empty, stripped items.

    >>> split_list("hyperscaler; investor;")
    ['hyperscaler', 'investor']
    """
    return [part.strip() for part in text.split(";") if part.strip()]
