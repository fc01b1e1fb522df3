"""Whole games between computer players, as `simulate` and (until the game window exists) `play`
run them. Each game is a pure function of the scenario, the seed and the players."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from game.ai import PLAYERS, make_player
from game.commands import Command
from game.engine import Engine, Result
from game.scenario import ScenarioError, load
from game.turn import Report


class SimulationError(Exception):
    """A game that cannot be set up: bad scenario, unknown faction or player."""


def play_game(
    path: Path, seed: int, sides: dict[str, str], verbose: bool = False, max_commands: int = 200_000
) -> dict[str, Any]:
    """Play one game to its end; returns the JSON record of DESIGN section 4."""
    try:
        scenario = load(path)
    except ScenarioError as exc:
        raise SimulationError(f"{path} does not load:\n{exc}") from None
    ids = [f.id for f in scenario.factions]
    for faction, who in sides.items():
        if faction not in ids:
            raise SimulationError(
                f"unknown faction '{faction}' (the factions are: {', '.join(ids)})"
            )
        if who not in PLAYERS:
            raise SimulationError(f"unknown computer player '{who}' (known: {', '.join(PLAYERS)})")
    engine = Engine(scenario, seed=seed)
    players = [make_player(sides.get(f.id, "random"), f.index, seed) for f in scenario.factions]
    refused: list[str] = []
    if verbose:
        print(turn_line(engine), flush=True)
        tell(engine.opening)

    def submit(cmd: Command) -> Result:
        turn = engine.state.turn
        result = engine.submit(cmd)
        if not result.ok:
            refused.append(f"{cmd}: {result.reason}")
        elif verbose:
            if engine.state.turn != turn or engine.state.finished:
                print(turn_line(engine), flush=True)
            tell(result.reports)
        if len(engine.log) > max_commands:
            raise SimulationError(f"the game passed {max_commands} commands without ending")
        return result

    state = engine.state
    while not state.finished:
        before = len(engine.log)
        players[state.active].play_turn(engine, submit)
        if len(engine.log) == before:
            raise SimulationError(f"{players[state.active].name} made no move on turn {state.turn}")
    record = game_record(engine, path)
    record["refused"] = len(refused)
    return record


#: Report kinds worth a line in the terminal while a game is watched.
TOLD = ("event", "war", "capture", "reinforcement", "weather")


def tell(reports: list[Report]) -> None:
    """Print the notable things that happened, events with their narrative."""
    for report in reports:
        if report.kind not in TOLD:
            continue
        print(f"      {report.text}")
        message = report.data.get("message", "")
        if message:
            print(
                textwrap.fill(
                    message, width=92, initial_indent="        ", subsequent_indent="        "
                )
            )


def turn_line(engine: Engine) -> str:
    """One line about the state of the game, for the terminal."""
    state = engine.state
    sc = state.scenario
    vp = state.victory_points()
    steps = state.steps_by_faction()
    parts = [f"{f.id} {int(vp[f.index])} VP {int(steps[f.index])} steps" for f in sc.factions]
    weather = "/".join(sc.rules.weather[w].name for w in state.weather)
    head = f"turn {state.turn:>3} {state.date().isoformat()} {weather:<6}"
    if state.finished:
        head = f"end after {state.turn} turns: {state.level} for {state.winner or 'nobody'} -"
    return head + " | " + ", ".join(parts)


def game_record(engine: Engine, path: Path) -> dict[str, Any]:
    state = engine.state
    sc = state.scenario
    vp = state.victory_points()
    steps = state.steps_by_faction()
    return {
        "scenario": Path(path).stem,
        "seed": state.seed,
        "winner": state.winner,
        "level": state.level,
        "turns": state.turn,
        "victory_points": {f.id: int(vp[f.index]) for f in sc.factions},
        "steps": {f.id: int(steps[f.index]) for f in sc.factions},
        "commands": len(engine.log),
        "state_hash": state.state_hash(),
    }
