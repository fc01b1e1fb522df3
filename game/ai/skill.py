"""How well a computer player plans, at three levels. A level never changes what the player
may see or its dice: only how it weighs what it sees."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    """How well a computer player plans. It never changes what the player may see or its dice.

    - manoeuvre: units move to strike a hex from several sides (else only those already next
      to it attack);
    - attack_odds / objective_odds: the least odds worth attacking at, and against a city worth
      points;
    - caution: how much an own step lost weighs against an enemy step;
    - exposure: how much a unit minds ending its move where the enemy could hit it harder than it
      can hold;
    - reserve_share: the share of the mobile units kept back out of the enemy's reach;
    - raid: mobile units ride onto the enemy's supply lines;
    - bombard_first: fleets bombard a hex before it is assaulted;
    - noise: how much the player misjudges a move's worth (0 = not at all);
    - commander: it sizes a force for each objective and garrisons for each threat, and minds
      the cities that would lose it the game (else every unit goes for the objective best for
      itself, and a city is held only while an enemy stands next to it).
    """

    name: str
    manoeuvre: bool
    attack_odds: float
    objective_odds: float
    caution: float
    exposure: float
    reserve_share: float
    raid: bool
    bombard_first: bool
    noise: float
    commander: bool


SKILLS = {
    "easy": Skill("easy", False, 1.0, 0.8, 0.6, 0.0, 0.0, False, False, 1.0, False),
    "normal": Skill("normal", True, 1.4, 1.0, 1.0, 1.0, 0.15, True, True, 0.0, True),
    "hard": Skill("hard", True, 1.6, 1.1, 1.2, 1.5, 0.2, True, True, 0.0, True),
}
