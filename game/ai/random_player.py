"""`random`: the baseline computer player. Each unit, in a random order, does one of the things
it could do, picked at random: a unit aboard a fleet lands; a unit that can bombard fires on an
enemy in range, before or after moving; a ground unit sometimes boards a fleet on its hex; any
unit attacks an adjacent enemy (with every free neighbour of its layer joining in), and a winner
that keeps its movement moves on; otherwise it moves to a random hex it can reach. It asks the
same questions the engine asks, so none of its commands is refused. It has its own generator,
seeded from the game's seed, its faction and the turn."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from game import fleets, hexgrid, movement
from game.battle import attack_problem
from game.commands import Attack, Bombard, Command, Embark, EndTurn, Land, Move
from game.engine import Result
from game.state import StateView

Submit = Callable[[Command], Result]


class RandomPlayer:
    """The baseline player: legal but aimless moves, attacks, landings and bombardments."""

    name = "random"

    def __init__(self, faction: int, seed: int) -> None:
        self.faction = faction
        self.seed = seed

    def play_turn(self, view: StateView, submit: Submit) -> None:
        """Issue this turn's commands through `submit`, ending with EndTurn. `view` is the
        read-only game, which follows every accepted command."""
        rng = np.random.default_rng([self.seed, self.faction, view.turn])
        ids = [int(i) for i in view.faction_units(self.faction)]
        rng.shuffle(ids)
        for uid in ids:
            if not view.units.alive[uid] or view.finished:
                continue
            self._act(view, uid, rng, submit)
        if not view.finished:
            submit(EndTurn())

    def _act(self, view: StateView, uid: int, rng: np.random.Generator, submit: Submit) -> None:
        u = view.units
        if u.carrier[uid] >= 0:
            spots = fleets.landing_hexes(view, uid)
            if spots and rng.random() < 0.5:
                submit(Land(uid, spots[int(rng.integers(len(spots)))]))
            return
        if rng.random() < 0.5 and self._bombard(view, uid, rng, submit):
            return
        if rng.random() < 0.3 and self._embark(view, uid, rng, submit):
            return
        if rng.random() < 0.6 and self._attack(view, uid, rng, submit):
            if u.alive[uid] and u.moves[uid] > 0:  # a winner that may exploit moves on
                self._move(view, uid, rng, submit)
            return
        self._move(view, uid, rng, submit)
        if u.alive[uid]:
            self._bombard(view, uid, rng, submit)

    def _bombard(self, view: StateView, uid: int, rng: np.random.Generator, submit) -> bool:
        targets = fleets.bombard_targets(view, uid)
        if not targets:
            return False
        return bool(submit(Bombard((uid,), targets[int(rng.integers(len(targets)))])))

    def _embark(self, view: StateView, uid: int, rng: np.random.Generator, submit) -> bool:
        u = view.units
        here = view.units_at(int(u.col[uid]), int(u.row[uid]))
        ships = [f for f in here if f != uid and not fleets.embark_problem(view, uid, f)]
        ships = [f for f in ships if u.faction[f] == self.faction]
        if not ships:
            return False
        return bool(submit(Embark(uid, ships[int(rng.integers(len(ships)))])))

    def _attack(self, view: StateView, uid: int, rng: np.random.Generator, submit) -> bool:
        u = view.units
        air = bool(view.rules.ut_air[u.type[uid]])
        targets = [
            (c, r)
            for c, r in hexgrid.neighbours(int(u.col[uid]), int(u.row[uid]))
            if 0 <= c < view.scenario.width
            and 0 <= r < view.scenario.height
            and view.defenders_at(c, r, self.faction, air=air)
            and not attack_problem(view, uid, c, r)
        ]
        if not targets:
            return False
        col, row = targets[int(rng.integers(len(targets)))]
        friends = [
            int(i)
            for i in view.faction_units(self.faction)
            if bool(view.rules.ut_air[u.type[i]]) == air and not attack_problem(view, i, col, row)
        ]
        group = tuple(sorted(set(friends) | {uid}))
        advance = (uid,) if view.rules.ut_captures[u.type[uid]] else ()
        return bool(submit(Attack(group, (col, row), advance=advance)))

    def _move(self, view: StateView, uid: int, rng: np.random.Generator, submit) -> bool:
        ctx = movement.context(view, self.faction)
        options = sorted(movement.destinations(ctx, uid))
        if not options or view.units.moves[uid] <= 0:
            return False
        flat = options[int(rng.integers(len(options)))]
        width = view.scenario.width
        return bool(submit(Move(uid, (flat % width, flat // width))))
