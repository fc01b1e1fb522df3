"""GameState: the map layers as 2-D arrays and the units as a table of numpy columns.

Only the engine writes to a GameState. The UI and the computer players read it through
`StateView`, whose arrays cannot be written to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import astuple, dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from game.scenario import Scenario, UnitSpec

NO_SUPPLY, REDUCED_SUPPLY, FULL_SUPPLY = 0, 1, 2

#: The unit table: column name -> dtype. Every unit ever on the map keeps its row (its id);
#: destroyed units stay with alive == False so ids are never reused.
UNIT_COLUMNS: dict[str, Any] = {
    "type": np.int16,
    "faction": np.int8,
    "col": np.int16,
    "row": np.int16,
    "steps": np.int16,
    "moves": np.float64,  # movement points left this turn
    "entrenchment": np.int8,
    "experience": np.int8,
    "supply": np.int8,  # NO_SUPPLY, REDUCED_SUPPLY or FULL_SUPPLY
    "turns_unsupplied": np.int16,
    "attacked": np.bool_,  # has attacked (or bombarded) this turn
    "landed": np.bool_,  # has landed from a fleet this turn
    "alive": np.bool_,
    "carrier": np.int32,  # id of the fleet carrying it, -1 when on the ground
}


class UnitTable:
    """Structure of arrays: `table.col[i]`, `table.steps[i]`... for unit id i."""

    def __init__(self) -> None:
        for name, dtype in UNIT_COLUMNS.items():
            setattr(self, name, np.zeros(0, dtype=dtype))
        self.labels: list[str] = []
        self.names: list[str] = []

    type: np.ndarray
    faction: np.ndarray
    col: np.ndarray
    row: np.ndarray
    steps: np.ndarray
    moves: np.ndarray
    entrenchment: np.ndarray
    experience: np.ndarray
    supply: np.ndarray
    turns_unsupplied: np.ndarray
    attacked: np.ndarray
    landed: np.ndarray
    alive: np.ndarray
    carrier: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def add(
        self, specs: list[UnitSpec], positions: list[tuple[int, int]] | None = None
    ) -> list[int]:
        """Append units; returns their new ids. `positions` overrides where each one stands."""
        start = len(self)
        n = len(specs)
        where = positions or [(s.col, s.row) for s in specs]
        new = {
            "type": [s.type for s in specs],
            "faction": [s.faction for s in specs],
            "col": [c for c, _ in where],
            "row": [r for _, r in where],
            "steps": [s.steps for s in specs],
            "moves": [0.0] * n,
            "entrenchment": [s.entrenchment for s in specs],
            "experience": [s.experience for s in specs],
            "supply": [FULL_SUPPLY] * n,
            "turns_unsupplied": [0] * n,
            "attacked": [False] * n,
            "landed": [False] * n,
            "alive": [True] * n,
            "carrier": [-1] * n,
        }
        for name, dtype in UNIT_COLUMNS.items():
            column = getattr(self, name)
            setattr(self, name, np.concatenate([column, np.array(new[name], dtype=dtype)]))
        self.labels.extend(s.label for s in specs)
        self.names.extend(s.name for s in specs)
        ids = list(range(start, start + n))
        fleets = {s.label: i for i, s in zip(ids, specs, strict=True) if s.label}
        for i, s in zip(ids, specs, strict=True):
            if s.aboard:  # the scenario checked that the fleet comes with it
                fleet = fleets[s.aboard]
                self.carrier[i] = fleet
                self.col[i], self.row[i] = self.col[fleet], self.row[fleet]
        return ids

    def columns(self) -> dict[str, np.ndarray]:
        """Every column of the table by name."""
        return {name: getattr(self, name) for name in UNIT_COLUMNS}


@dataclass
class GameState:
    """Everything that changes during a game. Built by `new_game`, changed only by the Engine."""

    scenario: Scenario
    seed: int
    rng: np.random.Generator
    units: UnitTable
    owner: np.ndarray  # int8 [row, col] faction index, -1 nobody
    weather: np.ndarray  # int16 per weather region
    at_war: np.ndarray  # bool per faction
    vp_bonus: np.ndarray  # int32 per faction, from events
    fired: np.ndarray  # bool per event
    convoy_cut: np.ndarray  # float64 per convoy: supply points cut by events (off-map raiders)
    shield: np.ndarray  # int16 per city: share of bombardment its shield stops, in percent
    posture: np.ndarray  # int8 per faction: its computer player's posture (scenario.POSTURES)
    turn: int = 1
    active: int = 0  # faction index whose turn it is
    finished: bool = False
    winner: str | None = None  # winning side, None for a draw or a game still going
    level: str = ""
    arrivals: list[tuple[int, Any]] = field(default_factory=list)  # (faction, Reinforcement)
    last_seen: list[dict[int, tuple[int, int, int, int]]] = field(default_factory=list)
    history: list[dict[str, list[int]]] = field(default_factory=list)  # per turn: vp, steps

    # -- derived views ----------------------------------------------------------------------------
    @property
    def rules(self):
        """The scenario's rules."""
        return self.scenario.rules

    def side_of(self, faction: int) -> str:
        """The side (alliance) of a faction."""
        return self.scenario.factions[faction].side

    def hostile(self, a: int, b: int) -> bool:
        """True when factions a and b are at war with each other: of different sides that are
        not at peace, and both in the war."""
        sa, sb = self.side_of(a), self.side_of(b)
        apart = sa != sb and frozenset((sa, sb)) not in self.scenario.peace
        return bool(apart and self.at_war[a] and self.at_war[b])

    def enemy_city(self, col: int, row: int, faction: int) -> bool:
        """True when a city stands on the hex and a faction at war with `faction` holds it:
        entering takes it, so a retreat or a reinforcement never ends there."""
        holder = int(self.owner[row, col])
        return (col, row) in self.scenario.city_at and holder >= 0 and self.hostile(faction, holder)

    def hostile_mask(self, faction: int) -> np.ndarray:
        """bool per faction: which factions are at war with `faction`."""
        mine = self.side_of(faction)
        peace = self.scenario.peace
        apart = np.array(
            [
                f.side != mine and frozenset((f.side, mine)) not in peace
                for f in self.scenario.factions
            ]
        )
        return apart & self.at_war & bool(self.at_war[faction])

    def hex_weather(self) -> np.ndarray:
        """int16 [row, col]: the weather index of every hex."""
        return self.weather[self.scenario.region]

    def turn_moves(self, ids: np.ndarray) -> np.ndarray:
        """Movement points each unit gets at the start of its turn: its type's moves times the
        rules' movement multiplier for its supply level."""
        rules = self.rules
        t = self.units.type[ids]
        return rules.ut_moves[t] * np.array(rules.supply.movement)[self.units.supply[ids]]

    def units_at(self, col: int, row: int) -> list[int]:
        """Ids of the living units on a hex (ground and air, not those carried)."""
        u = self.units
        hit = (u.col == col) & (u.row == row) & u.alive & (u.carrier < 0)
        return [int(i) for i in np.flatnonzero(hit)]

    def defenders_at(self, col: int, row: int, faction: int, air: bool = False) -> list[int]:
        """Units on a hex, in the ground layer (or the air layer), that are at war with
        `faction`: what an attack there hits."""
        return [
            i
            for i in self.units_at(col, row)
            if bool(self.rules.ut_air[self.units.type[i]]) == air
            and self.hostile(faction, int(self.units.faction[i]))
        ]

    def aboard(self, fleet: int) -> list[int]:
        """Ids of the living units a fleet carries."""
        u = self.units
        return [int(i) for i in np.flatnonzero(u.alive & (u.carrier == fleet))]

    def shield_at(self, col: int, row: int) -> int:
        """The shield of the city on a hex, in percent of bombardment stopped (0 elsewhere)."""
        city = self.scenario.city_at.get((col, row))
        return 0 if city is None else int(self.shield[city])

    def other_side_ground_at(self, col: int, row: int, faction: int) -> list[int]:
        """Ground units on a hex of any side but `faction`'s, at war or not: they bar entry."""
        side = self.side_of(faction)
        return [
            i
            for i in self.units_at(col, row)
            if not self.rules.ut_air[self.units.type[i]]
            and self.side_of(int(self.units.faction[i])) != side
        ]

    def faction_units(self, faction: int) -> np.ndarray:
        """Ids of a faction's living units."""
        return np.flatnonzero(self.units.alive & (self.units.faction == faction))

    def victory_points(self) -> np.ndarray:
        """int per faction: cities held plus points from events."""
        vp = self.vp_bonus.astype(np.int64).copy()
        for city in self.scenario.cities:
            holder = int(self.owner[city.row, city.col])
            if holder >= 0:
                vp[holder] += city.vp
        return vp

    def steps_by_faction(self) -> np.ndarray:
        """Steps of the living units of each faction."""
        u = self.units
        alive = u.alive
        return np.bincount(
            u.faction[alive], weights=u.steps[alive], minlength=len(self.scenario.factions)
        ).astype(np.int64)

    def date(self):
        """The calendar date of the current turn."""
        return self.scenario.date_of_turn(self.turn)

    # -- hashing ---------------------------------------------------------------------------------
    def state_hash(self) -> str:
        """sha256 over everything that matters for the rest of the game, the generator included."""
        h = hashlib.sha256()
        h.update(self.scenario.content_hash.encode())
        head = [self.seed, self.turn, self.active, self.finished, self.winner, self.level]
        h.update(json.dumps(head).encode())
        for name in _STATE_ARRAYS:
            h.update(np.ascontiguousarray(getattr(self, name)).tobytes())
        for name, column in self.units.columns().items():
            h.update(name.encode())
            h.update(np.ascontiguousarray(column).tobytes())
        h.update(json.dumps(self.units.labels).encode())
        arrivals = [
            (f, r.col, r.row, [list(astuple(u)) for u in r.units]) for f, r in self.arrivals
        ]
        h.update(json.dumps(arrivals).encode())
        h.update(json.dumps(self.history).encode())
        seen = [sorted(d.items()) for d in self.last_seen]
        h.update(json.dumps(seen).encode())
        h.update(json.dumps(self.rng.bit_generator.state, sort_keys=True).encode())
        return h.hexdigest()

    def view(self) -> StateView:
        """A read-only view of this state."""
        return StateView(self)

    # -- snapshots (for Undo) --------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """A copy of everything that changes during a game (all but the scenario and seed)."""
        u = self.units
        return Snapshot(
            columns={name: column.copy() for name, column in u.columns().items()},
            labels=list(u.labels),
            names=list(u.names),
            arrays={name: getattr(self, name).copy() for name in _STATE_ARRAYS},
            turn=self.turn,
            active=self.active,
            finished=self.finished,
            winner=self.winner,
            level=self.level,
            arrivals=list(self.arrivals),
            last_seen=[dict(memory) for memory in self.last_seen],
            history_length=len(self.history),
            rng_state=self.rng.bit_generator.state,
        )

    def restore(self, snap: Snapshot) -> None:
        """Put the state back as it was when `snap` was taken. Arrays, lists and dicts are
        written in place where they can be, so read-only views already handed out stay live."""
        u = self.units
        for name, saved in snap.columns.items():
            _put_back(u, name, saved)
        u.labels[:] = snap.labels
        u.names[:] = snap.names
        for name, saved in snap.arrays.items():
            _put_back(self, name, saved)
        self.turn, self.active, self.finished = snap.turn, snap.active, snap.finished
        self.winner, self.level = snap.winner, snap.level
        self.arrivals[:] = snap.arrivals
        for memory, saved_memory in zip(self.last_seen, snap.last_seen, strict=True):
            memory.clear()
            memory.update(saved_memory)
        del self.history[snap.history_length :]  # it only ever grows
        self.rng.bit_generator.state = snap.rng_state


#: The GameState arrays that change in play: hashed, and copied by a snapshot (the unit table's
#: columns come on top).
_STATE_ARRAYS = (
    "owner", "weather", "at_war", "vp_bonus", "fired", "convoy_cut", "shield", "posture",
)  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """A GameState's changing parts at one moment, copied: `GameState.restore` puts them back."""

    columns: dict[str, np.ndarray]  # the unit table, column by column
    labels: list[str]
    names: list[str]
    arrays: dict[str, np.ndarray]  # the map and per-faction, per-event, per-city arrays
    turn: int
    active: int
    finished: bool
    winner: str | None
    level: str
    arrivals: list[tuple[int, Any]]
    last_seen: list[dict[int, tuple[int, int, int, int]]]
    history_length: int  # the history only grows: its length is enough to cut it back
    rng_state: Mapping[str, Any]  # the game generator's bit_generator.state


def _put_back(owner: Any, name: str, saved: np.ndarray) -> None:
    """Copy a saved array back into attribute `name`: in place when the shape still fits."""
    current = getattr(owner, name)
    if current.shape == saved.shape:
        current[...] = saved
    else:
        setattr(owner, name, saved.copy())


def new_game(scenario: Scenario, seed: int) -> GameState:
    """The state at the start of turn 1, before the first faction's turn begins."""
    nf = len(scenario.factions)
    state = GameState(
        scenario=scenario,
        seed=int(seed),
        rng=np.random.Generator(np.random.PCG64(int(seed))),
        units=UnitTable(),
        owner=scenario.owner.copy(),
        weather=np.zeros(len(scenario.region_names), dtype=np.int16),
        at_war=np.array([f.at_war for f in scenario.factions], dtype=bool),
        vp_bonus=np.zeros(nf, dtype=np.int32),
        fired=np.zeros(len(scenario.events), dtype=bool),
        convoy_cut=np.zeros(len(scenario.convoys)),
        shield=np.array([c.shield for c in scenario.cities], dtype=np.int16),
        posture=np.array([f.posture for f in scenario.factions], dtype=np.int8),
        last_seen=[{} for _ in range(nf)],
    )
    state.units.add(list(scenario.units))
    return state


class StateView:
    """Read-only access to a GameState (or to its unit table) for the UI and computer players:
    arrays come back unwritable, lists as tuples, and the game's generator not at all."""

    def __init__(self, target: GameState | UnitTable) -> None:
        self._target = target

    def __len__(self) -> int:
        return len(self._target)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        if name == "rng":
            raise AttributeError("the game's generator is not visible to players")
        value = getattr(self._target, name)
        if isinstance(value, np.ndarray):
            return _frozen(value)
        if isinstance(value, UnitTable):
            return StateView(value)
        if isinstance(value, list):
            return tuple(MappingProxyType(v) if isinstance(v, dict) else v for v in value)
        if callable(value) and getattr(value, "__self__", None) is self._target:
            return _query(value)  # a query of the state, without handing out the state itself
        return value


def _query(method: Any) -> Any:
    def query(*args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    query.__doc__ = method.__doc__
    return query


def _frozen(arr: np.ndarray) -> np.ndarray:
    view = arr.view()
    view.flags.writeable = False
    return view
