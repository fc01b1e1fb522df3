"""Any scenario a modder can write gives a game or a clean list of problems, never a crash."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai.random_player import RandomPlayer
from game.engine import Engine
from game.scenario import ScenarioError, load
from game.validate import check_file
from tests.invariants import check_invariants

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scenarios" / "ulan_ude_1939.yaml"
BASE = yaml.safe_load(SOURCE.read_text())
BASE["rules"] = str(ROOT / "scenarios" / "rules" / "core.yaml")
TEXT = SOURCE.read_text().replace("rules: rules/core.yaml", f"rules: {BASE['rules']}")

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.lists(st.integers(-5, 40), max_size=4),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3),
)


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in a YAML tree."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


ALL_PATHS = paths(BASE)


def must_not_crash(path: Path) -> None:
    """Loading gives a scenario or located problems; a scenario that loads can be played."""
    try:
        scenario = load(path)
    except ScenarioError as exc:
        assert exc.problems and all(str(p).count(":") >= 3 for p in exc.problems)
        scenario = None
    problems = check_file(path)
    assert all("internal error" not in str(p) for p in problems)
    assert bool([p for p in problems if p.severity == "error"]) == (scenario is None)
    if scenario is not None:
        engine = Engine(scenario, seed=3)
        players = [RandomPlayer(f.index, 3) for f in scenario.factions]

        def submit(cmd):
            result = engine.submit(cmd)
            check_invariants(engine.state)
            return result

        while engine.state.turn <= 2 and not engine.state.finished:
            players[engine.state.active].play_turn(engine.view, submit)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), JUNK, st.booleans()), min_size=1, max_size=3))
def test_mutated_fields_give_clean_errors(tmp_path, mutations):
    data = copy.deepcopy(BASE)
    for path, junk, delete in mutations:
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    target = tmp_path / "mutant.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    must_not_crash(target)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_deleted_and_shifted_lines_give_clean_errors(tmp_path, data):
    lines = TEXT.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["delete", "indent", "dedent", "duplicate"]))
    if action == "delete":
        del lines[i]
    elif action == "indent":
        lines[i] = "  " + lines[i]
    elif action == "dedent":
        lines[i] = lines[i].lstrip()
    else:
        lines.insert(i, lines[i])
    target = tmp_path / "mutant.yaml"
    target.write_text("\n".join(lines))
    must_not_crash(target)
