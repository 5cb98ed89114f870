"""Shared look of the views: category colours, relationship styles, UI words in English and Korean."""
from __future__ import annotations

from typing import Iterable

from capexgraph.ingest import Schema
from capexgraph.ingest.amounts import money  # noqa: F401  (the one formatter; html.py calls style.money)

#: Category colours, relationship types' line styles and Korean names are in data/schema.yaml
#: (`color`, `style`, `label_ko`): the schema is the one vocabulary. Unknown categories take the
#: fallback colours in turn; a type whose `style` is not a group below draws as "other".
FALLBACK_COLORS = ["#17becf", "#bcbd22", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
NO_CATEGORY = "_none"

#: Group -> vis-network edge style (colour, dashes).
GROUP_STYLE = {
    "supply": {"color": "#2b6cb0", "dashes": False},
    "lease": {"color": "#8c5a2b", "dashes": False},
    "power": {"color": "#d69e00", "dashes": False},
    "investment": {"color": "#2f855a", "dashes": [10, 6]},
    "partnership": {"color": "#805ad5", "dashes": [3, 5]},
    "location": {"color": "#9aa0a6", "dashes": [2, 6]},
    "other": {"color": "#7f7f7f", "dashes": [1, 4]},
}
GROUP_LABEL = {
    "en": {"supply": "Supply", "lease": "Capacity & leases", "power": "Power",
           "investment": "Investment & ownership", "partnership": "Partnership",
           "location": "Location", "other": "Other"},
    "ko": {"supply": "공급", "lease": "용량·임대", "power": "전력", "investment": "투자·지분",
           "partnership": "제휴", "location": "소재지", "other": "기타"},
}
QUALIFIER = {
    "en": {"up_to": "up to ", "approximately": "about ", "at_least": "at least ", "reported": "reported "},
    "ko": {"up_to": "최대 ", "approximately": "약 ", "at_least": "최소 ", "reported": "보도 "},
}

#: Sequential scale for exposure (0 -> pale yellow, max -> dark red); zero exposure is grey.
EXPOSURE_STOPS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
ZERO_EXPOSURE = "#d0d0d0"
#: net gainers (substitution, pricing power): a green scale that cannot be read as exposure
GAIN_STOPS = ["#e5f5e0", "#a1d99b", "#41ab5d", "#006d2c"]
PATH_COLOR = "#bd0026"
SEED_BORDER = "#000000"
NEUTRAL_BORDER = "#5a5a5a"

#: Exposure channels (chart stacks and tooltips).
CHANNEL_COLORS = {"supply": "#2b6cb0", "demand": "#dd8452", "financial": "#2f855a"}
CHANNEL_LABEL = {"en": {"supply": "supply", "demand": "demand", "financial": "financial"},
                 "ko": {"supply": "공급", "demand": "수요", "financial": "금융"}}

UI = {
    "en": {
        "title": "AI-infrastructure supply chain",
        "shock_title": "Shock exposure",
        "companies": "companies", "relationships": "relationships", "as_of": "as of",
        "search": "Search a company", "search_ph": "name or ticker, then Enter", "find": "Find",
        "not_found": "No company matches", "found": "Found",
        "focus": "Focus on selected", "depth": "depth", "show_all": "Show all",
        "focus_on": "Neighbourhood of", "select_first": "Select a company first (click or search)",
        "filters": "Filters", "categories": "Categories", "types": "Relationship types",
        "min_amount": "Minimum disclosed amount", "any": "any amount",
        "date_from": "From", "date_to": "To", "hide_isolated": "Hide companies without visible links",
        "reset": "Reset filters", "all": "all", "none": "none",
        "legend_size_revenue": "Node size: latest revenue (capex if no revenue)",
        "legend_size_degree": "Node size: number of relationships (no revenue data)",
        "legend_size_exposure": "Node size and colour: exposure score (red) or gain (green)",
        "legend_arrows": "Arrows: supplier → customer, investor → investee, landlord → tenant, company → place",
        "legend_width": "Line width: disclosed USD amount",
        "selected": "Selected", "click_hint": "Click a company or a line for details.",
        "laying_out": "Laying out the graph", "shown": "shown",
        "ticker": "Ticker", "country": "Country", "category": "Category", "revenue": "Revenue",
        "capex": "Capex", "kind": "Kind", "amount": "Amount", "amount_usd": "USD", "date": "Date",
        "status": "Status", "product": "Product", "term": "Term", "sources": "Sources",
        "exposure": "Exposure", "seed": "Seed: hit directly", "magnitude": "magnitude",
        "seeds": "Seeds (hit directly)", "top_exposed": "Most exposed", "paths": "Strongest paths",
        "gain": "Gain", "gainers": "Who gains",
        "low": "low", "high": "high", "zero": "not exposed",
        "path_edge": "on a strongest path", "panel": "Panel",
        "exposed_view": "Exposed only", "core_view": "Largest companies",
        "core_note": "the largest companies by revenue; Show all for every company", "present": "Present", "save_png": "Save PNG", "save_svg": "Save SVG",
        "legend_shock_view": "Opens on the seeds (left), the most exposed companies and the strongest paths "
                             "between them, read left to right; border: seed (black) or place; "
                             "Show all for the whole graph",
        "exposure_link": "exposure link (no deal row)",
        "exposure_link_why": "A strongest-path step the model takes from a disclosed figure "
                             "(e.g. a customer's share of revenue in facts.csv), not from a relationship row; "
                             "arrow = direction the shock travels",
    },
    "ko": {
        "title": "AI 인프라 공급망",
        "shock_title": "충격 노출도",
        "companies": "개 기업", "relationships": "개 관계", "as_of": "기준일",
        "search": "기업 검색", "search_ph": "이름 또는 티커 입력 후 Enter", "find": "찾기",
        "not_found": "일치하는 기업 없음", "found": "찾음",
        "focus": "선택 기업 중심 보기", "depth": "단계", "show_all": "전체 보기",
        "focus_on": "주변 관계망:", "select_first": "먼저 기업을 선택하세요 (클릭 또는 검색)",
        "filters": "필터", "categories": "분류", "types": "관계 유형",
        "min_amount": "최소 공개 금액", "any": "전체",
        "date_from": "시작", "date_to": "종료", "hide_isolated": "보이는 관계가 없는 기업 숨기기",
        "reset": "필터 초기화", "all": "전체", "none": "없음",
        "legend_size_revenue": "원 크기: 최근 매출 (매출이 없으면 설비투자)",
        "legend_size_degree": "원 크기: 관계 수 (매출 자료 없음)",
        "legend_size_exposure": "원 크기와 색: 노출도(빨강) 또는 수혜(초록)",
        "legend_arrows": "화살표: 공급사 → 고객, 투자자 → 피투자사, 임대인 → 임차인, 기업 → 소재지",
        "legend_width": "선 굵기: 공개된 달러 금액",
        "selected": "선택", "click_hint": "기업이나 선을 클릭하면 상세 정보가 보입니다.",
        "laying_out": "그래프 배치 중", "shown": "표시",
        "ticker": "티커", "country": "국가", "category": "분류", "revenue": "매출",
        "capex": "설비투자", "kind": "유형", "amount": "금액", "amount_usd": "달러", "date": "날짜",
        "status": "상태", "product": "품목", "term": "기간", "sources": "출처",
        "exposure": "노출도", "seed": "직접 충격 대상", "magnitude": "강도",
        "seeds": "직접 충격 대상", "top_exposed": "노출도 상위", "paths": "주요 경로",
        "gain": "수혜", "gainers": "수혜 기업",
        "low": "낮음", "high": "높음", "zero": "노출 없음",
        "path_edge": "주요 경로에 포함", "panel": "패널",
        "exposed_view": "노출 기업만", "core_view": "주요 기업만",
        "core_note": "매출 기준 주요 기업; 모든 기업은 전체 보기", "present": "발표 모드", "save_png": "PNG 저장", "save_svg": "SVG 저장",
        "legend_shock_view": "처음 화면: 직접 충격 대상(왼쪽), 노출도 상위 기업과 그 사이의 주요 경로, 왼쪽에서 "
                             "오른쪽으로 읽기; 테두리: 직접 충격 대상(검정) 또는 지역; 전체 그래프는 전체 보기",
        "exposure_link": "노출 연결 (거래 기록 없음)",
        "exposure_link_why": "거래 기록이 아니라 공개 수치(예: facts.csv의 고객 매출 비중)에서 나온 주요 경로 단계; "
                             "화살표 = 충격이 전달되는 방향",
    },
}


def category_color(cat: str | None, extra: dict[str, str], schema: Schema) -> str:
    """The schema's colour for a category; an unknown one takes the next fallback colour."""
    declared = schema.categories.get(cat, {}).get("color") if cat else None
    if declared:
        return declared
    key = cat or NO_CATEGORY
    if key not in extra:
        extra[key] = FALLBACK_COLORS[len(extra) % len(FALLBACK_COLORS)]
    return extra[key]


def type_group(rel_type: str, schema: Schema) -> str:
    """The line-style group a relationship type declares in the schema ("other" if none)."""
    group = schema.relationship_types.get(rel_type, {}).get("style")
    return group if group in GROUP_STYLE else "other"


def lerp_color(stops: list[str], t: float) -> str:
    """Colour at t in [0, 1] along evenly spaced hex stops."""
    t = min(max(t, 0.0), 1.0)
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    a = [int(stops[i][k:k + 2], 16) for k in (1, 3, 5)]
    b = [int(stops[i + 1][k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b))


def unique(seq: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for s in seq:
        seen.setdefault(s, None)
    return list(seen)
