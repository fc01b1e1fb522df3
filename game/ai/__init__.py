"""Computer players. A player reads a read-only view of the game and returns Commands; it never
changes the state itself and never draws from the game's generator."""

from __future__ import annotations

from game.ai.greedy import GreedyPlayer
from game.ai.operational import make
from game.ai.random_player import RandomPlayer

PLAYERS = {
    "random": RandomPlayer,
    "greedy": GreedyPlayer,
    "easy": make("easy"),
    "normal": make("normal"),
    "hard": make("hard"),
}
#: The player `ai` stands for on the command line.
DEFAULT_AI = "greedy"


def make_player(name: str, faction: int, seed: int):
    """A computer player by name; KeyError for an unknown name."""
    return PLAYERS[name](faction, seed)
