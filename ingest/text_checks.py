"""Text that an output format cannot carry: characters XML 1.0 forbids.

Why here, in ingest: `validate` should flag such a name before any export does (call
`xml_forbidden_fields(row)` per record), and the XML writers (GraphML, GEXF) refuse it with the
same wording; one definition keeps the two in step.

XML 1.0 allows TAB, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF. Everything else
(C0 controls such as U+000B or U+001B, the non-characters U+FFFE/U+FFFF, lone surrogates) makes
a file that XML parsers reject, and escaping does not help: `&#11;` is forbidden too.

>>> xml_forbidden("Acme\\x0bCorp")
['U+000B (vertical tab)']
>>> strip_xml_forbidden("Acme\\x0bCorp\\ufffe")
'AcmeCorp'
>>> xml_forbidden_fields({"_line": 3, "id": "acme", "name": "A\\x1bB"})
[('name', 'contains U+001B (escape), which XML 1.0 forbids (GraphML/GEXF exports); remove it')]
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

__all__ = ["XML_FORBIDDEN", "describe_char", "strip_xml_forbidden", "xml_forbidden",
           "xml_forbidden_fields"]

#: One character XML 1.0 does not allow, anywhere in a document.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_NAMES = {0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
          0x1B: "escape", 0xFFFE: "non-character", 0xFFFF: "non-character"}


def describe_char(ch: str) -> str:
    """`U+000B (vertical tab)`: how a message names an invisible character."""
    code = ord(ch)
    name = _NAMES.get(code) or ("lone surrogate" if 0xD800 <= code <= 0xDFFF else
                                "control character" if code < 0x20 else "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def xml_forbidden(text: str) -> list[str]:
    """The distinct characters of `text` that XML 1.0 forbids, described, in order of appearance."""
    seen: dict[str, None] = {}
    for m in XML_FORBIDDEN.finditer(text):
        seen.setdefault(describe_char(m.group(0)), None)
    return list(seen)


def strip_xml_forbidden(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (for display text such as chart labels,
    where an invisible control character carries nothing; data is refused instead)."""
    return XML_FORBIDDEN.sub("", text)


def xml_forbidden_fields(row: Mapping[str, Any], skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(field, message) for every text field of a record that holds a character XML forbids.

    Fields whose names start with "_" (bookkeeping such as the line number) and those in `skip`
    are not checked; lists and tuples of strings are checked item by item."""
    # nearly every row is clean: one search over all its text first, field by field only on a hit
    if not XML_FORBIDDEN.search(" ".join(v if isinstance(v, str) else " ".join(x for x in v if isinstance(x, str))
                                         for v in row.values() if isinstance(v, (str, list, tuple)))):
        return []
    skipped = set(skip)
    out: list[tuple[str, str]] = []
    for key, value in row.items():
        if str(key).startswith("_") or key in skipped:
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        bad: list[str] = []
        for item in items:
            if isinstance(item, str):
                bad += [b for b in xml_forbidden(item) if b not in bad]
        if bad:
            out.append((str(key), f"contains {', '.join(bad)}, which XML 1.0 forbids "
                                  f"(GraphML/GEXF exports); remove it"))
    return out
