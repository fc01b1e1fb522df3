"""Rules at their edges, each on a tiny world: the cases a careless engine gets wrong."""

import numpy as np
import pytest

from game.commands import Attack, EndTurn, Move, RailMove
from game.scenario import ScenarioError

ROWS = ["........"] * 4


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def pair():
    return [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))]


def test_a_city_without_owner_belongs_to_nobody_at_the_start(make_game):
    cities = [
        {"name": "Red", "at": [0, 1], "owner": "red", "vp": 1},
        {"name": "Free", "at": [2, 1], "vp": 5},
    ]
    events = [{"id": "free", "when": {"captured": "Free"}, "title": "Free taken"}]
    g = make_game(
        ROWS,
        pair(),
        cities=cities,
        events=events,
        victory={"sudden_death": [{"side": "red", "holds": ["Free", "Red"]}]},
    )
    assert g.state.owner[1, 2] == -1 and list(g.state.victory_points()) == [1, 0]
    assert not g.state.fired[0] and not g.state.finished
    assert g.submit(Move(0, (2, 1))).ok
    assert g.state.fired[0] and g.state.finished and g.state.winner == "red"


def test_city_lost_and_destroyed_triggers(make_game):
    cities = [{"name": "Post", "at": [1, 0], "owner": "blue", "vp": 1}]
    events = [
        {"id": "lost", "when": {"city_lost": "Post", "faction": "blue"}, "title": "Lost"},
        {"id": "gone", "when": {"destroyed": "b1"}, "title": "Gone", "victory_points": {"red": 3}},
    ]
    g = make_game(
        ROWS,
        [
            unit("infantry", "red", (0, 0)),
            unit("infantry", "blue", (7, 3), id="b1"),
            unit("infantry", "blue", (7, 0)),
        ],
        cities=cities,
        events=events,
    )
    assert not g.state.fired.any()
    g.submit(Move(0, (1, 0)))
    assert list(g.state.fired) == [True, False]
    g.state.units.steps[1] = 0  # (test set-up: as if the unit had been shot to pieces)
    g.state.units.alive[1] = False
    g.submit(EndTurn())
    assert g.state.fired[1] and g.state.vp_bonus[0] == 3


def test_a_faction_entering_mid_round_moves_in_the_same_round(make_game):
    factions = [
        {"id": "red", "name": "Red", "side": "red"},
        {"id": "blue", "name": "Blue", "side": "blue"},
        {"id": "green", "name": "Green", "side": "blue", "at_war": False},
    ]
    cities = [{"name": "Bell", "at": [2, 0], "owner": "blue"}]
    events = [
        {
            "id": "bell",
            "when": {"captured": "Bell", "by": "red"},
            "title": "Bell",
            "enter_war": "green",
        }
    ]
    g = make_game(
        ROWS,
        [*pair(), unit("cavalry", "green", (7, 0))],
        factions=factions,
        cities=cities,
        events=events,
    )
    g.submit(Move(0, (2, 0)))
    assert g.state.at_war[2]
    g.submit(EndTurn())
    g.submit(EndTurn())
    assert g.state.turn == 1 and g.state.active == 2


def test_reinforcements_wait_when_there_is_no_room(make_game):
    rows = ["~" * 9] * 9
    rows[4] = "~~~~.~~~~"  # one island, already full
    rows[8] = "~~~~~~~~."
    red = [unit("infantry", "red", (4, 4)) for _ in range(3)]
    group = {"turn": 1, "faction": "red", "at": [4, 4], "units": [{"type": "infantry"}]}
    g = make_game(rows, [*red, unit("infantry", "blue", (8, 8))], reinforcements=[group])
    assert len(g.state.units) == 4 and len(g.state.arrivals) == 1
    assert any("delayed" in r.text for r in g.opening)


def test_a_surrounded_defender_that_must_retreat_loses_steps_instead(make_game):
    around = [(1, 1), (3, 1), (2, 0), (3, 0), (2, 2), (3, 2)]  # the six neighbours of (2, 1)
    ring = [unit("guard", "red", at) for at in around]
    for seed in range(1, 40):
        g = make_game(["....."] * 3, [*ring, unit("garrison", "blue", (2, 1), steps=6)], seed=seed)
        result = g.submit(Attack(tuple(range(6)), (2, 1)))
        texts = [r.text for r in result.reports]
        if any("cannot fall back" in t for t in texts):
            break
    else:
        raise AssertionError("never forced a retreat")
    assert (int(g.state.units.col[6]), int(g.state.units.row[6])) == (
        2,
        1,
    ) or not g.state.units.alive[6]


def test_a_beaten_defender_never_falls_back_into_an_enemy_town(make_game):
    # attacked from three sides, the one hex away from every attacker is the attackers' town
    attackers = [unit("guard", "red", at) for at in [(1, 1), (2, 0), (2, 2)]]
    town = [{"name": "Redtown", "at": [3, 1], "owner": "red", "vp": 1}]
    for seed in range(1, 60):
        g = make_game(
            ["....."] * 3,
            [*attackers, unit("garrison", "blue", (2, 1), steps=6)],
            cities=town,
            seed=seed,
        )
        texts = [r.text for r in g.submit(Attack((0, 1, 2), (2, 1))).reports]
        if any("fall" in t for t in texts):
            break
    else:
        raise AssertionError("the garrison never had to give way")
    assert any("cannot fall back" in t for t in texts), texts
    assert (int(g.state.units.col[3]), int(g.state.units.row[3])) != (3, 1)
    assert g.state.owner[1, 3] == 0


def test_river_charge_and_weather_reach_the_battle(make_game):
    def odds(kind="cavalry", rivers=(), weather="clear", rows=None):
        g = make_game(
            rows or ["....", "...."],
            [unit(kind, "red", (1, 0)), unit("infantry", "blue", (2, 0))],
            rivers=list(rivers),
            weather={"schedule": [{"turn": 1, "weather": weather}]},
        )
        return g.preview([0], (2, 0)).odds

    base = odds()
    assert odds(rivers=[[[2, 0], [2, 1]]]) == pytest.approx(base / 1.5)
    assert odds(weather="mud") == pytest.approx(base * 0.8)
    assert odds(rows=["..f.", "...."]) == pytest.approx(base / 1.3 / 1.3)  # forest: no charge


def test_commands_with_numpy_integers_work_like_plain_ones(make_game):
    g = make_game(["." * 6] * 3, pair()[:1] + [unit("infantry", "blue", (5, 2))])
    result = g.submit(Move(np.int64(0), (np.int16(2), np.int8(1))))
    assert result.ok and g.log[-1] == Move(0, (2, 1)) and type(g.log[-1].unit) is int


def test_queued_reinforcements_are_part_of_the_hash(make_game):
    def hashed(kind):
        g = make_game(
            ROWS,
            pair(),
            reinforcements=[{"turn": 2, "faction": "red", "at": [0, 1], "units": [{"type": kind}]}],
        )
        g.submit(EndTurn())
        g.submit(EndTurn())  # turn 2 starts: the group is queued for red... and placed
        return g.state.state_hash()

    assert hashed("infantry") != hashed("cavalry")


def test_trains_do_not_run_into_lakes(make_game):
    cities = [{"name": "A", "at": [0, 0], "owner": "red"}]
    g = make_game(
        ["..~...", "......"],
        pair()[:1] + [unit("infantry", "blue", (5, 1))],
        cities=cities,
        rail=[["A", [5, 0]]],
    )
    assert not g.submit(RailMove(0, (2, 0))).ok
    assert not g.submit(RailMove(0, (4, 0))).ok  # the line is cut by the lake
    assert g.submit(RailMove(0, (1, 0))).ok


def test_no_fighting_across_land_and_water(make_game):
    g = make_game(
        ["..~~", "..~~"], [unit("infantry", "red", (1, 0)), unit("submarine", "blue", (2, 0))]
    )
    result = g.submit(Attack((0,), (2, 0)))
    assert not result.ok and "cannot fight on lake" in result.reason


def test_a_scenario_with_nobody_at_war_is_refused(make_game):
    factions = [
        {"id": "red", "name": "Red", "side": "red", "at_war": False},
        {"id": "blue", "name": "Blue", "side": "blue"},
    ]
    with pytest.raises(ScenarioError, match="must be at war"):
        make_game(ROWS, pair(), factions=factions)


def test_a_delayed_group_is_reported_once_a_turn_not_after_every_command(make_game):
    rows = ["~" * 9] * 9
    rows[4] = "~~~~.~~~~"
    rows[8] = "~~~~~...."
    red = [unit("infantry", "red", (4, 4)) for _ in range(3)] + [unit("infantry", "red", (5, 8))]
    group = {"turn": 1, "faction": "red", "at": [4, 4], "units": [{"type": "infantry"}]}
    g = make_game(rows, [*red, unit("infantry", "blue", (8, 8))], reinforcements=[group])
    assert sum("delayed" in r.text for r in g.opening) == 1
    result = g.submit(Move(3, (6, 8)))  # red's own move: its waiting group is not news again
    assert result.ok and not any("delayed" in r.text for r in result.reports)
