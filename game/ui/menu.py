"""The main menu: choose a campaign, who plays each faction, the seed; load a saved game; quit."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import (
    UIButton,
    UIDropDownMenu,
    UILabel,
    UISelectionList,
    UITextBox,
    UITextEntryLine,
    UIWindow,
)
from pygame_gui.windows import UIMessageWindow

from game.engine import Engine
from game.narrate import day, turn_span
from game.save import SaveError, list_saves
from game.scenario import Scenario, ScenarioError, load
from game.ui import describe, theme
from game.ui.session import HUMAN, Session

if TYPE_CHECKING:
    from game.ui.app import App

#: The campaigns first, then the small scenarios.
FIRST = ("siberia_1939", "altun_shan_1943", "ulan_ude_1939", "vladivostok_1939")
#: What each faction's drop-down offers, and the player each choice stands for.
CHOICES = {
    "Human": HUMAN,
    "Computer, easy": "easy",
    "Computer, normal": "normal",
    "Computer, hard": "hard",
}


def scenario_names() -> list[str]:
    """Shipped scenarios, campaigns first."""
    from game.cli import shipped_scenarios

    names = shipped_scenarios()
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


class MenuScreen:
    """The main menu."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.names = scenario_names()
        self.loaded: dict[str, Scenario | str] = {}
        self.chosen: str | None = None
        self.who: dict[str, UIDropDownMenu] = {}
        self.faction_widgets: list = []
        self.saves_window: UIWindow | None = None
        self.saves_list: UISelectionList | None = None
        self.saves_buttons: dict[str, UIButton] = {}
        self.message: UIMessageWindow | None = None
        from game.cli import DEFAULT_SCENARIO

        first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in self.names else next(iter(self.names), None)
        self._build(first)
        self.choose(first)

    def _build(self, chosen: str | None) -> None:
        m = self.app.manager
        w, h = self.app.screen.get_size()
        left = 40
        self.list = UISelectionList(
            pygame.Rect(left, 110, 330, 260),
            list[str | tuple[str, str]]([self.title_of(n) for n in self.names]),
            m,
            default_selection=self.title_of(chosen) if chosen else None,
        )
        self.about_h = min(400, max(200, h - 110 - 3 * 40 - 130))
        self.about = UITextBox("", pygame.Rect(left + 350, 110, w - left - 390, self.about_h), m)
        UILabel(pygame.Rect(left, 390, 80, 30), "Seed", m)
        self.seed = UITextEntryLine(pygame.Rect(left + 80, 390, 120, 30), m)
        self.seed.set_allowed_characters("numbers")
        self.seed.set_text("1")
        y = h - 70
        self.start = UIButton(pygame.Rect(left, y, 200, 44), "Start", m)
        self.load = UIButton(pygame.Rect(left + 220, y, 200, 44), "Load saved game", m)
        self.quit = UIButton(pygame.Rect(left + 440, y, 200, 44), "Quit", m)

    def title_of(self, name: str) -> str:
        """A scenario as the list shows it: its title, or its file name if it does not load."""
        sc = self.scenario(name)
        return sc.name if isinstance(sc, Scenario) else name

    def scenario(self, name: str) -> Scenario | str:
        """A shipped scenario, loaded once; the error text when it does not load."""
        if name not in self.loaded:
            from game.cli import find_scenario

            try:
                self.loaded[name] = load(find_scenario(name))
            except ScenarioError as exc:
                self.loaded[name] = f"{name} does not load:\n{exc}"
        return self.loaded[name]

    def choose(self, name: str | None) -> None:
        """Show a scenario's description and a human-or-computer choice per faction."""
        for widget in self.faction_widgets:
            widget.kill()
        self.faction_widgets, self.who = [], {}
        self.chosen = name
        if name is None:
            self.about.set_text("No scenarios found in the scenarios folder.")
            self.start.disable()
            return
        sc = self.scenario(name)
        if isinstance(sc, str):
            self.about.set_text(describe.coloured(sc, "#ff8070"))
            self.start.disable()
            return
        self.start.enable()
        self.about.set_text(describe_scenario(sc))
        m = self.app.manager
        x, y = 390, 110 + self.about_h + 20
        w = self.app.screen.get_width()
        for i, f in enumerate(sc.factions):
            col, row = divmod(i, 3)
            fx = x + col * max(420, (w - x - 40) // 2)
            fy = y + row * 40
            label = UILabel(pygame.Rect(fx, fy, 230, 32), f.name, m)
            choice = UIDropDownMenu(
                list(CHOICES),
                "Human" if i == 0 else "Computer, normal",
                pygame.Rect(fx + 235, fy, 170, 32),
                m,
            )
            self.who[f.id] = choice
            self.faction_widgets += [label, choice]

    def players(self) -> dict[str, str]:
        """Who plays each faction of the chosen scenario."""
        return {fid: CHOICES[menu.selected_option[0]] for fid, menu in self.who.items()}

    def handle(self, event: pygame.event.Event, consumed: bool) -> None:
        """Clicks on the lists and buttons."""
        if (
            event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION
            and event.ui_element is self.list
        ):
            title = self.list.get_single_selection()
            for name in self.names:
                if self.title_of(name) == title:
                    self.choose(name)
        elif event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.start:
                self.begin()
            elif event.ui_element is self.quit:
                self.app.running = False
            elif event.ui_element is self.load:
                self.open_saves()
            elif event.ui_element is self.saves_buttons.get("load"):
                self.load_chosen()
            elif event.ui_element is self.saves_buttons.get("cancel"):
                self.close_saves()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.saves_window:
            self.close_saves()

    def begin(self) -> None:
        """Start the chosen scenario."""
        sc = self.scenario(self.chosen) if self.chosen else None
        if not isinstance(sc, Scenario):
            return
        text = self.seed.get_text().strip()
        seed = int(text) if text.isdigit() else 1
        self.app.start_game(Session(Engine(sc, seed=seed), self.players(), seed))

    # -- loading ----------------------------------------------------------------------------------
    def open_saves(self) -> None:
        """A window listing the saved games, newest first."""
        if self.saves_window is not None:
            return
        self.saves = list_saves()
        w, h = self.app.screen.get_size()
        rect = pygame.Rect(w // 2 - 330, h // 2 - 220, 660, 440)
        m = self.app.manager
        text = "newest first" if self.saves else "there are none yet"
        self.saves_window = UIWindow(rect, m, window_display_title="Load a saved game: " + text)
        items: list[str | tuple[str, str]] = [
            f"{time.strftime('%d %b %H:%M:%S', time.localtime(s.saved))}  "
            + (
                f"{s.path.name}: damaged, cannot be loaded"
                if s.problem
                else f"{s.scenario}, turn {s.turn} ({s.date}), played by hand: "
                + (", ".join(f for f, k in s.players.items() if k == HUMAN) or "nobody")
            )
            for s in self.saves
        ]
        inner = self.saves_window.get_container().get_size()
        self.saves_list = UISelectionList(
            pygame.Rect(10, 10, inner[0] - 20, inner[1] - 80), items, m, container=self.saves_window
        )
        self.saves_buttons = {
            key: UIButton(
                pygame.Rect(10 + i * 180, inner[1] - 56, 160, 44),
                label,
                m,
                container=self.saves_window,
            )
            for i, (key, label) in enumerate((("load", "Load"), ("cancel", "Cancel")))
        }

    def close_saves(self) -> None:
        """Close the list of saves."""
        if self.saves_window is not None:
            self.saves_window.kill()
        self.saves_window, self.saves_list, self.saves_buttons = None, None, {}

    def load_chosen(self) -> None:
        """Load the save chosen in the list; a message when it cannot be loaded."""
        if self.saves_list is None:
            return
        items = self.saves_list.item_list  # by position: two saves may read the same
        index = next((i for i, item in enumerate(items) if item["selected"]), None)
        if index is None:
            if self.saves_window is not None:
                self.saves_window.set_display_title("Load a saved game: choose one first")
            return
        try:
            session = Session.from_save(self.saves[index].path)
        except SaveError as exc:
            self.close_saves()
            w, h = self.app.screen.get_size()
            rect = pygame.Rect(w // 2 - 300, h // 2 - 120, 600, 240)
            self.message = UIMessageWindow(
                rect, describe.escape(str(exc)), self.app.manager, window_title="Cannot load"
            )
            return
        self.app.start_game(session)

    # -- the loop's calls -------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        """Nothing moves on the menu."""

    def resize(self) -> None:
        """Lay the menu out again for the new window size."""
        chosen = self.chosen
        self.app.manager.clear_and_reset()
        self.saves_window = None
        self.saves_buttons = {}
        self._build(chosen)
        self.choose(chosen)

    def draw(self, screen: pygame.Surface) -> None:
        """The backdrop and the title."""
        screen.fill(theme.BACKGROUND)
        title = theme.font(64, bold=True).render("Aether Front", True, theme.TEXT)
        screen.blit(title, (40, 14))
        sub = theme.font(24).render(
            "Siberia 1939 and Altun Shan 1942-43: choose a campaign", True, theme.TEXT_DIM
        )
        screen.blit(sub, (44, 78))


def describe_scenario(sc: Scenario) -> str:
    """A scenario's title, dates, turns, description and sides, for the menu."""
    last = sc.date_of_turn(sc.turns)
    span = turn_span(sc.turn_days)
    lines = [
        f"<b>{describe.escape(sc.name)}</b>",
        f"{day(sc.start)} to {day(last)}: {sc.turns} {span} turns, "
        f"{sc.width} x {sc.height} hexes of {sc.hex_km:g} km",
        "",
        describe.escape(" ".join(sc.description.split())),
        "",
    ]
    for side in sc.sides:
        members = [
            describe.coloured(f.name, f.color) + ("" if f.at_war else " (enters later)")
            for f in sc.factions
            if f.side == side
        ]
        lines.append(f"<b>{describe.side_name(side)}:</b> " + ", ".join(members))
    lines += ["", *map(describe.escape, describe.victory_lines(sc))]
    return "<br>".join(lines)
