"""Plain-text and Markdown tables that read well in a terminal and paste into a report."""
from __future__ import annotations

import sys

import unicodedata
from typing import Sequence


def _width(text: str) -> int:
    """Display width: East Asian wide characters (Hangul, CJK) take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str = "table",
          right: Sequence[int] = ()) -> str:
    """Render rows as an aligned text table (`table`) or a GitHub Markdown table (`markdown`)."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    if fmt == "markdown":
        esc = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(esc(h) for h in headers) + " |",
                 "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda vals: "  ".join(_pad(v, w, i in right) for i, (v, w) in enumerate(zip(vals, widths))).rstrip()  # noqa: E731
    out = [line(list(headers)), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _cell(v: object) -> str:
    """A query result value in a text table: lists and maps as JSON, long text cut at 80."""
    import json

    text = (json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (list, dict))
            else "" if v is None else str(v))
    return text if len(text) <= 80 else text[:77] + "..."


def print_rows(columns: Sequence[str], rows: Sequence[dict], fmt: str) -> None:
    """A library query's answer as the user asked for it (json, csv, table or markdown): one
    printer for the Cypher and the SPARQL libraries."""
    import csv
    import io
    import json

    if fmt == "json":
        print(json.dumps(list(rows), ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
        sys.stdout.write(buf.getvalue())
    else:
        print(table(columns, [[_cell(r[c]) for c in columns] for r in rows], fmt))
        print(f"\n{len(rows)} row{'s' if len(rows) != 1 else ''}")
