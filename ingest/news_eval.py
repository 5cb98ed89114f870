"""Precision and recall of the news extractor against hand-labelled articles.

A labels file has one row per relationship a careful reader takes from an article:
`article,source,target,type,amount,currency,qualifier,optional,note`. `source`/`target` are
dataset ids, or `new:NAME` for a company the dataset lacks (matched by the name the extractor
proposes, or by a dataset entity of that name; `new:Kakao|카카오` accepts either way of writing it,
since a Korean article names a new company in Hangul). Rows marked `optional` are readings a careful
reader may or may not make: proposing them is neither rewarded nor punished. A `partners_with`
label matches in either direction. Articles with no label rows are negatives: anything proposed
there is a false positive.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .deals import Candidate


@dataclass
class Label:
    article: str
    source: str
    target: str
    type: str
    amount: float | None
    optional: bool


@dataclass
class ArticleScore:
    article: str
    language: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    amount_right: int = 0
    amount_labelled: int = 0
    #: the labels between two companies the dataset has (found / required), apart from those
    #: naming a company it lacks, which the extractor must also propose as new
    tp_known: int = 0
    labels_known: int = 0
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    articles: list[ArticleScore]

    def _sum(self, attr: str, lang: str | None = None) -> int:
        return sum(getattr(a, attr) for a in self.articles if lang is None or a.language == lang)

    def precision(self, lang: str | None = None) -> float:
        tp, fp = self._sum("tp", lang), self._sum("fp", lang)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, lang: str | None = None) -> float:
        tp, fn = self._sum("tp", lang), self._sum("fn", lang)
        return tp / (tp + fn) if tp + fn else 1.0

    def amount_accuracy(self) -> float:
        n = self._sum("amount_labelled")
        return self._sum("amount_right") / n if n else 1.0

    def known_split(self) -> dict[str, tuple[int, int]]:
        """(found, required) for labels between dataset companies and for labels naming a
        company the dataset lacks: a Korean article names a new company in Hangul, which matches
        a label only if the label gives that spelling (`new:Kakao|카카오`), so the two recalls
        say different things."""
        tp, fn = self._sum("tp"), self._sum("fn")
        found, need = self._sum("tp_known"), self._sum("labels_known")
        return {"known": (found, need), "new": (tp - found, tp + fn - need)}

    def rows(self) -> list[list]:
        out = []
        for lang, label in (("ko", "Korean"), ("en", "English"), (None, "all")):
            arts = [a for a in self.articles if lang is None or a.language == lang]
            out.append([label, len(arts), self._sum("tp", lang), self._sum("fp", lang), self._sum("fn", lang),
                        f"{self.precision(lang):.2f}", f"{self.recall(lang):.2f}"])
        return out


def read_labels(path: Path) -> list[Label]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        out = []
        for r in csv.DictReader(fh):
            out.append(Label(r["article"], r["source"], r["target"], r["type"],
                             float(r["amount"]) if r.get("amount") else None,
                             (r.get("optional") or "").strip().lower() in ("yes", "y", "true", "1")))
        return out


#: words of a company's legal form, which a reader may write or leave out ("Temasek Holdings" is
#: Temasek); a name is compared without them
_LEGAL_FORM = re.compile(r"\b(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|sa|ag|nv|se|"
                         r"holdings?|group)\b\.?|주식회사|\(주\)|㈜", re.IGNORECASE)


def same_name(a: str, b: str) -> bool:
    """Two spellings of one company name, its legal form and punctuation aside.

    >>> same_name("Temasek Holdings", "temasek"), same_name("Hyundai E&C Co., Ltd.", "Hyundai E&C")
    (True, True)
    >>> same_name("Korea Zinc", "Korea"), same_name("LS Electric", "LS Cable")
    (False, False)
    >>> same_name("스마트 글로벌 홀딩스(SGH)", "스마트 글로벌 홀딩스")
    True
    """
    def key(name: str) -> str:
        name = re.sub(r"\s*\([^()]*\)$", "", name)   # a gloss in brackets: "스마트 글로벌 홀딩스(SGH)"
        return " ".join(re.sub(r"[,.'’]", " ", _LEGAL_FORM.sub(" ", name)).casefold().split())
    return bool(key(a)) and key(a) == key(b)


def _end_matches(label_end: str, cand_end: str, cand: Candidate, names: dict[str, set[str]]) -> bool:
    if not label_end.startswith("new:"):
        return label_end == cand_end
    wanted = [w.strip() for w in label_end[4:].split("|")]
    spellings = [cand.new_entities[cand_end]] if cand_end in cand.new_entities else names.get(cand_end, set())
    return any(same_name(w, s) for w in wanted for s in spellings)


def _matches(label: Label, c: Candidate, names: dict[str, set[str]]) -> bool:
    if label.type != c.type:
        return False
    pairs = [(c.source, c.target)] + ([(c.target, c.source)] if c.type == "partners_with" else [])
    return any(_end_matches(label.source, s, c, names) and _end_matches(label.target, t, c, names)
               for s, t in pairs)


def _known(label: Label, names: dict[str, set[str]]) -> bool:
    return label.source in names and label.target in names


def score_article(article: str, language: str, labels: list[Label], cands: list[Candidate],
                  names: dict[str, set[str]]) -> ArticleScore:
    """Match each candidate to at most one label (and each label to at most one candidate)."""
    s = ArticleScore(article, language)
    used: set[int] = set()
    for c in cands:
        hit = next((i for i, lab in enumerate(labels) if i not in used and _matches(lab, c, names)), None)
        if hit is None:
            s.fp += 1
            s.false_positives.append(f"{c.source} {c.type} {c.target}")
            continue
        used.add(hit)
        lab = labels[hit]
        if lab.optional:
            continue
        s.tp += 1
        s.tp_known += _known(lab, names)
        if lab.amount is not None:
            s.amount_labelled += 1
            if c.amount is not None and abs(c.amount - lab.amount) <= 0.05 * lab.amount:
                s.amount_right += 1
    s.labels_known = sum(_known(lab, names) for lab in labels if not lab.optional)
    for i, lab in enumerate(labels):
        if i not in used and not lab.optional:
            s.fn += 1
            s.missed.append(f"{lab.source} {lab.type} {lab.target}")
    return s
