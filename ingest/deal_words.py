"""The deal vocabulary of data/news_rules.yaml, compiled: the rules file, sentence windows and the
deal words (keywords) a sentence holds."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .yamlio import safe_load as _yaml_load
from .sentences import pieces, split as split_sentences


MAX_SPAN = 160   # characters between a name and its deal word


def rules_path() -> Path:
    return Path(str(resources.files("capexgraph.data").joinpath("news_rules.yaml")))


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> dict[str, Any]:
    with open(path or rules_path(), encoding="utf-8") as fh:
        return _yaml_load(fh)


# --- sentences -------------------------------------------------------------------------------
#: Longest stretch of text read as one sentence. Every rule looks at most MAX_SPAN characters from
#: its deal word, so a longer "sentence" (a table flattened into one line, a list of names) is read
#: in overlapping windows: the work per window is bounded and a long input costs linear time.
MAX_SENTENCE = 1200


def _windows(sentence: str) -> list[str]:
    """Overlapping pieces of at most MAX_SENTENCE characters, cut at spaces; each overlap is wide
    enough (2 x MAX_SPAN) that a deal word and both its names fall inside one piece."""
    return pieces(sentence, MAX_SENTENCE, 2 * MAX_SPAN)


def sentences(text: str, lang: str) -> list[str]:
    """The text's sentences (ingest/sentences.py: Kiwi for Korean, pySBD for English); a sentence
    longer than MAX_SENTENCE is read in overlapping windows.

    >>> sentences("Nvidia Corp. said so. U.S. rules apply.", "en")
    ['Nvidia Corp. said so.', 'U.S. rules apply.']
    >>> long = " ".join(["Nvidia and Meta"] * 200)
    >>> all(len(w) <= MAX_SENTENCE for w in sentences(long, "en")), len(sentences(long, "en")) > 2
    (True, True)
    """
    return [w for s in split_sentences(text, lang) for w in _windows(s)]


# --- keywords --------------------------------------------------------------------------------
@dataclass
class Keyword:
    cls: str
    start: int
    end: int
    text: str


def _compile_terms(terms: list[str], lang: str, word_start: bool = False) -> re.Pattern:
    """One pattern for a word list; English words match whole; Korean ones anywhere (particles and
    endings follow them), or with `word_start` only where a word begins ("클라우드 계약", not the
    company name "네이버클라우드")."""
    parts = sorted({str(t) for t in terms}, key=len, reverse=True)
    body = "|".join(re.escape(p) for p in parts)
    if lang == "en":
        return re.compile(r"(?<![A-Za-z])(?:" + body + r")(?![A-Za-z])", re.IGNORECASE)
    return re.compile(("(?<![\uac00-\ud7a3])" if word_start else "") + "(?:" + body + ")")


def _compile_refs(terms: list[str], lang: str) -> re.Pattern:
    """Words that refer back to a company; an English one may carry up to three modifiers after its
    "the" ("the Santa Clara-based chipmaker", "the South Korean memory maker", "the Texas company")."""
    if lang != "en":
        return _compile_terms(terms, lang)
    parts = []
    for t in sorted({str(t) for t in terms}, key=len, reverse=True):
        head, _, rest = t.partition(" ")
        if head.lower() == "the" and rest:
            # a modifier is not a function word: "the deal, with the company" is two phrases
            parts.append(r"the\s+(?:(?!(?:the|an?|with|and|or|of|in|into|to|for|by|from|after|as|at|on)\b)"
                         r"[\w.'’&-]+,?\s+){0,3}?" + re.escape(rest))
        else:
            parts.append(re.escape(t))
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(parts) + r")(?![A-Za-z])", re.IGNORECASE)


@lru_cache(maxsize=4)
def _matchers(path: str | None) -> dict[str, Any]:
    rules = load_rules(path)
    out: dict[str, Any] = {"keywords": {}, "not_deal": {}, "reported": {}, "terminated": {}, "deal_reference": {},
                           "products": {}, "coref": {}, "exploratory": {}, "debt": {}}
    for lang in ("en", "ko"):
        out["keywords"][lang] = [(cls, _compile_terms(spec.get(lang) or [], lang))
                                 for cls, spec in rules["keywords"].items() if spec.get(lang)]
        for key, name in (("not_deal", "not_deal"), ("reported", "reported"), ("terminated", "terminated"),
                          ("coref", "coreference"), ("exploratory", "exploratory"),
                          ("deal_reference", "deal_reference"), ("debt", "debt")):
            out[key][lang] = (_compile_refs if key == "coref" else _compile_terms)(rules[name][lang], lang)
        out["products"][lang] = [(p["type"], p["label"], _compile_terms(p.get(lang) or [], lang, True))
                                 for p in rules["products"] if p.get(lang)]
        out.setdefault("product_class", {})[lang] = [
            (p.get("class"), _compile_terms(p.get(lang) or [], lang, True)) for p in rules["products"] if p.get(lang)]
    out["not_names"] = set(rules["not_names"])
    out["name_endings"] = set(rules.get("name_endings") or [])
    out["legal_forms"] = set(rules.get("legal_forms") or [])
    out["name_openings"] = set(rules.get("name_openings") or [])
    out["not_names_ko"] = set(rules.get("not_names_ko") or [])
    # "West Lafayette, Indiana": a name a comma and a region follow is a town there
    regions = rules.get("regions") or []
    out["town_of"] = re.compile(r",\s+(?:" + "|".join(map(re.escape, regions)) + r")\b(?!\s+[A-Z])") \
        if regions else None   # (not ", Qatar Investment Authority": a name in a list)
    out["tiers"] = rules["tiers"]
    out["amount_window"] = int(rules.get("amount_window", 0))
    out["roles"] = {lang: [(set(r["categories"]), _compile_refs(r[lang], lang))
                           for r in rules.get("coreference_roles", []) if r.get(lang)] for lang in ("en", "ko")}
    out["frames"] = {cls: spec for cls, spec in rules["keywords"].items()}
    jp = rules.get("joint_project") or {}
    out["joint_project"] = {lang: re.compile(
        r"(?<=[와과])\s*(" + "|".join(map(re.escape, spec["together"])) + r")\s[^.?!]{0,80}?(?:"
        + "|".join(map(re.escape, spec["verbs"])) + r")") for lang, spec in jp.items() if spec}
    # optional lists (a rules file written before them still loads)
    for key in ("equity", "coreference_any", "participle_subject", "clause_break", "order_won", "round_words",
                "consortium_words", "join_round_verbs", "sale_contracts", "pair_reference", "company_purchase"):
        spec = rules.get(key) or {}
        compile_ = _compile_refs if key == "coreference_any" else _compile_terms
        out[key] = {lang: compile_(spec[lang], lang) if spec.get(lang) else None for lang in ("en", "ko")}
    return out


def find_keywords(sentence: str, lang: str, path: str | None = None) -> list[Keyword]:
    m = _matchers(path)
    blocked = [(x.start(), x.end()) for x in m["not_deal"][lang].finditer(sentence)]
    found: list[Keyword] = []
    for cls, rx in m["keywords"][lang]:
        for k in rx.finditer(sentence):
            if any(a <= k.start() < b and not (k.end() > b and (cls.startswith("join") or cls == "supply"))
                   for a, b in blocked):
                continue   # (a joining phrase may open with a blocked word: "investors including"; a
                #            supplier noun said of a company may too: "공급사로 자리매김")
            if lang == "en" and sentence[k.start() - 1:k.start()] == "-" and k.group(0).lower() in ("backed", "led"):
                continue   # "asset-backed securities", "GPU-backed capacity", "AI-led": adjectives, not deals
            if lang == "ko":
                after = sentence[k.end():k.end() + 3]
                if cls == "invest" and re.match(r"(?:자|금|처|은행|심리|의견)", after):
                    continue   # 투자자, 투자금 ... are nouns about investing, not a deal
                if cls == "supply" and re.match(r"(?:망|업체|자|사\b|처)", after):
                    continue
            found.append(Keyword(cls, k.start(), k.end(), k.group(0)))
    joint = m["joint_project"].get(lang)
    if joint is not None:
        # "SK텔레콤은 아마존웹서비스(AWS)와 함께 ... AI 전용 DC를 세워": building something together
        # is a partnership (news_rules.yaml: joint_project)
        for hit in joint.finditer(sentence):
            if not any(a <= hit.start(1) < b for a, b in blocked):
                found.append(Keyword("partner", hit.start(1), hit.end(1), hit.group(1)))
    found.sort(key=lambda k: (k.start, -(k.end - k.start)))
    kept: list[Keyword] = []
    for k in found:  # a shorter keyword inside (or overlapping) a longer one ("investment from" vs
        #              "investment", "controlling stake" vs "stake in") goes
        if any(o.start < k.end and k.start < o.end and (o.end - o.start) > (k.end - k.start) for o in found):
            continue
        kept.append(k)
    # "agreed to acquire", "합의해 인수": an agreement word right before another class's deal word is
    # that deal's verb, not a second deal
    # "제휴 계약을 체결", "partnership agreement": contract words right after a partnership word
    # name and sign that partnership, not a sale
    return [k for i, k in enumerate(kept)
            if not (k.cls == "contract" and any(o.cls != "contract" and 0 <= o.start - k.end <= 2
                                                for o in kept[i + 1:i + 3]))
            and not (k.cls == "contract" and any(o.cls == "partner" and 0 <= k.start - o.end <= 8
                                                 for o in kept[max(0, i - 3):i]))]
