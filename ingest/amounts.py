"""Money in article text, Korean or English: '20억달러', '60억 달러', '$6 billion', '6B',
'1조 원', 'USD 9.7 billion', '3천억 달러', '22조7648억원' -> the amount as stated, its currency and
its qualifier ('up to', 'about', 'at least').

Only the amount as written is kept; nothing is converted between currencies. `amount_usd` is
filled only when the stated currency is the US dollar.

>>> [(m.value, m.currency, m.qualifier) for m in find_amounts("메타와의 최대 60억달러 규모 합의")]
[(6000000000.0, 'USD', 'up_to')]
>>> [(m.value, m.currency) for m in find_amounts("a deal worth about $17.4 billion")]
[(17400000000.0, 'USD')]
>>> [(m.value, m.currency) for m in find_amounts("22조7648억원 규모 계약")]
[(22764800000000.0, 'KRW')]
>>> [(m.value, m.currency) for m in find_amounts("a new $725MM credit facility")]
[(725000000.0, 'USD')]
>>> [(m.value, m.currency) for m in find_amounts("인수 금액은 1억5천500만유로")]
[(155000000.0, 'EUR')]
>>> [(m.value, m.currency) for m in find_amounts("3천억 달러(약 417조원) 규모")][0]
(300000000000.0, 'USD')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KO_UNITS = {"만": 1e4, "억": 1e8, "조": 1e12}
KO_DIGIT_UNITS = {"천": 1e3, "백": 1e2, "십": 10}
EN_UNITS = {"trillion": 1e12, "tn": 1e12, "t": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9,
            "million": 1e6, "mn": 1e6, "m": 1e6, "mm": 1e6, "mln": 1e6, "thousand": 1e3, "k": 1e3}
CURRENCY_WORDS = {
    "달러": "USD", "불": "USD", "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "dollar": "USD",
    "원": "KRW", "krw": "KRW", "₩": "KRW", "won": "KRW",
    "엔": "JPY", "jpy": "JPY", "¥": "JPY", "yen": "JPY",
    "유로": "EUR", "eur": "EUR", "€": "EUR", "euros": "EUR", "euro": "EUR",
    "위안": "CNY", "cny": "CNY", "yuan": "CNY", "rmb": "CNY",
    "파운드": "GBP", "gbp": "GBP", "£": "GBP", "pounds": "GBP",
    "대만달러": "TWD", "twd": "TWD", "nt$": "TWD",
    "a$": "AUD", "aud": "AUD", "c$": "CAD", "cad": "CAD", "s$": "SGD", "sgd": "SGD",
}
QUALIFIERS = [  # (pattern before the amount, qualifier)
    (r"(?:최대|up to|as much as|as high as|potentially up to|of up to)\s*$", "up_to"),
    (r"(?:약|대략|about|roughly|approximately|around|nearly|almost|close to|some|~|an estimated|"
     r"approx\.?)\s*$", "approximately"),
    (r"(?:at least|more than|over|in excess of|upwards of|최소)\s*$", "at_least"),
]
QUALIFIERS_AFTER = [  # (pattern after the amount, qualifier)
    (r"^\s*(?:이상|넘는|넘게|이상의|초과)", "at_least"),
    (r"^\s*(?:안팎|가량|내외|정도|수준)", "approximately"),
]
#: Words near an amount that say it is not the value of a deal (market value, revenue, prices ...)
NOT_A_DEAL = re.compile(
    r"시가총액|시총|매출|영업이익|순이익|주가|주당|수익|손실|자산|가치가|몸값|기업가치|평가|"
    r"market (?:cap|value|capitali[sz]ation)|revenue|sales of|profit|earnings|loss|per share|share price|"
    r"stock price|valuation|valued the company|net worth|funding round|round at|series [a-h]\b|"
    r"worth about \$\d+ ?(?:billion|bn) at|annual(?:i[sz]ed)? revenue",
    re.IGNORECASE)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Korean: numbers with 조/억/만 units (and 천/백 inside a unit group: 3천억), then a currency word.
_KO = re.compile(
    r"(?P<ko>(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:(?:천|백|십)\s*(?:\d{1,3})?\s*)?(?:조|억|만)\s*)+"
    r"(?:\d{1,4}(?:,\d{3})*)?)\s*"
    r"(?P<kcur>대만달러|달러|원|엔|유로|위안|파운드)")
# English and symbols: $6 billion, USD 9.7 billion, €1.3bn, 6B dollars, 500 million euros.
_EN = re.compile(
    r"(?P<sym>US\$|NT\$|A\$|C\$|S\$|\$|€|£|¥|₩|\b(?:USD|EUR|KRW|JPY|GBP|CNY|RMB|TWD|AUD|CAD|SGD)\b)\s?"
    r"(?P<num>" + _NUM + r")\s*(?P<unit>trillion|billion|million|thousand|tn|bn|mln|mn|MM\b|[TBMK]\b)?"
    r"|(?P<num2>" + _NUM + r")\s*(?P<unit2>trillion|billion|million|tn|bn|mn)\s+"
    r"(?P<cur2>dollars|euros|yen|won|yuan|pounds|USD|EUR|KRW|JPY|GBP|CNY)\b"
    r"|(?P<num3>" + _NUM + r")\s*(?P<unit3>[조억만])\s*(?P<cur3>달러|원)"
    # a bare "6B" / "6bn" (headline style) is read as US dollars
    r"|(?<![\w$€£¥₩.])(?P<num4>\d+(?:\.\d+)?)(?P<unit4>B|bn)\b(?!\s*(?:parameters|tokens|users))",
    re.IGNORECASE)


@dataclass
class Money:
    """An amount as stated in the text, where it stands, and how it is qualified."""

    value: float
    currency: str
    qualifier: str   # '' | 'up_to' | 'approximately' | 'at_least'
    start: int
    end: int
    text: str
    context_ok: bool = True  # False when the words around it say it is not a deal value

    @property
    def usd(self) -> float | None:
        return self.value if self.currency == "USD" else None


def _ko_value(text: str) -> float | None:
    total, pending = 0.0, 0.0
    for m in re.finditer(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)|([천백십])|([조억만])", text.replace(" ", "")):
        num, digit_unit, unit = m.groups()
        if num is not None:
            pending += float(num.replace(",", ""))
        elif digit_unit:
            pending = (pending or 1) * KO_DIGIT_UNITS[digit_unit]
        elif unit:
            total += (pending or 1) * KO_UNITS[unit]
            pending = 0.0
    total += pending
    return total or None


def _qualifier(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 25):start]
    after = text[end:end + 8]
    for pattern, q in QUALIFIERS:
        if re.search(pattern, before, re.IGNORECASE):
            return q
    for pattern, q in QUALIFIERS_AFTER:
        if re.search(pattern, after):
            return q
    return ""


#: an amount that sizes the firm it stands before ("TWG Global, a $40 billion investment firm") or a
#: fund ("a $1.5 billion fund"): the size of a party, not the value of the deal
SIZE_OF_A_FIRM = re.compile(r"\s+(?:(?:investment|asset[- ]management|private[- ]equity|venture|hedge|"
                            r"infrastructure|technology|tech)\s+)?(?:firm|fund|manager|conglomerate)s?\b",
                            re.IGNORECASE)


def _context_ok(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 30):min(len(text), end + 30)]
    return not NOT_A_DEAL.search(window) and not SIZE_OF_A_FIRM.match(text, end)


def find_amounts(text: str) -> list[Money]:
    """Every money amount in a sentence, in order; conversions in brackets after an amount
    ('165억달러(약 22조 7648억원)') are dropped, since they restate the amount before them."""
    found: list[Money] = []
    taken: list[tuple[int, int]] = []
    for m in _KO.finditer(text):
        value = _ko_value(m.group("ko"))
        if value:
            found.append(Money(value, CURRENCY_WORDS[m.group("kcur")], "", m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    for m in _EN.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.group("num"):
            num, unit, cur = m.group("num"), m.group("unit"), m.group("sym")
        elif m.group("num2"):
            num, unit, cur = m.group("num2"), m.group("unit2"), m.group("cur2")
        elif m.group("num3"):
            num, unit, cur = m.group("num3"), m.group("unit3"), m.group("cur3")
        else:
            num, unit, cur = m.group("num4"), m.group("unit4"), "$"
        value = float(num.replace(",", ""))
        if unit in KO_UNITS:
            value *= KO_UNITS[unit]
        elif unit:
            value *= EN_UNITS[unit.lower()]
        currency = CURRENCY_WORDS.get(cur.lower(), cur.upper())
        if currency == "RMB":
            currency = "CNY"
        if value < 1000 and not unit:  # "$87.20" a share: a price, not a deal value
            continue
        found.append(Money(value, currency, "", m.start(), m.end(), m.group(0)))
    found.sort(key=lambda a: a.start)
    kept: list[Money] = []
    for a in found:
        if kept and re.fullmatch(r"\s*[(（]\s*(?:약|about|approximately|~)?\s*", text[kept[-1].end:a.start]):
            continue  # a bracketed conversion of the previous amount
        a.qualifier = _qualifier(text, a.start, a.end)
        a.context_ok = _context_ok(text, a.start, a.end)
        kept.append(a)
    return kept


def money(value: float | None) -> str:
    """A USD amount as every table, tooltip and legend prints it: $6.0B, $850M, $1.2T, $900.

    >>> money(6e9), money(8.5e8), money(None)
    ('$6.0B', '$850.0M', '')
    """
    if value is None or value != value:
        return ""
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(value) >= scale:
            return f"${value / scale:,.1f}{unit}"
    return f"${value:,.0f}"
