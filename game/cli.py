"""Command line: play, validate, simulate, replay, supply, mapgen, bench. With no arguments it
opens the game window on its main menu.

Exit codes: 0 done, 1 a file or game could not be used (the message says why), 2 the command
line itself was wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from game.ai import DEFAULT_AI, PLAYERS
from game.allocator import keep_freed_memory
from game.schema import did_you_mean
from game.validate import check_paths, yaml_files

#: Where shipped scenarios are looked for: beside the package (a source checkout or an editable
#: install), then in the current folder.
SCENARIO_DIRS = (Path(__file__).resolve().parent.parent / "scenarios", Path("scenarios"))
DEFAULT_SCENARIO = "siberia_1939"


class UsageError(Exception):
    """The command line asks for something that does not exist."""


def shipped_scenarios() -> list[str]:
    """Names of the scenarios in the scenarios folder."""
    return sorted({p.stem for folder in SCENARIO_DIRS for p in folder.glob("*.yaml")})


def find_scenario(name: str) -> Path:
    """A scenario file from a path, or from the name of a shipped scenario ('ulan_ude_1939')."""
    path = Path(name)
    candidates = [path, path.with_name(path.name + ".yaml")]
    for folder in SCENARIO_DIRS:
        candidates += [folder / path.name, folder / f"{path.name}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if path.is_dir():
        raise UsageError(
            f"'{name}' is a folder; name a scenario file or one of: "
            + ", ".join(shipped_scenarios())
        )
    hint = did_you_mean(path.stem, shipped_scenarios())
    raise UsageError(
        f"no scenario '{name}'{hint}; the shipped scenarios are: " + ", ".join(shipped_scenarios())
    )


def _players(pairs: list[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        faction, sep, who = pair.partition("=")
        if not sep or not faction or not who:
            raise UsageError(f"{option} takes FACTION=PLAYER, not '{pair}'")
        if faction in out:
            raise UsageError(f"{option} names {faction} twice")
        out[faction] = DEFAULT_AI if who == "ai" else who
    return out


def _whole(text: str, lowest: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = lowest - 1
    if value < lowest:
        raise argparse.ArgumentTypeError(f"{what}, not {text}")
    return value


def _count(text: str) -> int:
    return _whole(text, 1, "must be a whole number, 1 or more")


def _seed(text: str) -> int:
    return _whole(text, 0, "a seed is a whole number from 0 up")


def cmd_validate(args: argparse.Namespace) -> int:
    """`validate`: print every problem; exit 1 when there is an error."""
    paths = [p if Path(p).exists() else _named_or_given(p) for p in args.paths]
    problems = check_paths(paths)
    for p in problems:
        print(p)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not args.quiet:
        files = len(yaml_files(paths))
        print(f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _named_or_given(name: str) -> str:
    try:
        return str(find_scenario(name))
    except UsageError:
        return name  # the checker reports it as unreadable, with the rest


def cmd_simulate(args: argparse.Namespace) -> int:
    """`simulate`: whole games between computer players, a line (or JSON) each, in parallel
    processes with --workers; after several games, the balance report."""
    from game.scenario import ScenarioError, load
    from game.simulate import SetupError, SimulationError
    from game.tournament import balance, report_lines, run_games

    sides = _players(args.side, "--side")
    if args.scenario is None and not args.load:
        raise UsageError("name a scenario to simulate, or --load a saved game")
    if args.load or args.save is not None or args.turns is not None:
        return _simulate_one(args, sides)
    path = find_scenario(args.scenario)
    first = 1 if args.seed is None else args.seed
    seeds = [first + game for game in range(args.games)]
    records = []
    try:
        for result in run_games(path, seeds, sides, args.workers, progress=True):
            records.append(result)
            if args.json:
                print(json.dumps(result), flush=True)
            else:
                vp = ", ".join(f"{f} {v}" for f, v in result["victory_points"].items())
                print(
                    f"seed {result['seed']}: {outcome_text(result['winner'], result['level'])} on "
                    f"turn {result['turns']} (victory points: {vp})",
                    flush=True,
                )
    except SetupError as exc:
        raise UsageError(str(exc)) from None
    except SimulationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if len(records) > 1:
        try:
            report = balance(load(path), records)
        except ScenarioError as exc:  # pragma: no cover - the games loaded it already
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps({"balance": report}), flush=True)
        else:
            print("\n".join(report_lines(report)), flush=True)
    return 0


def _simulate_one(args: argparse.Namespace, sides: dict[str, str]) -> int:
    """`simulate` of one game that stops after --turns and is saved with --save, or a saved
    game (--load) played on by computer players."""
    from game.save import SaveError, load_game, save_game, save_target
    from game.simulate import SetupError, SimulationError, new_engine, play_on

    if args.games != 1 or args.workers != 1:
        raise UsageError("--turns, --save and --load play one game: drop --games and --workers")
    if args.load and (args.scenario or args.seed is not None):
        raise UsageError("a saved game carries its own scenario and seed: drop them, or --load")
    if args.save == "":
        raise UsageError("--save needs the name of the file to save to")
    try:
        if args.save:
            save_target(Path(args.save))  # before a long game, not after it
        if args.load:
            engine, saved = load_game(Path(args.load))
            # seats a person held are played by the default computer player
            sides = {f: who for f, who in saved.items() if who in PLAYERS} | sides
        else:
            seed = 1 if args.seed is None else args.seed
            engine = new_engine(find_scenario(args.scenario), seed)
        record, engine = play_on(engine, sides, turns=args.turns)
        if args.save:
            players = {f.id: sides.get(f.id, DEFAULT_AI) for f in engine.scenario.factions}
            save_game(Path(args.save), engine, players)
    except SetupError as exc:
        raise UsageError(str(exc)) from None
    except (SimulationError, SaveError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(record), flush=True)
    else:
        state = "" if record["finished"] else "stopped "
        result = outcome_text(record["winner"], record["level"]) if record["finished"] else ""
        vp = ", ".join(f"{f} {v}" for f, v in record["victory_points"].items())
        where = f", saved to {args.save}" if args.save else ""
        print(
            f"seed {record['seed']}: {state}{result}{' on ' if result else 'after '}"
            f"turn {record['turns'] - (0 if record['finished'] else 1)} "
            f"(victory points: {vp}){where}",
            flush=True,
        )
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """`replay`: replay a saved game's commands from its seed, telling what happens (or, with
    --verify, only checking), and check that it reaches the position that was saved."""
    from game.engine import Engine
    from game.narrate import Narrator
    from game.save import SaveError, load_game, verify
    from game.turn import Report

    narrator: Narrator | None = None

    def tell(engine: Engine, reports: list[Report]) -> None:
        nonlocal narrator
        if narrator is None:
            narrator = Narrator(engine.state)
            narrator.briefing()
        narrator.tell(reports)

    try:
        engine = verify(Path(args.save)) if args.verify else load_game(Path(args.save), tell)[0]
    except SaveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    state = engine.state
    print(
        f"{args.save}: {len(engine.log)} commands replayed from seed {state.seed} to turn "
        f"{state.turn}; the position matches the save (state hash {state.state_hash()[:16]})"
    )
    return 0


def outcome_text(winner: str | None, level: str) -> str:
    """'decisive victory for russia', or 'a draw'."""
    return f"{level} victory for {winner}" if winner else "a draw"


def cmd_play(args: argparse.Namespace) -> int:
    """`play`: the game window (main menu, or straight into a scenario or a saved game); with
    --text, a game between computer players told in the terminal."""
    players = _players(args.player, "--player")
    _check_play_options(args)
    seed = 1 if args.seed is None else args.seed
    if args.text:
        return _play_in_terminal(args.scenario, seed, players)
    from game.engine import Engine
    from game.save import SaveError
    from game.scenario import ScenarioError, load
    from game.ui.session import Session, players_problem

    session = None
    if args.load:
        try:
            session = Session.from_save(Path(args.load), players)
        except SaveError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    elif args.scenario is not None or players:
        path = find_scenario(args.scenario or DEFAULT_SCENARIO)
        try:
            scenario = load(path)
        except ScenarioError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 1
        unfit = players_problem(scenario, players)
        if unfit:
            raise UsageError(unfit)
        if not players:  # the first faction is yours, the computer plays the rest
            players = {scenario.factions[0].id: "human"}
        session = Session(Engine(scenario, seed=seed), players, seed)
    return _open_window(session, args)


def _check_play_options(args: argparse.Namespace) -> None:
    """Options of `play` that do not go together."""
    if args.screenshot and not args.frames:
        raise UsageError("--screenshot saves the last of --frames N frames: give --frames too")
    if args.text and (args.load or args.frames or args.screenshot):
        raise UsageError(
            "--text plays a new game in the terminal: no --load, --frames, --screenshot"
        )
    if args.load and (args.scenario or args.seed is not None):
        raise UsageError("a saved game carries its own scenario and seed: drop them, or --load")
    if args.scenario and Path(args.scenario).suffix.lower() == ".json":
        raise UsageError(f"{args.scenario} looks like a saved game: play --load {args.scenario}")


def _open_window(session, args: argparse.Namespace) -> int:
    from game.ui.app import WindowError, run_window

    try:
        run_window(session, frames=args.frames, screenshot=args.screenshot, size=args.size)
    except WindowError as exc:
        print(
            f"error: cannot open the game window ({exc}); on a machine without a display, "
            "`play --text` tells a game in the terminal",
            file=sys.stderr,
        )
        return 1
    return 0


def _play_in_terminal(scenario: str | None, seed: int, players: dict[str, str]) -> int:
    from game.simulate import SetupError, SimulationError, play_game

    humans = [f for f, who in players.items() if who == "human"]
    if humans:
        raise UsageError(f"--text plays computer against computer; drop --player {humans[0]}=human")
    try:
        play_game(find_scenario(scenario or DEFAULT_SCENARIO), seed, players, verbose=True)
    except SetupError as exc:
        raise UsageError(str(exc)) from None
    except SimulationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.partition("x")
    low, high = (900, 600), (10000, 10000)
    fits = sep and w.isdigit() and h.isdigit()
    if not fits or not (low[0] <= int(w) <= high[0] and low[1] <= int(h) <= high[1]):
        raise argparse.ArgumentTypeError(
            f"a window size is WIDTHxHEIGHT, from 900x600 to 10000x10000, not {text}"
        )
    return int(w), int(h)


def _png(text: str) -> str:
    path = Path(text)
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(f"a screenshot is saved as a .png file, not {text}")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; name a .png file")
    return text


def cmd_supply(args: argparse.Namespace) -> int:
    """`supply`: every side's sources and every unit's supply at the start of the game, told."""
    from game.engine import Engine
    from game.scenario import ScenarioError, load
    from game.supply_explain import explain, side_summary, side_supply

    try:
        scenario = load(find_scenario(args.scenario))
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    state = Engine(scenario, seed=args.seed).state
    if not scenario.has_supply:
        print(f"{scenario.name} has no supply sources: every unit is always in full supply")
        return 0
    for side in scenario.sides:
        members = [f for f in scenario.factions if f.side == side]
        print(f"Side {side}:")
        known = side_supply(state, members[0].index)
        for line in side_summary(known[0]):
            print(f"    source: {line}")
        for f in members:
            for uid in state.faction_units(f.index).tolist():
                for i, line in enumerate(explain(state, uid, known).text().splitlines()):
                    print(("    " if i == 0 else "        ") + line)
    return 0


def cmd_mapgen(args: argparse.Namespace) -> int:
    """`mapgen`: build a map from its spec; print it, or write it into its scenario."""
    from game import mapgen

    if not Path(args.spec).is_file():
        raise UsageError(f"no map spec '{args.spec}'")
    try:
        spec = mapgen.read_spec(args.spec)
        block = mapgen.render(mapgen.build(spec), mapgen.spec_name(args.spec))
    except mapgen.MapSpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    if not args.write:
        print(block, end="")
        return 0
    if not spec.scenario:
        print(f"error: {args.spec} names no 'scenario' to write the map into", file=sys.stderr)
        return 1
    path = mapgen.target(spec)
    try:
        mapgen.write_into(path, block)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    proj = spec.projection
    print(f"{path}: map of {proj.width} x {proj.height} hexes of {proj.hex_km:g} km written")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """`bench`: the timings, as JSON or a line per row."""
    from game.bench import run_bench

    report = run_bench(quick=args.quick)
    report["ai"] = bench_ai(quick=args.quick)
    if not args.no_render:
        from game.ui.renderbench import run_render_bench

        report["render"] = run_render_bench(quick=args.quick)
    if args.json:
        print(json.dumps(report))
    else:
        for section, rows in report.items():
            for row in rows:
                print(section, " ".join(f"{k}={v}" for k, v in row.items()))
    return 0


def bench_ai(quick: bool) -> list[dict]:
    """The `ai` section of `bench`: one computer turn's median time in each shipped scenario
    (the small ones only, and fewer turns, with --quick)."""
    from game.simulate import time_computer_turns

    names = ["ulan_ude_1939", "vladivostok_1939"]
    if not quick:
        names += ["siberia_1939", "altun_shan_1943"]
    return [time_computer_turns(find_scenario(n), limit=12 if quick else 200) for n in names]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    names = ", ".join(shipped_scenarios())
    ais = ", ".join(PLAYERS)
    parser = argparse.ArgumentParser(
        description="A hex-map wargame of the Far East, 1939 and 1942-43.",
        epilog=f"Scenarios: {names}. Computer players: {ais} ('ai' picks {DEFAULT_AI}).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = sub.add_parser(
        "play",
        help="play in the game window (the default command)",
        description="Open the game window: the main menu, or with a scenario (or --player, "
        "or --load) straight into a game. Factions not named with --player are played by the "
        "computer; with no --player at all, you play the first faction.",
    )
    play.add_argument(
        "scenario",
        nargs="?",
        default=None,
        help=f"a scenario name ({names}) or a path; without it, the main menu",
    )
    play.add_argument(
        "--player",
        action="append",
        default=[],
        metavar="FACTION=human|ai",
        help="who plays a faction (repeatable): human, ai, or a computer player's name",
    )
    play.add_argument("--seed", type=_seed, help="the game's random seed (default 1)")
    play.add_argument("--load", metavar="SAVE", help="continue a saved game")
    play.add_argument("--frames", type=_count, help="draw this many frames, then exit")
    play.add_argument(
        "--screenshot", type=_png, metavar="PNG", help="with --frames: save the last frame"
    )
    play.add_argument(
        "--size", type=_size, default=(1280, 800), metavar="WxH", help="window size (1280x800)"
    )
    play.add_argument(
        "--text",
        action="store_true",
        help=f"no window: the computer plays every faction and the game is told in the "
        f"terminal (default scenario {DEFAULT_SCENARIO})",
    )
    play.set_defaults(run=cmd_play)
    val = sub.add_parser(
        "validate",
        help="check scenario and rules files",
        description="Check scenario and rules files and list every problem as "
        "path:line:col: error|warning: message. Exit 0 when there is no error.",
    )
    val.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, folders (every .yaml inside) or shipped scenario names",
    )
    val.add_argument("--quiet", action="store_true", help="print only the problems")
    val.set_defaults(run=cmd_validate)
    sim = sub.add_parser(
        "simulate",
        help="play whole games between computer players",
        description="Play whole games between computer players; with --json, "
        "one JSON object per game.",
    )
    sim.add_argument("scenario", nargs="?", help=f"a scenario name ({names}) or a path")
    sim.add_argument("--seed", type=_seed, help="seed of the first game (default 1)")
    sim.add_argument("--games", type=_count, default=1, help="games to play, seeds counting up")
    sim.add_argument(
        "--side",
        action="append",
        default=[],
        metavar="FACTION=PLAYER",
        help=f"the computer player of a faction ({ais}); default {DEFAULT_AI}",
    )
    sim.add_argument(
        "--workers", type=_count, default=1, help="games played at once, in separate processes"
    )
    sim.add_argument(
        "--json", action="store_true", help="one JSON object per game, then one for the balance"
    )
    sim.add_argument(
        "--turns", type=_count, help="stop when this many turns are over (one game only)"
    )
    sim.add_argument("--save", metavar="PATH", help="save the game where it stopped or ended")
    sim.add_argument(
        "--load", metavar="SAVE", help="play a saved game on to its end (or through --turns)"
    )
    sim.set_defaults(run=cmd_simulate)
    rep = sub.add_parser(
        "replay",
        help="replay a saved game and check it reaches the saved position",
        description="Replay a saved game's commands from its seed, telling what happens, and "
        "check that it reaches the position that was saved (exit 1 if not).",
    )
    rep.add_argument("save", help="the saved game")
    rep.add_argument("--verify", action="store_true", help="only check, without the story")
    rep.set_defaults(run=cmd_replay)
    sup = sub.add_parser(
        "supply",
        help="explain every unit's supply at the start of a scenario",
        description="Print each side's supply sources and, for every unit, where its supply "
        "comes from at the start of the game, or what cuts it.",
    )
    sup.add_argument("scenario", help=f"a scenario name ({names}) or a path")
    sup.add_argument("--seed", type=_seed, default=1, help="the game's random seed (default 1)")
    sup.set_defaults(run=cmd_supply)
    gen = sub.add_parser(
        "mapgen",
        help="build a scenario's map from a geographic description",
        description="Build the map rows, cities, rivers, roads and railways of a scenario from "
        "a map spec (bounds in latitude and longitude, hex size, terrain areas, lines and "
        "cities by their coordinates). Prints the result, or with --write puts it into the "
        "scenario the spec names, between its marker lines.",
    )
    gen.add_argument("spec", help="the map spec, e.g. scenarios/maps/siberia_1939.yaml")
    gen.add_argument("--write", action="store_true", help="write into the spec's scenario")
    gen.set_defaults(run=cmd_mapgen)
    bench = sub.add_parser(
        "bench",
        help="time the numpy cores against their references",
        description="Time the vectorized cores against their pure-Python "
        "references in the same run.",
    )
    bench.add_argument("--json", action="store_true", help="one JSON object")
    bench.add_argument("--quick", action="store_true", help="smaller sizes, for a quick look")
    bench.add_argument("--no-render", action="store_true", help="leave out the render section")
    bench.set_defaults(run=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    keep_freed_memory()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play"])
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
