"""One call from scenarios to an exposure result, shared by every command that shows exposure."""
from __future__ import annotations

import networkx as nx

from .exposure import Exposure, run_exposure
from .scenarios import Scenario, resolve_seeds
from .weights import CHANNELS, ChannelWeights


def run_scenarios(g: nx.MultiDiGraph, weights: ChannelWeights, scenarios: list[Scenario],
                  magnitude: float = 1.0) -> Exposure:
    """Seeds of every scenario (losses and gains), on the union of their channels; inputs are
    complements unless one scenario is a cost shock (costs add to a shortfall)."""
    seeds = [s for sc in scenarios for s in resolve_seeds(sc, g, magnitude, weights)]
    channels = sorted({c for sc in scenarios for c in sc.channels}, key=CHANNELS.index)
    return run_exposure(weights, seeds, channels, cap=all(sc.cap for sc in scenarios),
                        scarcest=all(sc.scarcest for sc in scenarios))
