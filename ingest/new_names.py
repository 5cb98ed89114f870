"""Companies the dataset lacks: a name a deal sentence gives a role to, proposed as a new company
(English capitalised names with a verb after them, Korean names Kiwi tags or a description
introduces), never a place, a product, a common noun or a company the dataset has."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from .mentions import HANGUL, EntityIndex, Mention
from .ko_names import NameSpan, name_spans
from .deal_words import _matchers
from .deal_roles import DESCRIBED_BY, ROLE_OF_PARTICLE, ko_role


#: A name the dataset lacks is a deal's first party only as a clause's subject: Kiwi's tagged opening
#: subject in Korean; in English, a name its verb follows ("TotalEnergies announced ... signed").
#: English: an appositive or a relative clause after a name, "Ecolab, a company whose identity rested
#: on water treatment, hygiene services and infection prevention, announced ...", "Ayar Labs, which
#: develops chips that transmit data using light, said ...": it stands between the name
#: and its verb, and does not take the name farther from its deal word
APPOSITIVE = re.compile(r",\s+(?:a|an|the|which|who)\s[^;.]{1,160}?,(?=\s)")
NEW_SUBJECT_VERB = re.compile(r"^(?:,?\s*(?:Inc|Corp|Ltd|Co)\.?)?(?:" + APPOSITIVE.pattern + r")?"
                              r"\s+(?:has |have |had |will |also |on \w+ |was |were |is |are |been )*"
                              r"(?:(?:this|last) week |today |(?:on|in) \w+ )?"
                              r"(?:announced|announce|announces|said|says|signed|signs|agreed|agrees|struck|"
                              r"inked|secured|secures|won|wins|reached|entered|formed|plans|placed|closed|led|co-led|leads|"
                              # the deal verbs themselves: "Fluxon Energy will supply", "Acme acquired"
                              r"supply|supplies|supplied|provide|provides|provided|deliver|delivers|delivered|"
                              r"invest|invests|invested|acquire|acquires|acquired|buy|buys|bought|purchased|"
                              r"lease|leases|leased|lend|lends|lent|license|licenses|licensed|raised|raises|"
                              r"ordered|build|builds|built|awarded|awards|established|establishes|obtained|obtains|"
                              r"completed|completes|expanded|expands)\b")
#: a comma list of single words closed by 등 and a particle, anywhere in a sentence
_KO_LIST_ANYWHERE = re.compile(r"((?:[^\s,()]{2,20}\s*,\s*)+[^\s,()]{2,20})\s*등(?:이|은|도|과|와|에|을|를|의)(?![\uac00-\ud7a3])")


def _list_items(listed: re.Match) -> list[tuple[int, str]]:
    """The items of the comma list a pattern's first group matched, each with where it starts."""
    out, pos = [], listed.start(1)
    for part in re.split(r"(\s*,\s*)", listed.group(1)):
        if part.strip(" ,"):
            out.append((pos, part))
        pos += len(part)
    return out


def _ko_list_item(word: str, start: int, path: str | None) -> Mention | None:
    """A listed word as a new company: one word, not a common noun (기관, 투자자들, 정부)."""
    if len(word) < 2 or _KO_GENERIC.fullmatch(word.removesuffix("들")) or word in ("VC", "IB", "PE") or \
            word.endswith(("투자자", "투자자들")) or word in _matchers(path)["not_names_ko"] or \
            not (HANGUL.search(word) or word[:1].isupper()) or re.search(r"\d", word):
        return None
    return Mention(slug(word), start, start + len(word), word, "", True)


#: English: words that never stand inside a noun phrase "a $17.4 billion Microsoft deal"
_NOT_IN_NP = re.compile(r"said|says|signed|signs|is|was|are|were|will|has|have|had|and|or|but|with|to|from|"
                        r"in|by|for|that|which|who", re.IGNORECASE)


# --- unknown companies ----------------------------------------------------------------------------
#: An English name: capitalised words (any alphabet's capitals: "Société Générale"), or a word whose
#: lower-case first letter runs into a capital ("nVision Energy", "xAI").
_NAME_WORD = r"(?:[^\W\d_a-z]|[a-z](?=[A-Z]))[\w&.\-]*"
_EN_NAME = re.compile(r"\b" + _NAME_WORD + r"(?:\s+(?:" + _NAME_WORD + r"|&|of))*")
_KO_GENERIC = re.compile(r"(?:기업|업체|회사|고객사|고객|정부|당국|기관|사업|시장|공장|센터|그룹사|협력사|"
                         r"투자사|운영사|제조사|기업들|업계|양사|자사|당사|대형|글로벌|미국|중국|대만|일본|한국|"
                         r"유럽|현지|국내|해외|발주처|상대방|빅테크|스타트업|파트너|거래처|전문기업|"
                         r"최고경영자|대표|회장|관계자|정부와|주주|은행|증권|지역|주|시|국|팀|부문)$")
_KO_PARTICLE_ROLE = re.compile(r"([\uac00-\ud7a3A-Za-z0-9]{2,12}?)(?:\(이하\s*[‘'\"“]?[^()]{1,20}?[’'\"”]?\))?"
                               r"(와의|과의|와|과|에게|로부터|으로부터)(?=\s)")
_SLUG = re.compile(r"[^a-z0-9]+")
GENERIC_WORDS = {"Energy", "Power", "Capital", "Group", "Holdings", "Partners", "Technologies", "Systems",
                 "Networks", "Labs", "Cloud", "Data", "Global", "International", "Ventures", "Fund", "Bank",
                 "Ethernet", "PCIe", "NVLink", "InfiniBand", "Nuclear", "Solar", "Wind", "Gas", "Grid"}
PRODUCTISH = (r"\b(?:Units?|Processing|Processors?|Chips?|GPUs?|TPUs?|Platform|Systems?|Servers?|"
              r"Superchips?|Models?|Cloud|Services?|Data Centers?|Campus|Plant|Act|Program|Fund)$")
#: endings that products and companies share ("Azure Cloud" / "Lumina Cloud"): in the slot of a deal's
#: other party ("an agreement with ...") they end a company's name
_COMPANY_ENDING = r"\b(?:Cloud|Systems|Services|Data Centers)$"


#: a list of names after a sentence's first word ("Greylock, Blackbird and IVP also ..."): that word
#: is the list's first name, not a capitalised opening word
_NAME_LIST_AFTER = re.compile(r",\s+" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")*(?:,\s+[^,]{1,40}?)*,?\s+(?:and|&)\s+"
                              + _NAME_WORD)


#: a name item of a list that starts with a digit ("Greylock, 01A, Blackbird"): _EN_NAME skips it
_DIGIT_NAME = re.compile(r"(?<![\w$.,])\d+[A-Z][A-Za-z\d]*\b")
#: a word that describes the name after it: "Nvidia-backed", "Seattle-based"
_DESCRIBED_BY = re.compile(r"-(?:" + DESCRIBED_BY + r")$")
#: a digit-led name of a fund, a name wherever it stands ("1789 Capital", "3M Ventures")
_DIGIT_FUND = re.compile(r"(?<![\w$.,])\d+[A-Z]?[A-Za-z\d]*\s+(?:Ventures|Capital|Partners)\b")


def _in_name_list(sentence: str, start: int, end: int) -> bool:
    """The name stands as an item of a list of names: another capitalised name follows after a comma
    or "and", and one precedes the same way (or the list opens the sentence): "IVP, Greylock, 01A,
    Blackbird and Battery Ventures". Acronyms and digit-led names count as names there."""
    if not re.match(r"(?:,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)(?:" + _NAME_WORD + r"|\d+[A-Z])", sentence[end:end + 40]):
        return False
    before = sentence[max(0, start - 60):start]
    return not before.strip() or bool(re.search(r"(?:" + _NAME_WORD + r"|\d+[A-Z]\w*),\s*(?:and\s+)?$", before))


def slug(name: str) -> str:
    """An id for a proposed company: lowercase ASCII words joined by '_'. A name with Hangul in it
    gets 'new_' and a digest of the whole name, so that "퓨리오사AI" is not "ai" and "한국투자증권"
    is not "한국투자파트너스".

    >>> slug("Société Générale"), slug("D.E. Shaw")
    ('societe_generale', 'de_shaw')
    >>> slug("퓨리오사AI") == slug("퓨리오사"), slug("한국투자증권") == slug("한국투자파트너스")
    (False, False)
    """
    if HANGUL.search(name):
        return "new_" + hashlib.sha1(name.strip().encode()).hexdigest()[:12]
    # "Société Générale" -> societe_generale, "D.E. Shaw" -> de_shaw: accents dropped, initials joined
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_ = re.sub(r"(?<![A-Za-z])([A-Za-z])\.(?=[A-Za-z]\.)", r"\1", ascii_)
    s = _SLUG.sub("_", ascii_.lower()).strip("_")
    if not s:
        s = "new_" + hashlib.sha1(name.strip().encode()).hexdigest()[:12]
    return s


def _ticker_like(name: str) -> bool:
    """Too short for a name, or a ticker or acronym (AVGO, NASDAQ): not taken as a new company."""
    return len(name) < 3 or name.isupper() and len(name) <= 6


def propose_unknown(sentence: str, lang: str, idx: EntityIndex, known: list[Mention],
                    path: str | None, places: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Names of companies the dataset does not have, where a deal needs a counterparty. `places`:
    where the dataset's places stand in the sentence (found with `known` when not given)."""
    rules = _matchers(path)
    not_names, name_endings, legal_forms = rules["not_names"], rules["name_endings"], rules["legal_forms"]
    # a place the dataset has ("United States", "Taiwan") is no new company either
    if places is None:
        places = [(m.start, m.stop) for m in idx.find(sentence) if idx.kind(m.entity) != "company"]
    taken = [(m.start, m.stop) for m in known] + places
    out: list[Mention] = []
    if lang == "en":
        # digit-led names: an item of a list of names ("07B"), or a fund's name wherever it stands
        for rx, listed_only in ((_DIGIT_NAME, True), (_DIGIT_FUND, False)):
            for m in rx.finditer(sentence):
                if (not listed_only or _in_name_list(sentence, m.start(), m.end())) and \
                        not any(a < m.end() and m.start() < b for a, b in taken):
                    out.append(Mention(slug(m.group(0)), m.start(), m.end(), m.group(0), "", True))
            taken += [(x.start, x.stop) for x in out]
        for m in _EN_NAME.finditer(sentence):
            words = m.group(0).split()
            while words and (words[0] in not_names or words[0].rstrip(".,") in not_names
                             or _DESCRIBED_BY.search(words[0])):
                if words[0] in rules["name_openings"] and len(words) >= 3 and not set(words[1:]) & not_names:
                    break            # "New Legacy Ventures", "New Enterprise Associates": a name
                words = words[1:]    # "Nvidia-backed Ayar Labs": the name is Ayar Labs
            while words and (words[-1] in not_names - name_endings or words[-1] in ("&", "of")
                             or words[-1].rstrip(".,") in legal_forms):
                words = words[:-1]   # "Proseware Robotics Inc." is Proseware Robotics; "Mistral AI" stays
            if not words:
                continue
            name = " ".join(words).rstrip(".,")
            start = sentence.find(name, m.start())
            end = start + len(name)
            if len(words) == 1 and (start == 0 and not NEW_SUBJECT_VERB.match(sentence[end:])
                                    and not _NAME_LIST_AFTER.match(sentence, end)
                                    or words[0] in GENERIC_WORDS):
                continue      # a capitalised first word (unless its verb follows: "Tenstorrent
                #               announced"), or "Energy", "Cloud": not a name on its own
            listed = _in_name_list(sentence, start, end)
            if any(a < end and start < b for a, b in taken) or len(name) < 2 or \
                    not listed and _ticker_like(name):
                continue      # tickers and acronyms (AVGO, NASDAQ) are not new companies, unless
                #               they stand as items of a list of names ("IVP, Greylock and Blackbird")
            if re.search(r"\(\s*(?:[A-Za-z]+\s*:\s*)?$", sentence[:start]):
                continue      # "(NASDAQ: AVGO)" after a name
            if re.search(r"\d", name) and not re.search(r"[A-Za-z]{3}", name) and not listed:
                continue
            # the slot of a deal's other party ("an agreement with ...") or of what is acquired
            # ("to acquire CoolIT Systems")
            party_slot = len(words) > 1 and re.search(
                r"\b(?:with|from|between|acquire|acquires|acquired|acquiring|acquisition of)\s+$",
                sentence[:start]) and re.search(_COMPANY_ENDING, name)
            if re.search(r"[A-Z]+-[a-z]|-(?:" + DESCRIBED_BY + r")\b", name) or \
                    re.search(PRODUCTISH, name) and not party_slot:
                continue      # "AI-cloud operator", "Tensor Processing Units": descriptors, products
                #               (but "an agreement with Lumina Cloud": the party a deal is with)
            if rules["town_of"] is not None and rules["town_of"].match(sentence, end):
                continue      # "in West Lafayette, Indiana": a town
            if re.search(r"\b(?:its|their|our|his|her)\s+$", sentence[max(0, start - 8):start]):
                continue      # "to expand its Helios data center": the company's own site or product
            if re.match(r"['’]s\s+[A-Z]", sentence[end:end + 4]) and not any(k.start == start for k in known):
                continue      # "Singapore's Temasek", "Abu Dhabi's MGX": the owner or place of a name
            if any(0 <= k.start - end <= 40 and len(sentence[end:k.start].split()) <= 3
                   and not re.search(r"[,;&]|\band\b|\bor\b", sentence[end:k.start])
                   and not any(_NOT_IN_NP.fullmatch(w) for w in sentence[end:k.start].split()) for k in known):
                continue      # "chipmaker Intel", "AI-cloud operator IREN": it describes the next name
                #               (not "Rivos was acquired by Meta": a verb stands between)
            # a name whose id the dataset already has is that company, not a new one
            out.append(Mention(slug(name), start, end, name, "", slug(name) not in idx.by_id))
    else:
        for m in _KO_PARTICLE_ROLE.finditer(sentence):
            word = m.group(1)
            start, end = m.start(1), m.end(1)
            if any(a < end and start < b for a, b in taken) or _KO_GENERIC.search(word):
                continue
            # only a counterparty right before the deal itself ("테슬라와 23조원 규모 ... 계약"):
            # Korean nouns and names look alike, so the deal must follow within a few words
            if not re.match(r"\s*(?:다년간\s*|향후\s*|총\s*|약\s*|최대\s*)?(?:[\d.,]+\s*[조억만천]|"
                            # "GS건설과 재생에너지 전력구매계약(PPA)을": one or two words end in 계약
                            r"[\d.,]+\s*(?:달러|원)|(?:[\uac00-\ud7a3]{1,6}\s)?[\uac00-\ud7a3]{0,6}\s?(?:공급\s?)?계약|"
                            r"[\uac00-\ud7a3]{0,4}\s?투자|"
                            # "리벨리온에게 HBM3E를 공급": goods and their supply verb right after
                            r"(?:[\uac00-\ud7a3A-Za-z0-9]+\s){0,3}[\uac00-\ud7a3A-Za-z0-9]+[을를]\s?(?:공급|납품))",
                            sentence[m.end():m.end() + 30]):
                continue
            if not HANGUL.search(word) and not word[0].isupper():
                continue
            particle = m.group(2)
            if len(word) >= 3 and word.endswith("사") and HANGUL.match(word[-2]):
                # "파워링크사와": 사 (company) is the suffix a name takes, not part of the name
                word, end, particle = word[:-1], end - 1, "사" + particle
            out.append(Mention(slug(word), start, end, word, particle, True))
        # "‘스마트 글로벌 홀딩스’(SGH)에 2억달러를 투자": a name in quotes, with its particle, right
        # before the deal (quotes mark a name the reader may not know)
        # and "머크가 ... 유니티SC를 인수": the object of an acquisition named right before the word
        for rx, name_start in ((_KO_QUOTED_PARTY, False), (_KO_ACQUIRED, True)):
            for m in rx.finditer(sentence):
                word, start = m.group(1), m.start(1)
                if not any(a < m.end(1) and start < b for a, b in taken + [(x.start, x.stop) for x in out]) \
                        and not _KO_GENERIC.search(word) \
                        and (not name_start or HANGUL.search(word) or word[0].isupper()):
                    out.append(Mention(slug(word), start, m.end(1), word, m.group(2), True))
        # "삼성전자, SK, 현대차그룹, 네이버클라우드 등이 엔비디아 GPU를 공급받아": the items of a
        # comma list closed by 등 (and others) are names, each one a party the deal's list shares
        for lst in _KO_LIST_ANYWHERE.finditer(sentence):
            spans = taken + [(x.start, x.stop) for x in out]
            for start, word in _list_items(lst):
                if not any(a < start + len(word) and start < b for a, b in spans):
                    item = _ko_list_item(word, start, path)
                    if item is not None:
                        out.append(item)
        # the opening subject may face a counterparty the dataset lacks too ("동부건설이
        # 앰코테크놀로지코리아(이하 '앰코코리아')와 1,729억원 규모 ... 계약")
        out.extend(_ko_opening_subject(sentence, known + out, taken + [(x.start, x.stop) for x in out],
                                       _matchers(path)["not_names_ko"]))
    return out


#: Korean: a quoted name (its gloss in brackets may follow) with a particle, right before a deal
_KO_QUOTED_PARTY = re.compile(r"[‘'\"“]([\uac00-\ud7a3A-Za-z0-9 ]{2,24})[’'\"”](?:\([A-Za-z0-9 ]{2,20}\))?"
                              r"(에|에게|와|과|을|를|로부터|으로부터)\s*"
                              r"(?=(?:[\d.,]+\s*[조억만천]|[\d.,]+\s*(?:달러|원)|[\uac00-\ud7a3]{0,6}\s?계약|인수|합병|투자))")
#: Korean: a name with an object particle right before an acquisition word ("유니티SC를 인수할")
_KO_ACQUIRED = re.compile(r"(?<![\uac00-\ud7a3A-Za-z0-9])([\uac00-\ud7a3A-Za-z0-9]{2,15}?)(을|를)\s*"
                          r"(?:[\d.,]+\s*[조억만천][^\s]*\s*(?:원|유로|달러)?에\s*)?(?:인수|합병)")
#: Korean: a description that opens a sentence before its subject's name, ending in a role noun
#: ("반도체 후공정 장비 전문기업 ", "독일의 과학기술기업 ")
_KO_DESCRIBED_SUBJECT = re.compile(r"(?:\([^()]{1,20}\)\s*[\uac00-\ud7a3]{2,4}\s*기자\s*=\s*)?"   # "(서울=연합뉴스) 강태우 기자 = "
                                   r"(?:[\uac00-\ud7a3A-Za-z0-9·]+\s){0,5}[\uac00-\ud7a3A-Za-z]*"
                                   # "SKC의 ... 계열사 앱솔릭스가", "한화솔루션의 태양광 사업 부문인 한화큐셀은"
                                   r"(?:기업|업체|회사|제조사|스타트업|계열사|자회사|사업\s?부문)(?:인)?\s"
                                   r"([\uac00-\ud7a3A-Za-z0-9]{2,15}?)(이|가|은|는)\s")


#: the roles of a deal's other party after a Korean opening subject: with (와), to (에), from (로부터),
#: the object (을), the owner (의: "X가 Y의 핵심 공급사로", "X가 Y의 지분을 인수")
OTHER_PARTY = ("WITH", "TO", "FROM", "OBJ", "POSS")


def _ko_opening_subject(sentence: str, known: list[Mention], taken: list[tuple[int, int]],
                        not_names: set[str]) -> list[Mention]:
    """The sentence's opening word when Kiwi tags it a proper noun with a subject particle and a
    known company follows as the other party ("카카오가 오픈AI와 전략적 제휴", "KT가 ... MS와 동맹"):
    the subject of a deal sentence is its first party."""
    # the cheap tests first: Kiwi tags the sentence only when a known party could follow the
    # opening word and no name already stands at the start
    if any(a == 0 for a, _ in taken) or not any(
            k.start > 0 and ko_role(sentence, k, known) in OTHER_PARTY for k in known):
        return []
    # "반도체 후공정 장비 전문기업 미래산업이 ...": after a description ending in a role noun, the
    # word with the subject particle is the subject's name, whatever Kiwi tags it
    described = _KO_DESCRIBED_SUBJECT.match(sentence)
    spans = [NameSpan(described.start(1), described.end(1), described.group(1), described.group(2))] \
        if described else name_spans(sentence)
    if not spans or spans[0].start != 0 and not described or ROLE_OF_PARTICLE.get(spans[0].particle) != "SUBJ":
        return []
    first = spans[0]
    if any(a < first.end and first.start < b for a, b in taken) or _KO_GENERIC.search(first.text) \
            or len(first.text) < 2 or first.text in not_names:
        return []
    if not any(k.start > first.end and ko_role(sentence, k, known) in OTHER_PARTY for k in known):
        return []
    return [Mention(slug(first.text), first.start, first.end, first.text, first.particle, True)]
