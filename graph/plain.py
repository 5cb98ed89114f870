"""Conversion between typed attribute values and the plain forms file formats can hold.

JSON holds lists and objects but not dates; GraphML, GEXF and CSV hold only scalars. Every format
writes through `to_plain` (and `flatten` for scalar-only formats) and reads back through
`from_plain`, so a round trip restores numbers, dates and lists exactly.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

#: Attributes that hold lists or objects (encoded as JSON text in scalar-only formats).
STRUCTURED = {"aliases", "category", "source_ids", "sources", "facts"}
#: Attributes that hold dates.
DATES = {"date"}
#: Attributes that hold numbers.
NUMBERS = {"amount", "amount_usd", "revenue_usd", "capex_usd", "china_revenue_share", "value", "value_usd"}


def to_plain(value: Any) -> Any:
    """Dates -> ISO text, recursively; everything else JSON already understands."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def flatten(attrs: dict[str, Any]) -> dict[str, Any]:
    """Scalar-only form: structured values as JSON text, None values dropped."""
    out = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if key in STRUCTURED:
            out[key] = json.dumps(to_plain(value), ensure_ascii=False)
        else:
            out[key] = to_plain(value)
    return out


def _restore(key: str, value: Any) -> Any:
    if value is None or value == "":
        return [] if key in STRUCTURED else None
    if key in STRUCTURED:
        value = json.loads(value) if isinstance(value, str) else value
        if isinstance(value, list):
            return [_restore_obj(v) if isinstance(v, dict) else v for v in value]
        return value
    if key in DATES:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if key in NUMBERS:
        return float(value)
    return value


def _restore_obj(obj: dict) -> dict:
    out = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            out[key] = _restore_obj(value)
        elif key in DATES | NUMBERS | STRUCTURED:
            out[key] = _restore(key, value)
        else:
            out[key] = value
    return out


def from_plain(attrs: dict[str, Any]) -> dict[str, Any]:
    """Inverse of `to_plain`/`flatten` for the attributes capexgraph writes."""
    return {key: _restore(key, value) for key, value in attrs.items()}
