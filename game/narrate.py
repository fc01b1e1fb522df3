"""The game told in the terminal: a briefing, a header per turn, and what happens, in order."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from game.state import GameState
from game.turn import Report

#: Report kinds worth a line in the terminal (the weather is in each turn's header).
TOLD = (
    "battle",
    "withdraw",
    "bombard",
    "land",
    "retreat",
    "advance",
    "destroyed",
    "capture",
    "event",
    "war",
    "vp",
    "reinforcement",
    "supply",
    "attrition",
    "convoy",
    "shield",
    "entrench",
    "aboard",
    "end",
)
INDENT = "    "


class Narrator:
    """Prints to `out` (print by default) as reports come in."""

    def __init__(self, state: GameState, out: Callable[[str], None] = print) -> None:
        self.state = state
        self.out = out
        self.turn = 0

    def briefing(self) -> None:
        """The scenario's name, dates, description and sides."""
        sc = self.state.scenario
        last = sc.date_of_turn(sc.turns)
        span = turn_span(sc.turn_days)
        self.out(f"{sc.name}: {day(sc.start)} to {day(last)}, {sc.turns} {span} turns")
        if sc.description:
            self.out(
                textwrap.fill(
                    sc.description.strip(), 96, initial_indent=INDENT, subsequent_indent=INDENT
                )
            )
        for side in sc.sides:
            members = []
            for f in sc.factions:
                if f.side == side:
                    members.append(f.name + ("" if f.at_war else " (not yet at war)"))
            self.out(f"{INDENT}Side {side}: {', '.join(members)}")

    def tell(self, reports: list[Report]) -> None:
        """A header when a new turn has begun, then a line per notable report."""
        if self.state.turn != self.turn and not self.state.finished:
            self.turn = self.state.turn
            self.out("")
            self.out(self.header())
        for report in reports:
            if report.kind not in TOLD:
                continue
            if report.kind == "end":
                self.out("")
                self.out(report.text)
                self.out(INDENT + "Final standing: " + self.standing())
                continue
            self.out(
                textwrap.fill(report.text, 96, initial_indent=INDENT, subsequent_indent=INDENT * 2)
            )
            message = report.data.get("message", "")
            if message:
                self.out(
                    textwrap.fill(
                        message.strip(), 96, initial_indent=INDENT * 2, subsequent_indent=INDENT * 2
                    )
                )

    def header(self) -> str:
        """One line for the start of a turn: date, weather and standing."""
        state = self.state
        return f"Turn {state.turn}, {day(state.date())}, {weather_text(state)} | {self.standing()}"

    def standing(self) -> str:
        """Victory points and steps per side: victory is decided by sides."""
        state = self.state
        vp = state.victory_points()
        steps = state.steps_by_faction()
        parts = []
        for side in state.scenario.sides:
            members = [f.index for f in state.scenario.factions if f.side == side]
            total_vp = sum(int(vp[i]) for i in members)
            total_steps = sum(int(steps[i]) for i in members)
            parts.append(f"{side} {total_vp} VP, {total_steps} steps")
        return " | ".join(parts)


def turn_span(days: int) -> str:
    """How long a turn is, as an adjective: 'daily', 'weekly', '3-day'."""
    return {1: "daily", 7: "weekly"}.get(days, f"{days}-day")


def day(date) -> str:
    """A date as players read it: '7 July 1939'."""
    return f"{date.day} {date:%B %Y}"


def weather_text(state: GameState) -> str:
    """The weather of every region: 'Clear', or 'north Snow, elsewhere Frost'."""
    sc = state.scenario
    names = [sc.rules.weather[w].name for w in state.weather]
    if len(names) == 1:
        return names[0]
    pairs = list(zip(sc.region_names, names, strict=True))
    named = [f"{r} {w}" for r, w in pairs if r != "all"]
    rest = [f"elsewhere {w}" for r, w in pairs if r == "all"]
    return ", ".join(named + rest)
