"""The operational computer player on tiny worlds: assaults, garrisons, objectives, fleets,
submarines, postures, fog; and whole games against the random player."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import battle, hexgrid
from game.ai import PLAYERS, make_player
from game.commands import Attack, Move

ROOT = Path(__file__).resolve().parent.parent
ROWS = ["." * 14] * 5


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def city(name, at, owner, vp, **kw):
    return {"name": name, "at": list(at), "owner": owner, "vp": vp, **kw}


def red_turn(g, player="normal"):
    make_player(player, 0, 1).play_turn(g.view, g.submit)


def where(g, uid):
    return int(g.state.units.col[uid]), int(g.state.units.row[uid])


def attacks(g):
    return [c for c in g.log if isinstance(c, Attack)]


def test_the_difficulties_are_players():
    assert {"random", "easy", "normal", "hard"} <= set(PLAYERS)


def test_an_assault_comes_from_several_sides_at_once(make_game):
    units = [unit("infantry", "blue", (6, 2), steps=6)]
    units += [unit("infantry", "red", at) for at in [(4, 2), (8, 2), (6, 0)]]
    g = make_game(["." * 12] * 5, units)
    red_turn(g)
    first = attacks(g)[0]
    assert first.target == (6, 2) and len(first.attackers) == 3
    sides = {where(g, uid) for uid in first.attackers}
    assert len(sides) == 3, "each attacker from its own side of the hex"
    # easy does not manoeuvre: nobody stands next to the enemy, so nobody attacks
    g = make_game(["." * 12] * 5, units)
    red_turn(g, "easy")
    assert not attacks(g)


def test_an_assault_at_poor_odds_is_not_made(make_game):
    units = [unit("infantry", "red", (3, 2), steps=2), unit("garrison", "blue", (4, 2))]
    g = make_game(ROWS, units, cities=[city("Fort", (4, 2), "blue", 0)])
    red_turn(g)
    assert not attacks(g)


def test_the_batched_preview_equals_the_previews_one_by_one(make_game):
    units = [
        unit("infantry", "red", (2, 2)),
        unit("cavalry", "red", (4, 2)),
        unit("infantry", "blue", (3, 2)),
        unit("infantry", "blue", (5, 2), entrenchment=2),
        unit("infantry", "red", (6, 2)),
    ]
    g = make_game(ROWS, units, cities=[city("Fort", (5, 2), "blue", 2)])
    plans = [([0, 1], (3, 2)), ([1, 4], (5, 2)), ([4], (5, 2))]
    batched = battle.preview_many(g.view, [(a, t, None) for a, t in plans])
    assert batched == [battle.preview(g.view, a, t) for a, t in plans]


def test_one_unit_holds_a_threatened_city_and_the_rest_march_on(make_game):
    cities = [
        city("Fort", (2, 2), "red", 3, supply=True),
        city("Target", (12, 2), "blue", 5, supply=True),
    ]
    units = [unit("infantry", "red", (2, 2)), unit("infantry", "red", (2, 2))]
    units.append(unit("infantry", "blue", (4, 2), steps=2))  # in sight, a turn's march away
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert sorted([where(g, 0), where(g, 1)]).count((2, 2)) == 1


def test_a_city_that_would_lose_the_game_is_never_left_empty(make_game):
    cities = [
        city("Depot", (2, 2), "red", 1, supply=True),
        city("Capital", (12, 2), "blue", 9, supply=True),
    ]
    units = [unit("infantry", "red", (2, 2)), unit("infantry", "red", (3, 2))]
    units.append(unit("infantry", "blue", (12, 2)))  # far away: the depot is quiet
    victory = {"sudden_death": [{"side": "blue", "holds": ["Depot", "Capital"]}]}
    g = make_game(ROWS, units, cities=cities, victory=victory)
    red_turn(g)
    assert (2, 2) in {where(g, 0), where(g, 1)}


def test_the_army_splits_only_into_forces_strong_enough_for_their_objective(make_game):
    cities = [city("Near", (1, 0), "blue", 5), city("Main", (12, 4), "blue", 6)]
    units = [unit("infantry", "red", (3, 0)), unit("infantry", "red", (9, 4))]
    units.append(unit("infantry", "red", (9, 4)))
    # Near is held in strength, in sight of the first unit: alone it could do nothing there,
    # so it marches east with the others on Main
    strong = unit("infantry", "blue", (1, 0), steps=6, entrenchment=3)
    g = make_game(ROWS, [*units, strong], cities=cities)
    red_turn(g)
    assert hexgrid.distance(*where(g, 0), 12, 4) < hexgrid.distance(3, 0, 12, 4)
    # Near empty and in sight: the first unit takes it while the others go for Main
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert int(g.state.owner[0, 1]) == 0 or hexgrid.distance(*where(g, 0), 1, 0) < 2
    assert hexgrid.distance(*where(g, 1), 12, 4) < hexgrid.distance(9, 4, 12, 4)


def test_a_fleet_flies_its_marines_in_and_they_storm_the_city_the_same_turn(make_game):
    cities = [city("Port", (1, 2), "red", 0, supply=True), city("Target", (8, 2), "blue", 5)]
    units = [
        {"id": "cru", "type": "aether_cruiser", "faction": "red", "at": [2, 2]},
        {"type": "marines", "faction": "red", "aboard": "cru"},
        unit("garrison", "blue", (8, 2), steps=1),
    ]
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    u = g.state.units
    assert u.carrier[1] < 0, "the marines are still aboard"
    assert u.attacked[1] or int(g.state.owner[2, 8]) == 0


def test_a_fleet_does_not_fly_beyond_its_supply(make_game):
    from game import supply
    from game.state import NO_SUPPLY

    cities = [city("Port", (1, 2), "red", 0, supply=True), city("Target", (29, 2), "blue", 5)]
    rows = ["." * 30] * 5
    units = [
        {"id": "cru", "type": "aether_cruiser", "faction": "red", "at": [1, 2]},
        unit("infantry", "red", (2, 2)),
    ]
    g = make_game(rows, units, cities=cities)
    fed = supply.supply_field(g.view, 0).level.reshape(5, 30)[2] > NO_SUPPLY
    edge = max(c for c in range(30) if fed[c])
    assert edge < 28, "the test needs a target beyond the reach of supply"
    units[0]["at"] = [edge, 2]  # at the edge of supply, the target out of reach beyond it
    g = make_game(rows, units, cities=cities)
    red_turn(g)
    assert where(g, 0)[0] <= edge


def test_a_submarine_makes_for_the_enemy_convoy_route(make_game):
    rows = ["=" * 12] * 4 + ["." * 12]
    cities = [city("Harbour", (11, 4), "blue", 2, port=True), city("Home", (0, 4), "red", 1)]
    convoys = [
        {"name": "Coast run", "faction": "blue", "port": "Harbour", "capacity": 8,
         "route": [[11, 0], [11, 3]]},
    ]  # fmt: skip
    units = [unit("submarine", "red", (0, 0)), unit("infantry", "blue", (11, 4))]
    g = make_game(rows, units, cities=cities, convoys=convoys)
    for _ in range(3):
        red_turn(g)
        make_player("normal", 1, 1).play_turn(g.view, g.submit)
    assert hexgrid.distance(*where(g, 0), 11, 1) <= 2


@pytest.mark.parametrize("posture, marches", [("offensive", True), ("defensive", False)])
def test_a_defensive_faction_holds_its_line_and_an_offensive_one_marches(
    make_game, posture, marches
):
    factions = [
        {"id": "red", "name": "Red", "side": "red", "posture": posture},
        {"id": "blue", "name": "Blue", "side": "blue"},
    ]
    cities = [city("Home", (1, 2), "red", 3, supply=True), city("Prize", (12, 2), "blue", 5)]
    units = [unit("infantry", "red", (2, 2)), unit("infantry", "blue", (12, 2))]
    g = make_game(ROWS, units, cities=cities, factions=factions)
    for _ in range(2):
        red_turn(g)
        g.submit(__import__("game.commands", fromlist=["EndTurn"]).EndTurn())
    away = hexgrid.distance(*where(g, 0), 1, 2)
    assert (away > 3) == marches


def test_the_ai_plans_on_what_its_side_sees(make_game):
    from game.ai.picture import Picture

    cities = [city("Prize", (8, 2), "blue", 5)]
    units = [unit("infantry", "red", (1, 2)), unit("garrison", "blue", (8, 2))]
    hidden = unit("infantry", "blue", (22, 4))  # far beyond red's sight and reach
    rows = ["." * 24] * 5
    seen = make_game(rows, units, cities=cities)
    both = make_game(rows, [*units, hidden], cities=cities)
    pic = Picture(both.view, 0)
    assert 22 + 4 * 24 not in pic.known.flat.tolist(), "a hidden enemy is not in the picture"
    assert pic.fogged().units.alive.tolist() == [True, False, False]  # what red could see
    red_turn(seen)
    red_turn(both)
    assert seen.log == both.log, "a hidden enemy changed the plan"
    assert any(isinstance(c, Move) for c in seen.log)


@pytest.mark.parametrize("scenario", ["ulan_ude_1939", "vladivostok_1939"])
def test_normal_beats_random_on_both_sides_without_a_refused_command(scenario):
    from game.scenario import load
    from game.simulate import play_game

    path = ROOT / "scenarios" / f"{scenario}.yaml"
    sides = sorted({f.side for f in load(path).factions})
    for side in sides:
        for seed in (1, 2, 3):
            players = {f.id: "normal" if f.side == side else "random" for f in load(path).factions}
            record = play_game(path, seed, players)
            assert record["refused"] == 0
            assert record["winner"] == side, f"{side} lost seed {seed} to random"
