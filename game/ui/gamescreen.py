"""The game screen: the map view, the top bar, the side panel (small map, unit and hex, buttons,
message log), the combat preview, pop-ups, the hot-seat handover and the computer's turns.

Input turns into commands (submitted through the session, so the engine decides) or into a
change of what is shown; it never touches the game state.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIWindow
from pygame_gui.windows import UIMessageWindow

from game import battle, fleets, hexgrid, movement
from game.commands import Attack, Bombard, Command, EndTurn, Land, Move, RailMove, Undo
from game.engine import Result
from game.supply_explain import explain
from game.ui import describe, hud, theme
from game.ui.camera import Camera
from game.ui.hud import TOP
from game.ui.mapview import Ghost, MapView
from game.ui.orders import (
    Options,
    embark_order,
    options,
    order_for,
    preview,
    visible_enemy,
)
from game.ui.panel import SidePanel
from game.ui.session import Session

if TYPE_CHECKING:
    from game.ui.app import App

Hex = tuple[int, int]
PANEL_W = 330
MINIMAP_H = 170
PAN_SPEED = 900.0  # screen pixels a second for keys and the screen edge
EDGE = 6  # pixels from the window's edge where the mouse scrolls the map
HOLD = 0.25  # seconds a tap of S may last before it counts as holding (scrolling)
SLIDE = 0.22  # seconds a computer unit takes to slide to its new hex
DISMISS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE)


class GameScreen:
    """One game on screen."""

    def __init__(self, app: App, session: Session) -> None:
        self.app = app
        self.session = session
        sc = session.engine.scenario
        self.sc = sc
        self.camera = Camera(sc.width, sc.height, self.map_rect())
        self.view = MapView(sc, self.camera)
        self.selection: list[int] = []
        self.opts: Options | None = None
        self.hover: Hex | None = None
        self.paths: dict[int, int] = {}
        self.drag: tuple[int, int] | None = None
        self.dragging = False
        self.mouse_seen = False
        self.s_down: float | None = None
        self.flash = ("", 0.0)
        self.flash_good = False
        self.losses: tuple[Hex, str, float] | None = None  # steps lost in the last fight shown
        self.ghosts: list[Ghost] = []
        self.blast: Hex | None = None
        self.skip = False
        self.popup: UIMessageWindow | None = None
        self.popup_text = ("", "")
        self.help: UIMessageWindow | None = None
        self.menu: UIWindow | None = None
        self.viewer_key: object = object()
        self._preview_key: tuple = ()
        self._preview: list[str] = []
        self._supply_key: tuple = ()
        self._supply_route: list[Hex] = []
        self._seen: np.ndarray | None = None
        rules = sc.rules
        arriving = [u for _, r in sc.reinforcements for u in r.units]
        arriving += [u for e in sc.events for r in e.reinforcements for u in r.units]
        self.has_fleets = any(rules.unit_types[u.type].carry for u in [*sc.units, *arriving])
        self._build_panel()
        self._start_view()

    # -- layout -----------------------------------------------------------------------------------
    def map_rect(self) -> tuple[int, int, int, int]:
        """Where the map view sits: all the window but the top bar and the side panel."""
        w, h = self.app.screen.get_size()
        return (0, TOP, max(100, w - PANEL_W), max(100, h - TOP))

    def panel_rect(self) -> pygame.Rect:
        """The side panel's rectangle."""
        w, h = self.app.screen.get_size()
        return pygame.Rect(w - PANEL_W, TOP, PANEL_W, h - TOP)

    def minimap_rect(self) -> pygame.Rect:
        """The small map's rectangle, at the top of the side panel, keeping the map's shape."""
        p = self.panel_rect()
        mw, mh = self.camera.map_pixels_at(10)
        h = min(MINIMAP_H, int((PANEL_W - 16) * mh / mw))
        w = int(h * mw / mh)
        return pygame.Rect(p.x + (PANEL_W - w) // 2, p.y + 8, w, h)

    def _build_panel(self) -> None:
        self.panel = SidePanel(self.app.manager, self.panel_rect(), MINIMAP_H + 14)
        self.info = self.panel.info
        self.log_box = self.panel.log_box
        self.buttons = self.panel.buttons

    def resize(self) -> None:
        """The window changed size: lay the screen out again, open windows included."""
        self.camera.set_view(self.map_rect())
        self.panel.kill()
        self._build_panel()
        if self.help is not None:
            self.toggle_help()
            self.toggle_help()
        if self.menu is not None:
            self.close_menu()
            self.open_menu()
        if self.popup is not None:
            self.close_popup()
            self._open_popup(*self.popup_text)
        self.refresh()

    # -- what is shown ----------------------------------------------------------------------------
    def _start_view(self) -> None:
        """Centre on the middle of the looking faction's units."""
        st = self.session.state
        viewer = self.viewer_faction()
        u = st.units
        ids = [
            int(i)
            for i in np.flatnonzero(np.asarray(u.alive) & (np.asarray(u.carrier) < 0))
            if viewer is None or int(u.faction[i]) == viewer
        ]
        if ids:
            xs, ys = hexgrid.hex_to_pixel(np.asarray(u.col)[ids], np.asarray(u.row)[ids], 1.0)
            mid = int(np.argmin((xs - xs.mean()) ** 2 + (ys - ys.mean()) ** 2))
            self.camera.centre_on(int(u.col[ids[mid]]), int(u.row[ids[mid]]))
        self.refresh()

    def viewer_faction(self) -> int | None:
        """The faction whose memory of enemy units is shown: the human to move, or the first
        human faction of the viewing side; None when only computers play."""
        side = self.session.viewer()
        if side is None:
            return None
        st = self.session.state
        if self.session.is_human(int(st.active)) and st.side_of(int(st.active)) == side:
            return int(st.active)
        return next(f for f in self.session.humans if st.side_of(f) == side)

    def refresh(self) -> None:
        """The game changed: work out again what is seen and what the selection can do."""
        st = self.session.state
        self._seen = self.session.seen(self.session.viewer())
        self.selection = [
            i for i in self.selection if st.units.alive[i] and st.units.faction[i] == st.active
        ]
        self.view.invalidate()
        self._update_options()
        self._update_info()
        self._update_log()
        self._update_buttons()

    def _update_options(self) -> None:
        st = self.session.state
        if not self.selection or not self.session.human_to_move():
            self.opts, self.paths = None, {}
            return
        self.opts = options(st, self.selection, self._seen)
        uid = self.selection[0]
        self.paths = {}
        if st.units.carrier[uid] < 0 and st.units.moves[uid] > 0:
            ctx = movement.context(st, int(st.units.faction[uid]))
            self.paths = movement.find_paths(ctx, uid)[1]

    def _update_info(self) -> None:
        st = self.session.state
        parts = []
        side = self.session.viewer()
        for uid in self.selection[:3]:
            mine = side is None or st.side_of(int(st.units.faction[uid])) == side
            parts.append(describe.unit_text(st, uid, mine))
        where = self.hover or (self._unit_hex(self.selection[0]) if self.selection else None)
        if where is not None:
            parts.append(describe.hex_text(st, *where))
            parts += self._units_listed(where)
        if not parts and not self.session.humans:
            parts.append("The computer plays every side: watch, scroll and zoom as you like.")
        elif not parts and not self.session.human_to_move():
            parts.append("The computer is moving. Space skips its moves on the map.")
        elif not parts:
            parts.append("Click one of your units to see what it can do. F1 lists every key.")
        self.info.set_text("<br><br>".join(parts))

    def _units_listed(self, where: Hex) -> list[str]:
        """The units on a hex the viewer can see, one line each."""
        st = self.session.state
        if self._seen is not None and not self._seen[where[1], where[0]]:
            return ["<i>Out of sight</i>"]
        u = st.units
        lines = []
        for uid in st.units_at(*where):
            f = st.scenario.factions[int(u.faction[uid])]
            lines.append(f"{describe.coloured(u.names[uid], f.color)} ({int(u.steps[uid])} steps)")
            lines += [f"  aboard: {u.names[r]}" for r in st.aboard(uid) if self._is_ours(r)]
        return ["<br>".join(lines)] if lines else []

    def _is_ours(self, uid: int) -> bool:
        side = self.session.viewer()
        st = self.session.state
        return side is None or st.side_of(int(st.units.faction[uid])) == side

    def _update_log(self) -> None:
        self.panel.set_log(self.session.log(self.session.viewer()))

    def _update_buttons(self) -> None:
        human = self.session.human_to_move()
        enabled = {
            "end": human,
            "undo": human and self.session.engine.undo_problem() is None,
            "embark": human and self.opts is not None and bool(self.opts.embark),
        }
        self.panel.set_buttons(enabled, embark_shown=self.has_fleets)

    def _unit_hex(self, uid: int) -> Hex:
        u = self.session.state.units
        return int(u.col[uid]), int(u.row[uid])

    def say(self, text: str, good: bool = False) -> None:
        """Show a short message over the map for a few seconds: a refused order's reason (on
        red), or news such as a save done (on green)."""
        self.flash = (text, time.monotonic() + 4.0)
        self.flash_good = good

    # -- orders -----------------------------------------------------------------------------------
    def submit(self, cmd: Command) -> Result:
        """Submit a command; on refusal show the engine's reason."""
        result = self.session.submit(cmd)
        if not result.ok:
            self.say(result.reason)
        self.refresh()
        return result

    def click_hex(self, where: Hex, ctrl: bool = False, shift: bool = False) -> None:
        """A left click on a hex: select your units there (again: the next one of the stack,
        troops aboard included), or give the selection the order the lit hex stands for."""
        if not self.session.human_to_move():
            return
        mine = self._own_units_at(where)
        if ctrl:
            self._add_to_selection(mine)
        elif mine:
            current = self.selection[0] if self.selection else None
            nxt = mine[(mine.index(current) + 1) % len(mine)] if current in mine else mine[0]
            self.selection = [nxt]
        elif self.opts is not None:
            self.order(where, shift)
            return
        self.refresh()

    def right_click_hex(self, where: Hex, shift: bool = False) -> None:
        """A right click: the order for that lit hex, even one your own units stand on (to
        stack, or to land on the fleet's own hex); elsewhere it clears the selection."""
        if self.opts is not None and self.session.human_to_move():
            cmd = order_for(self.session.state, self.opts, where, advance=not shift, rail=shift)
            if cmd is not None:
                self.order(where, shift)
                return
        self.selection = []
        self.refresh()

    def order(self, where: Hex, shift: bool = False) -> None:
        """Give the selection the order a click on `where` means, or say why there is none."""
        st = self.session.state
        assert self.opts is not None
        opts = self.opts
        if shift and where in opts.moves and where not in opts.rail and where not in opts.attacks:
            self.say(opts.rail_reason or "the train does not go there")
            return
        cmd = order_for(st, opts, where, advance=not shift, rail=shift)
        if cmd is not None:
            result = self.submit(cmd)
            if result and isinstance(cmd, Attack | Bombard):
                self.show_losses(where, result)
                self.skip = False
                self.animate([], where)  # a flash where the blow fell
            if isinstance(cmd, Attack | Bombard):  # the others have fought: keep the leader
                self.selection = [i for i in self.selection if st.units.alive[i]][:1]
                self.refresh()
        elif self._has_visible_enemy(where):
            self.say(self._why_not(where))  # the selection stays: pick another target
        else:
            self._explain_refusal(where)

    def _own_units_at(self, where: Hex) -> list[int]:
        """The units of the faction to move on a hex, then the troops its fleets carry."""
        st = self.session.state
        mine = [i for i in st.units_at(*where) if int(st.units.faction[i]) == int(st.active)]
        return mine + [r for f in mine for r in st.aboard(f)]

    def _add_to_selection(self, mine: list[int]) -> None:
        """Ctrl+click: add the next unit of the stack not yet selected; when all are, take
        the whole stack out again."""
        fresh = [i for i in mine if i not in self.selection]
        if fresh:
            self.selection.append(fresh[0])
        else:
            self.selection = [i for i in self.selection if i not in mine]

    def _explain_refusal(self, where: Hex) -> None:
        """Ask the engine to move (or land) the selected unit there, so that the player reads
        why it cannot; a refused command changes nothing."""
        assert self.opts is not None
        uid = self.opts.primary
        aboard = self.session.state.units.carrier[uid] >= 0
        self.submit(Land(uid, where) if aboard else Move(uid, where))

    def _has_visible_enemy(self, where: Hex) -> bool:
        st = self.session.state
        return visible_enemy(st, int(st.active), where, self._seen)

    def _why_not(self, where: Hex) -> str:
        """The engine's reason why the selection cannot attack there."""
        if self.opts is None:
            return ""
        st = self.session.state
        uid = self.opts.primary
        reach = int(st.rules.ut_bombard_range[st.units.type[uid]])
        if reach > 0:
            return fleets.bombard_problem(st, uid, *where) or ""
        return (
            battle.attack_problem(st, uid, *where) or "there is nobody there this unit can attack"
        )

    def undo(self) -> None:
        """Take back the last move, if the engine allows."""
        if self.session.human_to_move():
            self.submit(Undo())

    def end_turn(self) -> None:
        """End the human player's turn."""
        if self.session.human_to_move():
            self.selection = []
            self.submit(EndTurn())

    def next_unit(self) -> None:
        """Select the next unit of the faction to move that can still move or fight."""
        st = self.session.state
        u = st.units
        ready = [
            int(i)
            for i in st.faction_units(int(st.active))
            if u.moves[i] > 0 or not u.attacked[i]  # troops aboard too: they can land
        ]
        if not ready:
            self.say("Every unit has moved and fought: press Enter to end the turn")
            return
        current = self.selection[0] if self.selection else -1
        later = [i for i in ready if i > current]
        self.selection = [later[0] if later else ready[0]]
        self.camera.centre_on(*self._unit_hex(self.selection[0]))
        self.refresh()

    # -- events -----------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event, consumed: bool) -> None:
        """One input event."""
        if self.session.needs_handover():
            self._handle_handover(event)
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if self.menu is not None:
                self._menu_choice(event.ui_element)
            elif self.popup is None:  # the panel's buttons wait while a pop-up is open
                self._button(event.ui_element)
            return
        if event.type == pygame_gui.UI_WINDOW_CLOSE:
            for name in ("popup", "help", "menu"):
                if getattr(self, name) is event.ui_element:
                    setattr(self, name, None)
            return
        if consumed:
            return
        if self.menu is not None or self.popup is not None:
            self._handle_modal(event)  # the map waits while a window asks for an answer
            return
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.KEYUP and event.key == pygame.K_s:
            if self.s_down is not None and time.monotonic() - self.s_down < HOLD:
                self.toggle_supply()
            self.s_down = None
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self._mouse_down(event)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._mouse_up(event)
        elif event.type == pygame.MOUSEMOTION:
            self._mouse_move(event)
        elif event.type == pygame.MOUSEWHEEL:
            x, y = pygame.mouse.get_pos()
            if pygame.Rect(self.camera.view).collidepoint(x, y):
                self.zoom(event.y, x, y)

    def _handle_modal(self, event: pygame.event.Event) -> None:
        """Keys while the game menu or an event pop-up is open: Esc closes the menu; Enter,
        Space or Esc dismisses the pop-up."""
        if event.type != pygame.KEYDOWN:
            return
        if self.menu is not None and event.key == pygame.K_ESCAPE:
            self.close_menu()
        elif self.menu is None and event.key in DISMISS:
            self.close_popup()

    def close_popup(self) -> None:
        """Dismiss the event pop-up on screen."""
        if self.popup is not None:
            self.popup.kill()
            self.popup = None

    def _handle_handover(self, event: pygame.event.Event) -> None:
        go = event.type == pygame.MOUSEBUTTONUP or (
            event.type == pygame.KEYDOWN
            and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)
        )
        if go:
            self.session.take_over()
            self.selection = []
            self._show_panel(True)
            self._start_view()

    def _button(self, element) -> None:
        actions = {
            "end": self.end_turn,
            "undo": self.undo,
            "embark": self.embark,
            "supply": self.toggle_supply,
            "help": self.toggle_help,
            "menu": self.open_menu,
        }
        key = self.panel.button(element)
        if key is not None:
            actions[key]()

    def _key(self, event: pygame.event.Event) -> None:
        k, mods = event.key, event.mod
        ctrl = bool(mods & pygame.KMOD_CTRL)
        if k == pygame.K_F1:
            self.toggle_help()
        elif k == pygame.K_F5:
            self.quicksave()
        elif k == pygame.K_F9:
            self.quickload()
        elif k == pygame.K_ESCAPE:
            if self.selection:
                self.selection = []
                self.refresh()
            else:
                self.open_menu()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.end_turn()
        elif k == pygame.K_u or (k == pygame.K_z and ctrl):
            self.undo()
        elif k == pygame.K_TAB:
            self.next_unit()
        elif k == pygame.K_e:
            self.embark()
        elif k == pygame.K_g:
            self.view.toggle_grid()
        elif k == pygame.K_c and self.selection:
            self.camera.centre_on(*self._unit_hex(self.selection[0]))
        elif k == pygame.K_s and not ctrl:
            self.s_down = time.monotonic()
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.zoom(1, *pygame.Rect(self.camera.view).center)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.zoom(-1, *pygame.Rect(self.camera.view).center)

    def _mouse_down(self, event: pygame.event.Event) -> None:
        if event.button == 3:
            where = self.camera.hex_at(*event.pos)
            if where is None:
                self.selection = []
                self.refresh()
            else:
                self.right_click_hex(where, shift=bool(pygame.key.get_mods() & pygame.KMOD_SHIFT))
        elif event.button == 1:
            if self.minimap_rect().collidepoint(event.pos):
                self.camera.x, self.camera.y = self.view.minimap_target(
                    self.minimap_rect(), event.pos
                )
                self.camera.pan(-self.camera.view[2] / 2, -self.camera.view[3] / 2)
            elif pygame.Rect(self.camera.view).collidepoint(event.pos):
                self.drag, self.dragging = event.pos, False

    def _mouse_up(self, event: pygame.event.Event) -> None:
        if self.drag is not None and not self.dragging:
            where = self.camera.hex_at(*event.pos)
            if where is not None:
                mods = pygame.key.get_mods()
                self.click_hex(
                    where, ctrl=bool(mods & pygame.KMOD_CTRL), shift=bool(mods & pygame.KMOD_SHIFT)
                )
        self.drag, self.dragging = None, False

    def _mouse_move(self, event: pygame.event.Event) -> None:
        self.mouse_seen = True
        if self.drag is not None and event.buttons[0]:
            dx, dy = event.pos[0] - self.drag[0], event.pos[1] - self.drag[1]
            if self.dragging or abs(dx) + abs(dy) > 5:
                self.dragging = True
                self.camera.pan(-dx, -dy)
                self.drag = event.pos
            return
        if self.minimap_rect().collidepoint(event.pos) and event.buttons[0]:
            self.camera.x, self.camera.y = self.view.minimap_target(self.minimap_rect(), event.pos)
            self.camera.pan(-self.camera.view[2] / 2, -self.camera.view[3] / 2)
        where = self.camera.hex_at(*event.pos)
        if where != self.hover:
            self.hover = where
            self._update_info()

    def zoom(self, steps: int, x: float, y: float) -> None:
        """Zoom by levels about a screen point."""
        if self.camera.zoom_at(steps, x, y):
            self.view.invalidate()
            self.hover = self.camera.hex_at(*pygame.mouse.get_pos())
            self._update_info()

    def toggle_supply(self) -> None:
        """Supply overlay on or off."""
        self.view.show_supply = not self.view.show_supply
        self.view.invalidate()
        if self.view.show_supply and not self.sc.has_supply:
            self.say("This scenario has no supply rules: every unit is always in full supply")

    def toggle_help(self) -> None:
        """The help window with every hotkey."""
        if self.help is not None:
            self.help.kill()
            self.help = None
            return
        w, h = self.app.screen.get_size()
        vx, vy, vw, vh = self.camera.view
        rect = pygame.Rect(vx + 20, vy + 20, min(680, vw - 40), vh - 40)
        self.help = UIMessageWindow(
            rect, describe.help_text(self.sc), self.app.manager, window_title="Keys and mouse"
        )

    def embark(self) -> None:
        """Board the selected ground unit onto a fleet on its hex."""
        if self.opts is None:
            return
        cmd = embark_order(self.opts)
        if cmd is None:
            self.say("There is no fleet of yours here with room for this unit")
            return
        self.submit(cmd)

    # -- the game menu ----------------------------------------------------------------------------
    def open_menu(self) -> None:
        """The game menu: resume, save, back to the main menu, quit."""
        if self.menu is not None:
            return
        w, h = self.app.screen.get_size()
        rect = pygame.Rect(w // 2 - 170, h // 2 - 150, 340, 300)
        self.menu = UIWindow(rect, self.app.manager, window_display_title="Game menu")
        self.menu_buttons = {}
        choices = (
            ("resume", "Resume"),
            ("save", "Save game"),
            ("main", "Main menu"),
            ("quit", "Quit"),
        )
        for i, (key, text) in enumerate(choices):
            self.menu_buttons[key] = UIButton(
                pygame.Rect(60, 20 + i * 50, 200, 40), text, self.app.manager, container=self.menu
            )

    def close_menu(self) -> None:
        """Close the game menu."""
        if self.menu is not None:
            self.menu.kill()
            self.menu = None

    def _menu_choice(self, element) -> None:
        choice = next((k for k, b in self.menu_buttons.items() if b is element), None)
        if choice is None:
            return
        self.close_menu()
        if choice == "save":
            self.save()
        elif choice == "main":
            self.app.main_menu()
        elif choice == "quit":
            self.app.running = False

    def save(self) -> None:
        """Save the game into the saves folder."""
        from game.save import SaveError, save_path

        path = save_path(self.sc, self.session.state)
        try:
            self.session.save(path)
        except SaveError as exc:
            self.say(str(exc))
            return
        self.say(f"Saved as {path.name} in the saves folder", good=True)

    def quicksave(self) -> None:
        """F5: save over this scenario's quicksave."""
        from game.save import SaveError, quicksave_path

        try:
            self.session.save(quicksave_path(self.sc))
        except SaveError as exc:
            self.say(str(exc))
            return
        self.say("Quicksaved: F9 comes back to this moment", good=True)

    def quickload(self) -> None:
        """F9: back to this scenario's quicksave (a hot-seat game shows the handover first)."""
        from game.save import SaveError, quicksave_path

        path = quicksave_path(self.sc)
        if not path.is_file():
            self.say("No quicksave of this scenario yet: F5 makes one")
            return
        try:
            session = Session.from_save(path)
        except SaveError as exc:
            self.say(str(exc))
            return
        self.app.start_game(session)

    # -- time passing -----------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        """Scroll, hand over, play the computer's turns, show pop-ups, end the game."""
        st = self.session.state
        watching = not self.session.humans  # only computers play: nothing waits for a click
        waiting = self.popup is not None or bool(self.session.news[self.session.viewer()].popups)
        if st.finished and (watching or not waiting):
            self.app.end_screen(self.session)
            return
        while self.session.notices:
            self.say(self.session.notices.pop(0))
        if self.session.needs_handover():
            self._show_panel(False)
            return
        self._scroll(dt)
        if self.popup is None and not watching:  # an onlooker reads events in the log
            popup = self.session.next_popup(self.session.viewer())
            if popup is not None:
                self._open_popup(*popup)
                return
        if self.viewer_key != (self.session.viewer(), st.turn, st.active):
            self.viewer_key = (self.session.viewer(), st.turn, st.active)
            self.refresh()
        if not st.finished and not self.session.human_to_move() and (watching or not self.popup):
            self.computer_turn()

    def _open_popup(self, title: str, text: str) -> None:
        self.popup_text = (title, text)
        w, h = self.app.screen.get_size()
        tall = min(h - 80, 120 + 25 * (len(text) // 64 + 1))
        vx, vy, vw, vh = self.camera.view
        rect = pygame.Rect(vx + vw // 2 - 260, vy + 24, 520, tall)  # above the centred units
        self.popup = UIMessageWindow(
            rect, describe.escape(text), self.app.manager, window_title=title
        )

    def _show_panel(self, show: bool) -> None:
        self.panel.show(show)
        if not show:
            for name in ("popup", "help"):
                window = getattr(self, name)
                if window is not None:
                    window.kill()
                    setattr(self, name, None)
            self.close_menu()

    def _scroll(self, dt: float) -> None:
        keys = pygame.key.get_pressed()
        dx = (keys[pygame.K_RIGHT] or keys[pygame.K_d]) - (keys[pygame.K_LEFT] or keys[pygame.K_a])
        held_s = self.s_down is not None and time.monotonic() - self.s_down >= HOLD
        dy = (keys[pygame.K_DOWN] or held_s) - (keys[pygame.K_UP] or keys[pygame.K_w])
        if self.mouse_seen and pygame.mouse.get_focused() and self.drag is None:
            x, y = pygame.mouse.get_pos()
            w, h = self.app.screen.get_size()
            dx += (x >= w - EDGE) - (x < EDGE)
            dy += (y >= h - EDGE) - (y < EDGE)
        if (dx or dy) and not any(self.app.manager.get_focus_set() or ()):
            self.camera.pan(dx * PAN_SPEED * dt, dy * PAN_SPEED * dt)

    def computer_turn(self) -> None:
        """Let the computer play the faction to move, showing what the viewer may see; then
        put the camera back where the player left it."""
        self.skip = False
        self.selection = []
        self.opts = None
        cam = self.camera
        before = (cam.zoom, cam.x, cam.y, self.session.viewer())
        self.session.play_computer_turn(self.watch)
        self.ghosts, self.blast = [], None
        if self.session.humans and before[3] == self.session.viewer():
            cam.zoom, cam.x, cam.y = before[:3]
        self.refresh()

    def watch(self, cmd: Command, result: Result, starts: dict[int, Hex]) -> None:
        """Show one computer command: a slide for a move, a flash for a fight."""
        if not result.ok or self.skip or self.session.needs_handover():
            return
        seen = self._seen
        if isinstance(cmd, Move | RailMove | Land):
            start, end = starts.get(cmd.unit), tuple(cmd.to)
            if start is None or (
                seen is not None and not (seen[start[1], start[0]] and seen[end[1], end[0]])
            ):
                return  # a move half in the fog would tell where the unit came from or went
            self.view.invalidate_units()
            self.follow(end)  # type: ignore[arg-type]
            self.animate([Ghost(cmd.unit, start, end)], None)  # type: ignore[arg-type]
        elif isinstance(cmd, Attack | Bombard):
            c, r = cmd.target
            if seen is None or seen[r, c]:
                self.view.invalidate_units()
                self.follow((c, r))
                self.show_losses((c, r), result)
                self.animate([], (c, r))
        self._seen = self.session.seen(self.session.viewer())
        self._update_log()

    def show_losses(self, where: Hex, result: Result) -> None:
        """Float the steps each side lost over the hex fought for, for a moment."""
        for report in result.reports:
            if report.kind in ("battle", "bombard"):
                theirs = int(report.data.get("defender_losses", 0))
                ours = int(report.data.get("attacker_losses", report.data.get("flak_losses", 0)))
                text = f"attackers {_lost(ours)}, defenders {_lost(theirs)}"
                self.losses = (where, text, time.monotonic() + 2.0)

    def follow(self, where: Hex) -> None:
        """Bring a hex the computer acts on into view, if it is not."""
        x, y = self.camera.hex_centre(*where)
        vx, vy, vw, vh = self.camera.view
        if not (vx + 40 <= x < vx + vw - 40 and vy + 40 <= y < vy + vh - 40):
            self.camera.centre_on(*where)

    def animate(self, ghosts: list[Ghost], blast: Hex | None) -> None:
        """Play a short animation, drawing frames until it ends or the player skips."""
        began = time.monotonic()
        while not self.skip and self.app.running:
            t = (time.monotonic() - began) / SLIDE
            for g in ghosts:
                g.t = t
            self.ghosts, self.blast = ghosts, blast
            for event in pygame.event.get():
                if event.type == pygame.QUIT:
                    self.app.running = False
                elif event.type == pygame.KEYDOWN and event.key in (
                    pygame.K_SPACE,
                    pygame.K_ESCAPE,
                ):
                    self.skip = True
            self.app.draw_frame()
            if t >= 1.0 or self.app.frame_limit is not None:
                break
        self.ghosts, self.blast = [], None

    # -- drawing ----------------------------------------------------------------------------------
    def hides_widgets(self) -> bool:
        """During a hot-seat handover no widget may show anything of the game."""
        return self.session.needs_handover()

    def draw(self, screen: pygame.Surface) -> None:
        """Draw the screen (pygame_gui draws its panels on top afterwards)."""
        screen.fill(theme.PANEL)
        if self.session.needs_handover():
            hud.draw_handover(screen, self.session.state)
            return
        st = self.session.state
        viewer = self.viewer_faction()
        path = self._hover_path()
        self.view.draw(
            screen,
            st,
            viewer,
            self._seen,
            self.selection,
            self.opts,
            self.hover,
            path,
            self.ghosts,
            self.blast,
            self._supply_path(),
        )
        self._draw_move_cost(screen, path)
        if self.losses is not None and time.monotonic() < self.losses[2]:
            hud.draw_label(screen, self.camera, self.losses[0], self.losses[1], (255, 120, 90))
        hud.draw_top_bar(screen, st, self.session.kinds)
        self.view.draw_minimap(screen, self.minimap_rect(), st, self._seen)
        lines = self.preview_lines()
        if lines:
            hud.draw_box(screen, lines, pygame.mouse.get_pos(), self.camera.view)
        text, until = self.flash
        if text and time.monotonic() < until:
            hud.draw_strip(screen, self.camera.view, text, self.flash_good)

    def _supply_path(self) -> list[Hex]:
        """With the supply overlay on: the way supply reaches the selected unit (worked out
        once per unit and position of the game)."""
        if not (self.view.show_supply and self.selection and self.sc.has_supply):
            return []
        key = (self.selection[0], len(self.session.engine.log), self.session.state.turn)
        if key != self._supply_key:
            self._supply_key = key
            self._supply_route = list(explain(self.session.state, self.selection[0]).path)
        return self._supply_route

    def _draw_move_cost(self, screen: pygame.Surface, path: list[Hex]) -> None:
        """At the end of the hovered path: what the move costs, of the moves left."""
        if not path or self.opts is None or path[-1] not in self.opts.moves:
            return
        cost = self.opts.moves[path[-1]]
        left = float(self.session.state.units.moves[self.opts.primary])
        hud.draw_label(screen, self.camera, path[-1], f"{cost:g} of {left:g}", (255, 240, 160))

    def _hover_path(self) -> list[Hex]:
        """The path the selected unit would take to the hovered hex."""
        if self.opts is None or self.hover is None:
            return []
        if self.hover not in self.opts.moves or not self.paths:
            return []
        if self.hover in self.opts.attacks or self.hover in self.opts.bombards:
            return []  # a click there fights; no move to show
        w = self.sc.width
        start = self._unit_hex(self.opts.primary)
        goal = self.hover[1] * w + self.hover[0]
        flats = movement.path_to(self.paths, start[1] * w + start[0], goal)
        return [(f % w, f // w) for f in flats]

    def preview_lines(self) -> list[str]:
        """The preview of the order a click on the hovered hex would give, kept until the
        hover, the selection or the game changes."""
        if self.opts is None or self.hover is None:
            return []
        key = (self.hover, tuple(self.selection), len(self.session.engine.log))
        if key != self._preview_key:
            self._preview_key = key
            self._preview = preview(self.session.state, self.opts, self.selection, self.hover)
        return self._preview


def _lost(steps: int) -> str:
    """Steps lost as the floating label shows them: "-2", or "unhurt"."""
    return f"-{steps}" if steps else "unhurt"
