"""Views of the graph: the interactive HTML page (vis-network, offline) and slide-ready charts."""
from .html import ShockView, VizError, render_html, resolve_node, shock_view

__all__ = ["ShockView", "VizError", "render_chart", "render_html", "resolve_node", "shock_view"]


def render_chart(rows, out_path, **kwargs):
    """Ranked exposure bar chart (PNG or SVG by extension); see capexgraph.viz.chart."""
    from .chart import render_chart as _render_chart

    return _render_chart(rows, out_path, **kwargs)
