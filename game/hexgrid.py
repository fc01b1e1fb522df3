"""Hex-grid geometry: pointy-top hexes in "odd-r" offset coordinates.

Conventions (see https://www.redblobgames.com/grids/hexagons/):

* Offset ``(col, row)``, 0-based; odd rows are shifted right by half a hex.
  Maps are 2-D numpy arrays indexed ``[row, col]``; a flat index is ``row * width + col``.
* Axial ``(q, r)``: ``q = col - (row - (row & 1)) // 2``, ``r = row``.
* Cube ``(x, y, z)``: ``x = q``, ``y = -q - r``, ``z = r`` (so ``x + y + z == 0``).
* Screen space has y pointing down, so "N" means decreasing row.

Coordinate functions accept Python ints or numpy integer arrays and broadcast.
Plain ints give plain ints (or floats / bools); numpy inputs give numpy outputs.
Overloads give precise types; the int overload wins for all-int calls, hence the
``overload-overlap`` ignores.
"""

from __future__ import annotations

import functools
import math
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.integer[Any]]
FloatArray = NDArray[np.floating[Any]]
BoolArray = NDArray[np.bool_]
IntArg = int | np.integer[Any] | IntArray
FloatArg = float | np.floating[Any] | np.integer[Any] | NDArray[Any]

#: Axial ``(dq, dr)`` step for each direction, indexed 0..5: E, NE, NW, W, SW, SE.
DIRECTIONS: tuple[tuple[int, int], ...] = ((1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1))
DIRECTION_NAMES: tuple[str, ...] = ("E", "NE", "NW", "W", "SW", "SE")
E, NE, NW, W, SW, SE = range(6)
#: ``OPPOSITE[d]`` is the direction pointing back along ``d``: ``(d + 3) % 6``.
OPPOSITE: tuple[int, ...] = tuple((d + 3) % 6 for d in range(6))

_DQ = np.array([d[0] for d in DIRECTIONS], dtype=np.int64)
_DR = np.array([d[1] for d in DIRECTIONS], dtype=np.int64)
_SQRT3 = math.sqrt(3.0)
_EPS = (1e-6, 2e-6, -3e-6)  # cube nudge for line(); sums to zero


@overload
def offset_to_axial(col: int, row: int) -> tuple[int, int]: ...  # type: ignore[overload-overlap]
@overload
def offset_to_axial(col: IntArg, row: IntArg) -> tuple[IntArray, IntArray]: ...
def offset_to_axial(col: IntArg, row: IntArg) -> tuple[IntArg, IntArg]:
    """Convert odd-r offset ``(col, row)`` to axial ``(q, r)``."""
    return col - (row - (row & 1)) // 2, row


@overload
def axial_to_offset(q: int, r: int) -> tuple[int, int]: ...  # type: ignore[overload-overlap]
@overload
def axial_to_offset(q: IntArg, r: IntArg) -> tuple[IntArray, IntArray]: ...
def axial_to_offset(q: IntArg, r: IntArg) -> tuple[IntArg, IntArg]:
    """Convert axial ``(q, r)`` to odd-r offset ``(col, row)``."""
    return q + (r - (r & 1)) // 2, r


@overload
def offset_to_cube(col: int, row: int) -> tuple[int, int, int]: ...  # type: ignore[overload-overlap]
@overload
def offset_to_cube(col: IntArg, row: IntArg) -> tuple[IntArray, IntArray, IntArray]: ...
def offset_to_cube(col: IntArg, row: IntArg) -> tuple[IntArg, IntArg, IntArg]:
    """Convert odd-r offset ``(col, row)`` to cube ``(x, y, z)`` with ``x=q, y=-q-r, z=r``."""
    q, r = offset_to_axial(col, row)
    return q, -q - r, r


@overload
def cube_to_offset(x: int, y: int, z: int) -> tuple[int, int]: ...  # type: ignore[overload-overlap]
@overload
def cube_to_offset(x: IntArg, y: IntArg, z: IntArg) -> tuple[IntArray, IntArray]: ...
def cube_to_offset(x: IntArg, y: IntArg, z: IntArg) -> tuple[IntArg, IntArg]:
    """Convert cube ``(x, y, z)`` to odd-r offset ``(col, row)``; ``y`` is implied by x+y+z=0."""
    return axial_to_offset(x, z)


@overload
def distance(col1: int, row1: int, col2: int, row2: int) -> int: ...  # type: ignore[overload-overlap]
@overload
def distance(col1: IntArg, row1: IntArg, col2: IntArg, row2: IntArg) -> IntArray: ...
def distance(col1: IntArg, row1: IntArg, col2: IntArg, row2: IntArg) -> IntArg:
    """Hex distance (number of steps) between two offset hexes; broadcasts over arrays."""
    q1, r1 = offset_to_axial(col1, row1)
    q2, r2 = offset_to_axial(col2, row2)
    dq, dr = q1 - q2, r1 - r2
    return (abs(dq) + abs(dr) + abs(dq + dr)) // 2


@overload
def neighbour(col: int, row: int, direction: int) -> tuple[int, int]: ...  # type: ignore[overload-overlap]
@overload
def neighbour(col: IntArg, row: IntArg, direction: int) -> tuple[IntArray, IntArray]: ...
def neighbour(col: IntArg, row: IntArg, direction: int) -> tuple[IntArg, IntArg]:
    """The hex one step from ``(col, row)`` in ``direction`` (0..5); may be off the map."""
    dq, dr = DIRECTIONS[direction]
    q, r = offset_to_axial(col, row)
    return axial_to_offset(q + dq, r + dr)


def neighbours(col: int, row: int) -> list[tuple[int, int]]:
    """The six neighbours of ``(col, row)`` in ``DIRECTIONS`` order (may be off the map)."""
    return [neighbour(col, row, d) for d in range(6)]


@overload
def in_bounds(col: int, row: int, width: int, height: int) -> bool: ...  # type: ignore[overload-overlap]
@overload
def in_bounds(col: IntArg, row: IntArg, width: int, height: int) -> BoolArray: ...
def in_bounds(col: IntArg, row: IntArg, width: int, height: int) -> bool | np.bool_ | BoolArray:
    """Whether ``(col, row)`` lies on a ``width`` x ``height`` map; broadcasts over arrays."""
    return (col >= 0) & (col < width) & (row >= 0) & (row < height)


@functools.lru_cache(maxsize=32)
def neighbour_table(width: int, height: int) -> NDArray[np.int32]:
    """Read-only int32 array ``(height*width, 6)``: flat index of each neighbour, -1 if off map.

    Row ``i`` is the hex with flat index ``i``; column ``d`` is direction ``d``. Cached.
    """
    rows, cols = np.indices((height, width), dtype=np.int64).reshape(2, -1)
    q, r = offset_to_axial(cols, rows)
    ncol, nrow = axial_to_offset(q[:, None] + _DQ, r[:, None] + _DR)
    flat = np.where(in_bounds(ncol, nrow, width, height), nrow * width + ncol, -1)
    table = flat.astype(np.int32)
    table.flags.writeable = False
    return table


def grow(nbr: NDArray[np.int32], mask: NDArray[np.bool_], radius: int = 1) -> NDArray[np.bool_]:
    """Flat bool mask of every hex within `radius` steps of a marked hex (`nbr` from
    `neighbour_table`)."""
    out = np.asarray(mask, dtype=bool).copy()
    for _ in range(radius):
        marked = np.flatnonzero(out)
        if len(marked) * 16 < len(out):  # few marks: spread them, not the whole map
            near = nbr[marked].ravel()
            out[near[near >= 0]] = True
        else:
            out = out | np.append(out, False)[nbr].any(axis=1)
    return out


def distance_field(width: int, height: int, col: int, row: int) -> NDArray[np.int32]:
    """int32 array ``(height, width)`` of hex distances from ``(col, row)`` to every map hex."""
    rows, cols = np.indices((height, width), dtype=np.int64)
    return distance(cols, rows, col, row).astype(np.int32)


def ring(col: int, row: int, radius: int) -> list[tuple[int, int]]:
    """Hexes at exactly ``radius`` from ``(col, row)``, off-map ones included.

    Starts ``radius`` steps SW of the centre, then walks E, NE, NW, W, SW, SE
    (``radius`` steps each). ``radius == 0`` gives ``[(col, row)]``.
    """
    if radius < 0:
        raise ValueError(f"radius must be >= 0, got {radius}")
    if radius == 0:
        return [(int(col), int(row))]
    q, r = offset_to_axial(int(col), int(row))
    q, r = q + DIRECTIONS[SW][0] * radius, r + DIRECTIONS[SW][1] * radius
    out: list[tuple[int, int]] = []
    for dq, dr in DIRECTIONS:
        for _ in range(radius):
            out.append(axial_to_offset(q, r))
            q, r = q + dq, r + dr
    return out


def spiral(col: int, row: int, radius: int) -> list[tuple[int, int]]:
    """All hexes within ``radius`` of ``(col, row)``: centre first, then ring 1, 2, ..."""
    return [h for k in range(radius + 1) for h in ring(col, row, k)]


def _cube_round(x: FloatArg, y: FloatArg, z: FloatArg) -> tuple[IntArray, IntArray, IntArray]:
    """Round fractional cube coordinates to the containing hex (arrays out)."""
    fx, fy, fz = (np.asarray(v, dtype=np.float64) for v in (x, y, z))
    rx, ry, rz = np.rint(fx), np.rint(fy), np.rint(fz)
    dx, dy, dz = np.abs(rx - fx), np.abs(ry - fy), np.abs(rz - fz)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    fix_z = ~fix_x & ~fix_y
    rx = np.where(fix_x, -ry - rz, rx)
    ry = np.where(fix_y, -rx - rz, ry)
    rz = np.where(fix_z, -rx - ry, rz)
    return rx.astype(np.int64), ry.astype(np.int64), rz.astype(np.int64)


def line(col1: int, row1: int, col2: int, row2: int) -> list[tuple[int, int]]:
    """Hexes on the straight line from start to end inclusive; consecutive hexes are adjacent.

    Cube linear interpolation sampled at ``distance + 1`` points, nudged by a tiny
    constant epsilon so that ties on hex edges are broken deterministically.
    """
    n = distance(int(col1), int(row1), int(col2), int(row2))
    a = offset_to_cube(int(col1), int(row1))
    b = offset_to_cube(int(col2), int(row2))
    t = np.arange(n + 1, dtype=np.float64) / max(n, 1)
    x, y, z = (a[i] + _EPS[i] + (b[i] - a[i]) * t for i in range(3))
    cols, rows = cube_to_offset(*_cube_round(x, y, z))
    return list(zip(cols.tolist(), rows.tolist(), strict=True))


@overload
def hex_to_pixel(col: int, row: int, size: float) -> tuple[float, float]: ...  # type: ignore[overload-overlap]
@overload
def hex_to_pixel(col: IntArg, row: IntArg, size: float) -> tuple[FloatArray, FloatArray]: ...
def hex_to_pixel(col: IntArg, row: IntArg, size: float) -> tuple[Any, Any]:
    """Pixel centre of a hex; ``size`` = centre-to-corner, hex (0, 0) at (size*sqrt3/2, size)."""
    x = size * _SQRT3 * (col + 0.5 * (row & 1)) + size * _SQRT3 / 2
    y = size * 1.5 * row + size
    return x, y


@overload
def pixel_to_hex(x: float, y: float, size: float) -> tuple[int, int]: ...  # type: ignore[overload-overlap]
@overload
def pixel_to_hex(x: FloatArg, y: FloatArg, size: float) -> tuple[IntArray, IntArray]: ...
def pixel_to_hex(x: FloatArg, y: FloatArg, size: float) -> tuple[Any, Any]:
    """The hex ``(col, row)`` containing pixel ``(x, y)``; inverse of :func:`hex_to_pixel`."""
    px = np.asarray(x, dtype=np.float64) - size * _SQRT3 / 2
    py = np.asarray(y, dtype=np.float64) - size
    q = (_SQRT3 / 3 * px - py / 3) / size
    r = (2 / 3 * py) / size
    col, row = cube_to_offset(*_cube_round(q, -q - r, r))
    if np.ndim(col) == 0:
        return int(col), int(row)
    return col, row


def hex_corners(col: int, row: int, size: float) -> list[tuple[float, float]]:
    """The six corner points of a hex, starting upper-right and going clockwise on screen."""
    cx, cy = hex_to_pixel(col, row, size)
    angles = (math.radians(60 * i - 30) for i in range(6))
    return [(cx + size * math.cos(a), cy + size * math.sin(a)) for a in angles]
