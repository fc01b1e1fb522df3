"""Cavalry on tiny worlds: horse movement, withdrawal before combat and vision. (Leaving zones
of control is in test_movement, the charge bonus in test_edge_cases, exploitation in
test_engine.)"""

from game import fog, hexgrid, movement
from game.commands import Attack


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def test_horses_are_cheap_on_steppe_desert_and_hills(make_game):
    g = make_game(
        ["hdh.d.h.", "........"],
        [
            unit("cavalry", "red", (0, 0)),
            unit("infantry", "red", (0, 0)),
            unit("infantry", "blue", (7, 1)),
        ],
    )
    ctx = movement.context(g.state, 0)
    width = g.scenario.width
    cav, inf = movement.destinations(ctx, 0), movement.destinations(ctx, 1)
    assert cav[4] == 4 and cav[5] == 5  # a point a hex over hills and desert
    assert inf[1] == 2 and 2 not in inf  # twice that on foot
    assert 1 * width + 5 not in cav


def raid(make_game, attackers=("infantry",), defender="cavalry", rows=None, **kw):
    """Red attacks a Blue unit at (2, 1) from the west; Blue has open country behind it."""
    spots = [(1, 1), (2, 0), (2, 2)]
    units = [unit(kind, "red", spot) for kind, spot in zip(attackers, spots, strict=False)]
    units.append(unit(defender, "blue", (2, 1), **kw))
    g = make_game(rows or ["......"] * 3, units)
    return g, list(range(len(attackers))), len(attackers)


def test_cavalry_withdraws_from_slower_attackers_giving_up_a_step(make_game):
    g, att, cav = raid(make_game, ("infantry", "infantry"))
    assert g.withdrawals(att, (2, 1)) == [cav]
    preview = g.preview(att, (2, 1))
    assert preview.retreat_chance == 1.0 and preview.attacker_losses == 0
    before = g.state.rng.bit_generator.state
    u = g.state.units
    came_from = [(int(u.col[a]), int(u.row[a])) for a in att]
    result = g.submit(Attack(tuple(att), (2, 1), advance=(0,)))
    assert result.ok, result.reason
    kinds = [r.kind for r in result.reports]
    assert kinds[0] == "withdraw" and "battle" not in kinds and "advance" in kinds
    u = g.state.units
    assert u.steps[cav] == 6 - 1
    assert (u.col[cav], u.row[cav]) != (2, 1)
    for col, row in came_from:  # at least two hexes from every attacker
        assert hexgrid.distance(col, row, int(u.col[cav]), int(u.row[cav])) >= 2
    assert (u.col[0], u.row[0]) == (2, 1)  # the infantry walks into the empty hex
    assert g.state.rng.bit_generator.state == before  # no dice were rolled


def test_cavalry_stands_against_as_fast_attackers(make_game):
    g, att, _ = raid(make_game, ("cavalry", "infantry"))
    assert g.withdrawals(att, (2, 1)) == []
    result = g.submit(Attack(tuple(att), (2, 1)))
    assert any(r.kind == "battle" for r in result.reports)


def test_cavalry_stands_when_the_odds_are_low(make_game):
    g, att, _ = raid(make_game, ("garrison",))  # a garrison is slow but weak in attack
    assert g.preview(att, (2, 1)).odds < g.scenario.rules.combat.withdraw_odds
    assert g.withdrawals(att, (2, 1)) == []


def test_cavalry_stands_with_no_room_behind_or_no_step_to_spare(make_game):
    g, att, _ = raid(make_game, ("infantry", "infantry"), rows=["...~~~"] * 3)
    assert g.withdrawals(att, (2, 1)) == []  # water all round it
    g, att, _ = raid(make_game, ("infantry", "infantry"), steps=1)
    assert g.withdrawals(att, (2, 1)) == []


def test_only_the_withdraw_flag_steps_back(make_game):
    g, att, _ = raid(make_game, ("garrison", "garrison"), defender="artillery")
    assert g.withdrawals(att, (2, 1)) == []  # artillery is faster than a garrison, but has no flag


def test_a_stack_fights_on_when_only_its_cavalry_withdraws(make_game):
    g = make_game(
        ["......"] * 3,
        [
            unit("infantry", "red", (1, 1)),
            unit("infantry", "red", (2, 0)),
            unit("infantry", "red", (2, 2)),
            unit("cavalry", "blue", (2, 1)),
            unit("garrison", "blue", (2, 1), steps=2),
        ],
    )
    assert g.withdrawals([0, 1, 2], (2, 1)) == [3]
    result = g.submit(Attack((0, 1, 2), (2, 1)))
    kinds = [r.kind for r in result.reports]
    assert kinds[0] == "withdraw" and "battle" in kinds
    battle = next(r for r in result.reports if r.kind == "battle")
    assert "Cavalry" not in battle.text  # only the garrison fought


def test_cavalry_sees_farther_than_infantry(make_game):
    g = make_game(
        ["........"] * 2,
        [unit("cavalry", "red", (0, 0)), unit("infantry", "blue", (7, 1))],
    )
    seen = fog.visible(g.state, "red")
    assert seen[0, 3] and not seen[0, 4]  # vision 3
    g2 = make_game(
        ["........"] * 2,
        [unit("infantry", "red", (0, 0)), unit("infantry", "blue", (7, 1))],
    )
    seen = fog.visible(g2.state, "red")
    assert seen[0, 2] and not seen[0, 3]  # vision 2
