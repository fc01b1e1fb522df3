"""The end of the game: who won and how, and how each faction fared turn by turn (victory
points and steps on two charts)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from game.ui import describe, theme
from game.ui.session import Session

if TYPE_CHECKING:
    from game.ui.app import App


def outcome(state) -> str:
    """'Decisive victory for coalition', or 'A draw'."""
    if state.winner:
        return f"{state.level.capitalize()} victory for {describe.side_name(state.winner)}"
    return "A draw"


def series(state, key: str) -> tuple[list[int], list[list[int]]]:
    """Turns, and per faction its value of `key` ('vp' or 'steps') on each of them."""
    turns = [int(h["turn"][0]) for h in state.history]
    per = [[int(h[key][f]) for h in state.history] for f in range(len(state.scenario.factions))]
    return turns, per


class EndScreen:
    """Victory level and the two charts; back to the menu or quit."""

    def __init__(self, app: App, session: Session) -> None:
        self.app = app
        self.session = session
        self._build()

    def _build(self) -> None:
        w, h = self.app.screen.get_size()
        m = self.app.manager
        self.menu = UIButton(pygame.Rect(40, h - 64, 200, 44), "Main menu", m)
        self.quit = UIButton(pygame.Rect(260, h - 64, 200, 44), "Quit", m)

    def handle(self, event: pygame.event.Event, consumed: bool) -> None:
        """The two buttons, and Esc for the menu."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.menu:
                self.app.main_menu()
            elif event.ui_element is self.quit:
                self.app.running = False
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.main_menu()

    def reason(self) -> str:
        """How the game ended, as the engine told it (a sudden death, or the last turn)."""
        log = self.session.log(self.session.viewer())
        return next((line.text for line in reversed(log) if line.kind == "end"), "")

    def update(self, dt: float) -> None:
        """Nothing moves here."""

    def resize(self) -> None:
        """Lay the buttons out again."""
        self.app.manager.clear_and_reset()
        self._build()

    def draw(self, screen: pygame.Surface) -> None:
        """Title, outcome, and the charts side by side."""
        st = self.session.state
        sc = st.scenario
        screen.fill(theme.BACKGROUND)
        w, h = screen.get_size()
        title = theme.font(56, bold=True).render(outcome(st), True, theme.TEXT)
        screen.blit(title, (40, 30))
        standing = ", ".join(f"{side} {points} VP" for side, points, _ in describe.side_points(st))
        sub = theme.font(24).render(
            f"{sc.name}, turn {st.turn} of {sc.turns}:  {standing}", True, theme.TEXT_DIM
        )
        screen.blit(sub, (42, 84), (0, 0, w - 84, 40))
        why = self.reason()
        if why:
            text = theme.font(22).render(why, True, theme.TEXT_DIM)
            screen.blit(text, (42, 108), (0, 0, w - 84, 30))
        colours = [theme.faction_colour(f.color) for f in sc.factions]
        half = (w - 120) // 2
        box_h = h - 260
        for i, (key, label) in enumerate(
            (("vp", "Victory points by faction"), ("steps", "Steps (strength) by faction"))
        ):
            rect = pygame.Rect(40 + i * (half + 40), 146, half, box_h - 16)
            turns, per = series(st, key)
            draw_chart(screen, rect, label, turns, per, colours)
        x = 40
        for f, colour in zip(sc.factions, colours, strict=True):
            pygame.draw.rect(screen, colour, (x, 130 + box_h + 18, 16, 16))
            name = theme.font(22).render(f.name, True, theme.TEXT)
            screen.blit(name, (x + 22, 130 + box_h + 17))
            x += name.get_width() + 50


def tick_step(top: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving at most five lines up to `top`."""
    step = 1
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= 5:
                break
    return step


def draw_chart(
    screen: pygame.Surface,
    rect: pygame.Rect,
    label: str,
    turns: list[int],
    per: list[list[int]],
    colours,
) -> None:
    """A line per faction over the turns, with axes and a scale."""
    pygame.draw.rect(screen, theme.PANEL, rect)
    pygame.draw.rect(screen, theme.PANEL_EDGE, rect, 1)
    screen.blit(
        theme.font(24, bold=True).render(label, True, theme.TEXT), (rect.x + 10, rect.y + 8)
    )
    plot = pygame.Rect(rect.x + 50, rect.y + 40, rect.w - 70, rect.h - 80)
    step = tick_step(max([max(v, default=0) for v in per] + [1]))
    top = step * math.ceil(max([max(v, default=0) for v in per] + [1]) / step)
    small = theme.font(18)
    for value in range(0, top + 1, step):
        y = plot.bottom - plot.h * value / top
        pygame.draw.line(screen, (52, 58, 68), (plot.x, y), (plot.right, y))
        text = small.render(str(value), True, theme.TEXT_DIM)
        screen.blit(text, (plot.x - text.get_width() - 6, y - text.get_height() / 2))
    if len(turns) < 1:
        return
    first, last = turns[0], max(turns[-1], turns[0] + 1)
    for t in sorted({first, last, (first + last) // 2}):
        x = plot.x + plot.w * (t - first) / (last - first)
        text = small.render(f"turn {t}", True, theme.TEXT_DIM)
        spot = text.get_rect(midtop=(x, plot.bottom + 6))
        spot.clamp_ip(rect.inflate(-4, 0))
        screen.blit(text, spot)
    for values, colour in zip(per, colours, strict=True):
        points = [
            (plot.x + plot.w * (t - first) / (last - first), plot.bottom - plot.h * v / top)
            for t, v in zip(turns, values, strict=True)
        ]
        if len(points) > 1:
            pygame.draw.lines(screen, colour, False, points, 3)
        for p in points[-1:]:
            pygame.draw.circle(screen, colour, p, 4)
