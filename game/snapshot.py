"""A game's position as JSON, for saves: everything of a GameState that changes in play, and a
checksum over it. Put back into a new game of the same scenario and seed, it gives the same
state hash, so a save loads without replaying its commands.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import numpy as np

from game.scenario import Reinforcement, UnitSpec
from game.state import UNIT_COLUMNS, GameState, Snapshot


def snapshot_record(state: GameState) -> dict[str, Any]:
    """Everything of a GameState that changes in play, JSON-ready: `restore_record` puts it
    back into a new game of the same scenario and seed."""
    snap = state.snapshot()
    return {
        "turn": snap.turn,
        "active": snap.active,
        "finished": snap.finished,
        "winner": snap.winner,
        "level": snap.level,
        "units": {name: column.tolist() for name, column in snap.columns.items()},
        "labels": snap.labels,
        "names": snap.names,
        "arrays": {name: array.tolist() for name, array in snap.arrays.items()},
        "arrivals": [
            [f, r.col, r.row, [list(dataclasses.astuple(u)) for u in r.units]]
            for f, r in snap.arrivals
        ],
        "last_seen": [[[uid, *where] for uid, where in m.items()] for m in snap.last_seen],
        "history": state.history,
        "rng": snap.rng_state,
    }


def restore_record(state: GameState, record: dict[str, Any]) -> None:
    """Put a `snapshot_record` into a new game of the same scenario and seed. Values of the
    wrong kind or shape raise ValueError, TypeError, KeyError or IndexError; the state hash tells
    whether the rest is right."""
    n = len(record["labels"])
    columns = {}
    for name, dtype in UNIT_COLUMNS.items():
        columns[name] = np.array(record["units"][name], dtype=dtype)
        if columns[name].shape != (n,):
            raise ValueError(f"unit column {name} is not {n} long")
    arrays = {}
    for name, fresh in state.snapshot().arrays.items():
        arrays[name] = np.array(record["arrays"][name], dtype=fresh.dtype)
        if arrays[name].shape != fresh.shape:
            raise ValueError(f"{name} has the shape {arrays[name].shape}, not {fresh.shape}")
    arrivals = [
        (int(f), Reinforcement(int(f), int(col), int(row), tuple(UnitSpec(*u) for u in units)))
        for f, col, row, units in record["arrivals"]
    ]
    last_seen = [{int(uid): tuple(where) for uid, *where in m} for m in record["last_seen"]]
    if len(last_seen) != len(state.last_seen):
        raise ValueError("last_seen is not one memory per faction")
    state.history[:] = [dict(turn) for turn in record["history"]]
    snap = Snapshot(
        columns=columns,
        labels=[str(x) for x in record["labels"]],
        names=[str(x) for x in record["names"]],
        arrays=arrays,
        turn=int(record["turn"]),
        active=int(record["active"]),
        finished=bool(record["finished"]),
        winner=record["winner"],
        level=str(record["level"]),
        arrivals=arrivals,
        last_seen=last_seen,
        history_length=len(state.history),
        rng_state=record["rng"],
    )
    state.restore(snap)


def checksum(snapshot: dict[str, Any]) -> str:
    """sha256 of a snapshot record as JSON: a snapshot damaged in any part is not used."""
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()
