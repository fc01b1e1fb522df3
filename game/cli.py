"""Command line: play, validate, simulate, bench. `python run_game.py` with no arguments plays the
default scenario."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from game.allocator import keep_freed_memory
from game.validate import check_paths, yaml_files

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_SCENARIO = "ulan_ude_1939"


def find_scenario(name: str) -> Path:
    """A path as given, or the name of a shipped scenario ('ulan_ude_1939')."""
    path = Path(name)
    if path.exists() or path.suffix in (".yaml", ".yml"):
        return path
    return SCENARIO_DIR / f"{name}.yaml"


def _players(pairs: list[str], option: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        faction, sep, who = pair.partition("=")
        if not sep or not faction or not who:
            raise SystemExit(f"error: {option} takes FACTION=NAME, not '{pair}'")
        out[faction] = who
    return out


def cmd_validate(args: argparse.Namespace) -> int:
    problems = check_paths(args.paths)
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not args.quiet:
        files = len(yaml_files(args.paths))
        print(
            f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)",
            file=sys.stderr,
        )
    return 1 if errors else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.simulate import SimulationError, play_game

    sides = _players(args.side, "--side")
    for game in range(args.games):
        seed = args.seed + game
        try:
            result = play_game(find_scenario(args.scenario), seed, sides, verbose=False)
        except SimulationError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            winner = result["winner"] or "nobody (draw)"
            print(
                f"game {game + 1} seed {seed}: {result['level']} for {winner} after "
                f"{result['turns']} turns, VP {result['victory_points']}",
                flush=True,
            )
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from game.simulate import SimulationError, play_game

    players = _players(args.player, "--player")
    humans = [f for f, who in players.items() if who == "human"]
    if humans:
        print(
            "error: the game window is not built yet, so every faction is played by the "
            f"computer for now (asked for human: {', '.join(humans)})",
            file=sys.stderr,
        )
        return 2
    sides = {f: ("random" if who == "ai" else who) for f, who in players.items()}
    try:
        result = play_game(find_scenario(args.scenario), args.seed, sides, verbose=True)
    except SimulationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from game.bench import run_bench

    report = run_bench(quick=args.quick)
    if args.json:
        print(json.dumps(report))
    else:
        for section, rows in report.items():
            for row in rows:
                print(section, " ".join(f"{k}={v}" for k, v in row.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run_game.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    play = sub.add_parser("play", help="play a scenario (default: the default campaign)")
    play.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO)
    play.add_argument("--player", action="append", default=[], metavar="FACTION=human|ai")
    play.add_argument("--seed", type=int, default=1)
    play.set_defaults(run=cmd_play)
    val = sub.add_parser("validate", help="check scenario and rules files")
    val.add_argument("paths", nargs="+")
    val.add_argument("--quiet", action="store_true", help="print only the problems")
    val.set_defaults(run=cmd_validate)
    sim = sub.add_parser("simulate", help="play whole games between computer players")
    sim.add_argument("scenario")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--games", type=int, default=1)
    sim.add_argument("--side", action="append", default=[], metavar="FACTION=AI_NAME")
    sim.add_argument("--json", action="store_true", help="one JSON object per game")
    sim.set_defaults(run=cmd_simulate)
    bench = sub.add_parser("bench", help="measure the numpy cores against their references")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--quick", action="store_true", help="smaller sizes, for a quick look")
    bench.set_defaults(run=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    keep_freed_memory()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play"])
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
