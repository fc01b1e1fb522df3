"""Things that must hold after every accepted command, whatever the players do."""

from __future__ import annotations

from collections import Counter

import numpy as np

from game.state import GameState


def check_invariants(state: GameState) -> None:
    """Raise AssertionError naming the first broken invariant."""
    u = state.units
    rules = state.rules
    assert (u.steps >= 0).all(), "negative steps"
    assert ((u.steps > 0) == u.alive).all(), "a unit alive without steps, or dead with steps"
    on_map = np.flatnonzero(u.alive & (u.carrier < 0))
    layers: dict[tuple[int, int, bool], list[int]] = {}
    for i in on_map.tolist():
        col, row = int(u.col[i]), int(u.row[i])
        assert 0 <= col < state.scenario.width and 0 <= row < state.scenario.height, "off the map"
        assert rules.can_enter(int(u.type[i]), int(state.scenario.terrain[row, col])), (
            f"{u.names[i]} stands on terrain it cannot enter at ({col}, {row})"
        )
        layers.setdefault((col, row, bool(rules.ut_air[u.type[i]])), []).append(i)
    for (col, row, air), ids in layers.items():
        limit = rules.stack_air if air else rules.stack_ground
        assert len(ids) <= limit, f"{len(ids)} units stacked at ({col}, {row})"
        sides = Counter(state.side_of(int(u.faction[i])) for i in ids)
        assert len(sides) == 1, f"opposing sides share ({col}, {row})"
    assert (u.entrenchment <= rules.combat.max_entrenchment).all()
    assert (u.experience <= rules.combat.max_experience).all()
    for i in np.flatnonzero(u.alive & (u.carrier >= 0)).tolist():
        fleet = int(u.carrier[i])
        assert u.alive[fleet] and rules.ut_carry[u.type[fleet]] > 0, f"{u.names[i]} rides nothing"
        assert (u.col[i], u.row[i]) == (u.col[fleet], u.row[fleet]), f"{u.names[i]} off its fleet"
    _check_victory_points(state, layers)


def _check_victory_points(state: GameState, layers: dict[tuple[int, int, bool], list[int]]):
    """Every city is held by a faction of the game or nobody; no city is held against enemy
    ground troops that can capture standing in it (entering one takes it); and the score is the
    cities held plus the points from events."""
    u = state.units
    nf = len(state.scenario.factions)
    score = state.vp_bonus.astype(np.int64).copy()
    for city in state.scenario.cities:
        holder = int(state.owner[city.row, city.col])
        assert -1 <= holder < nf, f"{city.name} held by faction {holder}"
        for i in layers.get((city.col, city.row, False), []):
            taker = int(u.faction[i])
            if not state.rules.ut_captures[u.type[i]]:
                continue
            assert holder == taker or not state.hostile(holder, taker), (
                f"{city.name} still held by {holder} with {u.names[i]} in it"
            )
        if holder >= 0:
            score[holder] += city.vp
    assert (state.victory_points() == score).all(), "victory points do not add up"


def soak_game(path: str, seed: int) -> int:
    """Play one game between random players, checking every invariant after every accepted
    command; returns the number of commands checked (AssertionError names a broken one)."""
    from pathlib import Path

    from game.ai import make_player
    from game.engine import Engine
    from game.scenario import load

    scenario = load(Path(path))
    engine = Engine(scenario, seed=seed)
    players = [make_player("random", f.index, seed) for f in scenario.factions]
    checked = 0

    def submit(cmd):
        nonlocal checked
        result = engine.submit(cmd)
        if result.ok:
            checked += 1
            try:
                check_invariants(engine.state)
            except AssertionError as exc:
                raise AssertionError(f"{Path(path).stem} seed {seed}, after {cmd}: {exc}") from None
        return result

    while not engine.state.finished:
        players[engine.state.active].play_turn(engine.view, submit)
    return checked
