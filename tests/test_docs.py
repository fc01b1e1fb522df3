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
