"""Whole games between computer players, as `simulate` and (until the game window exists) `play`
run them. Each game is a pure function of the scenario, the seed and the players."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.ai import DEFAULT_AI, PLAYERS, make_player
from game.commands import Command
from game.engine import Engine, Result
from game.narrate import Narrator
from game.scenario import ScenarioError, load
from game.turn import Report


class SimulationError(Exception):
    """A game that cannot be played: the scenario does not load."""


class SetupError(SimulationError):
    """The players asked for do not fit the scenario: an unknown faction or computer player."""


def play_game(
    path: Path, seed: int, sides: dict[str, str], verbose: bool = False, max_commands: int = 200_000
) -> dict[str, Any]:
    """Play one game to its end; returns its record: scenario, seed, winner (a side, or None for
    a draw), level, turns, victory points and steps per faction, commands, state_hash, and how
    many commands the engine refused."""
    return play_on(new_engine(path, seed), sides, verbose, max_commands)[0]


def new_engine(path: Path, seed: int) -> Engine:
    """A new game of the scenario at `path`; SimulationError when the scenario does not load."""
    try:
        scenario = load(path)
    except ScenarioError as exc:
        raise SimulationError(f"{path} does not load:\n{exc}") from None
    return Engine(scenario, seed=seed)


def computer_players(engine: Engine, sides: dict[str, str]) -> list[Any]:
    """A computer player for every faction: the one named in `sides`, else the default."""
    scenario = engine.scenario
    ids = [f.id for f in scenario.factions]
    for faction, who in sides.items():
        if faction not in ids:
            raise SetupError(f"unknown faction '{faction}' (the factions are: {', '.join(ids)})")
        if who not in PLAYERS:
            raise SetupError(f"unknown computer player '{who}' (known: {', '.join(PLAYERS)})")
    seed = engine.state.seed
    return [make_player(sides.get(f.id, DEFAULT_AI), f.index, seed) for f in scenario.factions]


def play_on(
    engine: Engine,
    sides: dict[str, str],
    verbose: bool = False,
    max_commands: int = 200_000,
    turns: int | None = None,
) -> tuple[dict[str, Any], Engine]:
    """Play a game on from where it stands, to its end or until turn `turns` is over; returns
    the game's record and the engine. A stop comes only between two turns, so the computer
    players pick up a continued game exactly where they left it."""
    players = computer_players(engine, sides)
    refused: list[str] = []
    narrator = Narrator(engine.state, out=lambda line: print(line, flush=True))
    tally = Tally(engine)
    opening = engine.opening if not engine.log else []
    tally.hear(opening)
    if verbose:
        narrator.briefing()
        narrator.tell(opening)

    def submit(cmd: Command) -> Result:
        result = engine.submit(cmd)
        if not result.ok:
            refused.append(f"{cmd}: {result.reason}")
        else:
            tally.hear(result.reports)
            if verbose:
                narrator.tell(result.reports)
        if len(engine.log) > max_commands:
            raise SimulationError(f"the game passed {max_commands} commands without ending")
        return result

    state = engine.state
    while not state.finished and (turns is None or state.turn <= turns):
        before = len(engine.log)
        players[state.active].play_turn(engine.view, submit)
        if len(engine.log) == before:
            raise SimulationError(f"{players[state.active].name} made no move on turn {state.turn}")
    record = game_record(engine, Path(engine.scenario.path))
    record["refused"] = len(refused)
    record["losses"] = tally.losses()
    record["cut_off"] = tally.cut_off_hexes()
    return record, engine


class Tally:
    """What a game's reports add up to, for the balance report: the steps each faction put in
    the field (at the start and as reinforcements) and where units were cut off from supply."""

    def __init__(self, engine: Engine) -> None:
        self.state = engine.state
        self.fielded = [int(v) for v in engine.state.steps_by_faction()]
        self.cut: dict[tuple[int, int], int] = {}

    def hear(self, reports: list[Report]) -> None:
        """Count arrivals and units cut off among these reports."""
        u = self.state.units
        for report in reports:
            if report.kind == "reinforcement":
                for uid in report.data.get("units", ()):
                    self.fielded[int(u.faction[uid])] += int(u.steps[uid])
            elif report.kind == "supply" and "unit" in report.data:
                uid = int(report.data["unit"])
                where = (int(u.col[uid]), int(u.row[uid]))
                self.cut[where] = self.cut.get(where, 0) + 1

    def losses(self) -> dict[str, int]:
        """Steps each faction lost: all it fielded less what is left."""
        left = self.state.steps_by_faction()
        return {
            f.id: self.fielded[f.index] - int(left[f.index]) for f in self.state.scenario.factions
        }

    def cut_off_hexes(self) -> list[list[int]]:
        """[col, row, times] for every hex where a unit was found cut off from supply."""
        return [[c, r, n] for (c, r), n in sorted(self.cut.items())]


def game_record(engine: Engine, path: Path) -> dict[str, Any]:
    """The JSON record of a finished game."""
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
        "finished": state.finished,
    }


def time_computer_turns(path: Path, seed: int = 1, limit: int = 60) -> dict[str, Any]:
    """How long the default computer player takes over one faction's turn in a scenario: the
    median and the longest of up to `limit` turns, with the units on the map; and the median
    for each faction, with its mean number of units (the biggest army takes longest)."""
    import statistics
    import time

    scenario = load(path)
    engine = Engine(scenario, seed=seed)
    players = [make_player(DEFAULT_AI, f.index, seed) for f in scenario.factions]
    state = engine.state
    units = [int(state.units.alive.sum())]
    times: list[float] = []
    by_faction: dict[str, list[tuple[float, int]]] = {}
    while not state.finished and len(times) < limit:
        faction = scenario.factions[state.active]
        own = int((state.units.alive & (state.units.faction == faction.index)).sum())
        began = time.perf_counter()
        players[state.active].play_turn(engine.view, engine.submit)
        times.append(time.perf_counter() - began)
        by_faction.setdefault(faction.id, []).append((times[-1], own))
        units.append(int(state.units.alive.sum()))
    return {
        "scenario": Path(path).stem,
        "player": DEFAULT_AI,
        "turns_timed": len(times),
        "units": round(statistics.mean(units)),
        "seconds": round(statistics.median(times), 6),
        "max_seconds": round(max(times), 6),
        "by_faction": {
            fid: {
                "turns": len(rows),
                "units": round(statistics.mean(n for _, n in rows)),
                "seconds": round(statistics.median(t for t, _ in rows), 6),
            }
            for fid, rows in by_faction.items()
        },
    }
