"""Saved games: written atomically, loaded from their snapshot (or by replaying the log) to the
same state."""

import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai import make_player
from game.engine import Engine
from game.save import VERSION, SaveError, list_saves, load_game, save_game, verify
from game.scenario import load
from tests.test_simulate import played_through, run

ROOT = Path(__file__).resolve().parent.parent
ULAN_UDE = ROOT / "scenarios" / "ulan_ude_1939.yaml"


def played(turns: int, seed: int = 3) -> Engine:
    engine = Engine(load(ULAN_UDE), seed=seed)
    players = [make_player("normal", f.index, seed) for f in engine.scenario.factions]
    while engine.state.turn <= turns and not engine.state.finished:
        players[engine.state.active].play_turn(engine.view, engine.submit)
    return engine


def test_a_saved_game_loads_to_the_same_state_and_plays_on(tmp_path):
    engine = played(2)
    path = tmp_path / "game.json"
    save_game(path, engine, {"japan": "human", "russia": "normal", "mongols": "normal"})
    loaded, players = load_game(path)
    assert loaded.state.state_hash() == engine.state.state_hash()
    assert players["japan"] == "human"
    assert [s.path for s in list_saves(tmp_path)] == [path]
    assert list_saves(tmp_path)[0].turn == engine.state.turn


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda text: text[: len(text) // 2], "not a saved game"),
        (
            lambda text: text.replace(f'"version": {VERSION}', '"version": 99'),
            "version 99.*newer version",
        ),
        # other dice: the game takes another course, or a command no longer fits it
        (
            lambda text: text.replace('"seed": 3', '"seed": 4'),
            "does not reach the saved position|no longer replays",
        ),
        (lambda text: "[1, 2, 3]", "not a saved game of this game"),
        (lambda text: "[" * 100_000 + "]" * 100_000, "not a saved game"),  # nested too deep
    ],
)
def test_a_damaged_save_gives_a_clean_error(tmp_path, damage, words):
    path = tmp_path / "game.json"
    save_game(path, played(1), {})
    path.write_text(damage(path.read_text()))
    with pytest.raises(SaveError, match=words):
        load_game(path)
    listed = list_saves(tmp_path)
    assert [s.path for s in listed] == [path]  # listed, never hidden
    if "saved position" not in words:  # damage the load list can tell without replaying
        assert re.search(words, listed[0].problem)


def test_saving_into_an_unwritable_place_keeps_the_old_save(tmp_path):
    path = tmp_path / "game.json"
    save_game(path, played(1), {})
    before = path.read_text()
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(SaveError, match="could not save"):
        save_game(blocked / "game.json", played(2), {})  # a file where a folder should be
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".saving")] == []


@pytest.mark.parametrize(
    "edit, words",
    [
        ({"players": {"japan": "bob"}}, "unknown player 'bob'"),
        ({"players": {"prussia": "human"}}, "unknown faction 'prussia'"),
        ({"seed": -1}, "the seed -1"),
        # without the snapshot, the log must replay
        (
            {"log": [{"command": "Move", "unit": 10**30, "to": [1, 1]}], "snapshot": None},
            "command 1",
        ),
    ],
)
def test_play_load_refuses_a_bad_save_with_a_message(tmp_path, edit, words):
    path = tmp_path / "game.json"
    save_game(path, played(1), {"japan": "human"})
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, **edit}))
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy"}
    args = [sys.executable, "run_game.py", "play", "--load", str(path), "--frames", "1"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


def test_a_save_still_loads_when_the_game_folder_moved(tmp_path):
    path = tmp_path / "game.json"
    engine = played(1)
    save_game(path, engine, {})
    record = json.loads(path.read_text())
    record["scenario"] = "/somewhere/else/scenarios/ulan_ude_1939.yaml"
    path.write_text(json.dumps(record))
    assert load_game(path)[0].state.state_hash() == engine.state.state_hash()


@pytest.mark.parametrize(("name", "stop"), [("siberia_1939", 9), ("altun_shan_1943", 11)])
def test_a_campaign_saved_mid_game_and_played_on_ends_as_one_played_through(tmp_path, name, stop):
    from game.simulate import new_engine, play_on

    path = ROOT / "scenarios" / f"{name}.yaml"
    through = played_through(name, 2)
    first, engine = play_on(new_engine(path, 2), {}, turns=stop)
    assert not first["finished"] and first["turns"] == stop + 1
    save = tmp_path / "game.json"
    save_game(save, engine, {})
    loaded, _ = load_game(save)
    rest, _ = play_on(loaded, {})
    assert rest["finished"] and rest["state_hash"] == through["state_hash"]


def test_simulate_stops_saves_and_plays_a_save_on(tmp_path):
    save = tmp_path / "game.json"
    stopped = run("simulate", "ulan_ude_1939", "--seed", "4", "--turns", "3", "--save", str(save))
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped after turn 3" in stopped.stdout and str(save) in stopped.stdout
    assert json.loads(save.read_text())["turn"] == 4
    rest = run("simulate", "--load", str(save), "--json")
    whole = run("simulate", "ulan_ude_1939", "--seed", "4", "--json")
    assert rest.returncode == 0 and whole.returncode == 0, rest.stderr + whole.stderr
    end, through = json.loads(rest.stdout), json.loads(whole.stdout.splitlines()[0])
    assert end["finished"] and end["state_hash"] == through["state_hash"]


def test_replay_verify_checks_the_position_and_names_what_breaks(tmp_path):
    save = tmp_path / "game.json"
    save_game(save, played(2), {})
    good = run("replay", str(save), "--verify")
    assert good.returncode == 0 and "the position matches the save" in good.stdout
    told = run("replay", str(save))
    assert told.returncode == 0 and "Turn 2" in told.stdout  # the story, then the check
    record = json.loads(save.read_text())
    record["state_hash"] = "0" * 64
    save.write_text(json.dumps(record))
    bad = run("replay", str(save), "--verify")
    assert bad.returncode == 1 and "does not reach the saved position" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["simulate", "ulan_ude_1939", "--games", "2", "--turns", "2"], "play one game"),
        (["simulate", "--load", "x.json", "--seed", "3"], "carries its own scenario and seed"),
        (["simulate", "--turns", "2"], "name a scenario"),
        (["simulate", "ulan_ude_1939", "--save", ""], "--save needs the name"),
    ],
)
def test_simulate_options_that_do_not_go_together_are_refused(args, words):
    result = run(*args)
    assert result.returncode == 2 and words in result.stderr


def test_simulate_load_of_a_save_naming_a_faction_its_scenario_lacks_names_the_file(tmp_path):
    save = tmp_path / "game.json"
    save_game(save, played(1), {})
    record = json.loads(save.read_text())
    save.write_text(json.dumps({**record, "players": {"martians": "normal"}}))
    result = run("simulate", "--load", str(save))
    assert result.returncode == 1 and f"{save}: unknown faction 'martians'" in result.stderr


def test_simulate_save_into_an_unwritable_place_is_a_clean_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("simulate", "siberia_1939", "--save", str(blocker / "g.json"))
    assert result.returncode == 1 and f"{blocker} is a file, not a folder" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr  # told before playing


def test_a_save_from_format_version_1_still_loads():
    # written by the game before saves carried their scenario (kept as it was, never rewritten)
    old = ROOT / "tests" / "saves" / "ulan_ude_v1.json"
    record = json.loads(old.read_text())
    assert record["version"] == 1 and "files" not in record
    engine, players = load_game(old)
    assert engine.state.state_hash() == record["state_hash"] and engine.state.turn == 3
    assert players == {"japan": "human", "russia": "normal", "mongols": "normal"}


def test_a_save_from_format_version_2_still_loads():
    # written by the game before saves carried a snapshot (kept as it was, never rewritten)
    old = ROOT / "tests" / "saves" / "ulan_ude_v2.json"
    record = json.loads(old.read_text())
    assert record["version"] == 2 and "snapshot" not in record and "files" in record
    engine, players = load_game(old)
    assert engine.state.state_hash() == record["state_hash"] and engine.state.turn == 3
    assert players == {"japan": "human", "russia": "normal", "mongols": "normal"}


def test_a_save_loads_from_its_snapshot_without_replaying_a_command(tmp_path, monkeypatch):
    engine = played(3)
    path = tmp_path / "game.json"
    save_game(path, engine, {})

    def no_replays(self, cmd):
        raise AssertionError("a command was replayed")

    monkeypatch.setattr(Engine, "submit", no_replays)
    loaded, _ = load_game(path)
    assert loaded.state.state_hash() == engine.state.state_hash()
    assert loaded.log == engine.log
    assert loaded.state.units.names == engine.state.units.names
    assert loaded.state.history == engine.state.history


def test_a_damaged_snapshot_is_passed_over_for_the_log_and_verify_names_it(tmp_path):
    engine = played(2)
    path = tmp_path / "game.json"
    save_game(path, engine, {})
    record = json.loads(path.read_text())
    record["snapshot"]["units"]["steps"][0] += 1  # the checksum no longer holds
    path.write_text(json.dumps(record))
    assert load_game(path)[0].state.state_hash() == engine.state.state_hash()
    with pytest.raises(SaveError, match="its snapshot is damaged"):
        verify(path)
    result = run("replay", str(path), "--verify")
    assert result.returncode == 1 and "snapshot is damaged" in result.stderr


def test_a_loaded_game_cannot_undo_the_moves_made_before_it_was_saved(tmp_path):
    from game.commands import Move, Undo

    engine = Engine(load(ULAN_UDE), seed=1)
    uid = int(engine.state.faction_units(0)[0])
    col, row = int(engine.state.units.col[uid]), int(engine.state.units.row[uid])
    to = next(
        (c, r)
        for c, r in ((col + 1, row), (col - 1, row), (col, row + 1), (col, row - 1))
        if engine.submit(Move(uid, (c, r)))
    )
    assert engine.undo_problem() is None and engine.log[-1] == Move(uid, to)
    path = tmp_path / "game.json"
    save_game(path, engine, {})
    loaded, _ = load_game(path)
    assert not loaded.submit(Undo())
    assert "before the game was loaded" in str(loaded.undo_problem())


def test_a_full_disk_while_saving_keeps_the_old_save(tmp_path, monkeypatch):
    path = tmp_path / "game.json"
    save_game(path, played(1), {})
    before = path.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SaveError, match=f"could not save to {re.escape(str(path))}: No space"):
        save_game(path, played(2), {})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["game.json"]  # no half-written file left


def test_a_save_can_be_read_by_whoever_the_players_files_can(tmp_path):
    old = os.umask(0o022)
    try:
        save_game(tmp_path / "game.json", played(1), {})
    finally:
        os.umask(old)
    assert (tmp_path / "game.json").stat().st_mode & 0o777 == 0o644


def own_copy(tmp_path: Path) -> Path:
    """A copy of Ulan-Ude with its rules, as a modder's scenario in a folder of its own."""
    folder = tmp_path / "mod"
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "core.yaml").write_text((ROOT / "scenarios/rules/core.yaml").read_text())
    path = folder / "my_ulan_ude.yaml"
    path.write_text(ULAN_UDE.read_text())
    return path


def test_a_save_outlives_its_scenario_being_edited_or_deleted(tmp_path):
    path = own_copy(tmp_path)
    engine = Engine(load(path), seed=3)
    players = [make_player("normal", f.index, 3) for f in engine.scenario.factions]
    while engine.state.turn <= 2:
        players[engine.state.active].play_turn(engine.view, engine.submit)
    save = tmp_path / "game.json"
    save_game(save, engine, {})
    # the modder changes the scenario: the game goes on with the one it was played with
    path.write_text(path.read_text().replace("turns: 8", "turns: 5"))
    loaded, _ = load_game(save)
    assert loaded.state.state_hash() == engine.state.state_hash()
    assert loaded.scenario.turns == 8 and loaded.scenario.path == str(path.resolve())
    # ... and saving it again keeps the copy it came from
    save_game(save, loaded, {})
    path.unlink()
    (tmp_path / "mod" / "rules" / "core.yaml").unlink()
    again, _ = load_game(save)
    assert again.state.state_hash() == engine.state.state_hash()


def test_a_damaged_copy_of_the_scenario_gives_a_clean_error(tmp_path):
    path = own_copy(tmp_path)
    save = tmp_path / "game.json"
    save_game(save, Engine(load(path), seed=1), {})
    path.unlink()
    record = json.loads(save.read_text())
    files = record["files"]
    files["scenario"] = files["scenario"].replace("turns: 8", "turns: 9")
    save.write_text(json.dumps(record))
    with pytest.raises(SaveError, match="copy of its scenario is damaged"):
        load_game(save)
    files["scenario"] = files["scenario"].replace("turns: 9", "turns: 8").replace("rules:", "r:")
    record["content_hash"] = hashlib.sha256(
        (files["scenario"] + files["rules"]).encode()
    ).hexdigest()
    save.write_text(json.dumps(record))
    with pytest.raises(SaveError, match="names no rules file"):
        load_game(save)
    files["scenario"] = files["scenario"].replace("r:", "rules:").replace("turns: 8", "turns: x")
    record["content_hash"] = hashlib.sha256(
        (files["scenario"] + files["rules"]).encode()
    ).hexdigest()
    save.write_text(json.dumps(record))
    with pytest.raises(SaveError, match="does not load") as caught:
        load_game(save)
    assert str(path.resolve()) in str(caught.value) and "aether-front-" not in str(caught.value)
    del record["files"]
    save.write_text(json.dumps(record))
    with pytest.raises(SaveError, match="'files'"):
        load_game(save)


@pytest.mark.parametrize("where", ["../rules/core.yaml", "absolute"])
def test_a_save_outlives_an_edit_whatever_path_names_the_rules(tmp_path, where):
    folder = tmp_path / "scenarios" / "mods"
    folder.mkdir(parents=True)
    (tmp_path / "scenarios" / "rules").mkdir()
    rules = tmp_path / "scenarios" / "rules" / "core.yaml"
    rules.write_text((ROOT / "scenarios/rules/core.yaml").read_text())
    named = str(rules) if where == "absolute" else where
    path = folder / "my.yaml"
    path.write_text(ULAN_UDE.read_text().replace("rules: rules/core.yaml", f"rules: {named}"))
    engine = Engine(load(path), seed=2)
    save = tmp_path / "game.json"
    save_game(save, engine, {})
    path.write_text(path.read_text() + "# edited\n")
    rules.unlink()
    loaded, _ = load_game(save)
    assert loaded.state.state_hash() == engine.state.state_hash()
    assert loaded.scenario.texts == engine.scenario.texts
    assert verify(save).state.state_hash() == engine.state.state_hash()


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        ({"seed": "SEED"}, "not a saved game"),  # a number too long for Python to read
        ({"scenario": "/gone/ulan\x00ude.yaml", "content_hash": "0"}, "is damaged"),
        ({"scenario": "/gone/ulan\ud800.yaml", "content_hash": "0"}, "is damaged"),
        ({"players": {"martians": "normal"}}, "unknown faction 'martians'"),
        ({"version": True}, "'version' is missing or damaged"),
        ({"version": "3"}, "'version' is missing or damaged"),
    ],
)
def test_odd_values_in_a_save_give_clean_errors(tmp_path, edit, words):
    save = tmp_path / "game.json"
    save_game(save, played(1), {})
    record = json.loads(save.read_text())
    text = json.dumps({**record, **edit}).replace('"SEED"', "9" * 5000)
    save.write_text(text, encoding="utf-8", errors="surrogatepass")
    with pytest.raises(SaveError, match=re.escape(words)):
        load_game(save)
    assert [s.problem != "" for s in list_saves(tmp_path)] in ([True], [False])  # listed


def test_a_save_never_writes_over_what_is_not_a_save_file(tmp_path):
    engine = played(1)
    with pytest.raises(SaveError, match="not a file"):
        save_game(tmp_path, engine, {})  # a folder
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(SaveError, match="notes.txt is a file, not a folder"):
        save_game(tmp_path / "notes.txt" / "game.json", engine, {})
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(SaveError, match="not a file"):
        save_game(tmp_path / "pipe.json", engine, {})
    with pytest.raises(SaveError, match="not a file"):
        load_game(tmp_path / "pipe.json")  # at once: it never waits for a writer
    # a link is followed: the save goes where it points, and the link stays
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "real.json")
    save_game(link, engine, {})
    assert link.is_symlink() and (tmp_path / "real.json").is_file()
    assert load_game(link)[0].state.state_hash() == engine.state.state_hash()


# -- damaged saves: whatever happens to the bytes, a clean SaveError or the saved position ---------
_SAVED: dict[str, bytes] = {}


def saved_bytes() -> bytes:
    if not _SAVED:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "game.json"
            save_game(path, played(1), {"japan": "human"})
            _SAVED["game"] = path.read_bytes()
    return _SAVED["game"]


def loads_cleanly_or_not_at_all(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "damaged.json"
    path.write_bytes(data)
    try:
        engine, _ = load_game(path)
    except SaveError as exc:
        assert str(path) in str(exc)
        return
    # it loaded: then it is the saved game, at the saved position
    assert engine.state.state_hash() == json.loads(saved_bytes())["state_hash"]


DAMAGE = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@DAMAGE
@given(st.floats(0, 1))
def test_a_truncated_save_gives_a_clean_error(tmp_path, share):
    data = saved_bytes()
    loads_cleanly_or_not_at_all(tmp_path, data[: int(len(data) * share)])


@DAMAGE
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 7)), min_size=1, max_size=4))
def test_a_save_with_flipped_bits_gives_a_clean_error_or_loads_as_it_was(tmp_path, flips):
    data = bytearray(saved_bytes())
    for where, bit in flips:
        data[min(int(len(data) * where), len(data) - 1)] ^= 1 << bit
    loads_cleanly_or_not_at_all(tmp_path, bytes(data))


@DAMAGE
@given(st.floats(0, 1), st.integers(-(10**20), 10**20))
def test_a_save_with_an_edited_number_gives_a_clean_error_or_loads_as_it_was(
    tmp_path, where, number
):
    text = saved_bytes().decode()
    spots = [m.span() for m in re.finditer(r"-?\d+", text)]
    start, end = spots[min(int(len(spots) * where), len(spots) - 1)]
    loads_cleanly_or_not_at_all(tmp_path, (text[:start] + str(number) + text[end:]).encode())


@DAMAGE
@given(st.integers(VERSION + 1, 10**9))
def test_a_save_from_a_newer_version_says_so(tmp_path, version):
    record = json.loads(saved_bytes())
    path = tmp_path / "newer.json"
    path.write_text(json.dumps({**record, "version": version}))
    with pytest.raises(SaveError, match=f"version {version}.*newer version of the game"):
        load_game(path)
