"""The side panel's widgets: the account of the selection and the hex, the buttons, and the
message log. The game screen says what goes in them; this lays them out and fills them."""

from __future__ import annotations

import pygame
from pygame_gui import UIManager
from pygame_gui.elements import UIButton, UITextBox

from game.ui import describe, theme
from game.ui.session import LogLine

BUTTONS = (
    ("end", "End turn"),
    ("undo", "Undo"),
    ("embark", "Embark"),
    ("supply", "Supply (S)"),
    ("help", "Help (F1)"),
    ("menu", "Menu"),
)


class SidePanel:
    """The widgets below the small map, in `rect`."""

    def __init__(self, manager: UIManager, rect: pygame.Rect, top: int) -> None:
        x, w = rect.x + 6, rect.w - 12
        y = rect.y + top
        info_h = max(120, (rect.bottom - y - 80) * 55 // 100)
        self.info = UITextBox("", pygame.Rect(x, y, w, info_h), manager)
        y += info_h + 4
        bw = (w - 8) // 3
        self.buttons: dict[str, UIButton] = {}
        for i, (key, text) in enumerate(BUTTONS):
            row, col = divmod(i, 3)
            spot = pygame.Rect(x + col * (bw + 4), y + row * 34, bw, 30)
            self.buttons[key] = UIButton(spot, text, manager)
        y += 72
        self.log_box = UITextBox("", pygame.Rect(x, y, w, max(60, rect.bottom - y - 6)), manager)
        self._log_len = -1

    def widgets(self) -> list:
        """Every widget of the panel."""
        return [self.info, self.log_box, *self.buttons.values()]

    def kill(self) -> None:
        """Remove the widgets (the panel is laid out again)."""
        for widget in self.widgets():
            widget.kill()

    def show(self, visible: bool) -> None:
        """Show or hide the whole panel (hidden during a hot-seat handover)."""
        for widget in self.widgets():
            if visible:
                widget.show()
            else:
                widget.hide()

    def button(self, element) -> str | None:
        """Which of the panel's buttons a pressed widget is, if any."""
        return next((key for key, b in self.buttons.items() if b is element), None)

    def set_buttons(self, enabled: dict[str, bool], embark_shown: bool) -> None:
        """Enable the order buttons that can be used now; hide Embark where nothing flies."""
        for key, on in enabled.items():
            if on:
                self.buttons[key].enable()
            else:
                self.buttons[key].disable()
        if not embark_shown:
            self.buttons["embark"].hide()

    def set_log(self, log: list[LogLine]) -> None:
        """Show a side's log, newest first so the latest news is always in sight. Lines are
        wrapped here, to the width left beside the scroll bar: the text box wraps again when
        its scroll bar appears and would leave blank lines behind."""
        if len(log) == self._log_len:
            return
        self._log_len = len(log)
        room = self.log_box.rect.w - 64
        f = theme.font(20)
        lines = [
            f"<font color='#9aa0a8'>T{line.turn}</font> "
            + "<br>    ".join(
                describe.escape(part) for part in wrap(line.text, f, room, f"T{line.turn} ")
            )
            for line in reversed(log[-120:])
        ]
        self.log_box.set_text("<br>".join(lines))


def wrap(text: str, font: pygame.font.Font, width: int, lead: str = "") -> list[str]:
    """Break text into lines no wider than `width` pixels in `font` (the first line starts
    after `lead`, the others after an indent)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        head = lead if not lines else "    "
        if current and font.size(head + trial)[0] > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines
