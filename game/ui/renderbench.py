"""The `render` section of `bench`: how long a frame of the map view takes with a whole campaign
map and 500 counters at 1280 x 800, against drawing every visible hex as a polygon each frame
(the straightforward way), and how long drawing the map once takes.

It runs under SDL's dummy video driver when there is no display, so it works on any machine.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

SIZE = (1280, 800)
COUNTERS = 500
CAMPAIGN = Path(__file__).resolve().parent.parent.parent / "scenarios" / "siberia_1939.yaml"


def run_render_bench(quick: bool = False) -> list[dict]:
    """Rows of the render section: per zoom, the frame time of the map view and of the
    per-frame polygon reference; then the pre-render of the map."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from game.scenario import load
    from game.state import new_game
    from game.ui import theme
    from game.ui.camera import DEFAULT_ZOOM, Camera
    from game.ui.mapview import MapView

    pygame.display.init()
    pygame.font.init()
    theme.font.cache_clear()
    screen = pygame.display.set_mode(SIZE)
    sc = load(CAMPAIGN)
    state = crowded_state(sc, new_game(sc, 1), COUNTERS)
    frames = 20 if quick else 120
    rows = []
    camera = Camera(sc.width, sc.height, (0, 0, *SIZE))
    view = MapView(sc, camera)
    for zoom in ("fit", DEFAULT_ZOOM):
        if zoom == "fit":
            camera.fit()
        else:
            camera.zoom = int(zoom)
            camera.centre_on(sc.width // 2, sc.height // 2)
        view.invalidate()
        view.draw(screen, state, None, None, [], None, None, [])  # draws and keeps the map
        ours = _frame_times(
            lambda: view.draw(screen, state, None, None, [], None, None, []), frames
        )
        sprites = view.sprites(state, None, None, [])
        reference = _frame_times(partial(polygon_frame, screen, camera, sc, sprites), frames)
        c0, r0, c1, r1 = camera.visible_hexes()
        rows.append(
            {
                "zoom": camera.zoom,
                "window": f"{SIZE[0]}x{SIZE[1]}",
                "map": f"{sc.width}x{sc.height}",
                "hexes_in_view": (c1 - c0) * (r1 - r0),
                "counters": sum(1 for s in sprites if s.unit >= 0),
                "seconds": ours,
                "reference_seconds": reference,
                "ratio": round(reference / ours, 2),
            }
        )
    fresh = MapView(sc, Camera(sc.width, sc.height, (0, 0, *SIZE)))
    fresh.camera.zoom = DEFAULT_ZOOM
    began = time.perf_counter()
    fresh.situation(state, None, 0)
    rows.append(
        {
            "prerender_zoom": DEFAULT_ZOOM,
            "map": f"{sc.width}x{sc.height}",
            "seconds": time.perf_counter() - began,
        }
    )
    pygame.quit()
    return rows


def crowded_state(sc, state, n: int):
    """The start of the campaign with units added on random land hexes up to `n` counters."""
    rng = np.random.default_rng(7)
    water = {t.index for t in sc.rules.terrain if t.key in ("sea", "lake")}
    land = [
        (c, r)
        for r in range(sc.height)
        for c in range(sc.width)
        if int(sc.terrain[r, c]) not in water
    ]
    on_map = state.units.alive & (state.units.carrier < 0)
    extra = n - int(on_map.sum())
    specs = [replace(sc.units[i % len(sc.units)], label="", aboard="") for i in range(extra)]
    spots = [land[i] for i in rng.choice(len(land), size=extra, replace=False)]
    state.units.add(specs, spots)
    return state


def polygon_frame(screen, camera, sc, sprites) -> None:
    """The reference frame: every visible hex drawn as a filled polygon, then the counters."""
    import pygame

    from game import hexgrid
    from game.ui import theme
    from game.ui.maplayer import corner_offsets

    colours = [theme.terrain_look(t.key)[0] for t in sc.rules.terrain]
    corners = corner_offsets(camera.zoom)
    screen.fill(theme.BACKGROUND)
    c0, r0, c1, r1 = camera.visible_hexes()
    for row in range(r0, r1):
        for col in range(c0, c1):
            x, y = camera.to_screen(*hexgrid.hex_to_pixel(col, row, camera.zoom))
            points = [(x + dx, y + dy) for dx, dy in corners]
            pygame.draw.polygon(screen, colours[int(sc.terrain[row, col])], points)
    ox, oy = camera.view[0] - camera.x, camera.view[1] - camera.y
    screen.fblits([(s.image, (s.x + ox, s.y + oy)) for s in sprites])


def _frame_times(draw, frames: int) -> float:
    times = []
    for _ in range(frames):
        began = time.perf_counter()
        draw()
        times.append(time.perf_counter() - began)
    return statistics.median(times)
