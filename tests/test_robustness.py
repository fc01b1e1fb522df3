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
RULES = ROOT / "scenarios" / "rules" / "core.yaml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
#: What a modder edits: each shipped scenario (naming the rules by their full path, so that a
#: copy in a scratch folder finds them) and the rules file, as text.
TEXTS = {
    **{p.stem: p.read_text().replace("rules: rules/core.yaml", f"rules: {RULES}") for p in SHIPPED},
    "rules": RULES.read_text(),
}
TREES = {name: yaml.safe_load(text) for name, text in TEXTS.items()}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(-(10**30), 10**30),  # far out of range
    st.floats(),  # infinities and NaN too
    st.text(max_size=12),
    st.lists(st.integers(-5, 40), max_size=4),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3),
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    """The mutant as a file the game can load: a scenario, or Ulan-Ude on the mutant rules."""
    target = tmp_path / "mutant.yaml"
    if name == "rules":
        (tmp_path / "rules.yaml").write_text(text)
        text = TEXTS["ulan_ude_1939"].replace(
            f"rules: {RULES}", f"rules: {tmp_path / 'rules.yaml'}"
        )
    target.write_text(text)
    return target


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


PATHS = {name: paths(tree) for name, tree in TREES.items()}


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
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_mutated_fields_give_clean_errors(tmp_path, data):
    """Wrong types, missing keys and numbers out of range, anywhere in any shipped file."""
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    mutations = data.draw(
        st.lists(
            st.tuples(st.sampled_from(PATHS[name]), JUNK, st.booleans()), min_size=1, max_size=3
        )
    )
    tree = copy.deepcopy(TREES[name])
    for path, junk, delete in mutations:
        node = tree
        try:
            for key in path[:-1]:
                node = node[key]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    must_not_crash(write(tmp_path, name, yaml.safe_dump(tree, sort_keys=False)))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_deleted_shifted_and_reindented_lines_give_clean_errors(tmp_path, data):
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["delete", "indent", "dedent", "duplicate", "shuffle"]))
    if action == "delete":
        del lines[i]
    elif action == "indent":
        lines[i] = "  " + lines[i]
    elif action == "dedent":
        lines[i] = lines[i].lstrip()
    elif action == "duplicate":
        lines.insert(i, lines[i])
    else:  # the indentation of a few lines in a row, shuffled among them
        block = lines[i : i + data.draw(st.integers(2, 8))]
        indents = data.draw(st.permutations([len(x) - len(x.lstrip(" ")) for x in block]))
        lines[i : i + len(block)] = [
            " " * n + x.lstrip(" ") for n, x in zip(indents, block, strict=True)
        ]
    must_not_crash(write(tmp_path, name, "\n".join(lines)))
