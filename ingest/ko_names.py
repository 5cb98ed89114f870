"""Proper nouns in a Korean sentence, by Kiwi's part-of-speech tags, with the particle after each.

A Korean company name and a common noun look alike to a regex ("카카오가", "정부가"); Kiwi tags the
first as a proper noun (NNP) or foreign letters (SL: "KT가"), the second as a common noun (NNG). The
news extractor uses this to propose companies the dataset does not know yet.

>>> [(n.text, n.particle) for n in name_spans("카카오가 엔비디아와 전략적 제휴를 맺었다.")]
[('카카오', '가'), ('엔비디아', '와')]
>>> name_spans("정부는 반도체 기업에 투자했다.")
[]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .sentences import _kiwi

#: Tags a name is made of, and the particles (josa) that may end the word it stands in.
NAME_TAGS = {"NNP", "SL", "SN"}
PARTICLE_TAGS = {"JKS", "JX", "JKB", "JC", "JKG", "JKO"}


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    text: str
    particle: str


def _named(t: Any) -> bool:
    """A proper noun or Latin letters, or a noun Kiwi's dictionary does not hold (`oov`): most such
    words in deal news are names it has not seen ("두산에너빌리티", tagged a common noun)."""
    return t.tag in NAME_TAGS or (t.tag == "NNG" and getattr(t, "oov", False))


def name_spans(sentence: str) -> list[NameSpan]:
    """Words that are a proper noun (or Latin letters) followed only by one particle: "SK텔레콤은",
    "KT가", "델에서". A word that continues with a common noun ("SK그룹", "울산 지역") is left out.

    >>> [n.text for n in name_spans("두산에너빌리티가 엑스에너지와 공급 계약을 체결했다.")]
    ['두산에너빌리티', '엑스에너지']
    """
    tokens = _kiwi().tokenize(sentence)
    out: list[NameSpan] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        word_start = t.start == 0 or sentence[t.start - 1] in " \t\"'“‘(["
        if not _named(t) or t.tag == "SN" or not word_start:
            i += 1
            continue
        j, end = i, t.start + t.len
        while j + 1 < len(tokens) and _named(tokens[j + 1]) and tokens[j + 1].start == end:
            j += 1
            end = tokens[j].start + tokens[j].len
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        if nxt is not None and nxt.tag in PARTICLE_TAGS and nxt.start == end:
            p_end = nxt.start + nxt.len
            if p_end == len(sentence) or not sentence[p_end].isalnum():
                out.append(NameSpan(t.start, end, sentence[t.start:end], sentence[end:p_end]))
        i = j + 1
    return out
