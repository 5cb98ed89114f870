"""Roles of a company in a deal sentence: the Korean particle after its name, the English word order
and preposition before it, and the lists names stand in together."""
from __future__ import annotations

import bisect
import re

from .mentions import _PARTICLE, Mention
from .deal_words import Keyword, _matchers


ROLE_OF_PARTICLE = {
    "가": "SUBJ", "이": "SUBJ", "은": "SUBJ", "는": "SUBJ", "도": "SUBJ", "측은": "SUBJ", "사는": "SUBJ",
    "사가": "SUBJ", "의": "POSS", "사의": "POSS", "사도": "SUBJ",
    "사와": "WITH", "사와의": "WITH", "사와도": "WITH", "사에": "TO", "사에게": "TO", "사로부터": "FROM", "사를": "OBJ",
    "와": "WITH", "과": "WITH", "와의": "WITH", "과의": "WITH", "와는": "WITH", "과는": "WITH",
    "와도": "WITH", "과도": "WITH", "랑": "WITH", "이랑": "WITH",
    "에": "TO", "에게": "TO", "에는": "TO", "에도": "TO", "에의": "TO", "향": "TO",
    "을": "OBJ", "를": "OBJ",
    "로부터": "FROM", "으로부터": "FROM", "에게서": "FROM", "에서": "FROM",
}
EN_PREPOSITIONS = {"in": "IN", "into": "IN", "with": "WITH", "to": "TO", "from": "FROM", "of": "OF",
                   "by": "BY", "for": "FOR", "between": "BETWEEN", "and": "AND"}
#: What joins names of one list: punctuation or "and", after a bracketed repeat ("(KIA)"), before
#: "the" or a place's possessive ("..., and Singapore's Temasek", "Abu Dhabi's MGX").
LIST_GLUE = re.compile(r"^\s*(?:\([^()]{1,30}\)\s*)?"
                       # a company's venture arm or foundry stands for it in a list ("AMD Ventures, Intel
                       # Capital, and NVIDIA")
                       r"(?:(?:Ventures|Capital|Foundry)\b\s*)?"
                       r"(?:[·,/、]|,?\s*(?i:and|or)|및|&|또는|그리고)\s*"
                       r"(?:the\s+)?(?:[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?['’]s\s+)?$")
#: the endings of a word that describes the name it stands before ("Nvidia-backed Ayar Labs",
#: "Seattle-based Acme"): such a word is no name, and the name it is made of is no party
DESCRIBED_BY = "based|headquartered|owned|backed|listed|born|led|funded|controlled|affiliated"


# --- roles -----------------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*|[\uac00-\ud7a3]+|\d[\d,.]*|[^\sA-Za-z\d\uac00-\ud7a3]")


#: what may stand between a clause's subject and its participle ("with the company also entering")
_BEFORE_PARTICIPLE = r"(?:also\s+|now\s+)?"


def en_role(sentence: str, m: Mention, kw: Keyword, mentions: list[Mention],
            stops: list[int] | None = None, path: str | None = None) -> str:
    """The role of an English mention relative to a keyword: POSS, a preposition, SUBJ or OBJ.
    `stops` (the mentions' sorted end positions) saves recomputing them for every call."""
    after = sentence[m.end:m.end + 2]
    if after in ("'s", "’s") or sentence[m.end:m.end + 1] in ("'", "’") and m.text.endswith("s"):
        return "POSS"
    if re.match(r"-(?:" + DESCRIBED_BY + r")\b", sentence[m.end:m.end + 16]):
        return "MOD"           # "Nvidia-backed Ayar Labs raised ...": a description of the next name
    if re.match(r"\s+(?:co-)?founders?\s+[A-Z]", sentence[m.end:m.end + 16]):
        return "MOD"           # "Citadel founder Ken Griffin": the founder invests, not the firm
    if re.search(r"\b(?:equipped|powered|built|fitted|loaded)\s+(?:with|by)\s+$", sentence[max(0, m.start - 20):m.start]):
        return "MOD"           # "servers equipped with Nvidia GB200 chips": a component's maker, not a party
    if _BEATEN.search(sentence, max(0, m.start - 60), m.start):
        return "MOD"           # "HPE had beaten Supermicro and Dell to win the contract": rivals, not parties
    rules = _matchers(path)
    participle, brk = rules["participle_subject"]["en"], rules["clause_break"]["en"]
    gap = re.match(r"(?:,?\s*(?:Inc|Corp|Ltd|Co)\.?)?\s+(?:\([^)]{0,30}\)\s*)?" + _BEFORE_PARTICIPLE, sentence[m.end:m.end + 50])
    if participle is not None and gap and m.start < kw.start and participle.match(sentence, m.end + gap.end()):
        return "SUBJ"          # "with Boom closing a round led by X": Boom is its clause's subject
    # the nearest preposition within four words before the name, not across a comma or a name
    stops = stops if stops is not None else sorted(o.stop for o in mentions)
    i = bisect.bisect_right(stops, m.start)
    window_start = stops[i - 1] if i else 0
    if i and re.fullmatch(r"['’]s\s+", sentence[window_start:m.start]):
        # "with Alphabet's Google": the owner's preposition is the name's
        window_start = stops[i - 2] if i > 1 else 0
    if m.start >= kw.end:
        # a name after the deal word takes a preposition standing after it: in "agreed to acquire
        # Aligned" the "to" is the verb's, Aligned is what is acquired
        window_start = max(window_start, kw.start)
    words = list(_WORD.finditer(sentence, window_start, m.start))[-5:]
    for hit in reversed(words):
        w = hit.group(0)
        lw = w.lower()
        if kw.start <= hit.start() and hit.end() < kw.end:
            continue           # "agreed to buy Channell": the "to" inside the deal phrase is not Channell's
        if lw == "and" and hit is not words[-1]:
            break              # "owner and operator IREN said": an "and" inside a description, not a list
        if lw in EN_PREPOSITIONS:
            return EN_PREPOSITIONS[lw]
        if lw in (",", ";", ":", "(", ")") or lw in ("said", "says", "and", "while", "that", "which"):
            break
        if brk is not None and brk.fullmatch(w):
            break              # "financing for the plants using Westinghouse reactors"
    return "SUBJ" if m.start < kw.start else "OBJ"


def ko_role(sentence: str, m: Mention, mentions: list[Mention]) -> str:
    wrapped = re.match(r"(?:\s*\([^()]{1,40}\)|['\"’”」』])([\uac00-\ud7a3]+)", sentence[m.end:m.end + 46])
    if not m.particle and wrapped and _PARTICLE.fullmatch(wrapped.group(1)):
        return ROLE_OF_PARTICLE.get(wrapped.group(1), "NONE")
    quoted = re.match(r"[^‘’'\"“”]{0,20}[’'\"”]([\uac00-\ud7a3]+)", sentence[m.end:m.end + 26])
    if not m.particle and quoted and m.start > 0 and sentence[m.start - 1] in "‘'\"“" \
            and _PARTICLE.fullmatch(quoted.group(1)):
        return ROLE_OF_PARTICLE.get(quoted.group(1), "NONE")   # "‘얼라인드 데이터 센터’를": the quoted full name's
    if m.particle:
        if m.particle == "에" and re.match(r"\s*대한", sentence[m.stop:]):
            return "TO"
        if m.particle in ("와", "과") and re.match(r"\s+[^\s,]{1,20},\s", sentence[m.stop:]):
            return "AND"       # "삼성전자와 SK그룹, 현대차그룹이": 와 joins a list, it is no "with"
        return ROLE_OF_PARTICLE.get(m.particle, "NONE")
    glossed = re.match(r"\)([\uac00-\ud7a3]+)", sentence[m.end:m.end + 8])
    if m.start > 0 and sentence[m.start - 1] == "(" and glossed and _PARTICLE.fullmatch(glossed.group(1)):
        return ROLE_OF_PARTICLE.get(glossed.group(1), "NONE")   # "아마존웹서비스(AWS)와": the gloss's particle
    tail = sentence[m.end:m.end + 30]
    # "인텔 측과" (Intel's side), "JP모건 등이" (JPMorgan and others): the particle after the noun
    etc = re.match(r"\s*(?:등|측|컨소시엄|연합)(과의|와의|과|와|에게|에|의|을|를|이|가|은|는|으로부터|로부터)"
                   r"(?![\uac00-\ud7a3])", tail)   # "블랙록 컨소시엄이": the consortium it leads
    if etc:
        return ROLE_OF_PARTICLE.get(etc.group(1), "NONE")
    if re.match(r"\s*(?:보통주|우선주|주식|지분|신주)\s*(?:[\d.,]+\s*%\s*)?(?:을|를|의)?(?![\uac00-\ud7a3])", tail):
        return "STAKE"         # "인텔 주식을 취득", "인텔 지분 2%": the company whose shares are bought
    if re.match(r"\s*(?:[\uac00-\ud7a3A-Za-z]+\s)?(?:최고경영자|최고재무책임자|CEO|CFO|대표|회장|사장|부사장)"
                r"(?:\([A-Z]+\))?(?:는|은|가|이)\s", tail):
        return "SUBJ"          # "코닝 최고경영자(CEO)는 ...": the company speaks through its chief
    rest = sentence[m.end:m.end + 2]
    if rest.startswith(",") and not any(o.start < m.start for o in mentions):
        return "SUBJ"          # headline style: "LS일렉트릭, 美 데이터센터 수주"
    if rest.startswith("(") or rest.startswith(" ") or rest == "":
        return "BARE"
    return "NONE"


def _groups(sentence: str, mentions: list[Mention]) -> list[int]:
    """A group number per mention: names joined only by list punctuation share a group."""
    groups, g = [], 0
    for i, m in enumerate(mentions):
        if i and LIST_GLUE.match(sentence[mentions[i - 1].stop:m.start]) and not mentions[i - 1].particle:
            groups.append(g)
        else:
            g += 1
            groups.append(g)
    return groups
#: the rivals a winner beat, named right after it (one list item may come first)
_BEATEN = re.compile(r"\b(?:beat|beaten|beating|outbid|outbidding|edged out|ousted)\s+"
                     r"(?:[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*\s*(?:,|and)\s+)?$")
