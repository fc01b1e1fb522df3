"""The operational computer player, at three levels of skill (easy, normal, hard).

Each turn, in this order:
1. it looks (`Picture`): the enemy it sees or saw lately, the strength the enemy could bring
   against every hex next turn, its own supply, what every objective is worth;
2. troops its fleets flew in land;
3. assaults (`assault.plan`): every visible enemy hex is weighed with the group that could strike
   it from several sides this turn, all in one batched preview; the best is carried out (fleets
   bombard it first, the units move into place, they attack together, the strongest that may
   advance takes the hex), and it plans again, until nothing is worth its losses;
4. troops far from every objective board fleets;
5. the army moves (`_move_ground`):
   - garrisons: every city worth points that the enemy could strike next turn is held by enough
     defence to face it (the nearest units that can get there go in);
   - reserves: a share of the mobile units waits behind the front, out of the enemy's reach;
   - raiders: mobile units ride onto the hexes the enemy's supply runs through;
   - the rest march on the focus of the effort (offensive posture) or form a line before the
     cities the enemy threatens (defensive), or hold where they stand (suspended offensive),
     choosing among the hexes they can reach by progress, defensible ground near the enemy,
     supply, and how exposed they would be there;
6. fleets move (holding supply lines, carrying troops), land them, and the units that can still
   fight strike again from where they stand.

It asks the engine's own questions before submitting, so it is never refused.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from game import fleets, hexgrid, movement, supply
from game.ai import air, assault, objectives
from game.ai.air import Submit
from game.ai.assault import Assault
from game.ai.picture import Picture, punch
from game.ai.skill import SKILLS, Skill
from game.battle import attack_problem
from game.commands import Attack, Bombard, EndTurn, Move, RailMove
from game.scenario import POSTURES
from game.state import StateView

#: Garrisons want their defence to be at least the enemy's threat over this.
HOLD_ODDS = 1.5
#: A city of ours worth points keeps a garrison while a known enemy is this many turns of
#: march away...
WATCH_TURNS = 2
#: ... or land the enemy holds is this many hexes away; such quiet cities take at most one in
#: this many of the units that can move.
FRONT_WATCH = 4
WATCH_SHARE = 4
#: A side pressed for time holds only cities worth at least this much (and those that would
#: hand the enemy the game): the army is needed for the objectives that decide it.
MIN_HOLD_WORTH = 3.0
#: A raider takes a hex on the enemy's supply lines worth at least this many enemy steps cut.
RAID_WORTH = 3.0
#: Hexes walked back along one unit's supply path, at most.
MAX_WALK = 200
#: Ending a move where our supply does not reach costs this many turns of progress.
UNFED = 0.5
#: Fleets fire on a hex to prepare an assault that has at least this share of the odds wanted.
PREPARE_SHARE = 0.4
#: On the defensive or with the offensive suspended, the odds wanted and the care for losses
#: are this many times higher.
DEFENSIVE_ODDS = 1.5
#: Assaults planned and carried out in one turn, at most.
MAX_ASSAULTS = 40

OFFENSIVE, DEFENSIVE, SUSPENDED = POSTURES


class OperationalPlayer:
    """Plans as a commander: assaults at good odds from several sides, garrisons, reserves,
    raids on supply, a line on defence, fleets with the main effort."""

    def __init__(self, faction: int, seed: int, skill: Skill) -> None:
        self.faction = faction
        self.seed = seed
        self.skill = skill
        self.name = skill.name
        self.rng = np.random.default_rng([seed, faction, 0])  # its own, made afresh each turn
        self.aims: dict[int, int] = {}  # unit -> the enemy city it marches on this turn

    def play_turn(self, view: StateView, submit: Submit) -> None:
        """Issue this turn's commands through `submit`, ending with EndTurn."""
        self.rng = np.random.default_rng([self.seed, self.faction, view.turn])
        pic = Picture(view, self.faction)
        self.aims = self._aims(pic)
        steps = (
            lambda: air.land(pic, self._mine(view), self.aims, submit),
            lambda: self._assaults(pic, submit, manoeuvre=self.skill.manoeuvre),
            lambda: self._move_ground(pic, submit),
            lambda: air.move_fleets(pic, self._mine(view), self.aims, submit),
            lambda: air.land(pic, self._mine(view), self.aims, submit, final=True),
            lambda: self._assaults(pic, submit, manoeuvre=False),
        )
        for step in steps:
            if view.finished:
                return
            step()
        if not view.finished:
            submit(EndTurn())

    def _mine(self, view: StateView) -> list[int]:
        return [int(i) for i in view.faction_units(self.faction)]

    def _aims(self, pic: Picture) -> dict[int, int]:
        """On the offensive, the enemy city each ground unit marches on (those aboard fleets
        too); nothing otherwise."""
        view = pic.view
        if self.posture(view) != OFFENSIVE:
            return {}
        u, rules = view.units, view.rules
        army = [i for i in self._mine(view) if rules.ut_captures[u.type[i]]]
        return self._allocate(pic, army)

    def _allocate(self, pic: Picture, army: list[int]) -> dict[int, int]:
        """The enemy city each unit marches on: by the force each needs (a commander), or each
        unit for itself."""
        if self.skill.commander:
            return objectives.allocate(pic, army)
        return objectives.each_for_itself(pic, army)

    def posture(self, view: StateView) -> str:
        """The faction's posture now: offensive, defensive or suspended (offensive), as the
        scenario set it and events changed it."""
        return POSTURES[int(view.posture[self.faction])]

    # -- assaults ----------------------------------------------------------------------------------
    def _assaults(self, pic: Picture, submit: Submit, manoeuvre: bool) -> None:
        view = pic.view
        u, rules = view.units, view.rules
        pic.refresh()  # landings and moves since the last look may have shown new enemies
        posture = self.posture(view)
        for _ in range(MAX_ASSAULTS):
            if view.finished:
                return
            units = [
                i
                for i in self._mine(view)
                if not rules.ut_air[u.type[i]]
                and u.carrier[i] < 0
                and not u.attacked[i]
                and (not u.landed[i] or rules.ut_amphibious[u.type[i]])
                and rules.ut_soft[u.type[i]] + rules.ut_hard[u.type[i]] > 0
            ]
            if not units:
                return
            ctx = movement.context(view, self.faction)
            reach = assault.reach_of(ctx, units, manoeuvre and posture == OFFENSIVE)
            stay = {i for i in units if self._holding(pic, i)}
            plans = assault.plan(pic, ctx, units, reach, stay, self._skill_for(posture))
            good = [p for p in plans if p.worth_it]
            if not good and self.skill.bombard_first and self._prepare(pic, plans, submit):
                pic.refresh()
                continue  # the fire changed the odds: plan again
            if not good:
                return
            self._carry_out(pic, good[0], submit, stay)
            pic.refresh()

    def _skill_for(self, posture: str) -> Skill:
        """On defence or with the offensive suspended, only strike at better odds."""
        if posture == OFFENSIVE:
            return self.skill
        s = self.skill
        return replace(
            s,
            attack_odds=s.attack_odds * DEFENSIVE_ODDS,
            objective_odds=s.objective_odds * DEFENSIVE_ODDS,
            caution=s.caution * DEFENSIVE_ODDS,
        )

    def _carry_out(self, pic: Picture, plan: Assault, submit: Submit, stay: set[int]) -> None:
        view = pic.view
        u, rules = view.units, view.rules
        width = pic.width
        col, row = plan.target
        short = plan.preview is not None and plan.preview.odds < assault.ENOUGH_ODDS
        if self.skill.bombard_first and short:
            self._bombard_hex(view, plan.target, submit)
            if not view.defenders_at(col, row, self.faction):
                return  # the fire drove them off: the hex is empty
        for uid, flat in plan.moves.items():
            if view.finished:
                return
            submit(Move(uid, (flat % width, flat // width)))
        group = [i for i in plan.attackers if u.alive[i] and not attack_problem(view, i, col, row)]
        if not group or view.finished or not view.defenders_at(col, row, self.faction):
            return
        movers = [i for i in group if rules.ut_captures[u.type[i]] and i not in stay]
        # the fastest that may exploit goes in first, so it can ride on
        lead = max(
            movers,
            key=lambda i: (bool(rules.ut_exploit[u.type[i]]), int(u.steps[i])),
            default=None,
        )
        submit(Attack(tuple(group), plan.target, advance=() if lead is None else (lead,)))

    def _holding(self, pic: Picture, uid: int) -> bool:
        """Whether the unit holds a city of ours worth points that the enemy could strike next
        turn: it fights from there but does not leave it."""
        flat = pic.hex_of(uid)
        return bool(pic.worth[flat] > 0 and pic.threat[flat] > 0)

    def _prepare(self, pic: Picture, plans: list[Assault], submit: Submit) -> bool:
        """Preparation fire: fleets bombard the most valuable hex that an assault could not yet
        take at the odds wanted but could after some losses (at least PREPARE_SHARE of them).
        Whether any fleet fired."""
        width = pic.width
        near = [
            p for p in plans if p.preview is not None and p.preview.odds >= PREPARE_SHARE * p.wanted
        ]
        near.sort(key=lambda p: -pic.worth[p.target[1] * width + p.target[0]] - p.score)
        return any(self._bombard_hex(pic.view, p.target, submit) for p in near)

    def _bombard_hex(self, view: StateView, target: tuple[int, int], submit: Submit) -> bool:
        """Fleets in range fire on a hex about to be assaulted, when it does more harm than the
        flak does to them."""
        fired = False
        for uid in self._mine(view):
            if view.finished or not view.rules.ut_bombard_range[view.units.type[uid]]:
                continue
            if fleets.bombard_problem(view, uid, *target):
                continue
            if air.fire_worth(view, uid, target) > 0:
                fired |= bool(submit(Bombard((uid,), target)))
        return fired

    # -- the army's moves --------------------------------------------------------------------------
    def _move_ground(self, pic: Picture, submit: Submit) -> None:
        view = pic.view
        u, rules = view.units, view.rules
        width = pic.width
        pic.refresh()
        ground = [
            i
            for i in self._mine(view)
            if not rules.ut_air[u.type[i]] and u.carrier[i] < 0 and u.moves[i] > 0
        ]
        if not ground:
            return
        ctx = movement.context(view, self.faction)
        reach = assault.reach_of(ctx, ground, True)
        count = ctx.ground_count.astype(np.int64).copy()
        defence = self._defence_map(pic)
        holds = self._garrisons(pic, ground, reach, count.copy(), defence.copy())
        boarding = {i: a for i, a in self.aims.items() if i not in holds}
        air.embark(pic, self._mine(view), boarding, submit)
        ground = [i for i in ground if u.carrier[i] < 0]
        ground = [i for i in ground if i in holds] + [i for i in ground if i not in holds]
        posture = self.posture(view)
        if posture == OFFENSIVE:
            army = [i for i in self._mine(view) if rules.ut_captures[u.type[i]] and i not in holds]
            self.aims = self._allocate(pic, army)
        aims = self.aims
        fields: dict[tuple[int, int], np.ndarray] = {}
        reserve = self._reserves(pic, ground, holds)
        cut = self._cut_value(pic) if self.skill.raid and posture == OFFENSIVE else None
        queue, waited = list(ground), set()
        while queue:
            uid = queue.pop(0)
            if view.finished:
                return
            start = pic.hex_of(uid)
            if uid in holds and holds[uid] != start and count[holds[uid]] >= rules.stack_ground:
                if uid not in waited:  # the garrison it joins has someone leaving
                    waited.add(uid)
                    queue.append(uid)
                    continue
                del holds[uid]  # no one left after all: it moves like the others
            if uid in holds:
                dest = holds[uid]
            else:
                goal = self._ground_goal(pic, uid, aims.get(uid), fields, posture)
                if goal is None:
                    continue
                dest = self._best_hex(
                    pic, uid, reach[uid], goal, count, defence, cut, uid in reserve
                )
                rail = self._rail_leap(pic, uid, goal, dest, count)
                if rail is not None:
                    self._shift(pic, uid, start, rail, count, defence)
                    submit(RailMove(uid, (rail % width, rail // width)))
                    continue
            if dest == start:
                continue
            self._shift(pic, uid, start, dest, count, defence)
            result = submit(Move(uid, (dest % width, dest // width)))
            if any(r.kind == "war" for r in result.reports):
                # a faction entered the war: new zones of control, new ways barred
                ctx = movement.context(view, self.faction)
                waiting = [i for i in queue if u.alive[i] and u.moves[i] > 0]
                reach.update(assault.reach_of(ctx, waiting, True))
                count = ctx.ground_count.astype(np.int64).copy()

    def _shift(
        self,
        pic: Picture,
        uid: int,
        start: int,
        dest: int,
        count: np.ndarray,
        defence: np.ndarray,
    ) -> None:
        """Book a unit's move from `start` to `dest` in the stacking counts and the defence
        map the later units plan with."""
        count[start] -= 1
        count[dest] += 1
        defence[start] -= self._unit_defence(pic, uid, start)
        defence[dest] += self._unit_defence(pic, uid, dest)

    def _unit_defence(self, pic: Picture, uid: int, flat: int) -> float:
        """What the unit would add to the defence of a hex."""
        u, rules = pic.view.units, pic.view.rules
        terrain = rules.terrain_defence[int(pic.view.scenario.terrain.flat[flat])]
        return float(u.steps[uid] * rules.ut_defence[u.type[uid]] * terrain)

    def _defence_map(self, pic: Picture) -> np.ndarray:
        """Our ground units' defence on every hex, with the terrain."""
        view = pic.view
        u, rules = view.units, view.rules
        out = np.zeros(pic.n)
        for uid in self._mine(view):
            if not rules.ut_air[u.type[uid]] and u.carrier[uid] < 0:
                out[pic.hex_of(uid)] += self._unit_defence(pic, uid, pic.hex_of(uid))
        return out

    def _garrisons(
        self,
        pic: Picture,
        ground: list[int],
        reach: dict[int, dict[int, float]],
        count: np.ndarray,
        defence: np.ndarray,
    ) -> dict[int, int]:
        """unit -> the city it holds. Every city of ours worth points that the enemy could
        strike next turn is held by enough defence to face the threat (the weakest in attack of
        those in it stay, then the nearest that can get there go in); a city that would give the
        enemy the game keeps one unit whatever happens, and so does a supply city of ours that
        has one in it (it feeds the army); a quiet city within WATCH_TURNS of a
        known enemy or FRONT_WATCH hexes of his land keeps one, while units to spare last (one
        in WATCH_SHARE of those that can move), the weakest first. A side pressed for time
        (`Picture.urgency`) holds no town worth less than MIN_HOLD_WORTH against a threat."""
        view = pic.view
        sc = view.scenario
        stack = view.rules.stack_ground
        owner = view.owner.ravel()
        holds: dict[int, int] = {}
        if not self.skill.commander:
            return self._next_door_holds(pic, ground)
        cities = [
            c.row * pic.width + c.col
            for c in sc.cities
            if pic.worth[c.row * pic.width + c.col] > 0
            and owner[c.row * pic.width + c.col] == self.faction
        ]
        watch = self._watch(pic)
        depots = {c.row * pic.width + c.col for c in sc.cities if c.supply > 0}
        # cities that would hand the enemy the game at once if he took them
        critical = {
            sc.cities[c].row * pic.width + sc.cities[c].col
            for cond in sc.sudden_death
            if cond.side != view.side_of(self.faction)
            for c in cond.cities
        }
        cities.sort(key=lambda h: -pic.worth[h] * (pic.threat[h] + 1))
        free = list(ground)
        spare = max(1, len(ground) // WATCH_SHARE)  # units that may watch a quiet city
        for flat in cities:
            threat = pic.threat[flat]
            quiet = threat <= 0 and flat not in critical
            depot = flat in depots
            if quiet and not depot and (not watch[flat] or spare <= 0):
                continue
            small = pic.worth[flat] < MIN_HOLD_WORTH and flat not in critical | depots
            if pic.urgency > 0 and small:
                continue  # pressed for time: small towns are not worth an army's units
            need = max(threat / HOLD_ODDS, 1e-9)
            inside = [i for i in free if pic.hex_of(i) == flat]
            # those who cannot move hold it anyway
            held = defence[flat] - sum(self._unit_defence(pic, i, flat) for i in inside)
            # the weakest in attack hold, the strongest go on
            for uid in sorted(inside, key=lambda i: punch(pic.view, i)):
                if held >= need:
                    break
                holds[uid] = flat
                free.remove(uid)
                held += self._unit_defence(pic, uid, flat)
                spare -= quiet
            if quiet and depot and not (watch[flat] and spare > 0):
                continue  # a quiet depot keeps whoever is in it, and calls no one in
            while held < need and count[flat] < stack:
                near = [i for i in free if flat in reach[i]]
                if not near:
                    break
                # a quiet city gets the weakest that can get there, a threatened the nearest
                uid = min(near, key=lambda i: punch(pic.view, i) if quiet else reach[i][flat])
                free.remove(uid)
                holds[uid] = flat
                count[pic.hex_of(uid)] -= 1
                count[flat] += 1
                held += self._unit_defence(pic, uid, flat)
                spare -= quiet
        return holds

    def _next_door_holds(self, pic: Picture, ground: list[int]) -> dict[int, int]:
        """Without a plan: the units in a city of ours worth points stay while a known enemy
        stands next to it."""
        k = pic.known.flat
        near = np.zeros(pic.n, dtype=bool)
        near[pic.nbr[k].ravel()[pic.nbr[k].ravel() >= 0]] = True
        owner = pic.view.owner.ravel()
        return {
            i: pic.hex_of(i)
            for i in ground
            if pic.worth[pic.hex_of(i)] > 0
            and owner[pic.hex_of(i)] == self.faction
            and near[pic.hex_of(i)]
        }

    def _watch(self, pic: Picture) -> np.ndarray:
        """Hexes a known enemy could reach within WATCH_TURNS turns (one point a hex), and
        those within FRONT_WATCH hexes of land the enemy holds (where an enemy unseen may be)."""
        owner = pic.view.owner.ravel()
        enemy_land = (owner >= 0) & pic.hostile[np.maximum(owner, 0)]
        near = pic.within_reach(WATCH_TURNS, np.ones(len(pic.known.flat))) > 0
        return hexgrid.grow(pic.nbr, enemy_land, FRONT_WATCH) | near

    def _reserves(self, pic: Picture, ground: list[int], holds: dict[int, int]) -> set[int]:
        """The mobile units kept back this turn, out of the enemy's reach: the share the skill
        keeps, those farthest from the enemy first."""
        view = pic.view
        u, rules = view.units, view.rules
        mobile = [i for i in ground if rules.ut_exploit[u.type[i]] and i not in holds]
        keep = int(round(self.skill.reserve_share * len(mobile)))
        k = pic.known.flat
        if not keep or not len(k):
            return set()

        def away(i: int) -> int:
            col, row = int(u.col[i]), int(u.row[i])
            return int(np.min(hexgrid.distance(k % pic.width, k // pic.width, col, row)))

        return set(sorted(mobile, key=away, reverse=True)[:keep])

    def _cut_value(self, pic: Picture) -> np.ndarray:
        """Enemy steps in sight whose supply runs through each hex, along the enemy's supply
        paths as this side can work them out (from what it sees): one field per enemy side,
        each unit walked back along its own side's."""
        view = pic.fogged()
        u = pic.view.units
        cut = np.zeros(pic.n)
        ground = ~pic.view.rules.ut_air[u.type]
        enemy = np.flatnonzero(u.alive & (u.carrier < 0) & ground & pic.hostile[u.faction])
        seen = [int(i) for i in enemy if pic.seen[pic.hex_of(int(i))]]
        by_side: dict[str, list[int]] = {}
        for uid in seen:
            by_side.setdefault(view.side_of(int(u.faction[uid])), []).append(uid)
        for uids in by_side.values():
            sf = supply.supply_field(view, int(u.faction[uids[0]]))  # type: ignore[arg-type]
            for uid in uids:
                flat, steps = pic.hex_of(uid), float(u.steps[uid])
                h = int(sf.parent[flat])
                for _ in range(MAX_WALK):
                    if h < 0:
                        break
                    cut[h] += steps
                    nxt = int(sf.parent[h])
                    h = nxt if nxt >= 0 else (int(sf.rail_parent[h]) if sf.rail[h] else -1)
        return cut

    def _ground_goal(
        self,
        pic: Picture,
        uid: int,
        aim: int | None,
        fields: dict[tuple[int, int], np.ndarray],
        posture: str,
    ) -> np.ndarray | None:
        """Movement cost from every hex to where the unit should go: for a raider at sea (a
        submarine), the enemy's convoy routes; on the offensive, the enemy city it was given
        (`objectives.allocate`); else the line."""
        view = pic.view
        u, rules = view.units, view.rules
        cls = int(rules.ut_move_class[u.type[uid]])
        routes = self._convoy_routes(pic) if self._raider_at_sea(pic, uid) else []
        if routes:
            key = (cls, -2)
            targets = routes
        elif posture == OFFENSIVE:
            if aim is None:
                return None
            key = (cls, aim)
            targets = [aim]
        else:
            key = (cls, -1)
            targets = self._line_hexes(pic, posture)
        if key not in fields:
            fields[key] = air.field_to(pic, targets, cls)
        return fields[key]

    def _raider_at_sea(self, pic: Picture, uid: int) -> bool:
        """A unit that cuts convoys and cannot take ground: a submarine."""
        u, rules = pic.view.units, pic.view.rules
        t = u.type[uid]
        return bool(
            rules.ut_interdiction[t] > 0 and not rules.ut_captures[t] and not rules.ut_air[t]
        )

    def _convoy_routes(self, pic: Picture) -> list[int]:
        """The hexes of the enemy's convoy routes (flat)."""
        sc = pic.view.scenario
        return [
            r * pic.width + c
            for convoy in sc.convoys
            if pic.hostile[convoy.faction]
            for c, r in convoy.route
        ]

    def _line_hexes(self, pic: Picture, posture: str) -> list[int]:
        """Where a defending army stands: next to our cities the enemy threatens (all our cities
        worth points when none is), or, with the offensive suspended, where our front is."""
        view = pic.view
        owner = view.owner.ravel()
        mine = [h for h in np.flatnonzero((pic.worth > 0) & (owner == self.faction)).tolist()]
        threatened = [h for h in mine if pic.threat[h] > 0] or mine
        out = set(threatened)
        if not out:  # no city worth points to stand before: hold where we are
            posture = SUSPENDED
        for h in threatened:
            out.update(int(x) for x in pic.nbr[h] if x >= 0)
        if posture == SUSPENDED:
            u = view.units
            for i in self._mine(view):
                if not view.rules.ut_air[u.type[i]] and u.carrier[i] < 0:
                    out.add(pic.hex_of(i))
        return sorted(out)

    def _best_hex(
        self,
        pic: Picture,
        uid: int,
        reach: dict[int, float],
        goal: np.ndarray,
        count: np.ndarray,
        defence: np.ndarray,
        cut: np.ndarray | None,
        reserve: bool = False,
    ) -> int:
        """The hex the unit ends its move on, among those it can reach: progress towards its
        goal in turns of march, defensible ground near the enemy, supply, exposure, raids. A
        unit in reserve keeps out of the enemy's reach."""
        view = pic.view
        u, rules = view.units, view.rules
        start = pic.hex_of(uid)
        hexes = np.array([h for h in reach if h == start or count[h] < rules.stack_ground])
        moves = max(float(rules.ut_moves[u.type[uid]]), 1.0)
        ahead = goal[hexes]
        base = goal[start] if np.isfinite(goal[start]) else 0.0
        progress = np.where(
            np.isfinite(ahead), (base - np.where(np.isfinite(ahead), ahead, 0)) / moves, -99.0
        )
        terrain = rules.terrain_defence[view.scenario.terrain.ravel()[hexes]]
        own = float(u.steps[uid] * rules.ut_defence[u.type[uid]]) * terrain
        held = defence[hexes] - np.where(hexes == start, own, 0.0) + own
        # friends next door help: a counterattack, a closed flank
        nearby = np.array([defence[[x for x in pic.nbr[h] if x >= 0]].sum() for h in hexes])
        threat = pic.threat[hexes]
        exposed = np.clip(
            (threat - HOLD_ODDS * (held + 0.5 * nearby)) / np.maximum(threat, 1.0), 0, 1
        )
        score = progress - self.skill.exposure * exposed - 3.0 * (reserve & (threat > 0))
        score += 0.3 * (terrain - 1.0) * (threat > 0)
        score -= UNFED * ~pic.fed[hexes]
        if cut is not None and rules.ut_exploit[u.type[uid]]:
            worth = cut[hexes]
            score += np.where(worth >= RAID_WORTH, worth / RAID_WORTH * 0.5, 0.0) * (exposed < 0.5)
        if self.skill.noise:
            score += self.rng.normal(0, self.skill.noise, len(hexes))
        return int(hexes[int(np.argmax(score))])

    def _rail_leap(
        self, pic: Picture, uid: int, goal: np.ndarray, dest: int, count: np.ndarray
    ) -> int | None:
        """A railway station much nearer the goal than the best march, if there is one."""
        view = pic.view
        u, rules = view.units, view.rules
        moves = max(float(rules.ut_moves[u.type[uid]]), 1.0)
        if goal[dest] < 2 * moves:
            return None
        reach, why = movement.rail_destinations(view, uid)
        if why or not reach:
            return None
        options = [h for h in reach if count[h] < rules.stack_ground and pic.threat[h] <= 0]
        if not options:
            return None
        best = min(options, key=lambda h: goal[h])
        return best if goal[best] < goal[dest] - moves else None


def make(skill: str):
    """A factory for PLAYERS: the operational player at one level of skill."""

    def build(faction: int, seed: int) -> OperationalPlayer:
        return OperationalPlayer(faction, seed, SKILLS[skill])

    return build
