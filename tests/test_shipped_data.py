"""The shipped dataset: valid, large enough, cited, and holding the deals our users read about."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from capexgraph.graph import load_graph

REQUIRED = {
    # name as users say it -> (entity id, ticker or None for private companies)
    "Microsoft": ("microsoft", "MSFT"), "Amazon": ("amazon", "AMZN"), "Alphabet": ("alphabet", "GOOGL"),
    "Meta": ("meta", "META"), "Oracle": ("oracle", "ORCL"), "Apple": ("apple", "AAPL"),
    "OpenAI": ("openai", None), "Anthropic": ("anthropic", None), "xAI": ("xai", None),
    "Nvidia": ("nvidia", "NVDA"), "AMD": ("amd", "AMD"), "Broadcom": ("broadcom", "AVGO"),
    "Marvell": ("marvell", "MRVL"), "Intel": ("intel", "INTC"), "Qualcomm": ("qualcomm", "QCOM"),
    "Arm": ("arm", "ARM"), "Astera Labs": ("astera_labs", "ALAB"), "Credo": ("credo", "CRDO"),
    "TSMC": ("tsmc", "2330"), "Samsung Electronics": ("samsung", "005930"),
    "SK hynix": ("sk_hynix", "000660"), "Micron": ("micron", "MU"), "ASML": ("asml", "ASML"),
    "Applied Materials": ("applied_materials", "AMAT"), "Lam Research": ("lam_research", "LRCX"),
    "KLA": ("kla", "KLAC"), "Tokyo Electron": ("tokyo_electron", "8035"),
    "Super Micro": ("super_micro", "SMCI"), "Dell": ("dell", "DELL"), "Celestica": ("celestica", "CLS"),
    "Foxconn": ("foxconn", "2317"), "Quanta Computer": ("quanta_computer", "2382"),
    "Arista": ("arista", "ANET"), "Cisco": ("cisco", "CSCO"), "Corning": ("corning", "GLW"),
    "Coherent": ("coherent", "COHR"), "Lumentum": ("lumentum", "LITE"), "Fabrinet": ("fabrinet", "FN"),
    "Ciena": ("ciena", "CIEN"), "Amphenol": ("amphenol", "APH"), "CoreWeave": ("coreweave", "CRWV"),
    "Nebius": ("nebius", "NBIS"), "Lambda": ("lambda", None), "Crusoe": ("crusoe", None),
    "IREN": ("iren", "IREN"), "Nscale": ("nscale", None), "Equinix": ("equinix", "EQIX"),
    "Digital Realty": ("digital_realty", "DLR"), "Iron Mountain": ("iron_mountain", "IRM"),
    "QTS": ("qts", None), "Aligned": ("aligned", None), "Constellation Energy": ("constellation", "CEG"),
    "Vistra": ("vistra", "VST"), "Talen Energy": ("talen", "TLN"), "NRG": ("nrg", "NRG"),
    "NextEra": ("nextera", "NEE"), "GE Vernova": ("ge_vernova", "GEV"),
    "Siemens Energy": ("siemens_energy", "ENR"), "Eaton": ("eaton", "ETN"),
    "Schneider Electric": ("schneider", "SU"), "Vertiv": ("vertiv", "VRT"),
    "Quanta Services": ("quanta_services", "PWR"), "Modine": ("modine", "MOD"),
    "Johnson Controls": ("johnson_controls", "JCI"), "Trane": ("trane", "TT"),
    "Carrier": ("carrier", "CARR"), "Oklo": ("oklo", "OKLO"), "NuScale": ("nuscale", "SMR"),
    "Cameco": ("cameco", "CCJ"), "Zscaler": ("zscaler", "ZS"), "SoftBank": ("softbank", "9984"),
    "Blackstone": ("blackstone", "BX"), "BlackRock": ("blackrock", "BLK"), "Blue Owl": ("blue_owl", "OWL"),
    "MGX": ("mgx", None),
}
CATEGORIES = ["hyperscaler", "ai_lab", "accelerator", "foundry", "memory", "semi_equipment",
              "server_odm", "networking", "optics_fiber", "neocloud", "datacenter", "power_utility",
              "power_equipment", "cooling", "nuclear", "security_software", "investor"]


@pytest.fixture(scope="module")
def g():
    return load_graph()


def test_shipped_dataset_validates(cli):
    r = cli("validate")
    assert r.code == 0, r.err[:3000]


def test_size(g):
    assert g.number_of_nodes() >= 150
    assert g.number_of_edges() >= 350


def test_every_required_company_is_in_the_graph(g):
    assert not [name for name, (eid, _) in REQUIRED.items() if eid not in g]


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_company_is_recorded_with_its_listing(g, name):
    eid, ticker = REQUIRED[name]
    assert g.nodes[eid]["ticker"] == ticker
    assert bool(g.nodes[eid]["exchange"]) == bool(ticker)


def test_every_category_is_populated(g):
    cats = {c for _, d in g.nodes(data=True) for c in d["category"]}
    assert set(CATEGORIES) <= cats
    for kind in ("jurisdiction", "grid_region"):
        assert any(d["kind"] == kind for _, d in g.nodes(data=True))


def test_every_relationship_is_cited(g):
    today = dt.date.today()
    for u, v, k, d in g.edges(keys=True, data=True):
        assert d["sources"], k
        for s in d["sources"]:
            assert s["url"].startswith(("http://", "https://")), k
            assert s["publisher"] and s["title"], k
            assert isinstance(s["date"], dt.date) and s["date"] <= today, k


def test_korean_names_for_the_names_koreans_use(g):
    expected = {"nvidia": "엔비디아", "microsoft": "마이크로소프트", "corning": "코닝",
                "coreweave": "코어위브", "samsung": "삼성전자", "sk_hynix": "SK하이닉스"}
    for eid, ko in expected.items():
        assert g.nodes[eid]["name_ko"] == ko


def _deals(g, u, v, rel_type):
    return [d for d in g.get_edge_data(u, v, default={}).values() if d["type"] == rel_type]


def test_column_deal_meta_corning(g):
    """ai-infra-column-2026-01: 코닝의 광섬유·케이블 계약(메타와의 최대 60억달러 규모 합의)."""
    deals = [d for d in _deals(g, "corning", "meta", "supplies")
             if d["amount_usd"] == 6e9 and d["date"].strftime("%Y-%m") == "2026-01"]
    assert len(deals) == 1
    deal = deals[0]
    assert deal["amount_qualifier"] == "up_to"
    assert "fiber" in deal["product"]
    assert any("corning" in s["url"].lower() or "meta" in s["title"].lower() for s in deal["sources"])


def test_column_deal_nvidia_coreweave(g):
    """ai-infra-column-2026-01: 엔비디아의 CoreWeave 20억달러 투자 발표."""
    deals = [d for d in _deals(g, "nvidia", "coreweave", "invests_in")
             if d["amount_usd"] == 2e9 and d["date"].strftime("%Y-%m") == "2026-01"]
    assert len(deals) == 1
    assert deals[0]["sources"]


def test_no_orphan_companies(g):
    for n, d in g.nodes(data=True):
        if d["kind"] == "company":
            assert g.degree(n) > 0 or d["facts"] or d["source_ids"], n


def test_stats_command(cli, g):
    r = cli("stats", "--format", "json")
    assert r.code == 0, r.err
    s = json.loads(r.out)
    assert s["relationships"] == g.number_of_edges() and s["nodes"] == g.number_of_nodes()
    assert 0 < s["share_with_amount"] <= 1
    # standing relationships can be old (a supply dated from when it began: TSMC -> Nvidia, 1998);
    # none is in the future
    assert s["date_range"][0] >= "1990" and s["date_range"][1] <= dt.date.today().isoformat()
