"""The exposure chart: PNG/SVG by extension, parts that add up to the score, Hangul without boxes."""
from __future__ import annotations

import os
import warnings

import pytest

pytest.importorskip("matplotlib", reason="pip install matplotlib")

from capexgraph.viz import VizError, render_chart  # noqa: E402
from capexgraph.viz.chart import chart_parts, exposure_rows, hangul_font  # noqa: E402

ROWS = [
    {"id": "nvidia", "name": "엔비디아", "ticker": "NVDA", "score": 0.62,
     "channels": {"supply": 0.5, "demand": 0.2, "financial": 0.1}},
    {"id": "skhynix", "name": "SK하이닉스", "ticker": "000660", "score": 0.41,
     "channels": {"supply": 0.0, "demand": 0.41, "financial": 0.0}},
    {"id": "coreweave", "name": "코어위브", "ticker": "CRWV", "score": 0.2,
     "channels": {"supply": 0.0, "demand": 0.0, "financial": 0.2}},
    {"id": "zero", "name": "영", "score": 0.0, "channels": {}},
]


def test_parts_add_up_to_the_score():
    for r in ROWS[:3]:
        parts = chart_parts(r)
        assert sum(parts[c] for c in ("supply", "demand", "financial")) == pytest.approx(r["score"])
    p = chart_parts(ROWS[0])
    assert p["financial"] == pytest.approx(0.1)
    assert p["supply"] / p["demand"] == pytest.approx(0.5 / 0.2)


def test_png_and_svg_by_extension(tmp_path):
    png = render_chart(ROWS, tmp_path / "c.png", title="Top exposures")
    svg = render_chart(ROWS, tmp_path / "c.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:500]
    assert sorted(os.listdir(tmp_path)) == ["c.png", "c.svg"]  # written atomically, no leftovers
    with pytest.raises(VizError, match=r"\.png or \.svg"):
        render_chart(ROWS, tmp_path / "c.jpg")


def test_slide_size(tmp_path):
    from PIL import Image

    with Image.open(render_chart(ROWS, tmp_path / "c.png")) as im:
        w, h = im.size
    assert w >= 1600 and 1.5 < w / h < 2.0  # a 16:9-ish slide at >= 150 dpi


def test_korean_font_has_hangul_and_nothing_is_missing(tmp_path):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    family = hangul_font()
    if family is None:
        pytest.skip("no Hangul font installed (apt-get install fonts-noto-cjk)")
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = FT2Font(path)
    text = "".join(r["name"] for r in ROWS) + "노출도상위기업공급수요금융"
    assert all(font.get_char_index(ord(ch)) for ch in text if not ch.isascii())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_chart(ROWS, tmp_path / "ko.png", lang="ko", title="대만해협 위기: 노출도 상위")
        render_chart(ROWS, tmp_path / "ko.svg", lang="ko")
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == []
    assert [str(w.message) for w in caught] == []


def test_rows_from_an_exposure():
    import pandas as pd

    from capexgraph.queries.exposure import run_exposure, weights_from_frame
    from capexgraph.queries.scenarios import Seed

    w = weights_from_frame(pd.DataFrame([("a", "b", "supply", 0.5), ("b", "c", "supply", 0.5),
                                         ("c", "d", "financial", 0.4)],
                                        columns=["source", "target", "channel", "weight"]))
    ex = run_exposure(w, [Seed("a", "supply", 1.0, "test")])
    rows = exposure_rows(ex, None, "en", top=10)
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert rows[1]["score"] == pytest.approx(0.5)
    assert set(rows[3]["channels"]) == {"supply", "demand", "financial"}


def test_a_long_name_gets_a_label_column_wide_enough(tmp_path):
    """The label column is measured from the longest label, so 'Foxconn (Hon Hai ...)' is not cut
    at the slide's left edge: every tick label lies inside the figure."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from capexgraph.viz import chart

    rows = [dict(r) for r in ROWS]
    rows[0]["name"] = "Foxconn (Hon Hai Precision Industry)"
    made: list = []
    real = Figure.savefig

    def keep(self, *a, **k):
        made.append(self)
        return real(self, *a, **k)

    Figure.savefig = keep
    try:
        chart.render_chart(rows, tmp_path / "c.png")
    finally:
        Figure.savefig = real
    fig = made[0]
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    for label in ax.get_yticklabels():
        box = label.get_window_extent(renderer)
        assert box.x0 >= 0, label.get_text()
