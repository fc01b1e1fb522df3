"""Which enemy city each unit of an army on the offensive marches on.

An objective is an enemy city worth points (`picture.objective_worth`: victory points, more for
a supply source and for a city that ends the game). Each needs a force: NEED_ODDS times the
defence the player believes holds it (what it sees or saw there, else a guess). Objectives are
taken in turn, the one giving the most worth for the time its force takes to gather first; each
gets the units nearest it until its force is met. Units left over join whichever chosen
objective is worth most to them for the march, so the army keeps to a few axes in strength.
"""

from __future__ import annotations

import numpy as np

from game import hexgrid
from game.ai.picture import Picture

#: An objective needs attack strength of this many times its believed defence.
NEED_ODDS = 2.5
#: Defence believed to hold an enemy city no one has seen lately (one fair garrison).
UNSEEN_DEFENCE = 12.0
#: An objective for which all the free units gather less than this share of the force it needs
#: is left alone; with more (but not all it needs) it is besieged: worth less by the shortfall.
SIEGE_SHARE = 0.25
#: A further objective is taken on only if it is worth at least this share of the first, for
#: the time its force takes to gather (worth over (1 + turns) ** 1.5).
AXIS_SHARE = 0.25
#: Entrenchment believed in a city held by the enemy (its defence is multiplied by this).
DUG_IN = 1.3


def enemy_cities(pic: Picture) -> list[int]:
    """Flat hexes of the cities worth points that the enemy holds, or no one does."""
    owner = pic.view.owner.ravel()
    out = []
    for flat in np.flatnonzero(pic.worth > 0).tolist():
        holder = int(owner[flat])
        if holder < 0 or bool(pic.hostile[holder]):
            out.append(flat)
    return out


def believed_defence(pic: Picture, flat: int) -> float:
    """The defence the player believes holds a hex: what it sees or saw there, with the
    terrain and some entrenchment; a fair garrison if it has seen nothing there lately."""
    view = pic.view
    terrain = float(view.rules.terrain_defence[int(view.scenario.terrain.flat[flat])])
    if pic.seen[flat] or (pic.known.flat == flat).any():
        return float(pic.enemy_defence[flat]) * terrain * DUG_IN
    return UNSEEN_DEFENCE * terrain


def allocate(pic: Picture, units: list[int]) -> dict[int, int]:
    """unit -> the flat hex of the enemy city it marches on (units with nothing to march on
    are left out)."""
    view = pic.view
    u, rules = view.units, view.rules
    targets = enemy_cities(pic)
    if not targets or not units:
        return {}
    ids = np.array(units)
    at = np.array([pic.hex_of(int(i)) for i in ids])
    t = np.array(targets)
    away = hexgrid.distance(
        (at % pic.width)[:, None], (at // pic.width)[:, None], (t % pic.width)[None, :],
        (t // pic.width)[None, :],
    )  # fmt: skip
    turns = away / np.maximum(rules.ut_moves[u.type[ids]], 1.0)[:, None]
    punch = u.steps[ids] * np.maximum(rules.ut_soft[u.type[ids]], rules.ut_hard[u.type[ids]])
    need = np.array([max(NEED_ODDS * believed_defence(pic, h), 1.0) for h in targets])
    worth = pic.worth[t]
    free = np.ones(len(ids), dtype=bool)
    chosen: dict[int, int] = {}
    open_ = np.ones(len(t), dtype=bool)
    left = max(view.scenario.turns - view.turn + 1, 1)
    first = None
    while free.any() and open_.any():
        best = None
        for k in np.flatnonzero(open_).tolist():
            order = np.flatnonzero(free)[np.argsort(turns[free, k], kind="stable")]
            gathered = np.cumsum(punch[order])
            enough = min(int(np.searchsorted(gathered, need[k])), len(order) - 1)
            strength = min(1.0, float(gathered[enough]) / need[k])
            if strength < SIEGE_SHARE:
                continue  # all we have left would not do
            eta = float(turns[order[enough], k])
            if eta > left:
                continue  # it could not be taken before the game ends
            # short of the force it needs, it is a siege: worth less, by the shortfall
            score = worth[k] * strength**2 / (1.0 + eta) ** 1.5
            if best is None or score > best[0]:
                best = (score, k, order[: enough + 1])
        if best is None or (first is not None and best[0] < AXIS_SHARE * first):
            break  # another axis would spread the army too thin for what it brings
        first = best[0] if first is None else first
        _, k, group = best
        open_[k] = False
        free[group] = False
        for i in group.tolist():
            chosen[int(ids[i])] = int(t[k])
    aims = sorted(set(chosen.values()))
    if not aims:  # nothing can be taken in strength: everyone goes where it counts most
        aims = targets
    cols = [targets.index(a) for a in aims]
    for i in np.flatnonzero(free).tolist():
        pull = worth[cols] / (1.0 + turns[i, cols])
        chosen[int(ids[i])] = aims[int(np.argmax(pull))]
    return chosen


def each_for_itself(pic: Picture, units: list[int]) -> dict[int, int]:
    """unit -> the enemy city worth most to it alone (its worth over the turns of march), with
    no thought for the force it needs: how a player without a plan sends its army."""
    targets = enemy_cities(pic)
    if not targets or not units:
        return {}
    u, rules = pic.view.units, pic.view.rules
    t = np.array(targets)
    out = {}
    for uid in units:
        here = pic.hex_of(uid)
        away = hexgrid.distance(here % pic.width, here // pic.width, t % pic.width, t // pic.width)
        turns = away / max(float(rules.ut_moves[u.type[uid]]), 1.0)
        out[uid] = int(t[int(np.argmax(pic.worth[t] / (1.0 + turns)))])
    return out
