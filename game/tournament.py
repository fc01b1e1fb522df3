"""Tournaments: many games of one scenario between computer players, run in parallel processes,
and the balance report they add up to.

Each game is a pure function of the scenario, the seed and the players (`play_game`), so the
games can run in any order and on any number of processes; the records come back in seed order.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from tqdm import tqdm

from game.scenario import Scenario
from game.simulate import play_game

Z95 = 1.959964  # the normal quantile of a two-sided 95% interval
TOP_HEXES = 10


def run_games(
    path: Path, seeds: list[int], sides: dict[str, str], workers: int = 1, progress: bool = True
) -> Iterator[dict[str, Any]]:
    """Play a game per seed; yields the records in seed order as they become known. With
    `progress`, a bar on the terminal (stderr) counts the games done."""
    bar = tqdm(total=len(seeds), unit="game", disable=not progress or None, leave=False)
    try:
        if workers <= 1:
            for seed in seeds:
                record = play_game(path, seed, sides)
                bar.update()
                yield record
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(play_game, path, seed, sides): seed for seed in seeds}
            done: dict[int, dict[str, Any]] = {}
            waiting = list(seeds)
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                bar.update()
                while waiting and waiting[0] in done:  # hand them on in seed order
                    yield done.pop(waiting.pop(0))
    finally:
        bar.close()


def wilson(wins: int, games: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a win rate (sound for rates near 0 or 1)."""
    if games == 0:
        return 0.0, 1.0
    p = wins / games
    centre = (p + Z95**2 / (2 * games)) / (1 + Z95**2 / games)
    half = Z95 * math.sqrt(p * (1 - p) / games + Z95**2 / (4 * games**2)) / (1 + Z95**2 / games)
    return max(0.0, centre - half), min(1.0, centre + half)


def balance(scenario: Scenario, records: list[dict[str, Any]]) -> dict[str, Any]:
    """What the games add up to: wins per side with a 95% interval, draws, game length,
    victory points, steps lost per faction (mean), and the hexes where units were most often
    cut off from supply."""
    games = len(records)
    sides: dict[str, Any] = {}
    for side in scenario.sides:
        wins = sum(r["winner"] == side for r in records)
        lo, hi = wilson(wins, games)
        sides[side] = {
            "wins": wins,
            "rate": round(wins / games, 3),
            "ci95": [round(lo, 3), round(hi, 3)],
        }
    turns = [r["turns"] for r in records]
    ids = [f.id for f in scenario.factions]
    cut: dict[tuple[int, int], int] = {}
    for r in records:
        for col, row, n in r.get("cut_off", ()):
            cut[(col, row)] = cut.get((col, row), 0) + n
    worst = sorted(cut.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_HEXES]
    return {
        "games": games,
        "sides": sides,
        "draws": sum(r["winner"] is None for r in records),
        "turns": {"min": min(turns), "median": statistics.median(turns), "max": max(turns)},
        "victory_points": {f: _mean(r["victory_points"][f] for r in records) for f in ids},
        "steps_lost": {f: _mean(r["losses"][f] for r in records) for f in ids},
        "cut_off_hexes": [
            {"hex": [c, r], "place": _place(scenario, c, r), "times": n} for (c, r), n in worst
        ],
    }


def _mean(values) -> float:
    values = list(values)
    return round(sum(values) / len(values), 1) if values else 0.0


def _place(scenario: Scenario, col: int, row: int) -> str:
    city = scenario.city_at.get((col, row))
    if city is not None:
        return scenario.cities[city].name
    return f"{scenario.rules.terrain[int(scenario.terrain[row, col])].name.lower()} ({col}, {row})"


def report_lines(report: dict[str, Any]) -> list[str]:
    """The balance report as lines for the terminal."""
    out = [f"Balance over {report['games']} games:"]
    for side, s in report["sides"].items():
        lo, hi = s["ci95"]
        out.append(
            f"  {side}: {s['wins']} wins ({s['rate']:.0%}, 95% interval {lo:.0%} to {hi:.0%})"
        )
    out.append(f"  draws: {report['draws']}")
    t = report["turns"]
    out.append(f"  length: {t['min']} to {t['max']} turns, median {t['median']:g}")
    out.append(f"  victory points (mean): {_pairs(report['victory_points'])}")
    out.append(f"  steps lost (mean): {_pairs(report['steps_lost'])}")
    if report["cut_off_hexes"]:
        worst = ", ".join(f"{h['place']} x{h['times']}" for h in report["cut_off_hexes"][:5])
        out.append(f"  most often cut off from supply: {worst}")
    return out


def _pairs(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in values.items())
