"""How long a contract runs, read from its `term` text, so an amount can be spread per year.

A stated term is used as stated ("through December 2031" from a September 2025 signing is 6.3
years, "5 years (2027-2031)" is 5); only a term that says nothing countable falls back to the
assumed default of data/exposure.yaml.

>>> import datetime as dt
>>> contract_years("through December 2031, option to extend into 2032", dt.date(2025, 9, 30))
6.33
>>> contract_years("5 years (2027-2031)", dt.date(2026, 5, 1))
5.0
>>> contract_years("2026-2030", dt.date(2024, 5, 1))
5.0
>>> contract_years("2026", dt.date(2025, 7, 31))      # an allocation for one year
1.0
>>> contract_years("multi-year", dt.date(2025, 1, 1)) is None
True
"""
from __future__ import annotations

import datetime as dt
import re

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
_YEARS = re.compile(_NUM + r"[ -]?(?:years?|yrs?)\b")
_MONTHS_N = re.compile(_NUM + r"[ -]?months?\b")
_RANGE = re.compile(r"\b(20\d\d)\s*[-–~]\s*(20\d\d)\b")
_UNTIL = re.compile(r"\b(?:through|thru|until|till|to|up to|by|ending)\s+(?:([a-z]{3})[a-z]*\.?\s+)?"
                    r"(?:\d{1,2},?\s+)?(20\d\d)(?:-(\d\d)-\d\d)?\b")
_PER_YEAR = re.compile(r"\b(?:per|a|each) year\b|\bannual(?:ly)?\b")
_ONE_YEAR = re.compile(r"^\s*(?:for |in )?20\d\d\s*$")


def _number(text: str) -> float:
    return float(_WORDS.get(text, text))


def contract_years(term: str | None, start: dt.date | None) -> float | None:
    """Years a contract runs, from its term text; None when the text states no length."""
    text = (term or "").lower()
    if not text:
        return None
    if _PER_YEAR.search(text) or _ONE_YEAR.match(text):
        return 1.0
    m = _YEARS.search(text)
    if m:
        return max(1.0, _number(m.group(1)))
    m = _RANGE.search(text)
    if m and int(m.group(2)) >= int(m.group(1)):
        return float(int(m.group(2)) - int(m.group(1)) + 1)
    m = _UNTIL.search(text)
    if m and start is not None:
        month = _MONTHS.get(m.group(1) or "", int(m.group(3)) if m.group(3) else 12)
        months = (int(m.group(2)) - start.year) * 12 + month - start.month + 1
        return max(1.0, round(months / 12, 2))
    m = _MONTHS_N.search(text)
    if m:
        return max(1.0, _number(m.group(1)) / 12)
    return None
