"""Company names in article text, resolved to dataset ids through names, Korean names, aliases
and tickers; Korean particles after a name are kept as the name's grammatical role.

>>> idx = EntityIndex([{"id": "nvidia", "name": "Nvidia", "name_ko": "엔비디아", "aliases": [],
...                     "ticker": "NVDA", "kind": "company", "category": ["accelerator"]}])
>>> [(m.entity, m.particle) for m in idx.find("엔비디아가 NVDA 주식을")]
[('nvidia', '가'), ('nvidia', '')]
>>> idx.find("엔비디아버스")   # a longer Korean word is not the name
[]
>>> dell = EntityIndex([{"id": "dell", "name": "Dell", "name_ko": "델", "aliases": [], "kind": "company"}])
>>> [(m.entity, m.particle) for m in dell.find("아이렌은 델에서 서버를 샀다. 모델에서 델 ")]
[('dell', '에서')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: Korean particles (josa) that may follow a name, longest first.
PARTICLES = sorted([
    "와의", "과의", "와는", "과는", "와도", "과도", "에게서", "에게", "에서의", "에서", "에는", "에도", "에의",
    "에", "으로부터", "로부터", "으로는", "으로", "로는", "로", "이라고", "라고", "이라는", "라는", "이다", "이며",
    "이고", "이나", "이랑", "랑", "처럼", "보다", "까지", "부터", "마저", "조차", "만큼", "향", "측은", "측",
    "의", "은", "는", "이", "가", "을", "를", "와", "과", "도", "만", "인", "엔", "사", "사의", "사는", "사가",
    "사와", "사와의", "사에", "사에게", "사로부터", "사를", "사와도", "사도",
], key=len, reverse=True)
_PARTICLE = re.compile("(?:" + "|".join(PARTICLES) + ")")
#: Korean organisation suffixes a name may be written apart from ("쿠웨이트 투자청" = 쿠웨이트투자청,
#: "삼성 전자"): a Hangul name ending in one also matches with a space before it, and a Hangul name
#: written with spaces also matches without them. (전력 is left out: "한국 전력 시장" is a market.)
KO_ORG_SUFFIXES = ("투자청", "투자공사", "국부펀드", "은행", "증권", "자산운용", "운용", "전자", "건설", "중공업",
                   "에너지", "파트너스", "캐피탈", "벤처스", "인베스트먼트", "홀딩스", "그룹", "반도체", "통신")
#: Short or everyday words that are names only when written exactly so (case-sensitive).
EXACT_CASE_MAX = 4


def trie_pattern(forms: Iterable[str]) -> str:
    """One regex for many names, as a prefix tree: the regex engine then tries each character
    once per position instead of every name in turn (a few hundred names, ten times faster).
    Branches come before the end of a shorter name, so the longest name at a position wins, as
    with a longest-first alternation.

    >>> trie_pattern(["Meta", "Metas", "Micron"])
    'm(?:etas?|icron)'
    """
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form.lower() if len(form.lower()) == len(form) else form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return body + "?" if len(branches) == 1 and len(body) == 1 else "(?:" + body + ")?"
        return body

    return walk(trie)


def ko_spacing_variants(name: str | None) -> list[str]:
    """Other spacings of a Korean name: with a space before an organisation suffix, or without the
    spaces it is written with.

    >>> ko_spacing_variants("쿠웨이트투자청"), ko_spacing_variants("AI 인프라 파트너십")
    (['쿠웨이트 투자청'], ['AI 인프라파트너십', 'AI인프라파트너십'])
    """
    name = (name or "").strip()
    if not HANGUL.search(name):
        return []
    out = []
    if " " in name:
        parts = name.split(" ")
        joined = parts[0]
        for prev, part in zip(parts, parts[1:]):
            joined += ("" if HANGUL.match(part[:1]) and HANGUL.match(prev[-1:]) else " ") + part
        out += [v for v in (joined, name.replace(" ", "")) if v != name and v not in out]
    else:
        for suf in KO_ORG_SUFFIXES:
            head = name[:-len(suf)]
            if name.endswith(suf) and len(head) >= 2 and HANGUL.match(head[-1]):
                out.append(head + " " + suf)
                break
    return out


@dataclass
class Mention:
    """One name found in a text: which entity (or a proposed new one), where, and what follows."""

    entity: str
    start: int
    end: int          # end of the name itself
    text: str
    particle: str = ""   # Korean particle right after the name ('' if none)
    new: bool = False    # a company the dataset does not know yet (proposed by the extractor)

    @property
    def stop(self) -> int:
        """End of the name and its particle."""
        return self.end + len(self.particle)


#: an all-capitals word right after a company's name that makes it another company's name ("Samsung
#: SDI", "LG CNS", "SK IET", "Samsung C&T"), unless it is a word news puts after any name: a product,
#: a market, a legal form or a title
_SUB_COMPANY = re.compile(r" ([A-Z][A-Z&]{1,4})(?![A-Za-z&])")
GENERIC_CAPS = frozenset({"AI", "GPU", "GPUS", "HBM", "CPU", "TPU", "NPU", "ASIC", "DRAM", "NAND", "SSD", "ESS", "EV",
                          "CEO", "CFO", "CTO", "COO", "IR", "PR", "US", "USA", "UK", "EU", "IPO", "M&A", "R&D",
                          "AG", "SE", "NV", "SA", "AB", "ASA", "PLC", "LLC", "LP", "INC", "CO", "LTD", "DC", "IDC",
                          "IT", "PPA", "MW", "GW", "OEM", "ODM", "HPC", "LLM", "API", "EUV", "DUV", "AR", "VR",
                          "CHIPS", "ETF", "NYSE", "KRX", "TSE", "OTC", "ADR", "AND", "OR", "TO", "IN", "ON", "AT"})


@dataclass
class EntityIndex:
    """All the ways the dataset's entities can be written, compiled into one matcher."""

    entities: Iterable[dict]
    ambiguous: set[str] = field(default_factory=set)
    #: entity id -> relationship type -> the buyers the dataset records it selling to (it is the
    #: row's source): who of two hyperscalers is the cloud provider in "Meta signed a cloud
    #: contract with Google" is a fact of the data, not of the sentence
    sells: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id: dict[str, dict] = {}
        self.surface: dict[str, str] = {}      # exact surface form -> id
        self.folded: dict[str, str] = {}       # casefolded long Latin forms -> id
        for e in self.entities:
            self.by_id[e["id"]] = e
            names = [e["name"], e.get("name_ko"), *(e.get("aliases") or [])]
            # "Foxconn (Hon Hai Precision Industry)": news writes the name before the gloss
            names += [m.group(1) for n in names if n and (m := re.match(r"(.+?)\s*[(（].+[)）]$", n))]
            ticker = e.get("ticker")
            if ticker and re.fullmatch(r"[A-Z]{2,5}", ticker):
                names.append(ticker)
            for n in [*names, *(v for n in names for v in ko_spacing_variants(n))]:
                n = (n or "").strip()
                if (len(n) < 2 and not HANGUL.fullmatch(n)) or n in self.ambiguous:
                    continue
                self.surface.setdefault(n, e["id"])
                if not HANGUL.search(n) and len(n) > EXACT_CASE_MAX:
                    self.folded.setdefault(n.casefold(), e["id"])
        forms = set(self.surface) | set(self.folded)
        self._regex = re.compile(trie_pattern(forms), re.IGNORECASE) if forms else None

    @staticmethod
    def sellers(relationships: Iterable[dict]) -> dict[str, dict[str, set[str]]]:
        """entity id -> relationship type -> the targets of the rows it is the source of."""
        out: dict[str, dict[str, set[str]]] = {}
        for r in relationships:
            out.setdefault(r["source"], {}).setdefault(r["type"], set()).add(r["target"])
        return out

    def sells_to_others(self, eid: str, rtype: str, other: str) -> bool:
        """Whether the data records `eid` selling `rtype` to someone besides `other` (a row
        between the two themselves says nothing new about the sentence that reports it)."""
        return bool(self.sells.get(eid, {}).get(rtype, set()) - {other})

    def kind(self, eid: str) -> str:
        return self.by_id[eid].get("kind", "company") if eid in self.by_id else "company"

    def categories(self, eid: str) -> list[str]:
        return list(self.by_id.get(eid, {}).get("category") or [])

    def name(self, eid: str) -> str:
        return self.by_id[eid]["name"] if eid in self.by_id else eid

    def _resolve(self, found: str) -> str | None:
        if found in self.surface:
            return self.surface[found]
        if HANGUL.search(found) or len(found) <= EXACT_CASE_MAX or found.islower():
            return None      # "aligned" in lower case is a word, not Aligned Data Centers
        return self.folded.get(found.casefold())

    def find(self, text: str) -> list[Mention]:
        """Every name in `text`, longest first where names overlap, left to right."""
        out: list[Mention] = []
        if self._regex is None:
            return out
        pos = 0
        while True:
            m = self._regex.search(text, pos)
            if not m:
                return out
            mention = self._accept(text, m.start(), m.end())
            if mention is None:
                pos = m.start() + 1
                continue
            out.append(mention)
            pos = mention.stop if mention.stop > m.start() else m.end()

    def _accept(self, text: str, start: int, end: int) -> Mention | None:
        found = text[start:end]
        eid = self._resolve(found)
        if eid is None:
            # the exact-case form may be a shorter alternative at this position
            for length in range(end - start - 1, 1, -1):
                sub = text[start:start + length]
                eid = self._resolve(sub) if sub in self.surface or sub.casefold() in self.folded else None
                if eid:
                    end, found = start + length, sub
                    break
            if eid is None:
                return None
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        latin_start, latin_end = not HANGUL.match(found[0]), not HANGUL.match(found[-1])
        if latin_start and (before.isascii() and before.isalnum()):
            return None
        if not latin_start and HANGUL.match(before):
            return None
        particle = ""
        if HANGUL.match(after):
            rest = re.match(r"[\uac00-\ud7a3]+", text[end:]).group(0)
            if _PARTICLE.fullmatch(rest):
                particle = rest
            elif not latin_end:
                return None          # 메타버스 is not 메타; a Latin name may run into Hangul (TSMC공장)
        elif latin_end and (after.isascii() and after.isalnum()):
            return None
        if latin_end and (sub := _SUB_COMPANY.match(text, end)) and sub.group(1) not in GENERIC_CAPS:
            return None              # "Samsung SDI", "LG CNS", "Samsung C&T": another company of the group
        if len(found) == 1 and not particle:
            return None              # a one-syllable name (델 = Dell) only with its particle: "델에서"
        return Mention(eid, start, end, found, particle)
