"""The map view: the situation map, the highlights of the selection, the counters, the hover
ring, and the counters of computer moves sliding across. It draws what the session lets the
viewing side see: its own side's units, enemy units in sight, and faded enemies last seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from game import hexgrid
from game.supply import supply_field
from game.ui import theme
from game.ui.camera import Camera
from game.ui.counters import CounterArt
from game.ui.maplayer import HexTiles, MapArt, corner_offsets
from game.ui.orders import Options

Hex = tuple[int, int]


@dataclass
class Sprite:
    """One counter to draw: its image and its world position (top left) at the drawn zoom."""

    image: pygame.Surface
    x: float
    y: float
    unit: int  # -1 for a faded sighting


@dataclass
class Ghost:
    """A counter on its way from one hex to another (a computer move being shown)."""

    unit: int
    start: Hex
    end: Hex
    t: float = 0.0  # 0 at the start, 1 on arrival


class MapView:
    """Draws the map view of one game."""

    def __init__(self, scenario, camera: Camera) -> None:
        self.sc = scenario
        self.camera = camera
        self.art = MapArt(scenario)
        rules = scenario.rules
        self.colours = [theme.faction_colour(f.color) for f in scenario.factions]
        self.sides = [f.side for f in scenario.factions]
        self.counters = CounterArt(
            [t.cls for t in rules.unit_types], [bool(a) for a in rules.ut_air], self.colours
        )
        self.show_supply = False
        self._situation: pygame.Surface | None = None
        self._situation_key: tuple = ()
        self._version = 0  # counts changes of the game, for the supply overlay
        self._sprites: list[Sprite] = []
        self._sprites_key: tuple = ()
        self._minimap: pygame.Surface | None = None
        self._labels: tuple[int, list] = (0, [])
        self._tiles: dict[tuple[int, tuple], pygame.Surface] = {}  # highlights, shadows

    # -- what changes when ------------------------------------------------------------------------
    def invalidate(self) -> None:
        """The game changed: look again at what the situation map shows (it is drawn again only
        if that changed), and draw the counters and the minimap again."""
        self._version += 1
        self._sprites_key = ()
        self._minimap = None

    def invalidate_units(self) -> None:
        """Units moved, nothing else changed yet: draw the counters again."""
        self._sprites_key = ()

    def toggle_grid(self) -> None:
        """Show or hide the hex grid."""
        self.art.grid = not self.art.grid
        self.art.forget()
        self.invalidate()

    def situation(self, state, seen: np.ndarray | None, supply_faction: int) -> pygame.Surface:
        """The situation map at the camera's zoom, drawn again when something it shows changed."""
        owner = np.asarray(state.owner)
        key = (
            self.camera.zoom,
            self.art.grid,
            hash(owner.tobytes()),
            None if seen is None else hash(seen.tobytes()),
            (self._version, supply_faction) if self.show_supply else None,
        )
        if self._situation is None or key != self._situation_key:
            supply = None
            if self.show_supply and self.sc.has_supply:
                supply = supply_levels(state, supply_faction)
            self._situation = self.art.situation_map(
                self.camera.zoom, owner, self.colours, self.sides, seen, supply
            )
            self._situation_key = key
        return self._situation

    def labels(self) -> list[tuple[pygame.Surface, tuple[float, float]]]:
        """City names at the camera's zoom (kept per zoom)."""
        if self._labels[0] != self.camera.zoom:
            self._labels = (self.camera.zoom, self.art.city_labels(self.camera.zoom))
        return self._labels[1]

    def tile(self, rgba: tuple[int, ...]) -> pygame.Surface:
        """A see-through hex of one colour with a firmer rim, at the camera's zoom, for
        highlights."""
        key = (self.camera.zoom, rgba)
        if key not in self._tiles:
            tiles = HexTiles(self.camera.zoom)
            tile = tiles.filled(rgba)
            rim = (*rgba[:3], min(255, rgba[3] * 2 + 40))
            tile.blit(tiles.outline(rim, max(1, self.camera.zoom // 12)), (0, 0))
            self._tiles[key] = tile
        return self._tiles[key]

    # -- counters ---------------------------------------------------------------------------------
    def sprites(
        self, state, viewer_faction: int | None, seen: np.ndarray | None, selected: list[int]
    ) -> list[Sprite]:
        """The counters to draw, bottom to top, at the camera's zoom."""
        key = (self.camera.zoom, viewer_faction, tuple(selected))
        if key != self._sprites_key:
            self._sprites = self._build_sprites(state, viewer_faction, seen, selected)
            self._sprites_key = key
        return self._sprites

    def _build_sprites(self, state, viewer_faction, seen, selected) -> list[Sprite]:
        u = state.units
        rules = state.rules
        zoom = self.camera.zoom
        on_map = np.flatnonzero(np.asarray(u.alive) & (np.asarray(u.carrier) < 0))
        viewer_side = None if viewer_faction is None else self.sides[viewer_faction]
        stacks: dict[Hex, list[int]] = {}
        for uid in on_map.tolist():
            col, row = int(u.col[uid]), int(u.row[uid])
            mine = viewer_side is None or self.sides[int(u.faction[uid])] == viewer_side
            if mine or seen is None or seen[row, col]:
                stacks.setdefault((col, row), []).append(uid)
        out: list[Sprite] = []
        if viewer_faction is not None:
            for uid, (col, row, utype, _) in state.last_seen[viewer_faction].items():
                if seen is not None and seen[row, col]:
                    continue  # in sight now: what is there is drawn as it is
                img = self.counters.image(utype, int(u.faction[uid]), -1, -1, 2, zoom, faded=True)
                out.append(self._place(img, col, row, 0, False))
        for (col, row), ids in stacks.items():
            ground = [i for i in ids if not rules.ut_air[u.type[i]]]
            air = [i for i in ids if rules.ut_air[u.type[i]]]
            if air:  # the fleets' shadow on the ground ties them to their hex
                out.append(self._place(self.shadow(zoom), col, row, 0, False))
            for layer, is_air in ((ground, False), (air, True)):
                layer.sort(key=lambda i: (i in selected, int(u.steps[i])))
                for depth, uid in enumerate(layer):
                    mine = viewer_side is None or self.sides[int(u.faction[uid])] == viewer_side
                    img = self.unit_image(state, uid, show_moves=mine, zoom=zoom)
                    out.append(self._place(img, col, row, depth, is_air, uid))
        return out

    def shadow(self, zoom: int) -> pygame.Surface:
        """A soft dark ellipse under a hex's fleets."""
        key = (zoom, ("shadow",))
        if key not in self._tiles:
            img = pygame.Surface((zoom, max(4, zoom // 3)), pygame.SRCALPHA)
            pygame.draw.ellipse(img, (0, 0, 0, 90), img.get_rect())
            self._tiles[key] = img
        return self._tiles[key]

    def unit_image(self, state, uid: int, show_moves: bool, zoom: int) -> pygame.Surface:
        """The counter of one unit as it stands."""
        u = state.units
        moves = int(np.floor(u.moves[uid] * 2 + 1e-9)) if show_moves else -1  # in halves
        supply = int(u.supply[uid]) if show_moves else 2
        return self.counters.image(
            int(u.type[uid]), int(u.faction[uid]), int(u.steps[uid]), moves, supply, zoom
        )

    def _place(
        self, img: pygame.Surface, col: int, row: int, depth: int, air: bool, uid: int = -1
    ) -> Sprite:
        zoom = self.camera.zoom
        cx, cy = hexgrid.hex_to_pixel(col, row, zoom)
        w, h = img.get_size()
        shift = max(2, zoom // 9) * depth + (round(zoom * 0.1) if air else 0)
        lift = -zoom * 0.42 if air else zoom * 0.08
        return Sprite(img, cx - w / 2 + shift, cy - h / 2 + lift - shift, uid)

    # -- drawing ----------------------------------------------------------------------------------
    def draw(
        self,
        screen: pygame.Surface,
        state,
        viewer_faction: int | None,
        seen: np.ndarray | None,
        selected: list[int],
        opts: Options | None,
        hover: Hex | None,
        path: list[Hex],
        ghosts: list[Ghost] = (),  # type: ignore[assignment]
        blast: Hex | None = None,
        supply_path: list[Hex] = (),  # type: ignore[assignment]
    ) -> None:
        """Draw the whole map view into its rectangle of the screen."""
        cam = self.camera
        vx, vy, vw, vh = cam.view
        clip = screen.get_clip()
        screen.set_clip(pygame.Rect(cam.view))
        screen.fill(theme.BACKGROUND, cam.view)
        supply_faction = viewer_faction if viewer_faction is not None else int(state.active)
        screen.blit(self.situation(state, seen, supply_faction), (vx - cam.x, vy - cam.y))
        if opts is not None:
            self._draw_options(screen, opts)
        hidden = {g.unit for g in ghosts}
        ox, oy = vx - cam.x, vy - cam.y
        sprites = self.sprites(state, viewer_faction, seen, selected)
        screen.fblits([(s.image, (s.x + ox, s.y + oy)) for s in sprites if s.unit not in hidden])
        screen.fblits([(img, (x + ox, y + oy)) for img, (x, y) in self.labels()])
        for i, uid in enumerate(selected):  # the first selected firmly, the others it leads thinly
            col, row = int(state.units.col[uid]), int(state.units.row[uid])
            self._ring(screen, (col, row), theme.SELECT, 3 if i == 0 else 1)
        for route, colour in ((supply_path, theme.SUPPLY_PATH), (path, theme.PATH)):
            if len(route) > 1:
                points = [cam.hex_centre(c, r) for c, r in route]
                pygame.draw.lines(screen, colour, False, points, max(2, cam.zoom // 8))
                pygame.draw.circle(screen, colour, points[-1], max(3, cam.zoom // 6))
        for g in ghosts:
            self._draw_ghost(screen, state, g)
        if blast is not None:
            cx, cy = cam.hex_centre(*blast)
            pygame.draw.circle(
                screen, (255, 140, 40), (cx, cy), cam.zoom * 0.7, max(2, cam.zoom // 6)
            )
        if hover is not None:
            self._ring(screen, hover, (255, 255, 255), 1)
        screen.set_clip(clip)

    def _draw_options(self, screen: pygame.Surface, opts: Options) -> None:
        cam = self.camera
        layers = (
            (opts.rail, theme.RAIL_REACH),
            (opts.moves, theme.REACH),
            (dict.fromkeys(opts.landings), (90, 230, 120, 90)),
            (opts.bombards, (255, 150, 40, 100)),
            (opts.attacks, theme.TARGET),
        )
        for hexes, rgba in layers:
            if not hexes:
                continue
            tile = self.tile(rgba)
            hw, hh = tile.get_width() / 2, tile.get_height() / 2
            spots = [cam.hex_centre(c, r) for c, r in hexes]
            screen.fblits([(tile, (x - hw, y - hh)) for x, y in spots])

    def _ring(self, screen: pygame.Surface, where: Hex, colour, width: int) -> None:
        cam = self.camera
        cx, cy = cam.hex_centre(*where)
        pts = [(cx + dx, cy + dy) for dx, dy in corner_offsets(cam.zoom)]
        pygame.draw.polygon(screen, colour, pts, width)

    def _draw_ghost(self, screen: pygame.Surface, state, g: Ghost) -> None:
        cam = self.camera
        (x0, y0), (x1, y1) = cam.hex_centre(*g.start), cam.hex_centre(*g.end)
        t = min(max(g.t, 0.0), 1.0)
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        img = self.unit_image(state, g.unit, show_moves=False, zoom=cam.zoom)
        screen.blit(img, (x - img.get_width() / 2, y - img.get_height() / 2))

    # -- the minimap ------------------------------------------------------------------------------
    def draw_minimap(
        self, screen: pygame.Surface, rect: pygame.Rect, state, seen: np.ndarray | None
    ) -> None:
        """The whole map in `rect`, with the camera's view outlined."""
        if self._minimap is None or self._minimap.get_size() != rect.size:
            small = self.art.minimap(np.asarray(state.owner), self.colours, seen)
            self._minimap = pygame.transform.scale(small, rect.size)
        screen.blit(self._minimap, rect)
        pygame.draw.rect(screen, theme.PANEL_EDGE, rect, 1)
        cam = self.camera
        mw, mh = cam.map_pixels()
        sx, sy = rect.w / mw, rect.h / mh
        view = pygame.Rect(
            rect.x + cam.x * sx, rect.y + cam.y * sy, cam.view[2] * sx, cam.view[3] * sy
        )
        pygame.draw.rect(screen, (255, 255, 255), view.clip(rect), 1)

    def minimap_target(self, rect: pygame.Rect, pos: tuple[int, int]) -> tuple[float, float]:
        """The world point (at the camera's zoom) a click on the minimap stands for."""
        mw, mh = self.camera.map_pixels()
        return (pos[0] - rect.x) / rect.w * mw, (pos[1] - rect.y) / rect.h * mh


def supply_levels(state, faction: int) -> np.ndarray:
    """Supply level per hex for the overlay (0 none, 1 reduced, 2 full), as the faction's
    units there would have it by distance."""
    sf = supply_field(state, faction)
    return np.asarray(sf.level).reshape(state.scenario.height, state.scenario.width)
