"""GB/T 13989-2012 map sheet numbering (pure Python, no qgis)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon, box

from hunchun_risk_plugin.core.sheets import (
    Sheet,
    adjoining_sheets,
    scale_letter,
    sheet_at,
    sheet_from_number,
    sheet_number,
    sheets_covering,
    sheets_intersecting,
    supported_scales,
)

CENTRE = (130 + 21 / 60 + 58 / 3600, 42 + 51 / 60 + 47 / 3600)  # 42°51′47″N 130°21′58″E
EXTENT = (130.07, 42.42, 131.31, 43.51)  # Hunchun W, S, E, N
# sheet size in degrees per scale, written out by hand from the standard
SIZES = {
    1000000: (6, 4), 500000: (3, 2), 250000: (1.5, 1), 100000: (30 / 60, 20 / 60),
    50000: (15 / 60, 10 / 60), 25000: (7.5 / 60, 5 / 60), 10000: (3.75 / 60, 2.5 / 60),
    5000: (1.875 / 60, 1.25 / 60),
}
TOL = 1e-9


def test_supported_scales_and_letters():
    assert supported_scales() == sorted(SIZES, reverse=True)
    assert [scale_letter(s) for s in supported_scales()] == ["", "B", "C", "D", "E", "F", "G", "H"]
    with pytest.raises(ValueError, match="unsupported sheet scale"):
        scale_letter(200000)


def test_worked_examples_hunchun_centre():
    assert sheet_number(*CENTRE, 1000000) == "K52"
    assert sheet_number(*CENTRE, 250000) == "K52C002003"
    assert sheet_number(*CENTRE, 50000) == "K52E007018"
    assert sheet_at(*CENTRE, 50000).number == "K52E007018"


def test_corners_of_k52e007018_match_hand_computation():
    # K52 spans 126°-132°E, 40°-44°N. Row 007 from the north: north = 44° - 6 × 10′ = 43°00′,
    # south = 42°50′. Column 018 from the west: west = 126° + 17 × 15′ = 130°15′, east = 130°30′.
    s = sheet_from_number("K52E007018")
    assert s.scale == 50000
    assert s.west == pytest.approx(130 + 15 / 60, abs=TOL)
    assert s.east == pytest.approx(130 + 30 / 60, abs=TOL)
    assert s.south == pytest.approx(42 + 50 / 60, abs=TOL)
    assert s.north == pytest.approx(43.0, abs=TOL)


def test_million_sheet_number_parses():
    assert sheet_from_number("K52") == Sheet("K52", 1000000, 126.0, 40.0, 132.0, 44.0)
    assert sheet_from_number(" k52c002003 ").number == "K52C002003"  # normalised


def test_hunchun_extent_at_250000_is_four_sheets():
    numbers = [s.number for s in sheets_covering(*EXTENT, 250000)]
    assert numbers == ["K52C001003", "K52C001004", "K52C002003", "K52C002004"]  # N→S, W→E
    assert [s.number for s in sheets_covering(*EXTENT, 1000000)] == ["K52"]


def test_hunchun_extent_at_50000_count_and_order():
    w, s, e, n = EXTENT
    # independent count: 15′ columns starting at 130°00′..131°15′ (6), 10′ rows starting at
    # 42°20′..43°30′ (8)
    cols = math.floor(e * 60 / 15) - math.floor(w * 60 / 15) + 1
    rows = math.floor(n * 60 / 10) - math.floor(s * 60 / 10) + 1
    assert (cols, rows) == (6, 8)
    sheets = sheets_covering(*EXTENT, 50000)
    assert len(sheets) == cols * rows == 48
    assert len({x.number for x in sheets}) == 48
    keys = [(-x.north, x.west) for x in sheets]
    assert keys == sorted(keys)
    assert all(x.west < e and x.east > w and x.south < n and x.north > s for x in sheets)


def test_box_edges_on_sheet_edges_exclude_touching_sheets():
    s = sheet_from_number("K52E007018")
    assert [x.number for x in sheets_covering(s.west, s.south, s.east, s.north, 50000)] == ["K52E007018"]
    # a degenerate box (point) gets its containing sheet
    assert [x.number for x in sheets_covering(*CENTRE, *CENTRE, 50000)] == ["K52E007018"]


def test_edge_point_belongs_to_north_east_sheet():
    # 130°15′E 43°00′N is the SW corner of K52E006018 (the sheet north of K52E007018)
    assert sheet_number(130.25, 43.0, 50000) == "K52E006018"
    # a decimal edge a float cannot hold exactly still goes north: 42°50′ → row 007, not 008
    assert sheet_number(130.3, 42 + 50 / 60, 50000) == "K52E007018"
    assert sheet_number(130.3, 42 + 50 / 60 - 1e-7, 50000) == "K52E008018"
    # 1:1M boundaries: 44°N → row L, 132°E → column 53
    assert sheet_number(131.0, 44.0, 1000000) == "L52"
    assert sheet_number(132.0, 43.0, 1000000) == "K53"
    assert sheet_number(0.0, 0.0, 250000) == "A31C004001"


@settings(max_examples=300, deadline=None)
# stay 1e-9° clear of 180°E / 88°N: within the 1e-6″ edge tolerance a point counts as on the
# outer edge and is rejected
@given(lon=st.floats(0, 180 - 1e-9), lat=st.floats(0, 88 - 1e-9),
       scale=st.sampled_from(sorted(SIZES)))
def test_round_trip_contains_point_and_has_right_size(lon, lat, scale):
    number = sheet_number(lon, lat, scale)
    s = sheet_from_number(number)
    assert s.number == number and s.scale == scale
    assert s.west - TOL <= lon < s.east + TOL and s.south - TOL <= lat < s.north + TOL
    dlon, dlat = SIZES[scale]
    assert s.east - s.west == pytest.approx(dlon, abs=TOL)
    assert s.north - s.south == pytest.approx(dlat, abs=TOL)
    assert sheet_at(lon, lat, scale) == s
    # a sheet's own south-west corner maps back to it (edge rule + float corners)
    assert sheet_number(s.west, s.south, scale) == number


def _neighbour_by_point(s: Sheet, di: int, dj: int) -> str | None:
    """Number of the neighbour found from a point one sheet width/height beyond the centre."""
    lon = (s.west + s.east) / 2 + di * (s.east - s.west)
    lat = (s.south + s.north) / 2 + dj * (s.north - s.south)
    try:
        return sheet_number(lon, lat, s.scale)
    except ValueError:
        return None


@pytest.mark.parametrize("number", ["K52E001001", "K52E024024", "K52C001004", "L51G001096", "K52", "A31E024001"])
def test_adjoining_sheets_across_million_boundaries(number):
    s = sheet_from_number(number)
    grid = adjoining_sheets(number)
    assert grid[1][1] == number
    for r, dj in enumerate((1, 0, -1)):
        for c, di in enumerate((-1, 0, 1)):
            assert grid[r][c] == _neighbour_by_point(s, di, dj), (r, c)


def test_adjoining_explicit_values():
    assert adjoining_sheets("K52E001001") == [
        ["L51E024024", "L52E024001", "L52E024002"],
        ["K51E001024", "K52E001001", "K52E001002"],
        ["K51E002024", "K52E002001", "K52E002002"],
    ]
    # the south-west corner of the supported area has no west/south neighbours
    assert adjoining_sheets("A31")[2] == [None, None, None]
    assert [row[0] for row in adjoining_sheets("A31")] == [None, None, None]


@pytest.mark.parametrize(("number", "part"), [
    ("", "3 .*or 10 characters"), ("K52E007", "3 .*or 10 characters"), ("K52E0070189", "3 .*or 10 characters"),
    ("W52", "row letter 'W'"), ("152", "row letter '1'"), ("K30", "column '30'"), ("K61", "column '61'"),
    ("K5X", "column '5X'"), ("K52A001001", "scale letter 'A'"), ("K52E000001", "row '000'"),
    ("K52E025001", "row '025'"), ("K52E001025", "column '025'"), ("K52C005001", "row '005'"),
    ("K52E0a1001", "row '0A1'"), ("K52E001-01", "column '-01'"),
])
def test_bad_numbers_raise(number, part):
    with pytest.raises(ValueError, match=part):
        sheet_from_number(number)
    with pytest.raises(ValueError):
        adjoining_sheets(number)


@pytest.mark.parametrize(("lon", "lat"), [(-1, 40), (130, -1), (180, 40), (130, 88), (130, 90), (math.nan, 40)])
def test_points_outside_supported_area_raise(lon, lat):
    with pytest.raises(ValueError):
        sheet_number(lon, lat, 50000)


def test_sheets_covering_bad_box_raises():
    with pytest.raises(ValueError, match="empty box"):
        sheets_covering(131, 42, 130, 43, 250000)


def test_sheets_intersecting_uses_the_geometry_not_its_bbox():
    # two patches in the SW and NE sheets of the 2×2 block K52C001003..K52C002004: their
    # bbox spans all four sheets, the geometry only two
    patches = MultiPolygon([box(130.1, 42.1, 130.2, 42.2), box(130.8, 43.8, 130.9, 43.9)])
    assert len(sheets_covering(*patches.bounds, 250000)) == 4
    assert [s.number for s in sheets_intersecting(patches, 250000)] == ["K52C001004", "K52C002003"]


def test_sheets_intersecting_excludes_touching_only():
    s = sheet_from_number("K52E007018")
    assert [x.number for x in sheets_intersecting(s.polygon(), 50000)] == ["K52E007018"]
    assert [x.number for x in sheets_intersecting(Point(*CENTRE), 50000)] == ["K52E007018"]
    assert sheets_intersecting(Polygon(), 50000) == []
    hunchun = [x.number for x in sheets_intersecting(box(*EXTENT), 250000)]
    assert hunchun == ["K52C001003", "K52C001004", "K52C002003", "K52C002004"]


def test_polygon_densified():
    s = sheet_from_number("K52C002003")
    p = s.polygon(4)
    assert len(p.exterior.coords) == 17  # 4 edges × 4 segments + closing point
    assert p.bounds == pytest.approx((s.west, s.south, s.east, s.north))
    assert p.area == pytest.approx(1.5 * 1.0)
    assert p.equals(s.polygon())
