"""The operational player's fleets: what they carry, where they fly, where they fire.

- Troops whose objective lies more than FLY_BEYOND turns' march away board a fleet with room on
  their hex; a fleet with troops aboard flies them towards their objective, and they land once a
  landing hex is within LAND_WITHIN hexes of it.
- An empty supply carrier goes to the troops waiting to be flown (or to the army).
- Other fleets go with the main effort (the objective the most strength marches on).
- No fleet leaves its supply line: a supply carrier keeps within `supply.carrier_reach` of one of
  our depots, other fleets where our supply reaches; a fleet with troops aboard may hover over
  the enemy at the edge of its supply for the turn it takes to land them.
- After moving, a fleet fires on the hex in range where the fire does most harm for its flak.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from game import fleets, hexgrid, movement, supply
from game.ai.picture import Picture, punch
from game.commands import Bombard, Command, Embark, Land, Move
from game.engine import Result
from game.fields import StepCosts, cost_field
from game.state import NO_SUPPLY

Submit = Callable[[Command], Result]
#: Troops farther than this many turns' march from their objective board a fleet to be flown.
FLY_BEYOND = 2.0
#: Troops aboard a fleet land once a landing hex is this close to their objective (hexes).
LAND_WITHIN = 2
#: Bombard when expected defender losses exceed the fleet's expected losses times this.
FLAK_WEIGHT = 1.5


def field_to(pic: Picture, targets: list[int], move_class: int | None = None) -> np.ndarray:
    """Movement cost from every hex to the nearest target hex (flat) for a movement class, with
    roads, river crossings and this turn's weather; with no class, one point a hex (fleets)."""
    view = pic.view
    rules, sc = view.rules, view.scenario
    if not targets:
        return np.full(pic.n, np.inf)
    if move_class is None:
        costs = StepCosts(pic.nbr, np.ones(pic.n))
    else:
        costs = StepCosts(
            pic.nbr,
            rules.move_cost[move_class, sc.terrain.ravel()],
            (sc.road | sc.rail).ravel(),
            float(rules.road_cost_arr[move_class]),
            sc.river.ravel(),
            float(rules.river_cost_arr[move_class]),
            scale=rules.weather_move[view.hex_weather().ravel()],
        )
    cost, _ = cost_field(costs, np.array(targets, dtype=np.int64))
    return cost


def turns_away(pic: Picture, uid: int, flat: int) -> float:
    """Turns of march, as the crow flies, from a unit to a hex."""
    u, rules = pic.view.units, pic.view.rules
    here = pic.hex_of(uid)
    away = hexgrid.distance(
        here % pic.width, here // pic.width, flat % pic.width, flat // pic.width
    )
    return float(away) / max(float(rules.ut_moves[u.type[uid]]), 1.0)


def fire_worth(view: Any, uid: int, target: tuple[int, int]) -> float:
    """What a fleet's bombardment of a hex is worth: the enemy steps it is expected to destroy,
    less FLAK_WEIGHT times the fleet's own expected losses."""
    p = fleets.preview_bombard(view, [uid], target)
    return p.defender_losses - FLAK_WEIGHT * p.fleet_losses


def best_fire(pic: Picture, uid: int) -> tuple[int, int] | None:
    """The hex in range and in sight where the fleet's bombardment does most harm for its
    losses, if any is worth it."""
    best, target = 0.0, None
    for col, row in fleets.bombard_targets(pic.view, uid):
        if not pic.seen[row * pic.width + col]:
            continue
        value = fire_worth(pic.view, uid, (col, row))
        if value > best:
            best, target = value, (col, row)
    return target


def embark(pic: Picture, mine: list[int], aims: dict[int, int], submit: Submit) -> None:
    """Troops far from their objective board a fleet of ours with room on their hex."""
    view = pic.view
    u, rules = view.units, view.rules
    for fleet in mine:
        if view.finished or rules.ut_carry[u.type[fleet]] <= 0 or not u.alive[fleet]:
            continue
        for uid in view.units_at(int(u.col[fleet]), int(u.row[fleet])):
            if int(u.faction[uid]) != pic.faction or uid not in aims:
                continue
            if turns_away(pic, uid, aims[uid]) <= FLY_BEYOND:
                continue
            if not fleets.embark_problem(view, uid, fleet):
                submit(Embark(uid, fleet))


def land(
    pic: Picture, mine: list[int], aims: dict[int, int], submit: Submit, final: bool = False
) -> None:
    """Troops aboard land on the landing hex nearest their objective, once it is within
    LAND_WITHIN hexes of it; after the fleets have flown (`final`), also those whose fleet
    stopped short (the edge of its supply line) and those with no objective."""
    view = pic.view
    u = view.units
    goals: dict[int, np.ndarray] = {}
    for uid in mine:
        if view.finished or u.carrier[uid] < 0:
            continue
        spots = fleets.landing_hexes(view, uid)
        if not spots:
            continue
        aim = aims.get(uid)
        if aim is None:
            if final:  # the safest spot our supply reaches
                safest = min(spots, key=lambda h: _exposure(pic, h[1] * pic.width + h[0]))
                submit(Land(uid, safest))
            continue
        if aim not in goals:
            goals[aim] = field_to(pic, [aim])
        goal = goals[aim]
        best = min(spots, key=lambda h: goal[h[1] * pic.width + h[0]])
        stopped = final and u.moves[int(u.carrier[uid])] > 0
        if goal[best[1] * pic.width + best[0]] <= LAND_WITHIN or stopped:
            submit(Land(uid, best))


def _exposure(pic: Picture, flat: int) -> tuple[bool, float]:
    return (not bool(pic.fed[flat]), float(pic.threat[flat]))


def move_fleets(pic: Picture, mine: list[int], aims: dict[int, int], submit: Submit) -> None:
    """Every fleet with movement left flies towards its goal within its supply line, then
    fires if it is worth it. Supply carriers first: the others' supply follows them."""
    view = pic.view
    u, rules = view.units, view.rules
    air = [i for i in mine if rules.ut_air[u.type[i]] and u.carrier[i] < 0]
    air.sort(key=lambda i: not rules.ut_carrier[u.type[i]])
    main = _main_effort(pic, aims)
    waiting = [
        i for i, aim in aims.items() if u.carrier[i] < 0 and turns_away(pic, i, aim) > FLY_BEYOND
    ]
    for uid in air:
        if view.finished:
            return
        if u.alive[uid] and u.moves[uid] > 0:
            _fly(pic, uid, _fleet_targets(pic, uid, aims, main, waiting), submit)
        if u.alive[uid] and not view.finished and not u.attacked[uid]:
            target = best_fire(pic, uid)
            if target is not None:
                submit(Bombard((uid,), target))


def _main_effort(pic: Picture, aims: dict[int, int]) -> int | None:
    """The objective the most strength marches on."""
    weight: dict[int, float] = {}
    for uid, aim in aims.items():
        weight[aim] = weight.get(aim, 0.0) + punch(pic.view, uid)
    return max(weight, key=lambda a: weight[a]) if weight else None


def _fleet_targets(
    pic: Picture, uid: int, aims: dict[int, int], main: int | None, waiting: list[int]
) -> list[int]:
    """Where a fleet goes: the objective of the troops aboard; for an empty carrier, the troops
    waiting to be flown (else the main effort); for other fleets, the main effort."""
    view = pic.view
    aboard = [i for i in view.aboard(uid) if i in aims]
    if aboard:
        return [aims[aboard[0]]]
    if view.rules.ut_carry[view.units.type[uid]] > 0 and waiting:
        return [pic.hex_of(i) for i in waiting]
    return [] if main is None else [main]


def _fly(pic: Picture, uid: int, targets: list[int], submit: Submit) -> None:
    """Move a fleet one turn towards its targets without leaving its supply line."""
    view = pic.view
    line = supply_line(pic, uid)
    start = pic.hex_of(uid)
    if not line.any():
        return
    goal = field_to(pic, [int(h) for h in np.flatnonzero(line)] if not line[start] else targets)
    if not np.isfinite(goal[start]):
        return
    dest = movement.destinations(movement.context(view, pic.faction), uid)
    closer = [h for h, _ in dest.items() if (line[h] or not line[start]) and goal[h] < goal[start]]
    if closer:
        best = min(closer, key=lambda h: (goal[h], dest[h]))
        submit(Move(uid, (best % pic.width, best // pic.width)))


def supply_line(pic: Picture, uid: int) -> np.ndarray:
    """Where a fleet stays in supply (bool per flat hex): for a supply carrier, within
    `supply.carrier_reach` of one of our working depots; for other fleets, where our supply
    reaches now (the carriers have already moved), or, for a fleet with troops aboard, would
    reach if no enemy stood in the way."""
    view = pic.view
    laden = bool(view.aboard(uid))
    sf = supply.supply_field(view, pic.faction, obey_enemy=not laden)
    line = sf.level > NO_SUPPLY
    if not view.rules.ut_carrier[view.units.type[uid]]:
        return line
    return line | supply.carrier_reach_mask(sf, view.rules.supply.carrier_reach)
