"""Tests for game.hexgrid (pointy-top, odd-r offset hex geometry)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import hexgrid as hg

coord = st.integers(min_value=-60, max_value=60)
hexes = st.tuples(coord, coord)
radius = st.integers(min_value=0, max_value=8)
dims = st.integers(min_value=1, max_value=12)
sizes = st.floats(min_value=1.0, max_value=100.0)


# --- conversions -----------------------------------------------------------


def test_known_conversions() -> None:
    # odd-r: row 1 is shifted right, so (0, 1) sits between (0, 0) and (1, 0).
    assert hg.offset_to_axial(0, 1) == (0, 1)
    assert hg.offset_to_axial(3, 2) == (2, 2)
    assert hg.offset_to_axial(3, 3) == (2, 3)
    assert hg.offset_to_axial(0, -1) == (1, -1)
    assert hg.offset_to_cube(3, 2) == (2, -4, 2)
    assert hg.axial_to_offset(-1, 2) == (0, 2)


@given(hexes)
def test_offset_axial_round_trip(h: tuple[int, int]) -> None:
    assert hg.axial_to_offset(*hg.offset_to_axial(*h)) == h


@given(hexes)
def test_axial_offset_round_trip(a: tuple[int, int]) -> None:
    assert hg.offset_to_axial(*hg.axial_to_offset(*a)) == a


@given(hexes)
def test_offset_cube_round_trip(h: tuple[int, int]) -> None:
    x, y, z = hg.offset_to_cube(*h)
    assert x + y + z == 0
    assert (x, z) == hg.offset_to_axial(*h)
    assert hg.cube_to_offset(x, y, z) == h


def test_conversions_vectorized() -> None:
    cols, rows = np.meshgrid(np.arange(-5, 6), np.arange(-5, 6))
    q, r = hg.offset_to_axial(cols, rows)
    assert isinstance(q, np.ndarray) and q.shape == cols.shape
    for c, rw, qq, rr in zip(cols.ravel(), rows.ravel(), q.ravel(), r.ravel(), strict=True):
        assert hg.offset_to_axial(int(c), int(rw)) == (qq, rr)
    back_c, back_r = hg.cube_to_offset(*hg.offset_to_cube(cols, rows))
    np.testing.assert_array_equal(back_c, cols)
    np.testing.assert_array_equal(back_r, rows)


# --- directions and distance -----------------------------------------------


def test_directions_and_opposite() -> None:
    assert hg.DIRECTION_NAMES == ("E", "NE", "NW", "W", "SW", "SE")
    assert len(set(hg.DIRECTIONS)) == 6
    for d in range(6):
        assert hg.OPPOSITE[d] == (d + 3) % 6
        dq, dr = hg.DIRECTIONS[d]
        oq, or_ = hg.DIRECTIONS[hg.OPPOSITE[d]]
        assert (dq + oq, dr + or_) == (0, 0)
    # Screen orientation: N is row - 1, E is col + 1 on the same row.
    assert hg.neighbour(2, 2, hg.E) == (3, 2)
    assert hg.neighbour(2, 2, hg.W) == (1, 2)
    assert hg.neighbour(2, 2, hg.NE)[1] == 1
    assert hg.neighbour(2, 2, hg.SW)[1] == 3


@given(hexes, st.integers(min_value=0, max_value=5))
def test_neighbour_opposite_returns(h: tuple[int, int], d: int) -> None:
    n = hg.neighbour(*h, d)
    assert hg.neighbour(*n, hg.OPPOSITE[d]) == h


def test_known_distances() -> None:
    assert hg.distance(0, 0, 0, 0) == 0
    assert hg.distance(0, 0, 1, 0) == 1
    assert hg.distance(0, 0, 0, 1) == 1  # (0,1) is SE of (0,0) in odd-r
    assert hg.distance(1, 0, 0, 1) == 1  # ... and SW of (1,0)
    assert hg.distance(0, 0, 1, 1) == 2
    assert hg.distance(0, 0, 0, 2) == 2
    assert hg.distance(0, 0, 3, 4) == 5
    assert hg.distance(0, 0, 5, 0) == 5


def test_distance_returns_int_for_ints() -> None:
    d = hg.distance(0, 0, 3, 4)
    assert type(d) is int
    assert type(hg.in_bounds(1, 1, 3, 3)) is bool
    assert all(type(v) is int for v in hg.neighbour(1, 1, 0))


@given(hexes, hexes)
def test_distance_symmetry_and_identity(a: tuple[int, int], b: tuple[int, int]) -> None:
    assert hg.distance(*a, *b) == hg.distance(*b, *a)
    assert hg.distance(*a, *a) == 0
    assert (hg.distance(*a, *b) == 0) == (a == b)


@given(hexes, hexes, hexes)
def test_distance_triangle(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int]) -> None:
    assert hg.distance(*a, *c) <= hg.distance(*a, *b) + hg.distance(*b, *c)


@given(hexes)
def test_neighbours_are_adjacent(h: tuple[int, int]) -> None:
    ns = hg.neighbours(*h)
    assert len(set(ns)) == 6
    assert ns == [hg.neighbour(*h, d) for d in range(6)]
    assert all(hg.distance(*h, *n) == 1 for n in ns)


@given(st.lists(st.tuples(hexes, hexes), min_size=1, max_size=30))
def test_vectorized_distance_matches_scalar(pairs: list) -> None:
    arr = np.array([[*a, *b] for a, b in pairs], dtype=np.int64)
    vec = hg.distance(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
    assert isinstance(vec, np.ndarray) and vec.shape == (len(pairs),)
    assert vec.tolist() == [hg.distance(*a, *b) for a, b in pairs]


def test_distance_broadcasts() -> None:
    cols = np.arange(5)
    rows = np.arange(4)[:, None]
    d = hg.distance(cols, rows, 2, 1)
    assert d.shape == (4, 5)
    for r in range(4):
        for c in range(5):
            assert d[r, c] == hg.distance(c, r, 2, 1)


# --- bounds and neighbour table --------------------------------------------


def test_in_bounds() -> None:
    assert hg.in_bounds(0, 0, 3, 2)
    assert hg.in_bounds(2, 1, 3, 2)
    assert not hg.in_bounds(3, 1, 3, 2)
    assert not hg.in_bounds(0, 2, 3, 2)
    assert not hg.in_bounds(-1, 0, 3, 2)
    assert not hg.in_bounds(0, -1, 3, 2)
    got = hg.in_bounds(np.array([0, 2, 3, -1]), np.array([1, 1, 0, 0]), 3, 2)
    assert got.tolist() == [True, True, False, False]


def test_neighbour_table_known_3x3() -> None:
    t = hg.neighbour_table(3, 3)
    assert t.shape == (9, 6) and t.dtype == np.int32
    # Order: E, NE, NW, W, SW, SE.  Flat index = row * 3 + col.
    # (0,0), even row: E=(1,0), SE=(0,1); SW would be (-1,1), off map.
    assert t[0].tolist() == [1, -1, -1, -1, -1, 3]
    # (0,1), odd row (shifted right): NE=(1,0), NW=(0,0), SW=(0,2), SE=(1,2), E=(1,1).
    assert t[3].tolist() == [4, 1, 0, -1, 6, 7]
    # (1,1), centre: all six on the map.
    assert t[4].tolist() == [5, 2, 1, 3, 7, 8]
    # (2,1), odd row at the right edge: E, NE and SE fall off.
    assert t[5].tolist() == [-1, -1, 2, 4, 8, -1]
    # (2,0), even row corner: NE/NW/E off; W=(1,0), SW=(1,1), SE=(2,1).
    assert t[2].tolist() == [-1, -1, -1, 1, 4, 5]


def test_neighbour_table_cached_and_readonly() -> None:
    t = hg.neighbour_table(4, 5)
    assert hg.neighbour_table(4, 5) is t
    assert not t.flags.writeable
    with pytest.raises(ValueError):
        t[0, 0] = 7


@given(dims, dims)
def test_neighbour_table_agrees_with_neighbour(width: int, height: int) -> None:
    t = hg.neighbour_table(width, height)
    assert t.shape == (width * height, 6)
    for row in range(height):
        for col in range(width):
            for d in range(6):
                nc, nr = hg.neighbour(col, row, d)
                entry = int(t[row * width + col, d])
                if hg.in_bounds(nc, nr, width, height):
                    assert entry == nr * width + nc
                    assert hg.distance(col, row, entry % width, entry // width) == 1
                else:
                    assert entry == -1


@given(dims, dims)
def test_neighbour_table_symmetric(width: int, height: int) -> None:
    t = hg.neighbour_table(width, height)
    for i in range(width * height):
        for d in range(6):
            j = int(t[i, d])
            if j >= 0:
                assert t[j, hg.OPPOSITE[d]] == i


def test_neighbour_table_interior_count() -> None:
    t = hg.neighbour_table(6, 5)
    on_map = (t >= 0).sum(axis=1).reshape(5, 6)
    assert (on_map[1:-1, 1:-1] == 6).all()
    assert on_map[0, 0] == 2  # (0,0): E and SE only
    assert (on_map >= 2).all() and (on_map <= 6).all()


@given(dims, dims, hexes)
def test_distance_field_matches_distance(width: int, height: int, h: tuple[int, int]) -> None:
    field = hg.distance_field(width, height, *h)
    assert field.shape == (height, width) and field.dtype == np.int32
    for row in range(height):
        for col in range(width):
            assert field[row, col] == hg.distance(col, row, *h)


# --- rings, spirals, lines -------------------------------------------------


def test_ring_zero_and_one() -> None:
    assert hg.ring(4, 3, 0) == [(4, 3)]
    assert sorted(hg.ring(4, 3, 1)) == sorted(hg.neighbours(4, 3))
    with pytest.raises(ValueError):
        hg.ring(0, 0, -1)


@given(hexes, radius)
def test_ring(h: tuple[int, int], r: int) -> None:
    ring = hg.ring(*h, r)
    assert len(ring) == max(1, 6 * r)
    assert len(set(ring)) == len(ring)
    assert all(hg.distance(*h, *p) == r for p in ring)
    assert ring == hg.ring(*h, r)  # deterministic
    if r > 0:  # walking order: each hex adjacent to the next, closing the loop
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            assert hg.distance(*a, *b) == 1


@given(hexes, radius)
def test_spiral(h: tuple[int, int], r: int) -> None:
    sp = hg.spiral(*h, r)
    assert len(sp) == 1 + 3 * r * (r + 1)
    assert sp[0] == h
    assert len(set(sp)) == len(sp)
    dists = [hg.distance(*h, *p) for p in sp]
    assert dists == sorted(dists) and max(dists) == r
    # every hex within r (brute force over a bounding box) is in the spiral
    box = {
        (c, w)
        for c in range(h[0] - r - 1, h[0] + r + 2)
        for w in range(h[1] - r, h[1] + r + 1)
        if hg.distance(*h, c, w) <= r
    }
    assert box == set(sp)


@given(hexes, hexes)
def test_line(a: tuple[int, int], b: tuple[int, int]) -> None:
    ln = hg.line(*a, *b)
    n = hg.distance(*a, *b)
    assert len(ln) == n + 1
    assert ln[0] == a and ln[-1] == b
    for p, q in zip(ln, ln[1:], strict=False):
        assert hg.distance(*p, *q) == 1
    assert all(type(v) is int for p in ln for v in p)
    # constant epsilon nudge: the reversed line visits the same hexes backwards
    assert hg.line(*b, *a) == ln[::-1]


def test_line_known() -> None:
    assert hg.line(2, 2, 2, 2) == [(2, 2)]
    assert hg.line(0, 0, 4, 0) == [(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)]
    # straight SE diagonal in axial (0, +1) steps: odd-r columns shift on odd rows
    assert hg.line(0, 0, 1, 2) == [(0, 0), (0, 1), (1, 2)]
    # (0,0)->(1,1) runs exactly along the edge between (1,0) and (0,1); the nudge picks (1,0)
    assert hg.line(0, 0, 1, 1) == [(0, 0), (1, 0), (1, 1)]
    assert hg.line(1, 1, 0, 0) == [(1, 1), (1, 0), (0, 0)]


# --- pixels ----------------------------------------------------------------


def test_hex_to_pixel_known() -> None:
    s = 10.0
    w = s * math.sqrt(3)
    assert hg.hex_to_pixel(0, 0, s) == pytest.approx((w / 2, s))
    assert hg.hex_to_pixel(1, 0, s) == pytest.approx((w * 1.5, s))
    assert hg.hex_to_pixel(0, 1, s) == pytest.approx((w, 2.5 * s))  # odd row shifted right
    assert hg.hex_to_pixel(0, 2, s) == pytest.approx((w / 2, 4.0 * s))


def test_hex_corners() -> None:
    s = 2.0
    corners = hg.hex_corners(0, 0, s)
    assert len(corners) == 6
    cx, cy = hg.hex_to_pixel(0, 0, s)
    for x, y in corners:
        assert math.hypot(x - cx, y - cy) == pytest.approx(s)
    # top-left of the map is at (0, 0): hex (0,0) touches x=0 and y=0
    assert min(x for x, _ in corners) == pytest.approx(0.0, abs=1e-9)
    assert min(y for _, y in corners) == pytest.approx(0.0, abs=1e-9)
    # adjacent hexes share an edge: two corners in common
    other = hg.hex_corners(1, 0, s)
    shared = [c for c in corners if any(math.dist(c, o) < 1e-9 for o in other)]
    assert len(shared) == 2


@given(hexes, sizes)
def test_pixel_round_trip_on_centres(h: tuple[int, int], size: float) -> None:
    x, y = hg.hex_to_pixel(*h, size)
    got = hg.pixel_to_hex(x, y, size)
    assert got == h
    assert all(type(v) is int for v in got)


@given(
    hexes,
    sizes,
    st.floats(min_value=0.0, max_value=0.85),
    st.floats(min_value=0.0, max_value=2 * math.pi),
)
def test_pixel_inside_hex_maps_back(
    h: tuple[int, int], size: float, frac: float, angle: float
) -> None:
    # inscribed-circle radius is size*sqrt(3)/2 ~ 0.866*size; stay strictly inside it
    x, y = hg.hex_to_pixel(*h, size)
    px = x + frac * size * math.cos(angle)
    py = y + frac * size * math.sin(angle)
    assert hg.pixel_to_hex(px, py, size) == h


def test_pixel_just_across_edge_changes_hex() -> None:
    s = 10.0
    x, y = hg.hex_to_pixel(2, 2, s)
    half_w = s * math.sqrt(3) / 2
    assert hg.pixel_to_hex(x + half_w - 0.01, y, s) == (2, 2)
    assert hg.pixel_to_hex(x + half_w + 0.01, y, s) == (3, 2)
    assert hg.pixel_to_hex(x, y - s + 0.01, s) == (2, 2)
    assert hg.pixel_to_hex(x, y - s - 0.01, s) in {(1, 1), (2, 1)}


def test_pixel_vectorized() -> None:
    cols, rows = np.meshgrid(np.arange(-3, 8), np.arange(-2, 6))
    x, y = hg.hex_to_pixel(cols, rows, 7.5)
    assert isinstance(x, np.ndarray) and x.shape == cols.shape
    rng = np.random.default_rng(1)
    ang = rng.uniform(0, 2 * np.pi, cols.shape)
    rad = rng.uniform(0, 0.85 * 7.5, cols.shape)
    c2, r2 = hg.pixel_to_hex(x + rad * np.cos(ang), y + rad * np.sin(ang), 7.5)
    assert np.issubdtype(c2.dtype, np.integer)
    np.testing.assert_array_equal(c2, cols)
    np.testing.assert_array_equal(r2, rows)
    for c, r, xx, yy in zip(cols.ravel(), rows.ravel(), x.ravel(), y.ravel(), strict=True):
        assert hg.hex_to_pixel(int(c), int(r), 7.5) == pytest.approx((xx, yy))
