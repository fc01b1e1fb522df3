"""Why a unit has the supply it has: its path back to the source, and what cut it.

For the side panel, the supply overlay and the checker. The explanation compares the real supply
field with the one supply would have if no enemy stood in the way: the hexes on the unopposed
path that the enemy blocks or interdicts are the reasons, and where even the unopposed path is
too long, the hex where supply runs out is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game import hexgrid
from game.state import FULL_SUPPLY, GameState, StateView
from game.supply import (
    INF,
    LEVEL_NAMES,
    Allocation,
    SupplyField,
    allocate,
    convoy_state,
    supply_field,
)


@dataclass
class Explanation:
    """One unit's supply, told: the level, a summary line, the reasons it is not full, and the
    path (col, row) from the unit's hex back to its source."""

    unit: int
    level: int
    summary: str
    reasons: list[str] = field(default_factory=list)
    path: list[tuple[int, int]] = field(default_factory=list)
    source: str | None = None

    def text(self) -> str:
        """Summary and reasons as lines, for a panel or the terminal."""
        return "\n".join([self.summary, *(f"- {r}" for r in self.reasons)])


def explain(
    state: GameState | StateView,
    unit: int,
    known: tuple[SupplyField, Allocation] | None = None,
) -> Explanation:
    """The unit's supply as it would be worked out now, and why. `known`: its side's supply
    field and allocation, when the caller has them already (explaining many units)."""
    u = state.units
    sc = state.scenario
    rules = sc.rules
    faction = int(u.faction[unit])
    name = u.names[unit]
    if rules.ut_supply_use[u.type[unit]] == 0:
        return Explanation(unit, FULL_SUPPLY, f"{name} needs no supply")
    if not sc.has_supply:
        summary = f"{name}: full supply (this scenario has no supply sources, so no supply rules)"
        return Explanation(unit, FULL_SUPPLY, summary)
    sf, served = known or side_supply(state, faction)
    fleet = int(u.carrier[unit])
    if fleet >= 0:  # a rider has what its fleet has
        inner = explain(state, fleet, (sf, served))
        summary = f"{name}: {LEVEL_NAMES[inner.level]}, living on the stores of {u.names[fleet]}"
        return Explanation(unit, inner.level, summary, inner.reasons, inner.path, inner.source)
    level = int(served.level[unit])
    at = int(u.row[unit]) * sc.width + int(u.col[unit])
    reasons: list[str] = []
    path: list[int] = []
    source = None
    if sf.source[at] >= 0:
        src = sf.sources[int(sf.source[at])]
        source = src.name
        path = supply_path(sf, at)
        summary = f"{name}: {LEVEL_NAMES[level]} from {src.name}{_route(sf, at, src.kind)}"
    else:
        summary = f"{name}: no supply"
    if level < FULL_SUPPLY:
        short = served.short.get(unit)
        if short:
            reasons.append(short)
        if sf.level[at] < FULL_SUPPLY:
            reasons += _why_short(state, sf, at)
    cells = [(h % sc.width, h // sc.width) for h in path]
    return Explanation(unit, level, summary, reasons, cells, source)


def supply_path(sf: SupplyField, at: int) -> list[int]:
    """Flat hexes from `at` back to the source feeding it: overland, then along the railway."""
    path = [at]
    while sf.parent[path[-1]] >= 0:
        path.append(int(sf.parent[path[-1]]))
    src = sf.sources[int(sf.source[at])] if sf.source[at] >= 0 else None
    if src is not None and src.kind == "carrier" and path[-1] != src.flat:
        path.append(src.flat)
    while sf.rail[path[-1]] and sf.rail_parent[path[-1]] >= 0:
        path.append(int(sf.rail_parent[path[-1]]))
    return path


def _route(sf: SupplyField, at: int, kind: str) -> str:
    if kind == "carrier":
        return " (dropped from the air)"
    if sf.cost[at] == 0:
        return " (by rail)" if sf.by_rail[at] else " (at the source)"
    haul = f"{sf.cost[at]:g} supply points overland"
    return f" (by rail, then {haul})" if sf.by_rail[at] else f" ({haul})"


def _why_short(state: GameState | StateView, sf: SupplyField, at: int) -> list[str]:
    """Why a hex lacks full supply by distance: enemy blocks, interdiction, range, no source."""
    sc = state.scenario
    sr = sc.rules.supply
    free = supply_field(state, sf.faction, obey_enemy=False, limit=INF)
    if free.source[at] < 0:
        if not free.sources:
            return ["the side holds no supply source (no supply city, port or entry hex)"]
        return ["no supply source can be reached from here, overland or by rail"]
    reasons = []
    path = supply_path(free, at)
    for h in path:
        if sf.blocked[h]:
            reasons.append(blocker(state, sf.faction, h))
        elif sf.raided[h] > 0:
            reasons.append(_raid(state, sf.faction, h))
    src = free.sources[int(free.source[at])]
    if src.convoys and not any(s.flat == src.flat and s.working for s in sf.sources):
        for c in src.convoys:
            reasons.append(_convoy(state, c.convoy))
    if free.cost[at] > sr.range:
        out = next(h for h in reversed(path) if free.cost[h] > sr.range)
        reasons.append(
            f"out of range: even unopposed, supply from {src.name} runs out at "
            f"{_place(state, out)} (full supply reaches {sr.range:g} supply points, reduced "
            f"{sr.reduced_range:g}; this hex is {free.cost[at]:g} away)"
        )
    unique = list(dict.fromkeys(reasons))
    return unique or ["supply must go the long way round"]


def _place(state: GameState | StateView, flat: int) -> str:
    sc = state.scenario
    col, row = flat % sc.width, flat // sc.width
    city = sc.city_at.get((col, row))
    return f"{sc.cities[city].name} ({col}, {row})" if city is not None else f"({col}, {row})"


def _enemies_near(state: GameState | StateView, faction: int, flat: int, radius: int) -> list:
    u = state.units
    sc = state.scenario
    col, row = flat % sc.width, flat // sc.width
    hostile = u.alive & (u.carrier < 0) & state.hostile_mask(faction)[u.faction]
    near = hexgrid.distance(u.col.astype(np.int64), u.row.astype(np.int64), col, row) <= radius
    return [int(i) for i in np.flatnonzero(hostile & near)]


def blocker(state: GameState | StateView, faction: int, flat: int) -> str:
    """Which enemy unit blocks supply at a hex, standing on it or by its zone of control."""
    u = state.units
    rules = state.rules
    ground = [i for i in _enemies_near(state, faction, flat, 1) if not rules.ut_air[u.type[i]]]
    at = _place(state, flat)
    on = [i for i in ground if int(u.row[i]) * state.scenario.width + int(u.col[i]) == flat]
    if on:
        return f"blocked at {at} by {u.names[on[0]]}"
    zoc = [i for i in ground if rules.ut_exerts_zoc[u.type[i]]]
    who = u.names[zoc[0]] if zoc else "the enemy"
    return f"blocked at {at} by the zone of control of {who}"


def _raid(state: GameState | StateView, faction: int, flat: int) -> str:
    u = state.units
    rules = state.rules
    fleets = [
        i
        for i in _enemies_near(state, faction, flat, 0)
        if rules.ut_air[u.type[i]] and rules.ut_interdiction[u.type[i]] > 0
    ]
    names = " and ".join(u.names[i] for i in fleets) or "enemy fleets"
    cost = float(rules.ut_interdiction[u.type[fleets]].sum()) if fleets else 0.0
    return (
        f"interdicted at {_place(state, flat)} by {names} overhead (no trains, hauling costs "
        f"{cost:g} more)"
    )


def _convoy(state: GameState | StateView, index: int) -> str:
    c = convoy_state(state, index)
    parts = []
    if c.raiders:
        u = state.units
        parts.append(" and ".join(u.names[i] for i in c.raiders))
    if c.cut_by_events:
        parts.append(f"raiders beyond the map ({c.cut_by_events:g} points)")
    by = " and ".join(parts) or "nothing"
    return (
        f"convoy {c.name} delivers {c.delivered:g} of {c.capacity:g} supply points: "
        f"interdicted by {by}"
    )


def side_supply(state: GameState | StateView, faction: int) -> tuple[SupplyField, Allocation]:
    """The supply field of `faction`'s side, and who of the side gets what from it."""
    sf = supply_field(state, faction)
    return sf, allocate(state, sf)


def side_summary(sf: SupplyField) -> list[str]:
    """One line per source of an allocated field: what it delivers and what units drew."""
    lines = []
    for s in sf.sources:
        cap = "no limit" if s.capacity == INF else f"{s.capacity:g} a turn"
        state_text = "working" if s.working else "cut off"
        lines.append(f"{s.name} ({s.kind}, {cap}, {state_text}): {s.drawn:g} drawn")
    return lines
