"""What a computer player knows at a moment of its turn, as whole-map arrays.

It knows what a player at the same seat would: the map, its own and its allies' units, the enemy
units its side sees now (with their strength), and where it last saw the others (assumed at full
strength, for a few turns). Hidden enemies are not in the picture. The engine's own questions
(where a unit may move, who may join an attack, what a visible fight would give) are asked of the
game as the window asks them for a human player.

All arrays are flat over the map (index row * width + col).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from game import fog, hexgrid, supply, turn
from game.state import NO_SUPPLY, StateView

#: Turns a sighting of an enemy unit stays in the picture after it was last seen.
MEMORY_TURNS = 3
#: A side losing on points grows pressed for time over this many last turns of a game.
HORIZON = 8
#: An objective that is a supply source is worth this many victory points more: taking it cuts
#: the enemy's supply, losing it cuts ours.
DEPOT_WORTH = 2.0
#: ... and one that ends the game at once when a side holds it (sudden death) this many more.
SUDDEN_WORTH = 6.0


@dataclass
class Known:
    """The enemy ground units in the picture: where, what type, how many steps, and whether
    they are seen now."""

    flat: np.ndarray
    type: np.ndarray
    steps: np.ndarray
    seen: np.ndarray


class Picture:
    """One faction's knowledge of the game, built at the start of its turn and refreshed after
    every fight."""

    def __init__(self, view: StateView, faction: int) -> None:
        self.view = view
        self.faction = faction
        sc = view.scenario
        self.width, self.height = sc.width, sc.height
        self.n = sc.width * sc.height
        self.nbr = hexgrid.neighbour_table(sc.width, sc.height)
        self.worth = objective_worth(view)
        self.refresh()

    def refresh(self) -> None:
        """Look again: after a fight, a move that showed something, or a city changing hands."""
        view, rules = self.view, self.view.rules
        self.hostile = view.hostile_mask(self.faction)
        self.seen = fog.visible(view, view.side_of(self.faction)).ravel()  # type: ignore[arg-type]
        self.known = self._known()
        k = self.known
        strength = k.steps * rules.ut_defence[k.type]
        self.enemy_defence = np.bincount(k.flat, weights=strength, minlength=self.n)
        self.threat = self._threat()
        self.field = supply.supply_field(view, self.faction)
        self.fed = self.field.level > NO_SUPPLY
        self.urgency = urgency(view, self.faction)

    def _known(self) -> Known:
        """The enemy ground units in sight now, and those seen lately where they were seen."""
        view = self.view
        u, rules = view.units, view.rules
        enemy = u.alive & (u.carrier < 0) & self.hostile[u.faction] & ~rules.ut_air[u.type]
        flat = u.row.astype(np.int64) * self.width + u.col
        now = np.flatnonzero(enemy & self.seen[flat])
        in_sight = set(now.tolist())
        old = [
            (uid, c, r, t)
            for uid, (c, r, t, turn) in view.last_seen[self.faction].items()
            if uid not in in_sight
            and self.hostile[view.units.faction[uid]]  # sides at peace are remembered too
            and view.turn - turn <= MEMORY_TURNS
            and not rules.ut_air[t]
            and not self.seen[r * self.width + c]  # looked there since: it has gone
        ]
        return Known(
            np.concatenate([flat[now], np.array([r * self.width + c for _, c, r, _ in old], int)]),
            np.concatenate([u.type[now], np.array([t for *_, t in old], int)]).astype(np.int64),
            np.concatenate([u.steps[now], rules.ut_steps[[t for *_, t in old]]]).astype(float),
            np.concatenate([np.ones(len(now), bool), np.zeros(len(old), bool)]),
        )

    def _threat(self) -> np.ndarray:
        """The attack strength the known enemy could bring against each hex on its next turn."""
        k, rules = self.known, self.view.rules
        return self.within_reach(
            1, k.steps * np.maximum(rules.ut_soft[k.type], rules.ut_hard[k.type])
        )

    def within_reach(self, turns: float, weights: np.ndarray) -> np.ndarray:
        """For every hex, the sum of `weights` (one per known enemy unit) over the units that
        could reach it within `turns` turns: their movement points times `turns` (one point a
        hex), plus one hex for a strike."""
        k, rules = self.known, self.view.rules
        total = np.zeros(self.n)
        cols, rows = np.arange(self.n) % self.width, np.arange(self.n) // self.width
        reach = rules.ut_moves[k.type] * turns + 1
        for start in range(0, len(k.flat), 64):  # bounded (units x hexes) blocks
            part = slice(start, start + 64)
            d = hexgrid.distance(
                (k.flat[part] % self.width)[:, None],
                (k.flat[part] // self.width)[:, None],
                cols[None, :],
                rows[None, :],
            )
            total += ((d <= reach[part, None]) * weights[part, None]).sum(axis=0)
        return total

    def fogged(self) -> _FoggedView:
        """The view with the enemy units this side does not see now taken off the map: ask the
        engine's questions of it (an enemy's supply field, say) to get the answers this side
        could work out for itself."""
        u = self.view.units
        flat = u.row.astype(np.int64) * self.width + u.col
        enemy = self.hostile[u.faction]
        hidden = enemy & ~(self.seen[flat] & (u.carrier < 0))
        return _FoggedView(self.view, u.alive & ~hidden)

    def hex_of(self, uid: int) -> int:
        """The flat hex a unit is on (a unit aboard a fleet is where the fleet is)."""
        u = self.view.units
        return int(u.row[uid]) * self.width + int(u.col[uid])


class _FoggedView:
    """A read-only view whose unit table shows only the units in `alive`."""

    def __init__(self, view: StateView, alive: np.ndarray) -> None:
        self._view = view
        self.units = _FoggedUnits(view.units, alive)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._view, name)


class _FoggedUnits:
    def __init__(self, units: Any, alive: np.ndarray) -> None:
        self._units = units
        self.alive = alive

    def __getattr__(self, name: str) -> Any:
        return getattr(self._units, name)


def punch(view: StateView, uid: int) -> float:
    """A unit's attack strength, as the planners weigh it: steps times its better attack."""
    u, rules = view.units, view.rules
    t = u.type[uid]
    return float(u.steps[uid]) * float(max(rules.ut_soft[t], rules.ut_hard[t]))


def objective_worth(view: StateView) -> np.ndarray:
    """What holding each hex is worth (flat): a city's victory points, more for a supply source
    and more again for a city that ends the game when a side holds it; 0 elsewhere."""
    sc = view.scenario
    worth = np.zeros(sc.width * sc.height)
    sudden = {c for s in sc.sudden_death for c in s.cities}
    for i, c in enumerate(sc.cities):
        value = float(c.vp) + (DEPOT_WORTH if c.supply > 0 else 0.0)
        worth[c.row * sc.width + c.col] = value + (SUDDEN_WORTH if i in sudden else 0.0)
    return worth


def urgency(view: StateView, faction: int) -> float:
    """How pressed for time the faction's side is, 0..1: 0 while the points would give it the
    game if it ended now; else rising over the last HORIZON turns of the game, to 1 on the last
    (a long campaign is not played as a last-minute rush from its first turn)."""
    winner, _ = turn.standing(view)  # type: ignore[arg-type]
    if winner == view.side_of(faction):
        return 0.0
    left = view.scenario.turns - view.turn  # turns after this one
    return float(np.clip(1.0 - left / HORIZON, 0.0, 1.0))
