"""Sentences of an article, by a splitter made for its language.

Korean news defeats a punctuation rule: sentences run together without a space ("나타났습니다.소프트뱅크는"),
quotes end inside a sentence ("...했다."며), list items start with "1.". English has "Corp. The" and
"U.S. Commerce Dept." Kiwi (kiwipiepy, whose model ships inside the `kiwipiepy-model` package: no
download at run time) splits Korean, pySBD splits English. Both work line by line: a line break in an
article always ends a sentence (headlines, captions, list items).

Kiwi takes most of a second to load, so it loads once, on the first Korean text.

>>> split("Nvidia Corp. said it will invest in Intel Corp. The deal closed.", "en")
['Nvidia Corp. said it will invest in Intel Corp.', 'The deal closed.']
>>> split("오픈AI에 투자했다고 밝혔습니다.소프트뱅크는 지분율이 10%를 넘었다.\\n1. 하이퍼스케일", "ko")
['오픈AI에 투자했다고 밝혔습니다.', '소프트뱅크는 지분율이 10%를 넘었다.', '1. 하이퍼스케일']
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from typing import Any

#: A line longer than this goes to the splitter in pieces cut at spaces (a flattened table, a list
#: of names): the splitters' cost then stays linear in the text. The pieces overlap by LINE_OVERLAP
#: characters, so a sentence the cut runs through is still whole in one of them.
MAX_LINE = 4000
LINE_OVERLAP = 400


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    from kiwipiepy import Kiwi
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # splitting needs the core model only: without the typo, multi-word and default user
        # dictionaries Kiwi loads in 0.8 s instead of 2.2 s and splits the 20 Korean fixture
        # articles exactly as before
        return Kiwi(load_default_dict=False, load_typo_dict=False, load_multi_dict=False)


@lru_cache(maxsize=1)
def _pysbd() -> Any:
    import pysbd
    return pysbd.Segmenter(language="en", clean=False)


def pieces(text: str, size: int, overlap: int) -> list[str]:
    """`text` in pieces of at most `size` characters cut at spaces, each starting about `overlap`
    characters before the previous one ended, so whatever spans less than `overlap` lies whole in
    one piece.

    >>> pieces("aa bb cc dd ee ff gg", 9, 4)
    ['aa bb cc', 'cc dd ee', 'ee ff gg']
    """
    if len(text) <= size:
        return [text] if text.strip() else []
    out, start, step = [], 0, size - overlap
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind(" ", start + step, end)
            end = cut if cut > start else end
        out.append(text[start:end].strip())
        if end >= len(text):
            break
        nxt = text.find(" ", max(start + 1, end - overlap))
        start = nxt + 1 if 0 <= nxt < end else end
    return [w for w in out if w]


def _lines(text: str) -> list[str]:
    return [p for line in text.splitlines() for p in pieces(" ".join(line.split()), MAX_LINE, LINE_OVERLAP)]


def split(text: str, lang: str) -> list[str]:
    """The sentences of `text` (lines first, then the language's splitter), stripped, in order."""
    lines = _lines(text)
    if not lines:
        return []
    if lang == "ko":
        found = _kiwi().split_into_sents(lines, return_sub_sents=False)
        return [s.text.strip() for sents in found for s in sents if s.text.strip()]
    seg = _pysbd()
    out: list[str] = []
    for line in lines:
        for piece in (s.strip() for s in seg.segment(line)):
            if piece and out and _CONTINUES.match(piece):
                # "Intel Corp." | "’s programmable chip unit": a cut after an abbreviation, one sentence
                out[-1] = f"{out[-1]}{'' if piece[0] in _APOSTROPHES else ' '}{piece}"
            elif piece:
                out.append(piece)
    return out


_APOSTROPHES = "'’"
#: what a sentence never opens with: a possessive ending, or a lower-case word (not "xAI", "iPhone")
_CONTINUES = re.compile(r"['’]s\b|[a-z]+(?=[\s,;:])")
