"""Deal sentences -> candidate relationships, by rules written for deal language (data/news_rules.yaml).

A sentence yields a candidate only when it names two companies, holds a deal word, and the
grammar gives each company a role in that deal: in Korean the particle after the name (가/는 the
subject, 의 the owner, 와/과 the other party, 에/에게/향 the receiver, 로부터 the source), in
English the word order and the preposition before the name (invest *in* Y, a deal *with* Y,
buy *from* Y, acquired *by* X). Names in a list (메타·코닝·아마존, "Nvidia, AMD and Intel") are never
paired with each other. Precision comes first: when no rule gives the roles, nothing is proposed.

>>> from capexgraph.ingest.mentions import EntityIndex
>>> idx = EntityIndex([
...     {"id": "nvidia", "name": "Nvidia", "name_ko": "엔비디아", "aliases": [], "kind": "company", "category": ["accelerator"]},
...     {"id": "coreweave", "name": "CoreWeave", "name_ko": "코어위브", "aliases": [], "kind": "company", "category": ["neocloud"]}])
>>> [(c.source, c.type, c.target, c.amount) for c in extract("엔비디아의 CoreWeave 20억달러 투자 발표.", idx, "ko")]
[('nvidia', 'invests_in', 'coreweave', 2000000000.0)]
>>> extract("엔비디아와 코어위브 주가가 올랐다.", idx, "ko")
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .amounts import Money, find_amounts
from .mentions import _PARTICLE, HANGUL, EntityIndex, Mention
from .ko_names import name_spans
from .deal_words import Keyword, MAX_SPAN, _matchers, find_keywords, sentences
from .deal_roles import ROLE_OF_PARTICLE, _BEFORE_PARTICIPLE, _groups, en_role, ko_role
from .new_names import (APPOSITIVE, GENERIC_WORDS, NEW_SUBJECT_VERB, PRODUCTISH, _EN_NAME, _KO_GENERIC, _NOT_IN_NP,
                        _ko_list_item, _list_items, _ticker_like, propose_unknown, slug)


#: Korean: what lies between a deal word and the subject its verb phrase describes ("계약까지 체결한 X는")
RELATIVE_CLAUSE = re.compile(r"[\uac00-\ud7a3\s]{0,16}?(?:한|된|맺은|받은|따낸|낸|얻은)\s+")
#: Korean: nouns without a particle between a name and the deal word ("오라클 데이터센터 자금 조달")
NOUN_COMPOUND = re.compile(r"(?:\s+[\uac00-\ud7a3A-Za-z0-9]*[\uac00-\ud7a3A-Za-z0-9](?<![을를은는이가의에와과로도]))"
                           r"{0,2}\s+")
#: Keyword classes that move money one way: a contract word beside one of them names the same deal.
MONEY_FRAMES = ("invest", "raise", "acquire", "lend", "commit")
JOINT_VERB = re.compile(
    r"^(?:\s*\([^)]*\))?(?:,?\s*(?:Inc|Corp|Corporation|Co|Ltd|Group|Platforms|Holdings)\.?)?"
    r"\s*(?:\([^)]*\)\s*)?(?:have |has |will |also |officially |jointly |today |on \w+ )*"
    r"(?:announced|announce|signed|sign|agreed|agree|struck|strike|inked|ink|formed|form|entered|enter|"
    r"said|unveiled|unveil|reached|launched|launch|expanded|expand|extended|extend|plan|plans|are|were)\b")


@dataclass
class Candidate:
    """A proposed relationship with the sentence that supports it."""

    source: str
    target: str
    type: str
    evidence: str
    confidence: float
    rule: str
    product: str | None = None
    product_class: str | None = None
    amount: float | None = None
    currency: str | None = None
    amount_qualifier: str = ""
    status: str = "announced"
    keyword_class: str = ""        # the deal word's class in data/news_rules.yaml (invest, contract ...)
    new_entities: dict[str, str] = field(default_factory=dict)   # proposed id -> name as written

    def take_amount(self, money: Money, reported: bool) -> None:
        """The deal's amount as written; a media report's amount without its own qualifier is
        marked `reported`."""
        self.amount, self.currency, self.amount_qualifier = money.value, money.currency, money.qualifier
        if reported and not self.amount_qualifier:
            self.amount_qualifier = "reported"

    def take_amount_of(self, other: "Candidate") -> None:
        """Another reading's amount of the same deal (its qualifier with it)."""
        self.amount, self.currency, self.amount_qualifier = other.amount, other.currency, other.amount_qualifier

    @property
    def key(self) -> tuple:
        ends = tuple(sorted((self.source, self.target))) if self.type == "partners_with" else (self.source, self.target)
        return (*ends, self.type)


# --- type and direction ------------------------------------------------------------------------
def _tier(idx: EntityIndex, eid: str, tiers: dict, new: set[str]) -> tuple[int | None, str | None]:
    if eid in new:
        return None, None
    cats = idx.categories(eid)
    if not cats or cats[0] not in tiers:
        return None, None
    spec = tiers[cats[0]]
    return spec.get("tier"), spec.get("sells")


@lru_cache(maxsize=4096)
def _product(sentence: str, lang: str, path: str | None) -> tuple[str | None, str | None, str | None]:
    """The first product the sentence names (cached: every candidate of a sentence asks)."""
    for rtype, label, rx in _matchers(path)["products"][lang]:
        for hit in rx.finditer(sentence):
            if lang == "en" and _ROLE_NOUN_AFTER.match(sentence, hit.end()):
                continue   # "AI cloud firm CoreWeave": it describes a party, it is not what is sold
            if lang == "en" and hit.group(0)[:1].isupper() and _IN_TITLE.search(sentence, 0, hit.start()) \
                    and _TITLE_AFTER.match(sentence, hit.end()):
                continue   # "Joule's High Performance Compute Data Center Campus": part of a name
            return rtype, label, hit.group(0)
    return None, None, None


#: a product word standing between capitalised words is part of a name ("High Performance Compute
#: Data Center Campus")
_IN_TITLE = re.compile(r"[A-Z][a-z]+\s+$")
_TITLE_AFTER = re.compile(r"\s+[A-Z][a-z]+")
#: a role noun right after a product word makes the phrase a description of a company
_ROLE_NOUN_AFTER = re.compile(r"\s+(?:firm|company|provider|operator|startup|specialist|giant|player)s?\b")


@lru_cache(maxsize=4096)
def _named_class(sentence: str, lang: str, path: str | None) -> str | None:
    """The product class of the first product the sentence names, if it is a supply product."""
    m = _matchers(path)
    for (ptype, _, _), (cls, rx) in zip(m["products"][lang], m["product_class"][lang]):
        if rx.search(sentence):
            return cls if ptype == "supplies" and cls else None
    return None


#: the product class a relationship type implies when nothing more specific is known
_TYPE_CLASS = {"cloud_capacity": "cloud_compute", "power_supply": "electricity",
               "lease": "datacenter_capacity", "licenses": "chip_ip"}


def _product_class(s, rtype: str, seller: str, new: set[str]) -> str | None:
    """What a supply-type candidate supplies: the product the sentence names (when it fits the
    relationship type), else what a seller of the seller's first category sells."""
    if rtype in _TYPE_CLASS:
        return _TYPE_CLASS[rtype]
    if rtype != "supplies":
        return None
    m = _matchers(s.path)
    named = _named_class(s.plain, s.lang, s.path)
    if named:
        return named
    if seller in new:
        return None
    cats = s.idx.categories(seller)
    spec = m["tiers"].get(cats[0]) if cats else None
    return (spec or {}).get("class")


def _pick_amount(amounts: list[Money], kw: Keyword, a: Mention, b: Mention,
                 keywords: list[Keyword] | None = None) -> Money | None:
    usable = [x for x in amounts if x.context_ok]
    if kw.cls == "partner" and keywords:
        # "a joint venture ... sealed a $7.1 billion financing": the money is the loan's, the
        # deal word nearest to it, not the partnership's
        usable = [x for x in usable
                  if not any(k.cls in MONEY_FRAMES and abs(k.start - x.start) <= 40 for k in keywords)]
    if not usable:
        return None
    lo, hi = min(a.start, b.start, kw.start), max(a.end, b.end, kw.end)
    inside = [x for x in usable if lo - 60 <= x.start <= hi + 80]
    pool = inside or []
    if not pool:
        return None
    return min(pool, key=lambda x: abs(x.start - kw.start))


def _role_references(text: str, lang: str, idx: EntityIndex, mentions: list[Mention],
                     recent: list[Mention], m: dict[str, Any]) -> list[Mention]:
    """"The chipmaker", "the utility": the last company named in earlier sentences whose
    categories include the role's, as a mention where the role noun stands (never a company the
    sentence names itself, never one no earlier sentence named)."""
    out: list[Mention] = []
    named = {x.entity for x in mentions}
    for cats, rx in m["roles"][lang]:
        for hit in rx.finditer(text):
            if any(x.start < hit.end() + 2 and hit.start() < x.stop for x in mentions + out):
                continue     # overlapping a name, or in apposition to one ("the chipmaker Nvidia")
            ref = next((x for x in reversed(recent) if not x.new and cats & set(idx.categories(x.entity))), None)
            if ref is None or ref.entity in named:
                continue
            particle = ""
            if lang == "ko":
                tail = re.match(r"[\uac00-\ud7a3]+", text[hit.end():])
                particle = tail.group(0) if tail and _PARTICLE.fullmatch(tail.group(0)) else ""
            out.append(Mention(ref.entity, hit.start(), hit.end(), hit.group(0), particle, False))
            named.add(ref.entity)
    anyref = m["coreference_any"][lang]
    if anyref is None:
        return out
    for hit in anyref.finditer(text):
        if any(x.start < hit.end() + 2 and hit.start() < x.stop for x in mentions + out):
            continue
        particle = ""
        if lang == "ko":
            tail = re.match(r"[\uac00-\ud7a3]+", text[hit.end():])
            particle = tail.group(0) if tail and _PARTICLE.fullmatch(tail.group(0)) else ""
            if ROLE_OF_PARTICLE.get(particle, "NONE") in ("SUBJ", "POSS", "NONE") or \
                    HANGUL.match(text[hit.start() - 1:hit.start()] or " "):
                continue     # the subject "이 회사는" is the previous sentence's subject (coreference)
        elif (own := _own_participle_subject(text, hit, mentions, m)) is not None:
            out.append(Mention(own.entity, hit.start(), hit.end(), hit.group(0), "", own.new))
            continue
        elif not re.search(r"\b(?:in|into|with|to|from|by|for)\s+$", text[max(0, hit.start() - 6):hit.start()],
                           re.IGNORECASE):
            continue         # "the company" as an object only: "invest $4 billion in the company"
        ref = next((x for x in reversed(recent) if x.entity not in named), None)
        if ref is None:
            continue
        out.append(Mention(ref.entity, hit.start(), hit.end(), hit.group(0), particle, ref.new))
        named.add(ref.entity)
    return out


def _own_participle_subject(text: str, hit: re.Match, mentions: list[Mention], m: dict[str, Any]) -> Mention | None:
    """"Shares of IREN surged, with the company also entering into an agreement with Dell": "the
    company" as the subject of a "with ... -ing" clause is the one company the sentence named before
    it (none when it named two or more: which one is meant is not clear)."""
    participle = m["participle_subject"]["en"]
    if participle is None or not re.search(r"\bwith\s+$", text[max(0, hit.start() - 6):hit.start()], re.IGNORECASE):
        return None
    after = re.match(r"\s+" + _BEFORE_PARTICIPLE, text[hit.end():])
    if not participle.match(text, hit.end() + after.end()):
        return None
    before = {x.entity: x for x in mentions if x.stop <= hit.start()}
    return next(iter(before.values())) if len(before) == 1 else None


#: Korean: a business unit named after its owner ("인텔 낸드 사업부", "삼성전자 파운드리 사업부문")
_KO_UNIT = re.compile(r"\s+(?:[\uac00-\ud7a3A-Za-z]+\s+){0,2}(?:사업부문|사업부)(?=[\s을를이가은는의와과에]|$)")


def _ko_unit(text: str, m: Mention) -> Mention:
    unit = _KO_UNIT.match(text, m.end)
    if unit is None or m.particle:
        return m
    name = text[m.start:unit.end()]
    particle = re.match(r"(을|를|이|가|은|는|의|와|과|에)(?![\uac00-\ud7a3])", text[unit.end():])
    return Mention(slug(name), m.start, unit.end(), name, particle.group(1) if particle else "", True)


class _Sentence:
    def __init__(self, text: str, lang: str, idx: EntityIndex, path: str | None,
                 prev_subject: Mention | None, recent: list[Mention] | None = None):
        self.text, self.lang, self.idx, self.path = text, lang, idx, path
        self.recent = recent or []
        m = _matchers(path)
        # a ticker that is also a common word of the trade is not the company ("SMR", NuScale's
        # ticker, is a small modular reactor; `not_names` in the rules)
        every = idx.find(text)
        found = [x for x in every if idx.kind(x.entity) == "company"
                 and not (x.text.isupper() and x.text in m["not_names"])]
        # where a place the dataset has stands ("United States"): no new company is proposed there
        self.places = [(x.start, x.stop) for x in every if idx.kind(x.entity) != "company"]
        # "AMD (AMD)", "엔비디아(NVDA)": a repeat in brackets is the same mention
        self.mentions = [x for i, x in enumerate(found)
                         if not (i and found[i - 1].entity == x.entity
                                 and re.fullmatch(r"\s*(?:Inc\.?|Corp\.?|Co\.?|Ltd\.?)?\s*[(（]\s*(?:[A-Za-z]{2,8}\s*:\s*)?",
                                                  text[found[i - 1].stop:x.start]))]
        if lang == "ko":
            # "인텔 낸드 사업부 인수": a company's business unit, named after it, is a party of its own
            self.mentions = [_ko_unit(text, x) for x in self.mentions]
        self.coref = False
        if prev_subject is not None:
            c = m["coref"][lang].match(text) if lang == "en" else m["coref"][lang].search(text[:12])
            if c and not any(x.start < c.end() + 2 for x in self.mentions):   # not "The AI company OpenAI"
                end, particle = c.end(), ""
                if lang == "ko" and c.group(0)[-1] in ("는", "가", "은"):
                    end, particle = c.end() - 1, c.group(0)[-1]
                # a company the dataset lacks keeps the name it was proposed under ("DataBank", not "The company")
                written = prev_subject.text if prev_subject.new else c.group(0)[:end - c.start()]
                self.mentions.insert(0, Mention(prev_subject.entity, c.start(), end, written,
                                                particle, prev_subject.new))
                self.coref = True
        self.join_memory: dict[str, Mention] = {}   # a round's raiser, a loan's borrower, named before
        self.mentions += _role_references(text, lang, idx, self.mentions, recent or [], m)
        self.mentions.sort(key=lambda x: x.start)
        self.groups = _groups(text, self.mentions)
        # the text with company names blanked: "네이버클라우드" or "Google Cloud" names a company, not
        # the cloud capacity a deal sells (same length, so positions still match)
        plain = list(text)
        for x in found:
            plain[x.start:x.end] = " " * (x.end - x.start)
        self.plain = "".join(plain)
        # a deal word inside a company's name ("Darsana Capital Partners") is not deal language
        self.keywords = [k for k in find_keywords(text, lang, path)
                         if not any(x.start <= k.start and k.end <= x.end for x in found)]
        if lang == "en":
            self._drop_brands()
            self._goods_bought()
        self.amounts = find_amounts(text)
        self.reported = bool(m["reported"][lang].search(text))
        self.exploratory = bool(m["exploratory"][lang].search(text))
        self.terminated = bool(m["terminated"][lang].search(text))

    def _goods_bought(self) -> None:
        """"agreed to buy gas turbines from Siemens Energy": a buying word whose next company stands
        after "from" buys goods from it, it does not acquire it; the word is read as a purchase too."""
        for k in [k for k in self.keywords if k.cls == "acquire" and re.search(r"\bbuy(?:ing)?$", k.text, re.I)]:
            nxt = next((x for x in self.mentions if x.start >= k.end), None)
            if nxt is not None and re.search(r"\bfrom\s+$", self.text[k.end:nxt.start]) and \
                    not re.search(r"[.;]", self.text[k.end:nxt.start]):
                self.keywords.append(Keyword("buy", k.start, k.end, k.text))

    def _drop_brands(self) -> None:
        """"CoreWeave's Nvidia GPUs": a company named between another's possessive and a product
        word is the product's brand, not a party to the deal (the possessor is)."""
        keep = []
        for i, x in enumerate(self.mentions):
            prev = self.mentions[i - 1] if i else None
            if prev is not None and prev.entity != x.entity and \
                    re.fullmatch(r"['’]s?\s+", self.text[prev.end:x.start]) and \
                    _product(self.plain[x.end:x.end + 30], "en", self.path)[0] is not None and \
                    re.match(r"\s+(?:[A-Za-z0-9-]+\s+){0,2}?\S", self.text[x.end:x.end + 30]):
                continue
            keep.append(x)
        if len(keep) != len(self.mentions):
            self.mentions = keep
            self.groups = _groups(self.text, self.mentions)

    def role(self, mention: Mention, kw: Keyword) -> str:
        if self.lang == "ko":
            return ko_role(self.text, mention, self.mentions)
        key = (id(self.mentions), len(self.mentions))
        if getattr(self, "_stops_key", None) != key:  # mentions may grow (proposed new companies)
            self._stops_key, self._stops = key, sorted(o.stop for o in self.mentions)
        return en_role(self.text, mention, kw, self.mentions, self._stops, self.path)

    def subject(self) -> Mention | None:
        """The company this sentence is about (for a following 'the company')."""
        for m in self.mentions:
            end = Keyword("", len(self.text), len(self.text), "")
            r = ko_role(self.text, m, self.mentions) if self.lang == "ko" else \
                en_role(self.text, m, end, self.mentions, path=self.path)
            if r in ("SUBJ", "POSS"):
                return m
        return self.mentions[0] if self.mentions else None


Pair = tuple[Mention, Mention, float, str]


def _reach(text: str, m: Mention, kw: Keyword) -> int:
    """Characters between a name and a deal word, less an appositive the name opens."""
    far = abs(m.start - kw.start)
    if m.end < kw.start and far > MAX_SPAN:
        app = APPOSITIVE.match(text, m.end)
        if app is not None and app.end() <= kw.start:
            far -= app.end() - m.end
    return far


class _Frame:
    """The names around one deal word, with their roles: what every frame rule reads."""

    def __init__(self, s: "_Sentence", kw: Keyword, cls: str):
        self.s, self.kw, self.cls = s, kw, cls
        self.near = [m for m in s.mentions if _reach(s.text, m, kw) <= MAX_SPAN]
        self.roles = {id(m): s.role(m, kw) for m in self.near} if len(self.near) >= 2 else {}
        self.group = {id(m): g for m, g in zip(s.mentions, s.groups)}
        self.before = [m for m in self.near if m.start < kw.start]
        self.after = [m for m in self.near if m.start > kw.end]
        # names after this keyword but before the next one belong to this keyword ("a contract with X,
        # money that Y says will fund an agreement with Z": Z is the agreement's, not the contract's)
        later = [k.start for k in s.keywords if k.start > kw.end]
        self.own_after = [m for m in self.after if not later or m.start < min(later)]

    def role(self, m: Mention) -> str:
        return self.roles[id(m)]

    def pick(self, cands: list[Mention], wanted: tuple[str, ...], nearest_to: int) -> Mention | None:
        """The candidate in one of the `wanted` roles nearest to a position. A name the dataset
        lacks takes a grammatical role only as a clause's subject (Kiwi's tagged opening subject
        in Korean, a name its verb follows in English) or as what is acquired."""
        s, kw = self.s, self.kw

        def usable(m: Mention) -> bool:
            r = self.roles[id(m)]
            if r not in wanted or (r == "AND" and m.start > kw.start):
                return False
            if m.new and r in ("OBJ", "BARE", "SUBJ", "POSS", "AND") and self.cls != "acquire" and not (
                    r == "OBJ" and self.cls == "award"):   # "awarded Fluor a contract": who is awarded
                return r == "SUBJ" and (s.lang == "ko" or bool(NEW_SUBJECT_VERB.match(s.text[m.end:])))
            return True
        hits = [m for m in cands if usable(m)]
        return min(hits, key=lambda m: abs(m.start - nearest_to)) if hits else None


def _frame_pairs(s: "_Sentence", kw: Keyword, cls: str) -> list[Pair]:
    """(agent, patient, base confidence, rule) for one keyword, from the roles around it."""
    f = _Frame(s, kw, cls)
    if spec_frame(s.path, cls) == "join":
        return _join_pairs(f)
    if s.lang == "ko" and cls == "invest":
        joined = _ko_joined_round(f)
        if joined:
            return joined
    if cls == "partner" and not f.near:
        both = _both_named_before(s, kw)
        if both:
            return both
    if len(f.near) < 2:
        return []
    if s.lang == "en" and cls in ("partner", "contract", "lease"):
        among = _among(f)
        if among:
            return among
    pairs = _ko_pairs(f) if s.lang == "ko" else _EN_FRAMES.get(cls, _en_agreement)(f)
    return pairs + _list_mates(f, pairs)


def spec_frame(path: str | None, cls: str) -> str:
    return _matchers(path)["frames"][cls].get("frame", "")


#: how many sentences after the one that names it a round's raiser or a loan's borrower is remembered
JOIN_MEMORY = {"round": 4, "loan": 10, "acquire": 8}
_JOIN_BEFORE = re.compile(r"\s*(?:,\s*)?(?:also\s+|have\s+|has\s+|had\s+|was\s+|were\s+|are\s+|is\s+|will\s+|"
                          r"(?:engaged|acting|serving|joining)\s+as\s+|as\s+|co-|"   # "TD Securities engaged as the Administrative Agent"
                          r"the\s+|an?\s+|joint\s+|lead\s+|sole\s+|co-)*$", re.IGNORECASE)   # "were Joint Lead Arrangers"
#: what may stand between a joining word and the first name it lists: "led by the", "led by
#: investment firm Neuberger Berman"
_JOIN_AFTER = re.compile(r"^\s*(?:the\s+)?(?:(?:[a-z-]+\s+){0,2}(?:firm|fund|company|manager|giant)\s+)?$")
#: a relative clause inside a list of names: ", which is now a part of Hewlett Packard Enterprise Co., "
_LIST_ASIDE = re.compile(r",\s+(?:which|who)\s(?:[^;.]|(?<=Co|nc|rp|td)\.){1,120}?,\s*")
#: what introduces the names after a joining word: "participating in the round include ..."
_JOIN_LIST_AFTER = re.compile(r"(?:\s+in\s+the\s+(?:round|financing|raise))?\s+(?:include|includes|included|are|were)\b")


def _join_kind(cls: str) -> str:
    return "loan" if cls.endswith("loan") else "acquire" if cls.endswith("acquire") else "round"


def _in_sentence_raiser(s: "_Sentence") -> Mention | None:
    """"led a $225 million round into Cerebras": the company the round is for, named after it."""
    rx = _matchers(s.path)["round_words"][s.lang]
    if rx is None:
        return None
    for hit in rx.finditer(s.text):
        m = next((x for x in s.mentions if re.fullmatch(r"\s+(?:into|in|for)\s+", s.text[hit.end():x.start])), None)
        if m is not None:
            return m
    return None


def _participants(f: _Frame) -> list[Mention]:
    """The list of names a joining word belongs to: right before it ("IVP, Greylock and Blackbird also
    participated", "with A and B co-leading", "C and D were joint lead arrangers") or right after it
    ("led by A, B and C", "with participation from D and E", "alongside F")."""
    s, kw = f.s, f.kw
    if s.lang == "ko":
        # "이번 컨소시엄에는 A와 B도 참여": the names between a consortium word and the join word
        rx = _matchers(s.path)["consortium_words"]["ko"]
        opener = [h for h in rx.finditer(s.text, max(0, kw.start - MAX_SPAN), kw.start)] if rx is not None else []
        if not opener:
            return []
        return [m for m in s.mentions if opener[-1].end() <= m.start and m.stop <= kw.start
                and m.particle in ("와", "과", "도", "이", "가", "")]
    if re.search(r"(?:\bby|\bfrom|\bof|alongside|with|including|such as|include)$", kw.text, re.IGNORECASE):
        found = [m for m in s.mentions if m.start >= kw.end and _JOIN_AFTER.fullmatch(s.text[kw.end:m.start])]
        anchor = found[0] if found else None
    else:
        found = [m for m in s.mentions if m.stop <= kw.start and _JOIN_BEFORE.fullmatch(s.text[m.stop:kw.start])]
        anchor = found[-1] if found else None
        listed = _JOIN_LIST_AFTER.match(s.text, kw.end)
        if anchor is None and listed is not None:
            # "investors participating in the round include 3M Ventures and Autopilot"
            found = [m for m in s.mentions if m.start >= listed.end() and _JOIN_AFTER.fullmatch(s.text[listed.end():m.start])]
            anchor = found[0] if found else None
    if anchor is None:
        return []
    g = f.group.get(id(anchor))
    out = [m for m in s.mentions if f.group.get(id(m)) == g]
    # "participation from Juniper Networks, which is now a part of HPE Co., Mayfield, Lam Capital
    # and K2 Access": a relative clause inside the list does not end it (what it names is not listed)
    aside = _LIST_ASIDE.match(s.text, out[-1].stop)
    nxt = next((m for m in s.mentions if aside is not None and m.start == aside.end()), None)
    if nxt is not None:
        out += [m for m in s.mentions if f.group.get(id(m)) == f.group.get(id(nxt))]
    return out


def _join_pairs(f: _Frame) -> list[Pair]:
    """Investors that lead or join a round, banks that arrange a loan: each listed name invests in
    (lends to) the round's raiser (the loan's borrower) — the company the sentence names after "round
    into", else the one a sentence just before named raising (borrowing) — "Baseten closed a $1.5
    billion round. The round was led by A and B; C also participated." """
    s, kw = f.s, f.kw
    kind = _join_kind(f.cls)
    raiser = (_in_sentence_raiser(s) if kind == "round" else None) or s.join_memory.get(kind)
    if raiser is None:
        return []
    out = []
    for m in _participants(f):
        if m.entity == raiser.entity or s.lang == "en" and s.role(m, kw) == "MOD":
            continue       # (not "Citadel founder Ken Griffin": the firm describes its founder)
        if m.new and not (m.text[:1].isupper() or re.match(r"[a-z][A-Z]|\d+\s?[A-Z]", m.text)):
            continue
        out.append((m, raiser, 0.8, f"{s.lang}: X {kw.text} (the {kind} of Y, named before)"))
    return out


#: "공장에", "리벨리온에": what an investment goes to, stated (a date, "3월에", "상반기에", is not)
_KO_OWN_TARGET = re.compile(r"[\uac00-\ud7a3A-Za-z0-9)]+(?<![일월년초말중기])(?<!분기|반기)(?:에|에게)(?:\s|$)")
#: "A, B, C 등이" / "A, B 등은": a comma list of names right before an investing word
_KO_LIST_BEFORE = re.compile(r"((?:[^\s,()]{2,20}(?:\([^()]{1,30}\))?\s*,\s*)+[^\s,()]{2,20}(?:\([^()]{1,30}\))?)"
                             r"\s*등(?:이|은|도)\s+$")
#: "라이온엑스벤처스(LionX Ventures)는 600만달러 투자를": a name glossed in brackets, as the clause's subject
_KO_GLOSSED_SUBJECT = re.compile(r"(?:^|\s)([\uac00-\ud7a3A-Za-z0-9]{2,20})\(([A-Za-z][^()]{1,40})\)(?:은|는|이|가)\s")


def _ko_item(s: "_Sentence", start: int, end: int, path: str | None) -> Mention | None:
    """One item of a listed set of investors: the dataset's company there, else a new name
    (a single word, not a common noun such as 기관 or 투자자들)."""
    word = s.text[start:end]
    glossed = re.fullmatch(r"(.+?)\(([^()]+)\)", word)
    if glossed:
        word, end = glossed.group(1), start + len(glossed.group(1))
    known = next((m for m in s.mentions if m.start < end and start < m.end), None)
    if known is not None:
        return known
    return _ko_list_item(word, start, path)


def _ko_joined_round(f: _Frame) -> list[Pair]:
    """Investors that join a round named earlier in the article, in Korean: "퓨리오사AI는 ... 시리즈D
    투자유치 라운드 ... 산업은행, IMM인베스트먼트, 한국투자파트너스 등이 투자를 확정" (each listed
    name invests in the raiser), "라이온엑스벤처스(LionX Ventures)는 600만달러 투자를 결정" (the
    clause's subject does). Only where the sentence names no investee itself."""
    s, kw = f.s, f.kw
    raiser = s.join_memory.get("round")
    verbs = _matchers(s.path)["join_round_verbs"]["ko"]
    # "투자를 확정", "투자에 참여": the words right after the investing word (news_rules.yaml)
    if raiser is None or verbs is None or not verbs.match(s.text, kw.end):
        return []
    before = s.text[:kw.start]
    clause_start = max(before.rfind(". "), before.rfind("다, "), 0)
    if any(m.entity != raiser.entity and clause_start <= m.start < kw.start and
           ko_role(s.text, m, s.mentions) in ("TO", "STAKE") for m in s.mentions):
        return []                  # "B에 투자를 결정": the sentence names its own investee
    investors: list[Mention] = []
    listed = _KO_LIST_BEFORE.search(before)
    if listed:
        for start, word in _list_items(listed):
            item = _ko_item(s, start, start + len(word), s.path)
            if item is None:
                return []          # "VC, 기관 투자자 등이": not a list of names
            investors.append(item)
    else:
        glossed = [g for g in _KO_GLOSSED_SUBJECT.finditer(before) if g.start(1) >= clause_start]
        subj = [m for m in s.mentions if clause_start <= m.start < kw.start and
                ko_role(s.text, m, s.mentions) == "SUBJ"]
        if subj:
            investors = [subj[-1]]
        elif glossed:
            g = glossed[-1]
            item = _ko_item(s, g.start(1), g.end(1), s.path)
            investors = [item] if item is not None else []
        if investors and any(m.start > investors[0].end and m.start < kw.start and m.entity != investors[0].entity
                             for m in s.mentions):
            return []              # another company stands between the investor and its investment
        if investors and _KO_OWN_TARGET.search(s.text, investors[0].stop, kw.start):
            return []              # "삼성전자는 텍사스 공장에 170억달러 투자를 결정": it invests in something named
    return [(m, raiser, 0.75, f"ko: X {kw.text}{s.text[kw.end:kw.end + 3].strip()} (the round of Y, named before)")
            for m in investors if m.entity != raiser.entity]


def _both_named_before(s: "_Sentence", kw: Keyword) -> list[Pair]:
    """"Nvidia will invest $1 billion in Nokia ... Both companies will collaborate on AI networking",
    "양사는 ... 협력하기로 했다": the two companies are the two the sentences just before named (none
    when they named more than two: which two is not clear)."""
    rx = _matchers(s.path)["pair_reference"][s.lang]
    hit = next((h for h in rx.finditer(s.text, 0, kw.start) if kw.start - h.end() <= 40), None) if rx is not None else None
    if hit is None:
        return []
    named = list({x.entity: x for x in s.recent if not x.new}.values())
    if len(named) != 2:
        return []
    a, b = named
    return [(a, b, 0.7, f"{s.lang}: {hit.group(0)} {kw.text} (the two companies named before)")]


def _mates(f: _Frame, m: Mention) -> list[Mention]:
    """The other known names of the list `m` stands in ("JP모건 체이스, 미쓰비시UFJ 등이", "Blue Owl,
    Crusoe and Primary Digital"): a list shares its place in the clause."""
    g = f.group.get(id(m))
    return [x for x in f.near if x is not m and x.entity != m.entity and f.group.get(id(x)) == g]


def _list_mates(f: _Frame, pairs: list[Pair]) -> list[Pair]:
    """Each further name of a listed party takes the same deal with the other party: "JP모건,
    미쓰비시UFJ 등이 오라클에 대출" is a loan from each bank. Names of one list are still never paired
    with each other."""
    out: list[Pair] = []
    seen = {(a.entity, b.entity) for a, b, _, _ in pairs}
    for agent, patient, base, rule in pairs:
        if f.group.get(id(agent)) == f.group.get(id(patient)):
            continue
        # each mate of the agent with the patient, then the agent with each mate of the patient
        for a, b in [(m, patient) for m in _mates(f, agent)] + [(agent, m) for m in _mates(f, patient)]:
            if a.entity != b.entity and (a.entity, b.entity) not in seen:
                out.append((a, b, base - 0.05, rule + " (a name in the same list)"))
                seen.add((a.entity, b.entity))
    return out


def _among(f: _Frame) -> list[Pair]:
    """"A joint venture between Blue Owl, Crusoe and Primary Digital", "an agreement among X, Y and
    Z": every two names of the list right after "between"/"among" are the agreement's parties."""
    s, kw = f.s, f.kw
    hit = re.match(r"\s+(?:\w+\s+){0,2}?(?:between|among|amongst)\s+(?:the\s+)?", s.text[kw.end:kw.end + 40])
    if not hit:
        return []
    start = kw.end + hit.end()
    first = next((m for m in f.after if m.start == start), None)
    if first is None:
        return []
    group = [m for m in f.after if f.group.get(id(m)) == f.group.get(id(first))]
    names = list({m.entity: m for m in group}.values())
    if len(names) < 2:
        return []
    return [(a, b, 0.75, f"en: {kw.text} between X and Y (tiers)")
            for i, a in enumerate(names) for b in names[i + 1:]]


#: Korean: the particle roles a deal's second party takes, by keyword class.
_KO_PATIENT = {"invest": ("TO", "STAKE"), "lend": ("TO",), "grant": ("TO", "FROM"), "acquire": ("OBJ",), "supply": ("TO", "WITH", "FROM"),
               "buy": ("FROM", "WITH", "POSS"), "raise": ("FROM",),
               # "Y로부터 ... 임차", "Y에 ... 임대": a lease's other party; the tiers give the direction
               "lease": ("WITH", "FROM", "TO")}


def _ko_pairs(f: _Frame) -> list[Pair]:
    s, kw, cls = f.s, f.kw, f.cls
    patient_roles = _KO_PATIENT.get(cls, ("WITH",))     # contract, partner, lease: the other party
    pool = f.before if f.before else f.near
    agent = f.pick(pool, ("SUBJ", "POSS"), 0) if pool else None
    if agent is None and f.before:
        # "... 공급 계약까지 체결한 효성중공업은": the subject the deal's verb phrase describes
        agent = next((m for m in f.after if f.role(m) == "SUBJ" and RELATIVE_CLAUSE.fullmatch(s.text[kw.end:m.start])
                      and (not m.new or s.lang == "ko")), None)
        if agent is not None:
            pool = [x for x in f.before if x is not agent] + [agent]
    if agent is None:
        if cls in ("contract", "partner", "lease", "supply"):
            # "메타와 코닝은 ... 계약": the joint subject is a WITH name followed by a SUBJ name
            for m, nxt in zip(pool, pool[1:]):
                if f.role(m) == "WITH" and f.role(nxt) == "SUBJ" and not s.text[m.stop:nxt.start].strip():
                    return [(nxt, m, 0.75, "ko: X와 Y는 ... (joint subject)")]
        return []
    rest = [m for m in pool if m is not agent and f.group[id(m)] != f.group[id(agent)]]
    if cls == "buy" and f.role(agent) == "SUBJ":
        stake = f.pick(rest, ("STAKE",), kw.start)
        if stake is not None:
            # "엔비디아는 인텔 지분 50억달러어치를 사들였다": shares bought are an investment
            return [(agent, stake, 0.8, f"ko: X{agent.particle} Y 지분 ... {kw.text} (a stake)")]
        rest = [m for m in rest if f.role(m) in patient_roles and (f.role(m) != "POSS" or m.start > agent.start)]
    patient = f.pick(rest, patient_roles, kw.start)
    if patient is None and cls in ("invest", "acquire") and f.role(agent) == "POSS":
        # "엔비디아의 CoreWeave 20억달러 투자": the bare name right after the owner
        patient = next((m for m in rest if m.start > agent.start and f.role(m) == "BARE"
                        and not s.text[agent.stop:m.start].strip()), None)
    if patient is None and cls in ("invest", "lend", "acquire") and f.role(agent) == "SUBJ":
        # "JP모건 등이 오라클 데이터센터 자금 조달을 ...", "소프트뱅크는 오픈AI 지분 투자": a bare name
        # that opens the noun phrase ending in the deal word is what the deal is for
        patient = next((m for m in rest if agent.start < m.start < kw.start and f.role(m) == "BARE"
                        and NOUN_COMPOUND.fullmatch(s.text[m.end:kw.start])), None)
    if patient is None and cls == "buy" and f.role(agent) == "SUBJ":
        # "삼성전자가 엔비디아 최신 GPU를 공급받아": the maker's name before what is bought
        patient = next((m for m in pool if agent.start < m.start < kw.start and f.role(m) == "BARE"
                        and f.group[id(m)] != f.group[id(agent)]
                        and _product(s.plain[m.end:m.end + 20], "ko", s.path)[0]), None)
    if patient is None and cls == "supply" and f.role(agent) == "SUBJ" and \
            re.search(r"(?:사|업체)(?:로|다|이다|인)$", kw.text) and \
            not re.match(r"\s*\S*(?:한|된|하는|되는|던)\s", s.text[agent.stop:]):   # not "TVA가 발표한 ..."
        # "두산에너빌리티가 뉴스케일의 ... 핵심 공급사로": the supplier of the owner named before
        patient = next((m for m in reversed(rest) if agent.start < m.start < kw.start and f.role(m) == "POSS"), None)
        if patient is not None:
            return [(agent, patient, 0.75, f"ko: X{agent.particle} Y의 ... {kw.text} (its supplier)")]
    if patient is None:
        return []
    if cls == "grant" and f.role(patient) == "FROM":
        # "앱솔릭스가 미국 정부로부터 ... 보조금을 받게": the receiver is the subject, the grantor gives
        return [(patient, agent, 0.8, f"ko: X{agent.particle} Y{patient.particle} {kw.text} (received)")]
    if cls == "supply" and f.role(patient) == "WITH":
        sale = _matchers(s.path)["sale_contracts"]["ko"]
        if sale is not None and sale.match(s.text, kw.start):
            return []   # "Y와 ... 공급 계약": the contract word's frame gives this deal's roles
        return [(agent, patient, 0.65, f"ko: {agent.particle} ... {patient.particle} {kw.text} (tiers)")]
    out = [(agent, patient, 0.85, f"ko: X{agent.particle} Y{patient.particle} {kw.text}")]
    if cls in ("invest", "acquire") and f.role(agent) == "SUBJ":
        # "블랙록과 인공지능 칩 제조업체 엔비디아가 ... 인수": a 와/과 name before the subject, with only
        # describing nouns between, is a second subject
        co = next((m for m in pool if m.stop <= agent.start and f.role(m) == "WITH" and m is not patient and
                   re.fullmatch(r"(?:\s+[\uac00-\ud7a3A-Za-z]+(?<![은는이가을를의에와과도로]))*\s+",
                                s.text[m.stop:agent.start])), None)
        if co is not None and co.entity not in (agent.entity, patient.entity):
            out.append((co, patient, 0.75, f"ko: X와 Y{agent.particle} ... {kw.text} (joint subject)"))
    return out


def _en_invest(f: _Frame) -> list[Pair]:
    kw = f.kw
    agent = f.pick(f.before, ("SUBJ", "POSS"), kw.start) or f.pick(f.near, ("BY", "FROM"), kw.start)
    patient = f.pick([m for m in f.own_after if m is not agent], ("IN", "TO", "FOR", "OBJ"), kw.end)
    if patient is None:
        found = _attributive(f, agent)
        if found is not None:
            return [(*found, 0.75, f"en: X's Y {kw.text}")]
    if patient is None and agent is not None and f.role(agent) == "SUBJ":
        # "Crusoe secured a $750 million credit facility from Brookfield": the money comes from the
        # party after "from"; the subject receives it
        lender = f.pick([m for m in f.own_after if m is not agent], ("FROM",), kw.end)
        if lender is not None:
            return [(lender, agent, 0.8, f"en: Y ... {kw.text} from X")]
    if agent is None or patient is None or (f.role(patient) == "OBJ" and
                                            kw.text.lower() not in ("backs", "backed", "backing")):
        return []
    return [(agent, patient, 0.85, f"en: X {kw.text} {f.role(patient).lower()} Y")]


def _subject_and(f: _Frame, cands: list[Mention], wanted: tuple[str, ...]) -> tuple[Mention, Mention] | None:
    """The clause's subject before the deal word and the nearest other name in a `wanted` role."""
    agent = f.pick(f.before, ("SUBJ", "POSS"), f.kw.start)
    patient = f.pick([m for m in cands if m is not agent], wanted, f.kw.end)
    return (agent, patient) if agent is not None and patient is not None else None


def _en_raise(f: _Frame) -> list[Pair]:
    rounds = _matchers(f.s.path)["round_words"]["en"]
    money = any(k.cls in ("raise", "lend", "invest") and k is not f.kw for k in f.s.keywords)
    if f.kw.text.lower() == "led by" and not money and not (rounds is not None and rounds.search(f.s.text)):
        return []      # "The firm, led by Mike Novogratz, ...": who runs a company, not a round
    found = _subject_and(f, f.near, ("FROM", "BY"))      # "Y raised $N from X", "a round led by X"
    if found and f.kw.text.lower() == "raised" and re.fullmatch(
            r"(?:\s+(?:previously|already|recently|earlier|also))?\s+by\s+", f.s.text[f.kw.end:found[1].start]):
        return []      # "the debt of $9.9 billion previously raised by CoreWeave": the money X raised itself
    if found and re.search(r",\s+(?:which|who)\b", f.s.text[f.kw.end:found[1].start]):
        return []      # "Celestial AI, which raised $250 million, as well as Coherent, which received ... from
        #               Nvidia": the party after "from" belongs to another clause
    # (agent, patient) as the Korean frame: the subject raises, the frame reverses it
    return [(*found, 0.8, f"en: Y {f.kw.text} ... from/by X")] if found else []


#: after an owner's name, the unit of it that is named: "Intel Corp.'s programmable chip business unit "
_UNIT_OF = re.compile(r"(?:\s+(?:Corp|Inc|Co|Ltd)\.?)?['’]s\s+(?:[\w-]+\s+){0,4}(?:unit|business|division|subsidiary|arm)\s+")


def _passive(f: _Frame) -> bool:
    """The deal word is a passive verb ("was acquired by", "was awarded a contract by")."""
    return bool(re.search(r"\b(?:was|were|been|be|is|being)\s+(?:\w+\s+)?$", f.s.text[:f.kw.start]))


def _en_acquire(f: _Frame) -> list[Pair]:
    kw = f.kw
    if _passive(f):
        target = f.pick(f.before, ("SUBJ",), kw.start)
        acquirer = f.pick(f.after, ("BY",), kw.end)
    else:
        acquirer = f.pick(f.before, ("SUBJ", "POSS"), kw.start) or f.pick(f.after, ("BY",), kw.end)
        # "a controlling stake in Motivair": a stake that gives control is an acquisition of Motivair
        wanted = ("OBJ", "OF", "IN") if re.search(r"stake$", kw.text, re.IGNORECASE) else ("OBJ", "OF")
        target = f.pick([m for m in f.after if m is not acquirer], wanted, kw.end)
    if target is not None:
        unit = _UNIT_OF.match(f.s.text, target.end)
        named = next((m for m in f.after if unit is not None and m.start == unit.end()), None)
        if named is not None:
            target = named       # "a majority stake in Intel's programmable chip business unit Altera"
    goods = target is not None and f.role(target) == "OF" and _GOODS_OF.search(f.s.text, kw.end, target.start)
    if acquirer is not None and _GOODS_AFTER.match(f.s.text, kw.end):
        # "agreed to buy $9.7 billion of cloud computing capacity from IREN": goods bought from a seller
        others = [m for m in f.after if m is not acquirer]
        seller = f.pick(others, ("FROM",), kw.end)
        if seller is None:   # "... of Google Cloud capacity": the maker of the goods named
            seller = next((m for m in others if f.role(m) == "OF" and not m.new
                           and _product(f.s.text[m.start:m.end + 40], "en", f.s.path)[0]), None)
        if seller is not None:
            return [(acquirer, seller, 0.8, f"en: X {kw.text} goods from Y (goods bought)")]
    if goods:
        return []      # "agreed to buy up to $10 billion of Google Cloud capacity": goods, not the company
    if acquirer is None or target is None:
        return []
    return [(acquirer, target, 0.85, f"en: X {kw.text} Y")]


#: an amount of something bought: "buy $10 billion of", "up to 1 GW worth of"
_GOODS_OF = re.compile(r"[\d.,]+\s*(?:[a-zA-Z]+\s+){0,2}(?:worth\s+)?of\s+(?:the\s+)?$")
#: an amount of goods right after a buying word: "buy $9.7 billion of cloud computing capacity"
_GOODS_AFTER = re.compile(r"\s+(?:up to\s+|about\s+|nearly\s+|more than\s+)?(?:US)?\$?[\d.,]+\s*"
                          r"(?:[a-zA-Z]+\s+){0,2}(?:worth\s+)?of\s")


def _en_commit(f: _Frame) -> list[Pair]:
    found = _subject_and(f, f.own_after, ("TO",))
    return [(*found, 0.75, f"en: X {f.kw.text} ... to Y")] if found else []


def _en_license(f: _Frame) -> list[Pair]:
    found = _subject_and(f, f.own_after, ("TO", "FROM"))
    if not found:
        return []
    agent, patient = found
    if f.role(patient) == "FROM":           # "Y licensed technology from X": the licensee is the subject
        agent, patient = patient, agent
    return [(agent, patient, 0.8, f"en: X {f.kw.text} ... to Y")]


def _en_trade(f: _Frame) -> list[Pair]:
    """supply ("X supplies Y", "to Y") and buy ("Y buys from X"; "deploy 1 GW of AMD GPUs")."""
    s, kw, cls = f.s, f.kw, f.cls
    agent = f.pick(f.before, ("SUBJ", "POSS"), kw.start)
    wanted = ("TO", "FOR", "OBJ", "WITH") if cls == "supply" else ("FROM", "WITH", "OBJ", "POSS")
    won = _matchers(s.path)["order_won"]["en"]
    if cls == "supply" and (won is not None and won.match(kw.text) or re.search(r"\bfrom$", kw.text, re.I)):
        wanted += ("FROM", "BY")        # "won a $1 billion contract from Meta", "an order from Meta": Meta buys
    deploy = cls == "buy" and kw.text.lower().startswith("deploy")
    if deploy:
        wanted = ("OF", "POSS", "FROM")    # "deploy 1 GW of AMD GPUs", "deploy AMD's GPUs"
    patient = f.pick([m for m in f.own_after if m is not agent], wanted, kw.end)
    if patient is None and cls == "buy" and not deploy:
        # "buy up to $10 billion of Google Cloud capacity": the seller of the goods named after "of"
        seller = f.pick([m for m in f.own_after if m is not agent], ("OF",), kw.end)
        if seller is not None and _product(s.plain[seller.end:seller.end + 40], "en", s.path)[0]:
            patient = seller
    if patient is None and cls == "supply":
        # "deliver 120 MW to host CoreWeave's GPUs": whose data centers, servers ... are supplied
        patient = f.pick([m for m in f.own_after if m is not agent], ("POSS",), kw.end)
        if patient is not None and re.search(r"[.!?][”\"’']?\s+[A-Z“\"]", s.text[kw.end:patient.start]):
            patient = None   # a possessor in the next sentence of a quote is not what is supplied
        if patient is not None and not patient.new and not re.search(r"\b(?:for|into)\s+$", s.text[:patient.start]):
            # (not "supply HBM4 for AMD's MI450 accelerators": what it is supplied for is AMD's)
            # "access to Nvidia's GB300 processors": a maker's own product is a brand, not a customer's
            spec = _matchers(s.path)["tiers"].get((s.idx.categories(patient.entity) or [""])[0]) or {}
            made = _named_class(s.plain[patient.end:patient.end + 40], "en", s.path)
            if made is not None and made == spec.get("class"):
                patient = None
    if deploy and patient is not None and not (
            _product(s.plain[patient.end:patient.end + 40], "en", s.path)[0]
            or f.role(patient) == "FROM" and _product(s.plain[kw.end:patient.start], "en", s.path)[0]):
        patient = None    # "deploy OpenAI's models" is not a purchase; "deploy 50,000 GPUs from AMD" is
    if agent is None or patient is None:
        return []
    bought = _matchers(s.path)["company_purchase"]["en"]
    if cls == "buy" and f.role(patient) == "OBJ" and bought is not None and bought.fullmatch(kw.text) \
            and re.fullmatch(r"\s*(?:the\s+|rival\s+)?", s.text[kw.end:patient.start]) \
            and not _product(s.plain[patient.end:patient.end + 40], "en", s.path)[0]:
        # "CoreWeave will buy Core Scientific in an all-stock deal": the company itself is bought
        # (not "buy Nvidia chips", "buy Corning fiber": goods of a maker)
        return [(agent, patient, 0.8, f"en: X {kw.text} Y (the company itself)")]
    sym = f.role(patient) == "WITH" or (cls == "buy" and f.role(patient) == "OBJ")
    role = f.role(patient).lower()
    said = kw.text if kw.text.lower().endswith(" " + role) else f"{kw.text} {role}"
    return [(agent, patient, 0.65 if sym else 0.85, f"en: X {said} Y{' (tiers)' if sym else ''}")]


def _attributive(f: _Frame, agent: Mention | None = None) -> tuple[Mention, Mention] | None:
    """"Nebius signs $17.4 billion Microsoft deal", "Oracle's OpenAI contract": a name standing in
    the noun phrase the deal noun ends (at most two words between, no verb or preposition) is the
    deal's other party; the clause's subject before it the first."""
    s, kw = f.s, f.kw
    if not re.fullmatch(r"(?:deals?|contracts?|agreements?|pacts?|partnerships?|alliance|investments?|"
                        r"stake|orders?|loans?|financing|tie-up)", kw.text, re.IGNORECASE) or not f.before:
        return None
    m = f.before[-1]
    words = s.text[m.end:kw.start].split()
    if m.new or len(words) > 2 or f.role(m) not in ("SUBJ", "OBJ", "POSS") or not all(
            re.fullmatch(r"[A-Za-z0-9$.%-]+", w) and not _NOT_IN_NP.fullmatch(w) for w in words):
        return None
    if agent is None or agent is m:
        agent = f.pick([x for x in f.before if x.start < m.start and f.group.get(id(x)) != f.group.get(id(m))],
                       ("SUBJ", "POSS"), m.start)
    if agent is None or agent.entity == m.entity or f.group.get(id(agent)) == f.group.get(id(m)):
        return None
    return agent, m


def _en_agreement(f: _Frame) -> list[Pair]:
    """contract, partner, lease: two parties, the direction left to products and tiers."""
    kw = f.kw
    joint = _joint_subject(f.s, [m for m in f.before if not m.new], kw if f.cls == "partner" else None)
    if joint is not None:
        agent, patient = joint
    else:
        agent = f.pick(f.before, ("SUBJ", "POSS"), kw.start)
        other = [m for m in f.own_after + [m for m in f.before if m is not agent]
                 if m is not agent and (agent is None or f.group[id(m)] != f.group[id(agent)])]
        # "lease a campus from Vantage", "leases 200 MW to Oracle": the other party of a lease
        wanted = {"partner": ("WITH", "BETWEEN", "FOR"), "lease": ("WITH", "BETWEEN", "FROM", "TO")
                  }.get(f.cls, ("WITH", "BETWEEN"))
        patient = f.pick([m for m in other if m.start > kw.start or f.role(m) == "WITH"], wanted, kw.start)
        won = _matchers(f.s.path)["order_won"]["en"]
        if patient is None and agent is not None and won is not None and won.search(f.s.text, agent.end, kw.start):
            # "Celestica won a $1 billion contract from Meta": the party it was won from
            patient = f.pick([m for m in f.own_after if m is not agent], ("FROM", "BY", "FOR"), kw.end)
        if patient is None:
            agent, patient = _attributive(f, agent) or (agent, None)
    if agent is None or patient is None or agent.entity == patient.entity:
        return []
    return [(agent, patient, 0.75, f"en: X ... {kw.text} with Y (tiers)")]


def _en_make_for(f: _Frame) -> list[Pair]:
    """"TSMC is the sole manufacturer of Nvidia's Blackwell GPUs", "Foxconn assembles servers for
    Meta": the maker supplies whoever owns what is made (the possessor, or the party after "for")."""
    kw = f.kw
    maker = f.pick(f.before, ("SUBJ",), kw.start)
    owner = f.pick([m for m in f.own_after if m is not maker], ("POSS", "FOR"), kw.end)
    if maker is None or owner is None or f.role(owner) == "POSS" and not _product(
            f.s.plain[owner.end:owner.end + 40], "en", f.s.path)[0]:
        return []      # "Nvidia's" must own goods ("Nvidia's GPUs"), not a plan or a share
    return [(maker, owner, 0.8, f"en: X {kw.text} Y's goods")]


def _en_award(f: _Frame) -> list[Pair]:
    """"Oracle awarded a $2 billion contract to Fluor", "Oracle awarded Fluor the contract": the
    subject buys; "Fluor was awarded a contract by Oracle": the party after "by" does. (agent,
    patient) = (buyer, seller), as the reversed frame wants."""
    kw = f.kw
    if _passive(f):
        seller = f.pick(f.before, ("SUBJ",), kw.start)
        buyer = f.pick([m for m in f.after if m is not seller], ("BY", "FROM"), kw.end)
    else:
        buyer = f.pick(f.before, ("SUBJ", "POSS"), kw.start)
        # past the contract word the award names: "awarded a contract to Y"
        seller = f.pick([m for m in f.after if m is not buyer], ("TO", "OBJ"), kw.end)
    if buyer is None or seller is None:
        return []
    if any(k.cls == "grant" for k in f.s.keywords):
        # "Commerce awarded Micron up to $6.165 billion in direct funding": a grant, not a purchase
        return [(buyer, seller, 0.8, f"en: X {kw.text} Y ... funding (a grant)")]
    return [(buyer, seller, 0.8, f"en: X {kw.text} ... Y")]


_EN_FRAMES = {"invest": _en_invest, "lend": _en_invest, "raise": _en_raise, "acquire": _en_acquire,
              "commit": _en_commit, "license": _en_license, "supply": _en_trade, "buy": _en_trade,
              "award": _en_award, "make_for": _en_make_for, "grant": _en_invest}


#: what may stand between a joint subject and the deal word that is its verb ("will", "plan to")
_JOINT_AUX = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:(?:have|has|will|would|also|jointly|plan|plans|agreed|"
                        r"are|were|to|now|further|officially)\s+)*")


def _joint_subject(s: "_Sentence", before: list[Mention], kw: Keyword | None = None) -> tuple[Mention, Mention] | None:
    """Two names opening a clause together, followed by its verb: "Meta and Corning signed",
    "Meta, Corning sign", "AMD (AMD) and OpenAI announced" (not "the Nvidia and AMD GPU deals"),
    or by the deal word itself as the verb: "Nvidia and Nokia will collaborate"."""
    for first, second in reversed(list(zip(before, before[1:]))):
        if re.search(r"\b(?:including|such as|like)\s+$", s.text[max(0, first.start - 12):first.start]) or \
                kw is not None and re.fullmatch(r"(?:agreements|deals|contracts|partnerships)", kw.text, re.I):
            continue   # "companies including Amazon and Meta have signed agreements": examples, not a pair
        if first.entity != second.entity and re.fullmatch(r"\s*(?:\([^)]*\))?\s*(?:,\s*and|,|and|&)\s*",
                                                          s.text[first.end:second.start]) \
                and (JOINT_VERB.match(s.text[second.end:]) or
                     kw is not None and _JOINT_AUX.fullmatch(s.text, second.end, kw.start)):
            return first, second
    return None


#: relationship types whose seller, between two parties of one tier, the data can tell
_SOLD_BY_RECORD = frozenset({"cloud_capacity", "lease", "power_supply"})


def _by_tiers(s: _Sentence, kw: Keyword, agent: Mention, patient: Mention, rtype: str | None,
              product_type: str | None, new: set[str]) -> tuple[Mention, Mention, str, float]:
    """An agreement's seller, buyer and type (and a confidence penalty) from the two parties'
    places in the chain (`tiers` in data/news_rules.yaml) and what the sentence says is sold."""
    tiers = _matchers(s.path)["tiers"]
    ta, sa = _tier(s.idx, agent.entity, tiers, new)
    tb, sb = _tier(s.idx, patient.entity, tiers, new)
    src, dst, penalty = agent, patient, 0.0
    sale = _matchers(s.path)["sale_contracts"][s.lang]
    if ta is None and s.lang == "ko" and kw.cls == "contract" and sale is not None and \
            sale.search(s.text, max(0, kw.start - 30), kw.end + 4):
        # "동부건설이 앰코코리아와 1,729억원 규모의 '... 증축공사' 계약", "두산에너빌리티가 엑스에너지와
        # ... 공급 계약": in a Korean supply, sale or construction contract a subject the dataset
        # lacks is the seller (the one that files the order it won), whatever the counterparty's
        # tier; a known subject keeps its tier ("메타가 ... 코닝과 광섬유 공급 계약": Meta buys)
        return agent, patient, product_type or "supplies", 0.05
    if ta is not None and tb is not None and ta != tb:
        src, dst = (agent, patient) if ta > tb else (patient, agent)
        seller_sells = sa if ta > tb else sb
    elif (ta is None) != (tb is None) and (ta if ta is not None else tb) not in (2, 3):
        # one side unknown: a known buyer (a lab, a hyperscaler) faces a seller, and a known
        # upstream maker (a foundry, a fiber maker) faces a buyer
        known_tier = ta if ta is not None else tb
        known, unknown = (agent, patient) if ta is not None else (patient, agent)
        src, dst = (unknown, known) if known_tier <= 1 else (known, unknown)
        seller_sells = None if known_tier <= 1 else (sa if ta is not None else sb)
        penalty = 0.05
    else:
        seller_sells = sa if ta is not None else None
        penalty = 0.1 if ta == tb and ta is not None else 0.05
    if kw.cls == "lease":
        rtype = "lease"
    elif kw.cls == "partner":
        differ = ta is not None and tb is not None and ta != tb
        # a collaboration "to co-develop and deploy custom accelerators" sells a product; "a
        # compute partner" or "a cloud partnership" alone does not say who buys what
        rtype = product_type if (product_type == "supplies" and differ and not s.exploratory) else "partners_with"
    elif kw.cls == "contract" and s.exploratory and s.amounts == []:
        rtype = "partners_with"      # "agreed to explore", a memorandum: not yet a sale
    elif kw.cls == "contract":
        rtype = product_type or seller_sells or ("supplies" if (ta or 0) != (tb or 0) else "partners_with")
        if rtype == "supplies" and seller_sells == "cloud_capacity":
            rtype = "cloud_capacity"   # a cloud seller's "GPUs" are GPU capacity it rents (Lambda to Microsoft)
    else:
        rtype = rtype or product_type or "supplies"
    if ta == tb and rtype in _SOLD_BY_RECORD:
        # two parties of one tier (two hyperscalers): the seller is the one the dataset records
        # selling this, when only one of them does ("Meta signed a cloud contract with Google")
        sell_a = s.idx.sells_to_others(agent.entity, rtype, patient.entity)
        sell_b = s.idx.sells_to_others(patient.entity, rtype, agent.entity)
        if sell_a != sell_b:
            src, dst = (agent, patient) if sell_a else (patient, agent)
    return src, dst, rtype, penalty


def _raised_as_debt(s: "_Sentence", kw: Keyword, m: dict[str, Any]) -> bool:
    """Money raised is a loan when a debt word stands within 40 characters ("a debt raise led by X"),
    or a lending word does ("a construction financing from a consortium led by X") and no equity
    word ("a Series B financing round led by X")."""
    window = s.text[max(0, kw.start - 40):kw.end + 40]
    if m["debt"][s.lang].search(window):
        return True
    lo, hi = kw.start - 40, kw.end + 40
    # a bare "financing" names money raised of any kind ("secured $155 million in financing led by
    # Advent"); a financing named for what it builds or borrows against is debt (`lend` in the rules)
    lending = any(k.cls == "lend" and k.text.lower() != "financing" and lo <= k.end and k.start <= hi
                  for k in s.keywords)
    equity = m["equity"][s.lang]
    return lending and not (equity is not None and equity.search(window))


#: the name of a government or agency, the only grantors ("U.S. Department of Commerce", "미국 상무부")
_GRANTOR = re.compile(r"(?i)government|department|ministry|agency|administration|정부|[가-힣]부$|[가-힣]청$")


#: Frames whose grammar says the deal is of another kind than their keyword's class, marked at the
#: end of the rule they return: (the patient sells, the type; None: read from what is bought)
_READ_AS = {"(the company itself)": (False, "acquires"),   # "CoreWeave will buy Core Scientific"
            "(a stake)": (False, "invests_in"),            # "인텔 지분 50억달러어치를 사들였다"
            "(goods bought)": (True, None),                # "agreed to buy $9.7 billion of ... from IREN"
            "(a grant)": (False, "grants")}                # "Commerce awarded Micron ... in direct funding"


def _decide(s: _Sentence, kw: Keyword, agent: Mention, patient: Mention, base: float, rule: str,
            new: set[str]) -> Candidate | None:
    """The candidate one frame gives: its type and direction, amount, status and confidence."""
    m = _matchers(s.path)
    spec = m["frames"][kw.cls]
    frame, rtype = spec["frame"], spec["type"]
    src, dst = (patient, agent) if frame == "reversed" else (agent, patient)
    conf = base
    product_type, product_label, _ = _product(s.plain, s.lang, s.path)
    override = next((v for k, v in _READ_AS.items() if rule.endswith(k)), None)
    if override is not None:
        seller_first, rtype = override
        src, dst = (patient, agent) if seller_first else (agent, patient)
        if rtype is None:   # what is bought may be named with its maker ("Google Cloud capacity")
            rtype = _product(s.text[patient.start:patient.end + 40], s.lang, s.path)[0] or product_type or "supplies"
    if frame == "commit" and product_type is not None:
        # money committed to a seller for a product is a purchase: the seller supplies the buyer
        src, dst, rtype = patient, agent, product_type
    if kw.cls in ("contract", "lease", "partner") or "(tiers)" in rule:
        src, dst, rtype, penalty = _by_tiers(s, kw, agent, patient, rtype, product_type, new)
        conf -= penalty
    elif kw.cls in ("raise", "join_round") and _raised_as_debt(s, kw, m):
        rtype = "lends"                  # "a debt raise led by X": X lends
    elif rtype == "supplies" and product_type in ("cloud_capacity", "power_supply", "lease"):
        rtype = product_type
    if rtype == "supplies" and kw.cls in ("supply", "buy", "contract"):
        _, sells = _tier(s.idx, src.entity, m["tiers"], new)
        if product_type is None and sells in ("cloud_capacity", "power_supply", "lease"):
            rtype = sells
    if src.entity == dst.entity:
        return None
    if rtype == "grants" and not (s.idx.sells.get(src.entity, {}).get("grants") or _GRANTOR.search(src.text)):
        return None      # a grant comes from a government or agency (the data's grantors)
    cand = Candidate(source=src.entity, target=dst.entity, type=rtype, evidence=s.text,
                     confidence=conf, rule=f"{kw.cls}: {rule}", keyword_class=kw.cls,
                     product=product_label if rtype not in ("invests_in", "acquires", "lends",
                                                            "partners_with") else None,
                     product_class=_product_class(s, rtype, src.entity, new))
    _qualify(cand, s, kw, agent, patient, (src, dst))
    return cand


def _qualify(cand: Candidate, s: _Sentence, kw: Keyword, agent: Mention, patient: Mention,
             ends: tuple[Mention, Mention]) -> None:
    """Amount, status and the confidence a reviewer should give the candidate: a stated amount
    raises it; a media report, a company named only by reference, a new name, or names far from
    the deal word lower it."""
    money = _pick_amount(s.amounts, kw, agent, patient, s.keywords)
    if money is not None:
        cand.take_amount(money, s.reported)
        cand.confidence += 0.05
    if s.reported:
        cand.status = "reported_not_confirmed"
        cand.confidence -= 0.1
    if s.terminated:
        cand.status = "terminated"
    if s.coref and (agent is s.mentions[0] or patient is s.mentions[0]):
        cand.confidence -= 0.15
        cand.rule += " (the company = the previous sentence's subject)"
    for x in ends:
        if x.new:
            cand.new_entities[x.entity] = x.text
            cand.confidence -= 0.1
    if max(abs(agent.start - kw.start), abs(patient.start - kw.start)) > 100:
        cand.confidence -= 0.1
    cand.confidence = round(min(0.95, max(0.05, cand.confidence)), 2)


# --- frames across sentences ------------------------------------------------------------------------
def _amounts_nearby(best: dict[tuple, Candidate], found_in: dict[tuple, int], read: list[_Sentence],
                    m: dict[str, Any]) -> None:
    """Give a deal without an amount the amount of a following sentence that refers back to a
    deal ("계약 금액은 1062억원", "The contract is worth $2.1 billion"), when nothing contradicts:
    the deal is the only one of its sentence, no other deal is found in between, and the amount
    sentence names no company outside the deal."""
    by_sentence: dict[int, list[Candidate]] = {}
    for key, i in found_in.items():
        if key in best:
            by_sentence.setdefault(i, []).append(best[key])
    for i, cands in by_sentence.items():
        if len(cands) != 1 or cands[0].amount is not None:
            continue
        cand = cands[0]
        for j in range(i + 1, min(len(read), i + 1 + m["amount_window"])):
            s = read[j]
            if j in by_sentence:
                break                                    # another deal: its amounts are its own
            if {x.entity for x in s.mentions} - {cand.source, cand.target}:
                break                                    # about another company
            ref = m["deal_reference"][s.lang].search(s.text)
            usable = [a for a in s.amounts if a.context_ok]
            if ref is None or not usable:
                continue
            money = min(usable, key=lambda a: abs(a.start - ref.start()))
            cand.take_amount(money, s.reported)
            cand.evidence = f"{cand.evidence} … {s.text}"
            cand.rule += " + amount from a following sentence"
            break


_KO_SUBJECT_TAGS = {"JKS", "JX"}


def _zero_subject(s: _Sentence, subject: Mention) -> None:
    """Korean leaves out a subject the sentence before named ("소프트뱅크는 실적을 발표했다. 또 오픈AI에
    225억달러를 투자한다고 밝혔다."): a deal sentence that names the other party (에/와/로부터/을) but
    has no subject of its own, not even a common noun ("정부는", "이번 계약은"), takes the previous
    sentence's subject as its first party."""
    first_kw = min(k.start for k in s.keywords)
    before = [x for x in s.mentions if x.start < first_kw]
    if not before or subject.entity in {x.entity for x in s.mentions}:
        return
    roles = [ko_role(s.text, x, s.mentions) for x in before]
    if any(r in ("SUBJ", "POSS", "NONE", "BARE") for r in roles) or \
            not any(r in ("TO", "WITH", "FROM", "OBJ", "STAKE") for r in roles):
        return
    from .sentences import _kiwi
    for tok in _kiwi().tokenize(s.text[:first_kw]):
        if tok.tag in _KO_SUBJECT_TAGS:
            return                        # some noun is the subject or topic: not this company
    s.mentions.insert(0, Mention(subject.entity, 0, 0, "", "가", subject.new))
    s.groups = _groups(s.text, s.mentions)
    s.coref = True


_OPENING_VERB = re.compile(r"\s+(?:has|have|had|is|was|will|did|does|said|says|announced|reported|plans|operates)\b")


def _opening_new_subject(s: _Sentence, idx: EntityIndex, path: str | None) -> None:
    """An English sentence without deal words that opens with a name the dataset lacks and its verb
    ("DataBank has more than doubled its credit lines"): the name is the subject a following "The
    company" refers to."""
    hit = _EN_NAME.match(s.text)
    if hit is None or not (_OPENING_VERB.match(s.text, hit.end()) or NEW_SUBJECT_VERB.match(s.text[hit.end():])):
        return
    name = hit.group(0)
    not_names = _matchers(path)["not_names"]
    if any(w in not_names or w in GENERIC_WORDS for w in name.split()) or _ticker_like(name) or \
            re.search(PRODUCTISH, name):
        return
    # "Benchmark Capital led a round ... Benchmark did not stop there": the short form of a name the
    # article gave before is that company
    earlier = next((x for x in reversed(s.recent) if x.new and x.text.startswith(name + " ")), None)
    s.mentions = [Mention(earlier.entity if earlier else slug(name), 0, len(name),
                          earlier.text if earlier else name, "", True)]
    s.groups = _groups(s.text, s.mentions)


def _remembered(s: _Sentence) -> dict[str, Mention]:
    """The round's raiser and the loan's borrower this sentence names, for the sentences after it
    that list who joined: the company after "round into", or the clause's subject before a raising
    (round) or lending word that is not itself a joining party."""
    m = _matchers(s.path)
    joined = set()
    for kw in s.keywords:
        if spec_frame(s.path, kw.cls) == "join":
            joined |= {id(x) for x in _participants(_Frame(s, kw, kw.cls))}
    out: dict[str, Mention] = {}
    rounds = m["round_words"][s.lang]
    firsts = {"round": [k.start for k in s.keywords if k.cls == "raise"] +
              ([h.start() for h in rounds.finditer(s.text)] if rounds is not None else []),
              "loan": [k.start for k in s.keywords if k.cls == "lend"]}
    for kind, starts in firsts.items():
        if not starts:
            continue
        inside = _in_sentence_raiser(s) if kind == "round" else None
        if inside is not None:
            out[kind] = inside
            continue
        end = Keyword("", min(starts), min(starts), "")
        subj = next((x for x in s.mentions if x.start < end.start and id(x) not in joined and
                     (ko_role(s.text, x, s.mentions) if s.lang == "ko" else
                      en_role(s.text, x, end, s.mentions, path=s.path)) == "SUBJ"), None)
        if subj is None and s.lang == "ko" and kind == "round":
            subj = _ko_new_raiser(s, end.start)
        if subj is not None:
            out[kind] = subj
    return out


def _ko_new_raiser(s: _Sentence, round_at: int) -> Mention | None:
    """A company the dataset lacks that raises the round a Korean sentence names: the proper noun
    (Kiwi) that is the clause's subject before the round word ("퓨리오사AI는 ... 시리즈D 투자유치"),
    or whose round it is ("퓨리오사AI의 700억원 규모 신규 투자 유치가")."""
    not_names = _matchers(s.path)["not_names_ko"]
    for span in reversed([x for x in name_spans(s.text[:round_at]) if x.end < round_at]):
        role = ROLE_OF_PARTICLE.get(span.particle)
        if role == "POSS" and round_at - span.end > 25 or role not in ("SUBJ", "POSS"):
            continue
        if len(span.text) < 2 or span.text in not_names or _KO_GENERIC.fullmatch(span.text) or \
                any(m.start < span.end and span.start < m.end for m in s.mentions):
            continue
        return Mention(slug(span.text), span.start, span.end, span.text, span.particle, True)
    return None


# --- the whole pipeline ----------------------------------------------------------------------------
def extract(text: str, idx: EntityIndex, lang: str, path: str | None = None,
            propose_new: bool = True) -> list[Candidate]:
    """Candidate relationships in a text, one per (pair, type), best evidence first."""
    best: dict[tuple, Candidate] = {}
    prev_subject: Mention | None = None
    last_subject: Mention | None = None        # the subject of the sentence just before, if any
    read: list[_Sentence] = []
    found_in: dict[tuple, int] = {}            # candidate key -> the sentence its evidence is from
    memory: dict[str, tuple[Mention, int]] = {}  # "round"/"loan" -> (raiser/borrower, sentence number)
    for sent in sentences(text, lang):
        s = _Sentence(sent, lang, idx, path, prev_subject, [x for r in read[-3:] for x in r.mentions])
        read.append(s)
        if lang == "ko" and s.keywords and last_subject is not None:
            _zero_subject(s, last_subject)
        if not s.keywords and propose_new and lang == "en" and not s.mentions:
            _opening_new_subject(s, idx, path)
        if s.keywords and propose_new:
            unknown = propose_unknown(sent, lang, idx, s.mentions, path, s.places)
            if unknown:
                s.mentions = sorted(s.mentions + unknown, key=lambda x: x.start)
                s.groups = _groups(sent, s.mentions)
        s.join_memory = {k: x for k, (x, i) in memory.items() if len(read) - 1 - i <= JOIN_MEMORY[k]}
        new = {m.entity for m in s.mentions if m.new} | {x.entity for x in s.join_memory.values() if x.new}
        found = [c for kw in s.keywords for agent, patient, base, rule in _frame_pairs(s, kw, kw.cls)
                 if (c := _decide(s, kw, agent, patient, base, rule, new)) is not None]
        # "invests $2B in Intel under a contract signed with Intel": the contract IS the investment;
        # "X가 Y와 전력구매계약을 체결": the contract IS the purchase, and the purchase says who sells
        money_pairs = {frozenset((c.source, c.target)) for c in found
                       if c.keyword_class in MONEY_FRAMES + ("license",)}
        directed = {c.key for c in found if c.keyword_class not in ("contract", "partner")}
        directed_pairs = {frozenset(k[:2]) for k in directed}
        for cand in found:
            if cand.keyword_class in ("contract", "partner") and (
                    frozenset((cand.source, cand.target)) in money_pairs
                    or frozenset((cand.source, cand.target)) in directed_pairs and cand.key not in directed):
                continue
            old = best.get(cand.key)
            if old is None or (cand.confidence, cand.amount is not None) > (old.confidence, old.amount is not None):
                if old is not None and cand.amount is None and old.amount is not None:
                    cand.take_amount_of(old)
                best[cand.key] = cand
                found_in[cand.key] = len(read) - 1
            elif old.amount is None and cand.amount is not None:
                old.take_amount_of(cand)
        for kind, (x, _) in list(memory.items()):
            if x.text in s.text:   # an article that keeps naming the raiser keeps its round in mind
                memory[kind] = (x, len(read) - 1)
        for kind, x in _remembered(s).items():
            memory[kind] = (x, len(read) - 1)
        for cand in found:
            # an acquisition's target, for the sentences after it that list who joined the buyers
            target = next((x for x in s.mentions if x.entity == cand.target), None)
            if cand.keyword_class == "acquire" and target is not None:
                memory["acquire"] = (target, len(read) - 1)
        subj = s.subject()
        if subj is not None:
            prev_subject = subj
        last_subject = subj if subj is not None and not s.coref else None
    _amounts_nearby(best, found_in, read, _matchers(path))
    # "Prysmian said the Channell deal ...": a contract word about a pair the article already gave a
    # money deal (an acquisition, an investment, a loan, a licence) names that deal, not a second one;
    # "... said its contract with Microsoft includes a 20% prepayment": so does an unpriced contract
    # word about a pair the article already gave a priced deal of another type
    pair = lambda c: frozenset((c.source, c.target))  # noqa: E731
    money = {pair(c) for c in best.values() if c.keyword_class in MONEY_FRAMES + ("license",)}
    priced = {pair(c): k for k, c in best.items() if c.amount is not None}
    best = {k: c for k, c in best.items()
            if not (c.keyword_class in ("contract", "partner") and pair(c) in money
                    or c.keyword_class == "contract" and c.amount is None and priced.get(pair(c), k) != k)}
    directed = {pair(c) for c in best.values() if c.type != "partners_with"}
    kept = [c for c in best.values() if c.type != "partners_with" or pair(c) not in directed]
    return sorted(kept, key=lambda c: -c.confidence)