"""How citable a source is, read from its URL's host: `data/publishers.csv` (host, tier, note) says
which hosts publish filings and company releases (`primary`), which are major outlets (`major`)
and which are trade press or industry research (`trade`). Every other host is `other`:
aggregators, mirrors, blogs, or a host nobody has classified yet. An analyst edits the table.

>>> table = {"sec.gov": "primary", "reuters.com": "major"}
>>> [tier_of(u, table) for u in ("https://www.sec.gov/x", "https://jp.reuters.com/a", "https://blog.example/b")]
['primary', 'major', 'other']
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from .problems import DataError, Problem
from .user_files import InputError, read_csv

TIERS = ("primary", "major", "trade", "other")
RANK = {t: i for i, t in enumerate(TIERS)}


def load_publishers(root: Path | str) -> dict[str, str]:
    """host -> tier; an absent table classifies nothing (every source is `other`)."""
    path = Path(root) / "publishers.csv"
    if not path.exists():
        return {}
    try:
        table = read_csv(path, "the publishers table", ["host", "tier"], ["host", "tier", "note"])
    except InputError as exc:
        raise DataError([exc.problem or Problem(str(path), 0, "", str(exc))]) from None
    out: dict[str, str] = {}
    problems = []
    for line, row in table.rows:
        host = row["host"].lower().removeprefix("www.")
        if row["tier"] not in TIERS[:-1]:
            problems.append(Problem(str(path), line, "tier", f"'{row['tier']}' is not one of primary, major, trade"))
        elif host in out:
            problems.append(Problem(str(path), line, "host", f"'{host}' is listed twice"))
        else:
            out[host] = row["tier"]
    if problems:
        raise DataError(problems)
    return out


#: the host of a plain http(s) URL, read without urlparse (every source is classified on every run)
_HOST = re.compile(r"^https?://(?:[^@/?#]*@)?([^:/?#\[\]]+)", re.IGNORECASE)


def tier_of(url: str, table: dict[str, str]) -> str:
    """The tier of the most specific listed host the URL's host equals or belongs to."""
    m = _HOST.match(url)
    host = (m.group(1) if m else (urlparse(url).hostname or "")).lower().removeprefix("www.")
    parts = host.split(".")
    for i in range(len(parts) - 1):
        hit = table.get(".".join(parts[i:]))
        if hit:
            return hit
    return "other"


def best_tier(sources: list[dict]) -> str:
    """The best tier among a row's sources (a row is as citable as its best source)."""
    return min((s.get("tier", "other") for s in sources), key=RANK.get, default="other")
