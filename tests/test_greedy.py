"""The `greedy` computer player on tiny worlds: what it holds, where it marches."""

from __future__ import annotations

from game.ai import make_player


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def city(name, at, owner, vp, **kw):
    return {"name": name, "at": list(at), "owner": owner, "vp": vp, **kw}


ROWS = ["." * 14] * 5


def red_turn(g):
    make_player("greedy", 0, 1).play_turn(g.view, g.submit)


def where(g, uid):
    return int(g.state.units.col[uid]), int(g.state.units.row[uid])


def test_one_unit_holds_a_threatened_city_and_the_rest_march_on(make_game):
    cities = [
        city("Fort", (2, 2), "red", 3, supply=True),
        city("Target", (12, 2), "blue", 5, supply=True),
    ]
    units = [unit("infantry", "red", (2, 2)), unit("infantry", "red", (2, 2))]
    units.append(unit("infantry", "blue", (5, 0)))  # three hexes from the fort
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert sorted([where(g, 0), where(g, 1)]).count((2, 2)) == 1
    # an enemy next to the fort: everyone holds
    units[2] = unit("infantry", "blue", (2, 1))
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert where(g, 0) == where(g, 1) == (2, 2) or g.state.units.attacked[:2].any()


def test_an_empty_depot_with_an_enemy_near_draws_a_defender(make_game):
    cities = [
        city("Fort", (2, 2), "red", 3, supply=True),
        city("Target", (12, 2), "blue", 5, supply=True),
    ]
    units = [unit("infantry", "red", (4, 2)), unit("infantry", "blue", (9, 0))]
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert where(g, 0) == (2, 2)
    # the same depot with a red unit already in it is left to that unit
    units.append(unit("infantry", "red", (2, 2)))
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert where(g, 0)[0] > 4


def test_a_fleet_flies_its_marines_in_and_they_storm_the_city_the_same_turn(make_game):
    cities = [
        city("Port", (1, 2), "red", 0, supply=True),
        city("Target", (8, 2), "blue", 5),
    ]
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

    cities = [
        city("Port", (1, 2), "red", 0, supply=True),
        city("Target", (29, 2), "blue", 5),
    ]
    rows = ["." * 30] * 5
    units = [{"id": "cru", "type": "aether_cruiser", "faction": "red", "at": [1, 2]}]
    g = make_game(rows, units, cities=cities)
    fed = supply.supply_field(g.view, 0).level.reshape(5, 30)[2] > NO_SUPPLY
    edge = max(c for c in range(30) if fed[c])
    assert edge < 28, "the test needs a target beyond the reach of supply"
    units[0]["at"] = [edge, 2]  # at the edge of supply, the target out of reach beyond it
    g = make_game(rows, units, cities=cities)
    red_turn(g)
    assert where(g, 0)[0] <= edge


def test_the_army_concentrates_on_one_objective(make_game):
    from game import hexgrid

    cities = [
        city("Near", (1, 0), "blue", 5),
        city("Main", (12, 4), "blue", 6),
    ]
    # the first unit on its own would march west on Near; the other two pull it east to Main
    units = [unit("infantry", "red", (4, 0)), unit("infantry", "red", (9, 4))]
    units.append(unit("infantry", "red", (9, 4)))
    g = make_game(ROWS, units, cities=cities)
    red_turn(g)
    assert hexgrid.distance(*where(g, 0), 12, 4) < hexgrid.distance(4, 0, 12, 4)
    # alone, it goes for Near
    g = make_game(ROWS, units[:1], cities=cities)
    red_turn(g)
    assert hexgrid.distance(*where(g, 0), 1, 0) < hexgrid.distance(4, 0, 1, 0)
