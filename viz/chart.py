"""Slide-ready exposure chart: ranked horizontal bars, each split into supply / demand / financial.

`render_chart(rows, "top.png")` takes the ranking rows the `exposure` command computes (dicts with
`name`, `score` and `channels`; `exposure_rows` makes them from an Exposure) and writes PNG or SVG
by the file's extension. The bar's length is the score; its parts attribute it to channels:
financial = the score's financial-channel increment, and the operational rest split between supply
and demand in proportion to the two channel scores (the model takes their maximum, so the split is
an attribution, said so in the chart's note).

Korean (`lang="ko"`) needs a font with Hangul; `hangul_font()` finds one through matplotlib's
font manager (Noto Sans CJK, Nanum, Malgun Gothic, Apple SD Gothic Neo ...).
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any, Sequence

from capexgraph.ingest.text_checks import strip_xml_forbidden

from . import style
from .html import VizError, atomic_write

__all__ = ["chart_parts", "exposure_rows", "hangul_font", "render_chart"]

CHANNELS = ("supply", "demand", "financial")
PREFERRED_HANGUL = ("Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans KR", "NanumGothic",
                    "Nanum Gothic", "Malgun Gothic", "Apple SD Gothic Neo", "AppleGothic",
                    "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Baekmuk Gulim",
                    "UnDotum")
TEXT = {
    "en": {"title": "Most exposed companies",
           "xlabel": "model score: dependence on the shocked links, 0-1 (not a loss forecast)",
           "note": "Bar = total score. Operational part split between supply and demand in proportion "
                   "to their channel scores; financial = what investments/loans add.",
           "source": "Source: capexgraph, a graph of dated public sources (filings, releases, news); "
                     "every weight and its source: exposure --explain ID."},
    "ko": {"title": "노출도 상위 기업", "xlabel": "모델 점수: 충격 받은 연결에 대한 의존도, 0-1 (손실 예측 아님)",
           "note": "막대 길이 = 전체 노출도. 운영 부분은 공급·수요 채널 점수 비율로 나누고, "
                   "금융 = 투자·대출 관계로 더해진 부분.",
           "source": "출처: capexgraph (공시·보도자료·기사 등 날짜가 있는 공개 자료로 만든 그래프); "
                     "가중치와 출처는 exposure --explain ID."},
}
_HANGUL_CACHE: dict[str, str | None] = {}


def _has_hangul(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(path)
        return all(font.get_char_index(ord(ch)) for ch in "가한국어노출")
    except Exception:  # unreadable or unsupported font file
        return False


def hangul_font() -> str | None:
    """The family name of an installed font that has Hangul glyphs, or None."""
    if "family" in _HANGUL_CACHE:
        return _HANGUL_CACHE["family"]
    from matplotlib import font_manager

    entries = [f for f in font_manager.fontManager.ttflist if f.style == "normal"]
    by_name: dict[str, list] = {}
    for f in entries:
        by_name.setdefault(f.name, []).append(f)
    found = None
    candidates = [n for n in PREFERRED_HANGUL if n in by_name]
    candidates += sorted(n for n in by_name if n not in candidates and any(
        k in n for k in ("CJK", "KR", "Nanum", "Gothic", "Hangul", "Gulim", "Dotum", "Batang")))
    for name in candidates:
        if any(_has_hangul(f.fname) for f in by_name[name]):
            found = name
            break
    _HANGUL_CACHE["family"] = found
    return found


def chart_parts(row: dict[str, Any]) -> dict[str, float]:
    """A row's score split into supply / demand / financial parts that add up to the score."""
    score = max(float(row.get("score") or 0.0), 0.0)
    ch = row.get("channels") or {}
    fin = min(max(float(ch.get("financial") or 0.0), 0.0), score)
    op = score - fin
    s, d = max(float(ch.get("supply") or 0.0), 0.0), max(float(ch.get("demand") or 0.0), 0.0)
    if not ch:
        return {"supply": 0.0, "demand": 0.0, "financial": 0.0, "total": score}
    if s + d > 0:
        return {"supply": op * s / (s + d), "demand": op * d / (s + d), "financial": fin}
    return {"supply": 0.0, "demand": 0.0, "financial": fin + op}


def exposure_rows(ex: Any, g: Any = None, lang: str = "en", top: int = 15) -> list[dict[str, Any]]:
    """Ranking rows (id, name, ticker, score, channels) of an Exposure, most exposed first."""
    rows = []
    for i in ex.ranked()[:top] if top else ex.ranked():
        n = ex.nodes[i]
        d = g.nodes[n] if g is not None and n in g else {}
        name = (d.get("name_ko") if lang == "ko" else None) or d.get("name") or n
        rows.append({"id": n, "name": name, "ticker": d.get("ticker"), "score": float(ex.scores[i]),
                     "channels": ex.channel_scores(i)})
    return rows


def _wrap(text: str, width: int = 26) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_chart(rows: Sequence[dict[str, Any]], out_path: str | Path, *, lang: str = "en",
                 title: str | None = None, subtitle: str | None = None, top: int = 15,
                 dpi: int = 150) -> Path:
    """Write the ranked exposure chart of `rows` (at most `top`) to a .png or .svg file."""
    out = Path(out_path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise VizError(f"{out}: the chart is written as .png or .svg, not '{out.suffix or 'no extension'}'")
    if lang not in TEXT:
        raise VizError(f"lang must be one of {', '.join(TEXT)}, not '{lang}'")
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    import matplotlib

    words = TEXT[lang]
    # Labels are display text: control characters draw nothing and would make an SVG not XML.
    title = strip_xml_forbidden(title) if title else title
    subtitle = strip_xml_forbidden(subtitle) if subtitle else subtitle
    rows = [r for r in rows if float(r.get("score") or 0) > 0][: top or None]
    family = ["DejaVu Sans"]
    if lang == "ko" or any(_is_cjk(str(r.get("name", ""))) for r in rows) or _is_cjk(title or ""):
        hf = hangul_font()
        if hf:
            family = [hf, "DejaVu Sans"]
        elif lang == "ko":
            warnings.warn("no font with Hangul found (install fonts-noto-cjk); Korean text may show as boxes",
                          RuntimeWarning, stacklevel=2)
    # Names are plain text: "$" must not start mathtext (two of them crash the layout).
    rc = {"font.family": family, "font.size": 15, "axes.unicode_minus": False,
          "svg.fonttype": "path", "svg.hashsalt": "capexgraph", "text.parse_math": False}
    with matplotlib.rc_context(rc):
        n_rows = max(len(rows), 1)
        H = max(7.5, 2.6 + 0.4 * n_rows)  # a 16:9 slide, taller only for long rankings
        top_in, bottom_in = (1.35 if subtitle else 1.0), 1.15
        fig = Figure(figsize=(13.33, H), dpi=dpi)
        canvas = FigureCanvasAgg(fig)
        labels = [strip_xml_forbidden(_wrap(str(r.get("name") or r.get("id")))
                                      + (f"  ({r['ticker']})" if r.get("ticker") else "")) for r in rows]
        # the label column is as wide as its longest label (measured, not guessed), so none is cut
        probe = [fig.text(0, 0, t, fontsize=15) for t in labels] or []
        renderer = canvas.get_renderer()
        widest = max((t.get_window_extent(renderer).width / dpi for t in probe), default=1.0)
        for t in probe:
            t.remove()
        left_frac = min(0.45, (widest + 0.35) / 13.33)
        ax = fig.add_axes((left_frac, bottom_in / H, 0.95 - left_frac, 1 - (top_in + bottom_in) / H))
        ypos = list(range(len(rows)))[::-1]
        left = [0.0] * len(rows)
        has_channels = any(r.get("channels") for r in rows)
        parts = [chart_parts(r) for r in rows]
        if has_channels:
            for c in CHANNELS:
                vals = [p.get(c, 0.0) for p in parts]
                if not any(v > 1e-6 for v in vals):
                    continue
                ax.barh(ypos, vals, left=left, height=0.7, color=style.CHANNEL_COLORS[c],
                        label=style.CHANNEL_LABEL[lang][c], edgecolor="white", linewidth=0.8)
                left = [a + b for a, b in zip(left, vals)]
        else:
            left = [float(r["score"]) for r in rows]
            ax.barh(ypos, left, height=0.68, color="#bd0026")
        top_score = max([float(r["score"]) for r in rows], default=1.0)
        for y, r in zip(ypos, rows):
            ax.text(float(r["score"]) + top_score * 0.01, y, f"{float(r['score']):.3f}",
                    va="center", ha="left", fontsize=14, color="#222222")
        ax.set_yticks(ypos, labels, fontsize=15)
        ax.set_xlim(0, top_score * 1.12 if top_score > 0 else 1)
        ax.set_xlabel(words["xlabel"], fontsize=14, color="#444444")
        ax.tick_params(axis="x", labelsize=13, colors="#444444")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        if has_channels:
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=14, frameon=False)
        fig.text(0.02, 1 - 0.25 / H, title or words["title"], fontsize=24, fontweight="bold", va="top")
        if subtitle:
            fig.text(0.02, 1 - 0.78 / H, subtitle, fontsize=15, color="#555555", va="top")
        fig.text(0.02, 0.12 / H, (words["note"] + "  " if has_channels else "") + words["source"],
                 fontsize=10, color="#666666", va="bottom", wrap=True)
        if not rows:
            ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes, fontsize=20)
            ax.set_yticks([])
        buf = io.BytesIO()
        meta = {"Software": None} if fmt == "png" else {"Date": None}
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta, facecolor="white")
    return atomic_write(out, buf.getvalue())


def _is_cjk(text: str) -> bool:
    return any("\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f" or "\uac00" <= ch <= "\ud7af"
               or "\u4e00" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff" for ch in text)

