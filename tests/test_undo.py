"""Undo: taking back moves that taught the mover nothing, played by submitting commands."""

from game.commands import Attack, Embark, EndTurn, Land, Move, Undo, from_record, to_record
from game.engine import Engine
from tests.invariants import check_invariants

ROWS = ["." * 12] * 3


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def quiet_world(make_game, **kw):
    """Two red rifle divisions on the left; the only blue one far out of their sight."""
    return make_game(
        ROWS,
        [
            unit("infantry", "red", (0, 1)),
            unit("infantry", "red", (0, 2)),
            unit("infantry", "blue", (11, 1)),
        ],
        **kw,
    )


def refused_undo(g, fragment):
    """Undo is refused with a reason holding `fragment`, and changes nothing."""
    before, log = g.state.state_hash(), list(g.log)
    result = g.submit(Undo())
    assert not result.ok
    assert result.reason.startswith("nothing to undo") and fragment in result.reason, result.reason
    assert g.undo_problem() == result.reason
    assert g.state.state_hash() == before and g.log == log


def test_a_move_and_its_capture_are_undone_to_the_same_state_and_log(make_game):
    g = quiet_world(make_game, cities=[{"name": "Ford", "at": [2, 1], "owner": "blue", "vp": 2}])
    before = g.state.state_hash()
    assert g.undo_problem() is not None  # nothing has moved yet
    assert g.submit(Move(0, (2, 1))).ok
    assert g.state.owner[1, 2] == 0 and g.state.state_hash() != before
    assert g.undo_problem() is None
    result = g.submit(Undo())
    assert result.ok, result.reason
    assert [r.kind for r in result.reports] == ["undo"]
    assert result.reports[0].text == "Undone: Rifle division's move to Ford"
    assert g.state.state_hash() == before
    assert g.log == [] and g.state.owner[1, 2] == 1 and g.state.units.col[0] == 0
    check_invariants(g.state)
    assert g.submit(Move(0, (2, 1))).ok  # the unit may move again as if it never had


def test_two_moves_are_taken_back_newest_first(make_game):
    g = quiet_world(make_game)
    start = g.state.state_hash()
    assert g.submit(Move(0, (2, 1))).ok
    after_first = g.state.state_hash()
    assert g.submit(Move(1, (1, 2))).ok
    assert g.submit(Undo()).ok
    assert g.state.state_hash() == after_first and g.log == [Move(0, (2, 1))]
    assert g.submit(Undo()).ok
    assert g.state.state_hash() == start and g.log == []
    refused_undo(g, "no unit has moved")


def test_boarding_flying_and_landing_are_undone(make_game):
    g = make_game(
        ["." * 12] * 3,
        [
            unit("aether_carrier", "red", (1, 1)),
            unit("infantry", "red", (1, 1)),
            unit("infantry", "blue", (11, 1)),
        ],
    )
    start = g.state.state_hash()
    assert g.submit(Embark(1, 0)).ok
    assert g.submit(Move(0, (3, 1))).ok
    assert g.submit(Land(1, (3, 1))).ok
    texts = [g.submit(Undo()).reports[0].text for _ in range(3)]
    assert texts == [
        "Undone: Rifle division's landing at the steppe at (3, 1)",
        f"Undone: {g.state.units.names[0]}'s move to the steppe at (3, 1)",
        f"Undone: Rifle division boarding {g.state.units.names[0]}",
    ]
    assert g.state.state_hash() == start and g.log == []
    assert g.state.units.carrier[1] == -1


def test_an_attack_seals_the_moves_before_it(make_game):
    g = make_game(
        ROWS,
        [
            unit("infantry", "red", (1, 1)),
            unit("infantry", "red", (0, 0)),
            unit("infantry", "blue", (2, 1), steps=8),
        ],
    )
    assert g.submit(Move(1, (1, 0))).ok  # next to the blue division red already sees
    assert g.undo_problem() is None  # nothing new was seen: it could still be taken back
    assert g.submit(Attack((0,), (2, 1))).ok
    refused_undo(g, "an attack cannot be taken back")
    assert len(g.log) == 2


def test_a_move_that_shows_an_enemy_cannot_be_undone(make_game):
    g = make_game(
        ROWS,
        [
            unit("infantry", "red", (0, 1)),
            unit("infantry", "red", (0, 2)),
            unit("infantry", "blue", (5, 1)),
        ],
    )
    assert 2 not in g.state.last_seen[0]
    assert g.submit(Move(1, (1, 2))).ok  # sees nothing new
    assert g.submit(Move(0, (3, 1))).ok  # the blue division comes into sight
    assert 2 in g.state.last_seen[0]
    refused_undo(g, "showed something new about the enemy")  # nor the move before it


def test_a_move_that_disproves_a_sighting_cannot_be_undone(make_game):
    g = make_game(
        ROWS,
        [
            unit("cavalry", "red", (0, 1)),
            unit("infantry", "red", (0, 2)),
            unit("infantry", "blue", (3, 1)),
        ],
    )
    assert g.submit(Move(0, (0, 0))).ok
    assert g.submit(EndTurn()).ok
    assert g.submit(Move(2, (6, 1))).ok  # blue slips away while red is not looking
    assert g.submit(EndTurn()).ok
    assert g.state.last_seen[0][2][:2] == (3, 1)  # red still believes it is there
    assert g.submit(Move(0, (1, 0))).ok  # and now sees that it is gone
    assert 2 not in g.state.last_seen[0]
    refused_undo(g, "showed something new")


def test_a_move_that_sets_off_an_event_cannot_be_undone(make_game):
    g = quiet_world(
        make_game,
        cities=[{"name": "Ford", "at": [2, 1], "owner": "blue", "vp": 1}],
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
    assert g.submit(Move(0, (2, 1))).ok
    refused_undo(g, "set off an event")


def test_the_end_of_a_turn_seals_the_moves_before_it(make_game):
    g = quiet_world(make_game)
    refused_undo(g, "no unit has moved")
    assert g.submit(Move(0, (2, 1))).ok
    assert g.submit(EndTurn()).ok
    refused_undo(g, "no unit has moved")  # blue to move: red's move is out of reach
    assert len(g.log) == 2


def test_an_undone_game_replays_from_its_log_to_the_same_state(make_game):
    g = make_game(
        ROWS,
        [
            unit("infantry", "red", (1, 1)),
            unit("infantry", "red", (0, 2)),
            unit("infantry", "blue", (2, 1), steps=8),
        ],
    )
    assert g.submit(Move(1, (2, 2))).ok
    assert g.submit(Undo()).ok
    assert g.submit(Move(1, (1, 2))).ok
    assert g.submit(Attack((0,), (2, 1))).ok
    assert g.submit(EndTurn()).ok
    assert g.submit(EndTurn()).ok
    assert g.submit(Move(1, (0, 2))).ok
    assert g.submit(Move(1, (0, 1))).ok
    assert g.submit(Undo()).ok
    assert not any(isinstance(cmd, Undo) for cmd in g.log)
    replay = Engine(g.scenario, seed=g.state.seed)
    for cmd in g.log:
        assert replay.submit(cmd).ok
    assert replay.state.state_hash() == g.state.state_hash()


def test_undo_survives_a_record_round_trip():
    assert to_record(Undo()) == {"command": "Undo"}
    assert from_record(to_record(Undo())) == Undo()


def test_a_snapshot_puts_back_everything_a_game_changes(make_game):
    g = quiet_world(make_game)
    state = g.state
    before = state.state_hash()
    snap = state.snapshot()
    state.rng.random()
    state.units.add([g.scenario.units[0]])  # the table grows, as when reinforcements arrive
    state.units.steps[0] -= 1
    state.owner[0, 0], state.fired[...], state.turn, state.active = 1, True, 4, 1
    state.last_seen[0][2] = (11, 1, 0, 1)
    state.history.append({"turn": [1], "vp": [0, 0], "steps": [16, 8]})
    state.restore(snap)
    assert state.state_hash() == before
    assert len(state.units) == 3 and len(state.units.alive) == 3
