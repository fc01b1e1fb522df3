"""Supply rules, each on a tiny world: sources, railways, blocking, convoys, carriers, capacities,
attrition and recovery, and the explanations a player reads."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from game import supply
from game.commands import EndTurn, Move, RailMove
from game.state import FULL_SUPPLY, NO_SUPPLY, REDUCED_SUPPLY
from game.supply_explain import explain
from tests.conftest import CORE_RULES

PLAIN = ["........"] * 3


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def red_city(at=(0, 1), **kw):
    return {"name": "Depot", "at": list(at), "owner": "red", "supply": True, **kw}


def level_of(g, uid):
    return int(supply.unit_levels(g.state, int(g.state.units.faction[uid]))[uid])


# -- blocking ---------------------------------------------------------------------------------


def test_an_enemy_zone_of_control_cuts_supply(make_game):
    red = [unit("infantry", "red", (7, 1))]
    blue = [unit("infantry", "blue", (4, 0)), unit("infantry", "blue", (4, 2))]
    g = make_game(PLAIN, red, cities=[red_city()])
    assert level_of(g, 0) == FULL_SUPPLY
    g = make_game(PLAIN, red + blue, cities=[red_city()])
    assert level_of(g, 0) == NO_SUPPLY
    told = explain(g.state, 0)
    assert told.level == NO_SUPPLY
    assert any("zone of control of Rifle division" in r for r in told.reasons), told.reasons


def test_a_friendly_unit_keeps_a_zone_of_control_open(make_game):
    red = [unit("infantry", "red", (7, 1)), unit("garrison", "red", (3, 1))]
    red += [unit("garrison", "red", (4, 1))]
    blue = [unit("infantry", "blue", (4, 0)), unit("infantry", "blue", (4, 2))]
    g = make_game(PLAIN, red + blue, cities=[red_city()])
    assert level_of(g, 0) == FULL_SUPPLY
    assert explain(g.state, 0).path[-1] == (0, 1)


def test_supply_levels_follow_the_overland_cost(make_game):
    rows = ["." * 16]
    units = [unit("infantry", "red", (c, 0)) for c in (8, 9, 12, 13)]
    units.append(unit("infantry", "blue", (15, 0)))
    g = make_game(rows, units, cities=[red_city((0, 0))])
    assert [level_of(g, i) for i in range(4)] == [2, 1, 1, 0]
    told = explain(g.state, 3)
    assert told.reasons == [
        "out of range: even unopposed, supply from Depot runs out at (9, 0) (full supply "
        "reaches 8 supply points, reduced 12; this hex is 13 away)"
    ]


def test_roads_carry_supply_further_and_mud_shortens_it(make_game):
    rows = ["." * 20]
    road = [{"name": "Road", "path": [[0, 0], [19, 0]]}]
    units = [unit("infantry", "red", (14, 0)), unit("infantry", "blue", (19, 0))]
    g = make_game(rows, units, cities=[red_city((0, 0))], roads=road)
    assert level_of(g, 0) == FULL_SUPPLY  # 14 hexes at 0.5 a hex
    weather = {"schedule": [{"turn": 1, "weather": "mud"}]}
    g = make_game(rows, units, cities=[red_city((0, 0))], roads=road, weather=weather)
    assert level_of(g, 0) == REDUCED_SUPPLY  # 14 x 0.5 x 1.5 = 10.5


# -- railways ---------------------------------------------------------------------------------


def rail_world(make_game, units, **kw):
    rows = ["." * 30, "." * 30]
    rail = [{"name": "Line", "path": [[0, 0], [27, 0]]}]
    return make_game(rows, units, cities=[red_city((0, 0))], rail=rail, **kw)


def test_a_railway_feeds_far(make_game):
    far = [unit("infantry", "red", (28, 1)), unit("infantry", "blue", (29, 0))]
    g = rail_world(make_game, far)
    assert level_of(g, 0) == FULL_SUPPLY
    told = explain(g.state, 0)
    assert "by rail" in told.summary and told.path[0] == (28, 1) and told.path[-1] == (0, 0)
    g = make_game(["." * 30] * 2, far, cities=[red_city((0, 0))])
    assert level_of(g, 0) == NO_SUPPLY  # the same place without the railway


def test_an_enemy_on_the_railway_cuts_it(make_game):
    units = [
        unit("infantry", "red", (28, 1)),
        unit("infantry", "blue", (29, 0)),
        unit("infantry", "blue", (14, 0)),
    ]
    g = rail_world(make_game, units)
    assert level_of(g, 0) == NO_SUPPLY
    reasons = explain(g.state, 0).reasons
    assert any("blocked at (14, 0) by Rifle division" in r for r in reasons), reasons


def test_an_enemy_fleet_overhead_stops_the_trains(make_game):
    units = [
        unit("infantry", "red", (28, 1)),
        unit("infantry", "blue", (29, 0)),
        unit("aether_cruiser", "blue", (3, 0)),
    ]
    g = rail_world(make_game, units)
    assert level_of(g, 0) == NO_SUPPLY
    reasons = explain(g.state, 0).reasons
    assert any("interdicted at (3, 0) by Aether cruiser squadron" in r for r in reasons)


def test_rail_capacity_feeds_the_nearest_units_first(make_game, tmp_path):
    units = [unit("infantry", "red", (c, 1)) for c in (26, 27, 28)]
    units.append(unit("infantry", "blue", (29, 0)))
    g = rail_world(make_game, units, supply={"rail_capacity": 2.5})
    assert [level_of(g, i) for i in range(3)] == [FULL_SUPPLY, FULL_SUPPLY, REDUCED_SUPPLY]
    reasons = explain(g.state, 2).reasons
    assert reasons == ["the railway from Depot carries only 2.5 supply points a turn"]
    g = rail_world(make_game, units, supply={"rail_capacity": 2})
    assert level_of(g, 2) == NO_SUPPLY


def test_source_capacity_limits_an_entry_hex(make_game):
    units = [unit("infantry", "red", (c, 0)) for c in (1, 2)]
    units.append(unit("infantry", "blue", (7, 2)))
    entry = [{"name": "Border", "faction": "red", "at": [0, 0], "capacity": 1}]
    g = make_game(PLAIN, units, supply_sources=entry)
    assert [level_of(g, i) for i in range(2)] == [FULL_SUPPLY, NO_SUPPLY]
    assert explain(g.state, 1).reasons == ["Border can deliver only 1 supply points a turn"]


def test_a_train_runs_only_on_railway_fed_by_a_source(make_game):
    units = [unit("infantry", "red", (10, 0)), unit("infantry", "blue", (29, 1))]
    units.append(unit("infantry", "blue", (5, 1)))  # cuts the line between depot and unit
    g = rail_world(make_game, units)
    result = g.submit(RailMove(0, (20, 0)))
    assert not result.ok and "no supply source feeds the railway" in result.reason


# -- ports, convoys and carriers ---------------------------------------------------------------

SEA = ["====", ".C==", "...=", "...."]


def port_world(make_game, subs, off_map=False, **kw):
    convoy = {"name": "Northern convoy", "faction": "red", "port": "Harbour", "capacity": 8}
    if off_map:
        convoy["off_map"] = True
    else:
        convoy["route"] = [[3, 3], [3, 0]]
    units = [unit("infantry", "red", (0, 2)), unit("infantry", "blue", (0, 3))]
    units += [unit("submarine", "blue", at) for at in subs]
    city = {"name": "Harbour", "at": [1, 1], "owner": "red", "port": True}
    return make_game(SEA, units, cities=[city], convoys=[convoy], **kw)


def test_two_submarines_starve_a_port(make_game):
    g = port_world(make_game, [])
    assert supply.convoy_state(g.state, 0).delivered == 8
    g = port_world(make_game, [(2, 0)])
    assert supply.convoy_state(g.state, 0).delivered == 4
    assert level_of(g, 0) != NO_SUPPLY
    g = port_world(make_game, [(2, 0), (3, 2)])
    assert supply.convoy_state(g.state, 0).delivered == 0
    assert level_of(g, 0) == NO_SUPPLY
    reasons = " ".join(explain(g.state, 0).reasons)
    assert "Northern convoy delivers 0 of 8" in reasons
    assert reasons.count("Submarine flotilla") == 2


def test_an_event_cuts_an_off_map_convoy(make_game):
    event = {
        "id": "raiders",
        "when": {"turn": 2},
        "title": "Raiders",
        "interdict_convoys": {"Northern convoy": 8},
    }
    g = port_world(make_game, [], off_map=True, events=[event])
    assert level_of(g, 0) == FULL_SUPPLY
    g.submit(EndTurn())
    g.submit(EndTurn())
    assert g.state.turn == 2 and g.state.convoy_cut[0] == 8
    assert level_of(g, 0) == NO_SUPPLY
    assert any("beyond the map" in r for r in explain(g.state, 0).reasons)


def test_a_fleet_in_supply_carries_supply_to_units_around_it(make_game):
    rows = ["." * 16]
    far = [unit("infantry", "red", (14, 0)), unit("infantry", "blue", (15, 0))]
    carrier = [unit("aether_carrier", "red", (12, 0))]
    g = make_game(rows, far, cities=[red_city((0, 0))])
    assert level_of(g, 0) == NO_SUPPLY
    g = make_game(rows, far + carrier, cities=[red_city((0, 0))])
    assert level_of(g, 0) == FULL_SUPPLY
    assert "from Aether transport squadron" in explain(g.state, 0).summary
    lonely = [unit("aether_carrier", "red", (13, 0))]  # itself out of supply: feeds nobody
    g = make_game(rows, far + lonely, cities=[red_city((0, 0))])
    assert level_of(g, 0) == NO_SUPPLY


def test_a_carrier_living_on_its_own_stores_feeds_units_anywhere(make_game):
    rows = ["." * 16]
    far = [unit("infantry", "red", (14, 0)), unit("infantry", "blue", (15, 0))]
    stocked = [unit("aether_carrier", "red", (13, 0))]
    own_stores = {"aether_carrier": {"supply_use": 0}}
    g = make_game(rows, far + stocked, cities=[red_city((0, 0))], unit_types=own_stores)
    assert level_of(g, 0) == FULL_SUPPLY  # the same carrier as `lonely` above, needing nothing


def test_a_carrier_within_reach_of_a_source_flies_supply_in(make_game):
    rows = ["." * 20]
    far = [unit("infantry", "red", (18, 0)), unit("infantry", "blue", (19, 0))]
    carrier = [unit("aether_carrier", "red", (16, 0))]  # 16 hexes from the depot
    g = make_game(rows, far + carrier, cities=[red_city((0, 0))])
    assert level_of(g, 0) == NO_SUPPLY  # carrier_reach is 0 in the core rules: no shuttle
    g = make_game(rows, far + carrier, cities=[red_city((0, 0))], supply={"carrier_reach": 16})
    assert level_of(g, 0) == FULL_SUPPLY
    g = make_game(rows, far + carrier, cities=[red_city((0, 0))], supply={"carrier_reach": 15})
    assert level_of(g, 0) == NO_SUPPLY


def test_carriers_on_one_hex_pool_their_loads(make_game):
    rows = ["." * 20] * 3
    far = [unit("infantry", "red", (17, r)) for r in range(3)] + [unit("infantry", "blue", (19, 1))]
    one = [unit("aether_carrier", "red", (16, 1))]
    rules = {"carrier_reach": 18, "carrier_capacity": 2}
    g = make_game(rows, far + one, cities=[red_city((0, 0))], supply=rules)
    assert [level_of(g, i) for i in range(3)].count(FULL_SUPPLY) == 2  # two points for three
    two = one + [unit("aether_carrier", "red", (16, 1))]
    g = make_game(rows, far + two, cities=[red_city((0, 0))], supply=rules)
    assert [level_of(g, i) for i in range(3)] == [FULL_SUPPLY] * 3
    assert "Aether transport squadron and Aether transport squadron" in explain(g.state, 0).summary


def test_units_aboard_a_fleet_have_their_fleets_supply(make_game):
    rows = ["." * 16]
    riders = [
        unit("aether_carrier", "red", (14, 0), id="t"),
        {"type": "infantry", "faction": "red", "aboard": "t"},
        unit("infantry", "blue", (15, 1)),
    ]
    g = make_game(rows + ["." * 16], riders, cities=[red_city((0, 0))])
    assert level_of(g, 0) == NO_SUPPLY and level_of(g, 1) == NO_SUPPLY
    assert "living on the stores of Aether transport squadron" in explain(g.state, 1).summary
    own_stores = {"aether_carrier": {"supply_use": 0}}
    g = make_game(rows + ["." * 16], riders, cities=[red_city((0, 0))], unit_types=own_stores)
    assert level_of(g, 1) == FULL_SUPPLY


# -- effects ----------------------------------------------------------------------------------


def cut_off_world(make_game, **kw):
    units = [unit("infantry", "red", (0, 1)), unit("infantry", "blue", (7, 1))]
    blue_city = {"name": "Blue base", "at": [7, 2], "owner": "blue", "supply": True}
    return make_game(PLAIN, units, cities=[blue_city], turns=8, **kw)


def test_attrition_after_the_set_number_of_turns(make_game):
    g = cut_off_world(make_game)
    u = g.state.units
    assert u.supply[0] == NO_SUPPLY and u.moves[0] == 1.5  # half moves without supply
    assert [r.text for r in g.opening if r.kind == "supply"] == [
        "Rifle division is cut off from supply"
    ]
    steps = []
    for _ in range(4):
        steps.append(int(u.steps[0]))
        g.submit(EndTurn())
        g.submit(EndTurn())
    assert steps == [8, 8, 7, 6]  # turns 1 and 2 out of supply are free, then a step a turn
    assert int(u.turns_unsupplied[0]) == 5  # counted again as turn 5 began
    g.submit(EndTurn())
    told = [r.text for r in g.submit(EndTurn()).reports if r.kind == "attrition"]
    assert told == ["Rifle division loses a step after 6 turns without supply"]


def test_supply_changes_the_strength_in_combat(make_game):
    g = cut_off_world(make_game)
    att, dfn, _, _ = g.battle_inputs([1], 0, 1)  # blue (in supply) attacks red (cut off)
    assert dfn.modifier[0] == pytest.approx(0.5) and att.modifier[0] == pytest.approx(1.0)


def test_units_rest_and_recover_in_full_supply(make_game):
    units = [
        unit("infantry", "red", (1, 1), steps=5),
        unit("infantry", "red", (2, 2), steps=5),
        unit("infantry", "blue", (7, 1)),
    ]
    g = make_game(PLAIN, units, cities=[red_city()])
    assert g.submit(Move(1, (3, 2))).ok
    g.submit(EndTurn())
    assert list(g.state.units.steps[:2]) == [6, 5]  # the unit that moved did not rest


def test_no_recovery_out_of_supply(make_game):
    units = [unit("infantry", "red", (0, 1), steps=5), unit("infantry", "blue", (7, 1))]
    blue_city = {"name": "Blue base", "at": [7, 2], "owner": "blue", "supply": True}
    g = make_game(PLAIN, units, cities=[blue_city])
    g.submit(EndTurn())
    assert g.state.units.steps[0] == 5


def test_a_scenario_without_sources_has_no_supply_rules(make_game):
    units = [unit("infantry", "red", (0, 1)), unit("infantry", "blue", (7, 1))]
    g = make_game(PLAIN, units)
    assert g.state.units.supply[0] == FULL_SUPPLY and g.state.units.moves[0] == 3
    assert "no supply sources" in explain(g.state, 0).summary


# -- the batched field against its reference -------------------------------------------------


def random_world(rng, tmp_path, n):
    w, h = int(rng.integers(6, 22)), int(rng.integers(4, 16))
    symbols = np.array(list(".fhMst"))
    rows = ["".join(rng.choice(symbols, w)) for _ in range(h)]
    free = [(c, r) for r in range(h) for c in range(w)]
    picks = rng.permutation(len(free))
    spots = [free[i] for i in picks]
    factions = [
        {"id": "red", "name": "Red", "side": "red"},
        {"id": "ally", "name": "Ally", "side": "red"},
        {"id": "blue", "name": "Blue", "side": "blue"},
    ]
    cities = []
    for i, faction in enumerate(["red", "blue", "red"]):
        c, r = spots.pop()
        cities.append({"name": f"C{i}", "at": [c, r], "owner": faction, "supply": True})
    units = []
    for _ in range(int(rng.integers(2, 12))):
        kind = str(rng.choice(["infantry", "garrison", "aether_cruiser", "aether_carrier"]))
        faction = str(rng.choice(["red", "ally", "blue"]))
        units.append(unit(kind, faction, spots.pop()))

    def line():
        return [[int(rng.integers(w)), int(rng.integers(h))] for _ in range(3)]

    data = {
        "name": "Random",
        "rules": str(CORE_RULES),
        "start": "1939-07-07",
        "turns": 3,
        "map": {"rows": rows},
        "cities": cities,
        "factions": factions,
        "units": units,
        "rail": [{"name": "R", "path": line()}],
        "roads": [{"name": "Rd", "path": line()}],
        "rivers": [{"name": "Rv", "path": line()}],
        "supply_sources": [{"name": "Edge", "faction": "ally", "at": list(spots.pop())}],
        "weather": {"schedule": [{"turn": 1, "weather": str(rng.choice(["clear", "mud"]))}]},
        "supply": {"carrier_reach": int(rng.integers(0, 8))},
    }
    path = Path(tmp_path) / f"random{n}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_the_batched_field_equals_the_heap_reference_on_random_maps(tmp_path):
    from game.engine import Engine
    from game.scenario import load

    rng = np.random.default_rng(7)
    checked = 0
    for n in range(40):
        g = Engine(load(random_world(rng, tmp_path, n)), seed=n)
        for faction in range(3):
            sf = supply.supply_field(g.state, faction)
            cost, level = supply.reference_field(g.state, faction)
            assert np.array_equal(sf.cost, np.array(cost)), n
            assert np.array_equal(sf.level, np.array(level, dtype=np.int8)), n
            checked += int(np.isfinite(sf.cost).sum())
    assert checked > 1000  # the worlds were not all empty of supply


# -- the checker -------------------------------------------------------------------------------


def checked(tmp_path, **kw):
    from game.validate import check_file
    from tests.conftest import world_yaml

    path = Path(tmp_path) / "world.yaml"
    path.write_text(yaml.safe_dump(world_yaml(**kw), sort_keys=False))
    return [p for p in check_file(path) if "victory" not in p.message]


def test_the_checker_warns_about_units_starting_out_of_supply(tmp_path):
    units = [unit("infantry", "red", (7, 1)), unit("infantry", "blue", (4, 0))]
    units.append(unit("infantry", "blue", (4, 2)))
    blue = {"name": "Blue", "at": [5, 2], "owner": "blue", "supply": True}
    warnings = checked(tmp_path, rows=PLAIN, units=units, cities=[red_city(), blue])
    assert [w.message.split(":")[0] for w in warnings] == ["units[0]"]
    assert "Rifle division starts out of supply: blocked at" in warnings[0].message
    assert "zone of control" in warnings[0].message
    text = (Path(tmp_path) / "world.yaml").read_text().splitlines()
    assert text[warnings[0].line - 1].startswith("- type: infantry")  # units[0] in the file


def test_the_checker_warns_about_a_faction_without_sources(tmp_path):
    units = [unit("infantry", "red", (0, 1)), unit("infantry", "blue", (7, 1))]
    warnings = checked(tmp_path, rows=PLAIN, units=units, cities=[red_city((0, 0))])
    assert [w.message for w in warnings] == [
        "factions[1]: faction 'blue' has no supply source: its units start out of supply"
    ]


def test_the_checker_warns_about_sources_connected_to_nothing(tmp_path):
    rows = ["~~~~", "~.~~", "~~~.", "...."]
    units = [unit("infantry", "red", (1, 1)), unit("infantry", "blue", (3, 3))]
    cities = [red_city((1, 1)), {"name": "Blue", "at": [0, 3], "owner": "blue", "supply": True}]
    convoy = {"name": "Lost", "faction": "red", "port": "Far", "capacity": 4}
    convoy["route"] = [[0, 0], [1, 0]]
    cities.append({"name": "Far", "at": [3, 2], "owner": "red", "port": True})
    cities.append({"name": "Idle", "at": [2, 3], "owner": "blue", "port": True})
    warnings = checked(tmp_path, rows=rows, units=units, cities=cities, convoys=[convoy])
    messages = sorted(w.message for w in warnings)
    assert messages == [
        "cities[0]: supply from Depot can reach no other hex: it feeds only its own",
        "cities[3].port: Idle is a port, but no convoy feeds it",
        "convoys[0].route: the route of convoy Lost ends 3 hexes from Far",
    ]


def test_the_supply_command_explains_every_unit(capsys):
    from game.cli import main

    assert main(["supply", "ulan_ude_1939"]) == 0
    out = capsys.readouterr().out
    assert "source: Chita road (entry, 12 a turn, working)" in out
    assert "Zaigraevo watch: full supply from Chita road (3.5 supply points overland)" in out
    assert "Kabansk guard: full supply from Ulan-Ude (by rail)" in out
    assert main(["supply", "tests/broken/supply_range.yaml"]) == 1
    assert "must be at least as long as range" in capsys.readouterr().err


def test_fleets_draw_carrier_supply_through_enemy_zones_of_control(make_game):
    rows = ["." * 20]
    units = [
        unit("aether_carrier", "red", (16, 0)),
        unit("aether_cruiser", "red", (17, 0)),  # above the enemy's zone of control
        unit("infantry", "blue", (18, 0)),
    ]
    g = make_game(rows, units, cities=[red_city((0, 0))], supply={"carrier_reach": 16})
    assert level_of(g, 1) == FULL_SUPPLY
    g = make_game(rows, units, cities=[red_city((0, 0))])  # no reach: the carrier is cut off
    assert level_of(g, 1) == NO_SUPPLY
