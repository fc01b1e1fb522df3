"""Attacks, retreats, advances and turns, played by submitting commands to tiny worlds."""

import numpy as np
import pytest

from game.commands import Attack, EndTurn, Move, from_record, to_record


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def duel(make_game, attacker="infantry", defender="infantry", seed=1, rows=None, **kw):
    return make_game(
        rows or ["......"] * 3,
        [
            unit(attacker, "red", (1, 1), **kw.pop("att", {})),
            unit(defender, "blue", (2, 1), **kw.pop("dfn", {})),
        ],
        seed=seed,
        **kw,
    )


def test_attack_refusals_explain_and_change_nothing(make_game):
    g = make_game(
        ["......"] * 3,
        [
            unit("infantry", "red", (0, 1)),
            unit("infantry", "red", (1, 1)),
            unit("infantry", "blue", (2, 1)),
        ],
    )
    before = g.state.state_hash()
    cases = {
        Attack((0,), (2, 1)): "not next to",
        Attack((1,), (1, 0)): "no enemy",
        Attack((2,), (1, 1)): "does not belong",
        Attack((), (2, 1)): "at least one",
        Attack((1, 1), (2, 1)): "twice",
        Attack((1,), (2, 1), advance=(0,)): "only attacking units",
        Attack((1,), (12, 1)): "off the map",
    }
    for cmd, fragment in cases.items():
        result = g.submit(cmd)
        assert not result.ok and fragment in result.reason, (cmd, result.reason)
    assert g.state.state_hash() == before


def test_each_unit_attacks_once_a_turn(make_game):
    g = duel(make_game, dfn={"steps": 8})
    assert g.submit(Attack((0,), (2, 1))).ok
    again = g.submit(Attack((0,), (2, 1)))
    assert not again.ok and "already attacked" in again.reason


def test_losses_come_from_the_game_generator_and_replay_identically(make_game):
    results = []
    for _ in range(2):
        g = duel(make_game, seed=7)
        g.submit(Attack((0,), (2, 1)))
        results.append((g.state.units.steps.tolist(), g.state.state_hash()))
    assert results[0] == results[1]


def test_preview_does_not_touch_the_generator(make_game):
    g = duel(make_game)
    before = g.state.state_hash()
    preview = g.preview([0], (2, 1))
    assert preview.odds > 0 and 0 <= preview.retreat_chance <= 1
    assert g.state.state_hash() == before


def test_a_beaten_defender_retreats_away_and_the_winner_advances(make_game):
    # overwhelming odds: three full-strength attacks from three sides against a weak garrison
    for seed in range(1, 30):
        g = make_game(
            ["......"] * 4,
            [
                unit("guard", "red", (1, 1)),
                unit("guard", "red", (2, 0)),
                unit("guard", "red", (2, 2)),
                unit("garrison", "blue", (2, 1), steps=6),
            ],
            cities=[{"name": "Post", "at": [2, 1], "owner": "blue", "vp": 3}],
            seed=seed,
        )
        result = g.submit(Attack((0, 1, 2), (2, 1), advance=(0,)))
        assert result.ok
        u = g.state.units
        if not u.alive[3] or (u.col[3], u.row[3]) != (2, 1):
            break
    else:
        raise AssertionError("the garrison never gave way")
    if u.alive[3]:
        assert (int(u.col[3]), int(u.row[3])) == (3, 1)  # the one hex away from all attackers
    assert (int(u.col[0]), int(u.row[0])) == (2, 1)
    assert g.state.owner[1, 2] == 0  # the post is taken


def test_cavalry_exploits_a_win_infantry_does_not(make_game):
    def after_win(kind):
        for seed in range(1, 60):
            g = make_game(
                ["......"] * 3,
                [
                    unit(kind, "red", (1, 1)),
                    unit(kind, "red", (2, 0)),
                    unit("garrison", "blue", (2, 1), steps=1),
                ],
                seed=seed,
            )
            g.submit(Attack((0, 1), (2, 1)))
            if not g.state.defenders_at(2, 1, 0):
                return g.state.units.moves[0]
        raise AssertionError("never won")

    assert after_win("cavalry") > 0
    assert after_win("infantry") == 0


def test_end_turn_passes_to_the_next_faction_and_digs_in(make_game):
    g = duel(make_game)
    assert g.state.active == 0
    assert g.submit(EndTurn()).ok
    assert g.state.active == 1
    assert g.state.units.entrenchment[0] == 1  # red held still all turn
    g.submit(EndTurn())
    assert g.state.turn == 2 and g.state.active == 0


def test_moving_resets_entrenchment(make_game):
    g = duel(make_game, att={"entrenchment": 2})
    g.submit(Move(0, (0, 1)))
    assert g.state.units.entrenchment[0] == 0


def test_commands_round_trip_through_records():
    for cmd in (Move(3, (4, 5)), Attack((1, 2), (3, 3), advance=(1,)), EndTurn()):
        assert from_record(to_record(cmd)) == cmd


def test_state_views_are_read_only(make_game):
    g = duel(make_game)
    view = g.view
    with pytest.raises(ValueError):
        view.units.steps[0] = 99
    assert g.state.units.steps[0] != 99
    assert not hasattr(view, "rng")
    with pytest.raises(TypeError):
        view.last_seen[0][99] = (0, 0, 0, 0)
    assert isinstance(view.owner, np.ndarray) and not view.owner.flags.writeable
