"""What each side sees."""

from game import fog
from game.commands import EndTurn, Move


def unit(kind, faction, at, **kw):
    return {"type": kind, "faction": faction, "at": list(at), **kw}


def test_vision_reaches_its_range_and_no_further(make_game):
    g = make_game(
        ["." * 12] * 3, [unit("infantry", "red", (0, 1)), unit("infantry", "blue", (11, 1))]
    )
    seen = fog.visible(g.state, "red")
    assert seen[1, 2] and not seen[1, 3]  # infantry sees 2 hexes


def test_allies_share_what_they_see(make_game):
    factions = [
        {"id": "red", "name": "Red", "side": "x"},
        {"id": "pink", "name": "Pink", "side": "x"},
        {"id": "blue", "name": "Blue", "side": "y"},
    ]
    g = make_game(
        ["." * 12] * 3,
        [
            unit("infantry", "red", (0, 1)),
            unit("infantry", "pink", (10, 1)),
            unit("infantry", "blue", (6, 1)),
        ],
        factions=factions,
    )
    seen = fog.visible(g.state, "x")
    assert seen[1, 0] and seen[1, 10] and not seen[1, 5]


def test_last_seen_positions_are_kept_and_corrected(make_game):
    g = make_game(
        ["." * 12] * 3, [unit("cavalry", "red", (0, 1)), unit("infantry", "blue", (3, 1))]
    )
    memory = g.state.last_seen[0]
    assert 1 in memory and memory[1][:2] == (3, 1)
    g.submit(Move(0, (0, 0)))
    g.submit(EndTurn())  # blue moves away while red is not looking
    g.submit(Move(1, (6, 1)))
    g.submit(EndTurn())
    assert g.state.last_seen[0][1][:2] == (3, 1)  # out of sight: the old sighting stays
    assert g.submit(Move(0, (4, 1))).ok
    assert g.state.last_seen[0][1][:2] == (6, 1)  # seen again where it really is
