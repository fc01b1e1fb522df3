"""The mod checker seen as a modder sees it: `python run_game.py validate PATH...`.

Every file in tests/broken/ is tests/broken/_valid_tiny.yaml with one defect (multiple_errors.yaml
has three). Each is checked by the real command line in a subprocess: exit code 1, one
`path:line:col: error: message` line per problem, with the exact place and a helpful message, and
never a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken"
VALID = "tests/broken/_valid_tiny.yaml"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): .+$")

# file in tests/broken -> (line, column, a fragment of the message that must appear)
CASES: dict[str, tuple[int, int, str]] = {
    "bad_syntax.yaml": (24, 3, "YAML syntax error: expected ',' or '}'"),
    "tab_indent.yaml": (26, 1, "use spaces, not tabs, for indentation"),
    "wrong_type.yaml": (6, 8, "turns: expected a whole number, found 'four'"),
    "unknown_unit_type.yaml": (
        25,
        20,
        "units[2].type: unknown unit type 'marine' (did you mean 'marines'?)",
    ),
    "off_map.yaml": (26, 50, "units[3].at: hex [6, 3] is off the map (columns 0-5, rows 0-4)"),
    "impassable.yaml": (24, 48, "units[1].at: Rifle division (infantry) cannot stand on lake"),
    "duplicate_id.yaml": (24, 10, "units[1].id: duplicate unit id 'r1' (first used on line 23)"),
    "missing_factions.yaml": (1, 1, "missing required field 'factions'"),
    "misspelled_top_key.yaml": (22, 1, "untis: unknown key 'untis' (did you mean 'units'?)"),
    "misspelled_city_key.yaml": (16, 30, "cities[1].pv: unknown key 'pv' (did you mean 'vp'?)"),
    "alias_bomb.yaml": (40, 47, "too many aliases"),
    "python_tag.yaml": (30, 12, "Python object tags are not allowed"),
    "empty.yaml": (1, 1, "the file is empty"),
    "stacking.yaml": (26, 40, "units[3].at: 4 ground units on hex [2, 1], the limit is 3"),
    "opposing_sides.yaml": (26, 50, "units[3].at: units of opposing sides share hex [1, 2]"),
    "event_unknown_faction.yaml": (
        31,
        22,
        "events[0].victory_points.green: unknown faction 'green' (known: blue, red)",
    ),
    "event_unknown_unit.yaml": (
        29,
        23,
        "events[0].when.destroyed: unknown unit id 'r3' (known: b1, b2, r1, r2)",
    ),
    "event_unknown_city.yaml": (
        29,
        22,
        "events[0].when.captured: unknown city 'Alfa' (did you mean 'Alpha'?)",
    ),
    "road_off_map.yaml": (18, 43, "roads[0].path[2]: hex [5, 5] is off the map"),
    "unknown_symbol.yaml": (11, 7, "map.rows[2]: unknown map symbol 'x' at hex [3, 2]"),
    "convoy_not_port.yaml": (37, 46, "convoys[0].port: Alpha is not a port"),
    "supply_range.yaml": (38, 18, "supply.reduced_range: must be at least as long as range"),
    "event_unknown_convoy.yaml": (
        32,
        25,
        "unknown convoy 'Coast convoi' (did you mean 'Coast convoy'?)",
    ),
    "ragged_rows.yaml": (12, 7, "map.rows[3]: row has 5 hexes, the first row has 6"),
    "unknown_rules.yaml": (
        3,
        8,
        "rules: cannot find the rules file '../../scenarios/rules/cor.yaml' "
        "(looked for scenarios/rules/cor.yaml) (did you mean 'core.yaml'?)",
    ),
    "bad_override.yaml": (37, 20, "unit_types.marines.moves: expected a number, found 'lots'"),
    "sudden_death_held.yaml": (
        34,
        7,
        "victory.sudden_death[0]: side 'red' already holds Alpha at the start",
    ),
    "weather_range.yaml": (38, 19, "weather.regions.north.cols: [4, 1] is not a range of columns"),
    "reinforcement_unit_faction.yaml": (
        41,
        9,
        "reinforcements[0].units[0]: units of a reinforcement group take the group's faction",
    ),
    "duplicate_symbol.yaml": (38, 13, "symbol '.' is already used by terrain 'plains'"),
    "inherits_loop.yaml": (37, 23, "inheritance loop: guard_a -> guard_b -> guard_a"),
}


def validate(*paths: str | Path) -> tuple[int, list[str], str]:
    """Run the command line; returns (exit code, stdout lines, stderr)."""
    done = subprocess.run(
        [sys.executable, "run_game.py", "validate", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream, stream
    return done.returncode, done.stdout.splitlines(), done.stderr


def assert_problem_lines(lines: list[str]) -> None:
    for line in lines:
        assert LINE.match(line), f"not a path:line:col: severity: message line: {line!r}"


def test_every_broken_file_has_an_expectation():
    files = {p.name for p in BROKEN.glob("*.yaml")}
    assert files == set(CASES) | {"_valid_tiny.yaml", "multiple_errors.yaml"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_is_reported_once_at_its_place(name: str):
    line, col, fragment = CASES[name]
    path = f"tests/broken/{name}"
    code, out, err = validate(path)
    assert code == 1, (out, err)
    assert_problem_lines(out)
    assert len(out) == 1, "one defect, one line:\n" + "\n".join(out)
    assert out[0].startswith(f"{path}:{line}:{col}: error: "), out[0]
    assert fragment in out[0], out[0]
    assert "1 error(s)" in err


def test_several_problems_in_one_file_are_all_listed():
    path = "tests/broken/multiple_errors.yaml"
    code, out, _ = validate(path)
    assert code == 1
    assert_problem_lines(out)
    assert out == [
        f"{path}:6:8: error: turns: 0 is below the minimum 1",
        f"{path}:25:20: error: units[2].type: unknown unit type 'marine' (did you mean 'marines'?)",
        f"{path}:26:50: error: units[3].at: hex [5, 9] is off the map (columns 0-5, rows 0-4)",
    ]


def test_binary_file_is_refused_cleanly(tmp_path: Path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"name: x\n\x00\x01\x02\xff\xfe rest")
    code, out, _ = validate(path)
    assert code == 1
    assert out == [f"{path}:2:1: error: not a text file: binary data at byte 8"]


def test_the_valid_baseline_is_clean():
    code, out, err = validate(VALID)
    assert (code, out) == (0, [])
    assert "0 error(s), 0 warning(s)" in err


def test_shipped_scenarios_and_rules_validate_clean():
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    files += sorted((ROOT / "scenarios" / "rules").glob("*.yaml"))
    assert files
    code, out, _ = validate(*(f.relative_to(ROOT) for f in files))
    assert_problem_lines(out)
    assert [line for line in out if ": error: " in line] == []
    assert code == 0


def test_missing_path_is_an_error_not_a_crash():
    code, out, _ = validate("tests/broken/no_such_file.yaml")
    assert code == 1
    assert out == [
        "tests/broken/no_such_file.yaml:1:1: error: cannot read: No such file or directory"
    ]


def test_a_folder_checks_every_yaml_file_under_it():
    code, out, _ = validate("tests/broken")
    assert code == 1
    assert_problem_lines(out)
    reported = {line.split(":", 1)[0] for line in out}
    assert reported == {f"tests/broken/{name}" for name in CASES} | {
        "tests/broken/multiple_errors.yaml"
    }


def test_a_clean_folder_passes_and_an_empty_one_says_so(tmp_path: Path):
    code, out, _ = validate("scenarios", tmp_path)
    assert code == 0
    assert out == [f"{tmp_path}:1:1: warning: no .yaml or .yml files here"]


def problems_of(tmp_path, text: str) -> list[str]:
    from game.validate import check_file

    path = tmp_path / "case.yaml"
    path.write_text(text)
    return [str(p) for p in check_file(path)]


def tiny_with(extra: str) -> str:
    base = (BROKEN / "_valid_tiny.yaml").read_text()
    return (
        base.replace("../../scenarios/rules/core.yaml", str(ROOT / "scenarios/rules/core.yaml"))
        + extra
    )


def test_a_rules_file_without_a_combat_section_is_explained(tmp_path):
    found = problems_of(
        tmp_path,
        "terrain:\n  plains: {symbol: '.', name: P, move: {foot: 1}, defence: 1}\n"
        "unit_types:\n  x: {name: X, class: infantry, move_class: foot, moves: 1, "
        "soft_attack: 1, hard_attack: 1, defence: 1, hardness: 0, steps: 1, vision: 1}\n",
    )
    assert found and all("internal error" not in p for p in found)
    assert any("combat" in p for p in found)


def test_more_meaning_checks(tmp_path):
    region_all = (
        "weather:\n  regions:\n    all: {cols: [0, 1], rows: [0, 1]}\n"
        "  schedule:\n    - {turn: 1, weather: clear}\n"
    )
    uneven = "weather:\n  schedule:\n    - {turn: 1, weather: {clear: 0.5, mud: 0.4}}\n"
    scouts = "  - id: scouts\n    when: {entered: [1, 1]}\n    title: Scouts\n"
    cases = [
        (tiny_with(region_all), "'all' already names the whole map"),
        (tiny_with(uneven), "the chances add up to 0.9, not 1"),
        (tiny_with("").replace("events:\n", "events:\n" + scouts), "'entered' needs 'faction'"),
    ]
    for text, fragment in cases:
        found = problems_of(tmp_path, text)
        assert any(fragment in p for p in found), (fragment, found)


def test_fleets_cannot_be_given_the_railways(tmp_path):
    core = (ROOT / "scenarios/rules/core.yaml").read_text()
    assert "classes: [foot, horse, motor]" in core
    found = problems_of(
        tmp_path, core.replace("classes: [foot, horse, motor]", "classes: [foot, aether]")
    )
    assert any("unknown ground movement class 'aether'" in p for p in found), found
