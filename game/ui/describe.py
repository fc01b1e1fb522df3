"""The words of the window: the side panel's account of a unit and a hex, the combat preview,
the top bar and the help screen. Plain text and the small HTML subset pygame_gui's text boxes
read (<b>, <i>, <br>, <font color>); nothing here draws.
"""

from __future__ import annotations

from html import escape

import numpy as np

from game import fleets
from game.combat import Preview
from game.fleets import BombardPreview
from game.narrate import day, weather_text
from game.supply_explain import explain
from game.turn import side_vp, steps_text

SUPPLY_WORDS = ("no supply", "reduced supply", "full supply")
SUPPLY_COLOURS = ("#ff6b5a", "#f0c040", "#7ed67e")

HOTKEYS = (
    (
        "Left click",
        "select a unit of yours (again: the next of the stack, troops aboard too);"
        " click a lit hex to move, attack, bombard or land",
    ),
    (
        "Ctrl + click",
        "add the next unit of that hex to the selection (all there: remove them),"
        " to attack one hex with several units",
    ),
    ("Shift + click", "attack without advancing; on a railway, travel by train"),
    (
        "Right click",
        "the order for a lit hex, even one your own units stand on (stacking, or"
        " landing on the fleet's own hex); anywhere else it clears the selection",
    ),
    ("Esc", "clear the selection; again: the game menu (Esc closes it)"),
    ("Tab", "select the next unit that can still move or fight (troops aboard too)"),
    ("E", "board a fleet on the same hex (the selected ground unit)"),
    ("U or Ctrl+Z", "undo the last move, while nothing random happened and nothing new was seen"),
    ("F5", "quicksave (the game also saves itself at the start of every turn; five are kept)"),
    ("F9", "quickload: back to this scenario's quicksave"),
    ("Enter", "end your turn"),
    ("Drag, arrows, WASD, screen edge", "scroll the map"),
    ("Mouse wheel", "zoom, keeping the point under the cursor"),
    ("+ and -", "zoom about the middle of the map"),
    ("Click the small map", "jump there"),
    ("C", "centre the map on the selected unit"),
    (
        "S (tap)",
        "supply overlay (green full, amber reduced, violet none) and the selected"
        " unit's supply path; holding S scrolls down",
    ),
    ("G", "hex grid on or off"),
    ("Space or Esc", "while the computer moves: skip the animation"),
    ("Enter, Space or Esc", "dismiss an event pop-up"),
    ("F1", "this help"),
)


def html_lines(lines: list[str]) -> str:
    """Lines joined for a text box."""
    return "<br>".join(lines)


def coloured(text: str, colour: str) -> str:
    """Text in a colour."""
    return f"<font color='{colour}'>{escape(text)}</font>"


def unit_text(state, uid: int, mine: bool) -> str:
    """The side panel's account of a unit: what it is, its strength, moves, supply and why."""
    u, rules, sc = state.units, state.rules, state.scenario
    t = rules.unit_types[int(u.type[uid])]
    faction = sc.factions[int(u.faction[uid])]
    lines = [
        f"<b>{escape(u.names[uid])}</b>",
        f"{escape(t.name)} - {coloured(faction.name, faction.color)}",
        f"Steps {int(u.steps[uid])} of {t.steps}",
    ]
    if not mine:
        return html_lines(lines)
    full = float(state.turn_moves(np.array([uid]))[0])
    lines.append(f"Moves left {float(u.moves[uid]):g} of {full:g} ({t.move_class})")
    if int(u.entrenchment[uid]) or int(u.experience[uid]):
        lines.append(f"Entrenched {int(u.entrenchment[uid])}, experience {int(u.experience[uid])}")
    if u.attacked[uid]:
        lines.append("<i>Has attacked this turn</i>")
    if u.carrier[uid] >= 0:
        lines.append(f"Aboard {escape(u.names[int(u.carrier[uid])])}: land it on a lit hex")
    if t.carry:
        aboard = state.aboard(uid)
        load = fleets.load(state, uid)
        names = ", ".join(u.names[i] for i in aboard) or "nobody"
        lines.append(f"Carries {load} of {t.carry} steps: {escape(names)}")
    level = int(u.supply[uid])
    lines.append(coloured(f"This turn: {SUPPLY_WORDS[level]}", SUPPLY_COLOURS[level]))
    if sc.has_supply:
        why = explain(state, uid).text().splitlines()
        lines.append(f"<i>From here, next turn: {escape(why[0])}</i>")
        lines += [f"<i>{escape(line)}</i>" for line in why[1:]]
    return html_lines(lines)


def hex_text(state, col: int, row: int) -> str:
    """The side panel's account of a hex: terrain, river, road, railway, city, weather."""
    sc = state.scenario
    rules = sc.rules
    terrain = rules.terrain[int(sc.terrain[row, col])]
    parts = [f"<b>{escape(terrain.name)}</b> ({col}, {row}), defence x{terrain.defence:g}"]
    extras = [
        name
        for name, there in (
            ("river", sc.river[row, col]),
            ("road", sc.road[row, col]),
            ("railway", sc.rail[row, col]),
        )
        if there
    ]
    if extras:
        parts.append(", ".join(extras).capitalize())
    city = sc.city_at.get((col, row))
    if city is not None:
        c = sc.cities[city]
        holder = int(state.owner[row, col])
        who = sc.factions[holder].name if holder >= 0 else "nobody"
        points = f"{c.vp} victory point{'s' if c.vp != 1 else ''}"
        line = f"<b>{escape(c.name)}</b>: {points}, held by {escape(who)}"
        shield = state.shield_at(col, row)
        if shield:
            line += f", shield {shield}%"
        parts.append(line)
    weather = rules.weather[int(state.hex_weather()[row, col])]
    parts.append(f"Weather {escape(weather.name)}")
    return html_lines(parts)


def preview_lines(p: Preview, n_attackers: int, cornered: int = 0) -> list[str]:
    """A combat preview as a few short lines; `cornered`: steps the defenders lose on top if
    beaten, having nowhere to fall back to."""
    if p.defence == 0 and p.retreat_chance >= 1.0:
        cost = round(p.defender_losses)
        if not cost:
            return ["The defenders will fall back without a fight"]
        return [f"The defenders will fall back without a fight, giving up {steps_text(cost)}"]
    odds = f"{p.odds:.1f}:1" if np.isfinite(p.odds) else "overwhelming"
    who = "1 unit" if n_attackers == 1 else f"{n_attackers} units"
    lines = [
        f"Attack with {who}: {p.attack:.1f} against {p.defence:.1f} ({odds})",
        f"Expected losses: yours {p.attacker_losses:.1f}, theirs {p.defender_losses:.1f} steps",
    ]
    if cornered:
        lines.append(
            f"They have nowhere to fall back: if beaten they lose {cornered} more step"
            + ("s" if cornered > 1 else "")
        )
        lines.append(f"Beaten {p.retreat_chance:.0%}, wiped out {p.destroy_chance:.0%}")
    else:
        lines.append(f"They retreat {p.retreat_chance:.0%}, are destroyed {p.destroy_chance:.0%}")
    return lines


def battle_terms(terrain: float, river: bool, dug_in: int, sides: int) -> str:
    """What favours each side in a battle, in one line."""
    parts = [f"terrain x{terrain:g}"]
    if river:
        parts.append("behind a river")
    if dug_in:
        parts.append(f"dug in {dug_in}")
    if sides > 1:
        parts.append(f"attacked from {sides} sides")
    return "Defenders: " + ", ".join(parts)


def bombard_lines(p: BombardPreview, n: int) -> list[str]:
    """A bombardment preview as a few short lines."""
    lines = [
        f"Bombard with {n} unit{'s' if n > 1 else ''}: "
        f"fire {p.strength:.1f} against {p.protection:.1f}"
    ]
    if p.shield:
        lines.append(f"The city shield stops {p.shield}% of the fire")
    lines.append(
        f"Expected: they lose {p.defender_losses:.1f} steps (wiped out {p.destroy_chance:.0%})"
    )
    if p.flak:
        lines.append(f"Flak {p.flak:.1f}: your fleets lose {p.fleet_losses:.1f} steps")
    lines.append("Bombarding ends the bombarding units' moves for this turn")
    return lines


def top_bar(state, kinds: list[str]) -> list[str]:
    """Turn, date, weather, who moves: the first half of the top bar, from the fullest form
    to the shortest, so the window can use the longest that fits."""
    sc = state.scenario
    f = sc.factions[int(state.active)]
    who = "you" if kinds[f.index] == "human" else "computer"
    turn, date, weather = f"Turn {state.turn} of {sc.turns}", day(state.date()), weather_text(state)
    mover = f"{f.name} to move ({who})"
    return [
        "  |  ".join((turn, date, weather, mover)),
        "  |  ".join((turn, date, mover)),
        "  |  ".join((f"T{state.turn}/{sc.turns}", f"{f.name} ({who})")),
        f.name,
    ]


def side_points(state) -> list[tuple[str, int, str]]:
    """Victory points per side, with the colour of its first faction."""
    points = side_vp(state)
    factions = state.scenario.factions
    return [
        (side_name(side), points[side], next(f.color for f in factions if f.side == side))
        for side in state.scenario.sides
    ]


def help_text(scenario=None) -> str:
    """Every hotkey, for the F1 window, then how the scenario is won."""
    lines = [f"<b>{escape(k)}</b>: {escape(v)}" for k, v in HOTKEYS]
    if scenario is not None:
        lines += ["", "<b>How this scenario is won</b>", *map(escape, victory_lines(scenario))]
    return html_lines(lines)


def side_name(side: str) -> str:
    """A side's id as a title: 'coalition' -> 'Coalition'."""
    return side.replace("_", " ").capitalize()


def victory_lines(sc) -> list[str]:
    """The scenario's victory conditions, told: sudden death, then the levels by margin."""
    out = []
    for cond in sc.sudden_death:
        cities = " and ".join(sc.cities[c].name for c in cond.cities)
        out.append(f"{side_name(cond.side)} wins at once on holding {cities}.")
    out.append(f"Otherwise, after turn {sc.turns}, victory points decide (the first that applies):")
    for level in sc.levels:  # the first that applies
        if level.margin > 0:
            lead = f"leads by {level.margin} or more"
        elif level.margin == 0:
            lead = "is not behind"
        else:
            lead = f"trails by no more than {-level.margin}"
        out.append(f"- {level.level} victory for {side_name(level.side)} if it {lead}")
    out.append("- a draw otherwise")
    return out
