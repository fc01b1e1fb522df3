"""`bench`: the numpy cores timed against their pure-Python references in the same run.

Each section is a list of rows holding the sizes, `seconds` (numpy), `reference_seconds` and
`ratio` = reference_seconds / seconds. Where the reference would take minutes, it is timed on a
sample of `reference_n` items and scaled linearly (the reference handles one item at a time, so
its time grows linearly); the row says so.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from game import combat, hexgrid, movement
from game.fields import StepCosts, cost_field, reference_search
from game.rules import CombatRules

RULES_FILE = Path(__file__).resolve().parent.parent / "scenarios" / "rules" / "core.yaml"

BENCH_RULES = CombatRules(
    max_loss=0.4,
    retreat_from=0.55,
    retreat_certain=0.8,
    blocked_retreat_loss=1,
    concentric_bonus=0.15,
    river_defence=1.5,
    entrenchment_bonus=0.15,
    max_entrenchment=3,
    experience_bonus=0.05,
    max_experience=5,
    charge_bonus=0.3,
    withdraw_odds=1.5,
    withdraw_loss=1,
    supply=(0.5, 0.75, 1.0),
)


def random_battles(n: int, seed: int = 0) -> tuple[combat.Sides, combat.Sides, combat.Battles]:
    """n battles of 1-6 attacking and 1-3 defending units with random strengths."""
    rng = np.random.default_rng(seed)

    def sides(low: int, high: int) -> combat.Sides:
        count = rng.integers(low, high + 1, n)
        battle = np.repeat(np.arange(n), count)
        p = len(battle)
        return combat.Sides(
            battle=battle,
            steps=rng.integers(1, 9, p).astype(np.float64),
            soft=rng.integers(0, 8, p).astype(float),
            hard=rng.integers(0, 7, p).astype(float),
            defence=rng.integers(1, 8, p).astype(float),
            hardness=rng.choice([0.0, 0.1, 0.2, 0.7, 0.8, 1.0], p),
            modifier=rng.choice([0.5, 0.75, 1.0, 1.05, 1.1, 1.3], p),
        )

    battles = combat.Battles(
        terrain_defence=rng.choice([1.0, 1.3, 1.4, 1.6, 1.8], n),
        river=rng.random(n) < 0.2,
        entrenchment=rng.integers(0, 4, n).astype(np.float64),
        sides_attacked=rng.integers(1, 4, n).astype(np.float64),
    )
    return sides(1, 6), sides(1, 3), battles


def _split(s: combat.Sides, n: int) -> list[list[dict[str, float]]]:
    out: list[list[dict[str, float]]] = [[] for _ in range(n)]
    for i in range(len(s.battle)):
        out[int(s.battle[i])].append(
            {
                "steps": int(s.steps[i]),
                "soft": float(s.soft[i]),
                "hard": float(s.hard[i]),
                "defence": float(s.defence[i]),
                "hardness": float(s.hardness[i]),
                "modifier": float(s.modifier[i]),
            }
        )
    return out


def prepare_reference(
    att: combat.Sides, dfn: combat.Sides, battles: combat.Battles, draws: np.ndarray
) -> list[tuple[Any, ...]]:
    """The arguments of `combat.reference_battle` for every battle, as plain Python values."""
    n = len(battles)
    a_list, d_list = _split(att, n), _split(dfn, n)
    rows = draws.tolist()
    td, rv = battles.terrain_defence.tolist(), battles.river.tolist()
    dig, sides = battles.entrenchment.tolist(), battles.sides_attacked.tolist()
    return [
        (a_list[i], d_list[i], td[i], rv[i], dig[i], sides[i], tuple(rows[i])) for i in range(n)
    ]


def run_reference(prepared: list[tuple[Any, ...]], rules: CombatRules) -> list[tuple[Any, ...]]:
    """Every prepared battle through the pure-Python reference."""
    out = []
    for attackers, defenders, terrain, river, dig, sides, draws in prepared:
        out.append(
            combat.reference_battle(attackers, defenders, terrain, river, dig, sides, rules, draws)
        )
    return out


def bench_combat(sizes: list[int], reference_cap: int) -> list[dict[str, Any]]:
    """Rows of the combat section: the core against the reference for each size."""
    rows = []
    for n in sizes:
        att, dfn, battles = random_battles(n)
        draws = combat.draw_battles(np.random.default_rng(1), n)
        best = float("inf")
        for _ in range(7 if n <= 100_000 else 3):
            t0 = time.perf_counter()
            combat.resolve_battles(att, dfn, battles, BENCH_RULES, draws)
            best = min(best, time.perf_counter() - t0)
        ref_n = min(n, reference_cap)
        prepared = prepare_reference(*_first(att, dfn, battles, ref_n), draws[:ref_n])
        t0 = time.perf_counter()
        run_reference(prepared, BENCH_RULES)
        ref = (time.perf_counter() - t0) * n / ref_n
        row: dict[str, Any] = {
            "n": n,
            "seconds": round(best, 6),
            "reference_seconds": round(ref, 6),
            "ratio": round(ref / best, 1),
        }
        if ref_n < n:
            row["reference_n"] = ref_n
        rows.append(row)
    return rows


def _first(
    att: combat.Sides, dfn: combat.Sides, battles: combat.Battles, n: int
) -> tuple[combat.Sides, combat.Sides, combat.Battles]:
    def cut(s: combat.Sides) -> combat.Sides:
        keep = s.battle < n
        return combat.Sides(*(getattr(s, f)[keep] for f in combat.SIDE_FIELDS))

    b = combat.Battles(*(getattr(battles, f)[:n] for f in combat.BATTLE_FIELDS))
    return cut(att), cut(dfn), b


def supply_costs(width: int, height: int, seed: int = 0) -> tuple[StepCosts, np.ndarray]:
    """A map like a campaign's for the supply field (built as `supply.supply_field` builds its
    costs): terrain supply costs of 1 to 3, hexes blocked by the enemy, rivers, a road net, mud
    on the southern half, a few hexes under enemy fleets; a source or railhead every 3,000 hexes."""
    rng = np.random.default_rng(seed)
    n = width * height
    enter = rng.choice([1.0, 1.0, 1.0, 2.0, 2.0, 3.0], n)
    enter[rng.random(n) < 0.03] = np.inf
    links = np.zeros(n, dtype=np.uint8)
    rows = np.arange(0, height, 7)  # east-west roads every seventh row
    for row in rows:
        links[row * width : (row + 1) * width - 1] |= 1 << hexgrid.E
        links[row * width + 1 : (row + 1) * width] |= 1 << hexgrid.W
    mud = np.where(np.arange(n) >= n // 2, 1.5, 1.0)
    raided = np.where(rng.random(n) < 0.01, 2.0, 0.0)
    nbr = hexgrid.neighbour_table(width, height)
    costs = StepCosts(nbr, enter, links, 0.5, rng.random(n) < 0.05, 1.0, mud, raided)
    return costs, rng.choice(n, max(1, n // 3000), replace=False)


def bench_supply(sizes: list[int], ranges: list[float | None]) -> list[dict[str, Any]]:
    """Supply fields over whole maps: the numpy search against the heap reference."""
    rows = []
    for side in sizes:
        costs, sources = supply_costs(side, side)
        assert costs.links is not None and costs.river is not None
        assert costs.scale is not None and costs.extra is not None
        lists = (
            costs.nbr.tolist(),
            costs.enter.tolist(),
            costs.links.tolist(),
            costs.river.tolist(),
        )
        adjust = (costs.scale.tolist(), costs.extra.tolist())
        for reach in ranges:
            limit = float("inf") if reach is None else float(reach)
            times = []
            for _ in range(15 if side * side <= 100_000 or reach is not None else 5):
                t0 = time.perf_counter()
                cost_field(costs, sources, limit)
                times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            reference_search(
                *lists, costs.link_cost, costs.crossing, sources.tolist(), limit, *adjust
            )
            ref = time.perf_counter() - t0
            median = float(np.median(times))
            rows.append(
                {
                    "size": f"{side}x{side}",
                    "range": reach,
                    "seconds": round(median, 6),
                    "reference_seconds": round(ref, 6),
                    "ratio": round(ref / median, 1),
                }
            )
    return rows


def bench_movement(side: int, count: int) -> list[dict[str, Any]]:
    """Reachable hexes of many units in one batched call against Dijkstra unit by unit."""
    from game.engine import Engine
    from game.scenario import load

    rng = np.random.default_rng(2)
    rows = ["".join(rng.choice(list("...ffhs"), side)) for _ in range(side)]
    kinds = ["infantry", "cavalry", "light_armour"]
    spots = rng.choice(side * side, count + count // 4, replace=False)
    units = [
        {
            "type": kinds[i % 3],
            "faction": "red" if i < count else "blue",
            "at": [int(h % side), int(h // side)],
        }
        for i, h in enumerate(spots)
    ]
    data = {
        "name": "bench",
        "rules": str(RULES_FILE),
        "start": "1939-07-07",
        "turns": 1,
        "map": {"rows": rows},
        "units": units,
        "factions": [
            {"id": "red", "name": "Red", "side": "red"},
            {"id": "blue", "name": "Blue", "side": "blue"},
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(yaml.safe_dump(data))
        engine = Engine(load(path), seed=1)
    ids = engine.state.faction_units(0)
    times = []
    for _ in range(7):
        t0 = time.perf_counter()  # the batched call builds its own context: nothing cached
        movement.reachable_batch(movement.context(engine.state, 0), ids)
        times.append(time.perf_counter() - t0)
    ctx = movement.context(engine.state, 0)
    t0 = time.perf_counter()
    for uid in ids.tolist():
        movement.find_paths(ctx, uid)
    ref = time.perf_counter() - t0
    median = float(np.median(times))
    return [
        {
            "size": f"{side}x{side}",
            "units": len(ids),
            "seconds": round(median, 6),
            "reference_seconds": round(ref, 6),
            "ratio": round(ref / median, 1),
        }
    ]


def run_bench(quick: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every benchmark section; `quick` uses small sizes."""
    if quick:
        return {
            "combat": bench_combat([1_000, 10_000], reference_cap=10_000),
            "supply": bench_supply([100], [10, None]),
            "movement": bench_movement(100, 50),
        }
    return {
        "combat": bench_combat([1_000, 100_000, 1_000_000], reference_cap=100_000),
        "supply": bench_supply([300, 1000], [10, None]),
        "movement": bench_movement(300, 400),
    }
