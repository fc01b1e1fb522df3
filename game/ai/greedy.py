"""`greedy`: a plain-rules computer player, the strongest there is until the operational AI.

Each turn, in this order:
1. fleets bombard where the preview says the fire does more harm than the flak;
2. units aboard fleets land once their fleet has brought them close to an enemy objective, and
   troops far from every objective board a fleet with room on their hex;
3. every enemy hex next to our ground units is attacked, best odds first, by all the units that
   can reach it, when the preview gives at least ATTACK_ODDS (OBJECTIVE_ODDS against a city
   worth points);
4. units holding a city worth points stay while an enemy is near (one stays in a depot while
   an enemy is anywhere around); every other unit moves towards the enemy city worth most for
   its distance and defence, by movement cost over the whole map, keeping to hexes its supply
   reaches where it can; a fleet carrying troops flies them there.

It reads the read-only view and submits commands; it asks the engine's own questions before
submitting, so it is never refused. It sees what the view shows (fog is for the operational AI to
respect), and uses no dice of its own.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from game import battle, fleets, hexgrid, movement, supply
from game.battle import attack_problem
from game.commands import Attack, Bombard, Command, Embark, EndTurn, Land, Move
from game.engine import Result
from game.fields import StepCosts, cost_field
from game.state import NO_SUPPLY, StateView

Submit = Callable[[Command], Result]
#: Attack when the odds (attack : defence, as the preview reckons them) are at least this.
ATTACK_ODDS = 1.3
#: ... and against a city worth points, at least this.
OBJECTIVE_ODDS = 0.9
#: Troops farther than this many turns' march from every objective board a fleet to be flown.
FLY_BEYOND = 2.0
#: Troops aboard a fleet land once a landing hex is this close to an objective (hexes).
LAND_WITHIN = 2.0
#: A unit in a city worth points stays there while an enemy is this close...
GUARD_RADIUS = 4
#: ... and the first of our units in a city that is a supply source, while one is this close.
DEPOT_RADIUS = 12
#: Bombard when expected defender losses exceed the fleet's expected losses times this.
FLAK_WEIGHT = 1.5
#: A city held by this much defence (steps x defence x terrain x entrenchment) is worth half.
STRENGTH_SCALE = 40.0


class GreedyPlayer:
    """Attacks at good odds, holds its cities, marches on the nearest enemy objective."""

    name = "greedy"

    def __init__(self, faction: int, seed: int) -> None:
        self.faction = faction
        self.seed = seed

    def play_turn(self, view: StateView, submit: Submit) -> None:
        """Issue this turn's commands through `submit`, ending with EndTurn."""
        for step in (self._bombard, self._land, self._attack, self._embark, self._move):
            if view.finished:
                return
            step(view, submit)
        if not view.finished:
            submit(EndTurn())

    def _mine(self, view: StateView) -> list[int]:
        return [int(i) for i in view.faction_units(self.faction)]

    # -- fleets ----------------------------------------------------------------------------------
    def _bombard(self, view: StateView, submit: Submit) -> None:
        for uid in self._mine(view):
            best, target = 0.0, None
            for hex_ in fleets.bombard_targets(view, uid):
                p = fleets.preview_bombard(view, [uid], hex_)
                value = p.defender_losses - FLAK_WEIGHT * p.fleet_losses
                if value > best:
                    best, target = value, hex_
            if target is not None and not view.finished:
                submit(Bombard((uid,), target))

    def _land(self, view: StateView, submit: Submit) -> None:
        width = view.scenario.width
        goals = self._field(view, None, [flat for flat, _ in self._objectives(view)])
        for uid in self._mine(view):
            if view.units.carrier[uid] < 0 or view.finished:
                continue
            spots = fleets.landing_hexes(view, uid)
            if not spots:
                continue
            best = min(spots, key=lambda h: goals[h[1] * width + h[0]])
            # land only once the fleet has brought the unit close to an objective
            if goals[best[1] * width + best[0]] <= LAND_WITHIN:
                submit(Land(uid, best))

    def _embark(self, view: StateView, submit: Submit) -> None:
        """Troops far from any objective board a fleet with room on their hex, to be flown."""
        u = view.units
        objectives = self._objectives(view)
        if not objectives:
            return
        width = view.scenario.width
        for fleet in self._mine(view):
            if view.finished or view.rules.ut_carry[u.type[fleet]] <= 0 or u.carrier[fleet] >= 0:
                continue
            col, row = int(u.col[fleet]), int(u.row[fleet])
            for uid in view.units_at(col, row):
                if u.faction[uid] != self.faction or fleets.embark_problem(view, uid, fleet):
                    continue
                if self._guarding(view, uid):
                    continue
                moves = max(float(view.rules.ut_moves[u.type[uid]]), 1.0)
                nearest = min(
                    int(hexgrid.distance(col, row, flat % width, flat // width))
                    for flat, _ in objectives
                )
                if nearest > FLY_BEYOND * moves:
                    submit(Embark(uid, fleet))

    # -- attacks ---------------------------------------------------------------------------------
    def _attack(self, view: StateView, submit: Submit) -> None:
        sc = view.scenario
        u = view.units
        tried: set[tuple[int, int]] = set()
        while not view.finished:
            options = []
            for uid in self._mine(view):
                if view.rules.ut_air[u.type[uid]] or u.carrier[uid] >= 0 or u.attacked[uid]:
                    continue
                for c, r in hexgrid.neighbours(int(u.col[uid]), int(u.row[uid])):
                    if (c, r) in tried or not (0 <= c < sc.width and 0 <= r < sc.height):
                        continue
                    if not view.defenders_at(c, r, self.faction):
                        continue
                    tried.add((c, r))
                    group = [
                        i
                        for i in self._mine(view)
                        if not view.rules.ut_air[u.type[i]] and not attack_problem(view, i, c, r)
                    ]
                    if group:
                        odds = battle.preview(view, group, (c, r)).odds
                        options.append((odds, (c, r), group))
            good = [o for o in options if o[0] >= self._odds_wanted(view, o[1])]
            if not good:
                return
            _, target, group = max(good, key=lambda o: o[0])
            lead = max(group, key=lambda i: int(u.steps[i]))
            advance = (lead,) if view.rules.ut_captures[u.type[lead]] else ()
            result = submit(Attack(tuple(group), target, advance=advance))
            if result.ok:
                tried.clear()  # the map has changed: every hex is worth a fresh look
                tried.add(target)

    def _odds_wanted(self, view: StateView, target: tuple[int, int]) -> float:
        """The odds worth attacking at: lower for a city worth points."""
        city = view.scenario.city_at.get(target)
        if city is not None and view.scenario.cities[city].vp > 0:
            return OBJECTIVE_ODDS
        return ATTACK_ODDS

    # -- movement --------------------------------------------------------------------------------
    def _move(self, view: StateView, submit: Submit) -> None:
        sc = view.scenario
        u = view.units
        width = sc.width
        objectives = self._objectives(view)
        fields: dict[tuple[int, int], np.ndarray] = {}
        fed = supply.supply_field(view, self.faction).level > NO_SUPPLY
        for uid in self._mine(view):
            if view.finished:
                return
            if not u.alive[uid] or u.carrier[uid] >= 0 or u.moves[uid] <= 0:
                continue
            if self._guarding(view, uid):
                continue
            goal = self._goal_of(view, uid, objectives, fields)
            if goal is None:
                continue
            ctx = movement.context(view, self.faction)
            dest = movement.destinations(ctx, uid)
            start = int(u.row[uid]) * width + int(u.col[uid])
            if not dest:
                continue
            # stay where supply reaches, unless no such step gets any closer
            closer = [h for h in dest if goal[h] < goal[start]]
            supplied = [h for h in closer if fed[h]]
            if not closer:
                continue
            best = min(supplied or closer, key=lambda h: (goal[h], dest[h]))
            if goal[best] < goal[start]:
                submit(Move(uid, (best % width, best // width)))
                if u.alive[uid] and not view.finished:
                    for hex_ in fleets.bombard_targets(view, uid)[:1]:
                        submit(Bombard((uid,), hex_))

    def _objectives(self, view: StateView) -> list[tuple[int, float]]:
        """Enemy cities worth points, (flat hex, value): their points, discounted by how
        strongly they are held."""
        sc = view.scenario
        u, rules = view.units, view.rules
        hostile = view.hostile_mask(self.faction)
        out = []
        for c in sc.cities:
            owner = int(view.owner[c.row, c.col])
            if c.vp <= 0 or owner == self.faction or (owner >= 0 and not hostile[owner]):
                continue
            held = view.defenders_at(c.col, c.row, self.faction)
            terrain = rules.terrain_defence[int(sc.terrain[c.row, c.col])]
            strength = sum(
                float(u.steps[d] * rules.ut_defence[u.type[d]])
                * terrain
                * (1 + rules.combat.entrenchment_bonus * int(u.entrenchment[d]))
                for d in held
            )
            out.append((c.row * sc.width + c.col, c.vp / (1.0 + strength / STRENGTH_SCALE)))
        return out

    def _goal_of(
        self,
        view: StateView,
        uid: int,
        objectives: list[tuple[int, float]],
        fields: dict[tuple[int, int], np.ndarray],
    ) -> np.ndarray | None:
        """Movement cost to where this unit should go, over the whole map: a supply carrier
        with nobody aboard goes to the nearest of our ground units, everyone else to the
        objective worth most for the distance."""
        u, rules = view.units, view.rules
        width = view.scenario.width
        if rules.ut_carrier[u.type[uid]] and not view.aboard(uid):
            if (-1, -1) not in fields:
                ground = [
                    int(u.row[i]) * width + int(u.col[i])
                    for i in self._mine(view)
                    if not rules.ut_air[u.type[i]] and u.carrier[i] < 0
                ]
                fields[(-1, -1)] = self._field(view, None, ground)
            return fields[(-1, -1)]
        if not objectives:
            return None
        col, row = int(u.col[uid]), int(u.row[uid])
        moves = max(float(rules.ut_moves[u.type[uid]]), 1.0)

        def worth(item: tuple[int, float]) -> float:
            flat, value = item
            away = int(hexgrid.distance(col, row, flat % width, flat // width))
            return value / (1.0 + away / moves)

        target = max(objectives, key=worth)[0]
        air = bool(rules.ut_air[u.type[uid]])
        cls = -1 if air else int(rules.ut_move_class[u.type[uid]])
        if (cls, target) not in fields:
            fields[(cls, target)] = self._field(view, None if air else cls, [target])
        return fields[(cls, target)]

    def _guarding(self, view: StateView, uid: int) -> bool:
        """Whether the unit holds a city worth points that an enemy is near (a city that is
        also a supply source is watched from farther), and is the last of ours there or the
        enemy is close."""
        u = view.units
        col, row = int(u.col[uid]), int(u.row[uid])
        city = view.scenario.city_at.get((col, row))
        if city is None or view.scenario.cities[city].vp <= 0 or view.rules.ut_air[u.type[uid]]:
            return False
        depot = view.scenario.cities[city].supply > 0
        enemy = np.flatnonzero(
            u.alive & (u.carrier < 0) & view.hostile_mask(self.faction)[u.faction]
        )
        if not len(enemy):
            return False
        near = int(np.min(hexgrid.distance(u.col[enemy], u.row[enemy], col, row)))
        if near <= GUARD_RADIUS:
            return True
        ours = [i for i in view.units_at(col, row) if not view.rules.ut_air[u.type[i]]]
        return depot and near <= DEPOT_RADIUS and ours[0] == uid

    def _field(self, view: StateView, move_class: int | None, targets: list[int]) -> np.ndarray:
        """Movement cost from every hex to the nearest of the target hexes (flat); with no
        class, one point a hex (fleets)."""
        sc = view.scenario
        nbr = hexgrid.neighbour_table(sc.width, sc.height)
        n = sc.width * sc.height
        if move_class is None:
            enter = np.ones(n)
        else:
            enter = view.rules.move_cost[move_class, sc.terrain.ravel()]
        if not targets:
            return np.zeros(n)
        cost, _ = cost_field(StepCosts(nbr, enter), np.array(targets))
        return cost
