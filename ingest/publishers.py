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


def _table(root: Path | str):
    """The table's path and its rows (line, row), each host written as URLs are read (host_of)."""
    path = Path(root) / "publishers.csv"
    if not path.exists():
        return path, []
    try:
        table = read_csv(path, "the publishers table", ["host", "tier"], ["host", "publisher", "tier", "note"])
    except InputError as exc:
        raise DataError([exc.problem or Problem(str(path), 0, "", str(exc))]) from None
    return path, [(line, {**row, "host": row["host"].lower().removeprefix("www.")}) for line, row in table.rows]


def load_publishers(root: Path | str) -> dict[str, str]:
    """host -> tier; an absent table classifies nothing (every source is `other`)."""
    path, rows = _table(root)
    out: dict[str, str] = {}
    problems = []
    for line, row in rows:
        host = row["host"]
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
    parts = host_of(url).split(".")
    for i in range(len(parts) - 1):
        hit = table.get(".".join(parts[i:]))
        if hit:
            return hit
    return "other"


def load_outlets(root: Path | str) -> dict[str, set[str]]:
    """Outlet name -> the hosts it publishes on (the table's `publisher` column, where filled),
    longest name first, so "Bloomberg Law" is matched before "Bloomberg"."""
    out: dict[str, set[str]] = {}
    for _, row in _table(root)[1]:
        if row.get("publisher"):
            out.setdefault(row["publisher"], set()).add(row["host"])
    return {name: out[name] for name in sorted(out, key=len, reverse=True)}


def host_of(url: str) -> str:
    m = _HOST.match(url)
    return (m.group(1) if m else (urlparse(url).hostname or "")).lower().removeprefix("www.")


def misnamed_outlet(publisher: str, url: str, outlets: dict[str, set[str]]) -> str | None:
    """The outlet a source's publisher names first, when the page is not on that outlet's hosts
    and the publisher does not say it republishes it ("Reuters, via CNA"): a page on a mirror or
    a law firm's site is not Reuters' or PR Newswire's page, however its text reads.

    >>> outlets = {"Reuters": {"reuters.com"}, "Bloomberg": {"bloomberg.com"}}
    >>> misnamed_outlet("Reuters (mirror)", "http://3.127.128.221/x", outlets)
    'Reuters'
    >>> [misnamed_outlet(p, "https://www.channelnewsasia.com/a", outlets) for p in ("CNA (Reuters)", "Reuters, via CNA")]
    [None, None]
    >>> [misnamed_outlet(p, "https://secwatch.example/a", {"SEC": {"sec.gov"}}) for p in ("SEC Watch", "SEC (8-K)")]
    [None, 'SEC']
    >>> misnamed_outlet("Reuters", "https://jp.reuters.com/a", outlets) is None
    True
    """
    if " via " in publisher:
        return None
    for name, hosts in outlets.items():   # longest first (load_outlets)
        rest = publisher[len(name):] if publisher.startswith(name) else None
        # "Reuters", "Reuters (mirror)", "Reuters: ..." name Reuters; "SEC Watch" is another outlet
        if rest is not None and (rest == "" or rest[0] in "(,:;-–\u00a0" or rest.startswith((" (", " -"))):
            host = host_of(url)
            return None if any(host == h or host.endswith("." + h) for h in hosts) else name
    return None


def best_tier(sources: list[dict]) -> str:
    """The best tier among a row's sources (a row is as citable as its best source)."""
    return min((s.get("tier", "other") for s in sources), key=RANK.get, default="other")
