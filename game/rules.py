"""Unit, terrain and weather types read from rules YAML and compiled into lookup arrays.

Types are frozen ("Info" in OpenRA's words): read once, never changed by play. The hot paths do
not look at these objects but at the arrays `Rules` builds from them, such as
`move_cost[move_class, terrain]` or `unit_soft_attack[unit_type]`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.schema import MISSING, Path, Reader, did_you_mean

LAYERS = ("ground", "air")
MAX_TYPES = 1000  # of terrain, unit and weather types each

#: Flags a unit type may carry, and what each switches on.
UNIT_FLAGS = {
    "amphibious": "may attack on the turn it lands from a fleet, and across rivers without the "
    "defender's river bonus",
    "exploit": "keeps its remaining movement after winning an attack",
    "charge": "gets the charge bonus when attacking a hex of open terrain",
    "no_capture": "cannot take cities or hexes",
    "no_zoc": "exerts no zone of control",
    "supply_carrier": "while in supply, supplies friendly units within supply.carrier_radius hexes",
    "withdraw": "steps back one hex before an attack made only by slower units (combat.withdraw_*)",
}

UNIT_CLASSES = (
    "infantry",
    "marines",
    "garrison",
    "cavalry",
    "armour",
    "antitank",
    "artillery",
    "aether_fleet",
    "submarine",
)

UNIT_FIELDS = {
    "name": "text",
    "class": "class",
    "move_class": "move_class",
    "moves": (0, 100),
    "soft_attack": (0, 1000),
    "hard_attack": (0, 1000),
    "defence": (0, 1000),
    "hardness": (0, 1),
    "flak": (0, 1000),
    "steps": (1, 100),
    "vision": (0, 20),
    "supply_use": (0, 100),
    "interdiction": (0, 100),
    "zoc_exit_cost": (0, 100),
    "carry": (0, 1000),
    "bombard_range": (0, 50),
    "flags": "flags",
    "inherits": "inherits",
}
UNIT_REQUIRED = (
    "name",
    "class",
    "move_class",
    "moves",
    "soft_attack",
    "hard_attack",
    "defence",
    "hardness",
    "steps",
    "vision",
)
UNIT_DEFAULTS: dict[str, Any] = {
    "flak": 0,
    "supply_use": 1,
    "interdiction": 0,
    "zoc_exit_cost": 2,
    "carry": 0,
    "bombard_range": 0,
    "flags": [],
}

TERRAIN_FIELDS = ("symbol", "name", "move", "defence", "supply_cost", "open")
WEATHER_FIELDS = ("name", "move_cost", "attack", "supply_cost")
COMBAT_FIELDS = {
    "max_loss": (0, 0.95),
    "retreat_from": (0, 1),
    "retreat_certain": (0, 1),
    "blocked_retreat_loss": (0, 100),
    "concentric_bonus": (0, 10),
    "river_defence": (0.1, 10),
    "entrenchment_bonus": (0, 10),
    "max_entrenchment": (0, 20),
    "experience_bonus": (0, 10),
    "max_experience": (0, 20),
    "charge_bonus": (0, 10),
    "withdraw_odds": (0, 100),
    "withdraw_loss": (0, 100),
    "supply": "triple",
}
COMBAT_DEFAULTS: dict[str, Any] = {
    "charge_bonus": 0.3,
    "withdraw_odds": 1.5,
    "withdraw_loss": 1,
    "supply": [0.5, 0.75, 1.0],
}
COMBAT_WHOLE = ("blocked_retreat_loss", "max_entrenchment", "max_experience", "withdraw_loss")
#: fleets: field -> (low, high); every field has a default (FLEET_DEFAULTS).
FLEET_FIELDS: dict[str, Any] = {
    "bombard_loss": (0, 0.95),
    "flak_loss": (0, 0.95),
    "carried_loss": (0, 100),
}
FLEET_DEFAULTS: dict[str, Any] = {"bombard_loss": 0.3, "flak_loss": 0.3, "carried_loss": 1}
#: supply: field -> (low, high) or "triple"; every field has a default.
SUPPLY_FIELDS: dict[str, Any] = {
    "range": (0, 1000),
    "reduced_range": (0, 1000),
    "road_cost": (0, 100),
    "river_crossing": (0, 100),
    "rail_capacity": (0, 1_000_000),
    "carrier_radius": (0, 20),
    "carrier_capacity": (0, 1_000_000),
    "carrier_reach": (0, 1000),
    "movement": "triple",
    "attrition_after": (0, 100),
    "attrition_loss": (0, 100),
    "recovery": (0, 100),
}
WHOLE = ("carrier_radius", "carrier_reach", "attrition_after", "attrition_loss", "recovery")
SUPPLY_DEFAULTS: dict[str, Any] = {
    "range": 8,
    "reduced_range": 12,
    "road_cost": 0.5,
    "river_crossing": 1,
    "rail_capacity": math.inf,
    "carrier_radius": 2,
    "carrier_capacity": math.inf,
    "carrier_reach": 0,
    "movement": (0.5, 1.0, 1.0),
    "attrition_after": 2,
    "attrition_loss": 1,
    "recovery": 1,
}
TOP_FIELDS = (
    "movement_classes",
    "terrain",
    "road_cost",
    "river_crossing",
    "weather",
    "stacking",
    "combat",
    "rail",
    "supply",
    "fleets",
    "unit_types",
)


@dataclass(frozen=True)
class TerrainType:
    """A terrain type: map symbol, movement costs per class, defence, supply cost."""

    key: str
    index: int
    symbol: str
    name: str
    move: dict[str, float]
    defence: float
    supply_cost: float
    open: bool


@dataclass(frozen=True)
class UnitType:
    """A unit type: class, movement, strength per step, steps, vision and flags."""

    key: str
    index: int
    name: str
    cls: str
    move_class: str
    moves: float
    soft_attack: float
    hard_attack: float
    defence: float
    hardness: float
    flak: float
    steps: int
    vision: int
    supply_use: float
    interdiction: float
    zoc_exit_cost: float
    carry: int
    bombard_range: int
    flags: frozenset[str]


@dataclass(frozen=True)
class WeatherType:
    """A kind of weather and what it multiplies."""

    key: str
    index: int
    name: str
    move_cost: float
    attack: float
    supply_cost: float


@dataclass(frozen=True)
class CombatRules:
    """The numbers of the combat formula (see game/combat.py)."""

    max_loss: float
    retreat_from: float
    retreat_certain: float
    blocked_retreat_loss: int
    concentric_bonus: float
    river_defence: float
    entrenchment_bonus: float
    max_entrenchment: int
    experience_bonus: float
    max_experience: int
    charge_bonus: float
    withdraw_odds: float  # a withdrawing unit steps back from attacks at least this strong
    withdraw_loss: int  # steps it gives up to do so
    supply: tuple[float, float, float]


@dataclass(frozen=True)
class FleetRules:
    """The numbers of bombardment, flak and carrying."""

    bombard_loss: float  # most of the defenders' steps one bombardment can destroy (a share)
    flak_loss: float  # most of the bombarding fleets' steps flak can bring down (a share)
    carried_loss: int  # steps the units aboard lose for each step their fleet loses
    carry_classes: tuple[str, ...]  # movement classes fleets can carry


@dataclass(frozen=True)
class SupplyRules:
    """How far supply runs, what it costs to haul, and what having or lacking it does."""

    range: float  # supply-cost points from a source or railway that still give full supply
    reduced_range: float  # up to this many points: reduced supply; beyond: none
    road_cost: float  # supply cost of a step along a road or railway link
    river_crossing: float  # extra cost of hauling into a river hex from a dry one
    rail_capacity: float  # supply points one source can send down the railway per turn
    carrier_radius: int  # hexes around a supply carrier that it supplies
    carrier_capacity: float  # supply points one carrier hands out per turn
    carrier_reach: int  # hexes from a source within which a carrier flies its loads in (0: off)
    movement: tuple[float, float, float]  # movement multiplier: none, reduced, full
    attrition_after: int  # turns without supply a unit stands before it loses steps
    attrition_loss: int  # steps lost each turn after that
    recovery: int  # steps regained each turn in full supply, away from the enemy


@dataclass
class Rules:
    """Every type of the game, and the lookup arrays compiled from them."""

    move_classes: list[str]
    layer_of_class: dict[str, str]
    terrain: list[TerrainType]
    unit_types: list[UnitType]
    weather: list[WeatherType]
    road_cost: dict[str, float]
    river_crossing: dict[str, float]
    stack_ground: int
    stack_air: int
    combat: CombatRules
    supply: SupplyRules
    fleets: FleetRules
    rail_range: int
    rail_classes: tuple[str, ...]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.terrain_index = {t.key: t.index for t in self.terrain}
        self.unit_index = {u.key: u.index for u in self.unit_types}
        self.weather_index = {w.key: w.index for w in self.weather}
        self.class_index = {c: i for i, c in enumerate(self.move_classes)}
        self._compile()

    def _compile(self) -> None:
        inf = math.inf
        nc, nt = len(self.move_classes), len(self.terrain)
        move_cost = np.full((nc, nt), inf)
        for t in self.terrain:
            for cls, cost in t.move.items():
                move_cost[self.class_index[cls], t.index] = cost
        self.move_cost = move_cost
        self.road_cost_arr = np.array([self.road_cost.get(c, inf) for c in self.move_classes])
        self.river_cost_arr = np.array([self.river_crossing.get(c, 0.0) for c in self.move_classes])
        self.terrain_defence = np.array([t.defence for t in self.terrain])
        self.terrain_open = np.array([t.open for t in self.terrain])
        self.terrain_supply_cost = np.array([t.supply_cost for t in self.terrain], dtype=float)
        self.weather_move = np.array([w.move_cost for w in self.weather])
        self.weather_attack = np.array([w.attack for w in self.weather])
        self.weather_supply = np.array([w.supply_cost for w in self.weather])
        ut = self.unit_types

        def col(name: str, dtype: Any = float) -> np.ndarray:
            return np.array([getattr(u, name) for u in ut], dtype=dtype)

        self.ut_moves = col("moves")
        self.ut_soft = col("soft_attack")
        self.ut_hard = col("hard_attack")
        self.ut_defence = col("defence")
        self.ut_hardness = col("hardness")
        self.ut_flak = col("flak")
        self.ut_steps = col("steps", np.int16)
        self.ut_vision = col("vision", np.int16)
        self.ut_zoc_exit = col("zoc_exit_cost")
        self.ut_move_class = np.array([self.class_index[u.move_class] for u in ut], np.int16)
        self.ut_air = np.array([self.layer_of_class[u.move_class] == "air" for u in ut])
        self.ut_exerts_zoc = np.array(
            [not self.ut_air[u.index] and "no_zoc" not in u.flags for u in ut]
        )
        self.ut_captures = np.array(
            [not self.ut_air[u.index] and "no_capture" not in u.flags for u in ut]
        )
        self.ut_exploit = np.array(["exploit" in u.flags for u in ut])
        self.ut_charge = np.array(["charge" in u.flags for u in ut])
        self.ut_supply_use = col("supply_use")
        self.ut_interdiction = col("interdiction")
        self.ut_carrier = np.array(["supply_carrier" in u.flags for u in ut], dtype=bool)
        self.ut_carry = col("carry", np.int32)
        self.ut_bombard_range = col("bombard_range", np.int32)
        self.ut_withdraw = np.array(["withdraw" in u.flags for u in ut], dtype=bool)
        self.ut_amphibious = np.array(["amphibious" in u.flags for u in ut], dtype=bool)
        carry_classes = self.fleets.carry_classes
        carried = [not self.ut_air[u.index] and u.move_class in carry_classes for u in ut]
        self.ut_carriable = np.array(carried, dtype=bool)
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def can_enter(self, unit_type: int, terrain: int) -> bool:
        """Whether units of this type may stand on this terrain."""
        return bool(np.isfinite(self.move_cost[self.ut_move_class[unit_type], terrain]))


# -- reading --------------------------------------------------------------------------------


def is_rules_file(data: Any) -> bool:
    """A rules file holds rules sections and no map; a scenario names its rules file."""
    return (
        isinstance(data, dict)
        and "map" not in data
        and "rules" not in data
        and any(key in TOP_FIELDS for key in data)
    )


def _triple(reader: Reader, path: Path, value: Any) -> tuple[float, float, float] | None:
    """Three multipliers, for no, reduced and full supply."""
    items = reader.sequence(path, value)
    nums = [reader.number((*path, i), v, 0, 10) for i, v in enumerate(items)]
    if len(nums) != 3:
        if isinstance(value, list):  # else sequence() has said so
            reader.error(path, "expected three numbers: none, reduced, full")
        return None
    if None in nums:
        return None
    a, b, c = (float(n) for n in nums if n is not None)
    return a, b, c


def _class_costs(
    reader: Reader, path: Path, raw: Any, classes: dict[str, str], low: float, high: float
) -> dict[str, float]:
    """A mapping of movement classes to costs within [low, high]."""
    if not isinstance(raw, dict):
        reader.error(path, "expected a mapping of movement classes to costs")
        return {}
    out = {}
    for cls, cost in raw.items():
        if reader.choice((*path, cls), cls, classes, "movement class", key=True) is None:
            continue
        got = reader.number((*path, cls), cost, low, high)
        if got is not None:
            out[cls] = float(got)
    return out


class RulesBuilder:
    """Gathers rules from the core file and then from a scenario's overrides, then compiles."""

    def __init__(self) -> None:
        self.top: dict[str, Any] = {}
        self.terrain: dict[str, tuple[Reader, Path, dict[str, Any]]] = {}
        self.units: dict[str, tuple[Reader, Path, dict[str, Any]]] = {}
        self.weather: dict[str, tuple[Reader, Path, dict[str, Any]]] = {}
        self.top_where: dict[str, tuple[Reader, Path]] = {}
        self.loops: set[frozenset[str]] = set()
        self.bad_sections: set[str] = set()  # terrain, unit_types, weather that were not mappings

    def add(self, reader: Reader, data: Any, prefix: Path = ()) -> None:
        """Merge one rules mapping (a rules file, or the rules part of a scenario)."""
        data = reader.mapping(prefix, data, TOP_FIELDS) if not prefix else data
        if data is None:
            return
        for key in (
            "movement_classes",
            "road_cost",
            "river_crossing",
            "stacking",
            "combat",
            "rail",
            "supply",
            "fleets",
        ):
            if key in data:
                old, new = self.top.get(key), data[key]
                merged = key in ("supply", "fleets", "combat")
                if merged and isinstance(old, dict) and isinstance(new, dict):
                    new = {**old, **new}  # a scenario changes only the numbers it gives
                self.top[key] = new
                self.top_where[key] = (reader, (*prefix, key))
        for section, store in (
            ("terrain", self.terrain),
            ("unit_types", self.units),
            ("weather", self.weather),
        ):
            entries = data.get(section, {})
            if not isinstance(entries, dict):
                reader.error((*prefix, section), "expected a mapping of names to definitions")
                self.bad_sections.add(section)
                continue
            for name, body in entries.items():
                path = (*prefix, section, name)
                if not isinstance(body, dict):
                    reader.error(path, "expected a mapping of fields")
                    continue
                if name in store:  # a scenario changes only the fields it gives
                    old_reader, old_path, old = store[name]
                    body = {**old, **body}
                store[name] = (reader, path, body)

    def build(self) -> Rules | None:
        """Check everything gathered and compile it; None when there were errors."""
        any_reader = next(iter(self.top_where.values()), (None, ()))[0]
        if any_reader is None:
            any_reader = next(iter(self.units.values()))[0] if self.units else None
        if any_reader is None:
            return None
        before = len(any_reader.problems)
        classes = self._classes()
        if len(any_reader.problems) > before:  # without them every move cost would be an error
            return None
        weather = [self._weather(i, k, *v) for i, (k, v) in enumerate(self.weather.items())]
        if not self.weather:
            weather = [WeatherType("clear", 0, "Clear", 1.0, 1.0, 1.0)]
        terrain = [
            self._terrain(i, k, classes, *v) for i, (k, v) in enumerate(self.terrain.items())
        ]
        units = [self._unit(i, k, classes, *v) for i, (k, v) in enumerate(self.units.items())]
        combat = self._combat()
        supply = self._supply()
        fleets = self._fleets(classes)
        costs = {
            "road_cost": self._costs("road_cost", classes, 0.1),  # a free road: endless reach
            "river_crossing": self._costs("river_crossing", classes, 0.0),
        }
        stacking = self._section("stacking", {"ground": (1, 20), "air": (0, 20)}, {})
        rail = self._rail(classes)
        self._check_symbols(terrain)
        for section, count in (
            ("terrain", len(terrain)),
            ("unit_types", len(units)),
            ("weather", len(weather)),
        ):
            if count > MAX_TYPES:
                any_reader.error((section,), f"{count} types, over the limit of {MAX_TYPES}")
        if not self.terrain and "terrain" not in self.bad_sections:
            any_reader.error((), "no terrain types are defined")
        if not self.units and "unit_types" not in self.bad_sections:
            any_reader.error((), "no unit types are defined")
        problems = any_reader.problems
        if any(p.severity == "error" for p in problems[before:]) or None in (
            *terrain,
            *units,
            *weather,
            combat,
            supply,
            fleets,
            stacking,
            rail,
        ):
            return None
        assert combat is not None and stacking is not None and rail is not None
        assert supply is not None and fleets is not None
        return Rules(
            move_classes=list(classes),
            layer_of_class=classes,
            terrain=[t for t in terrain if t is not None],
            unit_types=[u for u in units if u is not None],
            weather=[w for w in weather if w is not None],
            road_cost=costs["road_cost"],
            river_crossing=costs["river_crossing"],
            stack_ground=int(stacking.get("ground", 3)),
            stack_air=int(stacking.get("air", 2)),
            combat=combat,
            supply=supply,
            fleets=fleets,
            rail_range=int(rail["range"]),
            rail_classes=tuple(rail["classes"]),
        )

    # -- sections ----------------------------------------------------------------------------
    def _ground_classes(
        self, reader: Reader, path: Path, raw: Any, classes: dict[str, str]
    ) -> list[str]:
        """A list of ground movement classes (rail.classes, fleets.carry_classes)."""
        ground = [c for c, layer in classes.items() if layer == "ground"]
        items = reader.sequence(path, raw)
        names = [
            reader.choice((*path, i), c, ground, "ground movement class")
            for i, c in enumerate(items)
        ]
        return [n for n in names if n]

    def _fleets(self, classes: dict[str, str]) -> FleetRules | None:
        """fleets: every field optional; carry_classes defaults to every ground class."""
        ground = tuple(c for c, layer in classes.items() if layer == "ground")
        values: dict[str, Any] = {**FLEET_DEFAULTS, "carry_classes": ground}
        if "fleets" not in self.top:
            return FleetRules(**values)
        reader, path = self._where("fleets")
        raw = reader.mapping(path, self.top["fleets"], (*FLEET_FIELDS, "carry_classes"))
        if raw is None:
            return None
        failed = False
        for name, (low, high) in FLEET_FIELDS.items():
            if name in raw:
                integer = name == "carried_loss"
                got = reader.number((*path, name), raw[name], low, high, integer=integer)
                failed |= got is None
                values[name] = int(got) if integer and got is not None else got
        if "carry_classes" in raw:
            where = (*path, "carry_classes")
            values["carry_classes"] = tuple(
                self._ground_classes(reader, where, raw["carry_classes"], classes)
            )
        return None if failed else FleetRules(**values)

    def _rail(self, classes: dict[str, str]) -> dict[str, Any] | None:
        """rail: {range: hexes per turn, classes: movement classes that may ride}."""
        ground = [c for c, layer in classes.items() if layer == "ground"]
        out: dict[str, Any] = {"range": 40, "classes": ground}
        if "rail" not in self.top:
            return out
        reader, path = self._where("rail")
        raw = reader.mapping(path, self.top["rail"], ("range", "classes"))
        if raw is None:
            return None
        if "range" in raw:
            out["range"] = reader.integer((*path, "range"), raw["range"], 0, 1000)
        if "classes" in raw:
            out["classes"] = self._ground_classes(
                reader, (*path, "classes"), raw["classes"], classes
            )
        return None if out["range"] is None else out

    def _check_symbols(self, terrain: list[TerrainType | None]) -> None:
        """Two terrain types may not share a map symbol."""
        first: dict[str, str] = {}
        for t in terrain:
            if t is None:
                continue
            if t.symbol in first:
                reader, path, _ = self.terrain[t.key]
                reader.error(
                    (*path, "symbol"),
                    f"symbol '{t.symbol}' is already used by terrain '{first[t.symbol]}'",
                )
            first.setdefault(t.symbol, t.key)

    def _where(self, key: str) -> tuple[Reader, Path]:
        """The reader and key path of a top-level section, or of the first file read."""
        if key in self.top_where:
            return self.top_where[key]
        readers = [r for r, _ in self.top_where.values()]
        readers += [r for r, _, _ in (*self.terrain.values(), *self.units.values())]
        return readers[0], ()

    def _classes(self) -> dict[str, str]:
        if "movement_classes" not in self.top:
            return {"foot": "ground"}
        reader, path = self._where("movement_classes")
        raw = self.top["movement_classes"]
        if not isinstance(raw, dict) or not raw:
            reader.error(path, "expected a mapping of movement class names to {layer: ...}")
            return {"foot": "ground"}
        classes: dict[str, str] = {}
        for name, body in raw.items():
            body = reader.mapping((*path, name), body, ("layer",), ("layer",))
            layer = None
            if body is not None:
                layer = reader.choice((*path, name, "layer"), body.get("layer"), LAYERS, "layer")
            classes[name] = layer or "ground"
        return classes

    def _costs(self, key: str, classes: dict[str, str], low: float) -> dict[str, float]:
        if key not in self.top:
            return {}
        reader, path = self._where(key)
        return _class_costs(reader, path, self.top[key], classes, low, 1000)

    def _section(
        self, key: str, fields: dict[str, tuple[float, float]], defaults: dict[str, Any]
    ) -> dict[str, Any] | None:
        if key not in self.top:
            return dict(defaults)
        reader, path = self._where(key)
        raw = reader.mapping(path, self.top[key], fields)
        if raw is None:
            return None
        out = dict(defaults)
        for name, (low, high) in fields.items():
            if name in raw:
                got = reader.number((*path, name), raw[name], low, high)
                if got is None:
                    return None
                out[name] = got
        return out

    def _combat(self) -> CombatRules | None:
        if "combat" not in self.top:
            reader, _ = self._where("terrain")
            reader.error((), "the rules have no 'combat' section")
            return None
        reader, path = self._where("combat")
        raw = reader.mapping(path, self.top["combat"], COMBAT_FIELDS)
        if raw is None:
            return None
        values = dict(COMBAT_DEFAULTS)
        for name, spec in COMBAT_FIELDS.items():
            value = raw.get(name, values.get(name, MISSING))
            if value is MISSING:
                reader.error(path, f"missing required field '{name}'")
                return None
            if spec == "triple":
                triple = _triple(reader, (*path, name), value)
                if triple is None:
                    return None
                values[name] = triple
                continue
            assert isinstance(spec, tuple)
            got = reader.number((*path, name), value, *spec)
            if got is None:
                return None
            values[name] = got
        if values["retreat_certain"] <= values["retreat_from"]:
            reader.error((*path, "retreat_certain"), "must be above retreat_from")
            return None
        for whole in COMBAT_WHOLE:
            values[whole] = int(values[whole])
        return CombatRules(**values)

    def _supply(self) -> SupplyRules | None:
        """supply: every field optional (SUPPLY_DEFAULTS); `null` capacities mean no limit."""
        values = dict(SUPPLY_DEFAULTS)
        if "supply" not in self.top:
            return SupplyRules(**values)
        reader, path = self._where("supply")
        raw = reader.mapping(path, self.top["supply"], SUPPLY_FIELDS)
        if raw is None:
            return None
        failed = False
        for name, spec in SUPPLY_FIELDS.items():
            if name not in raw:
                continue
            value = raw[name]
            if spec == "triple":
                got: Any = _triple(reader, (*path, name), value)
            elif value is None and name.endswith("capacity"):
                got = math.inf
            else:
                low, high = spec
                got = reader.number((*path, name), value, low, high, integer=name in WHOLE)
            failed |= got is None
            values[name] = got
        if failed:
            return None
        if "reduced_range" not in raw and "range" in raw:
            values["reduced_range"] = values["range"] * 1.5
        if values["reduced_range"] < values["range"]:
            reader.error((*path, "reduced_range"), "must be at least as long as range")
            return None
        for whole in WHOLE:
            values[whole] = int(values[whole])
        return SupplyRules(**values)

    def _weather(self, index: int, key: str, reader: Reader, path: Path, body: dict[str, Any]):
        raw = reader.mapping(path, body, WEATHER_FIELDS, ("name",))
        if raw is None:
            return None
        name = reader.text((*path, "name"), raw.get("name", key))
        nums = {f: reader.number((*path, f), raw.get(f, 1.0), 0.1, 100) for f in WEATHER_FIELDS[1:]}
        if name is None or None in nums.values():
            return None
        return WeatherType(key, index, name, **{k: float(v or 0) for k, v in nums.items()})

    def _terrain(
        self,
        index: int,
        key: str,
        classes: dict[str, str],
        reader: Reader,
        path: Path,
        body: dict[str, Any],
    ) -> TerrainType | None:
        raw = reader.mapping(path, body, TERRAIN_FIELDS, ("symbol", "name", "move", "defence"))
        if raw is None:
            return None
        symbol = reader.text((*path, "symbol"), raw.get("symbol", "?"))
        if symbol is not None and len(symbol) != 1:
            reader.error((*path, "symbol"), f"a terrain symbol is one character, not '{symbol}'")
            symbol = None
        move = _class_costs(reader, (*path, "move"), raw.get("move", {}), classes, 0.1, 100)
        name = reader.text((*path, "name"), raw.get("name", key))
        defence = reader.number((*path, "defence"), raw.get("defence", 1.0), 0.1, 10)
        supply = reader.number((*path, "supply_cost"), raw.get("supply_cost", 1), 0, 1000)
        is_open = reader.boolean((*path, "open"), raw.get("open", False))
        if None in (symbol, name, defence, supply, is_open):
            return None
        assert symbol and name and defence is not None and supply is not None
        return TerrainType(
            key, index, symbol, name, move, float(defence), float(supply), bool(is_open)
        )

    def _unit(
        self,
        index: int,
        key: str,
        classes: dict[str, str],
        reader: Reader,
        path: Path,
        body: dict[str, Any],
    ) -> UnitType | None:
        inherited = self._inherit(reader, path, body, [key])
        if inherited is None:  # a bad 'inherits' would make every field look missing
            return None
        body = inherited
        raw = reader.mapping(path, body, UNIT_FIELDS, UNIT_REQUIRED)
        if raw is None or any(f not in raw for f in UNIT_REQUIRED):
            return None
        raw = {**UNIT_DEFAULTS, **raw}
        values: dict[str, Any] = {}
        for name, spec in UNIT_FIELDS.items():
            where = (*path, name)
            value = raw.get(name)
            if spec == "text":
                values[name] = reader.text(where, value)
            elif spec == "class":
                values["cls"] = reader.choice(where, value, UNIT_CLASSES, "unit class")
            elif spec == "move_class":
                values[name] = reader.choice(where, value, classes, "movement class")
            elif spec == "flags":
                flags = reader.sequence(where, value)
                ok = [
                    reader.choice((*where, i), f, UNIT_FLAGS, "flag") for i, f in enumerate(flags)
                ]
                values[name] = frozenset(f for f in ok if f)
            elif isinstance(spec, tuple):
                integer = name in ("steps", "vision", "carry", "bombard_range")
                low, high = spec
                got = reader.number(where, value, low, high, integer=integer)
                values[name] = got if got is None else (int(got) if integer else float(got))
        values.pop("inherits", None)
        if any(v is None for v in values.values()):
            return None
        return UnitType(key=key, index=index, **values)

    def _inherit(
        self, reader: Reader, path: Path, body: dict[str, Any], chain: list[str]
    ) -> dict[str, Any] | None:
        """The fields of a unit type merged over those of the types it inherits from; None
        (after reporting it once) when the chain is broken."""
        parent = body.get("inherits")
        if parent is None:
            return body
        if parent in chain:
            loop = chain[chain.index(parent) :]
            if frozenset(loop) not in self.loops:  # report each loop once
                self.loops.add(frozenset(loop))
                text = " -> ".join([*loop, str(parent)])
                reader.error((*path, "inherits"), f"inheritance loop: {text}")
            return None
        if parent not in self.units:
            hint = did_you_mean(str(parent), self.units)
            reader.error((*path, "inherits"), f"unknown unit type '{parent}'{hint}")
            return None
        base = self._inherit(reader, path, self.units[parent][2], [*chain, str(parent)])
        if base is None:
            return None
        merged = {**base, **body}
        merged.pop("inherits", None)
        return merged
