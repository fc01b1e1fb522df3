"""Computer players. A player reads a read-only view of the game and returns Commands; it never
changes the state itself and never draws from the game's generator.

- `random`: the baseline, legal but aimless;
- `easy`, `normal`, `hard`: the operational player (`operational.py`) at three levels of skill
  (`skill.py`).
"""

from __future__ import annotations

from game.ai.operational import make
from game.ai.random_player import RandomPlayer

PLAYERS = {
    "random": RandomPlayer,
    "easy": make("easy"),
    "normal": make("normal"),
    "hard": make("hard"),
}
#: The player `ai` stands for on the command line, and the default computer player.
DEFAULT_AI = "normal"


def make_player(name: str, faction: int, seed: int):
    """A computer player by name; KeyError for an unknown name."""
    return PLAYERS[name](faction, seed)
