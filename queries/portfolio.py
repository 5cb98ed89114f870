"""A book's exposure to a shock: each holding's net score, channel split and strongest path, its
part of the weighted total, and the share of the book the graph covers."""
from __future__ import annotations

from dataclasses import dataclass

from capexgraph.ingest.portfolio import Book

from .exposure import Exposure


@dataclass
class HoldingRow:
    node: str
    tickers: list[str]
    weight: float          # share of the matched weight
    score: float           # net: loss - gain, in [-1, 1]
    loss: float
    gain: float
    channels: dict[str, float]
    path: list[str]        # the strongest path's nodes (empty when nothing reaches the holding)
    contribution: float    # weight x score


@dataclass
class PortfolioReport:
    rows: list[HoldingRow]
    exposure: float        # weighted mean of net scores over the matched holdings
    coverage: float        # share of the book's weight the graph knows
    book: Book

    @property
    def unexposed(self) -> list[HoldingRow]:
        return [r for r in self.rows if r.loss == 0 and r.gain == 0]


def portfolio_report(ex: Exposure, book: Book) -> PortfolioReport:
    matched = sum(h.weight for h in book.holdings)
    pg = ex.path_graph("loss") if ex.weights.edge_count() <= ex.LARGE else None
    rows = []
    for h in book.holdings:
        i = ex.weights.index[h.node]
        loss, gain = float(ex.scores[i]), float(ex.gains[i])
        paths = ex.top_paths(h.node, 1, pg, side="loss") if loss > 0 else []
        share = h.weight / matched
        rows.append(HoldingRow(h.node, h.tickers, share, loss - gain, loss, gain,
                               ex.channel_scores(i, "loss"), paths[0]["nodes"] if paths else [],
                               share * (loss - gain)))
    rows.sort(key=lambda r: (-r.contribution, r.node))
    return PortfolioReport(rows, sum(r.contribution for r in rows), book.coverage, book)
