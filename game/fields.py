"""Whole-map cost fields: the cheapest cost from any of several sources to every hex.

This is the shared core of the supply field (how far supply runs from depots and railways) and of
the distances the computer players read (how far every hex is from an objective). A step from hex
a into its neighbour b costs `enter[b]`, or `link_cost` when a road or railway joins the two (never
less passable than the terrain: an impassable hex stays impassable), plus `crossing` when b has a
river and a does not, unless they are linked; the step is then multiplied by `scale[b]` (the
weather) and `extra[b]` added (interdiction), where given. Hexes within `limit` are reached.

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
DIRECTIONS = np.arange(6)


@dataclass
class StepCosts:
    """What a step between two neighbouring hexes costs (flat arrays, index row * width + col)."""

    nbr: np.ndarray  # (N, 6) neighbour table, -1 off the map
    enter: np.ndarray  # (N,) cost of entering each hex; inf where it cannot be entered
    links: np.ndarray | None = None  # (N,) bit d set: a road or rail joins the hex to neighbour d
    link_cost: float = INF
    river: np.ndarray | None = None  # (N,) bool
    crossing: float = 0.0
    scale: np.ndarray | None = None  # (N,) multiplies every step into the hex (weather)
    extra: np.ndarray | None = None  # (N,) added to every step into the hex after that

    def __post_init__(self) -> None:
        # Padded copies for the batched search: neighbour -1 becomes hex N, which cannot be
        # entered, so whole (frontier, 6) blocks are computed without filtering first.
        n = len(self.nbr)
        self.nbr_pad = np.where(self.nbr >= 0, self.nbr, n).astype(np.int64)
        self.enter_pad = np.append(self.enter, INF)
        self.river_pad = None if self.river is None else np.append(self.river, False)
        self.scale_pad = None if self.scale is None else np.append(self.scale, 1.0)
        self.extra_pad = None if self.extra is None else np.append(self.extra, 0.0)

    def step_rows(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`step` for hexes a (F,) into their padded neighbour rows b (F, 6)."""
        enter = self.enter_pad[b]
        crossing: np.ndarray | float = 0.0
        if self.river is not None and self.river_pad is not None and self.crossing:
            crossing = self.crossing * (self.river_pad[b] & ~self.river[a][:, None])
        if self.links is None or self.link_cost == INF:
            step = enter + crossing
        else:
            linked = ((self.links[a][:, None] >> DIRECTIONS) & 1).astype(bool)
            step = step_cost(enter, linked, self.link_cost, crossing)
        return self._adjust(step, b, self.scale_pad, self.extra_pad)

    def step(self, a: np.ndarray, b: np.ndarray, d: np.ndarray) -> np.ndarray:
        """Cost of stepping from hexes a into their neighbours b, in directions d."""
        enter = self.enter[b]
        crossing: np.ndarray | float = 0.0
        if self.river is not None and self.crossing:
            crossing = self.crossing * (self.river[b] & ~self.river[a])
        if self.links is None or self.link_cost == INF:
            step = enter + crossing
        else:
            linked = ((self.links[a] >> d) & 1).astype(bool)
            step = step_cost(enter, linked, self.link_cost, crossing)
        return self._adjust(step, b, self.scale, self.extra)

    @staticmethod
    def _adjust(
        step: np.ndarray, b: np.ndarray, scale: np.ndarray | None, extra: np.ndarray | None
    ) -> np.ndarray:
        if scale is not None:
            step = step * scale[b]
        if extra is not None:
            step = step + extra[b]
        return step


def step_cost(
    enter: np.ndarray,
    linked: np.ndarray,
    link_cost: np.ndarray | float,
    crossing: np.ndarray | float,
) -> np.ndarray:
    """The step rule that movement and supply share: where a road or railway joins the two hexes,
    the cheaper of entering and the link cost (a link never opens impassable ground, and a class
    without a link cost gets nothing from it); elsewhere the cost of entering plus any river
    crossing."""
    linked = linked & np.isfinite(enter) & np.isfinite(link_cost)
    return np.where(linked, np.minimum(enter, link_cost), enter + crossing)


def cost_field(
    costs: StepCosts, sources: np.ndarray, limit: float = INF, delta: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """(cost, parent) per hex: the cheapest cost from any source (inf beyond `limit` or out of
    reach), and the hex it is reached from (-1 at sources and unreached hexes)."""
    n = len(costs.nbr)
    cost = np.full(n + 1, INF)  # hex n stands for "off the map" and is never reached
    parent = np.full(n, -1, dtype=np.int64)
    sources = np.unique(np.asarray(sources, dtype=np.int64))
    cost[sources] = 0.0
    waiting = np.zeros(n, dtype=bool)
    waiting[sources] = True
    stamp = np.zeros(n, dtype=np.int64)
    pending = sources
    while pending.size:
        near = cost[pending]
        now = near <= near.min() + delta
        frontier, pending = pending[now], pending[~now]
        waiting[frontier] = False
        rows = costs.nbr_pad[frontier]
        offer = cost[frontier][:, None] + costs.step_rows(frontier, rows)
        r, c = np.nonzero((offer < cost[rows]) & (offer <= limit))
        if not len(r):
            continue
        a, b, offer = frontier[r], rows[r, c], offer[r, c]
        np.minimum.at(cost, b, offer)
        won = offer == cost[b]
        parent[b[won]] = a[won]
        fresh = b[won]
        fresh = fresh[~waiting[fresh]]
        order = np.arange(len(fresh))
        stamp[fresh] = order  # a hex offered twice keeps one entry: the last write wins
        fresh = fresh[stamp[fresh] == order]
        waiting[fresh] = True
        pending = np.concatenate([pending, fresh])
    return cost[:n], parent


def reference_field(costs: StepCosts, sources: np.ndarray, limit: float = INF) -> list[float]:
    """The same costs by Dijkstra with a heap, in plain Python (the test oracle)."""
    n = len(costs.nbr)
    nbr = costs.nbr.tolist()
    enter = costs.enter.tolist()
    links = costs.links.tolist() if costs.links is not None else [0] * n
    river = costs.river.tolist() if costs.river is not None else [False] * n
    scale = costs.scale.tolist() if costs.scale is not None else None
    extra = costs.extra.tolist() if costs.extra is not None else None
    return reference_search(nbr, enter, links, river, costs.link_cost, costs.crossing,
                            [int(s) for s in sources], limit, scale, extra)  # fmt: skip


def reference_search(
    nbr: list[list[int]],
    enter: list[float],
    links: list[int],
    river: list[bool],
    link_cost: float,
    crossing: float,
    sources: list[int],
    limit: float,
    scale: list[float] | None = None,
    extra: list[float] | None = None,
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
            if scale is not None:
                step = step * scale[b]
            if extra is not None:
                step = step + extra[b]
            offer = here + step
            if offer <= limit and offer < cost[b]:
                cost[b] = offer
                heapq.heappush(heap, (offer, b))
    return cost
