"""Supply: where it comes from, how far it runs, who gets it.

Allies share supply. A faction draws on the sources of its side: cities with `supply` that the
side holds, ports fed by convoys, off-map entry hexes (`supply_sources`), and supply carriers
that are in supply themselves (they feed the hexes within `supply.carrier_radius`, nothing
further). A source on a railway feeds all the railway joined to it that the side holds. From the
sources and the railway supply runs overland: entering a hex costs its terrain's `supply_cost`
(a road or railway link costs `supply.road_cost` instead, a river crossing
`supply.river_crossing` more), times its weather's `supply_cost`. Within `supply.range` points a
unit is in full supply, within `supply.reduced_range` in reduced supply, beyond that in none.

An enemy unit, or an enemy zone of control on a hex without a friendly ground unit, blocks
supply, trains included. An enemy fleet with `interdiction` over a hex stops trains there and
makes hauling into it dearer by that much. A convoy delivers its capacity less the interdiction
of every enemy unit on or next to its route, and less what events cut.

Sources may have a capacity (supply points a turn) and one source sends at most
`supply.rail_capacity` points down the railway. Units are served nearest first: full supply
costs a unit its type's `supply_use`, reduced supply half of that, and a unit that finds too
little left drops a level. `explain` tells, for one unit, where its supply comes from and what
is wrong with it; `game/supply_explain.py` holds that part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from game import hexgrid
from game.fields import StepCosts, cost_field, reference_search
from game.state import FULL_SUPPLY, NO_SUPPLY, REDUCED_SUPPLY, GameState, StateView

INF = math.inf
LEVEL_NAMES = {FULL_SUPPLY: "full supply", REDUCED_SUPPLY: "reduced supply", NO_SUPPLY: "no supply"}


@dataclass
class ConvoyState:
    """What one convoy brings this turn, and who is cutting it."""

    convoy: int
    name: str
    capacity: float
    delivered: float
    raiders: tuple[int, ...]  # ids of enemy units on or next to the route
    cut_by_events: float


@dataclass
class Source:
    """One place supply comes from this turn."""

    name: str
    kind: str  # "city", "port", "entry" or "carrier"
    flat: int
    capacity: float  # supply points this turn, inf for no limit
    working: bool = True
    convoys: list[ConvoyState] = field(default_factory=list)
    drawn: float = 0.0  # supply points units took from it
    rail_drawn: float = 0.0  # ... of which came by rail


@dataclass
class SupplyField:
    """A side's supply over the whole map (flat arrays, index row * width + col)."""

    faction: int
    width: int
    sources: list[Source]
    blocked: np.ndarray  # bool: an enemy unit or an enemy zone of control stops supply here
    raided: np.ndarray  # float: interdiction of enemy fleets overhead
    rail: np.ndarray  # bool: railway carrying supply
    rail_parent: np.ndarray  # the railway hex supply came from, -1 at the sources
    cost: np.ndarray  # supply points hauled overland from the railway or a source
    parent: np.ndarray  # the hex supply came from, -1 at the railway and the sources
    source: np.ndarray  # index into `sources` of the source feeding each hex, -1
    by_rail: np.ndarray  # bool: supply reaches the hex by rail (rail capacity counts)
    level: np.ndarray  # int8: level by distance alone, before capacities
    costs: StepCosts


def friends_of(state: GameState | StateView, faction: int) -> np.ndarray:
    """bool per faction: the factions on `faction`'s side, whose supply it shares."""
    sides = np.array([f.side for f in state.scenario.factions])
    return sides == state.side_of(faction)


def supply_field(
    state: GameState | StateView, faction: int, obey_enemy: bool = True, limit: float | None = None
) -> SupplyField:
    """The supply field of `faction`'s side. With `obey_enemy` False, enemy units, zones of
    control and interdiction are ignored (what supply would do unopposed: see explanations);
    `limit` overrides how far the overland search goes (`supply.reduced_range`)."""
    sc = state.scenario
    rules = sc.rules
    sr = rules.supply
    w, n = sc.width, sc.width * sc.height
    nbr = hexgrid.neighbour_table(sc.width, sc.height)
    u = state.units
    on_map = u.alive & (u.carrier < 0)
    flat = u.row.astype(np.int64) * w + u.col
    air = rules.ut_air[u.type]
    friends = friends_of(state, faction)
    hostile = on_map & state.hostile_mask(faction)[u.faction]

    def mark(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[flat[mask]] = True
        return out

    blocked = np.zeros(n, dtype=bool)
    raided = np.zeros(n)
    if obey_enemy:
        zoc = hexgrid.grow(nbr, mark(hostile & ~air & rules.ut_exerts_zoc[u.type]))
        friendly_ground = mark(on_map & friends[u.faction] & ~air)
        blocked = mark(hostile & ~air) | (zoc & ~friendly_ground)
        raid = hostile & air
        raided = np.bincount(flat[raid], rules.ut_interdiction[u.type[raid]], minlength=n)
    owner = state.owner.ravel()
    held = (owner >= 0) & friends[np.maximum(owner, 0)]
    sources = _sources(state, faction, friends, blocked, obey_enemy)

    rail_ok = (sc.rail.ravel() != 0) & held & ~blocked & (raided == 0)
    rail_costs = StepCosts(nbr, np.where(rail_ok, 1.0, INF), sc.rail.ravel(), 0.0)
    on_rail = [s.flat for s in sources if s.working and rail_ok[s.flat]]
    rail_cost, rail_parent = cost_field(rail_costs, np.array(on_rail, dtype=np.int64), 0.0)
    rail = rail_cost == 0.0

    enter = rules.terrain_supply_cost[sc.terrain.ravel()]
    costs = StepCosts(
        nbr,
        np.where(blocked, INF, enter),
        (sc.road | sc.rail).ravel(),
        sr.road_cost,
        sc.river.ravel(),
        sr.river_crossing,
        scale=rules.weather_supply[state.hex_weather().ravel()],
        extra=raided if obey_enemy else None,
    )
    working = [s.flat for s in sources if s.working]
    starts = np.union1d(np.array(working, dtype=np.int64), np.flatnonzero(rail))
    reach = sr.reduced_range if limit is None else limit
    cost, parent = cost_field(costs, starts, reach)

    source_at = np.full(n, -1, dtype=np.int64)
    for i in range(len(sources) - 1, -1, -1):  # the first source listed on a hex feeds it
        if sources[i].working:
            source_at[sources[i].flat] = i
    origin = roots(parent)
    by_rail = rail[origin] & (source_at[origin] < 0) & np.isfinite(cost)
    source = np.where(by_rail, source_at[roots(rail_parent)[origin]], source_at[origin])
    source = np.where(np.isfinite(cost), source, -1)
    level = levels(cost, sr.range, sr.reduced_range)
    out = SupplyField(
        faction, w, sources, blocked, raided, rail, rail_parent, cost, parent, source, by_rail,
        level, costs,
    )  # fmt: skip
    _add_carriers(state, out, friends, on_map, flat)
    return out


def levels(cost: np.ndarray, full: float, reduced: float) -> np.ndarray:
    """Supply level by overland cost alone."""
    out = np.full(cost.shape, NO_SUPPLY, dtype=np.int8)
    out[cost <= reduced] = REDUCED_SUPPLY
    out[cost <= full] = FULL_SUPPLY
    return out


def roots(parent: np.ndarray) -> np.ndarray:
    """For every hex, the first hex of its chain of parents (pointer doubling)."""
    jump = np.where(parent >= 0, parent, np.arange(len(parent)))
    while True:
        nxt = jump[jump]
        if np.array_equal(nxt, jump):
            return jump
        jump = nxt


def _sources(
    state: GameState | StateView,
    faction: int,
    friends: np.ndarray,
    blocked: np.ndarray,
    obey_enemy: bool,
) -> list[Source]:
    """Cities, ports and entry hexes of the side, in the scenario's order."""
    sc = state.scenario
    w = sc.width
    owner = state.owner.ravel()
    out: list[Source] = []
    for city in sc.cities:
        at = city.row * w + city.col
        holder = int(owner[at])
        if holder < 0 or not friends[holder]:
            continue
        convoys = [
            convoy_state(state, c.index, obey_enemy)
            for c in sc.convoys
            if c.port == city.index and friends[c.faction]
        ]
        if not city.supply and not convoys:
            continue
        capacity = city.supply + sum(c.delivered for c in convoys)
        out.append(Source(city.name, "port" if convoys else "city", at, capacity, True, convoys))
    for entry in sc.supply_sources:
        if friends[entry.faction]:
            out.append(Source(entry.name, "entry", entry.row * w + entry.col, entry.capacity))
    for s in out:
        s.working = bool(not blocked[s.flat] and s.capacity > 0)
    return out


def convoy_state(state: GameState | StateView, index: int, obey_enemy: bool = True) -> ConvoyState:
    """What a convoy delivers now: its capacity less its raiders' interdiction and events' cuts."""
    sc = state.scenario
    convoy = sc.convoys[index]
    if not obey_enemy:
        return ConvoyState(index, convoy.name, convoy.capacity, convoy.capacity, (), 0.0)
    raiders: tuple[int, ...] = ()
    if convoy.route:
        nbr = hexgrid.neighbour_table(sc.width, sc.height)
        route = np.zeros(sc.width * sc.height, dtype=bool)
        route[[r * sc.width + c for c, r in convoy.route]] = True
        near = hexgrid.grow(nbr, route)
        u = state.units
        flat = u.row.astype(np.int64) * sc.width + u.col
        enemy = state.hostile_mask(convoy.faction)[u.faction]
        raid = u.alive & (u.carrier < 0) & enemy & (sc.rules.ut_interdiction[u.type] > 0)
        raiders = tuple(int(i) for i in np.flatnonzero(raid & near[flat]))
    cut = float(sc.rules.ut_interdiction[state.units.type[list(raiders)]].sum())
    by_events = float(state.convoy_cut[index])
    delivered = max(0.0, convoy.capacity - cut - by_events)
    return ConvoyState(index, convoy.name, convoy.capacity, delivered, raiders, by_events)


def _add_carriers(
    state: GameState | StateView,
    out: SupplyField,
    friends: np.ndarray,
    on_map: np.ndarray,
    flat: np.ndarray,
) -> None:
    """Supply carriers in supply feed the hexes within their radius that lack full supply."""
    sc = state.scenario
    rules = sc.rules
    u = state.units
    carriers = on_map & friends[u.faction] & rules.ut_carrier[u.type]
    stores = rules.ut_supply_use[u.type] == 0  # a carrier that needs no supply is always fed
    shuttle = _shuttled(state, out, carriers, flat)
    fed = [
        int(i)
        for i in np.flatnonzero(carriers)
        if out.level[flat[i]] > NO_SUPPLY or stores[i] or shuttle[i]
    ]
    radius = rules.supply.carrier_radius
    # Fleets take their supply from the carriers in the air: ground zones of control do not stop
    # it (a blocked hex holds no friendly ground unit, so only they are fed there).
    flying = np.zeros(len(out.level), dtype=bool)
    flying[flat[on_map & friends[u.faction] & rules.ut_air[u.type]]] = True
    # Carriers on one hex pool their loads: one source with their capacities added up.
    pools: dict[int, list[int]] = {}
    for uid in fed:
        pools.setdefault(int(flat[uid]), []).append(uid)
    for at, group in pools.items():  # they feed from the field as it was before any: no chains
        col, row = at % sc.width, at // sc.width
        zone = [
            r * sc.width + c
            for c, r in hexgrid.spiral(col, row, radius)
            if 0 <= c < sc.width and 0 <= r < sc.height
        ]
        name = " and ".join(u.names[i] for i in group)
        capacity = rules.supply.carrier_capacity * len(group)
        out.sources.append(Source(name, "carrier", at, capacity))
        hexes = np.array(zone, dtype=np.int64)
        reached = ~out.blocked[hexes] | flying[hexes]
        gain = hexes[(out.level[hexes] < FULL_SUPPLY) & reached]
        out.level[gain] = FULL_SUPPLY
        out.cost[gain] = 0.0
        out.parent[gain] = -1
        out.source[gain] = len(out.sources) - 1
        out.by_rail[gain] = False


def carrier_reach_mask(field: SupplyField, reach: int) -> np.ndarray:
    """bool per flat hex: within `reach` hexes, as the crow flies, of a working source of the
    side that is not a carrier (a depot the transports fly supply in from). All False when
    there is no such source or `reach` is 0 (the rule is off)."""
    n = len(field.level)
    bases = np.array([s.flat for s in field.sources if s.working and s.kind != "carrier"])
    if reach <= 0 or not len(bases):
        return np.zeros(n, dtype=bool)
    w = field.width
    flat = np.arange(n)
    d = hexgrid.distance(
        (flat % w)[:, None], (flat // w)[:, None], (bases % w)[None, :], (bases // w)[None, :]
    )
    return np.asarray(d).min(axis=1) <= reach


def _shuttled(
    state: GameState | StateView, out: SupplyField, carriers: np.ndarray, flat: np.ndarray
) -> np.ndarray:
    """bool per unit: carriers within `supply.carrier_reach` hexes, as the crow flies, of a
    working source of their side (not another carrier): they fly their loads in."""
    shuttle = np.zeros(len(carriers), dtype=bool)
    if not carriers.any():
        return shuttle
    near = carrier_reach_mask(out, state.rules.supply.carrier_reach)
    ids = np.flatnonzero(carriers)
    shuttle[ids] = near[flat[ids]]
    return shuttle


# -- who gets supply ---------------------------------------------------------------------------


@dataclass
class Allocation:
    """Each unit's supply level after capacities, and the units a capacity turned down."""

    level: np.ndarray  # int8 per unit id (units of other sides: NO_SUPPLY)
    short: dict[int, str]  # unit id -> which capacity ran out


def allocate(state: GameState | StateView, sf: SupplyField) -> Allocation:
    """Serve the side's units from their sources, nearest first (then by id)."""
    rules = state.rules
    sr = rules.supply
    u = state.units
    friends = friends_of(state, sf.faction)
    level = np.full(len(u), NO_SUPPLY, dtype=np.int8)
    ids = np.flatnonzero(u.alive & friends[u.faction])
    hexes = u.row[ids].astype(np.int64) * sf.width + u.col[ids]
    if not state.scenario.has_supply:
        level[ids] = FULL_SUPPLY
        return Allocation(level, {})
    level[ids] = sf.level[hexes]
    need = rules.ut_supply_use[u.type[ids]]
    level[ids[need == 0]] = FULL_SUPPLY  # units that need no supply always have it
    short: dict[int, str] = {}
    for s in sf.sources:
        s.drawn = s.rail_drawn = 0.0
    for k in np.lexsort((ids, sf.cost[hexes])).tolist():
        uid, h = int(ids[k]), int(hexes[k])
        if need[k] == 0 or level[uid] == NO_SUPPLY or u.carrier[uid] >= 0:
            continue
        src = sf.sources[int(sf.source[h])]
        rail = bool(sf.by_rail[h])
        while level[uid] > NO_SUPPLY:
            want = float(need[k]) * (1.0 if level[uid] == FULL_SUPPLY else 0.5)
            rail_left = sr.rail_capacity - src.rail_drawn if rail else INF
            if src.capacity - src.drawn >= want and rail_left >= want:
                src.drawn += want
                src.rail_drawn += want if rail else 0.0
                break
            level[uid] -= 1
            if src.capacity - src.drawn < want:
                short[uid] = f"{src.name} can deliver only {src.capacity:g} supply points a turn"
            else:
                short[uid] = (
                    f"the railway from {src.name} carries only {sr.rail_capacity:g} "
                    "supply points a turn"
                )
    riders = ids[u.carrier[ids] >= 0]  # units aboard a fleet live on its stores
    level[riders] = level[u.carrier[riders]]
    return Allocation(level, short)


def unit_levels(state: GameState | StateView, faction: int) -> np.ndarray:
    """The supply level every unit of `faction`'s side would have now (int8 per unit id)."""
    return allocate(state, supply_field(state, faction)).level


# -- the reference ---------------------------------------------------------------------------


def reference_field(state: GameState, faction: int) -> tuple[list[float], list[int]]:
    """Costs and levels of `supply_field`, worked out one hex at a time in plain Python with a
    heap (the test oracle)."""
    sc = state.scenario
    rules = sc.rules
    sr = rules.supply
    w, h = sc.width, sc.height
    u = state.units
    friends = friends_of(state, faction).tolist()
    hostile = state.hostile_mask(faction).tolist()
    enemy_ground, zoc_from, friendly_ground = set(), set(), set()
    raided = [0.0] * (w * h)
    for i in range(len(u)):
        if not u.alive[i] or u.carrier[i] >= 0:
            continue
        at = int(u.row[i]) * w + int(u.col[i])
        t = int(u.type[i])
        if hostile[int(u.faction[i])]:
            if rules.ut_air[t]:
                raided[at] += float(rules.ut_interdiction[t])
            else:
                enemy_ground.add(at)
                if rules.ut_exerts_zoc[t]:
                    zoc_from.add((int(u.col[i]), int(u.row[i])))
        elif friends[int(u.faction[i])] and not rules.ut_air[t]:
            friendly_ground.add(at)
    zoc = set()
    for col, row in zoc_from:
        zoc.add(row * w + col)
        zoc.update(r * w + c for c, r in hexgrid.neighbours(col, row) if 0 <= c < w and 0 <= r < h)
    blocked = enemy_ground | (zoc - friendly_ground)
    block_mask = np.zeros(w * h, dtype=bool)
    block_mask[list(blocked)] = True
    sources = _sources(state, faction, friends_of(state, faction), block_mask, True)
    owner = state.owner.ravel().tolist()
    rail_bits = sc.rail.ravel().tolist()

    def rail_ok(at: int) -> bool:
        held = owner[at] >= 0 and friends[owner[at]]
        return bool(rail_bits[at]) and held and at not in blocked and raided[at] == 0

    rail = {s.flat for s in sources if s.working and rail_ok(s.flat)}
    todo = list(rail)
    while todo:
        at = todo.pop()
        for d in range(6):
            c, r = hexgrid.neighbour(at % w, at // w, d)
            nxt = r * w + c
            joined = 0 <= c < w and 0 <= r < h and (rail_bits[at] >> d) & 1
            if joined and nxt not in rail and rail_ok(nxt):
                rail.add(nxt)
                todo.append(nxt)
    weather = state.hex_weather().ravel().tolist()
    enter = [
        INF if i in blocked else float(rules.terrain_supply_cost[t])
        for i, t in enumerate(sc.terrain.ravel().tolist())
    ]
    starts = sorted(rail | {s.flat for s in sources if s.working})
    cost = reference_search(
        hexgrid.neighbour_table(w, h).tolist(),
        enter,
        (sc.road | sc.rail).ravel().tolist(),
        sc.river.ravel().tolist(),
        sr.road_cost,
        sr.river_crossing,
        starts,
        sr.reduced_range,
        [float(rules.weather_supply[x]) for x in weather],
        raided,
    )
    level = [levels(np.array([c]), sr.range, sr.reduced_range)[0] for c in cost]
    carriers = []
    for i in range(len(u)):
        on_map = u.alive[i] and u.carrier[i] < 0
        fed = level[int(u.row[i]) * w + int(u.col[i])] > NO_SUPPLY
        fed = fed or rules.ut_supply_use[int(u.type[i])] == 0
        fed = fed or any(
            hexgrid.distance(int(u.col[i]), int(u.row[i]), s.flat % w, s.flat // w)
            <= sr.carrier_reach
            for s in sources
            if s.working and sr.carrier_reach > 0
        )
        if on_map and friends[int(u.faction[i])] and rules.ut_carrier[int(u.type[i])] and fed:
            carriers.append(i)
    flying = {
        int(u.row[i]) * w + int(u.col[i])
        for i in range(len(u))
        if u.alive[i]
        and u.carrier[i] < 0
        and friends[int(u.faction[i])]
        and rules.ut_air[u.type[i]]
    }
    for i in carriers:
        for c, r in hexgrid.spiral(int(u.col[i]), int(u.row[i]), sr.carrier_radius):
            at = r * w + c
            reached = at not in blocked or at in flying
            if 0 <= c < w and 0 <= r < h and level[at] < FULL_SUPPLY and reached:
                level[at] = FULL_SUPPLY
                cost[at] = 0.0
    return cost, [int(x) for x in level]
