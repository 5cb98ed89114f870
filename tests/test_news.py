"""`capexgraph ingest-news` and `capexgraph accept`, driven through the real CLI.

The labelled articles in tests/fixtures/news_eval/ are real (publisher, date and URL in each file's
header); the few one-sentence inputs written here test mechanics, not extraction quality.
"""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from capexgraph.ingest import load_records
from capexgraph.ingest.amounts import find_amounts
from capexgraph.ingest.deals import extract, slug
from capexgraph.ingest.mentions import EntityIndex

EVAL = Path(__file__).parent / "fixtures" / "news_eval"
ARTICLES = EVAL / "articles"
COLUMN = ARTICLES / "ko-column-ai-infra-2026-01.txt"


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def mark(path: Path, accept=lambda row: True, **changes) -> None:
    rows = read_csv(path)
    for r in rows:
        if accept(r):
            r["accept"] = "yes"
            for k, v in changes.items():
                r[k] = v(r) if callable(v) else v
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def digest(folder: Path) -> str:
    h = hashlib.sha1()
    for p in sorted(folder.glob("*.csv")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def index():
    return EntityIndex(load_records().entities.values())


def triples(text: str, index, lang: str) -> set[tuple[str, str, str]]:
    """The (source, type, target) of each candidate the extractor proposes for a text."""
    return {(c.source, c.type, c.target) for c in extract(text, index, lang)}


# --- the column our users read --------------------------------------------------------------------
def test_column_gives_the_two_deals_and_nothing_else(cli, tmp_path):
    out = tmp_path / "candidates.csv"
    r = cli("ingest-news", COLUMN, "--out", out)
    assert r.code == 0, r.err
    rows = [x for x in read_csv(out) if x["kind"] == "relationship"]
    got = {(x["source"], x["type"], x["target"]): x for x in rows}
    assert set(got) == {("nvidia", "invests_in", "coreweave"), ("corning", "supplies", "meta")}
    nv, co = got[("nvidia", "invests_in", "coreweave")], got[("corning", "supplies", "meta")]
    assert (float(nv["amount"]), nv["currency"], nv["amount_qualifier"]) == (2e9, "USD", "")
    assert (float(co["amount"]), co["currency"], co["amount_qualifier"]) == (6e9, "USD", "up_to")
    assert "20억달러" in nv["evidence"] and "최대 60억달러" in co["evidence"]
    # the shipped dataset already holds both deals: the candidates say so
    assert nv["in_dataset"] == "nvidia-invests-in-coreweave-202601"
    assert co["in_dataset"] == "corning-supplies-meta-202601"
    assert "2 candidate relationship(s)" in r.out


def test_names_listed_together_are_not_a_deal(index):
    text = COLUMN.read_text(encoding="utf-8")
    pairs = {frozenset((c.source, c.target)) for c in extract(text, index, "ko")}
    # "메타·코닝·아마존의 ... 전략 변화", "엔비디아·TSMC·삼성·반도체장비업체", "마이크로소프트·아마존 등"
    for a, b in [("meta", "amazon"), ("corning", "amazon"), ("nvidia", "tsmc"), ("tsmc", "samsung"),
                 ("microsoft", "amazon"), ("alphabet", "amazon"), ("nvidia", "zscaler")]:
        assert frozenset((a, b)) not in pairs
    market_wrap = (ARTICLES / "ko-ajunews-market-wrap-20241209.txt").read_text(encoding="utf-8")
    assert extract(market_wrap, index, "ko") == []


@pytest.mark.parametrize("text, value, currency, qualifier", [
    ("엔비디아의 CoreWeave 20억달러 투자", 2e9, "USD", ""),
    ("60억 달러 규모 계약", 6e9, "USD", ""),
    ("a deal worth up to $6 billion", 6e9, "USD", "up_to"),
    ("Corning inks 6B fiber deal", 6e9, "USD", ""),
    ("1조 원 규모의 공급 계약", 1e12, "KRW", ""),
    ("22조7648억원 규모", 22_764_800_000_000, "KRW", ""),
    ("165억달러(약 22조 7648억원) 규모의 계약", 16.5e9, "USD", ""),
    ("an approximately USD 9.7 billion agreement", 9.7e9, "USD", "approximately"),
    ("at least $10 billion in Anthropic", 10e9, "USD", "at_least"),
    ("3천억 달러 규모 클라우드", 3e11, "USD", ""),
    ("€1.3bn for a stake", 1.3e9, "EUR", ""),
])
def test_amounts_as_written(text, value, currency, qualifier):
    first = find_amounts(text)[0]
    assert (first.value, first.currency, first.qualifier) == (pytest.approx(value), currency, qualifier)


def test_a_share_price_is_not_a_deal_amount():
    assert find_amounts("shares at $87.20 each") == []


# --- sentences and frames across them ---------------------------------------------------------------
def test_sentences_split_where_korean_and_english_news_run_together(index):
    """Kiwi splits "밝혔습니다.소프트뱅크는" (no space), pySBD "Intel Corp. The": each deal's evidence
    is its own sentence, not the paragraph it sits in."""
    ko = ("엔비디아는 인텔에 50억달러를 투자한다고 밝혔습니다.소프트뱅크는 오픈AI에 225억달러를 투자했다.")
    got = {(c.source, c.target): c for c in extract(ko, index, "ko")}
    assert got[("nvidia", "intel")].evidence == "엔비디아는 인텔에 50억달러를 투자한다고 밝혔습니다."
    assert got[("softbank", "openai")].amount == pytest.approx(22.5e9)
    en = "Nvidia Corp. said it will invest $5 billion in Intel Corp. The deal gives it a stake."
    (cand,) = extract(en, index, "en")
    assert cand.evidence == "Nvidia Corp. said it will invest $5 billion in Intel Corp."


@pytest.mark.parametrize("text, lang, amount, currency, qualifier", [
    ("LS일렉트릭이 메타에 변압기를 공급한다. 계약 금액은 1062억원이다.", "ko", 106.2e9, "KRW", ""),
    ("Corning will supply fiber to Meta. The contract is worth up to $6 billion, it said.", "en", 6e9, "USD", "up_to"),
    # something contradicts: another company's figure, or no word that refers back to the deal
    ("LS일렉트릭이 메타에 변압기를 공급한다. 코닝은 10조원을 투자한다. 계약 금액은 1062억원이다.", "ko", None, None, ""),
    ("Corning will supply fiber to Meta. Corning's revenue was $13 billion.", "en", None, None, ""),
    ("Corning will supply fiber to Meta. Shares rose after $2 billion of buybacks.", "en", None, None, ""),
])
def test_an_amount_in_the_next_sentence_belongs_to_the_deal(index, text, lang, amount, currency, qualifier):
    got = {(c.source, c.target): c for c in extract(text, index, lang)}
    supplier = "ls_electric" if lang == "ko" else "corning"
    cand = got[(supplier, "meta")]
    assert (cand.amount, cand.currency, cand.amount_qualifier) == (
        pytest.approx(amount) if amount else None, currency, qualifier)
    if amount:
        assert "following sentence" in cand.rule and " … " in cand.evidence   # the reviewer sees both


@pytest.mark.parametrize("text, expected", [
    # a role noun resolves to the last company named before whose category fits the role
    ("Nvidia and Meta shares rose. Microsoft will buy GPUs from the chipmaker for $10 billion.",
     ("nvidia", "supplies", "microsoft")),
    ("Talen Energy shares rose. Amazon signed a power purchase agreement with the utility.",
     ("talen", "power_supply", "amazon")),
    # no earlier company of that role: nothing is guessed
    ("Meta shares rose. Microsoft will buy GPUs from the chipmaker.", None),
])
def test_a_role_noun_refers_back_to_the_last_company_of_its_role(index, text, expected):
    got = triples(text, index, "en")
    assert got == ({expected} if expected else set())


@pytest.mark.parametrize("text, lang, expected", [
    # the stake bought, and the contract signed for it, are one investment
    ("소프트뱅크그룹은 20억 달러를 출자해 인텔 주식을 취득하는 계약을 인텔 측과 체결했다.", "ko",
     {("softbank", "invests_in", "intel")}),
    # a one-syllable name counts with its particle; 조달 of equipment is a purchase
    ("아이렌은 델에서 약 58억달러 규모의 GPU 장비를 조달했다.", "ko", {("dell", "supplies", "iren")}),
    # the buyer receives supply ("공급받"): the maker named before what is bought supplies it, each
    # name of the buyers' list takes the deal, and "클라우드" inside a company's name (네이버클라우드)
    # is not the cloud capacity the deal sells
    ("삼성전자, 네이버클라우드 등이 엔비디아 최신 GPU를 공급받아 AI팩토리를 조성한다.", "ko",
     {("nvidia", "supplies", "samsung"), ("nvidia", "supplies", "naver")}),
    # "A와 B, C이": 와 joins a list there, it is no "with"
    ("삼성전자와 SK그룹, 네이버클라우드가 각 5만장을 공급받는다.", "ko", set()),
    # money raised comes from the investor; raised as debt, it is a loan
    ("CoreWeave raised $1 billion from Nvidia.", "en", {("nvidia", "invests_in", "coreweave")}),
    ("CoreWeave closed a $2 billion debt raise led by Blackstone.", "en", {("blackstone", "lends", "coreweave")}),
    # deploying processors bought from their maker
    ("Oracle will deploy 50,000 graphics processors from AMD.", "en", {("amd", "supplies", "oracle")}),
    # a licence runs from the licensor to the licensee; "with Alphabet's Google" keeps its "with";
    # a company the dataset lacks can be the subject its verb follows
    ("Arm licensed its CPU designs to Nvidia.", "en", {("arm", "licenses", "nvidia")}),
    ("Nvidia licensed the interconnect technology from Arm.", "en", {("arm", "licenses", "nvidia")}),
    ("TotalEnergies announced it has signed a power supply agreement with Alphabet's Google.", "en",
     {("totalenergies", "power_supply", "alphabet")}),
    # a nationality before an unknown company is not the company
    ("HD Hyundai Electric will supply transformers to Danish firm Semco Maritime.", "en",
     {("hd_hyundai_electric", "supplies", "semco_maritime")}),
])
def test_general_deal_rules(index, text, lang, expected):
    assert triples(text, index, lang) == expected


@pytest.mark.parametrize("text, lang, expected", [
    # a listed party shares the deal: each bank of "A, B 등이" lends; the list is never paired inside
    ("JP모건 체이스, 미쓰비시UFJ파이낸셜그룹 등이 오라클 데이터센터 자금 조달을 위한 대출을 시작한다.", "ko",
     {("jpmorgan", "lends", "oracle"), ("mufg", "lends", "oracle")}),
    ("Meta signed a fiber supply deal with Corning and Prysmian.", "en",
     {("corning", "supplies", "meta"), ("prysmian", "supplies", "meta")}),
])
def test_a_listed_party_shares_the_deal(index, text, lang, expected):
    assert triples(text, index, lang) == expected


def test_an_agreement_between_listed_names_pairs_them_and_a_loan_keeps_its_money(index):
    text = ("A joint venture between Blue Owl, Crusoe and Oracle has sealed a $7.1 billion construction "
            "financing from a consortium led by JPMorgan.")
    got = {(c.source, c.type, c.target): c for c in extract(text, index, "en")}
    pairs = {frozenset((s, t)) for s, ty, t in got if ty == "partners_with"}
    assert pairs == {frozenset(p) for p in [("blue_owl", "crusoe"), ("blue_owl", "oracle"), ("crusoe", "oracle")]}
    assert all(c.amount is None for c in got.values() if c.type == "partners_with")   # the loan's money
    assert {t for s, ty, t in got if ty == "lends" and s == "jpmorgan"} == {"blue_owl", "crusoe", "oracle"}


@pytest.mark.parametrize("text, expected", [
    # a lending word beside the raise makes it a loan; a round or series keeps it equity
    ("CoreWeave closed a $2 billion construction financing from a group led by Blackstone.",
     {("blackstone", "lends", "coreweave")}),
    ("Boom raised $300 million in a Series B financing round led by Nvidia.", {("nvidia", "invests_in", "boom_supersonic")}),
    ("CoreWeave borrowed $2 billion from Blackstone.", {("blackstone", "lends", "coreweave")}),
    # a bare "financing" led by investors is a round, not a loan
    ("Ayar Labs has secured $155 million in financing led by Advent Global Opportunities.",
     {("advent_global_opportunities", "invests_in", "ayar_labs")}),
])
def test_money_raised_beside_a_lending_word_is_a_loan(index, text, expected):
    assert triples(text, index, "en") == expected


@pytest.mark.parametrize("text, lang, expected", [
    # a deal word inside a company's name is not deal language
    ("Acme Supply Partners said Nvidia rose.", "en", set()),
    # a company named between a possessive and a product is the product's brand
    ("Core Scientific will deliver 120 MW to host CoreWeave's Nvidia GPUs.", "en",
     {("core_scientific", "lease", "coreweave")}),
    # "using", "including" end a preposition's reach
    ("The U.S. government will arrange financing for the plants using Westinghouse reactors.", "en", set()),
    # a name before its own participle is its clause's subject ("with Boom closing")
    ("The order coincides with Boom closing a $300 million funding round led by Nvidia.", "en",
     {("nvidia", "invests_in", "boom_supersonic")}),
    # the preposition inside a deal phrase is not the target's ("agreed to buy Channell")
    ("Prysmian agreed to buy Channell.", "en", {("prysmian", "acquires", "channell")}),
    # a name in the noun phrase a deal noun ends is the other party
    ("Nebius signs $17.4 billion Microsoft deal.", "en", {("nebius", "cloud_capacity", "microsoft")}),
    # an order won from a customer; a customer's data centers supplied
    ("Celestica won a $1 billion contract from Meta.", "en", {("celestica", "supplies", "meta")}),
    ("Corning will supply fiber to Meta's data centers.", "en", {("corning", "supplies", "meta")}),
    # a contract word about a pair the article already gave a money deal names that deal
    ("Prysmian agreed to buy Channell. Prysmian said the Channell deal closes in June.", "en",
     {("prysmian", "acquires", "channell")}),
    # "capacity" alone is not cloud capacity
    ("Crusoe bought turbines with a total capacity of 1.2 gigawatts from GE Vernova.", "en",
     {("ge_vernova", "supplies", "crusoe")}),
    # deal words the rules lacked
    ("Microsoft teams with Nebius on AI research.", "en", {("nebius", "partners_with", "microsoft")}),
    ("Microsoft selected Nebius to supply GPU capacity.", "en", {("nebius", "supplies", "microsoft")}),
    ("KT는 마이크로소프트와 협업한다.", "ko", {("kt", "partners_with", "microsoft")}),
    ("소프트뱅크는 인텔 지분을 매입했다.", "ko", {("softbank", "invests_in", "intel")}),
    ("애플은 삼성전자의 칩을 채택했다.", "ko", {("samsung", "supplies", "apple")}),
    # a Korean licence, and the contract it is signed as is the same deal
    ("그록은 엔비디아와 기술 라이선스 계약을 체결했다.", "ko", {("groq", "licenses", "nvidia")}),
    # a bare name opening the noun phrase of the deal word is what the deal is for
    ("소프트뱅크는 오픈AI 지분 투자를 늘렸다.", "ko", {("softbank", "invests_in", "openai")}),
    # a legal form ends a new name ("Inc.") and the verb after it still makes it the subject
    ("Proseware Robotics Inc. said it will buy $1 billion of GPUs from Nvidia.", "en", {("nvidia", "supplies", "proseware_robotics")}),
    # "AI" ends many names: kept at the end ("Tailspin AI"), dropped at the start ("AI startup ...")
    ("Tailspin AI raised $200 million from Nvidia.", "en", {("nvidia", "invests_in", "tailspin_ai")}),
    ("AI startup Tailspin raised $200 million from Nvidia.", "en", {("nvidia", "invests_in", "tailspin")}),
    # who awards a contract buys; the one awarded sells, active or passive
    ("Oracle awarded a $2 billion contract to Vertiv.", "en", {("vertiv", "supplies", "oracle")}),
    ("Oracle awarded Fluor a $2 billion construction contract.", "en", {("fluor", "supplies", "oracle")}),
    ("Fluor was awarded a $2 billion contract by Oracle.", "en", {("fluor", "supplies", "oracle")}),
    # buying a company is acquiring it; buying its goods is a purchase
    ("CoreWeave will buy Core Scientific in an all-stock deal valued at $9 billion.", "en", {("coreweave", "acquires", "core_scientific")}),
    ("Microsoft will buy Nvidia chips worth $5 billion.", "en", {("nvidia", "supplies", "microsoft")}),
    # the payer buys
    ("Meta will pay Corning up to $6 billion for fiber.", "en", {("corning", "supplies", "meta")}),
    # an appositive between a new name and its verb; a name ending like a product ("Systems") is a
    # company where what is acquired stands
    ("Ecolab, a company whose identity rested on water treatment, announced an agreement to acquire "
     "CoolIT Systems.", "en", {("ecolab", "acquires", "coolit_systems")}),
    # who makes a company's goods supplies it; a maker's own plant is no customer
    ("TSMC is the sole manufacturer of Nvidia's Blackwell GPUs.", "en", {("tsmc", "supplies", "nvidia")}),
    ("Foxconn manufactured servers for Meta.", "en", {("foxconn", "supplies", "meta")}),
    ("Nvidia manufactures its chips at TSMC.", "en", set()),
    # a name followed by the consortium it leads takes the consortium's particle; shares bought are
    # an investment; the long Korean spelling of a name is the name
    ("블랙록 컨소시엄이 얼라인드를 400억달러에 인수한다.", "ko", {("blackrock", "acquires", "aligned")}),
    ("엔비디아는 인텔 지분 50억달러어치를 사들였다.", "ko", {("nvidia", "invests_in", "intel")}),
    ("블랙록이 얼라인드 데이터센터를 400억달러에 인수한다.", "ko", {("blackrock", "acquires", "aligned")}),
])
def test_general_grammar_rules(index, text, lang, expected):
    assert triples(text, index, lang) == expected


def test_a_korean_company_suffix_and_a_relative_clause_subject(index):
    """"파워링크사와": 사 is the company suffix, not the name; "…계약까지 체결한 효성중공업은": the
    subject the deal's verb phrase describes is the first party."""
    text = "호주 전력회사 파워링크사와 350억원 규모의 변압기 공급 계약까지 체결한 효성중공업은 주요 공급사로 참여한다."
    (cand,) = extract(text, index, "ko")
    assert (cand.source, cand.type, cand.new_entities.get(cand.target)) == ("hyosung_heavy", "supplies", "파워링크")


@pytest.mark.parametrize("text, lang, expected", [
    # "the company" / "이 회사" as the other party: the last company named before
    ("Anthropic said revenue tripled. Amazon will invest $4 billion in the company.", "en",
     {("amazon", "invests_in", "anthropic")}),
    ("오픈AI는 신규 데이터센터를 공개했다. 마이크로소프트는 이 회사와 클라우드 계약을 맺었다.", "ko",
     {("microsoft", "cloud_capacity", "openai")}),
    ("Amazon will invest $4 billion in the company.", "en", set()),         # no company named before
    # a role noun may carry modifiers ("the Santa Clara-based chipmaker")
    ("Nvidia shares rose. Microsoft will buy GPUs from the Santa Clara-based chipmaker.", "en",
     {("nvidia", "supplies", "microsoft")}),
    ("Dell shares rose. Microsoft chose the Texas-based server maker for its racks.", "en",
     {("dell", "supplies", "microsoft")}),
    # Korean leaves out the subject the sentence before named, unless a noun is the subject
    ("엔비디아는 3분기 실적을 발표했다. 이어 인텔에 50억달러를 투자한다고 밝혔다.", "ko",
     {("nvidia", "invests_in", "intel")}),
    ("엔비디아는 3분기 실적을 발표했다. 정부는 인텔에 50억달러를 투자한다고 밝혔다.", "ko", set()),
])
def test_a_company_left_out_or_referred_to_resolves_to_the_one_named_before(index, text, lang, expected):
    assert triples(text, index, lang) == expected


def test_a_deal_across_the_cut_of_a_very_long_line_is_still_found(index):
    """A flattened page arrives as one line; it reaches the splitter in overlapping pieces, so the
    sentence that a cut at MAX_LINE characters runs through is read whole in one of them."""
    from capexgraph.ingest.sentences import MAX_LINE
    deal = "Nvidia will invest $5 billion in Intel. "
    filler = "The market was quiet that day. " * ((MAX_LINE - len(deal) // 2) // 31)
    text = filler + deal + filler
    assert len(text) > MAX_LINE and text.index(deal) < MAX_LINE < text.index(deal) + len(deal)
    got = {(c.source, c.type, c.target, c.amount) for c in extract(text, index, "en")}
    assert got == {("nvidia", "invests_in", "intel", 5e9)}


def test_between_two_hyperscalers_the_recorded_cloud_seller_is_the_provider():
    """Known answer: Meta and Google are one tier; the data records Google selling cloud capacity
    to another buyer, and Meta selling none, so "Meta signed a cloud contract with Google" is
    Google's sale. A row between the two themselves would not decide it."""
    records = load_records()
    text = "Meta has signed a six-year cloud computing contract with Google, worth over $10 billion."
    rows = [{"source": "alphabet", "target": "anthropic", "type": "cloud_capacity"}]
    idx = EntityIndex(records.entities.values(), sells=EntityIndex.sellers(rows))
    got = [(c.source, c.type, c.target) for c in extract(text, idx, "en")]
    assert got == [("alphabet", "cloud_capacity", "meta")], got
    only_between = EntityIndex(records.entities.values(), sells=EntityIndex.sellers(
        [{"source": "alphabet", "target": "meta", "type": "cloud_capacity"}]))
    got = [(c.source, c.type, c.target) for c in extract(text, only_between, "en")]
    assert got == [("meta", "cloud_capacity", "alphabet")], got     # sentence order, as before


def test_a_contract_named_again_without_an_amount_is_the_same_deal(index):
    text = ("IREN said it has signed a $9.7 billion cloud services contract with Microsoft. "
            "IREN said its contract with Microsoft includes a 20% prepayment.")
    got = [(c.source, c.type, c.target, c.amount) for c in extract(text, index, "en")]
    assert got == [("iren", "cloud_capacity", "microsoft", 9.7e9)], got


@pytest.mark.parametrize("text, expected", [
    # money borrowed comes from the party after "from"; the subject receives it
    ("Crusoe Energy secured a $750 million credit facility from Brookfield Asset Management.",
     {("brookfield", "lends", "crusoe")}),
    # an order from a company: it buys, whatever verb comes first
    ("Hitachi Energy won a $1 billion order from Iberdrola to supply transformers.",
     {("hitachi", "supplies", "iberdrola")}),
    # a lease's other party may stand after "from" or "to"; the tiers give the direction
    ("Oracle has agreed to lease a 1.4 GW campus in Texas from Vantage Data Centers.",
     {("vantage", "lease", "oracle")}),
    # a company the dataset lacks, as the subject of the deal verb itself, or as the party an
    # agreement is with even when its name ends like a product ("Cloud")
    ("Fluxon Energy will supply 500 MW of power to Meta's Ohio campus under a 15-year deal.",
     {("fluxon_energy", "supplies", "meta")}),
    ("Nebius signed a $3 billion agreement with Lumina Cloud to supply GPU capacity.",
     {("nebius", "cloud_capacity", "lumina_cloud")}),
    # buying an amount "of" a company's goods is no acquisition of the company: a purchase from its
    # maker, named with the goods or after "from"
    ("Meta Platforms has agreed to buy up to $10 billion of Google Cloud capacity over six years.",
     {("alphabet", "cloud_capacity", "meta")}),
    ("Microsoft has agreed to buy $9.7 billion of cloud computing capacity from IREN over five years.",
     {("iren", "cloud_capacity", "microsoft")}),
    ("Meta agreed to buy $2 billion of Nvidia shares.", set()),
    # what is supplied "for" a company's product is supplied to that company
    ("Samsung will supply HBM4 for AMD's MI450 accelerators.", {("samsung", "supplies", "amd")}),
    # a contract won "to make chips for Tesla": Tesla buys; "is buying Splunk for $28 billion": an acquisition
    ("Samsung Electronics won a $16.5 billion contract to make chips for Tesla.", {("samsung", "supplies", "tesla")}),
    ("Cisco is buying Splunk for $28 billion.", {("cisco", "acquires", "splunk")}),
    # goods bought "from" a company: a purchase, not an acquisition
    ("Fermi America, a Texas-based developer, agreed to buy gas turbines from Siemens Energy.",
     {("siemens_energy", "supplies", "fermi_america")}),
    # a role noun opening the sentence is not part of the name; a verb between a new name and a
    # known one means the first is no description of the second
    ("Startup Lightmatter raised $400 million in a round led by T. Rowe Price.",
     {("t_rowe_price", "invests_in", "lightmatter")}),
    ("Chipmaker Rivos was acquired by Meta.", {("meta", "acquires", "rivos")}),
])
def test_deal_frames_written_for_sentences_no_rule_had_seen(index, text, expected):
    """Written as a reader would phrase typical deals, before any rule was run on them."""
    assert triples(text, index, "en") == expected


@pytest.mark.parametrize("text, expected", [
    # a name Kiwi's dictionary lacks (oov) opens the sentence as its subject; in a Korean supply
    # contract a subject the dataset lacks is the seller, whatever the counterparty's tier
    ("두산에너빌리티가 엑스에너지와 소형모듈원자로 핵심 기자재 공급 계약을 체결했다.",
     {(slug("두산에너빌리티"), "supplies", "x_energy")}),
    # a known subject keeps its tier: Meta buys the fiber (the article's own spelling of Corning)
    ("메타가 특수유리 전문기업 코팅과 60억달러 규모의 광섬유 공급 계약을 체결했다.",
     {(slug("코팅"), "supplies", "meta")}),
    # AWS's Korean name is Amazon's
    ("SK텔레콤은 아마존웹서비스와 손잡고 울산에 AI 데이터센터를 짓는다.",
     {(slug("SK텔레콤"), "partners_with", "amazon")}),
    # a lease's other party may be the one it is leased from (로부터) or to (에)
    ("마이크로소프트가 네비우스로부터 174억달러 규모의 GPU 인프라를 임차한다.", {("nebius", "lease", "microsoft")}),
])
def test_korean_deal_frames_written_for_sentences_no_rule_had_seen(index, text, expected):
    assert triples(text, index, "ko") == expected


def test_an_order_from_a_company_makes_it_the_buyer(index):
    """"an order from Y" (a noun) names the customer, "ordered from Y" (a verb) the supplier."""
    got = triples("CoreWeave disclosed a separate order from Nvidia worth at least $6.3 billion.", index, "en")
    assert ("nvidia", "supplies", "coreweave") not in got
    got = triples("Vertiv received an order from Microsoft for cooling systems.", index, "en")
    assert got == {("vertiv", "supplies", "microsoft")}
    got = triples("Oracle ordered GPUs from Nvidia worth $40 billion.", index, "en")
    assert got == {("nvidia", "supplies", "oracle")}


def test_a_korean_company_the_dataset_lacks_is_proposed_when_it_opens_the_deal(index):
    got = [c for c in extract("카카오가 오픈AI와 전략적 제휴를 맺었다고 밝혔다.", index, "ko")]
    assert [(c.new_entities.get(c.source), c.type, c.target) for c in got] == [("카카오", "partners_with", "openai")]
    # a news agency opening the sentence reports the deal; it is not a party to it
    got = extract("로이터는 구글과 오픈AI가 클라우드 계약을 체결했다고 보도했다.", index, "ko")
    assert all("로이터" not in c.new_entities.values() for c in got)


# --- quality on the labelled set -------------------------------------------------------------------
def test_precision_and_recall_on_the_labelled_articles(cli):
    files = sorted(ARTICLES.glob("*.txt"))
    assert len(files) >= 60
    r = cli("ingest-news", *files, "--labels", EVAL / "labels.csv", "--format", "markdown")
    assert r.code == 0, r.err
    rows = {line.split("|")[1].strip(): line.split("|") for line in r.out.splitlines()
            if line.startswith("| ") and "precision" not in line}
    precision, recall = float(rows["all"][6]), float(rows["all"][7])
    # the tool's target (issue #19: precision 0.8, recall 0.6), met on the development articles
    assert precision >= 0.8 and recall >= 0.6, r.out
    for lang in ("Korean", "English"):
        assert float(rows[lang][6]) >= 0.8 and float(rows[lang][7]) >= 0.55, r.out


def test_recall_is_split_by_whether_the_label_names_a_company_the_dataset_lacks():
    """Known answer: two labels between dataset companies (one found) and one naming a new
    company (not found) give 1/2 and 0/1; an optional label counts in neither."""
    from capexgraph.ingest.deals import Candidate
    from capexgraph.ingest.news_eval import Evaluation, Label, score_article

    names = {"nvidia": {"nvidia"}, "intel": {"intel"}, "openai": {"openai"}}
    labels = [Label("a", "nvidia", "intel", "invests_in", None, False),
              Label("a", "nvidia", "openai", "supplies", None, False),
              Label("a", "new:Rebellions|리벨리온", "openai", "partners_with", None, False),
              Label("a", "intel", "openai", "supplies", None, True)]
    found = Candidate("nvidia", "intel", "invests_in", "Nvidia invests in Intel.", 0.9, "test")
    ev = Evaluation([score_article("a", "en", labels, [found], names)])
    assert ev.known_split() == {"known": (1, 2), "new": (0, 1)}


@pytest.mark.parametrize("folder", [EVAL, EVAL / "dev_2", EVAL / "held_aside", EVAL / "held_aside_2",
                                    EVAL / "held_aside_3"],
                         ids=["development", "development-2", "held-aside", "held-aside-2", "held-aside-3"])
def test_every_labelled_article_records_publisher_date_and_url(folder):
    files = sorted((folder / "articles").glob("*.txt"))
    for p in files:
        head = dict(line.split(": ", 1) for line in p.read_text(encoding="utf-8").splitlines()[:5])
        assert head["Publisher"] and head["URL"].startswith(("http", "file:")) and head["Date"][:2] == "20", p.name
        assert head["Language"] in ("ko", "en") and p.name.startswith(head["Language"] + "-"), p.name
    labels = read_csv(folder / "labels.csv")
    assert {lab["article"] for lab in labels} <= {p.stem for p in files}
    urls = [p.read_text(encoding="utf-8").splitlines()[2] for p in files]
    assert len(set(urls)) == len(urls)


HELD_ASIDE = ("held_aside", "held_aside_2", "held_aside_3")


@pytest.mark.parametrize("held_aside", HELD_ASIDE)
def test_the_held_aside_set_shares_no_article_with_the_development_set(held_aside):
    url = lambda p: p.read_text(encoding="utf-8").splitlines()[2]  # noqa: E731
    held = {url(p) for p in (EVAL / held_aside / "articles").glob("*.txt")}
    langs = [p.name[:2] for p in (EVAL / held_aside / "articles").glob("*.txt")]
    assert len(held) >= 15 and langs.count("ko") >= 5 and langs.count("en") >= 5
    others = [EVAL / "articles", EVAL / "dev_2" / "articles"] + [
        EVAL / h / "articles" for h in HELD_ASIDE if h != held_aside]
    assert not held & {url(p) for d in others for p in d.glob("*.txt")}


# --- accept ----------------------------------------------------------------------------------------
def test_accept_adds_a_new_deal_then_reruns_add_nothing(cli, mini, tmp_path):
    out = tmp_path / "c.csv"
    r = cli("ingest-news", ARTICLES / "en-ndtvprofit-nvidia-openai.txt", "--data", mini, "--out", out)
    assert r.code == 0, r.err
    mark(out, lambda row: row["source"] == "nvidia" and row["target"] == "openai")
    r = cli("accept", out, "--data", mini)
    assert r.code == 0, r.err
    assert "added 1 relationship(s)" in r.out
    rel = [x for x in read_csv(mini / "relationships.csv") if (x["source"], x["target"]) == ("nvidia", "openai")]
    assert len(rel) == 1
    assert (rel[0]["type"], float(rel[0]["amount"]), rel[0]["amount_qualifier"], rel[0]["date"]) == \
        ("invests_in", 1e11, "up_to", "2025-09-22")
    src = [s for s in read_csv(mini / "sources.csv") if s["id"] == rel[0]["source_ids"]]
    assert src[0]["url"].startswith("https://www.ndtvprofit.com/") and src[0]["date"] == "2025-09-22"
    assert cli("validate", "--data", mini).code == 0
    before = digest(mini)
    # the same article again: same candidate ids, the review mark is kept, nothing is duplicated
    r = cli("ingest-news", ARTICLES / "en-ndtvprofit-nvidia-openai.txt", "--data", mini, "--out", out)
    assert "kept 1 earlier review mark" in r.out
    r = cli("accept", out, "--data", mini)
    assert r.code == 0 and "added 0 relationship(s)" in r.out and "1 already had it" in r.out
    assert digest(mini) == before


def test_a_candidate_matching_an_existing_deal_adds_its_source(cli, mini, tmp_path):
    out = tmp_path / "c.csv"
    cli("ingest-news", COLUMN, "--data", mini, "--out", out)
    mark(out)
    r = cli("accept", out, "--data", mini)
    assert r.code == 0, r.err
    assert "added 0 relationship(s)" in r.out and "2 existing relationship(s) gained a source" in r.out
    rels = {x["id"]: x for x in read_csv(mini / "relationships.csv")}
    assert len(rels["seed-r001"]["source_ids"].split(";")) == 3   # two Corning sources + the column
    new_source = rels["seed-r001"]["source_ids"].split(";")[-1]
    assert {s["id"]: s for s in read_csv(mini / "sources.csv")}[new_source]["url"] == "file:ai-infra-column-2026-01.ko.txt"


def test_new_company_is_proposed_and_needs_categories(cli, mini, tmp_path):
    art = tmp_path / "note.txt"
    art.write_text("코닝이 아크로닉스와 5억 달러 규모의 광섬유 공급 계약을 체결했다.\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    r = cli("ingest-news", art, "--data", mini, "--out", out, "--publisher", "Test desk",
            "--title", "Test", "--date", "2026-02-02")
    assert r.code == 0, r.err
    rows = read_csv(out)
    entity = [x for x in rows if x["kind"] == "entity"]
    rel = [x for x in rows if x["kind"] == "relationship"]
    assert len(entity) == 1 and entity[0]["name_ko"] == "아크로닉스"
    assert rel[0]["source"] == "corning" and rel[0]["target"] == entity[0]["source"]
    before = digest(mini)
    mark(out)  # accepted, but the new company has no name, category or country yet
    r = cli("accept", out, "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{out}:3: field 'categories': a new company needs a category" in r.err
    assert f"{out}:3: field 'country'" in r.err and "nothing was written" in r.err
    assert digest(mini) == before
    mark(out, lambda row: row["kind"] == "entity", source_name="Acronix", categories="datacenter", country="KR")
    r = cli("accept", out, "--data", mini)
    assert r.code == 0, r.err
    assert "1 company" in r.out and cli("validate", "--data", mini).code == 0


def test_accept_errors_name_file_row_and_field(cli, mini, tmp_path):
    out = tmp_path / "c.csv"
    cli("ingest-news", ARTICLES / "en-ndtvprofit-nvidia-openai.txt", "--data", mini, "--out", out)
    mark(out, target="nobody", amount="lots")
    rows = read_csv(out)
    rows[0]["accept"] = "maybe"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    before = digest(mini)
    r = cli("accept", out, "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{out}:2: field 'accept': 'maybe' is neither yes nor no" in r.err
    assert digest(mini) == before
    rows[0]["accept"] = "yes"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    r = cli("accept", out, "--data", mini)
    assert f"{out}:2: field 'target': unknown entity 'nobody'" in r.err
    assert f"{out}:2: field 'amount': 'lots' is not a number" in r.err
    assert digest(mini) == before


# --- inputs ----------------------------------------------------------------------------------------
def test_html_article_metadata_and_text(cli, mini, tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        "<!doctype html><html><head><title>ignored</title>"
        '<meta property="og:title" content="Nvidia to invest in OpenAI">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="og:url" content="https://news.example.com/nvidia-openai">'
        '<meta property="article:published_time" content="2025-09-22T12:00:00Z"></head><body>'
        "<nav>Microsoft signed a $1 billion deal with CoreWeave.</nav>"
        "<article><p>Nvidia will invest as much as $100 billion in OpenAI, the companies said.</p>"
        "<script>var x = 'Microsoft invested $9 billion in Nvidia';</script></article></body></html>",
        encoding="utf-8")
    out = tmp_path / "c.csv"
    r = cli("ingest-news", page, "--data", mini, "--out", out)
    assert r.code == 0, r.err
    rows = read_csv(out)
    assert [(x["source"], x["type"], x["target"]) for x in rows] == [("nvidia", "invests_in", "openai")]
    assert (rows[0]["article_title"], rows[0]["publisher"], rows[0]["url"], rows[0]["article_date"]) == \
        ("Nvidia to invest in OpenAI", "Example News", "https://news.example.com/nvidia-openai", "2025-09-22")


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), "looks like a binary file"),
    (lambda p: p.write_bytes("엔비디아가 코어위브에 투자했다".encode("cp949")), "not utf-8 text"),
    (lambda p: p.write_text("Nvidia " * 400_000, encoding="utf-8"), "larger than the"),
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: None, "no such file"),
])
def test_bad_input_is_one_clear_error_and_writes_nothing(cli, tmp_path, make, words):
    bad = tmp_path / "article.txt"
    make(bad)
    out = tmp_path / "c.csv"
    r = cli("ingest-news", COLUMN, bad, "--out", out, "--max-bytes", "1000000")
    assert r.code == 2
    assert "Traceback" not in r.err
    line = next(x for x in r.err.splitlines() if str(bad) in x)
    assert words in line.lower()
    assert "nothing was written" in r.err
    assert not out.exists()


def test_wrong_encoding_says_which_to_use_and_then_works(cli, mini, tmp_path):
    art = tmp_path / "old.txt"
    art.write_bytes("엔비디아는 코어위브에 20억 달러를 투자한다고 밝혔다.".encode("cp949"))
    r = cli("ingest-news", art, "--data", mini, "--out", tmp_path / "c.csv")
    assert r.code == 2 and "--encoding" in r.err
    r = cli("ingest-news", art, "--data", mini, "--out", tmp_path / "c.csv", "--encoding", "cp949",
            "--date", "2026-01-26")
    assert r.code == 0, r.err
    assert [(x["source"], x["target"], x["amount"]) for x in read_csv(tmp_path / "c.csv")] == \
        [("nvidia", "coreweave", "2000000000")]


def test_help_teaches(cli):
    r = cli("ingest-news", "--help")
    assert r.code == 0 and "--labels" in r.out and "capexgraph accept candidates.csv" in r.out
    r = cli("accept", "--help")
    assert r.code == 0 and "--dry-run" in r.out


def test_a_supply_candidate_names_what_it_supplies_or_is_refused(cli, mini, tmp_path):
    """The product class comes from the sentence's product words (fiber -> fiber_connectivity);
    a reviewer who blanks it gets one line naming the field, and nothing is written."""
    art = tmp_path / "deal.txt"
    art.write_text("Corning signed a $1 billion agreement to supply optical fiber to Meta.\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    r = cli("ingest-news", art, "--data", mini, "--out", out, "--publisher", "Test desk", "--title", "T",
            "--date", "2026-02-02")
    assert r.code == 0, r.err
    rel = [x for x in read_csv(out) if x["kind"] == "relationship"]
    assert rel and rel[0]["type"] == "supplies" and rel[0]["product_class"] == "fiber_connectivity"
    before = digest(mini)
    mark(out, product_class="")
    r = cli("accept", out, "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{out}:2: field 'product_class': a supplies row says what it supplies" in r.err
    assert digest(mini) == before


# --- rules for unseen text (issue #19, dev_2) ------------------------------------------------------
def test_each_name_of_a_listed_subject_shares_an_agreed_deal(index):
    """"agreed to acquire": the agreement word is the deal's verb, not a second deal between the
    listed names; "to" before the deal word is not the target's; a place's possessive and a bracketed
    repeat stay inside the list, and a company the dataset lacks takes its list's deal too."""
    got = triples("BlackRock, Nvidia and Microsoft agreed to acquire Aligned Data Centers.", index, "en")
    assert got == {(x, "acquires", "aligned") for x in ("blackrock", "nvidia", "microsoft")}
    got = triples(
        "A consortium comprising BlackRock, the Kuwait Investment Authority (KIA), and Singapore's Temasek "
        "has agreed to acquire Aligned Data Centers.", index, "en")
    assert got == {(x, "acquires", "aligned") for x in ("blackrock", "kia", "temasek")}


def test_investors_that_lead_or_join_a_round_invest_in_its_raiser(index):
    text = ("Baseten closed a $1.5 billion Series F round. The round was led by Altimeter Capital and Spark "
            "Capital, with Sands Capital co-leading. Greylock, Blackbird and D.E. Shaw Ventures also participated.")
    got = triples(text, index, "en")
    assert got == {(x, "invests_in", "baseten") for x in (
        "altimeter_capital", "spark_capital", "sands_capital", "greylock", "blackbird", "de_shaw_ventures")}
    # the company after "round into" is the raiser; "alongside" joins the round
    got = triples("Benchmark led a $170 million round into Cerebras, alongside EQT Ventures.", index, "en")
    assert got == {("benchmark", "invests_in", "cerebras"), ("eqt_ventures", "invests_in", "cerebras")}
    # no round named before: nothing is guessed
    assert extract("Greylock and Blackbird also participated.", index, "en") == []


def test_korean_investors_that_confirm_a_round_named_before_invest_in_its_raiser(index):
    """"A, B 등이 투자를 확정" after "X는 ... 시리즈D 투자유치": each listed name (new ones
    included, named as the article writes them) invests in X; a glossed subject with an amount,
    "페가트론(Pegatron)은 200만달러 투자를 확정", does too, with its amount."""
    text = "퓨리오사AI는 700억원 규모 시리즈D 투자유치를 진행하고 있다. 산업은행, 한국투자파트너스 등이 투자를 확정했다."
    got = {(c.new_entities.get(c.source, c.source), c.type, c.new_entities.get(c.target, c.target))
           for c in extract(text, index, "ko")}
    assert got == {("산업은행", "invests_in", "퓨리오사AI"), ("한국투자파트너스", "invests_in", "퓨리오사AI")}
    text = "리벨리온은 2000억원 규모 자금 조달을 추진 중이다. 페가트론(Pegatron)은 200만달러 투자를 확정했다."
    (cand,) = extract(text, index, "ko")
    assert (cand.new_entities[cand.source], cand.type, cand.new_entities[cand.target], cand.amount) == \
        ("페가트론", "invests_in", "리벨리온", 2_000_000)


@pytest.mark.parametrize("text", [
    # the investment names what it goes to: no round joined
    "리벨리온은 2000억원 규모 자금 조달을 추진 중이다. 삼성전자는 텍사스 공장에 170억달러 투자를 결정했다.",
    # "기관 투자자들" is a kind of investor, not a name
    "리벨리온은 2000억원 규모 자금 조달을 추진 중이다. 벤처캐피털(VC) 등 기관 투자자들이 투자를 확정했다.",
    # no round named before: nothing is guessed
    "산업은행, 한국투자파트너스 등이 투자를 확정했다.",
])
def test_korean_investments_that_join_no_round(index, text):
    assert extract(text, index, "ko") == []


@pytest.mark.parametrize("text", [
    "Shares of IREN surged, with the company also entering into an agreement with Dell Technologies to "
    "purchase the chips for about $5.8 billion.",
    # "the deal, with the company" is two phrases, not one long "the ... company"
    "Shares of IREN surged after the deal, with the company entering into an agreement with Dell "
    "Technologies to purchase GPUs for $5.8 billion.",
])
def test_the_company_as_a_with_clause_subject_is_the_one_company_named_before(index, text):
    assert triples(text, index, "en") == {("dell", "supplies", "iren")}


def test_the_short_form_of_a_new_name_is_the_same_company(index):
    """"Benchmark Capital led a round into Cerebras ... Benchmark did not stop there. The firm also
    co-led a Series A into Starcloud": one firm, one id, and "The firm" is Benchmark, not Cerebras."""
    text = ("Benchmark Capital led a $225 million round into Cerebras. Cerebras competes with Nvidia. "
            "Benchmark did not stop there. The firm also co-led a $170 million Series A into Starcloud.")
    got = triples(text, index, "en")
    assert got == {("benchmark_capital", "invests_in", "cerebras"), ("benchmark_capital", "invests_in", "starcloud")}


def test_a_korean_construction_contract_between_two_new_companies_is_the_subjects_sale(index):
    """"동부건설이 앰코테크놀로지코리아(이하 '앰코코리아')와 ... 증축공사' 계약을 체결했다고 공시":
    both names are new to the dataset, the bracketed short name is not the party, and in a Korean
    supply, sale or construction contract the subject is the seller."""
    text = ("동부건설이 앰코테크놀로지코리아(이하 ‘앰코코리아’)와 1,729억 7,000만원 규모의 ‘송도사업장 신규 "
            "테스트동 증축공사’ 계약을 체결했다고 29일 공시했다.")
    (c,) = extract(text, index, "ko")
    assert (c.new_entities[c.source], c.type, c.new_entities[c.target]) == ("동부건설", "supplies", "앰코테크놀로지코리아")
    assert c.amount == 172_970_000_000


def test_a_korean_list_closed_by_deung_proposes_its_new_names(index):
    """"삼성전자, 현대차그룹 등이": the words of a comma list closed by 등 are names, so a name the
    dataset lacks takes the list's deal; a common noun in the list does not."""
    got = triples("삼성전자, 현대차그룹 등이 엔비디아 최신 GPU를 공급받는다.", index, "ko")
    assert got == {("nvidia", "supplies", "samsung"), ("nvidia", "supplies", slug("현대차그룹"))}
    got = triples("삼성전자, 정부 등이 엔비디아 최신 GPU를 공급받는다.", index, "ko")
    assert got == {("nvidia", "supplies", "samsung")}


def test_a_gpu_maker_named_between_a_possessive_and_graphics_processing_units_is_a_brand(index):
    """"to host CoreWeave's NVIDIA Graphics Processing Units": Nvidia is the brand of what is hosted,
    the host's customer is CoreWeave (the product word spelled out, not only "GPUs")."""
    text = ("Under the terms of the option exercise, Core Scientific will modify infrastructure at one of its "
            "sites to deliver approximately 120 incremental MW of critical IT load to host CoreWeave's NVIDIA "
            "Graphics Processing Units.")
    assert triples(text, index, "en") == {("core_scientific", "lease", "coreweave")}


def test_two_names_whose_verb_is_the_partnership_word_are_its_parties(index):
    assert triples("Nvidia and Nokia will collaborate on AI-powered networking solutions.", index, "en") == \
        {("nvidia", "partners_with", "nokia")}


@pytest.mark.parametrize("text, lang", [
    ("Nokia's chief executive met Nvidia's Jensen Huang in Helsinki. Both companies will collaborate on "
     "AI-powered networking.", "en"),
    ("노키아 최고경영자가 엔비디아 젠슨 황과 헬싱키에서 만났다. 양사는 AI 네트워킹 분야에서 협력하기로 했다.", "ko"),
])
def test_both_companies_are_the_two_named_just_before(index, text, lang):
    got = {tuple(sorted((a, b))) + (t,) for a, t, b in triples(text, index, lang)}
    assert got == {("nokia", "nvidia", "partners_with")}


@pytest.mark.parametrize("text, expected", [
    # building something together is a partnership; the bracketed gloss takes the particle after it
    ("삼성전자는 아마존웹서비스(AWS)와 함께 울산에 AI 전용 데이터센터를 세울 계획이다.",
     {("samsung", "partners_with", "amazon")}),
    # rising together is not
    ("삼성전자는 SK하이닉스와 함께 상승했다.", set()),
])
def test_a_korean_joint_project_is_a_partnership(index, text, expected):
    got = {(a, t, b) if a < b else (b, t, a) for a, t, b in triples(text, index, "ko")}
    assert got == {(a, t, b) if a < b else (b, t, a) for a, t, b in expected}


def test_a_korean_partnership_contract_is_a_partnership(index):
    (c,) = extract("카카오가 네이버와 전략적 제휴 계약을 체결했다.", index, "ko")
    assert c.type == "partners_with"


def test_a_korean_name_keeps_all_of_itself_in_its_id():
    assert slug("퓨리오사AI") != slug("퓨리오사") and slug("한국투자증권") != slug("한국투자파트너스")


def test_banks_that_arrange_a_loan_lend_to_its_borrower(index):
    text = ("DataBank has more than doubled its credit lines. The company upsized its credit facility to "
            "$1.6 billion. Citizens Bank, CoBank, Société Générale and MUFG were joint lead arrangers for the "
            "transaction.")
    got = triples(text, index, "en")
    assert got == {(x, "lends", "databank") for x in ("citizens_bank", "cobank", "societe_generale", "mufg")}
    (cand,) = [c for c in extract(text, index, "en") if c.source == "cobank"]
    assert cand.new_entities["databank"] == "DataBank"      # the name, not "The company"


@pytest.mark.parametrize("text, expected", [
    # a stake that gives control is an acquisition
    ("Schneider Electric will pay $850 million for a controlling stake in Motivair Corp.",
     {("schneider", "acquires", "motivair")}),
    # an "and" inside a description is not a list; a maker's own product is a brand, not its purchase
    ("Data centre owner and operator IREN signed a $9.7 billion cloud services contract with Microsoft to "
     "provide the tech giant with access to Nvidia's GB300 processors.", {("iren", "cloud_capacity", "microsoft")}),
    # "Seattle-based" describes the company after it, it is none; "asset-backed" is no investment
    ("Microsoft signed a partnership with Seattle-based Acme.", {("acme", "partners_with", "microsoft")}),
    ("Nvidia-backed Ayar Labs, which develops optical chips, said it has raised $500 million from "
     "Neuberger Berman.", {("neuberger_berman", "invests_in", "ayar_labs")}),
    ("Nvidia closed $1 billion in asset-backed securities with Intel.", set()),
])
def test_descriptions_are_not_parties(index, text, expected):
    assert triples(text, index, "en") == expected


def test_a_quoted_korean_name_takes_the_particle_after_the_quote_and_a_described_co_subject(index):
    text = "자산운용사 블랙록과 칩 제조업체 엔비디아가 ‘얼라인드 데이터 센터’를 약 56조 원에 인수할 계획이다."
    assert triples(text, index, "ko") == {
        ("nvidia", "acquires", "aligned"), ("blackrock", "acquires", "aligned")}


def test_acronyms_and_digit_led_names_in_a_list_of_investors_join_the_round(index):
    text = ("Baseten closed a $300 million funding round. "
            "KPV, Northgate, 07B, Bluefin and Harbor Ventures also participated.")
    got = triples(text, index, "en")
    assert {("kpv", "invests_in", "baseten"), ("07b", "invests_in", "baseten")} <= got
    # an acronym alone is still not a new company
    assert not any(c.source == "kpv" for c in extract("Baseten closed a funding round. KPV also participated.", index, "en"))


def test_a_korean_name_written_with_a_space_before_its_organisation_suffix(index):
    got = triples("쿠웨이트 투자청은 오픈AI에 10억달러를 투자했다.", index, "ko")
    assert ("kia", "invests_in", "openai") in got


def test_names_a_consortium_word_introduces_join_the_acquisition_named_before(index):
    text = ("블랙록과 엔비디아가 얼라인드를 약 56조 원에 인수할 계획이다. 이번 컨소시엄에는 마이크로소프트와 xAI도 참여했다. "
            "주요 투자자로는 쿠웨이트 투자청이 포함되어 있다.")
    got = triples(text, index, "ko")
    assert {("microsoft", "acquires", "aligned"), ("xai", "acquires", "aligned"),
            ("kia", "acquires", "aligned")} <= got
    # without an acquisition before, a consortium list is no deal
    assert extract("이번 컨소시엄에는 마이크로소프트와 xAI도 참여했다.", index, "ko") == []



@pytest.mark.parametrize("text, known", [
    # the name before a gloss ("Foxconn (Hon Hai Precision Industry)") and a listed short form
    ("Nvidia will supply GPUs to Foxconn.", "foxconn"),
    ("Super Micro said it will buy $1 billion of GPUs from Nvidia.", "super_micro"),
])
def test_a_company_the_dataset_has_is_never_proposed_as_new(index, text, known):
    (c,) = extract(text, index, "en")
    assert known in (c.source, c.target) and c.new_entities == {}


def test_a_rounds_investors_wherever_the_article_lists_them(index):
    """Venture arms stand for their parents in a list, investors may follow "include" or "investors
    including", a digit-led fund is a name, and a founder invests, not the firm he founded."""
    text = ("Ayar Labs said it has raised $155 million in a round led by Advent Global Opportunities. "
            "The round drew participation from AMD Ventures, Intel Capital, and NVIDIA. "
            "Other investors participating in the round include 3M Ventures and Autopilot. "
            "It also involved new investors including ARK Invest, Qatar Investment Authority and 1789 Capital, "
            "and Citadel founder Ken Griffin.")
    got = {(s, t) for s, ty, t in triples(text, index, "en") if ty == "invests_in"}
    assert {("amd", "ayar_labs"), ("intel", "ayar_labs"), ("nvidia", "ayar_labs"), ("3m_ventures", "ayar_labs"),
            ("autopilot", "ayar_labs"), ("ark_invest", "ayar_labs"), ("qia", "ayar_labs"),
            ("1789_capital", "ayar_labs")} <= got
    assert ("citadel", "ayar_labs") not in got


def test_a_ticker_that_is_a_word_of_the_trade_is_no_company(index):
    # "SMR" is NuScale's ticker and a small modular reactor
    assert not any("nuscale" in (c.source, c.target) for c in extract(
        "Amazon invested in X-Energy, an SMR startup, and agreed to buy power from its SMRs.", index, "en"))


@pytest.mark.parametrize("text, lang, expected", [
    # a government's grant, however it is worded; a grant comes only from a government or agency
    ("The U.S. Department of Commerce awarded Micron Technology up to $6.165 billion in direct funding.", "en",
     {("us_government", "grants", "micron")}),
    ("The Commerce Department finalized a $6.6 billion grant to TSMC.", "en", {("us_government", "grants", "tsmc")}),
    ("미국 상무부는 SK하이닉스에 지원하는 반도체 보조금을 최종 확정했다고 발표했다.", "ko",
     {("us_government", "grants", "sk_hynix")}),
    ("Intel gave a grant to TSMC.", "en", set()),
    # a Korean subject after a description ending in a role noun, whatever Kiwi tags it; a gloss in
    # brackets of up to 40 characters passes its particle on
    ("반도체 후공정 장비 전문기업 미래산업이 중국 반도체 업체 CXMT(ChangXin Memory Technologies)와 총 126억8000만원 "
     "규모의 단일판매·공급 계약을 체결했다고 6일 밝혔다.", "ko", {("new_c539acaf5c6b", "supplies", "cxmt")}),
    # an agreement to secure a maker's goods is a purchase from it
    ("AEP has an agreement in place to secure up to 1 gigawatt of Bloom Energy solid oxide fuel cells.", "en",
     {("bloom_energy", "supplies", "aep")}),
])
def test_grants_and_goods_secured(index, text, lang, expected):
    assert triples(text, index, lang) == expected


def test_a_relative_clause_inside_a_list_of_investors_does_not_end_it(index):
    text = ("OpenLight Photonics closed $34 million in Series A funding. The round saw participation from "
            "Juniper Networks, which is now a part of Hewlett Packard Enterprise Co., Mayfield, New Legacy "
            "Ventures and K2 Access.")
    got = {s for s, ty, t in triples(text, index, "en") if ty == "invests_in" and t == "openlight_photonics"}
    assert {"juniper_networks", "mayfield", "new_legacy_ventures", "k2_access"} <= got
    assert "hpe" not in got        # named inside the clause, not in the list


@pytest.mark.parametrize("text, expected", [
    # a company's own site after "its" is no company; "investment firm" describes, it is no investment;
    # a product word in a description of a party is not what the deal sells; "led by" a person, with
    # no round or money, is who runs a firm
    ("Galaxy, the Nasdaq-listed digital asset investment firm, said it has secured $1.4 billion in funding "
     "to expand its Helios data center in West Texas.", set()),
    ("Galaxy projected its deal with AI cloud firm CoreWeave could generate $1 billion a year.",
     {("galaxy_digital", "lease", "coreweave")}),
    ("Galaxy, led by Mike Novogratz, signed a lease with CoreWeave.", {("galaxy_digital", "lease", "coreweave")}),
])
def test_descriptions_of_a_party_say_nothing_about_the_deal(index, text, expected):
    assert triples(text, index, "en") == expected


@pytest.mark.parametrize("text, expected", [
    # examples listed after "including" are no pair; a component's maker is no party; rivals a winner
    # beat are no parties; money from a party in another clause is not this raise's; the unit of an
    # owner named after its possessive is what is acquired, across a cut after "Corp."
    ("Numerous technology companies including Amazon and Meta Platforms have signed agreements to power "
     "their systems with nuclear energy.", set()),
    ("Dell is close to finalizing a deal to supply AI servers equipped with Nvidia GB200 chips to xAI.",
     {("dell", "supplies", "xai")}),
    ("HPE had beaten Supermicro and Dell Technologies to win a $1 billion contract to supply servers to xAI.",
     {("hpe", "supplies", "xai")}),
    ("The company competes with firms such as Celestial AI, which raised $250 million last March, as well as "
     "Lumentum and Coherent, which received $2 billion each in investments from Nvidia on Monday.",
     {("nvidia", "invests_in", "lumentum"), ("nvidia", "invests_in", "coherent")}),
    ("Silver Lake is in talks over the purchase of a majority stake in Intel Corp.’s programmable chip "
     "business unit Altera.", {("silver_lake", "acquires", "altera")}),
])
def test_who_is_no_party_to_the_deal_a_sentence_reports(index, text, expected):
    assert triples(text, index, "en") == expected


def test_a_korean_business_unit_named_after_its_owner_is_a_party_of_its_own(index):
    got = extract("SK하이닉스는 인텔 낸드 사업부를 90억달러에 인수했다.", index, "ko")
    assert [(c.source, c.type, c.new_entities.get(c.target)) for c in got] == [("sk_hynix", "acquires", "인텔 낸드 사업부")]


def test_a_korean_acquisition_between_two_companies_the_dataset_lacks(index):
    """A dateline, then a subject described by a role noun, then the acquired company with its object
    particle right before the acquisition word; the amount in the next sentence, with 천 inside 만."""
    text = ("(서울=연합뉴스) 강태우 기자 = 독일의 과학기술기업 머크가 프랑스에 본사를 둔 장비 공급업체 유니티SC를 인수할 "
            "예정이라고 23일 밝혔다. 인수 금액은 1억5천500만유로(약 2천342억원)로 향후 지급액이 추가될 수 있다.")
    (c,) = extract(text, index, "ko")
    assert (c.new_entities[c.source], c.type, c.new_entities[c.target]) == ("머크", "acquires", "유니티SC")
    assert (c.amount, c.currency) == (155000000.0, "EUR")


def test_a_quoted_korean_name_before_its_deal_is_a_party(index):
    text = ("SK텔레콤은 미국의 인공지능(AI) 데이터센터 설계·구축 기업인 ‘스마트 글로벌 홀딩스’(SGH)에 2억달러(약 "
            "2800억원)를 투자해 지분 10%를 확보하기로 했다고 16일 밝혔다.")
    (c,) = extract(text, index, "ko")
    assert (c.new_entities[c.source], c.type, c.new_entities[c.target], c.amount) == (
        "SK텔레콤", "invests_in", "스마트 글로벌 홀딩스", 200000000.0)


def test_a_product_word_inside_a_name_or_a_possessor_in_the_next_quoted_sentence_says_nothing(index):
    assert triples("Caterpillar agreed to supply generators for Joule's High Performance Compute Data Center "
                   "Campus.", index, "en") == {("caterpillar", "supplies", "joule_capital")}
    assert triples("Gray said: “We deliver AI ready compute capacity to tenants. By combining Caterpillar’s "
                   "advanced energy systems we move faster.”", index, "en") == set()


def test_the_banks_of_a_syndicated_loan_lend_to_its_borrower(index):
    """A borrower after an appositive and "established" a facility; banks by the titles they take
    ("engaged as the Administrative Agent", "were Joint Lead Arrangers", "joining as", "Co-Documentation
    Agents", "supported the transaction"); the titles themselves are no names; "$725MM" is $725 million."""
    text = ("DataBank, a provider of colocation, established a new $725MM credit facility. TD Securities was "
            "the Administrative Agent in the transaction. Citizens Bank, CoBank and First Citizens were Joint Lead Arrangers "
            "for the transaction with Nomura Securities joining as Joint Lead Arrangers. Goldman Sachs was a "
            "Co-Documentation Agent. Cadence Bank supported the transaction as well.")
    got = {(c.source, c.target): c for c in extract(text, index, "en") if c.type == "lends"}
    assert {s for s, t in got if t == "databank"} == {"td_securities", "citizens_bank", "cobank", "first_citizens",
                                                       "nomura_securities", "goldman_sachs", "cadence_bank"}


@pytest.mark.parametrize("text, expected", [
    # the companies a buyer's acquisitions include are each acquired
    ("Legrand made four acquisitions this year, including Avtron Power Solutions and Computer Room Solutions.",
     {("legrand", "acquires", "avtron_power_solutions"), ("legrand", "acquires", "computer_room_solutions")}),
    # a place the dataset has and a number word are no new companies
    ("Chevron and GE Vernova agreed to partner on power plants in the United States.",
     {("ge_vernova", "partners_with", "chevron")}),
])
def test_acquisitions_listed_and_places_that_are_no_companies(index, text, expected):
    assert triples(text, index, "en") == expected


# --- rules written on dev_4/ and dev_5/ (2026-12-08, fourth session) -------------------------------
def _new_names(text: str, index, lang: str) -> set[tuple[str, str, str]]:
    """(source name, type, target name): a proposed company by the name written, a known one by id."""
    out = set()
    for c in extract(text, index, lang):
        out.add((c.new_entities.get(c.source, c.source), c.type, c.new_entities.get(c.target, c.target)))
    return out


def test_korean_deals_between_companies_the_dataset_lacks_and_received_grants(index):
    # a counterparty before a two-word contract noun; the purchase, not the contract, says who sells
    assert _new_names("LG유플러스가 GS건설과 재생에너지 전력구매계약(PPA)을 체결했다.", index, "ko") == {
        ("GS건설", "power_supply", "LG유플러스")}
    # a grant received from a government, by a company the dataset lacks, after 계열사
    assert _new_names("SKC의 반도체 유리 기판 계열사 앱솔릭스가 미국 정부로부터 7천500만달러 상당의 보조금을 "
                      "받게 됐다.", index, "ko") == {("us_government", "grants", "앱솔릭스")}
    # "X는 Y의 ... 공급사다": X is Y's supplier; the noun alone ("Y의 공급사들") is none
    assert triples("SK하이닉스는 엔비디아의 HBM 공급사다.", index, "ko") == {("sk_hynix", "supplies", "nvidia")}
    assert triples("엔비디아의 공급사들이 주목받는다.", index, "ko") == set()


def test_a_group_company_a_region_a_town_and_the_size_of_a_firm(index):
    # "Samsung SDI" is not Samsung; "ENGIE North America" keeps its region
    assert not any("samsung" in t for t in triples(
        "Samsung SDI signed a battery supply contract with Tesla.", index, "en"))
    assert any(t[0] == "ENGIE North America" and t[2] == "meta" for t in _new_names(
        "Meta has expanded its partnership with ENGIE North America through new power purchase agreements.",
        index, "en"))
    # "West Lafayette, Indiana" is a town, not a company invested in
    assert not any(t[2] == "West Lafayette" for t in _new_names(
        "SK hynix's investment of approximately $3.87 billion in West Lafayette, Indiana, builds a plant.",
        index, "en"))
    # "a $40 billion investment firm" sizes the investor; it is not the round
    amounts = find_amounts("led by TWG Global, a $40 billion investment firm, and others")
    assert [a.context_ok for a in amounts] == [False]
    assert [a.context_ok for a in find_amounts("a $2 billion investment in the company")] == [True]


def test_money_raised_by_a_company_is_its_own_and_a_cloud_sellers_gpus_are_capacity(index):
    assert triples("Fluidstack's borrowing exceeds the $9.9 billion of debt previously raised by CoreWeave.",
                   index, "en") == set()
    assert triples("Lambda signed a multibillion-dollar agreement with Microsoft to deploy Nvidia GPUs.",
                   index, "en") == {("lambda", "cloud_capacity", "microsoft")}
