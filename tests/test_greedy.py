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
