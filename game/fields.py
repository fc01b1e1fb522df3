"""Whole-map cost fields: the cheapest cost from any of several sources to every hex.

This is the shared core of the supply field (how far supply runs from depots and railways) and of
the distances the computer players read (how far every hex is from an objective). A step from hex
a into its neighbour b costs `enter[b]`, or `link_cost` when a road or railway joins the two (never
less passable than the terrain: an impassable hex stays impassable), plus `crossing` when b has a
river and a does not, unless they are linked. Hexes cheaper than `limit` are reached.

`cost_field` relaxes whole frontiers at once with numpy, nearest costs first (delta-stepping: each
round expands the pending hexes within `delta` of the cheapest one), so few hexes are expanded
twice. `reference_field` is Dijkstra with a heap, one hex at a time; both give the same costs, to
the bit, because every cost is a sum taken along a path in the same order.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

INF = math.inf


@dataclass
class StepCosts:
    """What a step between two neighbouring hexes costs (flat arrays, index row * width + col)."""

    nbr: np.ndarray  # (N, 6) neighbour table, -1 off the map
    enter: np.ndarray  # (N,) cost of entering each hex; inf where it cannot be entered
    links: np.ndarray | None = None  # (N,) bit d set: a road or rail joins the hex to neighbour d
    link_cost: float = INF
    river: np.ndarray | None = None  # (N,) bool
    crossing: float = 0.0

    def step(self, a: np.ndarray, b: np.ndarray, d: np.ndarray) -> np.ndarray:
        """Cost of stepping from hexes a into their neighbours b, in directions d."""
        cost = self.enter[b]
        if self.river is not None and self.crossing:
            cost = cost + self.crossing * (self.river[b] & ~self.river[a])
        if self.links is not None and self.link_cost < INF:
            linked = ((self.links[a] >> d) & 1).astype(bool) & np.isfinite(self.enter[b])
            cost = np.where(linked, np.minimum(self.enter[b], self.link_cost), cost)
        return cost


def cost_field(
    costs: StepCosts, sources: np.ndarray, limit: float = INF, delta: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """(cost, parent) per hex: the cheapest cost from any source (inf beyond `limit` or out of
    reach), and the hex it is reached from (-1 at sources and unreached hexes)."""
    n = len(costs.nbr)
    cost = np.full(n, INF)
    parent = np.full(n, -1, dtype=np.int64)
    sources = np.unique(np.asarray(sources, dtype=np.int64))
    cost[sources] = 0.0
    waiting = np.zeros(n, dtype=bool)
    waiting[sources] = True
    pending = sources
    directions = np.arange(6)
    while pending.size:
        near = cost[pending]
        now = near <= near.min() + delta
        frontier, pending = pending[now], pending[~now]
        waiting[frontier] = False
        b = costs.nbr[frontier].ravel()
        a = np.repeat(frontier, 6)
        d = np.tile(directions, len(frontier))
        on_map = b >= 0
        a, b, d = a[on_map], b[on_map], d[on_map]
        offer = cost[a] + costs.step(a, b, d)
        better = (offer < cost[b]) & (offer <= limit)
        a, b, offer = a[better], b[better], offer[better]
        if not len(b):
            continue
        np.minimum.at(cost, b, offer)
        won = offer == cost[b]
        parent[b[won]] = a[won]
        fresh = np.unique(b[won])
        fresh = fresh[~waiting[fresh]]
        waiting[fresh] = True
        pending = np.concatenate([pending, fresh])
    return cost, parent


def reference_field(costs: StepCosts, sources: np.ndarray, limit: float = INF) -> list[float]:
    """The same costs by Dijkstra with a heap, in plain Python (the test oracle)."""
    n = len(costs.nbr)
    nbr = costs.nbr.tolist()
    enter = costs.enter.tolist()
    links = costs.links.tolist() if costs.links is not None else [0] * n
    river = costs.river.tolist() if costs.river is not None else [False] * n
    return reference_search(nbr, enter, links, river, costs.link_cost, costs.crossing,
                            [int(s) for s in sources], limit)  # fmt: skip


def reference_search(
    nbr: list[list[int]],
    enter: list[float],
    links: list[int],
    river: list[bool],
    link_cost: float,
    crossing: float,
    sources: list[int],
    limit: float,
) -> list[float]:
    """Dijkstra over plain lists (what `bench` times: the lists are built beforehand)."""
    cost = [INF] * len(nbr)
    heap = []
    for s in sources:
        cost[s] = 0.0
        heap.append((0.0, s))
    heapq.heapify(heap)
    while heap:
        here, a = heapq.heappop(heap)
        if here > cost[a]:
            continue
        for d, b in enumerate(nbr[a]):
            if b < 0:
                continue
            step = enter[b]
            if crossing and river[b] and not river[a]:
                step = step + crossing
            if link_cost < INF and (links[a] >> d) & 1 and enter[b] < INF:
                step = min(enter[b], link_cost)
            offer = here + step
            if offer <= limit and offer < cost[b]:
                cost[b] = offer
                heapq.heappush(heap, (offer, b))
    return cost
