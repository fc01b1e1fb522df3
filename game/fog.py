"""Fog of war: the hexes each side sees, and where it last saw enemy units.

Allied factions (one side) share what they see. A side sees every hex within the vision range of
its units and one hex around the cities it holds. Vision is computed by growing each unit's hex
ring by ring over the neighbour table, batched over all units that share a range.
"""

from __future__ import annotations

import numpy as np

from game import hexgrid
from game.state import GameState


def visible(state: GameState, side: str) -> np.ndarray:
    """bool [row, col]: the hexes the factions of `side` can see now."""
    sc = state.scenario
    n = sc.width * sc.height
    nbr = hexgrid.neighbour_table(sc.width, sc.height)
    u = state.units
    ours = np.array([f.side == side for f in sc.factions])
    mine = u.alive & (u.carrier < 0) & ours[u.faction]
    flat = u.row.astype(np.int64) * sc.width + u.col
    vision = sc.rules.ut_vision[u.type]
    seen = np.zeros(n, dtype=bool)
    held = ours[np.maximum(state.owner.ravel(), 0)] & (state.owner.ravel() >= 0)
    city = np.zeros(n, dtype=bool)
    for c in sc.cities:
        city[c.row * sc.width + c.col] = True
    seen |= _grow(nbr, held & city, 1)
    for radius in np.unique(vision[mine]):
        start = np.zeros(n, dtype=bool)
        start[flat[mine & (vision == radius)]] = True
        seen |= _grow(nbr, start, int(radius))
    return seen.reshape(sc.height, sc.width)


def _grow(nbr: np.ndarray, mask: np.ndarray, radius: int) -> np.ndarray:
    """Every hex within `radius` steps of a marked hex."""
    out = mask.copy()
    for _ in range(radius):
        out = out | np.append(out, False)[nbr].any(axis=1)
    return out


def update_last_seen(state: GameState, faction: int) -> None:
    """Record where the faction now sees enemy units; forget sightings its eyes now disprove."""
    side = state.side_of(faction)
    seen = visible(state, side)
    u = state.units
    memory = state.last_seen[faction]
    for uid in list(memory):
        col, row, _, _ = memory[uid]
        if seen[row, col]:
            del memory[uid]
    sides = np.array([f.side for f in state.scenario.factions])
    enemy = u.alive & (u.carrier < 0) & (sides[u.faction] != side)
    spotted = enemy & seen[u.row.astype(np.int64), u.col.astype(np.int64)]
    for i in np.flatnonzero(spotted).tolist():
        memory[i] = (int(u.col[i]), int(u.row[i]), int(u.type[i]), state.turn)
