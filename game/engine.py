"""The engine: `Engine.submit(command)` is the one way to change a game.

Each command type has a validator, which returns a reason when the command is illegal and
changes nothing, and an applier, which trusts a validated command. Every accepted command goes
into the log, so the same scenario, seed and log always give the same game.

Undo takes back moves: before each move the engine keeps a snapshot of the state, and Undo puts
the newest back and drops the move from the log. Only moves that taught the mover nothing are
kept (no dice, no event, no new sighting); anything else seals the moves before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game import battle, combat, fleets, fog, movement, turn
from game.commands import (
    Attack,
    Bombard,
    Command,
    Embark,
    EndTurn,
    Land,
    Move,
    RailMove,
    Undo,
    normalize,
    to_record,
)
from game.scenario import Scenario
from game.state import GameState, Snapshot, StateView, new_game
from game.turn import Report, steps_text

#: Commands that Undo can take back (when they rolled no dice and showed nothing new).
UNDOABLE = (Move, RailMove, Embark, Land)

NOTHING_MOVED = "nothing to undo: no unit has moved yet this turn"


@dataclass
class Result:
    """What `submit` returns: accepted with what happened, or refused with the reason."""

    ok: bool
    reason: str = ""
    reports: list[Report] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


class Engine:
    """Owns one game's state and its command log."""

    def __init__(self, scenario: Scenario, seed: int = 0) -> None:
        self.scenario = scenario
        self.state: GameState = new_game(scenario, seed)
        self.log: list[Command] = []
        self.opening: list[Report] = turn.begin_game(self.state)
        self._checked_move: tuple[Any, ...] = ()
        # Undo: (state before, log length before) per move that can still be taken back, and
        # why there is nothing (more) to take back once the stack is empty
        self._undo_stack: list[tuple[Snapshot, int]] = []
        self._undo_block = NOTHING_MOVED
        self._handlers: dict[type, tuple[Callable[[Any], str | None], Callable[[Any], list]]] = {
            Move: (self._check_move, self._do_move),
            Attack: (self._check_attack, self._do_attack),
            RailMove: (self._check_rail, self._do_rail),
            Bombard: (lambda cmd: fleets.check_bombard(self, cmd), self._bombard),
            Embark: (lambda cmd: fleets.check_embark(self, cmd), self._embark),
            Land: (lambda cmd: fleets.check_land(self, cmd), self._land),
            EndTurn: (lambda cmd: None, lambda cmd: turn.end_faction_turn(self.state)),
        }

    @property
    def view(self) -> StateView:
        """The game as the UI and computer players may see it: read-only."""
        return self.state.view()

    def submit(self, cmd: Command) -> Result:
        """Validate and apply one command of the faction to move."""
        if isinstance(cmd, Undo):  # never logged: it removes a command from the log instead
            reason = self.undo_problem()
            return Result(False, reason) if reason else Result(True, "", self._undo())
        handlers = self._handlers.get(type(cmd))
        if handlers is None:
            return Result(False, f"unknown command {type(cmd).__name__}")
        if self.state.finished:
            return Result(False, "the game is over")
        check, apply = handlers
        try:
            cmd = normalize(cmd)  # plain ints from here on: numpy ints could overflow
            reason = check(cmd)
        except (TypeError, ValueError, IndexError) as exc:
            reason = f"malformed command: {exc}"
        if reason:
            return Result(False, reason)
        u = self.state.units
        before = (u.col.copy(), u.row.copy())
        saved = self.state.snapshot() if isinstance(cmd, UNDOABLE) else None
        reports = apply(cmd)
        self.log.append(cmd)
        if not self.state.finished:
            reports += turn.check_events(self.state)
        if not isinstance(cmd, EndTurn) and not self.state.finished:
            fog.update_last_seen(self.state, self.state.active, near=_moved(u, before, reports))
        self._keep_for_undo(cmd, saved)
        return Result(True, "", reports)

    # -- Undo ------------------------------------------------------------------------------------
    def undo_problem(self) -> str | None:
        """Why Undo would be refused now, or None: cheap enough to ask every frame."""
        if self.state.finished:
            return "the game is over"
        if not self._undo_stack:
            return self._undo_block
        return None

    def _keep_for_undo(self, cmd: Command, saved: Snapshot | None) -> None:
        """After an accepted command: keep the state before it if it may be taken back, or
        seal every move so far and note why."""
        state = self.state
        if isinstance(cmd, EndTurn):
            self.seal_undo(NOTHING_MOVED)
        elif saved is None:
            what = "a bombardment" if isinstance(cmd, Bombard) else "an attack"
            self.seal_undo(f"nothing to undo: {what} cannot be taken back, nor the moves before it")
        elif state.rng.bit_generator.state != saved.rng_state:
            self.seal_undo("nothing to undo: the last move rolled dice")
        elif not np.array_equal(state.fired, saved.arrays["fired"]):
            self.seal_undo("nothing to undo: the last move set off an event")
        elif state.finished:
            self.seal_undo("the game is over")
        elif state.last_seen[state.active] != saved.last_seen[state.active]:
            self.seal_undo("nothing to undo: the last move showed something new about the enemy")
        else:
            self._undo_stack.append((saved, len(self.log) - 1))

    def seal_undo(self, why: str) -> None:
        """Forget the moves Undo could take back, and say why there is nothing to undo."""
        self._undo_stack.clear()
        self._undo_block = why

    def _undo(self) -> list[Report]:
        """Put back the state before the newest undoable move and drop it from the log."""
        saved, length = self._undo_stack.pop()
        cmd = self.log[length]
        assert isinstance(cmd, Move | RailMove | Embark | Land)
        self.state.restore(saved)
        del self.log[length:]
        self._checked_move = ()  # worked out for the state that is gone
        names = self.state.units.names
        if isinstance(cmd, Embark):
            what = f"{names[cmd.unit]} boarding {names[cmd.fleet]}"
        else:
            kind = {Move: "move to", RailMove: "rail journey to", Land: "landing at"}[type(cmd)]
            what = f"{names[cmd.unit]}'s {kind} {self.place(*cmd.to)}"
        data = {"unit": cmd.unit, "command": to_record(cmd)}
        return [Report("undo", f"Undone: {what}", data)]

    # -- shared checks ----------------------------------------------------------------------------
    def own_unit(self, uid: Any) -> str | None:
        """Why `uid` is not a living unit of the faction to move, or None."""
        u = self.state.units
        if not isinstance(uid, int | np.integer) or isinstance(uid, bool):
            return f"a unit id is a whole number, not {uid!r}"
        if not 0 <= uid < len(u):
            return f"there is no unit {uid}"
        if not u.alive[uid]:
            return f"{u.names[uid]} has been destroyed"
        if u.faction[uid] != self.state.active:
            active = self.scenario.factions[self.state.active].name
            return f"{u.names[uid]} does not belong to {active}, whose turn it is"
        return None

    def parse_hex(self, where: Any) -> tuple[int, int] | str:
        """(col, row) of a hex on the map, or why `where` is not one."""
        sc = self.scenario
        ok = isinstance(where, tuple | list) and len(where) == 2
        if not ok or not all(isinstance(v, int | np.integer) for v in where):
            return f"a hex is written (col, row), not {where!r}"
        col, row = int(where[0]), int(where[1])
        if not (0 <= col < sc.width and 0 <= row < sc.height):
            return f"hex ({col}, {row}) is off the map"
        return col, row

    def _terrain_name(self, col: int, row: int) -> str:
        return self.scenario.rules.terrain[int(self.scenario.terrain[row, col])].name.lower()

    def place(self, col: int, row: int) -> str:
        """A hex as players name it: the city there, or its terrain and coordinates."""
        city = self.scenario.city_at.get((col, row))
        if city is not None:
            return self.scenario.cities[city].name
        return f"the {self._terrain_name(col, row)} at ({col}, {row})"

    # -- Move ------------------------------------------------------------------------------------
    def _check_move(self, cmd: Move) -> str | None:
        reason = self.own_unit(cmd.unit)
        where = self.parse_hex(cmd.to)
        if reason or isinstance(where, str):
            return reason or str(where)
        reason = battle.aboard_problem(self.state, cmd.unit)
        if reason:
            return reason
        u = self.state.units
        if u.moves[cmd.unit] <= 0:
            return f"{u.names[cmd.unit]} has no movement left this turn"
        ctx = movement.context(self.state, self.state.active)
        flat = where[1] * self.scenario.width + where[0]
        dist, parent = movement.find_paths(ctx, cmd.unit)
        self._checked_move = (cmd, ctx, dist, parent)
        if flat == int(u.row[cmd.unit]) * self.scenario.width + int(u.col[cmd.unit]):
            return f"{u.names[cmd.unit]} is already there"
        if flat not in dist:
            return f"{u.names[cmd.unit]} cannot reach ({where[0]}, {where[1]}) this turn"
        if not movement.has_room(ctx, cmd.unit, flat):
            return f"({where[0]}, {where[1]}) is full: the stacking limit is reached"
        return None

    def _do_move(self, cmd: Move) -> list[Report]:
        state, u = self.state, self.state.units
        checked, ctx, dist, parent = self._checked_move  # what validating it worked out
        assert checked == cmd
        width = self.scenario.width
        start = int(u.row[cmd.unit]) * width + int(u.col[cmd.unit])
        goal = cmd.to[1] * width + cmd.to[0]
        path = movement.path_to(parent, start, goal)
        turn.put(state, cmd.unit, *cmd.to)
        u.moves[cmd.unit] -= dist[goal]
        u.entrenchment[cmd.unit] = 0
        air = bool(state.rules.ut_air[u.type[cmd.unit]])
        if ctx.zoc[goal] and not air:
            u.moves[cmd.unit] = 0.0
        reports = [
            Report(
                "move",
                f"{u.names[cmd.unit]} moves to ({cmd.to[0]}, {cmd.to[1]})",
                {"unit": cmd.unit, "path": [(h % width, h // width) for h in path]},
            )
        ]
        return reports + self.capture(cmd.unit, path[1:])

    def capture(self, uid: int, hexes: list[int]) -> list[Report]:
        """A unit that may capture takes every hex it enters from the enemy or from nobody."""
        state = self.state
        if not state.rules.ut_captures[state.units.type[uid]]:
            return []
        faction = int(state.units.faction[uid])
        owner = state.owner.reshape(-1)
        reports = []
        for h in hexes:
            old = int(owner[h])
            if old == faction or (old >= 0 and not state.hostile(faction, old)):
                continue
            owner[h] = faction
            city = self.scenario.city_at.get((h % self.scenario.width, h // self.scenario.width))
            if city is not None:
                name = self.scenario.cities[city].name
                who = self.scenario.factions[faction].name
                reports.append(Report("capture", f"{who} takes {name}", {"city": city}))
        return reports

    # -- RailMove --------------------------------------------------------------------------------
    def _check_rail(self, cmd: RailMove) -> str | None:
        reason = self.own_unit(cmd.unit)
        where = self.parse_hex(cmd.to)
        if reason or isinstance(where, str):
            return reason or str(where)
        reason = battle.aboard_problem(self.state, cmd.unit)
        if reason:
            return reason
        reach, why = movement.rail_destinations(self.state, cmd.unit)
        if why:
            return why
        if where[1] * self.scenario.width + where[0] not in reach:
            return f"({where[0]}, {where[1]}) cannot be reached by friendly rail from here"
        return None

    def _do_rail(self, cmd: RailMove) -> list[Report]:
        u = self.state.units
        turn.put(self.state, cmd.unit, *cmd.to)
        u.moves[cmd.unit] = 0.0
        u.entrenchment[cmd.unit] = 0
        text = f"{u.names[cmd.unit]} travels by rail to ({cmd.to[0]}, {cmd.to[1]})"
        return [Report("rail", text, {"unit": cmd.unit})]

    # -- fleets (the rules are in game/fleets.py) -------------------------------------------------
    def _bombard(self, cmd: Bombard) -> list[Report]:
        return fleets.do_bombard(self, cmd)

    def _embark(self, cmd: Embark) -> list[Report]:
        return fleets.do_embark(self, cmd)

    def _land(self, cmd: Land) -> list[Report]:
        return fleets.do_land(self, cmd)

    def preview_bombard(self, units: list[int], target: tuple[int, int]) -> fleets.BombardPreview:
        """The expected outcome of a bombardment (shield and flak included), no dice rolled."""
        return fleets.preview_bombard(self.state, units, target)

    # -- Attack ----------------------------------------------------------------------------------
    def group_problem(
        self,
        ids: Any,
        target: Any,
        problem: Callable[[GameState, int, int, int], str | None],
        words: tuple[str, str] = ("an attack needs at least one attacking unit", "attackers"),
    ) -> str | None:
        """Why a group of units cannot act together on a target hex (an attack, a
        bombardment): a bad hex, an empty list (`words[0]` says so), a unit listed twice among
        the `words[1]`, or the first unit that is not the mover's or of which `problem`
        (state, unit, col, row) says why it cannot; else None."""
        where = self.parse_hex(target)
        if isinstance(where, str):
            return where
        if not isinstance(ids, tuple | list) or not ids:
            return words[0]
        if len(set(ids)) != len(ids):
            return f"a unit is listed twice among the {words[1]}"
        for uid in ids:
            reason = self.own_unit(uid) or problem(self.state, uid, *where)
            if reason:
                return reason
        return None

    def _check_attack(self, cmd: Attack) -> str | None:
        state, u, rules = self.state, self.state.units, self.state.rules
        reason = self.group_problem(cmd.attackers, cmd.target, battle.attack_problem)
        if reason:
            return reason
        where = cmd.target
        air = {bool(rules.ut_air[u.type[uid]]) for uid in cmd.attackers}
        if len(air) > 1:
            return "fleets and ground units fight in different layers: attack with one or the other"
        if not self.state.defenders_at(*where, state.active, air=air == {True}):
            layer = "fleet" if air == {True} else "ground unit"
            return f"there is no enemy {layer} at ({where[0]}, {where[1]})"
        if not isinstance(cmd.advance, tuple | list) or not set(cmd.advance) <= set(cmd.attackers):
            return "only attacking units may advance"
        for uid in cmd.advance:
            if rules.ut_air[u.type[uid]]:
                return f"{u.names[uid]} is a fleet: fleets cannot take cities or hexes"
            if not rules.ut_captures[u.type[uid]]:
                return f"{u.names[uid]} cannot advance into a hex"
        if len(cmd.advance) > state.rules.stack_ground:
            return "more units would advance than the stacking limit allows"
        return None

    def battle_inputs(
        self, attackers: list[int], col: int, row: int, defenders: list[int] | None = None
    ) -> tuple[combat.Sides, combat.Sides, combat.Battles, list[int]]:
        """The arrays of one battle, as the combat core and the preview take them."""
        return battle.battle_inputs(self.state, attackers, col, row, defenders)

    def preview(self, attackers: list[int], target: tuple[int, int]) -> combat.Preview:
        """The expected outcome of an attack, without rolling any dice (battle.preview)."""
        return battle.preview(self.state, list(attackers), target)

    def withdrawals(self, attackers: list[int], target: tuple[int, int]) -> list[int]:
        """Defenders that would step back before this attack (battle.withdrawals)."""
        return battle.withdrawals(self.state, list(attackers), target)

    def _do_attack(self, cmd: Attack) -> list[Report]:
        state, u, rules = self.state, self.state.units, self.state.rules
        col, row = cmd.target
        attackers = list(cmd.attackers)
        air = bool(rules.ut_air[u.type[attackers[0]]])
        reports = self._withdraw(self.withdrawals(attackers, (col, row)), attackers, col, row)
        defenders = state.defenders_at(col, row, state.active, air=air)
        if defenders:
            reports += self._battle(attackers, col, row, defenders)
        # fleets neither take hexes nor exploit
        emptied = not air and not state.other_side_ground_at(col, row, state.active)
        for uid in attackers:
            u.attacked[uid] = True
            keeps = emptied and rules.ut_exploit[u.type[uid]] and u.alive[uid]
            if not keeps:
                u.moves[uid] = 0.0
        if emptied:
            movers = [a for a in cmd.advance if u.alive[a]]
            for uid in movers:
                turn.put(state, uid, col, row)
                u.entrenchment[uid] = 0
            if movers:
                reports.append(
                    Report("advance", f"{u.names[movers[0]]} advances into {self.place(col, row)}")
                )
                reports += self.capture(movers[0], [row * self.scenario.width + col])
        return reports

    def _battle(
        self, attackers: list[int], col: int, row: int, defenders: list[int]
    ) -> list[Report]:
        """Roll the battle and apply losses, experience and the defenders' retreat."""
        state, u, rules = self.state, self.state.units, self.state.rules
        att, dfn, battles, defenders = self.battle_inputs(attackers, col, row, defenders)
        draws = combat.draw_battles(state.rng, 1)
        out = combat.resolve_battles(att, dfn, battles, rules.combat, draws)
        a_loss, d_loss = int(out.attacker_losses[0]), int(out.defender_losses[0])
        odds = out.attack[0] / max(out.defence[0], 1e-9)
        who = self.scenario.factions[state.active].name
        names = [u.names[d] for d in defenders]
        foes = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text = (
            f"{who} attacks {foes} in {self.place(col, row)} at {odds:.1f}:1: the attackers "
            f"lose {steps_text(a_loss)}, the defenders {steps_text(d_loss)}"
        )
        data = {
            "target": (col, row),
            "odds": float(odds),
            "attacker_losses": a_loss,
            "defender_losses": d_loss,
            "retreat": bool(out.retreat[0]),
        }
        reports = [Report("battle", text, data)]
        reports += turn.take_steps(state, attackers, a_loss)
        reports += turn.take_steps(state, defenders, d_loss)
        riders = [r for i in attackers + defenders for r in state.aboard(i)]
        reports += turn.remove_dead(state, attackers + defenders + riders)
        for uid in attackers + defenders:
            if u.alive[uid]:
                u.experience[uid] = min(u.experience[uid] + 1, rules.combat.max_experience)
        survivors = [d for d in defenders if u.alive[d]]
        if out.retreat[0] and survivors:
            reports += self._retreat(survivors, attackers, col, row)
        return reports

    def _withdraw(self, ids: list[int], attackers: list[int], col: int, row: int) -> list[Report]:
        """The withdrawing units give up their steps and step back before the attack lands."""
        if not ids:
            return []
        u, loss = self.state.units, self.state.rules.combat.withdraw_loss
        reports = []
        for uid, (c, r) in battle.fallback(self.state, ids, attackers, col, row).items():
            text = (
                f"{u.names[uid]} withdraws to {self.place(c, r)} before the attack, "
                f"giving up {steps_text(loss)}"
            )
            reports.append(Report("withdraw", text, {"unit": uid, "target": (col, row)}))
            reports += turn.take_steps(self.state, [uid], loss)
            turn.put(self.state, uid, c, r)
            u.entrenchment[uid] = 0
            reports += turn.remove_dead(self.state, self.state.aboard(uid))
        return reports

    def _retreat(self, ids: list[int], attackers: list[int], col: int, row: int) -> list[Report]:
        """Each surviving defender steps one hex away from the attackers, or loses steps."""
        u, rules = self.state.units, self.state.rules
        spots = battle.fallback(self.state, ids, attackers, col, row)
        reports = []
        for uid in ids:
            if uid not in spots:
                loss = rules.combat.blocked_retreat_loss
                reports += turn.take_steps(self.state, [uid], loss)
                reports.append(
                    Report(
                        "retreat", f"{u.names[uid]} cannot fall back and loses {steps_text(loss)}"
                    )
                )
                reports += turn.remove_dead(self.state, [uid, *self.state.aboard(uid)])
                continue
            c, r = spots[uid]
            turn.put(self.state, uid, c, r)
            u.entrenchment[uid] = 0
            reports.append(
                Report("retreat", f"{u.names[uid]} falls back to {self.place(c, r)}", {"unit": uid})
            )
        return reports


def _moved(u: Any, before: tuple[np.ndarray, np.ndarray], reports: list[Report]) -> list:
    """Every hex a unit left, passed through or reached during one command."""
    old_col, old_row = before
    n = len(old_col)
    changed = np.flatnonzero((u.col[:n] != old_col) | (u.row[:n] != old_row))
    hexes = {(int(old_col[i]), int(old_row[i])) for i in changed}
    hexes |= {(int(u.col[i]), int(u.row[i])) for i in changed}
    hexes |= {(int(c), int(r)) for i in range(n, len(u.col)) for c, r in [(u.col[i], u.row[i])]}
    for report in reports:
        hexes |= set(report.data.get("path", ()))
        if "target" in report.data:
            hexes.add(tuple(report.data["target"]))
    return sorted(hexes)
