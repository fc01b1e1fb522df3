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


def test_the_quick_update_after_a_command_matches_a_full_look(make_game):
    import copy

    from game.ai.random_player import RandomPlayer

    rows = ["..ff..hh.." * 2] * 10
    kinds = ["cavalry", "infantry", "light_armour"]
    units = [unit(kinds[i % 3], "red", (1 + 2 * (i % 3), 1 + 3 * (i // 3))) for i in range(6)]
    units += [unit(kinds[i % 3], "blue", (12 + 2 * (i % 3), 1 + 3 * (i // 3))) for i in range(6)]
    g = make_game(rows, units, seed=4)
    players = [RandomPlayer(f.index, 4) for f in g.scenario.factions]
    checked = 0

    def submit(cmd):
        nonlocal checked
        result = g.submit(cmd)
        if result.ok and not g.state.finished:
            full = copy.deepcopy(g.state.last_seen)
            probe = copy.copy(g.state)
            probe.last_seen = full
            fog.update_last_seen(probe, g.state.active)
            assert full == g.state.last_seen
            checked += 1
        return result

    while not g.state.finished:
        players[g.state.active].play_turn(g.view, submit)
    assert checked > 20
