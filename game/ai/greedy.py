"""`greedy`: a plain-rules computer player, the strongest there is until the operational AI.

Each turn, in this order:
1. fleets bombard where the preview says the fire does more harm than the flak;
2. units aboard fleets land once their fleet has brought them close to an enemy objective, and
   troops far from every objective board a fleet with room on their hex;
3. every enemy hex next to our ground units is attacked, best odds first, by all the units that
   can reach it, when the preview gives at least ATTACK_ODDS (OBJECTIVE_ODDS against a city
   worth points);
4. units holding a city worth points stay while an enemy is next to it; otherwise only the
   first of them stays while an enemy is near (within GUARD_RADIUS, or DEPOT_RADIUS for a city
   that is a supply source), and an empty depot with an enemy near becomes an objective of its
   own. Every other unit moves, by movement cost over the whole map, towards the focus of our
   effort: the enemy city our ground units value most together (each values a city by its
   points, discounted by its defence, over the turns of march to it), unless another is worth
   more than 1 / FOCUS_SHARE times as much to the unit. Ground units keep to hexes their supply
   reaches where they can; fleets never leave it (only a fleet with troops aboard goes over the
   enemy at its edge). A fleet carrying troops flies them to a city within its supply line
   (`supply.carrier_reach` of one of our depots) when there is one; an empty supply carrier
   goes to the troops that are far from every objective, to fly them;
5. fleets that have just flown troops in land them, and marines attack from the landing (3 again).

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
#: A ground unit marches on the focus of our effort unless another objective is worth more
#: than 1 / FOCUS_SHARE times as much to it.
FOCUS_SHARE = 0.5
#: Bombard when expected defender losses exceed the fleet's expected losses times this.
FLAK_WEIGHT = 1.5
#: A city held by this much defence (steps x defence x terrain x entrenchment) is worth half.
STRENGTH_SCALE = 40.0


def march_worth(value: float, away, moves):
    """What an objective worth `value` is worth to a unit `away` hexes from it that moves
    `moves` hexes a turn: its value over the turns of march, plus one (arrays work too)."""
    return value / (1.0 + away / moves)


class GreedyPlayer:
    """Attacks at good odds, holds its cities, marches on the nearest enemy objective."""

    name = "greedy"

    def __init__(self, faction: int, seed: int) -> None:
        self.faction = faction
        self.seed = seed

    def play_turn(self, view: StateView, submit: Submit) -> None:
        """Issue this turn's commands through `submit`, ending with EndTurn."""
        steps = (self._bombard, self._land, self._attack, self._embark, self._move)
        # fleets that flew troops in land them and marines attack straight from the landing
        for step in (*steps, self._land, self._attack):
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
        for fleet in self._mine(view):
            if view.finished or view.rules.ut_carry[u.type[fleet]] <= 0 or u.carrier[fleet] >= 0:
                continue
            col, row = int(u.col[fleet]), int(u.row[fleet])
            for uid in view.units_at(col, row):
                if u.faction[uid] != self.faction or fleets.embark_problem(view, uid, fleet):
                    continue
                if self._far_from_objectives(view, uid, objectives):
                    submit(Embark(uid, fleet))

    def _far_from_objectives(
        self, view: StateView, uid: int, objectives: list[tuple[int, float]]
    ) -> bool:
        """Whether a ground unit, not guarding a city, is more than FLY_BEYOND turns' march
        (as the crow flies) from every objective: worth flying."""
        if not objectives or self._guarding(view, uid):
            return False
        u = view.units
        width = view.scenario.width
        moves = max(float(view.rules.ut_moves[u.type[uid]]), 1.0)
        col, row = int(u.col[uid]), int(u.row[uid])
        nearest = min(
            int(hexgrid.distance(col, row, flat % width, flat // width)) for flat, _ in objectives
        )
        return nearest > FLY_BEYOND * moves

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
    def _move(self, view: StateView, submit: Submit, air_only: bool = False) -> None:
        sc = view.scenario
        u, rules = view.units, view.rules
        width = sc.width
        objectives = self._objectives(view)
        focus = self._focus(view, objectives)
        fields: dict[tuple[int, int], np.ndarray] = {}
        mine = self._mine(view)
        air = [i for i in mine if rules.ut_air[u.type[i]]]
        # the army first, then the carriers, then the fleets that keep near the carriers
        order = [i for i in mine if i not in air and not air_only] + sorted(
            air, key=lambda i: not rules.ut_carrier[u.type[i]]
        )
        fed = supply.supply_field(view, self.faction).level > NO_SUPPLY
        for uid in order:
            if view.finished:
                return
            if not u.alive[uid] or u.carrier[uid] >= 0 or u.moves[uid] <= 0:
                continue
            if self._guarding(view, uid):
                continue
            goal = self._goal_of(view, uid, objectives, focus, fields)
            if goal is None:
                continue
            ctx = movement.context(view, self.faction)
            dest = movement.destinations(ctx, uid)
            start = int(u.row[uid]) * width + int(u.col[uid])
            if not dest:
                continue
            if rules.ut_air[u.type[uid]]:
                # a fleet never leaves its supply line: out of it, it starves and falls apart
                line = self._air_line(view, uid)
                if not line.any():
                    continue
                if not line[start]:
                    goal = self._field(view, None, [int(h) for h in np.flatnonzero(line)])
                dest = {h: cost for h, cost in dest.items() if line[h] or not line[start]}
                closer = [h for h in dest if goal[h] < goal[start]]
            else:
                # stay where supply reaches, unless no such step gets any closer
                closer = [h for h in dest if goal[h] < goal[start]]
                closer = [h for h in closer if fed[h]] or closer
            if not closer:
                continue
            best = min(closer, key=lambda h: (goal[h], dest[h]))
            submit(Move(uid, (best % width, best // width)))
            if u.alive[uid] and not view.finished:
                for hex_ in fleets.bombard_targets(view, uid)[:1]:
                    submit(Bombard((uid,), hex_))

    def _air_line(self, view: StateView, uid: int) -> np.ndarray:
        """Where a fleet stays in supply (bool per flat hex): for a supply carrier, within
        `supply.carrier_reach` of one of our working depots; for other fleets, where our supply
        reaches now (the carriers have already moved), or, for a fleet with troops aboard,
        would reach if no enemy stood in the way: it may hover over the enemy at the edge of
        its supply for the turn it takes to land them."""
        laden = bool(view.aboard(uid))
        sf = supply.supply_field(view, self.faction, obey_enemy=not laden)
        line = sf.level > NO_SUPPLY
        if not view.rules.ut_carrier[view.units.type[uid]]:
            return line
        return line | supply.carrier_reach_mask(sf, view.rules.supply.carrier_reach)

    def _objectives(self, view: StateView) -> list[tuple[int, float]]:
        """Enemy cities worth points, (flat hex, value): their points, discounted by how
        strongly they are held; and our own depots that need a defender, at their points."""
        sc = view.scenario
        u, rules = view.units, view.rules
        hostile = view.hostile_mask(self.faction)
        out = []
        for c in sc.cities:
            owner = int(view.owner[c.row, c.col])
            if owner == self.faction and self._unguarded_depot(view, c.col, c.row):
                out.append((c.row * sc.width + c.col, float(c.vp)))  # go and hold it
                continue
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
        focus: tuple[int, float] | None,
        fields: dict[tuple[int, int], np.ndarray],
    ) -> np.ndarray | None:
        """Movement cost to where this unit should go, over the whole map: a supply carrier
        with nobody aboard goes to the nearest of our ground units; other fleets go to the
        focus of our effort; ground units too, unless an objective is worth more than
        1 / FOCUS_SHARE times as much to them for the distance, or one of our depots needs them."""
        u, rules = view.units, view.rules
        width = view.scenario.width
        if rules.ut_carrier[u.type[uid]] and not view.aboard(uid):
            if (-1, -1) not in fields:
                ground = [
                    i for i in self._mine(view) if not rules.ut_air[u.type[i]] and u.carrier[i] < 0
                ]
                far = [i for i in ground if self._far_from_objectives(view, i, objectives)]
                fields[(-1, -1)] = self._field(
                    view, None, [int(u.row[i]) * width + int(u.col[i]) for i in far or ground]
                )
            return fields[(-1, -1)]
        if not objectives:
            return None
        col, row = int(u.col[uid]), int(u.row[uid])
        moves = max(float(rules.ut_moves[u.type[uid]]), 1.0)

        def worth(item: tuple[int, float]) -> float:
            flat, value = item
            return march_worth(
                value, hexgrid.distance(col, row, flat % width, flat // width), moves
            )

        air = bool(rules.ut_air[u.type[uid]])
        if rules.ut_carry[u.type[uid]] > 0 and view.aboard(uid):
            objectives = self._within_reach(view, objectives)
        best = max(objectives, key=worth)
        target = best[0]
        ours = int(view.owner.flat[target]) == self.faction
        concentrate = air or (focus is not None and worth(focus) >= FOCUS_SHARE * worth(best))
        if focus is not None and focus in objectives and not ours and concentrate:
            target = focus[0]
        cls = -1 if air else int(rules.ut_move_class[u.type[uid]])
        if (cls, target) not in fields:
            fields[(cls, target)] = self._field(view, None if air else cls, [target])
        return fields[(cls, target)]

    def _focus(
        self, view: StateView, objectives: list[tuple[int, float]]
    ) -> tuple[int, float] | None:
        """The enemy objective our ground units value most together (each values it at its
        worth for the distance in turns of march): where the army concentrates."""
        u, rules = view.units, view.rules
        width = view.scenario.width
        enemy = [o for o in objectives if int(view.owner.flat[o[0]]) != self.faction]
        ground = [i for i in self._mine(view) if not rules.ut_air[u.type[i]]]
        if not enemy or not ground:
            return None
        # a unit aboard a fleet is where the fleet is
        at = np.array([int(u.carrier[i]) if u.carrier[i] >= 0 else i for i in ground])
        moves = np.maximum(rules.ut_moves[u.type[ground]].astype(float), 1.0)

        def pull(item: tuple[int, float]) -> float:
            flat, value = item
            away = hexgrid.distance(u.col[at], u.row[at], flat % width, flat // width)
            return float(np.sum(march_worth(value, np.asarray(away), moves)))

        return max(enemy, key=pull)

    def _unguarded_depot(self, view: StateView, col: int, row: int) -> bool:
        """Whether the city at (col, row), ours, worth points and a supply source, has none of
        our ground units in it while an enemy is within DEPOT_RADIUS: one enemy next to it
        would cut the supply of everyone it feeds."""
        city = view.scenario.cities[view.scenario.city_at[(col, row)]]
        if city.vp <= 0 or city.supply <= 0:
            return False
        u = view.units
        if any(not view.rules.ut_air[u.type[i]] for i in view.units_at(col, row)):
            return False
        return self._nearest_enemy(view, col, row) <= DEPOT_RADIUS

    def _within_reach(
        self, view: StateView, objectives: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """The objectives a fleet can carry troops to without leaving its supply line: within
        `supply.carrier_reach` of one of our depots (all of them if the rule is off or none is)."""
        sf = supply.supply_field(view, self.faction)
        near_depot = supply.carrier_reach_mask(sf, view.rules.supply.carrier_reach)
        near = [(flat, value) for flat, value in objectives if near_depot[flat]]
        return near or objectives

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
        near = self._nearest_enemy(view, col, row)
        if near <= 1:
            return True  # an enemy next door: everyone holds
        ours = [i for i in view.units_at(col, row) if not view.rules.ut_air[u.type[i]]]
        reach = DEPOT_RADIUS if depot else GUARD_RADIUS
        return near <= reach and ours[0] == uid  # otherwise one holds, the rest march on

    def _nearest_enemy(self, view: StateView, col: int, row: int) -> float:
        """Hexes from (col, row) to the nearest enemy on the map (infinite if there is none)."""
        u = view.units
        enemy = np.flatnonzero(
            u.alive & (u.carrier < 0) & view.hostile_mask(self.faction)[u.faction]
        )
        if not len(enemy):
            return float("inf")
        return float(np.min(hexgrid.distance(u.col[enemy], u.row[enemy], col, row)))

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
