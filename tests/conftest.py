"""Shared test helpers: tiny hex worlds built from a few lines of YAML."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
CORE_RULES = ROOT / "scenarios" / "rules" / "core.yaml"


def world_yaml(
    rows: list[str],
    units: list[dict[str, Any]],
    cities: list[dict[str, Any]] | None = None,
    factions: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A scenario mapping: two factions 'red' and 'blue' on opposite sides by default."""
    data: dict[str, Any] = {
        "name": "Test world",
        "rules": str(CORE_RULES),
        "start": "1939-07-07",
        "turn_days": 7,
        "turns": 5,
        "map": {"rows": rows},
        "factions": factions
        or [
            {"id": "red", "name": "Red", "side": "red"},
            {"id": "blue", "name": "Blue", "side": "blue"},
        ],
        "units": units,
    }
    if cities:
        data["cities"] = cities
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def saves_in_a_scratch_folder(tmp_path_factory, monkeypatch):
    """Every test's saves and autosaves go to a folder of its own, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def make_game(tmp_path):
    """make_game(rows, units, ..., seed=1) -> Engine on a tiny world written to a temp file."""
    from game.engine import Engine
    from game.scenario import load

    counter = iter(range(1000))

    def build(rows: list[str], units: list[dict[str, Any]], seed: int = 1, **kw: Any) -> Engine:
        path = tmp_path / f"world{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(world_yaml(rows, units, **kw), sort_keys=False))
        return Engine(load(path), seed=seed)

    return build
