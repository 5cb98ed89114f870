"""Two rows that could be one deal counted twice: possible duplicates, and a letter of intent beside
the definitive deal that replaced it. `data/links.csv` (row_id, link, other_id, note) says which
replaced which (`supersedes`: the older row's status becomes `superseded`, so only one carries
money) or why two rows are distinct deals (`separate`). validate asks for a link wherever one is
missing, so a double count cannot enter the data unremarked.

>>> product_overlap("HBM TC bonders (third order)", "TC bonders for HBM")
1.0
>>> product_overlap("HBM3E for the MI350", "HBM3 for the MI300")
0.0
>>> months_apart("2025-03", "2026-02-15")
11
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable, Iterable

from .parse import parse_date

#: rows of one pair, type and product class this close in time, whose products share this much
#: of their words, are one deal until links.csv says otherwise
DUPLICATE_MONTHS = 12
DUPLICATE_OVERLAP = 0.5
#: a letter of intent followed this soon by a definitive row of the same type between the same
#: parties was most likely replaced by it
LOI_MONTHS = 18
DEFINITIVE = {"announced", "active", "completed"}

_STOP = frozenset("a an the and of for in to with by on from at its new inc co ltd corp plus us".split())

Add = Callable[[str, dict, str, str], None]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 1 and w not in _STOP}


def product_overlap(a: str, b: str) -> float:
    """Shared words over the smaller product's words (a shorter restatement of the same product
    counts as the same)."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _month(date: str) -> int | None:
    """Months since year 0; a year alone counts as its middle, an unreadable date (validate reports
    it) as unknown."""
    try:
        value, precision = parse_date(date or "")
    except ValueError:
        return None
    return value.year * 12 + (6 if precision == "year" else value.month)


def months_apart(a: str, b: str) -> int | None:
    ma, mb = _month(a), _month(b)
    return None if ma is None or mb is None else abs(ma - mb)


def check_links(add: Add, relationships: Iterable[dict], links: Iterable[dict] | None,
                kinds: Iterable[str], line: str) -> None:
    """Every link well formed; every superseded row named; every look-alike pair linked."""
    rels = {r["id"]: r for r in relationships if r["id"]}
    linked: set[frozenset] = set()
    superseded_by: dict[str, str] = {}
    kinds = list(kinds)
    for row in links or []:
        if row["link"] not in kinds:
            add("links", row, "link", f"'{row['link']}' is not one of {', '.join(kinds)}")
            continue
        ends = [(f, row[f]) for f in ("row_id", "other_id")]
        missing = [(f, v) for f, v in ends if v not in rels]
        for f, v in missing:
            add("links", row, f, f"unknown relationship '{v}'")
        if missing:
            continue
        new, old = rels[row["row_id"]], rels[row["other_id"]]
        if new is old:
            add("links", row, "other_id", "a row is linked to itself")
            continue
        linked.add(frozenset((new["id"], old["id"])))
        if row["link"] == "separate" and not row["note"].strip():
            add("links", row, "note", "say why the two rows are separate deals")
        if row["link"] == "supersedes":
            if {new["source"], new["target"]} != {old["source"], old["target"]}:
                add("links", row, "other_id", f"'{old['id']}' is between other parties: a row supersedes "
                                              f"one between the same two")
            if old["status"] != "superseded":
                add("links", row, "other_id", f"'{old['id']}' is replaced, so its status is superseded "
                                              f"(now '{old['status']}')")
            a, b = _month(new["date"]), _month(old["date"])
            if a is not None and b is not None and b > a:
                add("links", row, "other_id", f"'{old['id']}' ({old['date']}) is later than the row "
                                              f"replacing it ({new['date']})")
            superseded_by[old["id"]] = new["id"]
    for r in rels.values():
        if r["status"] == "superseded" and r["id"] not in superseded_by:
            add("relationships", r, "status", "a superseded row needs the row that replaced it: add "
                                              "'NEW,supersedes," + r["id"] + ",' to links.csv")
    _look_alikes(add, list(rels.values()), linked, line)


def _look_alikes(add: Add, rels: list[dict], linked: set[frozenset], line: str) -> None:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    pairs: dict[tuple, list[dict]] = defaultdict(list)
    for r in rels:
        groups[(r["source"], r["target"], r["type"], r["product_class"])].append(r)
        pairs[(frozenset((r["source"], r["target"])), r["type"])].append(r)
    hint = ("fold them into one row, or say in links.csv which replaced which ('supersedes') or "
            "why they are separate deals ('separate')")
    for rows in groups.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                gap = months_apart(a["date"], b["date"])
                if (gap is not None and gap <= DUPLICATE_MONTHS
                        and frozenset((a["id"], b["id"])) not in linked
                        and product_overlap(a["product"], b["product"]) >= DUPLICATE_OVERLAP):
                    add("relationships", b, "id", f"possible duplicate of '{a['id']}' (line {a[line]}): "
                                                  f"same parties, type and product within {gap} months: {hint}")
    for rows in pairs.values():
        for loi in (r for r in rows if r["status"] == "letter_of_intent"):
            start = _month(loi["date"])
            for deal in rows:
                end = _month(deal["date"])
                if start is None or end is None:
                    continue
                gap = end - start          # the deal on or after the letter, within the window
                if (deal["status"] in DEFINITIVE and 0 <= gap <= LOI_MONTHS
                        and frozenset((loi["id"], deal["id"])) not in linked):
                    add("relationships", deal, "id", f"a definitive deal {gap} months after the letter of "
                                                     f"intent '{loi['id']}' (line {loi[line]}) between the "
                                                     f"same parties: {hint}")
