"""The camera over the map: which part of it the map view shows, and at what zoom.

World coordinates are map pixels at the current zoom (hex size `zoom`: centre to corner).
Zoom comes in fixed levels so that each level's map can be drawn once and kept.
"""

from __future__ import annotations

import math

from game import hexgrid

ZOOMS = (6, 8, 10, 12, 15, 18, 22, 27, 32, 38, 44)
DEFAULT_ZOOM = 32
SQRT3 = math.sqrt(3.0)
MARGIN = 48  # screen pixels the view may show beyond the map's edge


def map_size(width: int, height: int, zoom: int) -> tuple[int, int]:
    """Pixel size of a map of width x height hexes drawn at hex size `zoom`."""
    return math.ceil(zoom * SQRT3 * (width + 0.5)) + 1, math.ceil(zoom * (1.5 * height + 0.5)) + 1


class Camera:
    """The map view's window onto the map: a zoom level and the world point at its top left."""

    def __init__(self, width: int, height: int, view: tuple[int, int, int, int]) -> None:
        self.width, self.height = width, height  # in hexes
        self.view = view  # x, y, w, h of the map view on screen
        self.zoom = DEFAULT_ZOOM
        self.x = 0.0
        self.y = 0.0

    # -- conversions ------------------------------------------------------------------------------
    def to_screen(self, wx: float, wy: float) -> tuple[float, float]:
        """Screen position of a world point."""
        return wx - self.x + self.view[0], wy - self.y + self.view[1]

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        """World point under a screen position."""
        return sx - self.view[0] + self.x, sy - self.view[1] + self.y

    def hex_centre(self, col: int, row: int) -> tuple[float, float]:
        """Screen position of a hex's centre."""
        return self.to_screen(*hexgrid.hex_to_pixel(col, row, self.zoom))

    def hex_at(self, sx: float, sy: float) -> tuple[int, int] | None:
        """The hex under a screen position, or None off the map or outside the view."""
        vx, vy, vw, vh = self.view
        if not (vx <= sx < vx + vw and vy <= sy < vy + vh):
            return None
        col, row = hexgrid.pixel_to_hex(*self.to_world(sx, sy), self.zoom)
        if 0 <= col < self.width and 0 <= row < self.height:
            return col, row
        return None

    # -- moving -----------------------------------------------------------------------------------
    def map_pixels(self) -> tuple[int, int]:
        """The whole map's size in pixels at the current zoom."""
        return self.map_pixels_at(self.zoom)

    def clamp(self) -> None:
        """Keep the map in view: past its edge shows at most a narrow margin."""
        mw, mh = self.map_pixels()
        _, _, vw, vh = self.view
        for axis, size, span in (("x", mw, vw), ("y", mh, vh)):
            if size <= span:
                setattr(self, axis, (size - span) / 2)  # smaller than the view: centre it
            else:
                lo, hi = -MARGIN, size - span + MARGIN
                setattr(self, axis, min(max(getattr(self, axis), lo), hi))

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by screen pixels."""
        self.x += dx
        self.y += dy
        self.clamp()

    def set_view(self, view: tuple[int, int, int, int]) -> None:
        """The map view moved or changed size (the window was resized): keep its centre."""
        cx, cy = self.x + self.view[2] / 2, self.y + self.view[3] / 2
        self.view = view
        self.x, self.y = cx - view[2] / 2, cy - view[3] / 2
        self.clamp()

    def zoom_at(self, steps: int, sx: float, sy: float) -> bool:
        """Zoom in (steps > 0) or out by levels, keeping the map point under (sx, sy) there.
        Returns whether the zoom changed."""
        i = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else ZOOMS.index(DEFAULT_ZOOM)
        new = ZOOMS[min(max(i + steps, 0), len(ZOOMS) - 1)]
        if new == self.zoom:
            return False
        wx, wy = self.to_world(sx, sy)
        scale = new / self.zoom
        self.zoom = new
        self.x = wx * scale - (sx - self.view[0])
        self.y = wy * scale - (sy - self.view[1])
        self.clamp()
        return True

    def centre_on(self, col: int, row: int) -> None:
        """Put a hex in the middle of the view."""
        wx, wy = hexgrid.hex_to_pixel(col, row, self.zoom)
        self.x, self.y = wx - self.view[2] / 2, wy - self.view[3] / 2
        self.clamp()

    def fit(self) -> None:
        """The largest zoom level at which the whole map fits the view, centred."""
        fitting = [
            z
            for z in ZOOMS
            if all(a <= b for a, b in zip(self.map_pixels_at(z), self.view[2:], strict=True))
        ]
        self.zoom = max(fitting) if fitting else ZOOMS[0]
        self.clamp()

    def map_pixels_at(self, zoom: int) -> tuple[int, int]:
        """The whole map's size in pixels at a zoom level."""
        return map_size(self.width, self.height, zoom)

    def visible_hexes(self) -> tuple[int, int, int, int]:
        """Column and row bounds (c0, r0, c1, r1, ends excluded) of the hexes in view."""
        s = self.zoom
        c0 = int(self.x / (s * SQRT3)) - 1
        r0 = int(self.y / (1.5 * s)) - 1
        c1 = int((self.x + self.view[2]) / (s * SQRT3)) + 2
        r1 = int((self.y + self.view[3]) / (1.5 * s)) + 2
        return max(c0, 0), max(r0, 0), min(c1, self.width), min(r1, self.height)
