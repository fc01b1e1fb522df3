"""Movement: what entering a hex costs, zones of control, stacking, reachable hexes, rail moves.

Two ways to the same answer:
- `find_paths` is Dijkstra with a heap for one unit: the engine uses it to validate a Move and to
  find the path taken, and the tests use it as the reference;
- `reachable_batch` relaxes every unit of a batch at once with numpy, each in a small window of
  the map around it, for the AI and the UI.

Rules: a unit pays its movement class's cost for the terrain it enters (a road or rail link
between two hexes costs the road cost instead; entering a river hex from a dry one costs the
crossing cost more), multiplied by the weather of the hex entered (ground units only). It cannot
enter a hex held by another side's units in its layer. A ground unit that enters an enemy zone of
control stops there; leaving one costs the type's `zoc_exit_cost`. A unit that has not moved yet
may always enter one adjacent hex it could stand on, whatever the cost. Units pass through
friends, but may end a move only where the stacking limit leaves room.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np

from game import hexgrid, supply
from game.fields import step_cost
from game.state import GameState, StateView

INF = math.inf
OPPOSITE = np.array(hexgrid.OPPOSITE)


@dataclass
class MoveContext:
    """Whole-map arrays (flat, index row * width + col) for moving one faction's units."""

    state: GameState | StateView
    faction: int
    nbr: np.ndarray  # (N, 6) neighbour table
    terrain: np.ndarray
    river: np.ndarray
    links: np.ndarray  # road or rail direction bits
    weather_move: np.ndarray
    blocked_ground: np.ndarray  # units of another side stand here (ground layer)
    blocked_air: np.ndarray
    zoc: np.ndarray  # enemy zone of control
    ground_count: np.ndarray
    air_count: np.ndarray

    plain: dict[int, np.ndarray] = field(default_factory=dict)  # see plain_steps

    @property
    def width(self) -> int:
        """Hexes per row of the map."""
        return self.state.scenario.width

    def plain_steps(self, move_class: int) -> np.ndarray:
        """(N,) what entering each hex costs a class by a step with no road, railway or river
        crossing: the terrain cost times the weather (ground), infinite where blocked. Equal to
        `edge_cost` for such steps, computed once per class."""
        if move_class not in self.plain:
            rules = self.state.rules
            base = rules.move_cost[move_class, self.terrain]
            if rules.layer_of_class[rules.move_classes[move_class]] == "air":
                self.plain[move_class] = np.where(self.blocked_air, INF, base)
            else:
                steps = np.where(self.blocked_ground, INF, base * self.weather_move)
                self.plain[move_class] = steps
        return self.plain[move_class]


def context(state: GameState | StateView, faction: int) -> MoveContext:
    """Build the movement arrays for `faction` from the current state."""
    sc = state.scenario
    rules = sc.rules
    n = sc.width * sc.height
    u = state.units
    on_map = u.alive & (u.carrier < 0)
    flat = u.row.astype(np.int64) * sc.width + u.col
    air = rules.ut_air[u.type]
    sides = np.array([f.side for f in sc.factions])
    other = on_map & (sides[u.faction] != sides[faction])
    hostile = on_map & state.hostile_mask(faction)[u.faction]

    def mark(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[flat[mask]] = True
        return out

    nbr = hexgrid.neighbour_table(sc.width, sc.height)
    return MoveContext(
        state=state,
        faction=faction,
        nbr=nbr,
        terrain=sc.terrain.ravel().astype(np.int64),
        river=sc.river.ravel(),
        links=(sc.road | sc.rail).ravel(),
        weather_move=rules.weather_move[state.hex_weather().ravel()],
        blocked_ground=mark(other & ~air),
        blocked_air=mark(other & air),
        zoc=zoc_mask(nbr, mark(hostile & ~air & rules.ut_exerts_zoc[u.type])),
        ground_count=np.bincount(flat[on_map & ~air], minlength=n),
        air_count=np.bincount(flat[on_map & air], minlength=n),
    )


def zoc_mask(nbr: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Hexes holding or next to a ZOC source (flat bool arrays)."""
    return hexgrid.grow(nbr, sources)


def edge_cost(
    ctx: MoveContext,
    a: np.ndarray,
    b: np.ndarray,
    d: np.ndarray,
    move_class: np.ndarray,
    air: np.ndarray,
) -> np.ndarray:
    """Cost of stepping from hex a into its neighbour b in direction d (flat arrays, b >= 0)."""
    rules = ctx.state.rules
    base = rules.move_cost[move_class, ctx.terrain[b]]
    linked = ((ctx.links[a] >> d) & 1).astype(bool)
    crossing = rules.river_cost_arr[move_class] * (ctx.river[b] & ~ctx.river[a])
    ground = step_cost(base, linked, rules.road_cost_arr[move_class], crossing)
    ground = ground * ctx.weather_move[b]
    cost = np.where(air, base, ground)
    blocked = np.where(air, ctx.blocked_air[b], ctx.blocked_ground[b])
    return np.where(blocked, INF, cost)


def has_room(ctx: MoveContext, unit: int, flat: int) -> bool:
    """Whether the unit may end its move on this hex (stacking limit)."""
    rules = ctx.state.rules
    if rules.ut_air[ctx.state.units.type[unit]]:
        return bool(ctx.air_count[flat] < rules.stack_air)
    return bool(ctx.ground_count[flat] < rules.stack_ground)


def full_moves(state: GameState | StateView, unit: int) -> float:
    """Movement points the unit has at the start of its turn (its supply level counts)."""
    return float(state.turn_moves(np.array([unit]))[0])


def find_paths(ctx: MoveContext, unit: int) -> tuple[dict[int, float], dict[int, int]]:
    """Dijkstra for one unit: cost to every hex within its moves left, and the best parents."""
    state, rules = ctx.state, ctx.state.rules
    u = state.units
    utype = int(u.type[unit])
    start = int(u.row[unit]) * ctx.width + int(u.col[unit])
    budget = float(u.moves[unit])
    fresh = budget >= full_moves(state, unit) and budget > 0
    air = bool(rules.ut_air[utype])
    cls = np.full(6, rules.ut_move_class[utype])
    dist: dict[int, float] = {start: 0.0}
    parent: dict[int, int] = {}
    heap = [(0.0, start)]
    while heap:
        cost, a = heapq.heappop(heap)
        if cost > dist.get(a, INF):
            continue
        if a != start and ctx.zoc[a] and not air:
            continue  # entering an enemy zone of control ends the move
        nb = ctx.nbr[a]
        ok = nb >= 0
        dirs = np.flatnonzero(ok)
        steps = edge_cost(
            ctx, np.full(len(dirs), a), nb[ok], dirs, cls[ok], np.full(len(dirs), air)
        )
        for b, step in zip(nb[ok].tolist(), steps.tolist(), strict=True):
            if a == start:
                if ctx.zoc[a] and not air:
                    step += float(rules.ut_zoc_exit[utype])
                if fresh and step < INF:
                    step = min(step, budget)
            new = cost + step
            if new <= budget and new < dist.get(b, INF):
                dist[b] = new
                parent[b] = a
                heapq.heappush(heap, (new, b))
    return dist, parent


def path_to(parent: dict[int, int], start: int, goal: int) -> list[int]:
    """Flat hexes from start to goal, both included."""
    path = [goal]
    while path[-1] != start:
        path.append(parent[path[-1]])
    return path[::-1]


def destinations(ctx: MoveContext, unit: int) -> dict[int, float]:
    """Hexes the unit may end its move on, with their cost."""
    dist, _ = find_paths(ctx, unit)
    start = int(ctx.state.units.row[unit]) * ctx.width + int(ctx.state.units.col[unit])
    return {h: c for h, c in dist.items() if h != start and has_room(ctx, unit, h)}


# -- the batched computation ------------------------------------------------------------------


def _window_radii(ctx: MoveContext, units: np.ndarray) -> np.ndarray:
    """How many hexes each unit could possibly go: its moves over its cheapest step."""
    rules = ctx.state.rules
    u = ctx.state.units
    cheapest = np.minimum(rules.move_cost.min(axis=1), rules.road_cost_arr)
    cheapest = cheapest * min(1.0, float(rules.weather_move.min()))
    per_unit = u.moves[units] / np.maximum(cheapest[rules.ut_move_class[u.type[units]]], 1e-9)
    return np.maximum(1, np.ceil(per_unit)).astype(np.int64)


#: Units relaxed together: bounds the (units, window, 6) temporaries to some tens of megabytes.
BATCH = 256


def reachable_batch(
    ctx: MoveContext, units: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every hex many units can reach this turn, relaxed together with numpy.

    Returns flat arrays (which, hexes, cost): unit `units[which[k]]` reaches flat hex
    `hexes[k]` for `cost[k]` movement points (its own hex at 0 included). The costs equal those
    of `find_paths` exactly. Units are grouped by how far they could go, so each group works in
    windows no larger than it needs, BATCH units at a time.
    """
    units = np.asarray(units, dtype=np.int64)
    radii = _window_radii(ctx, units) if len(units) else np.zeros(0, dtype=np.int64)
    found = []
    for radius in np.unique(radii).tolist():
        group = np.flatnonzero(radii == radius)
        for start in range(0, len(group), BATCH):
            rows = group[start : start + BATCH]
            hexes, cost = _reach(ctx, units[rows], int(radius))
            r, k = np.nonzero(np.isfinite(cost) & (hexes >= 0))
            found.append((rows[r], hexes[r, k], cost[r, k]))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    which, hexes, cost = (np.concatenate(parts) for parts in zip(*found, strict=True))
    order = np.lexsort((hexes, which))
    return which[order], hexes[order], cost[order]


def _reach(ctx: MoveContext, units: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
    state, rules = ctx.state, ctx.state.rules
    sc = state.scenario
    u = state.units
    wcols, wrows = 2 * radius + 1, 2 * radius + 2
    local_nbr = hexgrid.neighbour_table(wcols, wrows)  # (K, 6)
    k = wcols * wrows
    col0 = u.col[units].astype(np.int64) - radius
    row0 = u.row[units].astype(np.int64) - radius
    row0 -= row0 & 1  # an even first row keeps the window's odd rows odd on the map
    lc = np.arange(k) % wcols
    lr = np.arange(k) // wcols
    gc = col0[:, None] + lc[None, :]
    gr = row0[:, None] + lr[None, :]
    inside = (gc >= 0) & (gc < sc.width) & (gr >= 0) & (gr < sc.height)
    hexes = np.where(inside, gr * sc.width + gc, -1)
    centre = (u.row[units] - row0) * wcols + (u.col[units] - col0)

    utype = u.type[units]
    cls = rules.ut_move_class[utype].astype(np.int64)
    air = rules.ut_air[utype]
    budget = u.moves[units].astype(np.float64)
    fresh = (budget >= state.turn_moves(units)) & (budget > 0)

    # pull[i, j, d]: cost for unit i of stepping into local hex j from its neighbour in direction
    # d (local_nbr[j, d], where the step comes from); infinite where there is no such step.
    padded_src = np.maximum(local_nbr, 0)
    src = np.where(local_nbr[None] >= 0, hexes[:, padded_src], -1)
    valid = (src >= 0) & (hexes[:, :, None] >= 0)
    # a ground unit may not step on out of an enemy zone of control (its start: see below)
    valid &= ~(ctx.zoc[np.maximum(src, 0)] & ~air[:, None, None])
    flat_pull = np.full(src.size, INF)
    idx = np.flatnonzero(valid)  # (unit * k + j) * 6 + d
    a, b = src.ravel()[idx], hexes.ravel()[idx // 6]
    step_dir = OPPOSITE[idx % 6]
    odd = sc.special_steps[a * 6 + step_dir]  # these steps need the whole rule: edge_cost
    step_cls = cls[idx // (6 * k)]
    for c in np.unique(cls).tolist():
        mine = ~odd & (step_cls == c)
        flat_pull[idx[mine]] = ctx.plain_steps(c)[b[mine]]
    ui = idx[odd] // (6 * k)
    flat_pull[idx[odd]] = edge_cost(ctx, a[odd], b[odd], step_dir[odd], cls[ui], air[ui])
    pull = flat_pull.reshape(src.shape)
    # Steps out of the start: leaving an enemy zone of control costs extra, and a unit that has
    # not moved may always make one step it can make at all.
    first = local_nbr[centre]  # (U, 6): the start's neighbour in each direction
    rows = np.arange(len(units))[:, None]
    ui, dd = np.nonzero((first >= 0) & (hexes[rows, np.maximum(first, 0)] >= 0))
    j = first[ui, dd]
    start_hex = hexes[ui, centre[ui]]
    step = edge_cost(ctx, start_hex, hexes[ui, j], dd, cls[ui], air[ui])
    start_zoc = ctx.zoc[start_hex] & ~air[ui]
    step = step + np.where(start_zoc, rules.ut_zoc_exit[utype[ui]], 0.0)
    capped = fresh[ui] & np.isfinite(step)
    pull[ui, j, OPPOSITE[dd]] = np.where(capped, np.minimum(step, budget[ui]), step)

    dist = np.full((len(units), k), INF)
    dist[np.arange(len(units)), centre] = 0.0
    active = np.arange(len(units))  # units whose costs changed in the last round
    for _ in range(k):
        if not active.size:
            break
        whole = active.size == len(units)
        here = dist if whole else dist[active]
        came = here[:, padded_src]  # (A, K, 6)
        came += pull if whole else pull[active]
        best = np.minimum(here, came.min(axis=2))
        best[best > budget[active, None]] = INF
        changed = (best != here).any(axis=1)
        dist[active] = best
        active = active[changed]
    return hexes, dist


# -- rail ---------------------------------------------------------------------------------------


def rail_destinations(state: GameState | StateView, unit: int) -> tuple[dict[int, int], str | None]:
    """Hexes the unit can reach by rail this turn (flat index -> hexes travelled), or a reason."""
    sc = state.scenario
    u = state.units
    rules = sc.rules
    if rules.move_classes[rules.ut_move_class[u.type[unit]]] not in rules.rail_classes:
        return {}, "this kind of unit cannot travel by rail"
    if full_moves(state, unit) <= 0:
        return {}, "a unit that cannot move cannot travel by rail"
    if u.moves[unit] < full_moves(state, unit) or u.attacked[unit]:
        return {}, "a unit must not have moved or fought this turn to travel by rail"
    ctx = context(state, int(u.faction[unit]))
    start = int(u.row[unit]) * sc.width + int(u.col[unit])
    rail = sc.rail.ravel()
    owner = state.owner.ravel()
    friendly = np.array(
        [
            not state.hostile(int(u.faction[unit]), f.index)
            and f.side == state.side_of(int(u.faction[unit]))
            for f in sc.factions
        ]
    )
    if not rail[start]:
        return {}, "there is no railway on this hex"
    if owner[start] < 0 or not friendly[owner[start]]:
        return {}, "the railway here is not in friendly hands"
    if ctx.zoc[start]:
        return {}, "units next to the enemy cannot board a train"
    if sc.has_supply and not supply.supply_field(state, int(u.faction[unit])).rail[start]:
        return {}, "no supply source feeds the railway here, so no trains run"
    seen = {start: 0}
    frontier = [start]
    for hops in range(1, rules.rail_range + 1):
        nxt = []
        for a in frontier:
            for d in range(6):
                b = int(ctx.nbr[a, d])
                if b < 0 or b in seen or not (rail[a] >> d) & 1:
                    continue
                if owner[b] < 0 or not friendly[owner[b]] or ctx.blocked_ground[b] or ctx.zoc[b]:
                    continue
                if not rules.can_enter(int(u.type[unit]), int(ctx.terrain[b])):
                    continue
                seen[b] = hops
                nxt.append(b)
        frontier = nxt
    del seen[start]
    return {h: n for h, n in seen.items() if has_room(ctx, unit, h)}, None
