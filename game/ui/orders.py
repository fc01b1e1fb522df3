"""What the selected units may do, and which command a click on a hex means.

The window shows these options as highlights; a click turns into the command. Everything is
worked out on the read-only view with the engine's own rule functions, so what is shown is what
the engine accepts. Enemy units the player cannot see are never offered as targets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from game import battle, fleets, hexgrid, movement
from game.commands import Attack, Bombard, Command, Embark, Land, Move, RailMove
from game.state import StateView
from game.ui import describe

Hex = tuple[int, int]


@dataclass
class Options:
    """Everything the selection can do now."""

    units: list[int]
    moves: dict[Hex, float] = field(default_factory=dict)  # hex -> movement points it costs
    rail: dict[Hex, int] = field(default_factory=dict)  # hex -> hexes of railway travelled
    attacks: dict[Hex, list[int]] = field(default_factory=dict)  # target -> attackers
    bombards: dict[Hex, list[int]] = field(default_factory=dict)  # target -> bombarding units
    landings: list[Hex] = field(default_factory=list)
    embark: list[int] = field(default_factory=list)  # fleets the primary unit may board
    rail_reason: str | None = None

    @property
    def primary(self) -> int:
        """The unit whose moves are shown: the first selected."""
        return self.units[0]


def options(state: StateView, units: list[int], seen: np.ndarray | None) -> Options:
    """The options of the selected units (of the faction to move)."""
    out = Options(list(units))
    if not units:
        return out
    sc = state.scenario
    u = state.units
    primary = units[0]
    if u.carrier[primary] >= 0:
        out.landings = fleets.landing_hexes(state, primary)
    elif u.moves[primary] > 0:
        ctx = movement.context(state, int(u.faction[primary]))
        for flat, cost in movement.destinations(ctx, primary).items():
            out.moves[(flat % sc.width, flat // sc.width)] = cost
        rail, out.rail_reason = movement.rail_destinations(state, primary)
        out.rail = {(f % sc.width, f // sc.width): n for f, n in rail.items()}
        out.embark = [
            f
            for f in state.units_at(int(u.col[primary]), int(u.row[primary]))
            if f != primary
            and int(u.faction[f]) == int(u.faction[primary])
            and not fleets.embark_problem(state, primary, f)
        ]
    for target in _enemy_hexes_near(state, units, seen):
        group = [i for i in units if not battle.attack_problem(state, i, *target)]
        group = _one_layer(state, group, target)
        if group:
            out.attacks[target] = group
    for uid in units:
        for target in fleets.bombard_targets(state, uid):
            if seen is None or seen[target[1], target[0]]:
                out.bombards.setdefault(target, []).append(uid)
    return out


def _enemy_hexes_near(state: StateView, units: list[int], seen: np.ndarray | None) -> set[Hex]:
    """Hexes next to any selected unit (on the map) that hold a visible enemy."""
    u, sc = state.units, state.scenario
    out = set()
    for uid in units:
        if u.carrier[uid] >= 0:
            continue
        for c, r in hexgrid.neighbours(int(u.col[uid]), int(u.row[uid])):
            if not (0 <= c < sc.width and 0 <= r < sc.height):
                continue
            if visible_enemy(state, int(u.faction[uid]), (c, r), seen):
                out.add((c, r))
    return out


def visible_enemy(state: StateView, faction: int, where: Hex, seen: np.ndarray | None) -> bool:
    """Whether the hex holds an enemy of the faction, on the ground or in the air, that it can
    see (`seen` None: it sees everything)."""
    col, row = where
    if seen is not None and not seen[row, col]:
        return False
    return bool(
        state.defenders_at(col, row, faction) or state.defenders_at(col, row, faction, air=True)
    )


def _one_layer(state: StateView, group: list[int], target: Hex) -> list[int]:
    """Attackers of one layer with someone to hit there: ground units against ground units,
    fleets against fleets."""
    if not group:
        return []
    u, air = state.units, state.rules.ut_air
    first = bool(air[u.type[group[0]]])
    same = [i for i in group if bool(air[u.type[i]]) == first]
    if not state.defenders_at(*target, int(u.faction[group[0]]), air=first):
        return []
    return same


def advancers(state: StateView, attackers: list[int]) -> tuple[int, ...]:
    """Who moves into the hex if the attack empties it: the first attacker able to take ground."""
    u, rules = state.units, state.rules
    for uid in attackers:
        if not rules.ut_air[u.type[uid]] and rules.ut_captures[u.type[uid]]:
            return (uid,)
    return ()


def order_for(
    state: StateView, opts: Options, target: Hex, advance: bool = True, rail: bool = False
) -> Command | None:
    """The command a click on `target` gives the selection, or None when it gives none.
    Attacks come first, then bombardment, landing, moving and, last (or when `rail` is asked
    for), the train."""
    if not opts.units:
        return None
    if target in opts.attacks:
        group = opts.attacks[target]
        return Attack(tuple(group), target, advancers(state, group) if advance else ())
    if target in opts.bombards:
        return Bombard(tuple(opts.bombards[target]), target)
    if target in opts.landings:
        return Land(opts.primary, target)
    if rail and target in opts.rail:
        return RailMove(opts.primary, target)
    if target in opts.moves:
        return Move(opts.primary, target)
    if target in opts.rail:
        return RailMove(opts.primary, target)
    return None


def embark_order(opts: Options) -> Command | None:
    """Board the first fleet on the hex that will take the primary unit."""
    return Embark(opts.primary, opts.embark[0]) if opts.embark else None


def preview(state: StateView, opts: Options, selected: list[int], target: Hex) -> list[str]:
    """The words of the preview of a click on `target`: a battle (with what favours the
    defenders, whether they are cornered, and which selected units cannot join) or a
    bombardment; nothing for other hexes."""
    problem: Callable[[StateView, int, int, int], str | None]
    if target in opts.attacks:
        group = opts.attacks[target]
        p = battle.preview(state, group, target)
        lines = describe.preview_lines(p, len(group), cornered(state, group, target))
        if p.defence > 0:
            _, _, b, _ = battle.battle_inputs(state, group, *target)
            terms = (float(b.terrain_defence[0]), bool(b.river[0]), int(b.entrenchment[0]))
            lines.append(describe.battle_terms(*terms, int(b.sides_attacked[0])))
        problem = battle.attack_problem
    elif target in opts.bombards:
        group = opts.bombards[target]
        lines = describe.bombard_lines(fleets.preview_bombard(state, group, target), len(group))
        problem = fleets.bombard_problem
    else:
        return []
    for uid in selected:
        if uid not in group:
            why = problem(state, uid, *target) or f"{state.units.names[uid]} fights elsewhere"
            lines.append(f"Not joining: {why}")
    return lines


def cornered(state: StateView, group: list[int], target: Hex) -> int:
    """Steps the defenders would lose on top if beaten, having nowhere to fall back to (0 when
    every one of them can)."""
    stay = battle.defenders(state, group, *target)
    if not stay or len(battle.fallback(state, stay, group, *target)) == len(stay):
        return 0
    return int(state.rules.combat.blocked_retreat_loss)
