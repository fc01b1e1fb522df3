"""Saved games: the scenario's name, content hash and text (with its rules), the seed, who plays
each faction, the command log and a snapshot of the position, written atomically (a temporary
file in the same folder, flushed to disk, then renamed over the old one) so that a crash while
saving leaves the previous save whole.

Loading puts the snapshot in place when it is whole (its checksum holds and it hashes to the
saved state hash); otherwise, and for replays, the log is replayed from the seed and checked
against the saved state hash. The scenario comes from its file when that still holds what the
game was played with, else from the copy in the save: a save outlives an edited or deleted
scenario. Version 1 saves (no copy, no snapshot) load while their scenario file is unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from game.commands import from_record, to_record
from game.engine import Engine
from game.scenario import Scenario, ScenarioError, load
from game.snapshot import checksum, restore_record, snapshot_record
from game.turn import Report

FORMAT = "aether-front save"
VERSION = 3
#: The save format versions this game reads: 2 added the scenario's copy, 3 the snapshot.
READS = (1, 2, 3)


_UMASK = os.umask(0)
os.umask(_UMASK)


class SaveError(Exception):
    """A save that cannot be written or read; the message says which file and why."""


@dataclass
class SaveInfo:
    """What the load list shows of a save."""

    path: Path
    scenario: str
    turn: int
    date: str
    players: dict[str, str]
    saved: float  # seconds since the epoch
    problem: str = ""  # why it cannot be loaded: a damaged file is listed, not hidden


def save_dir() -> Path:
    """Where saves go: the user's data folder (on Linux $XDG_DATA_HOME/aether-front/saves,
    ~/.local/share/... by default; its like on other systems)."""
    return Path(platformdirs.user_data_dir("aether-front", appauthor=False)) / "saves"


def save_path(scenario: Scenario, state: Any) -> Path:
    """A new save's path in the saves folder: scenario, turn and a time stamp."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"{Path(scenario.path).stem}-turn{state.turn:02d}-{stamp}.json"
    return save_dir() / name


#: Autosaves kept: older ones are deleted as new ones are written.
AUTOSAVES = 5


def autosave(engine: Engine, players: dict[str, str], logs: list[Any] | None = None) -> Path:
    """Save the game at the start of its turn as an autosave in the saves folder, keeping the
    newest AUTOSAVES autosaves; SaveError when it cannot be written."""
    folder = save_dir()
    stem = Path(engine.scenario.path).stem
    path = folder / f"autosave-{stem}-turn{engine.state.turn:02d}.json"
    save_game(path, engine, players, logs)
    done = sorted(folder.glob("autosave-*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in done[:-AUTOSAVES]:
        old.unlink(missing_ok=True)
    return path


def quicksave_path(scenario: Scenario) -> Path:
    """The quicksave of a scenario (F5 writes it, F9 goes back to it)."""
    return save_dir() / f"quicksave-{Path(scenario.path).stem}.json"


def save_game(
    path: Path, engine: Engine, players: dict[str, str], logs: list[Any] | None = None
) -> None:
    """Write a save atomically; SaveError naming the file when it cannot be written. `logs` is
    what the window has told each side (kept as it is, handed back by `saved_logs`)."""
    state = engine.state
    record = {
        "format": FORMAT,
        "version": VERSION,
        "scenario": str(Path(engine.scenario.path).resolve()),
        "scenario_name": engine.scenario.name,
        "content_hash": engine.scenario.content_hash,
        "files": engine.scenario.texts,
        "seed": state.seed,
        "players": players,
        "turn": state.turn,
        "date": str(state.date()),
        "log": [to_record(c) for c in engine.log],
        "state_hash": state.state_hash(),
    }
    snapshot = snapshot_record(state)
    record["snapshot"] = snapshot
    record["snapshot_sha256"] = checksum(snapshot)
    if logs is not None:
        record["logs"] = logs
    path = save_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".saving-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(record, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o666 & ~_UMASK)  # as any file the player writes (mkstemp: owner only)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
    except OSError as exc:
        raise SaveError(f"could not save to {path}: {exc.strerror or exc}") from None


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed save to disk too (POSIX; elsewhere, and where
    the file system refuses, the rename stands as it is)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_target(path: Path) -> Path:
    """Where a save to `path` goes (where a link points), checked before anything is written or
    played: SaveError when it is no place for a file, or in a folder the game may not write."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file():
        raise SaveError(f"could not save to {path}: it is a folder or a device, not a file")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise SaveError(f"could not save to {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"could not save to {path}: the folder {folder} may not be written")
    return path


def read_record(path: Path) -> dict[str, Any]:
    """The saved record, checked for its shape; SaveError when it is not a save of ours."""
    if Path(path).exists() and not Path(path).is_file():
        raise SaveError(f"{path}: not a file")  # a folder, a device, a pipe
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SaveError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:  # bad JSON or text, a number too long to read
        raise SaveError(
            f"{path}: not a saved game (damaged or another kind of file: {exc})"
        ) from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise SaveError(f"{path}: not a saved game of this game")
    version = record.get("version")
    if type(version) is not int or version < READS[0]:
        raise SaveError(f"{path}: 'version' is missing or damaged")
    if version not in READS:
        raise SaveError(
            f"{path}: save format version {version}; this game reads versions "
            f"{READS[0]} to {READS[-1]} (a save from a newer version of the game needs that "
            "version)"
        )
    for key, kind in (
        ("scenario", str),
        ("seed", int),
        ("players", dict),
        ("log", list),
        ("state_hash", str),
    ):
        if not isinstance(record.get(key), kind) or isinstance(record.get(key), bool):
            raise SaveError(f"{path}: '{key}' is missing or damaged")
    if not 0 <= record["seed"] < 2**63:
        raise SaveError(f"{path}: the seed {record['seed']} is not one this game makes")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in record["players"].items()):
        raise SaveError(f"{path}: 'players' is damaged")
    files = record.get("files")
    if record["version"] >= 2 and not (
        isinstance(files, dict)
        and all(isinstance(files.get(k), str) for k in ("scenario", "rules", "rules_file"))
    ):
        raise SaveError(f"{path}: the copy of its scenario ('files') is missing or damaged")
    return record


def scenario_file(record: dict[str, Any]) -> Path:
    """The saved game's scenario: where it was, or, if it is gone from there (the game folder
    moved), the shipped scenario of the same name."""
    where = Path(record["scenario"])
    shipped = Path(__file__).resolve().parent.parent / "scenarios" / where.name
    return where if where.is_file() or not shipped.is_file() else shipped


def saved_scenario(path: Path, record: dict[str, Any]) -> Scenario:
    """The scenario a saved game was played with: its file if that still holds the same text,
    else the copy in the save; SaveError when neither will do."""
    try:
        scenario: Scenario | None = load(scenario_file(record))
    except (ScenarioError, OSError, ValueError):  # ValueError: a path no file can have
        scenario = None
    if scenario is not None and scenario.content_hash == record.get("content_hash"):
        return scenario
    if "files" in record:
        return _from_copy(path, record)
    if scenario is None:
        raise SaveError(f"{path}: its scenario {record['scenario']} is gone or no longer loads")
    raise SaveError(
        f"{path}: its scenario {record['scenario']} has changed since the game was saved"
    )


#: The scenario's top-level `rules:` line, pointed at the unpacked rules when a copy is loaded.
_RULES_LINE = re.compile(r"^rules:[^\n]*$", re.MULTILINE)


def _from_copy(path: Path, record: dict[str, Any]) -> Scenario:
    """The scenario rebuilt from the copy in a save, under its old path. The copy is checked
    against the content hash, then loaded in a scratch folder with its `rules:` line pointed at
    the rules beside it (wherever the original named them: `../rules`, a full path)."""
    files = record["files"]
    if _content_hash(files) != record.get("content_hash"):
        raise SaveError(f"{path}: the copy of its scenario is damaged")
    text, found = _RULES_LINE.subn("rules: rules.yaml", files["scenario"], count=1)
    if not found:
        raise SaveError(f"{path}: the copy of its scenario names no rules file")
    with tempfile.TemporaryDirectory(prefix="aether-front-") as scratch:
        scenario_path = Path(scratch) / "scenario.yaml"
        try:
            (Path(scratch) / "rules.yaml").write_text(files["rules"], encoding="utf-8")
            scenario_path.write_text(text, encoding="utf-8")
            scenario = load(scenario_path)
        except ScenarioError as exc:
            told = str(exc).replace(str(scenario_path), str(record["scenario"]))
            raise SaveError(f"{path}: the copy of its scenario does not load:\n{told}") from None
        except (OSError, ValueError) as exc:  # ValueError: text no file can hold
            raise SaveError(f"{path}: cannot unpack its scenario: {exc}") from None
    return dataclasses.replace(
        scenario,
        path=str(record["scenario"]),
        content_hash=record["content_hash"],
        texts={k: files[k] for k in ("scenario", "rules", "rules_file")},
    )


def _content_hash(files: dict[str, str]) -> str:
    """The content hash of a scenario's texts, as `Scenario.content_hash` is taken."""
    try:
        return hashlib.sha256((files["scenario"] + files["rules"]).encode()).hexdigest()
    except UnicodeEncodeError:  # a lone surrogate: no file ever held it
        return ""


def load_game(
    path: Path, listen: Callable[[Engine, list[Report]], None] | None = None
) -> tuple[Engine, dict[str, str]]:
    """Rebuild a saved game; SaveError when that cannot be done. It comes from the snapshot when
    that is whole, else by replaying the log. `listen` asks for the replay and hears what happens
    as the game is replayed (a story told, a message log rebuilt). A loaded game has nothing to
    undo."""
    record = read_record(path)
    scenario = saved_scenario(path, record)
    ids = [f.id for f in scenario.factions]
    for faction in record["players"]:
        if faction not in ids:
            raise SaveError(
                f"{path}: unknown faction '{faction}' in 'players' (the factions are: "
                f"{', '.join(ids)})"
            )
    engine = None if listen is not None else _from_snapshot(scenario, record)
    if engine is None:
        engine = _replayed(path, record, scenario, listen)
        if engine.state.state_hash() != record["state_hash"]:
            raise SaveError(f"{path}: replaying the game does not reach the saved position")
    engine.seal_undo("nothing to undo: moves made before the game was loaded stay made")
    return engine, dict(record["players"])


def verify(path: Path) -> Engine:
    """Replay a save's log from its seed and check it reaches the saved position, and that the
    snapshot (when the save has one) is that position; SaveError saying what does not hold."""
    engine, _ = load_game(path, listen=lambda engine, reports: None)
    record = read_record(path)
    if "snapshot" in record and _from_snapshot(engine.scenario, record) is None:
        raise SaveError(f"{path}: its snapshot is damaged or is not the saved position")
    return engine


def _replayed(
    path: Path,
    record: dict[str, Any],
    scenario: Scenario,
    listen: Callable[[Engine, list[Report]], None] | None,
) -> Engine:
    """The game rebuilt by replaying its log from the seed."""
    engine = Engine(scenario, seed=record["seed"])
    if listen is not None:
        listen(engine, engine.opening)
    for i, raw in enumerate(record["log"]):
        try:
            result = engine.submit(from_record(raw))
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
            raise SaveError(f"{path}: command {i + 1} is damaged: {exc}") from None
        if not result.ok:
            raise SaveError(f"{path}: command {i + 1} no longer replays: {result.reason}")
        if listen is not None:
            listen(engine, result.reports)
    return engine


def _from_snapshot(scenario: Scenario, record: dict[str, Any]) -> Engine | None:
    """The game with its snapshot put in place, or None when there is no snapshot or it is
    damaged (its checksum fails, it does not fit the scenario, or it is not the saved
    position)."""
    snapshot = record.get("snapshot")
    if not isinstance(snapshot, dict) or record.get("snapshot_sha256") != checksum(snapshot):
        return None
    engine = Engine(scenario, seed=record["seed"])
    try:
        log = [from_record(raw) for raw in record["log"]]
        restore_record(engine.state, snapshot)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError):
        return None
    if engine.state.state_hash() != record["state_hash"]:
        return None
    engine.log = log
    return engine


def saved_logs(record: dict[str, Any]) -> list[Any] | None:
    """What the window had told each side, as `save_game` was given it; None when the save has
    none."""
    logs = record.get("logs")
    return logs if isinstance(logs, list) else None


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """The saves in a folder (the saves folder by default), newest first. A file that cannot
    be read as a save is listed with its problem, so that a damaged save is told, not lost from
    sight."""
    folder = folder or save_dir()
    out = []
    for path in folder.glob("*.json"):
        try:
            saved = path.stat().st_mtime
        except OSError:
            continue  # gone since the folder was listed
        try:
            record = read_record(path)
            out.append(
                SaveInfo(
                    path,
                    str(record.get("scenario_name", Path(record["scenario"]).stem)),
                    int(record.get("turn", 0)),
                    str(record.get("date", "")),
                    record["players"],
                    saved,
                )
            )
        except (SaveError, ValueError, TypeError, OverflowError) as exc:
            out.append(SaveInfo(path, "", 0, "", {}, saved, str(exc)))
    return sorted(out, key=lambda s: s.saved, reverse=True)
