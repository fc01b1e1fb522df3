"""What is drawn over the map view by hand each frame: the top bar, the preview box beside the
cursor, the message strip, labels over hexes, and the hot-seat handover screen."""

from __future__ import annotations

import pygame

from game.ui import describe, theme
from game.ui.camera import Camera

TOP = 34  # height of the top bar
HANDOVER = (14, 16, 20)


def draw_top_bar(screen: pygame.Surface, state, kinds: list[str]) -> None:
    """Whose turn it is on the left (as much as fits), each side's victory points on the right."""
    w = screen.get_width()
    pygame.draw.rect(screen, theme.BACKGROUND, (0, 0, w, TOP))
    pygame.draw.line(screen, theme.PANEL_EDGE, (0, TOP - 1), (w, TOP - 1))
    f = state.scenario.factions[int(state.active)]
    pygame.draw.rect(screen, theme.faction_colour(f.color), (8, 8, 18, 18))
    x = w - 10
    for side, vp, colour in reversed(describe.side_points(state)):
        label = theme.font(22, bold=True).render(
            f"{side} {vp} VP", True, theme.faction_colour(colour)
        )
        x -= label.get_width()
        screen.blit(label, (x, (TOP - label.get_height()) // 2))
        x -= 18
    room = x - 34 - 12
    small = theme.font(22)
    texts = describe.top_bar(state, kinds)
    text = next((t for t in texts if small.size(t)[0] <= room), texts[-1])
    image = small.render(text, True, theme.TEXT)
    screen.blit(image, (34, (TOP - image.get_height()) // 2), (0, 0, max(0, room), TOP))


def draw_box(screen: pygame.Surface, lines: list[str], near: tuple[int, int], inside) -> None:
    """A box of text lines beside a screen point, kept inside a rectangle (the preview)."""
    f = theme.font(20)
    images = [f.render(line, True, theme.TEXT) for line in lines]
    w = max(i.get_width() for i in images) + 16
    h = sum(i.get_height() + 2 for i in images) + 12
    box = pygame.Rect(near[0] + 18, near[1] + 18, w, h)
    box.clamp_ip(pygame.Rect(inside))
    pygame.draw.rect(screen, (20, 22, 28), box, border_radius=4)
    pygame.draw.rect(screen, (230, 80, 60), box, 1, border_radius=4)
    y = box.y + 6
    for image in images:
        screen.blit(image, (box.x + 8, y))
        y += image.get_height() + 2


def draw_strip(screen: pygame.Surface, view, text: str, good: bool) -> None:
    """A message at the foot of the map view: red for a refusal, green for news. A message too
    long for the view is wrapped onto more lines (a failed save names its whole path)."""
    vx, vy, vw, vh = view
    image = theme.font(22, bold=True).render(text, True, (255, 236, 200), None, max(vw - 60, 100))
    box = image.get_rect(midbottom=(vx + vw // 2, vy + vh - 16)).inflate(20, 12)
    pygame.draw.rect(screen, (30, 96, 50) if good else (120, 30, 26), box, border_radius=5)
    screen.blit(image, image.get_rect(center=box.center))


def draw_label(screen: pygame.Surface, camera: Camera, where, text: str, colour) -> None:
    """A short text on a dark tag just above a hex (a move's cost, a fight's losses)."""
    image = theme.font(20, bold=True).render(text, True, colour)
    x, y = camera.hex_centre(*where)
    box = image.get_rect(midbottom=(int(x), int(y - camera.zoom * 0.55)))
    pygame.draw.rect(screen, (16, 18, 22), box.inflate(8, 4), border_radius=4)
    screen.blit(image, box)


def draw_handover(screen: pygame.Surface, state) -> None:
    """The hot-seat handover: nothing of the game, only whose turn it is."""
    f = state.scenario.factions[int(state.active)]
    w, h = screen.get_size()
    screen.fill(HANDOVER)
    colour = theme.faction_colour(f.color)
    pygame.draw.rect(screen, colour, (0, h // 2 - 90, w, 8))
    pygame.draw.rect(screen, colour, (0, h // 2 + 82, w, 8))
    lines = [
        (theme.font(30), f"Turn {state.turn}, {describe.day(state.date())}", theme.TEXT_DIM),
        (theme.font(54, bold=True), f"{f.name} to move", theme.TEXT),
        (
            theme.font(26),
            "Pass the computer to this player. Click or press Enter to begin.",
            theme.TEXT_DIM,
        ),
    ]
    y = h // 2 - 70
    for fnt, text, ink in lines:
        image = fnt.render(text, True, ink)
        screen.blit(image, image.get_rect(midtop=(w // 2, y)))
        y += image.get_height() + 16
