"""One game as the window plays it: the engine, who plays each faction, and what each side has
been told. Nothing here draws; the screens read it.

Each side with a human player keeps its own message log and its own queue of event pop-ups,
holding only what that side could know: public news (events, entries into the war, captures, the
weather, the end) and what happened to its own units or in hexes it could see. So a hot-seat
player never reads of the other side's moves behind the fog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game import fog, save
from game.ai import DEFAULT_AI, PLAYERS, make_player
from game.commands import Command, EndTurn
from game.engine import Engine, Result
from game.save import SaveError, load_game, read_record, saved_logs
from game.schema import did_you_mean
from game.turn import Report

HUMAN = "human"
Watcher = Callable[[Command, Result, dict[int, tuple[int, int]]], None]
#: Report kinds every side hears of.
PUBLIC = {"event", "war", "vp", "end", "weather", "capture", "convoy", "shield"}
#: Report kinds that are bookkeeping, not news.
QUIET = {"turn", "recovery"}
LOG_LIMIT = 400


@dataclass
class LogLine:
    """One line of a side's message log."""

    turn: int
    kind: str
    text: str


@dataclass
class SideNews:
    """What one side has been told: its log and the event pop-ups it has not yet seen."""

    log: list[LogLine] = field(default_factory=list)
    popups: list[tuple[str, str]] = field(default_factory=list)


def players_problem(scenario, players: dict[str, str]) -> str | None:
    """Why these players do not fit the scenario (an unknown faction or player), or None."""
    ids = [f.id for f in scenario.factions]
    known = [HUMAN, "ai", *PLAYERS]
    for faction, who in players.items():
        if faction not in ids:
            hint = did_you_mean(faction, ids)
            return f"unknown faction '{faction}'{hint} (the factions are: {', '.join(ids)})"
        if who not in known:
            return f"unknown player '{who}' for {faction} (known: {', '.join(known)})"
    return None


class Session:
    """A game being played in the window."""

    def __init__(
        self,
        engine: Engine,
        players: dict[str, str],
        seed: int,
        opening: bool = True,
        autosave: bool = True,
    ) -> None:
        self.engine = engine
        sc = engine.scenario
        self.seed = seed
        self.kinds = [players.get(f.id, DEFAULT_AI) for f in sc.factions]
        self.kinds = [DEFAULT_AI if k == "ai" else k for k in self.kinds]
        self.ai = {
            f.index: make_player(kind, f.index, seed)
            for f, kind in zip(sc.factions, self.kinds, strict=True)
            if kind != HUMAN
        }
        self.humans = [i for i, k in enumerate(self.kinds) if k == HUMAN]
        self.news: dict[str | None, SideNews] = {side: SideNews() for side in self.human_sides()}
        self.news.setdefault(None, SideNews())  # the onlooker's, when only computers play
        self.handed_over: tuple[int, int] | None = None  # (turn, faction) whose handover is done
        self.autosave = autosave  # a save at the start of every turn
        self.autosaved = 0  # the turn of the last autosave (a loaded game: the turn it was at)
        self.notices: list[str] = []  # what the window should tell the player (a failed save)
        if opening:
            self.hear(engine.opening)
            self._autosave()

    @classmethod
    def from_save(cls, path: Path, players: dict[str, str] | None = None) -> Session:
        """A saved game, with the message logs it was saved with (a save from before saves held
        a snapshot is replayed to rebuild them; old events are not popped up again). `players`
        overrides who plays whom. SaveError when it cannot be loaded."""
        record = read_record(path)
        chosen = {**record["players"], **(players or {})}
        logs = saved_logs(record)
        built: list[Session] = []

        def build(engine: Engine) -> Session:
            problem = players_problem(engine.scenario, chosen)
            if problem:
                raise SaveError(f"{path}: {problem}")
            return cls(engine, chosen, engine.state.seed, False)

        def listen(engine: Engine, reports: list[Report]) -> None:
            if not built:
                built.append(build(engine))
            built[0].hear(reports, popups=False)

        if logs is None and "snapshot" not in record:  # an old save: its logs are replayed
            engine, _ = load_game(path, listen)
            session = built[0]
        else:
            engine, _ = load_game(path)
            session = build(engine)
            session.recall(logs or [])
        session.autosaved = engine.state.turn  # its turn began before it was saved
        return session

    def save(self, path: Path) -> None:
        """Save the game, with what each side has been told; SaveError when it cannot be."""
        save.save_game(path, self.engine, self.players, self.told())

    def told(self) -> list[Any]:
        """Each side's message log and waiting pop-ups, JSON-ready (`recall` reads it back)."""
        return [
            {
                "side": side,
                "log": [[line.turn, line.kind, line.text] for line in news.log],
                "popups": [list(popup) for popup in news.popups],
            }
            for side, news in self.news.items()
        ]

    def recall(self, told: list[Any]) -> None:
        """Put back what `told` gave for the sides this session has; a damaged part is left
        out (it is only news)."""
        for entry in told:
            try:
                news = self.news.get(entry["side"])
                if news is not None:
                    news.log[:] = [LogLine(int(t), str(k), str(x)) for t, k, x in entry["log"]]
                    news.popups[:] = [(str(a), str(b)) for a, b in entry["popups"]]
            except (TypeError, ValueError, KeyError, OverflowError):
                continue

    # -- who plays --------------------------------------------------------------------------------
    @property
    def state(self):
        """The game's state, for reading only (the window never writes to it)."""
        return self.engine.view

    def is_human(self, faction: int) -> bool:
        """Whether a person plays this faction."""
        return self.kinds[faction] == HUMAN

    def human_sides(self) -> list[str]:
        """The sides with at least one human player, in faction order."""
        out: list[str] = []
        for f in self.humans:
            side = self.engine.state.side_of(f)
            if side not in out:
                out.append(side)
        return out

    @property
    def hotseat(self) -> bool:
        """Several people take turns at one machine: each human turn begins with a handover."""
        return len(self.humans) > 1

    def human_to_move(self) -> bool:
        """Whether the faction to move is played by a person."""
        st = self.engine.state
        return not st.finished and self.is_human(st.active)

    def needs_handover(self) -> bool:
        """A human turn in a hot-seat game whose player has not yet taken the machine."""
        st = self.engine.state
        return self.hotseat and self.human_to_move() and self.handed_over != (st.turn, st.active)

    def take_over(self) -> None:
        """The player named on the handover screen has the machine now."""
        st = self.engine.state
        self.handed_over = (st.turn, st.active)

    def viewer(self) -> str | None:
        """The side whose eyes the map shows: the human to move; else the human side that
        played last (or the only one); None when only computers play (all is shown)."""
        st = self.engine.state
        sides = self.human_sides()
        if not sides:
            return None
        if self.is_human(st.active):
            return st.side_of(st.active)
        if len(sides) == 1:
            return sides[0]
        for step in range(1, len(st.scenario.factions) + 1):  # the human who moved last
            f = (st.active - step) % len(st.scenario.factions)
            if self.is_human(f):
                return st.side_of(f)
        return sides[0]

    def seen(self, side: str | None) -> np.ndarray | None:
        """bool [row, col] of the hexes a side sees now; None (everything) for no side."""
        return None if side is None else fog.visible(self.engine.state, side)

    # -- playing ----------------------------------------------------------------------------------
    def submit(self, cmd: Command) -> Result:
        """Submit a command of the faction to move and tell each side what it may know."""
        result = self.engine.submit(cmd)
        if result.ok:
            self.hear(result.reports)
            self._autosave()
        return result

    def _autosave(self) -> None:
        """At the start of each turn, an autosave (a failure is told, and play goes on)."""
        st = self.engine.state
        if not self.autosave or st.finished or st.turn <= self.autosaved:
            return
        self.autosaved = st.turn
        try:
            save.autosave(self.engine, self.players, self.told())
        except save.SaveError as exc:
            self.notices.append(f"Autosave failed: {exc}")

    @property
    def players(self) -> dict[str, str]:
        """Who plays each faction, by faction id: 'human' or a computer player's name."""
        return {f.id: k for f, k in zip(self.engine.scenario.factions, self.kinds, strict=True)}

    def play_computer_turn(self, watch: Watcher | None = None) -> None:
        """The computer plays the faction to move to the end of its turn; `watch` sees each
        command, its result and where its units stood before (the window animates them)."""
        st = self.engine.state
        player = self.ai[st.active]

        def submit(cmd: Command) -> Result:
            u = st.units
            starts = {i: (int(u.col[i]), int(u.row[i])) for i in units_of(cmd) if 0 <= i < len(u)}
            result = self.submit(cmd)
            if watch is not None:
                watch(cmd, result, starts)
            return result

        turn, active = st.turn, st.active
        player.play_turn(self.engine.view, submit)
        if (st.turn, st.active) == (turn, active) and not st.finished:
            self.submit(EndTurn())  # a player that forgot to end its turn

    # -- news -------------------------------------------------------------------------------------
    def hear(self, reports: list[Report], popups: bool = True) -> None:
        """File reports into the logs (and event pop-ups) of the sides that may know of them."""
        st = self.engine.state
        sights: dict[str, np.ndarray] = {}
        for side, news in self.news.items():
            for report in reports:
                if report.kind in QUIET or not self._may_know(report, side, sights):
                    continue
                news.log.append(LogLine(st.turn, report.kind, report.text))
                if report.kind == "event" and popups:
                    news.popups.append((report.text, str(report.data.get("message", ""))))
            del news.log[:-LOG_LIMIT]

    def _may_know(self, report: Report, side: str | None, sights: dict[str, np.ndarray]) -> bool:
        if side is None or report.kind in PUBLIC:
            return True
        st = self.engine.state
        if side not in sights:
            sights[side] = fog.visible(st, side)
        seen = sights[side]
        u = st.units
        data = report.data
        ids = [data["unit"]] if "unit" in data else list(data.get("units", ()))
        for uid in ids:
            if st.side_of(int(u.faction[uid])) == side or seen[u.row[uid], u.col[uid]]:
                return True
        if "target" in data:
            col, row = data["target"]
            return bool(seen[row, col])
        return st.side_of(st.active) == side

    def log(self, side: str | None) -> list[LogLine]:
        """The message log of a side."""
        return self.news.setdefault(side, SideNews()).log

    def next_popup(self, side: str | None) -> tuple[str, str] | None:
        """The oldest event pop-up this side has not seen, taken off its queue."""
        queue = self.news.setdefault(side, SideNews()).popups
        return queue.pop(0) if queue else None


def units_of(cmd: Command) -> list[int]:
    """The ids of the units a command names."""
    out: list[int] = []
    for name in ("unit", "attackers", "units"):
        value = getattr(cmd, name, None)
        if isinstance(value, int):
            out.append(value)
        elif isinstance(value, tuple):
            out += [v for v in value if isinstance(v, int)]
    return out
