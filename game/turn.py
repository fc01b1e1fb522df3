"""Turn order, reinforcements, weather, scripted events, victory and the calendar.

A round is one turn of the calendar: every faction at war moves in the scenario's order; after
the last one the date advances, the weather changes, scheduled events fire and victory is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game import fog, hexgrid, movement, supply
from game.scenario import POSTURES, Event, Reinforcement, SuddenDeath
from game.state import FULL_SUPPLY, NO_SUPPLY, GameState


@dataclass
class Report:
    """Something that happened, for the message log: a kind, a sentence, and details."""

    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


def begin_game(state: GameState) -> list[Report]:
    """Turn 1: weather, events of the first turn, then the first faction's turn."""
    reports = _begin_round(state)
    for f in range(len(state.scenario.factions)):  # every unit starts at its true level
        mine = state.faction_units(f)
        state.units.supply[mine] = supply.unit_levels(state, f)[mine]
    state.active = _next_faction(state, -1) or 0
    if state.finished:
        return reports
    return reports + begin_faction_turn(state)


def begin_faction_turn(state: GameState) -> list[Report]:
    """Refresh the active faction's units and bring on its reinforcements."""
    f = state.active
    u = state.units
    reports = [Report("turn", f"{state.scenario.factions[f].name} to move", {"faction": f})]
    reports += _place_arrivals(state, f)
    reports += supply_phase(state, f)
    mine = state.faction_units(f)
    u.moves[mine] = state.turn_moves(mine)
    u.attacked[mine] = False
    u.landed[mine] = False
    fog.update_last_seen(state, f)
    return reports


def supply_phase(state: GameState, faction: int) -> list[Report]:
    """Set the supply level of the faction's units for this turn; units too long without supply
    lose steps."""
    u = state.units
    rules = state.rules
    sr = rules.supply
    level = supply.unit_levels(state, faction)
    mine = state.faction_units(faction)
    u.supply[mine] = level[mine]
    fed = mine[level[mine] > NO_SUPPLY]
    cut = mine[level[mine] == NO_SUPPLY]
    u.turns_unsupplied[fed] = 0
    u.turns_unsupplied[cut] += 1
    reports = [
        Report("supply", f"{u.names[i]} is cut off from supply", {"unit": int(i)})
        for i in cut[u.turns_unsupplied[cut] == 1]
    ]
    starving = cut[u.turns_unsupplied[cut] > sr.attrition_after]
    for i in starving.tolist():
        lost = min(sr.attrition_loss, int(u.steps[i]))
        if not lost:
            continue
        turns = int(u.turns_unsupplied[i])
        text = f"{u.names[i]} loses {steps_text(lost)} after {turns} turns without supply"
        reports.append(Report("attrition", text, {"unit": i}))
        reports += take_steps(state, [i], lost)
        reports += remove_dead(state, [i, *state.aboard(i)])
    return reports


def remove_dead(state: GameState, ids: list[int]) -> list[Report]:
    """Units among `ids` left with no steps are destroyed (their rows stay, marked dead), and
    with a fleet every unit aboard it."""
    u = state.units
    reports = []
    for uid in ids:
        if u.alive[uid] and u.steps[uid] <= 0:
            u.alive[uid] = False
            u.steps[uid] = 0
            reports.append(Report("destroyed", f"{u.names[uid]} is destroyed", {"unit": uid}))
            for rider in state.aboard(uid):
                u.alive[rider] = False
                u.steps[rider] = 0
                text = f"{u.names[rider]} goes down with {u.names[uid]}"
                reports.append(Report("destroyed", text, {"unit": rider}))
    return reports


def steps_text(n: int) -> str:
    """A number of steps in words: "nothing", "a step", "3 steps"."""
    return {0: "nothing", 1: "a step"}.get(n, f"{n} steps")


def put(state: GameState, uid: int, col: int, row: int) -> None:
    """Put a unit on a hex, with everything it carries."""
    u = state.units
    u.col[uid], u.row[uid] = col, row
    for rider in state.aboard(uid):
        u.col[rider], u.row[rider] = col, row


def take_steps(state: GameState, ids: list[int], losses: int) -> list[Report]:
    """Spread step losses one at a time, always on the unit with the most steps left; units
    aboard a fleet that lost steps lose `fleets.carried_loss` steps for each. (Destroyed units
    are left to `remove_dead`.)"""
    steps = state.units.steps
    before = {i: int(steps[i]) for i in ids}
    _spread(steps, ids, losses)
    reports = []
    for fleet, had in before.items():
        hit = had - int(steps[fleet])
        riders = state.aboard(fleet)
        if hit and riders:
            lost = min(hit * state.rules.fleets.carried_loss, sum(int(steps[r]) for r in riders))
            _spread(steps, riders, lost)
            if lost:
                text = f"The units aboard {state.units.names[fleet]} lose {steps_text(lost)}"
                reports.append(Report("aboard", text, {"unit": fleet}))
    return reports


def _spread(steps: np.ndarray, ids: list[int], losses: int) -> None:
    for _ in range(losses):
        alive = [i for i in ids if steps[i] > 0]
        if not alive:
            return
        top = max(alive, key=lambda i: (int(steps[i]), -i))
        steps[top] -= 1


def recover(state: GameState, still: np.ndarray) -> list[Report]:
    """Units that held still all turn in full supply, away from the enemy, regain steps."""
    u = state.units
    rules = state.rules
    sr = rules.supply
    zoc = movement.context(state, state.active).zoc
    at = u.row.astype(np.int64) * state.scenario.width + u.col
    rest = still & (u.supply == FULL_SUPPLY) & ~zoc[at] & (u.steps < rules.ut_steps[u.type])
    reports = []
    for i in np.flatnonzero(rest).tolist():
        gain = min(sr.recovery, int(rules.ut_steps[u.type[i]] - u.steps[i]))
        if gain > 0:
            u.steps[i] += gain
            text = f"{u.names[i]} rests and recovers {steps_text(gain)}"
            reports.append(Report("recovery", text, {"unit": i}))
    return reports


def end_faction_turn(state: GameState) -> list[Report]:
    """Units that held still dig in and recover; pass to the next faction, and begin a new round
    after the last."""
    f = state.active
    u = state.units
    rules = state.rules
    everyone = np.arange(len(u))
    still = u.alive & (u.faction == f) & ~u.attacked & (u.moves >= state.turn_moves(everyone))
    digs = still & ~rules.ut_air[u.type] & (u.carrier < 0)  # fleets hover; riders ride
    dig = u.entrenchment[digs] + 1
    u.entrenchment[digs] = np.minimum(dig, rules.combat.max_entrenchment)
    reports = recover(state, still)
    nxt = _next_faction(state, f)
    if nxt is None:
        reports += _end_round(state)
        if state.finished:
            return reports
        reports += _begin_round(state)
        if state.finished:  # sudden death from an event at the turn's start
            return reports
        nxt = _next_faction(state, -1) or 0
    state.active = nxt
    return reports + begin_faction_turn(state)


def _next_faction(state: GameState, after: int) -> int | None:
    """The next faction at war after `after` in the scenario's order; None at the round's end."""
    for f in range(after + 1, len(state.scenario.factions)):
        if state.at_war[f]:
            return f
    return None


def _end_round(state: GameState) -> list[Report]:
    _record_history(state)
    if state.turn >= state.scenario.turns:
        return finish(state, sudden=None)
    state.turn += 1
    return []


def _begin_round(state: GameState) -> list[Report]:
    reports = _roll_weather(state)
    for turn, reinforcement in state.scenario.reinforcements:
        if turn == state.turn:
            state.arrivals.append((reinforcement.faction, reinforcement))
    reports += check_events(state, mid_turn=False)
    return reports


def _record_history(state: GameState) -> None:
    state.history.append(
        {
            "turn": [state.turn],
            "vp": [int(v) for v in state.victory_points()],
            "steps": [int(s) for s in state.steps_by_faction()],
        }
    )


# -- weather ------------------------------------------------------------------------------------


def _roll_weather(state: GameState) -> list[Report]:
    """Each region takes the weather of its latest spell; tables draw from the game's generator."""
    sc = state.scenario
    rules = sc.rules
    reports = []
    for region in range(len(sc.region_names)):
        spells = [s for s in sc.weather if s.turn <= state.turn and s.region in (0, region)]
        if not spells:
            continue
        spell = max(spells, key=lambda s: (s.turn, s.region == region))
        table = spell.table
        if len(table) == 1:
            pick = table[0][0]
        else:
            roll = float(state.rng.random())
            pick = table[-1][0]
            for weather, chance in table:
                if roll < chance:
                    pick = weather
                    break
                roll -= chance
        if pick != state.weather[region] or state.turn == 1:
            name = rules.weather[pick].name
            named = len(sc.region_names) > 1 and sc.region_names[region] != "all"
            where = f" in {sc.region_names[region]}" if named else ""
            reports.append(Report("weather", f"Weather{where}: {name}", {"region": region}))
        state.weather[region] = pick
    return reports


# -- reinforcements -----------------------------------------------------------------------------


def _place_arrivals(state: GameState, faction: int) -> list[Report]:
    """Put the faction's waiting reinforcements on the map, near their hex if it is taken."""
    reports = []
    waiting = []
    for f, group in state.arrivals:
        if f != faction:
            waiting.append((f, group))
            continue
        spots = _arrival_hexes(state, group)
        if spots is None:
            waiting.append((f, group))
            reports.append(
                Report(
                    "reinforcement",
                    f"Reinforcements for "
                    f"{state.scenario.factions[f].name} are delayed: no room near "
                    f"[{group.col}, {group.row}]",
                )
            )
            continue
        ids = state.units.add(list(group.units), spots)
        state.units.moves[ids] = state.rules.ut_moves[state.units.type[ids]]
        names = ", ".join(state.units.names[i] for i in ids)
        reports.append(Report("reinforcement", f"Reinforcements arrive: {names}", {"units": ids}))
    state.arrivals = waiting
    return reports


def _arrival_hexes(state: GameState, group: Reinforcement) -> list[tuple[int, int]] | None:
    """A hex for each unit: the named one or the nearest with room, free of other sides."""
    sc = state.scenario
    rules = sc.rules
    side = state.side_of(group.faction)
    counts: dict[tuple[int, int, bool], int] = {}
    u = state.units
    for i in np.flatnonzero(u.alive & (u.carrier < 0)):
        key = (int(u.col[i]), int(u.row[i]), bool(rules.ut_air[u.type[i]]))
        if state.side_of(int(u.faction[i])) != side:
            counts[key] = 99
        else:
            counts[key] = counts.get(key, 0) + 1
    spots = []
    for spec in group.units:
        if spec.aboard:  # rides in with its fleet
            spots.append((group.col, group.row))
            continue
        air = bool(rules.ut_air[spec.type])
        limit = rules.stack_air if air else rules.stack_ground
        for col, row in hexgrid.spiral(group.col, group.row, 3):
            if not (0 <= col < sc.width and 0 <= row < sc.height):
                continue
            if not rules.can_enter(spec.type, int(sc.terrain[row, col])):
                continue
            if not air and state.enemy_city(col, row, group.faction):
                continue  # a lost town is retaken by marching in, not by arriving in it
            if counts.get((col, row, air), 0) < limit:
                counts[(col, row, air)] = counts.get((col, row, air), 0) + 1
                spots.append((col, row))
                break
        else:
            return None
    return spots


# -- events and victory -------------------------------------------------------------------------


def check_events(state: GameState, mid_turn: bool = True) -> list[Report]:
    """Fire every event whose trigger now holds (each fires once), then check sudden death.

    Mid-turn, reinforcements an event brings the faction to move arrive at once."""
    reports = []
    called_up = False
    for i, event in enumerate(state.scenario.events):
        if not state.fired[i] and _triggered(state, event):
            state.fired[i] = True
            reports += _fire(state, event)
            called_up |= any(g.faction == state.active for g in event.reinforcements)
    if mid_turn and called_up:
        reports += _place_arrivals(state, state.active)
    if not state.finished:
        reports += check_sudden_death(state)
    return reports


def _triggered(state: GameState, event: Event) -> bool:
    t = event.trigger
    sc = state.scenario
    if t.kind in ("turn", "date"):
        return state.turn >= t.turn
    if t.kind in ("captured", "city_lost"):
        city = sc.cities[t.city]
        holder = int(state.owner[city.row, city.col])
        if t.kind == "city_lost":
            return holder != t.faction
        return holder != city.owner and (t.faction < 0 or holder == t.faction)
    if t.kind == "destroyed":
        u = state.units
        return any(lab == t.unit_label and not u.alive[i] for i, lab in enumerate(u.labels))
    if t.kind == "entered":
        u = state.units
        mine = np.flatnonzero(u.alive & (u.faction == t.faction))
        near = hexgrid.distance(u.col[mine], u.row[mine], t.col, t.row) <= t.radius
        return bool(np.any(near))
    return False


def _fire(state: GameState, event: Event) -> list[Report]:
    factions = state.scenario.factions
    reports = [Report("event", event.title, {"message": event.text, "event": event.id})]
    for f in event.enter_war:
        if not state.at_war[f]:
            state.at_war[f] = True
            reports.append(Report("war", f"{factions[f].name} enters the war", {"faction": f}))
    for f, amount in event.victory_points:
        state.vp_bonus[f] += amount
        reports.append(Report("vp", f"{factions[f].name}: {amount:+d} victory points"))
    for group in event.reinforcements:
        state.arrivals.append((group.faction, group))
    for convoy, cut in event.interdict_convoys:
        state.convoy_cut[convoy] = max(0.0, state.convoy_cut[convoy] + cut)
        c = state.scenario.convoys[convoy]
        verb = "cut by" if cut >= 0 else "restored by"
        text = f"Convoy {c.name}: supply {verb} {abs(cut):g} points a turn"
        reports.append(Report("convoy", text, {"convoy": convoy}))
    for f in event.entrench:
        mine = state.faction_units(f)
        mine = mine[~state.rules.ut_air[state.units.type[mine]] & (state.units.carrier[mine] < 0)]
        state.units.entrenchment[mine] = state.rules.combat.max_entrenchment
        text = f"Every ground unit of {factions[f].name} digs in where it stands"
        reports.append(Report("entrench", text, {"faction": f}))
    for f, posture in event.posture:
        if state.posture[f] != posture:
            state.posture[f] = posture
            text = f"{factions[f].name}: {POSTURE_NEWS[POSTURES[posture]]}"
            reports.append(Report("posture", text, {"faction": f}))
    for city, shield in event.shields:
        state.shield[city] = shield
        name = state.scenario.cities[city].name
        text = f"The shield of {name} now stops {shield}% of any bombardment"
        reports.append(Report("shield", text, {"city": city}))
    return reports


POSTURE_NEWS = {
    "offensive": "goes over to the offensive",
    "defensive": "goes over to the defensive",
    "suspended": "halts its offensive and holds what it has taken",
}


def side_vp(state: GameState) -> dict[str, int]:
    """Victory points per side."""
    vp = state.victory_points()
    out: dict[str, int] = {}
    for f in state.scenario.factions:
        out[f.side] = out.get(f.side, 0) + int(vp[f.index])
    return out


def standing(state: GameState) -> tuple[str | None, str]:
    """(winning side or None, level) if the game ended on points now: the first victory level
    whose margin a side's points reach over the best of the others', else a draw."""
    vp = side_vp(state)
    for level in state.scenario.levels:
        others = [v for s, v in vp.items() if s != level.side]
        if vp.get(level.side, 0) - max(others, default=0) >= level.margin:
            return level.side, level.level
    return None, "draw"


def check_sudden_death(state: GameState) -> list[Report]:
    """A side that holds every city of one of its sudden-death conditions wins at once."""
    sc = state.scenario
    for cond in sc.sudden_death:
        cities = [sc.cities[c] for c in cond.cities]
        holders = [int(state.owner[c.row, c.col]) for c in cities]
        if all(h >= 0 and state.side_of(h) == cond.side for h in holders):
            return finish(state, sudden=cond)
    return []


def finish(state: GameState, sudden: SuddenDeath | None) -> list[Report]:
    """End the game: a sudden-death winner, or the first victory level the points reach."""
    state.finished = True
    sc = state.scenario
    if sudden is not None:
        state.winner, state.level = sudden.side, "decisive"
        if not state.history or state.history[-1]["turn"] != [state.turn]:
            _record_history(state)
        cities = " and ".join(sc.cities[c].name for c in sudden.cities)
        text = f"Sudden death on turn {state.turn}: {sudden.side} holds {cities}"
    else:
        state.winner, state.level = standing(state)
        text = f"The last turn is over ({state.turn} of {sc.turns})"
    result = f"{state.level} victory for {state.winner}" if state.winner else "a draw"
    return [Report("end", f"{text}: {result}", {"winner": state.winner, "level": state.level})]
