"""Scenario YAML -> Scenario: the map layers, factions, units, events, weather and victory rules.

`load(path)` returns a Scenario or raises `ScenarioError` holding every problem found, each with
file, line, column and key path. The fields are documented in docs/modding.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path as FsPath
from typing import Any

import numpy as np

from game import hexgrid
from game.rules import Rules, RulesBuilder, is_rules_file
from game.schema import Path, Reader, describe, did_you_mean
from game.yamlio import Document, Problem, YamlError, load_file

MAX_SIDE = 1000
MAX_UNITS = 100_000
MAX_FACTIONS = 100
MAX_REGIONS = 100

TOP_FIELDS = (
    "name",
    "description",
    "rules",
    "start",
    "turn_days",
    "turns",
    "hex_km",
    "map",
    "rivers",
    "roads",
    "rail",
    "cities",
    "factions",
    "units",
    "reinforcements",
    "events",
    "weather",
    "victory",
    "peace",
    "supply_sources",
    "convoys",
    "supply",
    "fleets",
    "combat",
    "terrain",
    "unit_types",
)
REQUIRED = ("name", "rules", "start", "turns", "map", "factions", "units")
UNIT_FIELDS = (
    "id",
    "type",
    "faction",
    "at",
    "aboard",
    "steps",
    "entrenchment",
    "experience",
    "name",
)
TRIGGERS = ("turn", "date", "captured", "destroyed", "entered", "city_lost")
EFFECTS = (
    "message",
    "reinforcements",
    "enter_war",
    "victory_points",
    "interdict_convoys",
    "shields",
    "entrench",
    "posture",
)
#: What a faction's computer player is set to: attack, defend, or hold what it has (an
#: offensive suspended). The scenario sets each faction's; events may change it.
POSTURES = ("offensive", "defensive", "suspended")
#: The most supply points anything may deliver in a turn (capacities above this are refused).
MAX_CAPACITY = 1_000_000


class ScenarioError(Exception):
    """A scenario that cannot be played; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class City:
    """A city: its hex, victory points, first owner and what it supplies."""

    index: int
    name: str
    col: int
    row: int
    vp: int
    owner: int  # faction index, -1 for nobody
    supply: float  # supply points it delivers to its holder each turn: 0 none, inf no limit
    port: bool  # convoys may feed it
    shield: int


@dataclass(frozen=True)
class SupplySource:
    """A supply source of one faction that is not a city, such as an off-map entry hex."""

    index: int
    name: str
    faction: int
    col: int
    row: int
    capacity: float  # supply points a turn, inf for no limit


@dataclass(frozen=True)
class Convoy:
    """A sea route feeding a port: `capacity` supply points a turn, less what submarines on or
    next to its route hexes (or, for an off-map route, events) cut."""

    index: int
    name: str
    faction: int
    port: int  # city index
    capacity: float
    route: tuple[tuple[int, int], ...]  # (col, row) hexes; empty for an off-map route


@dataclass(frozen=True)
class Faction:
    """A faction: its id, name, side (alliance), whether it starts at war, and the posture
    its computer player starts in (an index into POSTURES)."""

    index: int
    id: str
    name: str
    side: str
    color: str
    at_war: bool
    posture: int = 0


@dataclass(frozen=True)
class UnitSpec:
    """A unit as the scenario places it (or as reinforcements bring it)."""

    label: str
    type: int
    faction: int
    col: int
    row: int
    steps: int
    entrenchment: int
    experience: int
    name: str
    aboard: str = ""  # id of the fleet carrying it (it stands where the fleet is)


@dataclass(frozen=True)
class Reinforcement:
    """A group of units arriving together on or near one hex."""

    faction: int
    col: int
    row: int
    units: tuple[UnitSpec, ...]


@dataclass(frozen=True)
class Trigger:
    """What sets an event off; which fields matter depends on `kind`."""

    kind: str  # one of TRIGGERS
    turn: int = 0  # turn and date triggers (a date is turned into its turn)
    city: int = -1  # captured, city_lost
    faction: int = -1  # captured (by), entered, city_lost
    unit_label: str = ""  # destroyed
    col: int = 0  # entered
    row: int = 0
    radius: int = 0


@dataclass(frozen=True)
class Event:
    """A scripted event: its trigger, its message and its effects."""

    id: str
    trigger: Trigger
    title: str
    text: str
    reinforcements: tuple[Reinforcement, ...] = ()
    enter_war: tuple[int, ...] = ()
    victory_points: tuple[tuple[int, int], ...] = ()  # (faction, amount)
    interdict_convoys: tuple[tuple[int, float], ...] = ()  # (convoy, supply points cut)
    shields: tuple[tuple[int, int], ...] = ()  # (city, new shield)
    entrench: tuple[int, ...] = ()  # factions whose units dig in to the highest level
    posture: tuple[tuple[int, int], ...] = ()  # (faction, index into POSTURES)


@dataclass(frozen=True)
class WeatherSpell:
    """From `turn` on, the weather of `region` is drawn from `table` (weather index, chance)."""

    turn: int
    region: int
    table: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class VictoryLevel:
    """A level a side reaches when its points lead the others' by `margin`."""

    side: str
    level: str
    margin: int


@dataclass(frozen=True)
class SuddenDeath:
    """The side wins at once when it holds all these cities."""

    side: str
    cities: tuple[int, ...]


@dataclass
class Scenario:
    """A checked scenario: map layers as arrays, and everything else as data."""

    path: str
    name: str
    description: str
    rules: Rules
    start: dt.date
    turn_days: int
    turns: int
    hex_km: float
    terrain: np.ndarray  # int16 [row, col]
    river: np.ndarray  # bool
    road: np.ndarray  # uint8 bit mask of connected directions
    rail: np.ndarray  # uint8 bit mask of connected directions
    owner: np.ndarray  # int8 faction index, -1 nobody
    region: np.ndarray  # int8 weather region
    region_names: list[str]
    cities: list[City]
    factions: list[Faction]
    units: list[UnitSpec]
    reinforcements: list[tuple[int, Reinforcement]]  # (turn, what)
    events: list[Event]
    weather: list[WeatherSpell]
    sudden_death: list[SuddenDeath]
    levels: list[VictoryLevel]
    content_hash: str
    supply_sources: list[SupplySource] = field(default_factory=list)
    convoys: list[Convoy] = field(default_factory=list)
    city_at: dict[tuple[int, int], int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    peace: frozenset[frozenset[str]] = frozenset()  # pairs of sides that never fight
    #: the texts it was read from, for saves: "scenario", "rules" and "rules_file" (the rules'
    #: path as the scenario names it)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def width(self) -> int:
        """Hexes per row."""
        return int(self.terrain.shape[1])

    @property
    def height(self) -> int:
        """Rows of hexes."""
        return int(self.terrain.shape[0])

    @property
    def sides(self) -> list[str]:
        """The sides (alliances), sorted."""
        return sorted({f.side for f in self.factions})

    def faction_index(self, faction_id: str) -> int:
        """Index of the faction with this id; KeyError when there is none."""
        for f in self.factions:
            if f.id == faction_id:
                return f.index
        raise KeyError(faction_id)

    @functools.cached_property
    def special_steps(self) -> np.ndarray:
        """(N * 6,) bool per step (flat hex, direction): a road or railway joins the two hexes, or
        the step crosses into a river hex. Other steps cost only what entering the hex costs."""
        nbr = hexgrid.neighbour_table(self.width, self.height)
        links = (self.road | self.rail).ravel()
        river = self.river.ravel()
        linked = ((links[:, None] >> np.arange(6)) & 1).astype(bool)
        wet = np.append(river, False)[nbr] & ~river[:, None]
        out = (linked | wet).ravel()
        out.flags.writeable = False
        return out

    @property
    def has_supply(self) -> bool:
        """Whether the scenario declares any supply source; without one, supply rules are off
        and every unit is always in full supply."""
        return bool(self.supply_sources or self.convoys or any(c.supply > 0 for c in self.cities))

    def date_of_turn(self, turn: int) -> dt.date:
        """Calendar date at the start of a turn (turn 1 is the start date)."""
        return self.start + dt.timedelta(days=self.turn_days * (turn - 1))


def load(path: str | FsPath) -> Scenario:
    """Read and check a scenario file; raises ScenarioError listing every problem."""
    try:
        doc = load_file(path)
    except YamlError as exc:
        raise ScenarioError(exc.problems) from None
    reader = Reader(doc)
    if is_rules_file(doc.data):
        reader.error((), "this is a rules file, not a scenario: a scenario names it with 'rules:'")
        raise ScenarioError(reader.problems)
    scenario = _Parser(reader).parse()
    if scenario is None or reader.failed:
        raise ScenarioError(_sorted(reader.problems))
    scenario.warnings = [p for p in reader.problems if p.severity == "warning"]
    for layer in (
        scenario.terrain,
        scenario.river,
        scenario.road,
        scenario.rail,
        scenario.owner,
        scenario.region,
    ):
        layer.flags.writeable = False  # types and maps never change during play
    return scenario


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.col))


class _Parser:
    """One pass over a scenario document; every method records problems and carries on."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.doc: Document = reader.doc
        self.rules_file = ""
        self.rules_text = ""

    def parse(self) -> Scenario | None:
        """The whole scenario, or None when it has errors (all of them recorded)."""
        r = self.r
        top = r.mapping((), self.doc.data, TOP_FIELDS, REQUIRED)
        if top is None or any(k not in top for k in ("rules", "map", "factions")):
            return None
        rules = self._rules(top)
        name = r.text(("name",), top.get("name", "?"))
        description = top.get("description", "")
        if not isinstance(description, str):
            r.error(("description",), f"expected text, found {describe(description)}")
        # A missing required field is reported once, by r.mapping above.
        start = r.date(("start",), top["start"]) if "start" in top else None
        turn_days = r.integer(("turn_days",), top.get("turn_days", 7), 1, 366)
        turns = r.integer(("turns",), top["turns"], 1, 10_000) if "turns" in top else None
        hex_km = r.number(("hex_km",), top.get("hex_km", 40), 0.1, 10_000)
        if rules is None:
            return None
        self.rules = rules
        self.start = start or dt.date(1900, 1, 1)
        self.turn_days = turn_days or 7
        self.turns = turns or 10_000  # a bad 'turns' must not make every later turn look late
        terrain = self._map(top["map"])
        if terrain is None:
            return None
        self.h, self.w = terrain.shape
        self.terrain = terrain
        self.factions = self._factions(top["factions"])
        if not self.factions:
            return None  # every unit, city and event would be reported as naming no faction
        self.fac_ids = {f.id: f.index for f in self.factions}
        # Names declared in the file whose entries had errors: these errors are reported, so a
        # reference to such a name is not reported again as naming nothing.
        self.unloaded = {
            "faction": _unloaded(top["factions"], "id", self.fac_ids),
            "side": _unloaded(top["factions"], "side", {f.side for f in self.factions}),
        }
        self.unloaded["side"] |= self.unloaded["faction"] - {f.side for f in self.factions}
        self.cities = self._cities(top.get("cities", []))
        self.city_ids = {c.name: c.index for c in self.cities}
        self.unloaded["city"] = _unloaded(top.get("cities", []), "name", self.city_ids)
        river = self._lines("rivers", top.get("rivers", []), edges=False)
        road = self._lines("roads", top.get("roads", []), edges=True)
        rail = self._lines("rail", top.get("rail", []), edges=True)
        self.labels: dict[str, Path] = {}
        self.occupied: dict[tuple[int, int], list[tuple[Path, UnitSpec]]] = {}
        placed: list[tuple[Path, UnitSpec]] = [
            (("units", i), u)
            for i, raw in enumerate(r.sequence(("units",), top.get("units", [])))
            if (u := self._unit(("units", i), raw)) is not None
        ]
        self.unloaded["unit"] = _unloaded(top.get("units", []), "id", self.labels)
        units = self._board(placed)
        if len(units) > MAX_UNITS:
            r.error(("units",), f"{len(units)} units, over the limit of {MAX_UNITS}")
        self._check_stacks()
        reinforcements = self._reinforcements(top.get("reinforcements", []))
        region, region_names, weather = self._weather(top.get("weather"))
        sources = self._supply_sources(top.get("supply_sources", []))
        self.convoys = self._convoys(top.get("convoys", []))
        self.convoy_ids = {c.name: c.index for c in self.convoys}
        self.unloaded["convoy"] = _unloaded(top.get("convoys", []), "name", self.convoy_ids)
        self.event_labels = _event_unit_ids(top.get("events"))
        events = [
            e
            for i, raw in enumerate(r.sequence(("events",), top.get("events", [])))
            if (e := self._event(("events", i), raw)) is not None
        ]
        sudden, levels = self._victory(top.get("victory", {}))
        peace = self._peace(top.get("peace", []))
        if r.failed or start is None or name is None:
            return None
        texts = self.texts()
        text = texts["scenario"] + texts["rules"]
        scenario = Scenario(
            path=self.doc.file,
            name=name,
            description=description if isinstance(description, str) else "",
            rules=rules,
            start=start,
            turn_days=self.turn_days,
            turns=self.turns,
            hex_km=float(hex_km or 40),
            terrain=terrain,
            river=river.astype(bool),
            road=road,
            rail=rail,
            owner=self._owners(),
            region=region,
            region_names=region_names,
            cities=self.cities,
            factions=self.factions,
            units=units,
            reinforcements=reinforcements,
            events=events,
            weather=weather,
            sudden_death=sudden,
            levels=levels,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            texts=texts,
            supply_sources=sources,
            convoys=self.convoys,
            peace=peace,
        )
        scenario.city_at = {(c.col, c.row): c.index for c in self.cities}
        return scenario

    def texts(self) -> dict[str, str]:
        """The scenario's and its rules' text, and the rules' path as the scenario names it."""
        try:
            text = FsPath(self.doc.file).read_text(encoding="utf-8")
        except OSError:
            text = ""
        return {"scenario": text, "rules_file": self.rules_file, "rules": self.rules_text}

    # -- rules ----------------------------------------------------------------------------------
    def _rules(self, top: dict[str, Any]) -> Rules | None:
        r = self.r
        rel = r.text(("rules",), top.get("rules"))
        if rel is None:
            return None
        rules_path = FsPath(self.doc.file).parent / rel
        try:
            rules_doc = load_file(rules_path)
        except YamlError as exc:
            if rules_path.is_file():
                r.problems.extend(exc.problems)
                return None
            looked = os.path.normpath(rules_path)
            near = ""
            if rules_path.parent.is_dir():
                near = did_you_mean(
                    rules_path.name, (p.name for p in rules_path.parent.glob("*.y*ml"))
                )
            r.error(("rules",), f"cannot find the rules file '{rel}' (looked for {looked}){near}")
            return None
        if not is_rules_file(rules_doc.data):
            r.error(
                ("rules",),
                f"'{rel}' is not a rules file (it should hold terrain, unit_types "
                "and combat, and no map)",
            )
            return None
        self.rules_text = rules_path.read_text(encoding="utf-8")
        self.rules_file = rel
        builder = RulesBuilder()
        builder.add(Reader(rules_doc, r.problems), rules_doc.data)
        overrides = {
            k: top[k] for k in ("terrain", "unit_types", "supply", "fleets", "combat") if k in top
        }
        if overrides:
            builder.add(r, overrides)  # paths as in the scenario: unit_types.x.moves
        return builder.build()

    # -- map --------------------------------------------------------------------------------------
    def _map(self, raw: Any) -> np.ndarray | None:
        r = self.r
        before = len(r.problems)
        body = r.mapping(("map",), raw, ("legend", "rows"), ("rows",))
        if body is None or "rows" not in body:
            return None
        legend = {t.symbol: t.index for t in self.rules.terrain}
        extra = body.get("legend", {})
        if not isinstance(extra, dict):
            r.error(("map", "legend"), "expected a mapping of symbols to terrain names")
            extra = {}
        for symbol, name in extra.items():
            where = ("map", "legend", symbol)
            if not isinstance(symbol, str) or len(symbol) != 1:
                r.error(
                    where,
                    f"a legend symbol is one character of text, not {describe(symbol)} "
                    "(write it in quotes)",
                    key=True,
                )
                continue
            if r.choice(where, name, self.rules.terrain_index, "terrain") is not None:
                legend[symbol] = self.rules.terrain_index[name]
        rows = r.sequence(("map", "rows"), body["rows"], allow_empty=False)
        if not rows:
            return None
        if len(rows) > MAX_SIDE:
            r.error(("map", "rows"), f"{len(rows)} rows, over the limit of {MAX_SIDE}")
            return None
        width = len(rows[0]) if isinstance(rows[0], str) else 0
        if not 1 <= width <= MAX_SIDE:
            r.error(("map", "rows", 0), f"a row must hold 1 to {MAX_SIDE} hex symbols")
            return None
        grid = np.zeros((len(rows), width), dtype=np.int16)
        for i, row in enumerate(rows):
            if not isinstance(row, str):
                r.error(("map", "rows", i), f"expected a row of symbols, found {describe(row)}")
                continue
            if len(row) != width:
                r.error(("map", "rows", i), f"row has {len(row)} hexes, the first row has {width}")
                continue
            for j, ch in enumerate(row):
                if ch not in legend:
                    known = "".join(sorted(legend))
                    r.error(
                        ("map", "rows", i),
                        f"unknown map symbol '{ch}' at hex [{j}, {i}] (the legend has: {known})",
                    )
                    break
                grid[i, j] = legend[ch]
        # Only this map's own errors count: earlier ones must not hide the checks that follow.
        failed = any(p.severity == "error" for p in r.problems[before:])
        return None if failed else grid

    def _hex(self, path: Path, value: Any) -> tuple[int, int] | None:
        """A hex given as [col, row] or as the name of a city."""
        if isinstance(value, str):
            city = self._city(path, value)
            return None if city is None else (self.cities[city].col, self.cities[city].row)
        return self.r.hex(path, value, self.w, self.h)

    def _known_bad(self, kind: str, value: Any) -> bool:
        """Whether `value` names a faction, side, city or unit whose own entry had errors."""
        return isinstance(value, str) and value in self.unloaded.get(kind, ())

    def _city(self, path: Path, value: Any) -> int | None:
        if self._known_bad("city", value):
            return None
        got = self.r.choice(path, value, self.city_ids, "city")
        return None if got is None else self.city_ids[got]

    def _lines(self, key: str, raw: Any, edges: bool) -> np.ndarray:
        """Rivers (hexes) or roads and rail (direction bits between consecutive hexes)."""
        layer = np.zeros((self.h, self.w), dtype=np.uint8)
        for i, line in enumerate(self.r.sequence((key,), raw)):
            path: Path = (key, i)
            if isinstance(line, dict):
                body = self.r.mapping(path, line, ("name", "path"), ("path",))
                line = body.get("path") if body else None
                path = (*path, "path")
            points = self.r.sequence(path, line)
            if len(points) < 2:
                if isinstance(line, list):
                    self.r.error(path, "a line needs at least two waypoints")
                continue
            trail = self._route(path, points)
            if not trail:
                continue
            if not edges:
                for col, row in trail:
                    layer[row, col] = 1
                continue
            for (c0, r0), (c1, r1) in zip(trail, trail[1:], strict=False):
                d = _direction(c0, r0, c1, r1)
                layer[r0, c0] |= 1 << d
                layer[r1, c1] |= 1 << hexgrid.OPPOSITE[d]
        return layer

    # -- factions and cities -------------------------------------------------------------------
    def _factions(self, raw: Any) -> list[Faction]:
        out: list[Faction] = []
        before = len(self.r.problems)
        fields = ("id", "name", "side", "color", "at_war", "posture")
        for i, body in enumerate(self.r.sequence(("factions",), raw, allow_empty=False)):
            path = ("factions", i)
            body = self.r.mapping(path, body, fields, ("id", "name", "side"))
            if body is None:
                continue
            fid = self.r.text((*path, "id"), body.get("id", "?"))
            if fid in {f.id for f in out}:
                self.r.error((*path, "id"), f"duplicate faction id '{fid}'")
                continue
            name = self.r.text((*path, "name"), body.get("name", fid))
            side = self.r.text((*path, "side"), body.get("side", fid))
            color = self.r.text((*path, "color"), body.get("color", "#808080"))
            at_war = self.r.boolean((*path, "at_war"), body.get("at_war", True))
            posture = self.r.choice(
                (*path, "posture"), body.get("posture", POSTURES[0]), POSTURES, "posture"
            )
            if None in (fid, name, side, color, at_war, posture):
                continue
            assert fid and name and side and color is not None and posture
            stance = POSTURES.index(posture)
            out.append(Faction(len(out), fid, name, side, color, bool(at_war), stance))
        if len(out) > MAX_FACTIONS:
            self.r.error(("factions",), f"{len(out)} factions, over the limit of {MAX_FACTIONS}")
            return []
        if len({f.side for f in out}) < 2 and out and len(self.r.problems) == before:
            self.r.error(("factions",), "a scenario needs factions on at least two sides")
        elif len({f.side for f in out if f.at_war}) < 2 and len(self.r.problems) == before:
            self.r.error(
                ("factions",),
                "at the start, factions of at least two sides must be at "
                "war (at_war: true); the others can enter the war through events",
            )
        return out

    def _faction(self, path: Path, value: Any, key: bool = False) -> int | None:
        if self._known_bad("faction", value):
            return None
        got = self.r.choice(path, value, self.fac_ids, "faction", key=key)
        return None if got is None else self.fac_ids[got]

    def _cities(self, raw: Any) -> list[City]:
        out: list[City] = []
        self.city_ids = {}
        fields = ("name", "at", "vp", "owner", "supply", "port", "shield")
        for i, body in enumerate(self.r.sequence(("cities",), raw)):
            path = ("cities", i)
            body = self.r.mapping(path, body, fields, ("name", "at"))
            if body is None or "name" not in body or "at" not in body:
                continue
            name = self.r.text((*path, "name"), body["name"])
            at = self.r.hex((*path, "at"), body["at"], self.w, self.h)
            vp = self.r.integer((*path, "vp"), body.get("vp", 0), -1000, 1000)
            owner = -1
            if body.get("owner") is not None:
                owner = self._faction((*path, "owner"), body["owner"]) or 0
            supply = self._capacity((*path, "supply"), body.get("supply", False))
            port = self.r.boolean((*path, "port"), body.get("port", False))
            shield = self.r.integer((*path, "shield"), body.get("shield", 0), 0, 100)
            if name in self.city_ids:
                self.r.error((*path, "name"), f"duplicate city name '{name}'")
                continue
            if at is not None and any((c.col, c.row) == at for c in out):
                self.r.error((*path, "at"), f"two cities on hex [{at[0]}, {at[1]}]")
                continue
            if None in (name, at, vp, supply, port, shield):
                continue
            assert name and at and vp is not None and shield is not None
            assert supply is not None
            city = City(len(out), name, at[0], at[1], vp, owner, supply, bool(port), shield)
            self.city_ids[name] = city.index
            out.append(city)
        return out

    def _capacity(self, path: Path, value: Any) -> float | None:
        """A city's `supply`: false (none), true (no limit) or supply points a turn."""
        if isinstance(value, bool):
            return math.inf if value else 0.0
        if value is None:
            return math.inf
        if not isinstance(value, int | float):
            self.r.error(
                path, f"expected true, false or supply points a turn, found {describe(value)}"
            )
            return None
        got = self.r.number(path, value, 0, MAX_CAPACITY)
        return None if got is None else float(got)

    # -- supply ---------------------------------------------------------------------------------
    def _supply_sources(self, raw: Any) -> list[SupplySource]:
        out: list[SupplySource] = []
        fields = ("name", "faction", "at", "capacity")
        for i, body in enumerate(self.r.sequence(("supply_sources",), raw)):
            path = ("supply_sources", i)
            body = self.r.mapping(path, body, fields, ("faction", "at"))
            if body is None or "faction" not in body or "at" not in body:
                continue
            name = self.r.text((*path, "name"), body.get("name", f"supply source {i + 1}"))
            faction = self._faction((*path, "faction"), body["faction"])
            at = self._hex((*path, "at"), body["at"])
            capacity = self._capacity((*path, "capacity"), body.get("capacity"))
            if name is None or faction is None or at is None or capacity is None:
                continue
            out.append(SupplySource(len(out), name, faction, at[0], at[1], capacity))
        return out

    def _convoys(self, raw: Any) -> list[Convoy]:
        out: list[Convoy] = []
        fields = ("name", "faction", "port", "capacity", "route", "off_map")
        for i, body in enumerate(self.r.sequence(("convoys",), raw)):
            path = ("convoys", i)
            body = self.r.mapping(path, body, fields, ("name", "faction", "port", "capacity"))
            if body is None or any(k not in body for k in ("name", "faction", "port", "capacity")):
                continue
            name = self.r.text((*path, "name"), body["name"])
            faction = self._faction((*path, "faction"), body["faction"])
            port = self._city((*path, "port"), body["port"])
            capacity = self.r.number((*path, "capacity"), body["capacity"], 0, MAX_CAPACITY)
            off_map = self.r.boolean((*path, "off_map"), body.get("off_map", False))
            if name in {c.name for c in out}:
                self.r.error((*path, "name"), f"duplicate convoy name '{name}'")
                continue
            if port is not None and not self.cities[port].port:
                self.r.error(
                    (*path, "port"),
                    f"{self.cities[port].name} is not a port: give the city 'port: true'",
                )
                port = None
            route: list[tuple[int, int]] = []
            if ("route" in body) == bool(off_map):
                self.r.error(path, "give a convoy either a 'route' of sea hexes or 'off_map: true'")
                continue
            if "route" in body:
                route = self._route((*path, "route"), body["route"])
                if not route:
                    continue
            if None in (name, faction, port, capacity):
                continue
            assert name is not None and faction is not None and port is not None
            out.append(Convoy(len(out), name, faction, port, float(capacity or 0), tuple(route)))
        return out

    def _route(self, path: Path, raw: Any) -> list[tuple[int, int]]:
        """The hexes of a line through waypoints (city names or [col, row])."""
        points = self.r.sequence(path, raw, allow_empty=False)
        hexes = [self._hex((*path, j), p) for j, p in enumerate(points)]
        if not points or None in hexes:
            return []
        trail: list[tuple[int, int]] = [hexes[0]]  # type: ignore[list-item]
        for a, b in zip(hexes, hexes[1:], strict=False):
            assert a is not None and b is not None
            trail.extend(hexgrid.line(a[0], a[1], b[0], b[1])[1:])
        return trail

    def _owners(self) -> np.ndarray:
        """Each hex starts owned by the faction holding the nearest city; a city with no owner
        keeps its own hex unowned."""
        owner = np.full((self.h, self.w), -1, dtype=np.int8)
        held = [c for c in self.cities if c.owner >= 0]
        if held:
            dist = np.stack([hexgrid.distance_field(self.w, self.h, c.col, c.row) for c in held])
            owner = np.array([c.owner for c in held], dtype=np.int8)[np.argmin(dist, axis=0)]
        for c in self.cities:
            owner[c.row, c.col] = c.owner
        return owner

    # -- units ----------------------------------------------------------------------------------
    def _unit(self, path: Path, raw: Any, faction: int | None = None, at=None) -> UnitSpec | None:
        r = self.r
        aboard = isinstance(raw, dict) and "aboard" in raw
        required = ("type",) + (() if faction is not None else ("faction",))
        if faction is None and not aboard:
            required += ("at",)
        fields = (
            UNIT_FIELDS
            if faction is None
            else tuple(f for f in UNIT_FIELDS if f not in ("faction", "at"))
        )
        if faction is not None and isinstance(raw, dict) and ({"faction", "at"} & set(raw)):
            r.error(path, "units of a reinforcement group take the group's faction and 'at'")
            raw = {k: v for k, v in raw.items() if k not in ("faction", "at")}
        body = r.mapping(path, raw, fields, required)
        if body is None or any(k not in body for k in required):
            return None
        utype = r.choice((*path, "type"), body["type"], self.rules.unit_index, "unit type")
        if faction is None:
            faction = self._faction((*path, "faction"), body["faction"])
        fleet = ""
        if aboard:
            fleet = r.text((*path, "aboard"), body["aboard"]) or ""
            if not fleet:
                return None
            if "at" in body:
                r.error((*path, "at"), "a unit aboard a fleet stands where the fleet is: drop 'at'")
                return None
            at = (-1, -1)  # set from the fleet by _board
        if at is None:
            at = self._hex((*path, "at"), body["at"])
        label = body.get("id", "")
        if label != "" and r.text((*path, "id"), label) is None:
            return None
        if label and label in self.labels:
            first = self.labels[label]
            line = self.doc.locate(first)[0]
            r.error((*path, "id"), f"duplicate unit id '{label}' (first used on line {line})")
            return None
        if utype is None or faction is None or at is None:
            return None
        ut = self.rules.unit_types[self.rules.unit_index[utype]]
        steps = r.integer((*path, "steps"), body.get("steps", ut.steps), 1, ut.steps)
        dig = r.integer(
            (*path, "entrenchment"),
            body.get("entrenchment", 0),
            0,
            self.rules.combat.max_entrenchment,
        )
        exp = r.integer(
            (*path, "experience"), body.get("experience", 0), 0, self.rules.combat.max_experience
        )
        name = r.text((*path, "name"), body.get("name", ut.name))
        if None in (steps, dig, exp, name):
            return None
        if label:
            self.labels[label] = path
        spec = UnitSpec(
            label,
            ut.index,
            faction,
            at[0],
            at[1],
            steps or 1,
            dig or 0,
            exp or 0,
            name or ut.name,
            fleet,
        )
        if fleet:
            return spec  # not on the ground: it neither needs terrain nor counts for stacking
        terrain = self.rules.terrain[int(self.terrain[at[1], at[0]])]
        if not self.rules.can_enter(ut.index, terrain.index):
            r.error(
                (*path, "at"),
                f"{ut.name} ({utype}) cannot stand on {terrain.name.lower()} at [{at[0]}, {at[1]}]",
            )
            if label:
                del self.labels[label]
            return None
        self.occupied.setdefault(at, []).append((path, spec))
        return spec

    def _board(self, entries: list[tuple[Path, UnitSpec]]) -> list[UnitSpec]:
        """Put every unit with `aboard` on its fleet (among the same units): the fleet must be
        able to carry it and have room. Returns the specs, those aboard at their fleet's hex."""
        rules = self.rules
        fleets = {spec.label: spec for _, spec in entries if spec.label}
        carriers = {spec.aboard for _, spec in entries if spec.aboard}
        load: dict[str, int] = {}
        out = []
        for path, spec in entries:
            if not spec.aboard:
                out.append(spec)
                continue
            where = (*path, "aboard")
            fleet = fleets.get(spec.aboard)
            if fleet is None:
                if spec.aboard in self.labels:
                    self.r.error(
                        where,
                        f"'{spec.aboard}' is not among these units: a unit rides aboard a "
                        "fleet of the start units, or of its own reinforcement group",
                    )
                elif not self._known_bad("unit", spec.aboard):
                    self.r.choice(where, spec.aboard, fleets, "fleet id")
                continue
            room = int(rules.ut_carry[fleet.type])
            kind = rules.unit_types[spec.type].name
            if room <= 0:
                self.r.error(where, f"{fleet.name} cannot carry units")
            elif fleet.faction != spec.faction:
                self.r.error(where, f"{fleet.name} belongs to another faction")
            elif rules.ut_air[spec.type]:
                self.r.error(where, f"{spec.name} is a fleet: fleets do not carry fleets")
            elif fleet.aboard or spec.label in carriers:
                self.r.error(where, "a carrier cannot be carried, nor carry a unit that carries")
            elif not rules.ut_carriable[spec.type]:
                self.r.error(where, f"fleets cannot carry {kind} units (fleets.carry_classes)")
            elif load.get(fleet.label, 0) + spec.steps > room:
                self.r.error(
                    where,
                    f"{spec.name} ({spec.steps} steps) does not fit aboard {fleet.name}: "
                    f"{load.get(fleet.label, 0)} of its {room} steps are taken",
                )
            else:
                load[fleet.label] = load.get(fleet.label, 0) + spec.steps
                out.append(replace(spec, col=fleet.col, row=fleet.row))
        return out

    def _check_stacks(self) -> None:
        rules = self.rules
        for (col, row), stack in self.occupied.items():
            for air in (False, True):
                layer = [(p, u) for p, u in stack if bool(rules.ut_air[u.type]) == air]
                limit = rules.stack_air if air else rules.stack_ground
                if len(layer) > limit:
                    what = "fleets" if air else "ground units"
                    self.r.error(
                        (*layer[limit][0], "at"),
                        f"{len(layer)} {what} on hex [{col}, {row}], the limit is {limit}",
                    )
                sides = {self.factions[u.faction].side for _, u in layer}
                if len(sides) > 1:
                    self.r.error(
                        (*layer[-1][0], "at"), f"units of opposing sides share hex [{col}, {row}]"
                    )

    def _reinforcement(self, path: Path, body: dict[str, Any]) -> Reinforcement | None:
        faction = self._faction((*path, "faction"), body.get("faction"))
        at = self._hex((*path, "at"), body.get("at"))
        if faction is None or at is None:
            return None
        units = self.r.sequence((*path, "units"), body.get("units"), allow_empty=False)
        specs = [self._unit((*path, "units", i), u, faction, at) for i, u in enumerate(units)]
        # Reinforcements find room when they arrive; they do not count for the start stacks.
        self.occupied[at] = [(p, u) for p, u in self.occupied.get(at, []) if u not in specs]
        if None in specs:
            return None
        group: list[tuple[Path, UnitSpec]] = [
            ((*path, "units", i), s) for i, s in enumerate(specs) if s is not None
        ]
        boarded = self._board(group)
        if len(boarded) < len(group):
            return None
        return Reinforcement(faction, at[0], at[1], tuple(boarded))

    def _reinforcements(self, raw: Any) -> list[tuple[int, Reinforcement]]:
        out = []
        for i, body in enumerate(self.r.sequence(("reinforcements",), raw)):
            path = ("reinforcements", i)
            body = self.r.mapping(
                path, body, ("turn", "date", "faction", "at", "units"), ("faction", "at", "units")
            )
            if body is None:
                continue
            turn = self._when(path, body)
            got = self._reinforcement(path, body)
            if turn is not None and got is not None:
                out.append((turn, got))
        return out

    def _when(self, path: Path, body: dict[str, Any]) -> int | None:
        """The turn named by a `turn:` or a `date:` field."""
        if ("turn" in body) == ("date" in body):
            self.r.error(path, "give either 'turn' or 'date'")
            return None
        if "turn" in body:
            return self.r.integer((*path, "turn"), body["turn"], 1, self.turns)
        when = self.r.date((*path, "date"), body["date"])
        if when is None:
            return None
        turn = (when - self.start).days // self.turn_days + 1
        if not 1 <= turn <= self.turns:
            self.r.error(
                (*path, "date"),
                f"{when} is outside the scenario's {self.turns} turns from {self.start}",
            )
            return None
        return turn

    # -- events ---------------------------------------------------------------------------------
    def _event(self, path: Path, raw: Any) -> Event | None:
        r = self.r
        body = r.mapping(path, raw, ("id", "when", "title", "message", *EFFECTS[1:]), ("when",))
        if body is None or "when" not in body:
            return None
        trigger = self._trigger((*path, "when"), body["when"])
        title = r.text((*path, "title"), body.get("title", str(body.get("id", "Event"))))
        text = r.text((*path, "message"), body.get("message", ""), allow_empty=True)
        reinf: list[Reinforcement] = []
        for i, item in enumerate(
            r.sequence((*path, "reinforcements"), body.get("reinforcements", []))
        ):
            where = (*path, "reinforcements", i)
            item = r.mapping(where, item, ("faction", "at", "units"), ("faction", "at", "units"))
            got = self._reinforcement(where, item) if item else None
            if got:
                reinf.append(got)
        enter = self._faction_list(path, body, "enter_war")
        dig = self._faction_list(path, body, "entrench")
        vps = []
        vp_raw = body.get("victory_points", {})
        if not isinstance(vp_raw, dict):
            r.error((*path, "victory_points"), "expected a mapping of faction ids to points")
            vp_raw = {}
        for fid, amount in vp_raw.items():
            f = self._faction((*path, "victory_points", fid), fid, key=True)
            n = r.integer((*path, "victory_points", fid), amount, -1000, 1000)
            if f is not None and n is not None:
                vps.append((f, n))
        cuts = self._named_amounts(path, body, "interdict_convoys", "convoy", self.convoy_ids)
        shields = self._named_amounts(path, body, "shields", "city", self.city_ids, shield=True)
        postures = self._postures(path, body)
        if trigger is None or title is None or text is None or None in enter or None in dig:
            return None
        event_id = str(body.get("id", f"event {path[-1]}"))
        return Event(
            event_id,
            trigger,
            title,
            text,
            tuple(reinf),
            tuple(e for e in enter if e is not None),
            tuple(vps),
            tuple((c, float(n)) for c, n in cuts),
            tuple((c, int(n)) for c, n in shields),
            tuple(f for f in dig if f is not None),
            tuple(postures),
        )

    def _postures(self, path: Path, body: dict[str, Any]) -> list[tuple[int, int]]:
        """An event's mapping of faction ids to the posture they go over to."""
        raw = body.get("posture", {})
        if not isinstance(raw, dict):
            self.r.error((*path, "posture"), "expected a mapping of faction ids to postures")
            return []
        out = []
        for fid, value in raw.items():
            where = (*path, "posture", fid)
            f = self._faction(where, fid, key=True)
            posture = self.r.choice(where, value, POSTURES, "posture")
            if f is not None and posture is not None:
                out.append((f, POSTURES.index(posture)))
        return out

    def _faction_list(self, path: Path, body: dict[str, Any], key: str) -> list[int | None]:
        """An event's faction id, or list of them, under `key` (None for each bad one)."""
        raw = body.get(key, [])
        if isinstance(raw, str):  # one faction, written without a list
            return [self._faction((*path, key), raw)]
        return [
            self._faction((*path, key, i), f)
            for i, f in enumerate(self.r.sequence((*path, key), raw))
        ]

    def _named_amounts(
        self,
        path: Path,
        body: dict[str, Any],
        key: str,
        kind: str,
        ids: dict[str, int],
        shield: bool = False,
    ) -> list[tuple[int, float]]:
        """An event's mapping of convoy or city names to amounts: supply points cut (any
        number), or a shield (a whole number of percent)."""
        r = self.r
        raw = body.get(key, {})
        if not isinstance(raw, dict):
            what = "shields" if shield else "points"
            r.error((*path, key), f"expected a mapping of {kind} names to {what}")
            return []
        out = []
        for name, amount in raw.items():
            where = (*path, key, name)
            if self._known_bad(kind, name):
                continue
            got = r.choice(where, name, ids, kind, key=True)
            if shield:
                n = r.integer(where, amount, 0, 100)
            else:
                n = r.number(where, amount, -MAX_CAPACITY, MAX_CAPACITY)
            if got is not None and n is not None:
                out.append((ids[got], float(n)))
        return out

    def _trigger(self, path: Path, raw: Any) -> Trigger | None:
        r = self.r
        body = r.mapping(
            path,
            raw,
            (
                "turn",
                "date",
                "captured",
                "by",
                "destroyed",
                "entered",
                "faction",
                "radius",
                "city_lost",
            ),
        )
        if body is None:
            return None
        kinds = [k for k in TRIGGERS if k in body]
        if len(kinds) != 1:
            r.error(path, "name exactly one trigger: " + ", ".join(TRIGGERS))
            return None
        kind = kinds[0]
        if kind in ("turn", "date"):
            turn = self._when(path, {kind: body[kind]})
            return None if turn is None else Trigger(kind, turn=turn)
        if kind == "destroyed":
            label = r.text((*path, kind), body[kind])
            if self._known_bad("unit", label):
                return None
            known = set(self.labels) | self.event_labels  # units that events bring count too
            if label is not None and label not in known:
                r.choice((*path, kind), label, known, "unit id")  # with the closest ids
                return None
            return None if label is None else Trigger(kind, unit_label=label)
        if kind == "entered":
            at = self._hex((*path, kind), body[kind])
            if "faction" not in body:
                r.error(path, "'entered' needs 'faction': the faction whose units set it off")
                return None
            faction = self._faction((*path, "faction"), body["faction"])
            radius = r.integer((*path, "radius"), body.get("radius", 0), 0, 100)
            if at is None or faction is None or radius is None:
                return None
            return Trigger(kind, faction=faction, col=at[0], row=at[1], radius=radius)
        city = self._city((*path, kind), body[kind])
        faction = -1
        key = "by" if kind == "captured" else "faction"
        if key in body:
            got = self._faction((*path, key), body[key])  # 0 is the first faction, not "anyone"
            faction = -1 if got is None else got
        elif kind == "city_lost":
            r.error(path, "city_lost needs 'faction': the faction losing the city")
        if city is None:
            return None
        return Trigger(kind, city=city, faction=faction)

    # -- weather and victory -----------------------------------------------------------------------
    def _weather(self, raw: Any) -> tuple[np.ndarray, list[str], list[WeatherSpell]]:
        r = self.r
        region = np.zeros((self.h, self.w), dtype=np.int8)
        names = ["all"]
        clear = [WeatherSpell(1, 0, ((0, 1.0),))]
        if raw is None:
            return region, names, clear
        body = r.mapping(("weather",), raw, ("regions", "schedule"), ("schedule",))
        if body is None:
            return region, names, clear
        regions = body.get("regions", {})
        if not isinstance(regions, dict):
            r.error(("weather", "regions"), "expected a mapping of region names to areas")
            regions = {}
        for name, area in regions.items():
            path = ("weather", "regions", name)
            if name == "all":
                r.error(
                    path,
                    "'all' already names the whole map; give the region another name",
                    key=True,
                )
                continue
            area = r.mapping(path, area, ("cols", "rows"), ("cols", "rows"))
            if area is None or "cols" not in area or "rows" not in area:
                continue
            c = self._span((*path, "cols"), area["cols"], self.w, "columns")
            rw = self._span((*path, "rows"), area["rows"], self.h, "rows")
            if len(names) > MAX_REGIONS:
                r.error(path, f"at most {MAX_REGIONS} weather regions")
            elif c and rw:
                names.append(name)
                region[rw[0] : rw[1] + 1, c[0] : c[1] + 1] = len(names) - 1
        spells = []
        for i, item in enumerate(r.sequence(("weather", "schedule"), body.get("schedule"))):
            path = ("weather", "schedule", i)
            item = r.mapping(path, item, ("turn", "date", "region", "weather"), ("weather",))
            if item is None:
                continue
            turn = self._when(path, item)
            where = r.choice((*path, "region"), item.get("region", "all"), names, "weather region")
            table = self._weather_table((*path, "weather"), item.get("weather"))
            if turn is not None and where is not None and table is not None:
                spells.append(WeatherSpell(turn, names.index(where), table))
        spells.sort(key=lambda s: s.turn)
        return region, names, spells or clear

    def _span(self, path: Path, value: Any, size: int, what: str) -> tuple[int, int] | None:
        """An inclusive range [first, last] of columns or rows on the map."""
        ok = isinstance(value, list) and len(value) == 2
        if not ok or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            self.r.error(
                path, f"expected a range of {what} written [first, last], found {describe(value)}"
            )
            return None
        first, last = value
        if not 0 <= first <= last < size:
            self.r.error(
                path,
                f"[{first}, {last}] is not a range of {what} within 0-{size - 1} (first <= last)",
            )
            return None
        return first, last

    def _weather_table(self, path: Path, raw: Any) -> tuple[tuple[int, float], ...] | None:
        """`weather: mud` or `weather: {clear: 0.6, mud: 0.4}` (chances that sum to 1)."""
        index = self.rules.weather_index
        if isinstance(raw, str):
            got = self.r.choice(path, raw, index, "weather")
            return None if got is None else ((index[got], 1.0),)
        if not isinstance(raw, dict) or not raw:
            self.r.error(path, "expected a weather name or a mapping of weather names to chances")
            return None
        table = []
        for name, chance in raw.items():
            got = self.r.choice((*path, name), name, index, "weather", key=True)
            p = self.r.number((*path, name), chance, 0, 1)
            if got is None or p is None:
                return None
            table.append((index[got], float(p)))
        if abs(sum(p for _, p in table) - 1.0) > 1e-6:
            total = sum(p for _, p in table)
            self.r.error(path, f"the chances add up to {total:g}, not 1")
            return None
        return tuple(table)

    def _victory(self, raw: Any) -> tuple[list[SuddenDeath], list[VictoryLevel]]:
        r = self.r
        body = r.mapping(("victory",), raw, ("sudden_death", "levels"))
        if body is None:
            return [], []
        sides = {f.side for f in self.factions}
        sudden = []
        for i, item in enumerate(
            r.sequence(("victory", "sudden_death"), body.get("sudden_death", []))
        ):
            path = ("victory", "sudden_death", i)
            item = r.mapping(path, item, ("side", "holds"), ("side", "holds"))
            if item is None:
                continue
            side = self._side((*path, "side"), item.get("side"), sides)
            holds = r.sequence((*path, "holds"), item.get("holds"), allow_empty=False)
            cities = [self._city((*path, "holds", j), c) for j, c in enumerate(holds)]
            if side and cities and None not in cities:
                sudden.append(SuddenDeath(side, tuple(c for c in cities if c is not None)))
        levels = []
        for i, item in enumerate(r.sequence(("victory", "levels"), body.get("levels", []))):
            path = ("victory", "levels", i)
            item = r.mapping(path, item, ("side", "level", "margin"), ("side", "level", "margin"))
            if item is None:
                continue
            side = self._side((*path, "side"), item.get("side"), sides)
            level = r.text((*path, "level"), item.get("level"))
            margin = r.integer((*path, "margin"), item.get("margin"), -100_000, 100_000)
            if side and level and margin is not None:
                levels.append(VictoryLevel(side, level, margin))
        return sudden, levels

    def _peace(self, raw: Any) -> frozenset[frozenset[str]]:
        """Pairs of sides that fight a common enemy but never each other."""
        sides = {f.side for f in self.factions}
        pairs = set()
        for i, pair in enumerate(self.r.sequence(("peace",), raw)):
            path: Path = ("peace", i)
            if not isinstance(pair, list) or len(pair) != 2:
                self.r.error(path, "expected a pair of sides, such as [soviet, british]")
                continue
            names = [self._side((*path, k), name, sides) for k, name in enumerate(pair)]
            if None in names:
                continue
            if names[0] == names[1]:
                self.r.error(path, f"a side is always at peace with itself ('{names[0]}')")
                continue
            pairs.add(frozenset(n for n in names if n is not None))
        return frozenset(pairs)

    def _side(self, path: Path, value: Any, sides: set[str]) -> str | None:
        return None if self._known_bad("side", value) else self.r.choice(path, value, sides, "side")


def _unloaded(raw: Any, key: str, loaded: Any) -> set[str]:
    """The `key` names of the mappings in the list `raw` that are not among `loaded`."""
    items = raw if isinstance(raw, list) else []
    names = {b[key] for b in items if isinstance(b, dict) and isinstance(b.get(key), str)}
    return {n for n in names if n not in loaded}


def _event_unit_ids(raw_events: Any) -> set[str]:
    """Ids of the units any event brings on, so a trigger may name one before its event."""
    ids: set[str] = set()
    for event in raw_events if isinstance(raw_events, list) else []:
        groups = event.get("reinforcements") if isinstance(event, dict) else None
        for group in groups if isinstance(groups, list) else []:
            units = group.get("units") if isinstance(group, dict) else None
            for unit in units if isinstance(units, list) else []:
                if isinstance(unit, dict) and isinstance(unit.get("id"), str):
                    ids.add(unit["id"])
    return ids


def _direction(c0: int, r0: int, c1: int, r1: int) -> int:
    for d, (c, r) in enumerate(hexgrid.neighbours(c0, r0)):
        if (c, r) == (c1, r1):
            return d
    raise ValueError("hexes are not adjacent")
