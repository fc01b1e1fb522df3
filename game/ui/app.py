"""The window and its loop: one screen at a time (main menu, game, end of game).

`run_window` opens it. With `frames`, it draws that many frames, saves a screenshot if asked,
and returns: for tests and for the README's pictures.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import pygame
import pygame_gui

from game.ui import theme

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
WINDOW = (1280, 800)
MIN_WINDOW = (900, 600)  # below this the side panel crowds the map


class WindowError(Exception):
    """The window cannot be opened (no display, no video driver)."""


class Screen(Protocol):
    """What the loop asks of a screen."""

    def handle(self, event: pygame.event.Event, consumed: bool) -> None: ...
    def update(self, dt: float) -> None: ...
    def draw(self, screen: pygame.Surface) -> None: ...
    def resize(self) -> None: ...


class App:
    """The window, the pygame_gui manager and the screen being shown."""

    def __init__(
        self,
        size: tuple[int, int] = WINDOW,
        frame_limit: int | None = None,
        screenshot: str | None = None,
    ) -> None:
        try:
            pygame.display.init()
            pygame.font.init()  # no sound in this game: the mixer stays off
            pygame.display.set_caption("Aether Front")
            self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        except pygame.error as exc:
            pygame.quit()
            raise WindowError(str(exc)) from None
        if pygame.display.get_driver() == "offscreen" and os.environ.get("SDL_VIDEODRIVER") != (
            "offscreen"
        ):  # SDL found no display and fell back to drawing where nobody can see
            pygame.quit()
            raise WindowError("no display was found")
        theme.font.cache_clear()  # fonts die with pygame.quit(); a new window needs new ones
        theme_file = ASSETS / "ui_theme.json"
        self.manager = pygame_gui.UIManager(size, str(theme_file) if theme_file.is_file() else None)
        self.manager.preload_fonts(
            [
                {"name": "noto_sans", "point_size": 14, "style": style, "antialiased": "1"}
                for style in ("bold", "italic")
            ]
        )
        self.clock = pygame.time.Clock()
        self.frame_limit = frame_limit
        self.frames = 0
        self.screenshot = screenshot
        self.running = True
        self.current: Screen | None = None

    # -- screens ----------------------------------------------------------------------------------
    def show(self, screen_factory) -> None:
        """Replace the current screen (its widgets go with it)."""
        self.manager.clear_and_reset()
        self.current = screen_factory()

    def main_menu(self) -> None:
        """Go to the main menu."""
        from game.ui.menu import MenuScreen

        self.show(lambda: MenuScreen(self))

    def start_game(self, session) -> None:
        """Go into a game."""
        from game.ui.gamescreen import GameScreen

        self.show(lambda: GameScreen(self, session))

    def end_screen(self, session) -> None:
        """Go to the end-of-game screen."""
        from game.ui.endscreen import EndScreen

        self.show(lambda: EndScreen(self, session))

    # -- the loop ---------------------------------------------------------------------------------
    def run(self) -> None:
        """Run until the player quits or the frame limit is reached."""
        while self.running and self.current is not None:
            self.step()

    def step(self) -> None:
        """One turn of the loop: events, then time passing, then a frame."""
        dt = self.clock.tick(0 if self.frame_limit is not None else 60) / 1000.0
        for event in pygame.event.get():
            self.dispatch(event)
        if not self.running or self.current is None:
            return
        self.current.update(min(dt, 0.1))
        if self.running and self.current is not None:  # the widgets catch up before the frame
            self.manager.update(min(dt, 0.1))
            self.draw_frame()

    def dispatch(self, event: pygame.event.Event) -> None:
        """Hand one event to the widgets, then to the screen."""
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            size = (max(event.w, MIN_WINDOW[0]), max(event.h, MIN_WINDOW[1]))
            self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
            self.manager.set_window_resolution(size)
            if self.current is not None:
                self.current.resize()
            return
        consumed = self.manager.process_events(event)
        if self.current is not None:
            self.current.handle(event, consumed)

    def draw_frame(self) -> None:
        """Draw the current screen and its widgets, and show them; at the frame limit, save the
        screenshot and stop."""
        if self.current is None:
            return
        self.current.draw(self.screen)
        if not getattr(self.current, "hides_widgets", lambda: False)():
            self.manager.draw_ui(self.screen)
        pygame.display.flip()
        self.frames += 1
        if self.frame_limit is not None and self.frames >= self.frame_limit:
            self.running = False
            if self.screenshot:
                try:
                    Path(self.screenshot).parent.mkdir(parents=True, exist_ok=True)
                    pygame.image.save(self.screen, self.screenshot)
                except (OSError, pygame.error) as exc:
                    raise WindowError(f"cannot save {self.screenshot}: {exc}") from None


def run_window(
    session=None,
    frames: int | None = None,
    screenshot: str | None = None,
    size: tuple[int, int] = WINDOW,
) -> App:
    """Open the window on the main menu, or on a game when a session is given; returns when
    the player quits (or after `frames` frames)."""
    os.environ.setdefault("SDL_VIDEO_WINDOW_POS", "centered")
    app = App(size, frames, screenshot)
    if session is None:
        app.main_menu()
    else:
        app.start_game(session)
    try:
        app.run()
    finally:
        if frames is None:
            pygame.quit()
    return app
