"""Colours, patterns and fonts of the game window.

Terrain is told apart by colour and by a light pattern, so that players who do not see the
colours well can still read the map. A terrain type the palette does not know (a modder's new
one) gets a colour of its own worked out from its key and the plain pattern.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import pygame

#: terrain key -> (fill colour, pattern). Patterns: plain, trees, hummocks, peaks, reeds,
#: dots, dunes, waves, blocks.
TERRAIN_LOOK: dict[str, tuple[tuple[int, int, int], str]] = {
    "plains": ((196, 192, 132), "plain"),
    "forest": ((92, 128, 82), "trees"),
    "hills": ((170, 150, 102), "hummocks"),
    "mountains": ((138, 122, 108), "peaks"),
    "swamp": ((118, 142, 112), "reeds"),
    "tundra": ((186, 194, 182), "dots"),
    "desert": ((222, 200, 146), "dunes"),
    "lake": ((110, 156, 196), "waves"),
    "sea": ((74, 118, 170), "waves"),
    "city": ((176, 168, 156), "blocks"),
}

BACKGROUND = (24, 28, 34)
PANEL = (34, 38, 46)
PANEL_EDGE = (70, 78, 92)
TEXT = (230, 230, 222)
TEXT_DIM = (160, 164, 170)
RIVER = (62, 116, 190)
ROAD = (122, 94, 62)
RAIL = (40, 40, 44)
COAST = (36, 64, 110)
GRID = (0, 0, 0, 110)
CITY_DOT = (36, 34, 40)
LABEL = (20, 20, 24)
LABEL_HALO = (248, 244, 232)
REACH = (255, 255, 255, 60)
RAIL_REACH = (40, 130, 255, 95)
TARGET = (235, 40, 40, 110)
FRIEND_TARGET = (255, 220, 80, 90)
SELECT = (255, 230, 90)
PATH = (255, 240, 160)
SUPPLY_PATH = (120, 235, 255)
#: supply overlay per level: none violet, reduced amber, full green (none of them the red of
#: attack targets)
SUPPLY_LOOK = {0: (128, 40, 176, 120), 1: (250, 196, 30, 100), 2: (60, 200, 80, 60)}
FOG_DIM = (128, 128, 136)  # multiplied into unseen hexes
COUNTER_INK = (16, 16, 18)


def terrain_look(key: str) -> tuple[tuple[int, int, int], str]:
    """Fill colour and pattern of a terrain type."""
    if key in TERRAIN_LOOK:
        return TERRAIN_LOOK[key]
    digest = hashlib.sha256(key.encode()).digest()
    return (96 + digest[0] % 128, 96 + digest[1] % 128, 96 + digest[2] % 128), "plain"


def faction_colour(text: str) -> tuple[int, int, int]:
    """A faction's '#rrggbb' colour as RGB; grey when it is not one."""
    try:
        c = pygame.Color(text)
    except (ValueError, TypeError):
        return (128, 128, 128)
    return (c.r, c.g, c.b)


def ink_on(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads better on this colour."""
    r, g, b = rgb
    return (16, 16, 18) if 0.299 * r + 0.587 * g + 0.114 * b > 150 else (246, 246, 240)


@cache
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The game's font at a pixel size: Noto Sans, which pygame_gui ships (so the panels and
    the map speak with one voice), or pygame's own font if it cannot be found."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    try:
        path = resources.files("pygame_gui.data") / name
        with resources.as_file(path) as real:
            return pygame.font.Font(str(real), max(7, round(size * 0.72)))
    except (OSError, ModuleNotFoundError, FileNotFoundError):
        fallback = pygame.font.Font(None, max(8, size))
        fallback.set_bold(bold)
        return fallback
