"""Planning attacks: which enemy hex to strike, with whom, from which sides.

For every enemy hex in sight, the units that could reach a hex next to it this turn are gathered
into one assault group, strongest first, each on a side of the target not yet used where it can
(an attack from more sides is stronger) and within the stacking limit. Every group is scored in
one batched call of the combat preview; the player carries out the best, looks again and plans
anew, until no assault is worth its losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game import battle, combat, movement
from game.ai.picture import Picture, punch
from game.ai.skill import Skill
from game.movement import MoveContext

#: A step of the enemy destroyed is worth this many victory points in an assault's score...
STEP_WORTH = 1.0
#: ... and more on a hex worth points, where every step lost brings its fall nearer.
SIEGE_WORTH = 0.5
#: Taking a hex worth points counts its worth this many times over (it is what wins games).
TAKE_WEIGHT = 2.0
#: Taking a hex that is worth nothing in itself is still worth this much (ground gained).
GROUND_WORTH = 0.5
#: Odds at which an assault has all it needs: stronger units beyond these stay free for others.
ENOUGH_ODDS = 3.0
#: How far a side pressed for time (urgency 1) lowers the odds it attacks at.
URGENT_ODDS = 0.35


@dataclass
class Assault:
    """One planned attack: the target, the attackers, where each will attack from (moving there
    first if it is not there), and the preview's verdict."""

    target: tuple[int, int]
    attackers: list[int]
    moves: dict[int, int]  # unit -> flat hex to move to before attacking
    from_hexes: list[tuple[int, int]]
    preview: combat.Preview | None = None
    score: float = 0.0
    wanted: float = 1.0  # the least odds the player attacks this hex at

    @property
    def worth_it(self) -> bool:
        """Whether the assault is worth making: good enough odds and more gained than lost."""
        return self.preview is not None and self.preview.odds >= self.wanted and self.score > 0


def reach_of(ctx: MoveContext, units: list[int], manoeuvre: bool) -> dict[int, dict[int, float]]:
    """unit -> {flat hex: cost} it can reach this turn, its own hex at 0 included (only its own
    hex when the player does not manoeuvre to attack)."""
    u = ctx.state.units
    width = ctx.width
    out: dict[int, dict[int, float]] = {
        uid: {int(u.row[uid]) * width + int(u.col[uid]): 0.0} for uid in units
    }
    moving = [uid for uid in units if u.moves[uid] > 0]
    if manoeuvre and moving:
        which, hexes, cost = movement.reachable_batch(ctx, np.array(moving))
        for k, h, c in zip(which.tolist(), hexes.tolist(), cost.tolist(), strict=True):
            out[moving[k]][h] = c
    return out


def plan(
    pic: Picture,
    ctx: MoveContext,
    units: list[int],
    reach: dict[int, dict[int, float]],
    stay: set[int],
    skill: Skill,
) -> list[Assault]:
    """Every assault that could be made now, scored, best first (`Assault.worth_it` says which
    are worth making). `units` may attack; those in `stay` only from where they stand (they
    hold a city)."""
    view = pic.view
    width = pic.width
    targets = sorted({int(h) for h in pic.known.flat[pic.known.seen]})
    plans: list[Assault] = []
    for target in targets:
        col, row = target % width, target // width
        if not view.defenders_at(col, row, pic.faction):
            continue
        group = _gather(pic, ctx, units, reach, stay, target)
        if group is not None:
            plans.append(group)
    if not plans:
        return []
    previews = _previews(pic, plans)
    trimmed = _trimmed(pic, plans, previews)
    changed = [k for k, (p, q) in enumerate(zip(plans, trimmed, strict=True)) if p is not q]
    for k, pv in zip(changed, _previews(pic, [trimmed[k] for k in changed]), strict=True):
        previews[k] = pv  # only the trimmed are looked at again
    plans = trimmed
    worth = pic.worth
    hurry = 1.0 - URGENT_ODDS * pic.urgency
    good = []
    for p, pv in zip(plans, previews, strict=True):
        flat = p.target[1] * width + p.target[0]
        value = worth[flat]
        p.wanted = (skill.objective_odds if value > 0 else skill.attack_odds) * hurry
        take = min(1.0, pv.retreat_chance + pv.destroy_chance)
        gain = take * max(TAKE_WEIGHT * value, GROUND_WORTH)
        # pressed for time, every step the objective's defenders lose counts more, and our own
        # losses less: the points decide the game, not the steps left at the end
        siege = SIEGE_WORTH * (1.0 + 2.0 * pic.urgency) * (value > 0)
        gain += (STEP_WORTH + siege) * pv.defender_losses
        p.preview = pv
        p.score = gain - skill.caution * (1.0 - pic.urgency) * STEP_WORTH * pv.attacker_losses
        good.append(p)
    return sorted(good, key=lambda p: -p.score)


def _previews(pic: Picture, plans: list[Assault]) -> list[combat.Preview]:
    return battle.preview_many(pic.view, [(p.attackers, p.target, p.from_hexes) for p in plans])


def _trimmed(pic: Picture, plans: list[Assault], previews: list[combat.Preview]) -> list[Assault]:
    """Each plan with only the attackers it needs for ENOUGH_ODDS (by their share of the
    attack, strongest kept): the rest stay free for other assaults."""
    out = []
    for p, pv in zip(plans, previews, strict=True):
        if not np.isfinite(pv.odds) or pv.odds <= ENOUGH_ODDS or len(p.attackers) == 1:
            out.append(p)
            continue
        strength = np.array([punch(pic.view, i) for i in p.attackers])
        share = np.cumsum(strength) / strength.sum()  # attackers are sorted strongest first
        keep = min(len(p.attackers), int(np.searchsorted(share * pv.odds, ENOUGH_ODDS)) + 1)
        kept = p.attackers[:keep]
        moves = {i: h for i, h in p.moves.items() if i in kept}
        out.append(Assault(p.target, kept, moves, p.from_hexes[:keep]))
    return out


def _gather(
    pic: Picture,
    ctx: MoveContext,
    units: list[int],
    reach: dict[int, dict[int, float]],
    stay: set[int],
    target: int,
) -> Assault | None:
    """The strongest group that can strike `target` this turn, spread over its sides."""
    view = pic.view
    u, rules, sc = view.units, view.rules, view.scenario
    width = pic.width
    t_col, t_row = target % width, target // width
    terrain = int(sc.terrain[t_row, t_col])
    sides = {int(h) for h in pic.nbr[target] if h >= 0}
    room = {h: rules.stack_ground - int(ctx.ground_count[h]) for h in sides}
    hard = _hardness(pic, target)
    able = [
        uid
        for uid in units
        if rules.can_enter(int(u.type[uid]), terrain) and sides & reach[uid].keys()
    ]
    punch = {
        uid: float(u.steps[uid])
        * (
            float(rules.ut_soft[u.type[uid]]) * (1 - hard)
            + float(rules.ut_hard[u.type[uid]]) * hard
        )
        for uid in able
    }
    able.sort(key=lambda uid: -punch[uid])
    attackers: list[int] = []
    moves: dict[int, int] = {}
    where: list[tuple[int, int]] = []
    used: set[int] = set()
    for uid in able:
        here = pic.hex_of(uid)
        if here in sides:
            spot = here
        elif uid in stay:
            continue
        else:
            options = [h for h in sides & reach[uid].keys() if room[h] > 0]
            if not options:
                continue
            # a side not yet attacked from first, then the cheapest to reach
            spot = min(options, key=lambda h: (h in used, reach[uid][h], h))
            room[spot] -= 1
            room[here] = room.get(here, 0) + 1
            moves[uid] = spot
        used.add(spot)
        attackers.append(uid)
        where.append((spot % width, spot // width))
    if not attackers:
        return None
    return Assault((t_col, t_row), attackers, moves, where)


def _hardness(pic: Picture, target: int) -> float:
    """The mean hardness of the known enemy on a hex, by steps."""
    k, rules = pic.known, pic.view.rules
    on = k.flat == target
    steps = k.steps[on]
    if not steps.sum():
        return 0.0
    return float((rules.ut_hardness[k.type[on]] * steps).sum() / steps.sum())
