"""Commands: the only way to change a game. Frozen dataclasses named as verbs, holding unit ids
and hex coordinates, never objects. The engine validates each one before applying it.

Hexes are written (col, row), 0-based, as in the scenario files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Move:
    """Move one unit to a hex it can reach this turn; it takes the cheapest path."""

    unit: int
    to: tuple[int, int]


@dataclass(frozen=True)
class Attack:
    """Adjacent units attack one enemy hex together; `advance` lists those that move into the
    hex if it is emptied."""

    attackers: tuple[int, ...]
    target: tuple[int, int]
    advance: tuple[int, ...] = ()


@dataclass(frozen=True)
class RailMove:
    """Move a unit along connected friendly railway instead of moving normally."""

    unit: int
    to: tuple[int, int]


@dataclass(frozen=True)
class Bombard:
    """Units with a bombardment range fire together on an enemy hex within it; nobody moves."""

    units: tuple[int, ...]
    target: tuple[int, int]


@dataclass(frozen=True)
class Embark:
    """A ground unit boards a fleet of its faction on the same hex."""

    unit: int
    fleet: int


@dataclass(frozen=True)
class Land:
    """A unit aboard a fleet lands on the fleet's hex or a hex next to it."""

    unit: int
    to: tuple[int, int]


@dataclass(frozen=True)
class EndTurn:
    """The faction to move is done; the next faction's turn begins."""


@dataclass(frozen=True)
class Undo:
    """Take back the last move of the faction to move, while nothing random happened and nothing
    new was seen since.

    Moves, rail moves, boardings and landings can be taken back, one per Undo, newest first, as
    long as they rolled no dice, fired no event and showed the mover no enemy unit it had not
    seen (nor disproved a sighting). An attack, a bombardment, the end of a turn or a move that
    did any of these seals everything before it. An undone command leaves the log, and Undo itself
    is never logged, so a replay of the log gives the same game."""


Command = Move | Attack | RailMove | Bombard | Embark | Land | EndTurn | Undo
COMMAND_TYPES: dict[str, type] = {
    c.__name__: c for c in (Move, Attack, RailMove, Bombard, Embark, Land, EndTurn, Undo)
}


def normalize(cmd: Command) -> Command:
    """The same command holding plain ints and tuples (numpy integers and lists are accepted);
    TypeError with the reason when a field has the wrong kind of value."""
    if isinstance(cmd, Move | RailMove | Land):
        return type(cmd)(_whole(cmd.unit, "a unit id"), _hex(cmd.to))
    if isinstance(cmd, Attack):
        return Attack(_ids(cmd.attackers), _hex(cmd.target), _ids(cmd.advance))
    if isinstance(cmd, Bombard):
        return Bombard(_ids(cmd.units), _hex(cmd.target))
    if isinstance(cmd, Embark):
        return Embark(_whole(cmd.unit, "a unit id"), _whole(cmd.fleet, "a fleet id"))
    return cmd


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{what} is a whole number, not {value!r}")
    return int(value)


def _hex(value: Any) -> tuple[int, int]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise TypeError(f"a hex is written (col, row), not {value!r}")
    return _whole(value[0], "a column"), _whole(value[1], "a row")


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, tuple | list):
        raise TypeError(f"expected a list of unit ids, not {value!r}")
    return tuple(_whole(v, "a unit id") for v in value)


def to_record(cmd: Command) -> dict[str, Any]:
    """A JSON-ready record of a command, for logs and saves."""
    return {"command": type(cmd).__name__, **asdict(cmd)}


def from_record(record: dict[str, Any]) -> Command:
    """Rebuild a command from `to_record`'s output; ValueError when it is not one."""
    if not isinstance(record, dict) or record.get("command") not in COMMAND_TYPES:
        raise ValueError(f"not a command: {record!r}")
    cls = COMMAND_TYPES[record["command"]]
    args = {}
    for f in fields(cls):
        if f.name not in record:
            raise ValueError(f"{cls.__name__} is missing '{f.name}'")
        value = record[f.name]
        args[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**args)
