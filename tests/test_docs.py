"""The modding guide names every field and flag the loader accepts."""

from pathlib import Path

import pytest

from game import rules, scenario

GUIDE = (Path(__file__).resolve().parent.parent / "docs" / "modding.md").read_text()

FIELDS = {
    "rules file": rules.TOP_FIELDS,
    "unit type": tuple(rules.UNIT_FIELDS),
    "unit flag": tuple(rules.UNIT_FLAGS),
    "combat": tuple(rules.COMBAT_FIELDS),
    "supply": tuple(rules.SUPPLY_FIELDS),
    "fleets": (*rules.FLEET_FIELDS, "carry_classes"),
    "terrain": rules.TERRAIN_FIELDS,
    "scenario": scenario.TOP_FIELDS,
    "unit": scenario.UNIT_FIELDS,
    "event effect": scenario.EFFECTS,
    "trigger": scenario.TRIGGERS,
}


@pytest.mark.parametrize("kind", FIELDS)
def test_the_guide_documents_every_field(kind):
    missing = [name for name in FIELDS[kind] if f"`{name}`" not in GUIDE]
    assert not missing, f"{kind} fields missing from docs/modding.md: {missing}"


def walkthrough_blocks() -> list[str]:
    section = GUIDE.split("## 11. Walkthrough", 1)[1]
    return [b.split("\n", 1)[1] for b in section.split("```")[1::2]]


def test_the_walkthrough_does_what_it_says(tmp_path):
    """The scenario of section 11, built from the guide's own blocks, gives the errors,
    the supply report and the games the guide shows."""
    import yaml

    from game.simulate import play_game
    from game.validate import check_file
    from tests.conftest import CORE_RULES

    blocks = walkthrough_blocks()
    first = blocks[0].replace("rules: rules/core.yaml", f"rules: {CORE_RULES}")
    path = tmp_path / "amur_crossing.yaml"
    path.write_text(first)
    problems = [f"{p.line}:{p.col}: {p.message}" for p in check_file(path)]
    assert problems == [
        "23:12: units[1].type: unknown unit type 'garison' (did you mean 'garrison'?)"
    ]
    fixed = yaml.safe_load(first.replace("garison", "garrison"))
    path.write_text(yaml.safe_dump(fixed, sort_keys=False))
    assert [p.message for p in check_file(path)] == [
        "no victory levels or sudden death: every game is a draw",
        "factions[0]: faction 'japan' has no supply source: its units start out of supply",
    ]
    fixed.update(yaml.safe_load(blocks[3]))
    path.write_text(yaml.safe_dump(fixed, sort_keys=False))
    assert check_file(path) == []
    shown = [line for line in blocks[5].splitlines() if line.startswith("seed")]
    for line in shown:
        seed = int(line.split()[1].rstrip(":"))
        record = play_game(path, seed, {})
        outcome = f"{record['level']} victory for {record['winner']} on turn {record['turns']}"
        assert outcome in line, (line, record)
