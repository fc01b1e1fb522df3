"""Aether fleets on tiny worlds: the air layer, carrying (Embark, Land), bombardment with city
shields and flak, fleets fighting fleets, and submarines."""

import pytest

from game.commands import Attack, Bombard, Embark, EndTurn, Land, Move
from tests.invariants import check_invariants


def unit(kind, faction, at=None, **kw):
    body = {"type": kind, "faction": faction, **kw}
    if at is not None:
        body["at"] = list(at)
    return body


def refused(g, cmd, fragment):
    before = g.state.state_hash()
    result = g.submit(cmd)
    assert not result.ok, cmd
    assert fragment in result.reason, result.reason
    assert g.state.state_hash() == before
    return result.reason


# -- the air layer ------------------------------------------------------------------------------


def test_fleets_fly_over_anything_past_zones_of_control_and_hover_over_the_enemy(make_game):
    g = make_game(
        ["...M~=...", "....f...."],
        [
            unit("aether_cruiser", "red", (0, 0)),
            unit("infantry", "blue", (2, 1)),  # its zone of control lies across the path
            unit("infantry", "blue", (7, 0)),
        ],
    )
    result = g.submit(Move(0, (7, 0)))  # over the zone, mountains, lake and sea: 7 hexes
    assert result.ok, result.reason
    assert g.state.units.moves[0] == 8 - 7
    assert g.state.units_at(7, 0) == [0, 2]  # above the enemy infantry
    check_invariants(g.state)


def test_two_fleets_per_hex_in_their_own_layer(make_game):
    ground = [unit("infantry", "red", (1, 0)) for _ in range(3)]
    fleets = [unit("aether_cruiser", "red", at) for at in ((0, 0), (0, 0), (2, 0))]
    g = make_game(["....."], [*ground, *fleets, unit("infantry", "blue", (4, 0))])
    assert g.submit(Move(3, (1, 0))).ok  # three ground units do not fill the air layer
    assert g.submit(Move(4, (1, 0))).ok
    refused(g, Move(5, (1, 0)), "stacking limit")


def test_a_fleet_cannot_take_a_city_nor_join_a_ground_attack(make_game):
    g = make_game(
        ["....."],
        [
            unit("aether_cruiser", "red", (1, 0)),
            unit("infantry", "red", (1, 0)),
            unit("garrison", "blue", (2, 0)),
        ],
        cities=[{"name": "Port Town", "at": [3, 0], "vp": 5, "owner": "blue"}],
    )
    refused(g, Attack((0, 1), (2, 0)), "fight in different layers")
    refused(g, Attack((0,), (2, 0)), "no enemy fleet")
    g.state.units.steps[2] = 1  # a sure win, so the question of advancing arises
    refused(g, Attack((1,), (2, 0), advance=(0,)), "only attacking units")
    assert g.submit(Move(0, (3, 0))).ok  # it may hover over the city...
    assert g.state.owner[0, 3] == 1  # ...but the city stays Blue's


def test_fleets_attack_fleets_in_the_air_and_the_loser_falls_back(make_game):
    for seed in range(1, 40):
        g = make_game(
            ["......"] * 3,
            [
                unit("aether_cruiser", "red", (1, 1), experience=5),
                unit("aether_cruiser", "red", (2, 0), experience=5),
                unit("aether_carrier", "blue", (2, 1), steps=3),
                unit("infantry", "blue", (2, 1)),  # on the ground below: not in this fight
            ],
            seed=seed,
        )
        result = g.submit(Attack((0, 1), (2, 1)))
        assert result.ok, result.reason
        assert g.state.units.steps[3] == 8  # the ground is untouched
        check_invariants(g.state)
        if any(r.kind == "retreat" for r in result.reports):
            assert g.state.units_at(2, 1) == [3]
            break
    else:
        pytest.fail("the outnumbered transport never fell back")
    refused(g, Attack((0,), (2, 1), advance=(0,)), "already attacked")


# -- carrying -----------------------------------------------------------------------------------


def carrier_world(make_game, **kw):
    """A transport (12 steps of room) with two rifle divisions (8 steps each) on its hex."""
    return make_game(
        ["......", "......", "......"],
        [
            unit("aether_carrier", "red", (1, 1)),
            unit("infantry", "red", (1, 1)),
            unit("infantry", "red", (1, 1)),
            unit("marines", "red", (0, 1)),
            unit("infantry", "blue", (5, 1)),
        ],
        **kw,
    )


def test_embarking_within_capacity_and_the_refusals(make_game):
    g = carrier_world(make_game)
    result = g.submit(Embark(1, 0))
    assert result.ok and result.reports[0].kind == "embark"
    assert g.state.units.carrier[1] == 0 and g.state.units.moves[1] == 0
    reason = refused(g, Embark(2, 0), "does not fit aboard")
    assert "8 steps" in reason and "8 of its 12 steps are taken" in reason
    refused(g, Embark(3, 0), "is not on")
    refused(g, Embark(0, 0), "cannot board itself")
    refused(g, Embark(2, 4), "does not belong")
    refused(g, Embark(2, 3), "cannot carry units")  # marines are no fleet
    refused(g, Embark(1, 0), "already aboard")


def test_a_unit_without_moves_cannot_board(make_game):
    g = carrier_world(make_game)
    g.state.units.moves[2] = 0.0
    refused(g, Embark(2, 0), "no movement left")


def test_riders_fly_with_the_fleet_and_do_not_count_for_stacking(make_game):
    g = carrier_world(make_game)
    assert g.submit(Embark(1, 0)).ok
    assert g.submit(Move(3, (1, 1))).ok  # the boarded division left room on the ground
    refused(g, Move(1, (2, 1)), "aboard")
    assert g.submit(Move(0, (4, 0))).ok
    u = g.state.units
    assert (u.col[1], u.row[1]) == (4, 0)
    assert 1 not in g.state.units_at(4, 0)  # aboard, not on the ground
    check_invariants(g.state)


def test_landing_next_to_the_fleet_leaves_no_moves(make_game):
    g = carrier_world(make_game)
    assert g.submit(Embark(1, 0)).ok
    assert g.submit(Move(0, (4, 1))).ok
    refused(g, Land(1, (5, 1)), "cannot land on units of another side")
    refused(g, Land(1, (2, 1)), "only on")
    result = g.submit(Land(1, (4, 1)))
    assert result.ok, result.reason
    u = g.state.units
    assert u.carrier[1] == -1 and (u.col[1], u.row[1]) == (4, 1) and u.moves[1] == 0
    refused(g, Move(1, (4, 0)), "no movement left")
    refused(g, Land(1, (3, 1)), "not aboard")
    refused(g, Attack((1,), (5, 1)), "only amphibious units attack as they land")
    check_invariants(g.state)


def test_landing_refused_on_water_and_on_a_full_hex(make_game):
    g = make_game(
        ["..~...", "......"],
        [
            unit("aether_carrier", "red", (1, 0), id="t"),
            unit("infantry", "red", aboard="t"),
            *[unit("garrison", "red", (0, 0)) for _ in range(3)],
            unit("infantry", "blue", (5, 1)),
        ],
    )
    assert g.state.units.carrier[1] == 0  # `aboard: t` in the scenario
    refused(g, Land(1, (2, 0)), "cannot land on lake")
    refused(g, Land(1, (0, 0)), "stacking limit")
    assert g.submit(Land(1, (1, 0))).ok


def test_marines_land_and_attack_at_once_and_take_an_empty_city(make_game):
    g = make_game(
        ["......", "......"],
        [
            unit("aether_cruiser", "red", (2, 0), id="kaga"),
            unit("marines", "red", aboard="kaga"),
            unit("garrison", "blue", (4, 0), steps=2),
        ],
        cities=[{"name": "Fort", "at": [3, 0], "vp": 3, "owner": "blue"}],
    )
    u = g.state.units
    assert u.carrier[1] == 0 and (u.col[1], u.row[1]) == (2, 0)
    result = g.submit(Land(1, (3, 0)))
    assert result.ok, result.reason
    assert any(r.kind == "capture" for r in result.reports)
    assert g.state.owner[0, 3] == 0
    assert g.submit(Attack((1,), (4, 0))).ok  # amphibious: it may fight as it lands


def test_riders_share_their_fleets_losses_and_go_down_with_it(make_game):
    g = make_game(
        ["....."],
        [
            unit("aether_carrier", "red", (1, 0), id="t", steps=1),
            unit("marines", "red", aboard="t"),
            unit("aether_cruiser", "blue", (2, 0), experience=5),
            unit("aether_cruiser", "blue", (0, 0), experience=5),
        ],
    )
    g.submit(EndTurn())
    for _ in range(6):
        if not g.state.units.alive[0]:
            break
        g.state.units.attacked[2:] = False
        result = g.submit(Attack((2, 3), (1, 0)))
        assert result.ok, result.reason
    u = g.state.units
    assert not u.alive[0] and not u.alive[1]
    assert any("goes down with" in r.text for r in result.reports)


def test_a_damaged_fleet_damages_its_riders(make_game):
    from game.turn import take_steps

    g = carrier_world(make_game)
    assert g.submit(Embark(1, 0)).ok
    reports = take_steps(g.state, [0], 2)
    assert g.state.units.steps[0] == 2 and g.state.units.steps[1] == 8 - 2
    assert reports[0].kind == "aboard"


# -- bombardment --------------------------------------------------------------------------------


def bombard_world(make_game, shield=0, dig=0, defender="garrison", seed=1):
    return make_game(
        ["........"] * 3,
        [
            unit("aether_cruiser", "red", (1, 1)),
            unit("aether_cruiser", "red", (2, 0)),
            unit(defender, "blue", (3, 1), entrenchment=dig),
            unit("infantry", "blue", (7, 2)),
        ],
        cities=[{"name": "Vladivostok", "at": [3, 1], "vp": 5, "owner": "blue", "shield": shield}],
        seed=seed,
    )


def test_bombarding_out_of_range_or_at_nothing_is_refused(make_game):
    g = bombard_world(make_game)
    refused(g, Bombard((0,), (7, 2)), "beyond its bombardment range of 2")
    refused(g, Bombard((0,), (2, 2)), "no enemy ground unit")
    refused(g, Bombard((3,), (1, 1)), "does not belong")
    refused(g, Bombard((), (3, 1)), "at least one")
    g.submit(EndTurn())
    refused(g, Bombard((2,), (1, 1)), "cannot bombard")  # a garrison has no bombard_range


def test_bombardment_is_one_sided_and_never_takes_the_hex(make_game):
    hits = 0
    for seed in range(1, 20):
        g = bombard_world(make_game, defender="infantry", seed=seed)
        result = g.submit(Bombard((0, 1), (3, 1)))
        assert result.ok, result.reason
        u = g.state.units
        hits += 8 - int(u.steps[2])
        assert (u.col[2], u.row[2]) == (3, 1) and g.state.owner[1, 3] == 1
        assert u.attacked[0] and u.moves[0] == 0
        refused(g, Bombard((0,), (3, 1)), "already attacked or bombarded")
    assert hits > 0


def test_shield_and_entrenchment_weaken_bombardment_in_the_preview(make_game):
    open_city = bombard_world(make_game).preview_bombard([0, 1], (3, 1))
    shielded = bombard_world(make_game, shield=75).preview_bombard([0, 1], (3, 1))
    dug_in = bombard_world(make_game, dig=3).preview_bombard([0, 1], (3, 1))
    assert shielded.shield == 75
    assert shielded.strength == pytest.approx(open_city.strength * 0.25)
    assert shielded.defender_losses < open_city.defender_losses
    assert dug_in.protection == pytest.approx(open_city.protection * 1.45)
    assert dug_in.defender_losses < open_city.defender_losses
    assert open_city.flak > 0 and open_city.fleet_losses > 0  # the garrison's flak


def test_flak_shoots_back_at_bombarding_fleets(make_game):
    lost = 0
    for seed in range(1, 30):
        g = bombard_world(make_game, seed=seed)
        result = g.submit(Bombard((0, 1), (3, 1)))
        assert result.ok
        lost += result.reports[0].data["flak_losses"]
        assert (4 - g.state.units.steps[0]) + (4 - g.state.units.steps[1]) == (
            result.reports[0].data["flak_losses"]
        )
    assert lost > 0


def test_preview_matches_the_average_of_many_bombardments(make_game):
    preview = bombard_world(make_game).preview_bombard([0, 1], (3, 1))
    losses = []
    for seed in range(1, 200):
        g = bombard_world(make_game, seed=seed)
        losses.append(g.submit(Bombard((0, 1), (3, 1))).reports[0].data["defender_losses"])
    assert sum(losses) / len(losses) == pytest.approx(preview.defender_losses, abs=0.25)


def test_an_event_raises_a_city_shield(make_game):
    g = make_game(
        ["........"] * 3,
        [unit("aether_cruiser", "red", (1, 1)), unit("garrison", "blue", (3, 1))],
        cities=[{"name": "Vladivostok", "at": [3, 1], "vp": 5, "owner": "blue", "shield": 10}],
        events=[
            {
                "id": "power",
                "when": {"turn": 2},
                "title": "Generators at full power",
                "shields": {"Vladivostok": 80},
            }
        ],
    )
    assert g.preview_bombard([0], (3, 1)).shield == 10
    g.submit(EndTurn())
    reports = g.submit(EndTurn()).reports
    assert any(r.kind == "shield" and "80%" in r.text for r in reports)
    assert g.preview_bombard([0], (3, 1)).shield == 80


# -- submarines ---------------------------------------------------------------------------------


def test_submarines_move_on_sea_and_lake_only(make_game):
    from game import movement

    g = make_game(
        ["==~~..", "==~..."],
        [unit("submarine", "red", (0, 0)), unit("infantry", "blue", (5, 1))],
    )
    ctx = movement.context(g.state, 0)
    reach = movement.destinations(ctx, 0)
    width = g.scenario.width
    assert {h % width for h in reach} <= {0, 1, 2, 3}
    assert 1 * width + 2 in reach and 0 * width + 3 in reach
    refused(g, Move(0, (4, 0)), "cannot reach")


# -- scenario files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "message"),
    [
        (
            [unit("infantry", "red", (0, 0), id="f"), unit("marines", "red", aboard="f")],
            "Rifle division cannot carry units",
        ),
        (
            [unit("aether_cruiser", "red", (0, 0), id="f"), unit("infantry", "red", aboard="f")],
            "Rifle division (8 steps) does not fit aboard Aether cruiser squadron: 0 of its 6",
        ),
        (
            [unit("aether_cruiser", "red", (0, 0), id="f"), unit("marines", "red", aboard="g")],
            "unknown fleet id 'g'",
        ),
        (
            [unit("aether_cruiser", "red", (0, 0), id="f"), unit("marines", "blue", aboard="f")],
            "belongs to another faction",
        ),
        (
            [
                unit("aether_cruiser", "red", (0, 0), id="f"),
                unit("marines", "red", (0, 0), aboard="f"),
            ],
            "stands where the fleet is: drop 'at'",
        ),
        (
            [unit("aether_carrier", "red", (0, 0), id="f"), unit("submarine", "red", aboard="f")],
            "fleets cannot carry Submarine flotilla units",
        ),
    ],
)
def test_units_aboard_in_a_scenario_are_checked(make_game, units, message):
    from game.scenario import ScenarioError

    with pytest.raises(ScenarioError) as err:
        make_game(["...", "..="], units)
    assert message in str(err.value), str(err.value)


def test_shield_events_are_checked(make_game):
    from game.scenario import ScenarioError

    city = [{"name": "Vladivostok", "at": [1, 0], "vp": 1, "owner": "blue"}]
    for shields, message in (
        ({"Vladivostock": 50}, "did you mean 'Vladivostok'"),
        ({"Vladivostok": 150}, "150"),
        ([50], "expected a mapping of city names to shields"),
    ):
        event = {"when": {"turn": 1}, "title": "x", "shields": shields}
        with pytest.raises(ScenarioError) as err:
            make_game(["..."], [unit("infantry", "red", (0, 0))], cities=city, events=[event])
        assert message in str(err.value), str(err.value)


def test_a_scenario_may_change_fleet_and_combat_numbers(make_game):
    g = make_game(
        ["..."],
        [unit("aether_cruiser", "red", (0, 0)), unit("infantry", "blue", (2, 0))],
        fleets={"bombard_loss": 0.9},
        combat={"withdraw_odds": 3},
    )
    rules = g.scenario.rules
    assert rules.fleets.bombard_loss == 0.9 and rules.fleets.flak_loss == 0.15  # the rest kept
    assert rules.combat.withdraw_odds == 3 and rules.combat.max_loss == 0.4
    from game.scenario import ScenarioError

    with pytest.raises(ScenarioError) as err:
        make_game(["..."], [unit("infantry", "red", (0, 0))], fleets={"carry_classes": ["aether"]})
    assert "fleets.carry_classes[0]" in str(err.value) and "ground movement class" in str(err.value)


def test_marines_cross_rivers_without_the_defenders_river_bonus(make_game):
    def odds(kind):
        g = make_game(
            ["....", "...."],
            [unit(kind, "red", (1, 0)), unit("infantry", "blue", (2, 0))],
            rivers=[[[2, 0], [2, 1]]],
        )
        dry = make_game(
            ["....", "...."], [unit(kind, "red", (1, 0)), unit("infantry", "blue", (2, 0))]
        )
        return g.preview([0], (2, 0)).odds / dry.preview([0], (2, 0)).odds

    assert odds("infantry") == pytest.approx(1 / 1.5)
    assert odds("marines") == pytest.approx(1.0)  # amphibious


def test_carriers_are_never_carried(make_game):
    """A modded ground unit with `carry` (a mule train) may carry, but not be carried while it
    carries, nor board itself; and what it carries goes where it goes."""
    mule = {"mule": {"inherits": "infantry", "name": "Mule train", "carry": 8}}
    g = make_game(
        [".....", "....."],
        [
            unit("aether_carrier", "red", (1, 0), id="t"),
            unit("mule", "red", (1, 0), id="m"),
            unit("garrison", "red", aboard="m"),
            unit("infantry", "red", (1, 0)),
            unit("infantry", "blue", (4, 1)),
        ],
        unit_types=mule,
    )
    refused(g, Embark(1, 1), "cannot board itself")
    refused(g, Embark(1, 0), "carries units itself")
    assert g.submit(Embark(3, 0)).ok
    assert g.submit(Move(1, (2, 0))).ok
    u = g.state.units
    assert (u.col[2], u.row[2]) == (2, 0)  # the garrison rides with the mule
    check_invariants(g.state)


def test_nested_or_misplaced_riders_in_a_scenario_are_errors(make_game):
    from game.scenario import ScenarioError

    mule = {"mule": {"inherits": "infantry", "name": "Mule train", "carry": 8, "steps": 2}}
    nested = [
        unit("aether_carrier", "red", (0, 0), id="t"),
        unit("mule", "red", aboard="t", id="m"),
        unit("garrison", "red", aboard="m", steps=2),
    ]
    with pytest.raises(ScenarioError) as err:
        make_game(["..."], nested, unit_types=mule)
    assert "a carrier cannot be carried" in str(err.value)
    elsewhere = {
        "turn": 2,
        "faction": "red",
        "at": [1, 0],
        "units": [unit("marines", "red", aboard="t") | {}],
    }
    del elsewhere["units"][0]["faction"]
    with pytest.raises(ScenarioError) as err:
        make_game(
            ["..."],
            [unit("aether_carrier", "red", (0, 0), id="t")],
            reinforcements=[elsewhere],
        )
    assert "'t' is not among these units" in str(err.value)


def test_a_landed_unit_does_not_fire_unless_amphibious(make_game):
    guns = {"field_guns": {"inherits": "artillery", "bombard_range": 1}}
    g = make_game(
        ["....."],
        [
            unit("aether_carrier", "red", (1, 0), id="t"),
            unit("field_guns", "red", aboard="t"),
            unit("infantry", "blue", (3, 0)),
        ],
        unit_types=guns,
    )
    assert g.submit(Land(1, (2, 0))).ok
    refused(g, Bombard((1,), (3, 0)), "only amphibious units fire as they land")


def test_a_withdrawing_fleet_takes_its_riders_losses_with_it(make_game):
    skittish = {"aether_carrier": {"flags": ["withdraw"], "moves": 10}}
    g = make_game(
        ["......"] * 3,
        [
            unit("aether_cruiser", "red", (1, 1)),
            unit("aether_cruiser", "red", (2, 0)),
            unit("aether_carrier", "blue", (2, 1), id="t"),
            unit("infantry", "blue", aboard="t", steps=1),
        ],
        unit_types=skittish,
    )
    result = g.submit(Attack((0, 1), (2, 1)))
    assert result.reports[0].kind == "withdraw", [r.text for r in result.reports]
    assert not g.state.units.alive[3]  # its last step went with the fleet's
    check_invariants(g.state)
