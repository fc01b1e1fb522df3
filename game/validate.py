"""The mod checker: every problem in scenario and rules files as `path:line:col: severity: message`.

Loading a file already checks its shape, names and placement (scenario.py, rules.py); the lint
passes here look at meaning across the whole scenario: things that load but would make a broken
or surprising game.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from game import hexgrid, mapgen, supply
from game.fields import cost_field
from game.mapgen import is_map_spec
from game.rules import RulesBuilder, is_rules_file
from game.scenario import Scenario, ScenarioError, load
from game.schema import Path as KeyPath
from game.schema import Reader
from game.state import NO_SUPPLY, new_game
from game.supply_explain import explain, side_supply
from game.yamlio import Document, Problem, YamlError, format_path, load_file


def yaml_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and every .yaml file under the folders named."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")]))
        else:
            files.append(path)
    return files


def check_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Check files (and every .yaml under folders); never raises for bad input."""
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir() and not yaml_files([path]):
            problems.append(Problem(str(path), 1, 1, "warning", "no .yaml or .yml files here"))
    for file in yaml_files(paths):
        problems.extend(check_file(file))
    return problems


def check_file(path: Path) -> list[Problem]:
    """Problems of one scenario or rules file (a rules file has no `map`), in file order."""
    try:
        return sorted(_check_file(path), key=lambda p: (p.file != str(path), p.line, p.col))
    except Exception as exc:  # last-resort guard: a modder's file must never crash the checker
        message = f"internal error while checking this file: {type(exc).__name__}: {exc}"
        return [Problem(str(path), 1, 1, "error", message)]


def _check_file(path: Path) -> list[Problem]:
    try:
        doc = load_file(path)
    except YamlError as exc:
        return exc.problems
    if is_map_spec(doc.data):
        return mapgen.check(path)
    if is_rules_file(doc.data):
        reader = Reader(doc)
        builder = RulesBuilder()
        builder.add(reader, doc.data)
        builder.build()
        return reader.problems
    try:
        scenario = load(path)
    except ScenarioError as exc:
        return exc.problems
    problems = list(scenario.warnings)
    for lint in LINTS:
        problems.extend(lint(scenario, doc))
    return problems


def _at(doc: Document, path: KeyPath, message: str, severity: str = "warning") -> Problem:
    """A problem located at the key path of a loaded scenario (the scenario loaded cleanly, so
    the n-th faction, city, event ... is the n-th entry of its list in the file)."""
    where = f"{format_path(path)}: " if path else ""
    return doc.problem(path, where + message, severity)


def lint_factions(scenario: Scenario, doc: Document) -> list[Problem]:
    """A faction that never has a unit on the map cannot play."""
    present = {u.faction for u in scenario.units}
    present |= {r.faction for _, r in scenario.reinforcements}
    present |= {r.faction for e in scenario.events for r in e.reinforcements}
    return [
        _at(doc, ("factions", f.index), f"faction '{f.id}' has no units and no reinforcements")
        for f in scenario.factions
        if f.index not in present
    ]


def lint_victory(scenario: Scenario, doc: Document) -> list[Problem]:
    """Victory conditions that cannot work as meant."""
    out = []
    if not scenario.levels and not scenario.sudden_death:
        message = "no victory levels or sudden death: every game is a draw"
        out.append(doc.problem(("victory",), message, "warning"))
    for i, cond in enumerate(scenario.sudden_death):
        holders = [scenario.cities[c].owner for c in cond.cities]
        if all(h >= 0 and scenario.factions[h].side == cond.side for h in holders):
            names = ", ".join(scenario.cities[c].name for c in cond.cities)
            message = f"side '{cond.side}' already holds {names} at the start"
            out.append(_at(doc, ("victory", "sudden_death", i), message, "error"))
    return out


def lint_reachable_cities(scenario: Scenario, doc: Document) -> list[Problem]:
    """A city on a hex no unit that takes cities can enter can never change hands."""
    rules = scenario.rules
    takers = np.flatnonzero(rules.ut_captures)
    out = []
    for city in scenario.cities:
        terrain = int(scenario.terrain[city.row, city.col])
        if not np.isfinite(rules.move_cost[rules.ut_move_class[takers], terrain]).any():
            message = (
                f"city '{city.name}' stands on {rules.terrain[terrain].name.lower()}, "
                "where no unit that takes cities can go"
            )
            out.append(_at(doc, ("cities", city.index, "at"), message))
    return out


def lint_events(scenario: Scenario, doc: Document) -> list[Problem]:
    """Events whose trigger holds at once or can never hold."""
    out = []
    for i, event in enumerate(scenario.events):
        t = event.trigger
        if t.kind == "city_lost" and scenario.cities[t.city].owner != t.faction:
            city = scenario.cities[t.city].name
            message = (
                f"event '{event.id}': {scenario.factions[t.faction].id} does "
                f"not hold {city} at the start, so it fires at once"
            )
            out.append(_at(doc, ("events", i, "when"), message))
    return out


def lint_supply_sources(scenario: Scenario, doc: Document) -> list[Problem]:
    """Sources from which supply can reach no other hex (unless carriers fly supply in from
    sources, `supply.carrier_reach`), and ports no convoy feeds."""
    out = []
    state = new_game(scenario, 0)
    rules = scenario.rules
    w = scenario.width
    nbr = hexgrid.neighbour_table(w, scenario.height)
    places: list[tuple[KeyPath, str, int, int]] = [
        (("cities", c.index), c.name, c.row * w + c.col, c.owner)
        for c in scenario.cities
        if c.supply > 0 or any(v.port == c.index for v in scenario.convoys)
    ]
    places += [
        (("supply_sources", s.index), s.name, s.row * w + s.col, s.faction)
        for s in scenario.supply_sources
    ]
    # unopposed, the step costs are the same for every side: build them once
    costs = supply.supply_field(state, 0, obey_enemy=False).costs
    for path, name, at, faction in places:
        if faction < 0:
            continue
        cost, _ = cost_field(costs, np.array([at]), rules.supply.reduced_range)
        rail = (scenario.rail.ravel()[at] != 0) and (scenario.rail.ravel()[nbr[at]] != 0).any()
        if np.isfinite(cost).sum() <= 1 and not rail and not rules.supply.carrier_reach:
            message = f"supply from {name} can reach no other hex: it feeds only its own"
            out.append(_at(doc, path, message))
    for city in scenario.cities:
        if city.port and not any(v.port == city.index for v in scenario.convoys):
            message = f"{city.name} is a port, but no convoy feeds it"
            out.append(_at(doc, ("cities", city.index, "port"), message))
    for convoy in scenario.convoys:
        port = scenario.cities[convoy.port]
        if convoy.route:
            end = convoy.route[-1]
            gap = int(hexgrid.distance(end[0], end[1], port.col, port.row))
            if gap > 1:
                message = f"the route of convoy {convoy.name} ends {gap} hexes from {port.name}"
                out.append(_at(doc, ("convoys", convoy.index, "route"), message))
    return out


def lint_units_out_of_supply(scenario: Scenario, doc: Document) -> list[Problem]:
    """Units that start the game without supply (one line for a faction with no source)."""
    if not scenario.has_supply:
        return []
    state = new_game(scenario, 0)
    out = []
    for f in scenario.factions:
        mine = [i for i, spec in enumerate(scenario.units) if spec.faction == f.index]
        if not mine:
            continue
        known = side_supply(state, f.index)
        if not known[0].sources:
            message = f"faction '{f.id}' has no supply source: its units start out of supply"
            out.append(_at(doc, ("factions", f.index), message))
            continue
        level = known[1].level
        for i in mine:
            if level[i] == NO_SUPPLY and scenario.rules.ut_supply_use[scenario.units[i].type]:
                why = "; ".join(explain(state, i, known).reasons)
                message = f"{state.units.names[i]} starts out of supply: {why}"
                out.append(_at(doc, ("units", i), message))
    return out


LINTS: list[Callable[[Scenario, Document], list[Problem]]] = [
    lint_factions,
    lint_victory,
    lint_reachable_cities,
    lint_events,
    lint_supply_sources,
    lint_units_out_of_supply,
]
