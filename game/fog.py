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
    seen |= hexgrid.grow(nbr, held & city, 1)
    for radius in np.unique(vision[mine]):
        start = np.zeros(n, dtype=bool)
        start[flat[mine & (vision == radius)]] = True
        seen |= hexgrid.grow(nbr, start, int(radius))
    return seen.reshape(sc.height, sc.width)


def seen_hexes(state: GameState, side: str, cols: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """bool per listed hex: whether `side` sees it, by distance to each viewer (its units and
    the cities it holds). The same answer as `visible`, for a few hexes at a time."""
    sc = state.scenario
    u = state.units
    ours = np.array([f.side == side for f in sc.factions])
    mine = u.alive & (u.carrier < 0) & ours[u.faction]
    v_col = [u.col[mine].astype(np.int64)]
    v_row = [u.row[mine].astype(np.int64)]
    v_range = [sc.rules.ut_vision[u.type[mine]].astype(np.int64)]
    for c in sc.cities:
        holder = int(state.owner[c.row, c.col])
        if holder >= 0 and ours[holder]:
            v_col.append(np.array([c.col], dtype=np.int64))
            v_row.append(np.array([c.row], dtype=np.int64))
            v_range.append(np.array([1], dtype=np.int64))
    vc, vr, reach = np.concatenate(v_col), np.concatenate(v_row), np.concatenate(v_range)
    cols = np.asarray(cols, dtype=np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    seen = np.zeros(len(cols), dtype=bool)
    for start in range(0, len(cols), 512):  # bounded (hexes x viewers) blocks
        block = slice(start, start + 512)
        d = hexgrid.distance(cols[block, None], rows[block, None], vc[None, :], vr[None, :])
        seen[block] = np.asarray(d <= reach[None, :]).any(axis=1)
    return seen


def update_last_seen(
    state: GameState, faction: int, near: list[tuple[int, int]] | None = None
) -> None:
    """Record where the faction now sees enemy units; forget sightings its eyes now disprove.

    With `near`, only what lies within sight of those hexes is looked at again: after a move or
    an attack nothing farther away can have come into view. Without it, the whole map."""
    side = state.side_of(faction)
    u = state.units
    memory = state.last_seen[faction]
    sides = np.array([f.side for f in state.scenario.factions])
    enemy = np.flatnonzero(u.alive & (u.carrier < 0) & (sides[u.faction] != side))
    remembered = list(memory)
    m_col = np.array([memory[i][0] for i in remembered], dtype=np.int64)
    m_row = np.array([memory[i][1] for i in remembered], dtype=np.int64)
    e_col, e_row = u.col[enemy].astype(np.int64), u.row[enemy].astype(np.int64)
    if near is None:
        seen = visible(state, side)
        spotted = enemy[seen[e_row, e_col]]
        stale = [uid for uid, hit in zip(remembered, seen[m_row, m_col], strict=True) if hit]
    else:
        if not near:
            return
        close_e = _close(e_col, e_row, near, state)
        spotted = enemy[close_e][seen_hexes(state, side, e_col[close_e], e_row[close_e])]
        close_m = _close(m_col, m_row, near, state)
        looked = seen_hexes(state, side, m_col[close_m], m_row[close_m])
        checked = [uid for uid, c in zip(remembered, close_m, strict=True) if c]
        stale = [uid for uid, hit in zip(checked, looked, strict=True) if hit]
    for uid in stale:
        del memory[uid]
    for i in spotted.tolist():
        memory[i] = (int(u.col[i]), int(u.row[i]), int(u.type[i]), state.turn)


def _close(cols: np.ndarray, rows: np.ndarray, near: list[tuple[int, int]], state) -> np.ndarray:
    """Which of the hexes lie within the longest vision range of any of the `near` hexes."""
    if not len(cols):
        return np.zeros(0, dtype=bool)
    reach = int(state.rules.ut_vision.max(initial=1))
    n_col = np.array([c for c, _ in near], dtype=np.int64)
    n_row = np.array([r for _, r in near], dtype=np.int64)
    d = hexgrid.distance(cols[:, None], rows[:, None], n_col[None, :], n_row[None, :])
    return np.asarray(np.asarray(d <= reach).any(axis=1))
