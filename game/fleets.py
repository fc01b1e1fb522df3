"""Fleets: carrying ground units (Embark, Land), bombardment with city shields and flak, and what
happens to the units aboard when their fleet moves, is hit or goes down.

Which units carry, bombard or may be carried is set by numbers and lists in the rules: a unit
type's `carry` (steps it can hold) and `bombard_range`, and the `fleets` section
(`carry_classes`, `bombard_loss`, `flak_loss`, `carried_loss`).

Bombardment is one-sided fire worked out by the combat core: the bombarding units' attack,
weakened by the city shield of the hex, against the defenders' defence with terrain and
entrenchment; the defenders lose steps, the bombarding units none, and nobody retreats or
advances. When any bombarding unit flies, the defenders' flak fires back at the flying ones: a
second battle in which flak is the attack and the fleets' defence the defence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from game import battle, combat, hexgrid
from game.commands import Bombard, Embark, Land
from game.state import GameState, StateView
from game.turn import Report, remove_dead, steps_text, take_steps

if TYPE_CHECKING:
    from game.engine import Engine

#: One battle as the combat core takes it: attackers, defenders and the battle's own inputs.
Fight = tuple[combat.Sides, combat.Sides, combat.Battles]


def load(state: GameState | StateView, fleet: int) -> int:
    """Steps aboard a fleet."""
    return int(sum(int(state.units.steps[i]) for i in state.aboard(fleet)))


# -- Embark -------------------------------------------------------------------------------------


def check_embark(engine: Engine, cmd: Embark) -> str | None:
    """Why a ground unit cannot board the fleet, or None."""
    reason = engine.own_unit(cmd.unit) or engine.own_unit(cmd.fleet)
    return reason or embark_problem(engine.state, cmd.unit, cmd.fleet)


def embark_problem(state: GameState | StateView, unit: int, fleet: int) -> str | None:
    """Why this unit cannot board this fleet of its own side now, or None."""
    u, rules = state.units, state.rules
    name, carrier = u.names[unit], u.names[fleet]
    if unit == fleet:
        return f"{name} cannot board itself"
    if rules.ut_air[u.type[unit]]:
        return f"{name} is a fleet: fleets do not carry fleets"
    if u.carrier[unit] >= 0:
        return f"{name} is already aboard {u.names[u.carrier[unit]]}"
    if u.carrier[fleet] >= 0:
        return f"{carrier} is itself aboard {u.names[u.carrier[fleet]]}"
    if state.aboard(unit):
        return f"{name} carries units itself: a carrier cannot be carried"
    room = int(rules.ut_carry[u.type[fleet]])
    if room <= 0:
        return f"{carrier} cannot carry units"
    if (u.col[unit], u.row[unit]) != (u.col[fleet], u.row[fleet]):
        return f"{name} is not on {carrier}'s hex"
    if not rules.ut_carriable[u.type[unit]]:
        kind = rules.unit_types[int(u.type[unit])].name
        return f"fleets cannot carry a {kind}: its movement class is not in fleets.carry_classes"
    if u.moves[unit] <= 0:
        return f"{name} has no movement left to board"
    taken = load(state, fleet)
    if taken + int(u.steps[unit]) > room:
        return (
            f"{name} ({int(u.steps[unit])} steps) does not fit aboard {carrier}: "
            f"{taken} of its {room} steps are taken"
        )
    return None


def do_embark(engine: Engine, cmd: Embark) -> list[Report]:
    """The unit boards: it leaves the ground layer and has no movement left this turn."""
    u = engine.state.units
    u.carrier[cmd.unit] = cmd.fleet
    u.moves[cmd.unit] = 0.0
    u.entrenchment[cmd.unit] = 0
    text = f"{u.names[cmd.unit]} boards {u.names[cmd.fleet]}"
    return [Report("embark", text, {"unit": cmd.unit, "fleet": cmd.fleet})]


# -- Land ---------------------------------------------------------------------------------------


def check_land(engine: Engine, cmd: Land) -> str | None:
    """Why the unit cannot land on that hex, or None."""
    reason = engine.own_unit(cmd.unit)
    where = engine.parse_hex(cmd.to)
    if reason or isinstance(where, str):
        return reason or str(where)
    return landing_problem(engine.state, cmd.unit, *where)


def landing_problem(state: GameState | StateView, unit: int, col: int, row: int) -> str | None:
    """Why this unit cannot land on this hex of the map now, or None."""
    u, rules = state.units, state.rules
    name = u.names[unit]
    fleet = int(u.carrier[unit])
    if fleet < 0:
        return f"{name} is not aboard a fleet"
    if hexgrid.distance(int(u.col[fleet]), int(u.row[fleet]), col, row) > 1:
        return f"{name} can land only on {u.names[fleet]}'s hex or next to it"
    terrain = int(state.scenario.terrain[row, col])
    if not rules.can_enter(int(u.type[unit]), terrain):
        return f"{name} cannot land on {rules.terrain[terrain].name.lower()}"
    if state.other_side_ground_at(col, row, int(u.faction[unit])):
        return f"{name} cannot land on units of another side at ({col}, {row})"
    ground = [i for i in state.units_at(col, row) if not rules.ut_air[u.type[i]]]
    if len(ground) >= rules.stack_ground:
        return f"({col}, {row}) is full: the stacking limit is reached"
    return None


def landing_hexes(state: GameState | StateView, unit: int) -> list[tuple[int, int]]:
    """Every hex a unit aboard a fleet may land on now."""
    u, sc = state.units, state.scenario
    fleet = int(u.carrier[unit])
    if fleet < 0:
        return []
    col, row = int(u.col[fleet]), int(u.row[fleet])
    spots = [(col, row), *hexgrid.neighbours(col, row)]
    return [
        (c, r)
        for c, r in spots
        if 0 <= c < sc.width and 0 <= r < sc.height and not landing_problem(state, unit, c, r)
    ]


def do_land(engine: Engine, cmd: Land) -> list[Report]:
    """The unit steps off onto the hex with no movement left; only an amphibious unit may still
    attack this turn. Landing on an enemy hex takes it."""
    state, u = engine.state, engine.state.units
    fleet = int(u.carrier[cmd.unit])
    u.carrier[cmd.unit] = -1
    u.col[cmd.unit], u.row[cmd.unit] = cmd.to
    u.moves[cmd.unit] = 0.0
    u.entrenchment[cmd.unit] = 0
    u.landed[cmd.unit] = True
    text = f"{u.names[cmd.unit]} lands from {u.names[fleet]} in {engine.place(*cmd.to)}"
    reports = [Report("land", text, {"unit": cmd.unit, "target": cmd.to})]
    width = state.scenario.width
    return reports + engine.capture(cmd.unit, [cmd.to[1] * width + cmd.to[0]])


# -- Bombard ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BombardPreview:
    """What a bombardment is expected to do, computed without rolling any dice."""

    strength: float  # the bombarding units' fire, after the shield
    protection: float  # the defenders' defence with terrain and entrenchment
    shield: int  # percent of the fire the city shield stops
    defender_losses: float  # expected steps
    destroy_chance: float  # every defending step lost
    flak: float  # strength of the flak firing back (0 when nothing flies or nothing fires)
    fleet_losses: float  # expected steps the flying bombarders lose to flak


def check_bombard(engine: Engine, cmd: Bombard) -> str | None:
    """Why these units cannot bombard that hex, or None."""
    words = ("a bombardment needs at least one bombarding unit", "bombarding units")
    return engine.group_problem(cmd.units, cmd.target, bombard_problem, words)


def bombard_problem(state: GameState | StateView, unit: int, col: int, row: int) -> str | None:
    """Why this unit cannot bombard this hex of the map now, or None."""
    u, rules = state.units, state.rules
    name = u.names[unit]
    reach = int(rules.ut_bombard_range[u.type[unit]])
    aboard = battle.aboard_problem(state, unit)
    if aboard:
        return aboard
    if reach <= 0:
        return f"{name} cannot bombard"
    if u.attacked[unit]:
        return f"{name} has already attacked or bombarded this turn"
    if u.landed[unit] and not rules.ut_amphibious[u.type[unit]]:
        return f"{name} landed this turn: only amphibious units fire as they land"
    away = hexgrid.distance(int(u.col[unit]), int(u.row[unit]), col, row)
    if away > reach:
        return (
            f"({col}, {row}) is {away} hexes from {name}, beyond its bombardment range of {reach}"
        )
    if not state.defenders_at(col, row, int(u.faction[unit])):
        return f"there is no enemy ground unit to bombard at ({col}, {row})"
    return None


def bombard_targets(state: GameState | StateView, unit: int) -> list[tuple[int, int]]:
    """Every hex this unit may bombard now."""
    u, sc = state.units, state.scenario
    reach = int(state.rules.ut_bombard_range[u.type[unit]])
    if reach <= 0 or u.attacked[unit] or u.carrier[unit] >= 0:
        return []
    return [
        (c, r)
        for c, r in hexgrid.spiral(int(u.col[unit]), int(u.row[unit]), reach)
        if 0 <= c < sc.width and 0 <= r < sc.height and not bombard_problem(state, unit, c, r)
    ]


def bombard_inputs(
    state: GameState | StateView, units: list[int], col: int, row: int
) -> tuple[Fight, Fight | None, list[int], list[int]]:
    """The two battles of a bombardment as the combat core takes them: (fire, flak or None,
    defenders, flying bombarders)."""
    u, rules = state.units, state.rules
    faction = int(u.faction[units[0]])
    defenders = state.defenders_at(col, row, faction)
    terrain = int(state.scenario.terrain[row, col])
    weather = int(state.hex_weather()[row, col])
    cover = 1.0 - state.shield_at(col, row) / 100.0
    dig = max((int(u.entrenchment[d]) for d in defenders), default=0)
    fire: Fight = (
        battle.sides(state, units, rules.weather_attack[weather] * cover),
        battle.sides(state, defenders),
        _battle(rules.terrain_defence[terrain], dig),
    )
    flying = [i for i in units if rules.ut_air[u.type[i]]]
    gunners = [
        i
        for i in state.units_at(col, row)
        if state.hostile(faction, int(u.faction[i])) and rules.ut_flak[u.type[i]] > 0
    ]
    if not flying or not gunners:
        return fire, None, defenders, flying
    guns = battle.sides(state, gunners)
    flak = rules.ut_flak[u.type[np.array(gunners)]]
    guns = replace(guns, soft=flak, hard=flak)
    return fire, (guns, battle.sides(state, flying), _battle(1.0, 0)), defenders, flying


def _battle(terrain_defence: float, entrenchment: int) -> combat.Battles:
    return combat.Battles(
        np.array([terrain_defence]),
        np.array([False]),
        np.array([float(entrenchment)]),
        np.array([1.0]),
    )


def preview_bombard(
    state: GameState | StateView, units: list[int], target: tuple[int, int]
) -> BombardPreview:
    """The expected outcome of a bombardment, without rolling any dice."""
    rules = state.rules
    fire, flak, _, _ = bombard_inputs(state, list(units), *target)
    hit = combat.preview_battles(*fire, replace(rules.combat, max_loss=rules.fleets.bombard_loss))
    back = None
    if flak is not None:
        flak_rules = replace(rules.combat, max_loss=rules.fleets.flak_loss)
        back = combat.preview_battles(*flak, flak_rules)[0]
    return BombardPreview(
        strength=hit[0].attack,
        protection=hit[0].defence,
        shield=state.shield_at(*target),
        defender_losses=hit[0].defender_losses,
        destroy_chance=hit[0].destroy_chance,
        flak=back.attack if back else 0.0,
        fleet_losses=back.defender_losses if back else 0.0,
    )


def do_bombard(engine: Engine, cmd: Bombard) -> list[Report]:
    """Fire on the hex; the flak fires back. The bombarding units are done for the turn."""
    state, u, rules = engine.state, engine.state.units, engine.state.rules
    col, row = cmd.target
    units = list(cmd.units)
    fire, flak, defenders, flying = bombard_inputs(state, units, col, row)
    draws = combat.draw_battles(state.rng, 2)
    hit_rules = replace(rules.combat, max_loss=rules.fleets.bombard_loss)
    hit = int(combat.resolve_battles(*fire, hit_rules, draws[:1]).defender_losses[0])
    downed = 0
    if flak is not None:
        flak_rules = replace(rules.combat, max_loss=rules.fleets.flak_loss)
        downed = int(combat.resolve_battles(*flak, flak_rules, draws[1:]).defender_losses[0])
    for uid in units:
        u.attacked[uid] = True
        u.moves[uid] = 0.0
        u.experience[uid] = min(u.experience[uid] + 1, rules.combat.max_experience)
    names = ", ".join(u.names[i] for i in units)
    shield = state.shield_at(col, row)
    behind = f" behind a {shield}% shield" if shield else ""
    text = f"{names} bombard{'s' if len(units) == 1 else ''} {engine.place(col, row)}{behind}: "
    text += f"the defenders lose {steps_text(hit)}"
    if flak is not None:
        text += f"; flak costs the bombarding fleets {steps_text(downed)}"
    data = {"target": (col, row), "defender_losses": hit, "flak_losses": downed}
    reports = [Report("bombard", text, data)]
    reports += take_steps(state, defenders, hit)
    reports += take_steps(state, flying, downed)
    riders = [r for f in flying for r in state.aboard(f)]
    return reports + remove_dead(state, defenders + flying + riders)
