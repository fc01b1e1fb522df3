"""What goes into a battle, worked out from the state alone: who may attack, each side's strength
as the combat core takes it, the preview, withdrawal before combat and where beaten units fall
back. The engine applies attacks with these; the computer players and the game window call them
on a read-only view to see what an attack would do, without touching the game or its dice.
"""

from __future__ import annotations

import numpy as np

from game import combat, hexgrid, movement
from game.state import GameState, StateView

State = GameState | StateView


def aboard_problem(state: State, uid: int) -> str | None:
    """Why a unit cannot act on its own (move, fight, fire): it is aboard a fleet; or None."""
    u = state.units
    fleet = int(u.carrier[uid])
    if fleet >= 0:
        return f"{u.names[uid]} is aboard {u.names[fleet]}: land it first"
    return None


def attack_problem(state: State, uid: int, col: int, row: int) -> str | None:
    """Why this unit cannot join an attack on this hex of the map now, or None (whether there
    is an enemy to attack is asked of the whole attack)."""
    u, rules = state.units, state.rules
    name = u.names[uid]
    aboard = aboard_problem(state, uid)
    if aboard:
        return aboard
    if u.attacked[uid]:
        return f"{name} has already attacked this turn"
    if u.landed[uid] and not rules.ut_amphibious[u.type[uid]]:
        return f"{name} landed this turn: only amphibious units attack as they land"
    if hexgrid.distance(int(u.col[uid]), int(u.row[uid]), col, row) != 1:
        return f"{name} is not next to ({col}, {row})"
    if rules.ut_soft[u.type[uid]] + rules.ut_hard[u.type[uid]] <= 0:
        return f"{name} cannot attack"
    terrain = int(state.scenario.terrain[row, col])
    if not rules.can_enter(int(u.type[uid]), terrain):
        return f"{name} cannot fight on {rules.terrain[terrain].name.lower()}"
    return None


def sides(
    state: State, ids: list[int], attack: float | None = None, open_ground: bool = False
) -> combat.Sides:
    """Participants of one battle for the combat core. Everyone's strength counts its supply and
    experience; an attacker's (`attack` given) also that multiplier (weather, shield) and, on
    open ground, its charge bonus."""
    u, rules = state.units, state.rules
    a = np.array(ids, dtype=np.int64)
    t = u.type[a]
    mod = np.array(rules.combat.supply)[u.supply[a]]
    mod = mod * (1.0 + rules.combat.experience_bonus * u.experience[a])
    if attack is not None:
        mod = mod * attack
        charge = rules.ut_charge[t] & open_ground
        mod = np.where(charge, mod * (1.0 + rules.combat.charge_bonus), mod)
    return combat.Sides(
        np.zeros(len(a), np.int64),
        u.steps[a].astype(np.float64),
        rules.ut_soft[t],
        rules.ut_hard[t],
        rules.ut_defence[t],
        rules.ut_hardness[t],
        mod,
    )


def defenders(state: State, attackers: list[int], col: int, row: int) -> list[int]:
    """The units an attack by these units on the hex would hit: enemy ground units, or enemy
    fleets when the attackers fly."""
    u = state.units
    air = bool(state.rules.ut_air[u.type[attackers[0]]])
    return state.defenders_at(col, row, int(u.faction[attackers[0]]), air=air)


def battle_inputs(
    state: State,
    attackers: list[int],
    col: int,
    row: int,
    hit: list[int] | None = None,
    from_hexes: list[tuple[int, int]] | None = None,
) -> tuple[combat.Sides, combat.Sides, combat.Battles, list[int]]:
    """The arrays of one battle (against `hit`, or everyone the attack would hit), as the combat
    core and the preview take them; `from_hexes`, one per attacker, are where the attackers
    would stand (a computer player planning), if not where they are. Fleets attacking fleets
    fight in the air: no terrain, river or entrenchment counts."""
    u, rules, sc = state.units, state.rules, state.scenario
    air = bool(rules.ut_air[u.type[attackers[0]]])
    if hit is None:
        hit = defenders(state, attackers, col, row)
    terrain = int(sc.terrain[row, col])
    weather = state.hex_weather()[row, col]
    open_ground = bool(rules.terrain_open[terrain]) and not air
    if from_hexes is None:
        from_hexes = [(int(u.col[i]), int(u.row[i])) for i in attackers]
    att_hexes = set(from_hexes)
    river = bool(sc.river[row, col]) and any(not sc.river[r, c] for c, r in att_hexes)
    if all(rules.ut_amphibious[u.type[i]] for i in attackers):
        river = False  # marines cross rivers as they land: no river bonus against them
    dig = max((int(u.entrenchment[d]) for d in hit), default=0)
    battles = combat.Battles(
        np.array([1.0 if air else rules.terrain_defence[terrain]]),
        np.array([river and not air]),
        np.array([0.0 if air else float(dig)]),
        np.array([float(len(att_hexes))]),
    )
    attack = sides(state, attackers, float(rules.weather_attack[weather]), open_ground)
    return attack, sides(state, hit), battles, hit


def preview(state: State, attackers: list[int], target: tuple[int, int]) -> combat.Preview:
    """The expected outcome of an attack, without rolling any dice. When defenders would
    withdraw before it (see `withdrawals`), this is the fight with those who stay."""
    return preview_many(state, [(list(attackers), target, None)])[0]


def preview_many(
    state: State, plans: list[tuple[list[int], tuple[int, int], list[tuple[int, int]] | None]]
) -> list[combat.Preview]:
    """The previews of many attacks at once, in one call of the combat core: each plan is
    (attackers, target, the hex each attacker would attack from, or None for where they are).
    Defenders that would withdraw before the attack are left out (see `withdrawals`); when all
    of them would, the preview gives infinite odds and the steps their withdrawal costs."""
    parts: list[tuple[combat.Sides, combat.Sides, combat.Battles]] = []
    fought: list[int] = []
    out = []
    for k, (attackers, target, where) in enumerate(plans):
        gone = set(withdrawals(state, attackers, target))
        stay = [d for d in defenders(state, attackers, *target) if d not in gone]
        # everyone withdraws: no fight, the hex is given up for the steps withdrawing costs
        lost = float(state.rules.combat.withdraw_loss * len(gone))
        out.append(combat.Preview(0.0, 0.0, float("inf"), 0.0, lost, 1.0, 0.0))
        if stay:
            att, dfn, battles, _ = battle_inputs(state, attackers, *target, stay, where)
            att.battle[:] = dfn.battle[:] = len(parts)
            parts.append((att, dfn, battles))
            fought.append(k)
    if parts:
        att, dfn, battles = (combat.concatenate(list(p)) for p in zip(*parts, strict=True))
        for k, result in zip(
            fought, combat.preview_battles(att, dfn, battles, state.rules.combat), strict=True
        ):
            out[k] = result
    return out


def withdrawals(state: State, attackers: list[int], target: tuple[int, int]) -> list[int]:
    """Defenders that would step back before this attack rather than fight: those with the
    `withdraw` flag, faster than every attacker, with a step to spare and a hex to go to, when
    the attack is at least `combat.withdraw_odds` strong."""
    u, rules = state.units, state.rules
    col, row = target
    hit = defenders(state, attackers, col, row)
    fastest = max(float(rules.ut_moves[u.type[a]]) for a in attackers)
    able = [
        d
        for d in hit
        if rules.ut_withdraw[u.type[d]]
        and rules.ut_moves[u.type[d]] > fastest
        and u.steps[d] > rules.combat.withdraw_loss
    ]
    if not able:
        return []
    att, dfn, battles, _ = battle_inputs(state, attackers, col, row, hit)
    odds = combat.preview_battles(att, dfn, battles, rules.combat)[0].odds
    if odds < rules.combat.withdraw_odds:
        return []
    spots = fallback(state, able, attackers, col, row)
    return [d for d in able if d in spots]


def fallback(
    state: State, ids: list[int], attackers: list[int], col: int, row: int
) -> dict[int, tuple[int, int]]:
    """Where each unit of a beaten (or withdrawing) stack can step back to: a hex next to its
    own, at least two hexes from every attacker, it may stand on, with room in its layer, free
    of other sides; out of enemy zones of control and farther away first."""
    u, rules, sc = state.units, state.rules, state.scenario
    ctx = movement.context(state, int(u.faction[ids[0]]))
    att_c = u.col[attackers].astype(np.int64)
    att_r = u.row[attackers].astype(np.int64)
    taken: dict[int, int] = {}
    out = {}
    for uid in ids:
        air = bool(rules.ut_air[u.type[uid]])
        blocked = ctx.blocked_air if air else ctx.blocked_ground
        count = ctx.air_count if air else ctx.ground_count
        limit = rules.stack_air if air else rules.stack_ground
        best = None
        for d, (c, r) in enumerate(hexgrid.neighbours(col, row)):
            if not (0 <= c < sc.width and 0 <= r < sc.height):
                continue
            flat = r * sc.width + c
            if blocked[flat] or not rules.can_enter(int(u.type[uid]), int(sc.terrain[r, c])):
                continue
            if not air and state.enemy_city(c, r, int(u.faction[uid])):
                continue  # falling back is no way to take a town
            if count[flat] + taken.get(flat, 0) >= limit:
                continue
            away = int(hexgrid.distance(att_c, att_r, c, r).min())
            if away < 2:
                continue
            key = (bool(ctx.zoc[flat]) and not air, -away, d)
            if best is None or key < best[0]:
                best = (key, c, r, flat)
        if best is not None:
            _, c, r, flat = best
            taken[flat] = taken.get(flat, 0) + 1
            out[uid] = (c, r)
    return out
