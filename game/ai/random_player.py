"""`random`: the baseline computer player. Each unit, in a random order, attacks an adjacent enemy
hex when it can (with every free neighbour joining in) or moves to a random hex it can reach.
It has its own generator, seeded from the game's seed, its faction and the turn."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from game import hexgrid, movement
from game.commands import Attack, Command, EndTurn, Move
from game.engine import Result
from game.state import StateView


class RandomPlayer:
    """The baseline player: legal but aimless moves and attacks."""

    name = "random"

    def __init__(self, faction: int, seed: int) -> None:
        self.faction = faction
        self.seed = seed

    def play_turn(self, view: StateView, submit: Callable[[Command], Result]) -> None:
        """Issue this turn's commands through `submit`, ending with EndTurn. `view` is the
        read-only game, which follows every accepted command."""
        rng = np.random.default_rng([self.seed, self.faction, view.turn])
        ids = [int(i) for i in view.faction_units(self.faction)]
        rng.shuffle(ids)
        for uid in ids:
            if not view.units.alive[uid] or view.finished:
                continue
            if rng.random() < 0.6 and self._attack(view, uid, rng, submit):
                continue
            self._move(view, uid, rng, submit)
        if not view.finished:
            submit(EndTurn())

    def _attack(self, view: StateView, uid: int, rng: np.random.Generator, submit) -> bool:
        u = view.units
        if u.attacked[uid] or view.rules.ut_air[u.type[uid]]:
            return False
        targets = [
            (c, r)
            for c, r in hexgrid.neighbours(int(u.col[uid]), int(u.row[uid]))
            if 0 <= c < view.scenario.width
            and 0 <= r < view.scenario.height
            and view.defenders_at(c, r, self.faction)
        ]
        if not targets:
            return False
        col, row = targets[int(rng.integers(len(targets)))]
        friends = [
            int(i)
            for i in view.faction_units(self.faction)
            if not u.attacked[i]
            and not view.rules.ut_air[u.type[i]]
            and hexgrid.distance(int(u.col[i]), int(u.row[i]), col, row) == 1
        ]
        group = tuple(sorted(set(friends) | {uid}))
        return bool(submit(Attack(group, (col, row), advance=(uid,))))

    def _move(self, view: StateView, uid: int, rng: np.random.Generator, submit) -> bool:
        ctx = movement.context(view, self.faction)
        options = sorted(movement.destinations(ctx, uid))
        if not options or view.units.moves[uid] <= 0:
            return False
        flat = options[int(rng.integers(len(options)))]
        width = view.scenario.width
        return bool(submit(Move(uid, (flat % width, flat // width))))
