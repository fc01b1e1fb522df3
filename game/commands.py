"""Commands: the only way to change a game. Frozen dataclasses named as verbs, holding unit ids
and hex coordinates, never objects. The engine validates each one before applying it.

Hexes are written (col, row), 0-based, as in the scenario files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


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
class EndTurn:
    """The faction to move is done; the next faction's turn begins."""


Command = Move | Attack | RailMove | EndTurn
COMMAND_TYPES: dict[str, type] = {c.__name__: c for c in (Move, Attack, RailMove, EndTurn)}


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
