"""Whole-map cost fields: the batched numpy search against the heap reference."""

import math

import numpy as np
import pytest

from game import hexgrid
from game.fields import StepCosts, cost_field, reference_field


def random_costs(seed: int, width: int = 40, height: int = 30) -> tuple[StepCosts, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = width * height
    enter = rng.choice([1.0, 1.0, 1.5, 2.0, 3.0], n)
    enter[rng.random(n) < 0.08] = math.inf
    links = np.zeros(n, dtype=np.uint8)
    nbr = hexgrid.neighbour_table(width, height)
    for start in rng.choice(n, 4, replace=False):  # a few winding roads, linked both ways
        here = int(start)
        for _ in range(25):
            d = int(rng.integers(6))
            there = int(nbr[here, d])
            if there < 0:
                break
            links[here] |= 1 << d
            links[there] |= 1 << hexgrid.OPPOSITE[d]
            here = there
    costs = StepCosts(nbr, enter, links, 0.5, rng.random(n) < 0.15, 1.0)
    return costs, rng.choice(n, int(rng.integers(1, 6)), replace=False)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [4.0, 9.5, math.inf])
def test_batched_field_equals_the_heap_reference(seed, limit):
    costs, sources = random_costs(seed)
    cost, parent = cost_field(costs, sources, limit)
    assert cost.tolist() == reference_field(costs, sources, limit)
    reached = np.flatnonzero(np.isfinite(cost) & (parent >= 0))
    a, b = parent[reached], reached
    d = np.array([list(costs.nbr[x]).index(y) for x, y in zip(a, b, strict=True)])
    assert np.array_equal(cost[a] + costs.step(a, b, d), cost[b])  # each parent is on a best path
    assert (cost[sources] == 0).all() and (cost[np.isfinite(cost)] <= limit).all()


def test_roads_carry_farther_and_rivers_hold_back():
    nbr = hexgrid.neighbour_table(10, 1)
    plain = StepCosts(nbr, np.full(10, 2.0))
    cost, _ = cost_field(plain, [0], limit=6)
    assert np.isfinite(cost[:4]).all() and not np.isfinite(cost[4])
    links = np.full(10, 0b001001, dtype=np.uint8)  # every hex joined east and west
    road = StepCosts(nbr, np.full(10, 2.0), links, 0.5)
    assert np.isfinite(cost_field(road, [0], limit=4.5)[0]).all()
    river = np.zeros(10, dtype=bool)
    river[3] = True
    wet = StepCosts(nbr, np.full(10, 1.0), river=river, crossing=3.0)
    assert cost_field(wet, [0])[0][3] == 6.0 and cost_field(wet, [0])[0][4] == 7.0
