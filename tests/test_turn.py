"""Turn order, reinforcements, weather, events and victory on tiny worlds."""

import pytest

from game import hexgrid
from game.commands import EndTurn, Move

ROWS = ["........"] * 4


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def three_factions():
    return [
        {"id": "red", "name": "Red", "side": "red"},
        {"id": "blue", "name": "Blue", "side": "blue"},
        {"id": "green", "name": "Green", "side": "blue", "at_war": False},
    ]


def end_round(g):
    turn = g.state.turn
    while g.state.turn == turn and not g.state.finished:
        assert g.submit(EndTurn()).ok


def test_a_faction_out_of_the_war_skips_turns_until_an_event_brings_it_in(make_game):
    g = make_game(
        ROWS,
        [
            unit("infantry", "red", (0, 0)),
            unit("infantry", "blue", (7, 3)),
            unit("cavalry", "green", (7, 0)),
        ],
        factions=three_factions(),
        events=[
            {
                "id": "call",
                "when": {"turn": 2},
                "title": "The call",
                "message": "Green rides.",
                "enter_war": "green",
            }
        ],
    )
    seen = []
    for _ in range(5):
        seen.append(g.state.active)
        g.submit(EndTurn())
    assert seen[:2] == [0, 1] and 2 not in seen[:2]
    assert seen[2:5] == [0, 1, 2]
    assert g.state.at_war[2]


def test_reinforcements_arrive_on_their_turn_and_find_room(make_game):
    g = make_game(
        ROWS,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
        reinforcements=[
            {"turn": 2, "faction": "red", "at": [0, 0], "units": [{"type": "infantry"}] * 3}
        ],
    )
    assert len(g.state.units) == 2
    end_round(g)
    u = g.state.units
    assert len(u) == 5
    on_hex = [(int(u.col[i]), int(u.row[i])) for i in range(2, 5)]
    assert on_hex.count((0, 0)) == 2  # the hex holds 3: two more fit, the third goes next door
    assert all(u.moves[i] == 3 for i in range(2, 5))


def test_reinforcements_due_in_a_town_the_enemy_took_arrive_beside_it(make_game):
    g = make_game(
        ROWS,
        [unit("infantry", "red", (5, 3)), unit("infantry", "blue", (7, 3))],
        cities=[{"name": "Depot", "at": [1, 1], "owner": "blue", "vp": 1}],
        reinforcements=[
            {"turn": 2, "faction": "red", "at": "Depot", "units": [{"type": "infantry"}]}
        ],
    )
    end_round(g)
    u = g.state.units
    assert len(u) == 3 and (int(u.col[2]), int(u.row[2])) != (1, 1)
    assert hexgrid.distance(int(u.col[2]), int(u.row[2]), 1, 1) == 1
    assert g.state.owner[1, 1] == 1  # still the enemy's: marching in will take it


def test_events_fire_once_on_capture_and_give_points(make_game):
    g = make_game(
        ROWS,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
        cities=[{"name": "Ford", "at": [2, 0], "owner": "blue", "vp": 1}],
        events=[
            {
                "id": "ford",
                "when": {"captured": "Ford", "by": "red"},
                "title": "Ford",
                "message": "Taken.",
                "victory_points": {"red": 4},
            }
        ],
    )
    result = g.submit(Move(0, (2, 0)))
    assert any(r.kind == "event" for r in result.reports)
    assert g.state.vp_bonus[0] == 4 and g.state.victory_points()[0] == 5
    g.submit(Move(0, (1, 0))) if g.state.units.moves[0] > 0 else None
    assert g.state.vp_bonus[0] == 4  # fired once only


def test_entering_an_area_triggers_an_event(make_game):
    g = make_game(
        ROWS,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
        events=[
            {
                "id": "scouts",
                "when": {"entered": [3, 0], "faction": "red", "radius": 1},
                "title": "Scouts",
                "message": "Seen.",
            }
        ],
    )
    assert g.submit(Move(0, (1, 0))).ok and not g.state.fired[0]
    assert g.submit(Move(0, (2, 0))).ok and g.state.fired[0]


def test_weather_tables_draw_from_the_game_generator(make_game):
    kinds = set()
    for seed in range(12):
        g = make_game(
            ROWS,
            [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
            seed=seed,
            weather={"schedule": [{"turn": 1, "weather": {"clear": 0.5, "mud": 0.5}}]},
        )
        kinds.add(int(g.state.weather[0]))
    assert kinds == {0, 1}


def test_mud_doubles_movement_costs(make_game):
    g = make_game(
        ROWS,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
        weather={"schedule": [{"turn": 1, "weather": "mud"}]},
    )
    assert not g.submit(Move(0, (2, 0))).ok  # 2 plains hexes cost 4 in mud
    assert g.submit(Move(0, (1, 0))).ok


def test_sudden_death_ends_the_game_at_once(make_game):
    g = make_game(
        ROWS,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
        cities=[{"name": "Keep", "at": [2, 0], "owner": "blue", "vp": 1}],
        victory={"sudden_death": [{"side": "red", "holds": ["Keep"]}]},
    )
    g.submit(Move(0, (2, 0)))
    assert g.state.finished and g.state.winner == "red" and g.state.level == "decisive"
    assert not g.submit(EndTurn()).ok


def test_levels_are_checked_in_order_at_the_end(make_game):
    levels = {
        "levels": [
            {"side": "red", "level": "decisive", "margin": 5},
            {"side": "blue", "level": "marginal", "margin": 1},
        ]
    }
    cities = [
        {"name": "A", "at": [0, 1], "owner": "red", "vp": 2},
        {"name": "B", "at": [7, 1], "owner": "blue", "vp": 3},
    ]
    g = make_game(
        ROWS,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))],
        cities=cities,
        victory=levels,
        turns=2,
    )
    for _ in range(4):
        g.submit(EndTurn())
    assert g.state.finished and g.state.turn == 2
    assert (g.state.winner, g.state.level) == ("blue", "marginal")
    assert len(g.state.history) == 2


def test_the_date_advances_by_the_turn_length(make_game):
    g = make_game(ROWS, [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 3))])
    start = g.state.date()
    end_round(g)
    assert (g.state.date() - start).days == 7


def test_weather_regions_have_their_own_weather(make_game):
    weather = {
        "regions": {"north": {"cols": [0, 7], "rows": [0, 1]}},
        "schedule": [
            {"turn": 1, "weather": "clear"},
            {"turn": 1, "region": "north", "weather": "snow"},
        ],
    }
    g = make_game(
        ROWS, [unit("infantry", "red", (0, 3)), unit("infantry", "blue", (7, 3))], weather=weather
    )
    hexes = g.state.hex_weather()
    rules = g.state.rules
    assert rules.weather[hexes[0, 3]].key == "snow" and rules.weather[hexes[3, 3]].key == "clear"


def test_an_event_digs_a_faction_in(make_game):
    from game.commands import EndTurn

    g = make_game(
        ["......"],
        [
            {"type": "infantry", "faction": "red", "at": [0, 0]},
            {"type": "infantry", "faction": "blue", "at": [5, 0]},
            {"type": "aether_cruiser", "faction": "blue", "at": [5, 0]},
        ],
        events=[{"when": {"turn": 2}, "title": "Dig in", "entrench": "blue"}],
    )
    u = g.state.units
    assert u.entrenchment.tolist() == [0, 0, 0]
    g.submit(EndTurn())
    reports = g.submit(EndTurn()).reports
    told = "Every ground unit of Blue digs in where it stands"
    assert any(r.kind == "entrench" and r.text == told for r in reports)
    assert u.entrenchment.tolist() == [1, 3, 0]  # Blue's ground units only (Red rested a turn)


def test_sides_at_peace_never_fight_but_race_for_points(make_game):
    from game.commands import Attack, Move

    factions = [
        {"id": "red", "name": "Red", "side": "soviet"},
        {"id": "blue", "name": "Blue", "side": "axis"},
        {"id": "green", "name": "Green", "side": "british"},
    ]
    g = make_game(
        ["......"] * 2,
        [
            {"type": "infantry", "faction": "red", "at": [1, 0]},
            {"type": "infantry", "faction": "blue", "at": [5, 1]},
            {"type": "infantry", "faction": "green", "at": [2, 0]},
        ],
        factions=factions,
        peace=[["soviet", "british"]],
        cities=[{"name": "Pass", "at": [3, 0], "vp": 4}],
    )
    st = g.state
    assert not st.hostile(0, 2) and st.hostile(0, 1) and st.hostile(2, 1)
    assert st.hostile_mask(0).tolist() == [False, True, False]
    assert "no enemy ground unit" in g.submit(Attack((0,), (2, 0))).reason
    assert not g.submit(Move(0, (2, 0))).ok  # another side's hex is still closed
    from game import movement

    assert not movement.context(st, 0).zoc[2]  # no zone of control between them
    g.state.owner[0, 3] = 2  # the British got there first
    from game.turn import side_vp

    assert side_vp(st) == {"soviet": 0, "axis": 0, "british": 4}


def test_peace_names_real_sides(make_game):
    from game.scenario import ScenarioError

    for peace, message in (
        ([["red", "bleu"]], "unknown side 'bleu'"),
        ([["red", "red"]], "always at peace with itself"),
        ([["red"]], "expected a pair of sides"),
    ):
        try:
            make_game(["..."], [{"type": "infantry", "faction": "red", "at": [0, 0]}], peace=peace)
        except ScenarioError as exc:
            assert message in str(exc), str(exc)
        else:
            raise AssertionError(f"{peace} was accepted")


def test_a_scenario_sets_postures_and_an_event_changes_them(make_game):
    from game.commands import EndTurn
    from game.scenario import POSTURES

    factions = [
        {"id": "red", "name": "Red", "side": "red", "posture": "defensive"},
        {"id": "blue", "name": "Blue", "side": "blue"},
    ]
    g = make_game(
        ["......"],
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (5, 0))],
        factions=factions,
        events=[{"when": {"turn": 2}, "title": "Halt", "posture": {"blue": "suspended"}}],
    )
    assert [POSTURES[p] for p in g.state.posture] == ["defensive", "offensive"]
    before = g.state.state_hash()
    g.submit(EndTurn())
    reports = g.submit(EndTurn()).reports
    told = "Blue: halts its offensive and holds what it has taken"
    assert any(r.kind == "posture" and r.text == told for r in reports)
    assert [POSTURES[p] for p in g.state.posture] == ["defensive", "suspended"]
    assert g.state.state_hash() != before


def test_an_unknown_posture_is_a_clean_error(tmp_path):
    import yaml

    from game.scenario import ScenarioError, load
    from tests.conftest import world_yaml

    data = world_yaml(
        ["......"],
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (5, 0))],
        factions=[
            {"id": "red", "name": "Red", "side": "red", "posture": "defensve"},
            {"id": "blue", "name": "Blue", "side": "blue"},
        ],
        events=[{"when": {"turn": 2}, "posture": {"blu": "offensive"}}],
    )
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ScenarioError) as err:
        load(path)
    text = str(err.value)
    assert "factions[0].posture: unknown posture 'defensve' (did you mean 'defensive'?)" in text
    assert "events[0].posture.blu: unknown faction 'blu' (did you mean 'blue'?)" in text
