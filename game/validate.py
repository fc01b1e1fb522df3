"""The mod checker: every problem in scenario and rules files as `path:line:col: severity: message`.

Loading a file already checks its shape, names and placement (scenario.py, rules.py); the lint
passes here look at meaning across the whole scenario: things that load but would make a broken
or surprising game.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from game.rules import RulesBuilder
from game.scenario import Scenario, ScenarioError, load
from game.schema import Reader
from game.yamlio import Problem, YamlError, load_file


def check_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Check files (and every .yaml under folders); never raises for bad input."""
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            problems.extend(check_file(file))
    return problems


def check_file(path: Path) -> list[Problem]:
    """Problems of one scenario or rules file (a rules file has no `map`)."""
    try:
        doc = load_file(path)
    except YamlError as exc:
        return exc.problems
    if isinstance(doc.data, dict) and "map" not in doc.data and "unit_types" in doc.data:
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
        problems.extend(lint(scenario))
    return problems


def _warn(scenario: Scenario, message: str) -> Problem:
    return Problem(scenario.path, 1, 1, "warning", message)


def lint_factions(scenario: Scenario) -> list[Problem]:
    """A faction that never has a unit on the map cannot play."""
    present = {u.faction for u in scenario.units}
    present |= {r.faction for _, r in scenario.reinforcements}
    present |= {r.faction for e in scenario.events for r in e.reinforcements}
    return [
        _warn(scenario, f"faction '{f.id}' has no units and no reinforcements")
        for f in scenario.factions
        if f.index not in present
    ]


def lint_victory(scenario: Scenario) -> list[Problem]:
    """Victory conditions that cannot work as meant."""
    out = []
    if not scenario.levels and not scenario.sudden_death:
        out.append(_warn(scenario, "no victory levels or sudden death: every game is a draw"))
    for cond in scenario.sudden_death:
        holders = [scenario.cities[c].owner for c in cond.cities]
        if all(h >= 0 and scenario.factions[h].side == cond.side for h in holders):
            names = ", ".join(scenario.cities[c].name for c in cond.cities)
            out.append(
                Problem(
                    scenario.path,
                    1,
                    1,
                    "error",
                    f"victory.sudden_death: side '{cond.side}' already holds {names} at the start",
                )
            )
    return out


def lint_reachable_cities(scenario: Scenario) -> list[Problem]:
    """A city on a hex no ground unit can enter can never change hands."""
    rules = scenario.rules
    ground = [i for i, c in enumerate(rules.move_classes) if rules.layer_of_class[c] == "ground"]
    out = []
    for city in scenario.cities:
        terrain = int(scenario.terrain[city.row, city.col])
        if not np.isfinite(rules.move_cost[ground, terrain]).any():
            out.append(
                _warn(
                    scenario,
                    f"city '{city.name}' stands on "
                    f"{rules.terrain[terrain].name.lower()}, where no ground unit can go",
                )
            )
    return out


def lint_events(scenario: Scenario) -> list[Problem]:
    """Events whose trigger holds at once or can never hold."""
    out = []
    for event in scenario.events:
        t = event.trigger
        if t.kind == "city_lost" and scenario.cities[t.city].owner != t.faction:
            city = scenario.cities[t.city].name
            out.append(
                _warn(
                    scenario,
                    f"event '{event.id}': {scenario.factions[t.faction].id} does "
                    f"not hold {city} at the start, so it fires at once",
                )
            )
    return out


LINTS: list[Callable[[Scenario], list[Problem]]] = [
    lint_factions,
    lint_victory,
    lint_reachable_cities,
    lint_events,
]
