"""Unit counters in the manner of NATO symbols, drawn once per look and kept.

A ground counter is a block in its faction's colour holding a white symbol box (the unit's class
as NATO marks it), its steps at the lower left and its moves left at the lower right; a corner
flag marks reduced (amber) or no supply (black). Fleets are drawn as rounded hulls, since they ride
in the air layer above the ground stack. Faded counters are enemy units last seen there.
"""

from __future__ import annotations

import math

import pygame

from game.ui import theme

SYMBOL_BOX = (248, 246, 238)


def counter_size(zoom: int, air: bool) -> tuple[int, int]:
    """Pixel size of a counter at a zoom level."""
    w = max(10, round(zoom * (1.05 if air else 1.2)))
    h = max(7, round(zoom * (0.62 if air else 0.86)))
    return w, h


def draw_symbol(surface: pygame.Surface, box: pygame.Rect, cls: str, ink) -> None:
    """The NATO mark of a unit class inside its symbol box."""
    x, y, w, h = box
    lw = max(1, h // 9)
    if cls in ("infantry", "marines", "garrison"):
        pygame.draw.line(surface, ink, (x, y), (x + w - 1, y + h - 1), lw)
        pygame.draw.line(surface, ink, (x, y + h - 1), (x + w - 1, y), lw)
        if cls == "marines":  # the wave of a landing force under the cross
            pts = [
                (x + w * t / 8, y + h - 1 - h * 0.16 * (1 + math.sin(t * 1.6))) for t in range(9)
            ]
            pygame.draw.lines(surface, ink, False, pts, lw)
        if cls == "garrison":
            pygame.draw.rect(surface, ink, (x + w * 0.4, y + h * 0.35, w * 0.2, h * 0.3))
    elif cls == "cavalry":
        pygame.draw.line(surface, ink, (x, y + h - 1), (x + w - 1, y), lw)
    elif cls == "armour":
        pygame.draw.ellipse(surface, ink, (x + w * 0.15, y + h * 0.22, w * 0.7, h * 0.56), lw)
    elif cls == "antitank":
        pygame.draw.lines(
            surface, ink, False, [(x, y + h - 1), (x + w / 2, y), (x + w - 1, y + h - 1)], lw
        )
    elif cls == "artillery":
        pygame.draw.circle(surface, ink, (x + w / 2, y + h / 2), max(2, h * 0.2))
    elif cls == "aether_fleet":
        pygame.draw.ellipse(surface, ink, (x + w * 0.1, y + h * 0.25, w * 0.8, h * 0.5), lw)
        pygame.draw.line(surface, ink, (x + w * 0.5, y + h * 0.75), (x + w * 0.5, y + h - 1), lw)
    elif cls == "submarine":
        pygame.draw.ellipse(surface, ink, (x + w * 0.1, y + h * 0.4, w * 0.8, h * 0.35), lw)
        pygame.draw.rect(surface, ink, (x + w * 0.42, y + h * 0.2, w * 0.16, h * 0.22))
    else:  # a class of a modder's own: its initial
        f = theme.font(max(8, h), bold=True)
        text = f.render(cls[:1].upper(), True, ink)
        surface.blit(text, text.get_rect(center=box.center))


class CounterArt:
    """Counter images by look: (type, faction, steps, moves shown, supply, zoom, faded)."""

    def __init__(
        self, classes: list[str], air: list[bool], colours: list[tuple[int, int, int]]
    ) -> None:
        self.classes = classes  # per unit type
        self.air = air  # per unit type
        self.colours = colours  # per faction
        self._cache: dict[tuple, pygame.Surface] = {}

    def image(
        self,
        utype: int,
        faction: int,
        steps: int,
        moves: int,
        supply: int,
        zoom: int,
        faded: bool = False,
    ) -> pygame.Surface:
        """The counter of a unit in this state; `moves` in half movement points, < 0 hides
        the figure; steps < 0 shows '?'."""
        key = (utype, faction, steps, moves, supply, zoom, faded)
        art = self._cache.get(key)
        if art is None:
            if len(self._cache) > 4000:
                self._cache.clear()
            art = self._cache[key] = self._draw(*key)
        return art

    def _draw(self, utype, faction, steps, moves, supply, zoom, faded) -> pygame.Surface:
        air = self.air[utype]
        w, h = counter_size(zoom, air)
        surf = pygame.Surface((w + 2, h + 2), pygame.SRCALPHA)
        colour = self.colours[faction]
        if faded:
            colour = tuple(int(c * 0.45 + 150 * 0.55) for c in colour)
        body = pygame.Rect(0, 0, w, h)
        pygame.draw.rect(surf, (0, 0, 0, 150), body.move(2, 2), border_radius=h // 2 if air else 2)
        pygame.draw.rect(surf, colour, body, border_radius=h // 2 if air else 2)
        pygame.draw.rect(surf, theme.COUNTER_INK, body, 1, border_radius=h // 2 if air else 2)
        ink = theme.ink_on(colour)
        small = zoom < 14
        if small:
            box = pygame.Rect(w * 0.2, h * 0.15, w * 0.6, h * 0.7)
        else:
            box = pygame.Rect(w * 0.28, h * 0.08, w * 0.44, h * 0.48)
        pygame.draw.rect(surf, SYMBOL_BOX, box)
        draw_symbol(surf, box, self.classes[utype], theme.COUNTER_INK)
        pygame.draw.rect(surf, theme.COUNTER_INK, box, 1)
        if not small:
            f = theme.font(max(11, int(h * 0.62)), bold=True)
            steps_text = f.render(str(steps) if steps >= 0 else "?", True, ink)
            surf.blit(steps_text, (max(2, w * 0.08), h - steps_text.get_height()))
            if moves >= 0:  # in half points: 5 -> "2½"
                m = f.render(f"{moves // 2}" + ("½" if moves % 2 else ""), True, ink)
                surf.blit(m, (w - m.get_width() - max(2, w * 0.08), h - m.get_height()))
        if supply < 2:  # a corner flag: amber for reduced, black for none (any faction colour)
            flag, edge = (
                ((20, 20, 22), (250, 250, 250)) if supply == 0 else ((245, 190, 30), (0, 0, 0))
            )
            k = max(5, h * 0.42)
            corner = [(w - k, 0), (w - 1, 0), (w - 1, k)]
            pygame.draw.polygon(surf, flag, corner)
            pygame.draw.polygon(surf, edge, corner, 1)
        if faded:
            surf.set_alpha(150)
        return surf
