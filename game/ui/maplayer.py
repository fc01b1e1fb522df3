"""The map as pictures: drawn once per zoom level, then blitted as one image each frame.

Three layers:
* the terrain map (terrain with its pattern, rivers, roads, railways, coast, cities, the
  optional grid): drawn when a zoom level is first used and kept;
* the situation map: the terrain map with ownership tint, the front line, fog and the supply
  overlay on top, drawn again only when one of those changes;
* everything that moves (counters, highlights) is drawn each frame over the situation map, and
  the city names over the counters, so a stack never hides a name.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from game import hexgrid
from game.scenario import Scenario
from game.ui import theme
from game.ui.camera import SQRT3, map_size

#: Corners bounding the edge towards each direction (E, NE, NW, W, SW, SE), numbered as
#: hexgrid.hex_corners numbers them (0 upper right, clockwise).
EDGE_CORNERS = ((0, 1), (5, 0), (4, 5), (3, 4), (2, 3), (1, 2))
WATER_PATTERNS = ("waves",)
KEY = (255, 0, 255)  # the see-through colour of overlay layers


def corner_offsets(size: float) -> list[tuple[float, float]]:
    """The six corners of a hex of this size, relative to its centre."""
    return [
        (size * math.cos(math.radians(60 * i - 30)), size * math.sin(math.radians(60 * i - 30)))
        for i in range(6)
    ]


class HexTiles:
    """Hex-shaped images at one zoom: a tile is blitted at a hex centre minus `half`."""

    def __init__(self, zoom: int) -> None:
        self.zoom = zoom
        self.size = (math.ceil(SQRT3 * zoom) + 2, 2 * zoom + 2)
        self.half = (self.size[0] / 2, self.size[1] / 2)

    def polygon(self, grow: float = 0.6) -> list[tuple[float, float]]:
        """The hex outline inside a tile, a little larger than the hex to close the seams."""
        hx, hy = self.half
        return [(hx + x, hy + y) for x, y in corner_offsets(self.zoom + grow)]

    def filled(
        self, rgba: tuple[int, ...], outside: tuple[int, ...] = (0, 0, 0, 0)
    ) -> pygame.Surface:
        """A tile filled with a colour inside the hex and `outside` around it."""
        tile = pygame.Surface(self.size, pygame.SRCALPHA)
        tile.fill(outside)
        pygame.draw.polygon(tile, rgba, self.polygon())
        return tile

    def outline(self, rgba: tuple[int, ...], width: int = 1) -> pygame.Surface:
        """A tile with only the hex's outline."""
        tile = pygame.Surface(self.size, pygame.SRCALPHA)
        pygame.draw.polygon(tile, rgba, self.polygon(0.0), width)
        return tile

    def terrain(self, rgb: tuple[int, int, int], pattern: str) -> pygame.Surface:
        """A terrain tile: its colour and its pattern."""
        tile = self.filled((*rgb, 255))
        if self.zoom >= 10:
            draw_pattern(tile, self.half, self.zoom, rgb, pattern)
        return tile


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(min(255, max(0, int(c * factor))) for c in rgb)  # type: ignore[return-value]


def draw_pattern(
    tile: pygame.Surface,
    centre: tuple[float, float],
    s: int,
    rgb: tuple[int, int, int],
    pattern: str,
) -> None:
    """Small marks in a hex so terrain types differ by shape as well as colour."""
    ink = _shade(rgb, 1.25 if pattern in WATER_PATTERNS else 0.72)
    cx, cy = centre
    spots = [(-0.38, -0.22), (0.34, -0.3), (-0.05, 0.36), (0.42, 0.22), (-0.42, 0.28)]
    w = max(1, s // 14)
    for dx, dy in spots[: 3 if pattern in ("peaks", "blocks") else 5]:
        x, y = cx + dx * s, cy + dy * s
        k = s * 0.13
        if pattern == "trees":
            pygame.draw.polygon(
                tile, ink, [(x, y - k * 1.4), (x - k, y + k * 0.6), (x + k, y + k * 0.6)]
            )
        elif pattern == "hummocks":
            pygame.draw.arc(tile, ink, (x - k * 1.2, y - k, k * 2.4, k * 2), 0, math.pi, w)
        elif pattern == "peaks":
            k *= 1.6
            pygame.draw.lines(
                tile,
                ink,
                False,
                [(x - k, y + k * 0.6), (x, y - k * 0.8), (x + k, y + k * 0.6)],
                w + 1,
            )
        elif pattern == "reeds":
            for i in (-1, 0, 1):
                pygame.draw.line(
                    tile, ink, (x + i * k * 0.6, y + k * 0.5), (x + i * k * 0.6, y - k * 0.7), w
                )
        elif pattern == "dots":
            pygame.draw.circle(tile, ink, (x, y), max(1, k * 0.35))
        elif pattern in ("dunes", "waves"):
            points = [(x + (i - 4) * k * 0.35, y + math.sin(i * 1.2) * k * 0.35) for i in range(9)]
            pygame.draw.lines(tile, ink, False, points, w)
        elif pattern == "blocks":
            pygame.draw.rect(tile, ink, (x - k, y - k * 0.7, k * 2, k * 1.4))


class MapArt:
    """The pictures of one scenario's map, kept per zoom level."""

    def __init__(self, scenario: Scenario) -> None:
        self.sc = scenario
        self.grid = False
        self._terrain: dict[int, pygame.Surface] = {}
        self._labels: dict[tuple[str, int], pygame.Surface] = {}
        cols, rows = np.meshgrid(np.arange(scenario.width), np.arange(scenario.height))
        self.cols, self.rows = cols.ravel(), rows.ravel()  # flat index order
        looks = [theme.terrain_look(t.key) for t in scenario.rules.terrain]
        self.looks = looks
        self.water = np.array([p in WATER_PATTERNS for _, p in looks])[scenario.terrain.ravel()]

    def centres(self, zoom: int) -> tuple[np.ndarray, np.ndarray]:
        """Pixel centres of every hex (flat order) at a zoom."""
        return hexgrid.hex_to_pixel(self.cols, self.rows, zoom)

    def tile_spots(self, zoom: int, flats: np.ndarray, tiles: HexTiles) -> list[tuple[int, int]]:
        """Where to blit a tile for each listed hex."""
        x, y = self.centres(zoom)
        hx, hy = tiles.half
        return list(
            zip(
                np.rint(x[flats] - hx).astype(int).tolist(),
                np.rint(y[flats] - hy).astype(int).tolist(),
                strict=True,
            )
        )

    # -- the terrain map --------------------------------------------------------------------------
    def terrain_map(self, zoom: int) -> pygame.Surface:
        """The terrain map at a zoom level, drawn the first time it is asked for."""
        if zoom not in self._terrain:
            if len(self._terrain) >= 2:  # keep memory in bounds: drop the oldest level
                self._terrain.pop(next(iter(self._terrain)))
            self._terrain[zoom] = self.draw_terrain_map(zoom)
        return self._terrain[zoom]

    def forget(self) -> None:
        """Drop the drawn levels (the grid was switched)."""
        self._terrain.clear()

    def draw_terrain_map(self, zoom: int) -> pygame.Surface:
        """Draw the terrain map at a zoom level."""
        sc = self.sc
        surface = pygame.Surface(map_size(sc.width, sc.height, zoom)).convert()
        surface.fill(theme.BACKGROUND)
        tiles = HexTiles(zoom)
        art = [tiles.terrain(rgb, pattern) for rgb, pattern in self.looks]
        flat_terrain = sc.terrain.ravel()
        spots = self.tile_spots(zoom, np.arange(flat_terrain.size), tiles)
        surface.fblits([(art[t], p) for t, p in zip(flat_terrain.tolist(), spots, strict=True)])
        self._draw_lines(surface, zoom)
        if self.grid:
            edge = tiles.outline(theme.GRID)
            surface.fblits([(edge, p) for p in spots])
        self._draw_cities(surface, zoom)
        return surface

    def _draw_lines(self, surface: pygame.Surface, zoom: int) -> None:
        sc = self.sc
        x, y = self.centres(zoom)
        nbr = hexgrid.neighbour_table(sc.width, sc.height)
        corners = corner_offsets(zoom)
        river = sc.river.ravel()
        water = self.water
        # coast: edges between land and water
        for a in np.flatnonzero(~water).tolist():
            for d in range(6):
                b = int(nbr[a, d])
                if b >= 0 and water[b]:
                    i, j = EDGE_CORNERS[d]
                    p = (x[a] + corners[i][0], y[a] + corners[i][1])
                    q = (x[a] + corners[j][0], y[a] + corners[j][1])
                    pygame.draw.line(surface, theme.COAST, p, q, max(1, zoom // 9))
        # rivers: from each river hex towards river or water neighbours
        width = max(2, zoom // 6)
        for a in np.flatnonzero(river & ~water).tolist():
            links = [int(b) for b in nbr[a] if b >= 0 and (river[b] or water[b])]
            ends = [((x[a] + x[b]) / 2, (y[a] + y[b]) / 2) for b in links] or [
                (x[a] + zoom * 0.5, y[a])
            ]
            for e in ends:
                pygame.draw.line(surface, theme.RIVER, (x[a], y[a]), e, width)
            pygame.draw.circle(surface, theme.RIVER, (x[a], y[a]), width / 2)
        for layer, colour, ties in ((sc.road, theme.ROAD, False), (sc.rail, theme.RAIL, True)):
            self._draw_links(surface, layer.ravel(), nbr, x, y, colour, ties, zoom)

    def _draw_links(self, surface, bits, nbr, x, y, colour, ties: bool, zoom: int) -> None:
        width = max(1, zoom // 10 + (0 if ties else 1))
        for a in np.flatnonzero(bits).tolist():
            for d in range(6):
                if not (int(bits[a]) >> d) & 1 or nbr[a, d] < 0:
                    continue
                b = int(nbr[a, d])
                mx, my = (x[a] + x[b]) / 2, (y[a] + y[b]) / 2
                pygame.draw.line(surface, colour, (x[a], y[a]), (mx, my), width)
                if ties and zoom >= 12:  # sleepers across the track
                    dx, dy = mx - x[a], my - y[a]
                    norm = math.hypot(dx, dy) or 1.0
                    px, py = -dy / norm * zoom * 0.12, dx / norm * zoom * 0.12
                    for t in (0.35, 0.75):
                        cx, cy = x[a] + dx * t, y[a] + dy * t
                        pygame.draw.line(surface, colour, (cx - px, cy - py), (cx + px, cy + py), 1)

    def _draw_cities(self, surface: pygame.Surface, zoom: int) -> None:
        for city in self.sc.cities:
            cx, cy = hexgrid.hex_to_pixel(city.col, city.row, zoom)
            r = max(2, zoom * (0.16 + 0.02 * min(city.vp, 10)))
            pygame.draw.rect(surface, theme.CITY_DOT, (cx - r, cy - r, 2 * r, 2 * r))
            pygame.draw.rect(surface, theme.LABEL_HALO, (cx - r, cy - r, 2 * r, 2 * r), 1)

    def city_labels(self, zoom: int) -> list[tuple[pygame.Surface, tuple[float, float]]]:
        """Each city's name (and victory points) with where it goes on the map, below the
        city's hex centre; none when zoomed too far out to read them."""
        if zoom < 10:
            return []
        out = []
        for city in self.sc.cities:
            cx, cy = hexgrid.hex_to_pixel(city.col, city.row, zoom)
            label = self.label(city.name + (f" {city.vp}" if city.vp else ""), zoom)
            out.append((label, (cx - label.get_width() / 2, cy + zoom * 0.55)))
        return out

    def label(self, text: str, zoom: int) -> pygame.Surface:
        """A place name with a light halo, so it reads on any terrain."""
        key = (text, zoom)
        if key not in self._labels:
            f = theme.font(max(15, int(zoom * 0.8)), bold=True)
            ink = f.render(text, True, theme.LABEL)
            halo = f.render(text, True, theme.LABEL_HALO)
            out = pygame.Surface((ink.get_width() + 2, ink.get_height() + 2), pygame.SRCALPHA)
            for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2)):
                out.blit(halo, (dx, dy))
            out.blit(ink, (1, 1))
            self._labels[key] = out
        return self._labels[key]

    # -- the situation map ------------------------------------------------------------------------
    def situation_map(
        self,
        zoom: int,
        owner: np.ndarray,
        colours: list[tuple[int, int, int]],
        sides: list[str],
        seen: np.ndarray | None,
        supply: np.ndarray | None,
    ) -> pygame.Surface:
        """The terrain map with ownership tint, the front line, the supply overlay (levels per
        hex, or None) and the fog (bool per hex seen, or None for no fog).

        Each overlay is painted hex by hex, opaque, on a layer of its own and laid over the map
        in one blit: hex tiles overlap by a pixel to close the seams, and painting them straight
        onto the map would tint or darken those pixels twice, drawing a grid nobody asked for."""
        out = self.terrain_map(zoom).copy()
        tiles = HexTiles(zoom)
        flat_owner = owner.ravel()
        holders = {f: np.flatnonzero((flat_owner == f) & ~self.water) for f in range(len(colours))}
        self._lay(out, tiles, {colours[f]: hexes for f, hexes in holders.items()}, 46)
        self._draw_front(out, zoom, flat_owner, sides)
        if supply is not None:
            levels = supply.ravel()
            painted = {
                rgba[:3]: np.flatnonzero((levels == level) & ~self.water)
                for level, rgba in theme.SUPPLY_LOOK.items()
            }
            self._lay(out, tiles, painted, 100)
        if seen is not None and not seen.all():
            mask = pygame.Surface(out.get_size()).convert()
            mask.fill((255, 255, 255))
            dim = tiles.filled((*theme.FOG_DIM, 255), outside=(255, 255, 255, 255))
            spots = self.tile_spots(zoom, np.flatnonzero(~seen.ravel()), tiles)
            mask.fblits([(dim, p) for p in spots], pygame.BLEND_RGB_MIN)
            out.blit(mask, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
        return out

    def _lay(
        self,
        out: pygame.Surface,
        tiles: HexTiles,
        hexes: dict[tuple[int, int, int], np.ndarray],
        alpha: int,
    ) -> None:
        """Paint hexes in colours on a see-through layer, then lay it over `out`."""
        if not any(len(h) for h in hexes.values()):
            return
        layer = pygame.Surface(out.get_size()).convert()
        layer.fill(KEY)
        layer.set_colorkey(KEY)
        for rgb, where in hexes.items():
            if len(where):
                tile = tiles.filled((*rgb, 255))
                layer.fblits([(tile, p) for p in self.tile_spots(tiles.zoom, where, tiles)])
        layer.set_alpha(alpha)
        out.blit(layer, (0, 0))

    def _draw_front(
        self, surface: pygame.Surface, zoom: int, owner: np.ndarray, sides: list[str]
    ) -> None:
        """A line along every edge between hexes held by different sides."""
        sc = self.sc
        nbr = hexgrid.neighbour_table(sc.width, sc.height)
        side_id = {s: i for i, s in enumerate(sorted(set(sides)))}
        side_of = np.array([side_id[s] for s in sides] + [-1])  # owner -1 -> -1
        own_side = side_of[owner]
        x, y = self.centres(zoom)
        corners = corner_offsets(zoom)
        width = max(2, zoom // 8)
        for d in (0, 4, 5):  # each edge once: E, SW, SE
            b = nbr[:, d]
            ok = (b >= 0) & (own_side >= 0)
            other = np.where(ok, own_side[np.maximum(b, 0)], -1)
            front = np.flatnonzero(ok & (other >= 0) & (other != own_side) & ~self.water)
            i, j = EDGE_CORNERS[d]
            for a in front.tolist():
                p = (x[a] + corners[i][0], y[a] + corners[i][1])
                q = (x[a] + corners[j][0], y[a] + corners[j][1])
                pygame.draw.line(surface, (150, 24, 24), p, q, width)

    # -- the minimap ------------------------------------------------------------------------------
    def minimap(
        self, owner: np.ndarray, colours: list[tuple[int, int, int]], seen: np.ndarray | None
    ) -> pygame.Surface:
        """A small picture of the whole map, two pixels a hex (odd rows shifted by one)."""
        sc = self.sc
        base = np.array([rgb for rgb, _ in self.looks], dtype=np.float64)[sc.terrain]
        tint = np.array(colours + [(0, 0, 0)], dtype=np.float64)[owner]
        held = (owner >= 0)[..., None] & ~self.water.reshape(sc.height, sc.width)[..., None]
        rgb = np.where(held, base * 0.6 + tint * 0.4, base)
        if seen is not None:
            rgb = np.where(seen[..., None], rgb, rgb * 0.5)
        img = np.zeros((sc.height * 2, sc.width * 2 + 1, 3), dtype=np.uint8)
        cells = np.repeat(np.repeat(rgb, 2, axis=0), 2, axis=1).astype(np.uint8)
        odd = (np.arange(sc.height * 2) // 2) % 2 == 1
        img[~odd, : sc.width * 2] = cells[~odd]
        img[odd, 1:] = cells[odd]
        return pygame.surfarray.make_surface(img.transpose(1, 0, 2)).convert()
