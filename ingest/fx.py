"""Converting amounts to USD with the sourced rates of data/fx_rates.csv, and saying how.

An amount is converted with the annual average of its year (the year of a deal's date, or of a
figure's fiscal period), else the nearest year's average within one year, else the spot rate
closest to its date (for a year's figure: to that year's end). Nothing is converted without a
sourced rate: the USD value then stays empty.

>>> import datetime as dt
>>> fx = FxTable([{"currency": "KRW", "period": "2024", "units_per_usd": "1364.0",
...                "kind": "annual_average", "source": {"publisher": "Fed", "date": dt.date(2025, 1, 6)}}])
>>> usd, how = fx.to_usd(1364e9, "KRW", dt.date(2024, 5, 1))
>>> round(usd), how
(1000000000, 'converted at 1 USD = 1,364 KRW (annual average 2024; Fed, 2025-01-06)')
>>> fx.to_usd(1.0, "EUR", dt.date(2024, 5, 1)) is None
True
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable


def period_year(period: str) -> int | None:
    """The calendar year a fiscal period mostly falls in: its last four-digit year."""
    years = re.findall(r"(?<!\d)(20\d\d|19\d\d)(?!\d)", period or "")
    return int(years[-1]) if years else None


class FxTable:
    """Rates by currency; `rows` carry currency, period, units_per_usd, kind and their source."""

    def __init__(self, rows: Iterable[dict[str, Any]]):
        self.annual: dict[str, dict[int, dict]] = {}
        self.spot: dict[str, list[tuple[dt.date, dict]]] = {}
        for r in rows:
            rate = {**r, "units_per_usd": float(r["units_per_usd"])}
            if r["kind"] == "annual_average":
                self.annual.setdefault(r["currency"], {})[int(r["period"])] = rate
            else:
                self.spot.setdefault(r["currency"], []).append((dt.date.fromisoformat(r["period"]), rate))

    def rate(self, currency: str, when: dt.date | int | None) -> dict | None:
        year = when if isinstance(when, int) else (when.year if when else None)
        annual = self.annual.get(currency, {})
        if year is not None:
            for y in (year, year - 1, year + 1):
                if y in annual:
                    return annual[y]
        spots = self.spot.get(currency, [])
        if spots and year is not None:
            target = when if isinstance(when, dt.date) else dt.date(year, 12, 31)
            return min(spots, key=lambda s: abs((s[0] - target).days))[1]
        return None

    def to_usd(self, amount: float, currency: str, when: dt.date | int | None) -> tuple[float, str] | None:
        if currency == "USD":
            return amount, ""
        r = self.rate(currency, when)
        if r is None:
            return None
        src = r.get("source") or {}
        kind = "annual average" if r["kind"] == "annual_average" else "spot"
        # whole dollars: a converted figure has no more precision than the rate it used
        return float(round(amount / r["units_per_usd"])), (
            f"converted at 1 USD = {r['units_per_usd']:,.4g} {currency} ({kind} {r['period']}; "
            f"{src.get('publisher', '?')}, {src.get('date', '?')})")
