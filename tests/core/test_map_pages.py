"""Page planning for printed maps around Hunchun in CGCS2000 / GK zone 22 (EPSG:4511).

Test townships are lon/lat rectangles (in arc-minutes) projected with pyproj, so which
GB/T 13989 1:50 000 sheets (15′ × 10′) they touch and whether they fit a map frame can be
worked out by hand. Hand rules used throughout:

* K52 covers 126°-132°E, 40°-44°N. A 1:50 000 sheet is K52E<row><col>, row counted from
  the north edge (44°) in 10′ steps, column from the west edge (126°) in 15′ steps.
* 1 km on the ground is 1000/scale m = 20 mm at 1:50 000, 10 mm at 1:100 000, 4 mm at
  1:250 000. At 43°N one minute of longitude is 1.852 km × cos 43° ≈ 1.355 km and one
  minute of latitude ≈ 1.852 km. In GK the rectangle is turned by the meridian
  convergence γ ≈ Δλ·sin φ (≈ 0.9° here), which widens its bounding box a little.
* A map fits when bbox × 1000 / scale ≤ frame × 0.96 in both directions.

The fake templates have a main map frame = ISO 216 page − 130 mm across (legend column)
and − 65 mm down (title and notes): A3 landscape 420 × 297 → 290 × 232 mm.
"""
from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from hunchun_risk_plugin.core.map_pages import (
    CITY,
    SMALLER_SCALE,
    SUBDISTRICT,
    TOWNSHIP,
    MapArea,
    PagePlanner,
    PageSpec,
    page_from_dict,
    page_to_dict,
    page_weight,
)
from hunchun_risk_plugin.core.map_specs import (
    larger_papers,
    map_kind,
    map_kinds,
    maps_config,
    paper_names,
    paper_size_mm,
    scale_text,
)
from hunchun_risk_plugin.core.qpt import main_map_frame_mm

EPSG = 4511
TO_GK = Transformer.from_crs(4490, EPSG, always_xy=True)
TEMPLATES = Path(__file__).resolve().parents[2] / "hunchun_risk_plugin" / "templates"

ISO_216 = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297)}


def iso_page(paper: str) -> tuple[float, float]:
    size, orientation = paper.split()
    short, long = ISO_216[size]
    return (long, short) if orientation == "landscape" else (short, long)


def fake_frame(paper: str) -> tuple[float, float]:
    width, height = iso_page(paper)
    return width - 130.0, height - 65.0


def shipped_frame(paper: str) -> tuple[float, float]:
    return main_map_frame_mm(TEMPLATES / f"{paper.replace(' ', '_')}.qpt")


def deg(degrees: int, minutes: float = 0.0) -> float:
    return degrees + minutes / 60.0


def to_gk(geometry_lonlat):
    dense = shapely.segmentize(geometry_lonlat, 0.005)  # parallels are curves in GK
    return shapely.transform(dense, lambda xy: np.column_stack(TO_GK.transform(xy[:, 0], xy[:, 1])))


def lonlat_rect(west, south, east, north):
    return to_gk(box(west, south, east, north))


def hand_sheet(lon: float, lat: float) -> str:
    """1:50 000 sheet number inside K52 by the hand rule above."""
    row = math.floor((44 * 60 - lat * 60) / 10) + 1
    col = math.floor((lon * 60 - 126 * 60) / 15) + 1
    return f"K52E{row:03d}{col:03d}"


def sheets_by_hand(rows, cols) -> set[str]:
    return {f"K52E{r:03d}{c:03d}" for r in rows for c in cols}


# 130°18′-130°24′E × 42°51′-42°54′N: ≈ 6 × 1.355 = 8.1 km by 3 × 1.852 = 5.6 km,
# 163 × 111 mm at 1:50 000 - well inside A3 landscape (290 × 232 × 0.96 = 278.4 × 222.7).
SMALL = MapArea("222404102000", "板石镇", "Banshi Town",
                lonlat_rect(deg(130, 18), deg(42, 51), deg(130, 24), deg(42, 54)))
# 130°14′-130°31′E × 42°48′-43°02′N: 17′ × 14′ ≈ 23.0 × 25.9 km (bbox ≈ 23.6 × 26.3 km with
# the convergence) = 470 × 526 mm at 1:50 000: does not fit A3 landscape.
BIG = MapArea("222404100000", "春化镇", "Chunhua Town",
              lonlat_rect(deg(130, 14), deg(42, 48), deg(130, 31), deg(43, 2)))
# The Hunchun extent 130.07-131.31°E × 42.42-43.51°N: 1.24° ≈ 101 km across at 43°N,
# 1.09° ≈ 121 km; bbox in GK ≈ 103.6 × 123.1 km (convergence and the curved parallels
# add ~2 km each way) = 414 × 492 mm at 1:250 000.
CITY_AREA = MapArea("222404", "珲春市", "Hunchun City", lonlat_rect(130.07, 42.42, 131.31, 43.51))

RISK, ZONING = map_kind("risk"), map_kind("zoning")


def planner(**options) -> PagePlanner:
    """Every sheet a township touches gets a page (the share threshold has its own tests)."""
    options.setdefault("paper", None)
    options.setdefault("min_sheet_share", 0.0)
    return PagePlanner(EPSG, options.pop("frame_for", fake_frame), **options)


def sheet_pages(pages):
    """The pages of one sheet each (a big township's overview page comes first)."""
    return [p for p in pages if not p.overview]


def test_hand_sizes_agree_with_the_projection():
    """Guard for the hand estimates in the comments above (checked to 2 %)."""
    for area, (w_km, h_km) in ((SMALL, (8.1, 5.6)), (BIG, (23.6, 26.3)), (CITY_AREA, (103.6, 123.1))):
        x0, y0, x1, y1 = area.geometry.bounds
        assert (x1 - x0) / 1000 == pytest.approx(w_km, rel=0.02)
        assert (y1 - y0) / 1000 == pytest.approx(h_km, rel=0.02)


def test_hand_sheet_rule_gives_the_worked_example():
    # 42°51′47″N 130°21′58″E: 44° - 42°51′47″ = 68.2′ -> row 7; 130°21′58″ - 126° = 262.0′ -> column 18
    assert hand_sheet(deg(130, 21 + 58 / 60), deg(42, 51 + 47 / 60)) == "K52E007018"


# --- township pages -----------------------------------------------------------------

def test_small_township_is_one_page_at_50000_on_a3_landscape():
    pages = planner().plan([RISK], [TOWNSHIP], None, [SMALL])
    assert len(pages) == 1
    page = pages[0]
    assert (page.scale, page.paper, page.scope, page.sheet, page.notes) == (50000, "A3 landscape", TOWNSHIP, None, ())
    assert page.area is SMALL
    # the whole township lies in the worked-example sheet 130°15′-130°30′E × 42°50′-43°00′N
    assert page.sheets == ("K52E007018",)
    x0, y0, x1, y1 = SMALL.geometry.bounds
    assert page.centre == pytest.approx(((x0 + x1) / 2, (y0 + y1) / 2))


def test_big_township_gets_one_page_per_sheet_it_touches():
    # columns: 130°14′ -> (254′ // 15) + 1 = 17, 130°31′ -> (271′ // 15) + 1 = 19
    # rows: 43°02′ -> (58′ // 10) + 1 = 6, 42°48′ -> (72′ // 10) + 1 = 8
    expected = sheets_by_hand(range(6, 9), range(17, 20))
    assert hand_sheet(deg(130, 14), deg(43, 2)) == "K52E006017"
    assert hand_sheet(deg(130, 31), deg(42, 48)) == "K52E008019"
    pages = sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [BIG]))
    assert len(pages) == 9
    assert {p.sheet for p in pages} == expected
    # north to south, then west to east: with rows counted from the north that is number order
    assert [p.sheet for p in pages] == sorted(expected)
    for page in pages:
        assert page.scale == 50000
        assert page.sheets == (page.sheet,)
        assert page.area is BIG


def test_sheet_page_paper_holds_the_whole_sheet():
    # A 15′ × 10′ sheet ≈ 20.7 × 18.8 km in GK = 414 × 377 mm at 1:50 000. From A3 landscape up:
    # A3 L 278 × 223, A3 P 160 × 341, A2 L 445 × 341 (too low), A2 P 278 × 508 (too narrow),
    # A1 L 683 × 508 holds it (frames × 0.96).
    pages = sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [BIG]))
    assert {p.paper for p in pages} == {"A1 landscape"}
    assert all(p.notes == () for p in pages)  # automatic paper: nothing to tell the user


def test_sheet_page_with_the_shipped_templates():
    # Real frames: A2 landscape 418 × 342.8 mm -> 342.8 × 0.96 = 329 mm < 377 mm; A2 portrait
    # 383.2 × 0.96 = 368 mm < 414 mm; A1 landscape 601.4 × 502.1 holds 414 × 377 mm.
    pages = sheet_pages(planner(frame_for=shipped_frame).plan([RISK], [TOWNSHIP], None, [BIG]))
    assert {p.paper for p in pages} == {"A1 landscape"}
    assert len(pages) == 9


def test_sheet_page_is_centred_on_its_sheet():
    pages = {p.sheet: p for p in sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [BIG]))}
    # K52E007018 spans 130°15′-130°30′E × 42°50′-43°00′N; its middle 130°22.5′E 42°55′N
    x, y = TO_GK.transform(deg(130, 22.5), deg(42, 55))
    cx, cy = pages["K52E007018"].centre
    # bbox centre vs projected middle differ by the curvature of the parallels (metres)
    assert math.hypot(cx - x, cy - y) < 200


def test_user_paper_that_is_too_small_for_a_sheet_is_noted():
    pages = sheet_pages(planner(paper="A3 landscape").plan([RISK], [TOWNSHIP], None, [BIG]))
    for page in pages:
        assert page.paper == "A1 landscape"
        assert len(page.notes) == 1
        assert "A3 landscape" in page.notes[0] and "A1 landscape" in page.notes[0]


def test_l_shaped_township_skips_the_sheet_only_its_bbox_touches():
    # vertical bar 130°20′-130°26′E × 42°45′-42°58′N: column 18, rows 7 (42°50′-43°00′) and 8
    # horizontal bar 130°20′-130°40′E × 42°45′-42°48′N: columns 18 and 19, row 8
    # the bbox 130°20′-130°40′ × 42°45′-42°58′ also covers row 7 column 19 (130°30′-130°45′E,
    # 42°50′-43°00′N), which the L never reaches: its nearest points are 4′ west and 2′ south.
    vertical = box(deg(130, 20), deg(42, 45), deg(130, 26), deg(42, 58))
    horizontal = box(deg(130, 20), deg(42, 45), deg(130, 40), deg(42, 48))
    el = MapArea("222404201000", "密江乡", "Mijiang Township", to_gk(vertical.union(horizontal)))
    # 20′ ≈ 27 km = 540 mm at 1:50 000: too wide for A3 landscape, so sheets
    pages = sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [el]))
    assert [p.sheet for p in pages] == ["K52E007018", "K52E008018", "K52E008019"]
    assert "K52E007019" not in {p.sheet for p in pages}


def test_overview_page_comes_first_with_the_whole_township_and_its_sheets():
    pages = planner().plan([RISK], [TOWNSHIP], None, [BIG])
    overview = pages[0]
    assert overview.overview and overview.sheet is None and not any(p.overview for p in pages[1:])
    # 23.6 x 26.3 km: at 1:100000 236 x 263 mm, which A3 landscape (278 x 223 usable) and A3
    # portrait (160 x 341) do not hold, A2 landscape (445 x 341) does: the first paper that holds it
    assert overview.scale == 100000 and overview.paper == "A2 landscape"
    assert overview.printed_sheets == tuple(p.sheet for p in pages[1:])
    assert overview.file_stem() == "春化镇_自然灾害综合风险图_1-100000_图幅总图"


def test_slivers_below_the_share_go_on_the_nearest_printed_sheet():
    # BIG spans 130°14′-130°31′ × 42°48′-43°02′. The four corner sheets get 1′ × 2′ of their
    # 15′ × 10′ (2/150 = 1.3 % < 2 %); the edge ones 1′ × 10′ (6.7 %) or 15′ × 2′ (20 %).
    pages = planner(min_sheet_share=0.02).plan([RISK], [TOWNSHIP], None, [BIG])
    corners = {"K52E006017", "K52E006019", "K52E008017", "K52E008019"}
    printed = {p.sheet for p in sheet_pages(pages)}
    assert printed == sheets_by_hand(range(6, 9), range(17, 20)) - corners
    hosts = {merged: p.sheet for p in sheet_pages(pages) for merged in p.merged}
    # each corner touches two printed edge sheets; the one the township fills more takes it:
    # the 15′ x 2′ rows (20 %) beat the 1′ x 10′ columns (6.7 %)
    assert hosts == {"K52E006017": "K52E006018", "K52E006019": "K52E006018",
                     "K52E008017": "K52E008018", "K52E008019": "K52E008018"}
    host = next(p for p in pages if p.sheet == "K52E006018")
    sliver = shapely.from_wkt(host.extra_clip)
    # two 1′ x 2′ pieces ≈ 2 x 1.36 km x 3.7 km
    assert sliver.area == pytest.approx(2 * 1.355e3 * 3.704e3, rel=0.03)
    assert any("K52E006017" in note for note in host.notes)
    assert pages[0].printed_sheets == tuple(sorted(printed))


def test_fit_boundary_in_width():
    # A3 landscape: 290 mm × 0.96 = 278.4 mm = 13 920 m at 1:50 000
    x0, y0 = 606000.0, 4747000.0
    inside = MapArea("1", "甲", "A", box(x0, y0, x0 + 13919, y0 + 5000))
    outside = MapArea("2", "乙", "B", box(x0, y0, x0 + 13921, y0 + 5000))
    assert [p.sheet for p in planner().plan([RISK], [TOWNSHIP], None, [inside])] == [None]
    assert all(p.sheet for p in sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [outside])))


def test_fit_boundary_in_height():
    # A3 landscape: 232 mm × 0.96 = 222.72 mm = 11 136 m at 1:50 000
    x0, y0 = 606000.0, 4747000.0
    inside = MapArea("1", "甲", "A", box(x0, y0, x0 + 5000, y0 + 11135))
    outside = MapArea("2", "乙", "B", box(x0, y0, x0 + 5000, y0 + 11137))
    page = planner().plan([RISK], [TOWNSHIP], None, [inside])[0]
    assert (page.sheet, page.scale, page.paper) == (None, 50000, "A3 landscape")
    assert page.centre == (x0 + 2500, y0 + 11135 / 2)
    assert all(p.sheet for p in sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [outside])))


def test_portrait_user_paper_changes_what_fits():
    # A3 portrait frame 167 × 355 mm (fake): 0.96 × = 160.3 × 340.8 mm = 8 016 × 17 040 m
    x0, y0 = 606000.0, 4747000.0
    tall = MapArea("1", "甲", "A", box(x0, y0, x0 + 8000, y0 + 17000))
    assert planner(paper="A3 portrait").plan([RISK], [TOWNSHIP], None, [tall])[0].paper == "A3 portrait"
    # on the default A3 landscape (222.7 mm = 11 136 m high) it needs sheets
    assert sheet_pages(planner().plan([RISK], [TOWNSHIP], None, [tall]))[0].sheet is not None


# --- smaller-scale option ------------------------------------------------------------

def test_smaller_scale_picks_100000_when_that_fits():
    # 130°14′-130°31′E × 42°48′-42°56′N: ≈ 23.4 × 15.2 km (bbox) = 468 × 304 mm at 1:50 000
    # (too big), 234 × 152 mm at 1:100 000 (fits 278.4 × 222.7)
    mid = MapArea("222404103000", "英安镇", "Ying'an Town",
                  lonlat_rect(deg(130, 14), deg(42, 48), deg(130, 31), deg(42, 56)))
    pages = planner(township_mode=SMALLER_SCALE).plan([RISK], [TOWNSHIP], None, [mid])
    assert len(pages) == 1
    page = pages[0]
    assert (page.scale, page.paper, page.sheet) == (100000, "A3 landscape", None)
    assert len(page.notes) == 1 and "100000" in page.notes[0]
    # the 1:50 000 sheets it lies on: rows 7 (42°50′-43°00′) and 8, columns 17-19
    assert set(page.sheets) == sheets_by_hand((7, 8), (17, 18, 19))


def test_smaller_scale_steps_on_to_250000():
    # BIG is ≈ 26.3 km high: 263 mm at 1:100 000 > 222.7 mm; 105 mm at 1:250 000 fits
    page, = planner(township_mode=SMALLER_SCALE).plan([RISK], [TOWNSHIP], None, [BIG])
    assert page.scale == 250000
    assert len(page.sheets) == 9


def test_smaller_scale_leaves_a_fitting_township_at_50000():
    page, = planner(township_mode=SMALLER_SCALE).plan([RISK], [TOWNSHIP], None, [SMALL])
    assert (page.scale, page.notes) == (50000, ())


def test_smaller_scale_series_is_the_standard_one():
    # GB/T 13989 series below 1:50 000
    assert maps_config()["scales"]["smaller"] == [100000, 250000, 500000]


# --- city page ------------------------------------------------------------------------

def test_city_paper_grows_to_the_first_frame_that_holds_it():
    # 414 × 492 mm at 1:250 000. From A4 portrait (frames × 0.96): A4 P 77 × 223, A4 L 160 × 139,
    # A3 P 160 × 341, A3 L 278 × 223, A2 P 278 × 508 (too narrow), A2 L 445 × 341 (too low),
    # A1 P 445 × 745 holds it.
    page, = planner().plan([RISK], [CITY], CITY_AREA, [])
    assert (page.scope, page.scale, page.paper, page.sheet, page.notes) == (CITY, 250000, "A1 portrait", None, ())
    # 1:250 000 sheets are 1.5° × 1°: columns 130.07 -> 3, 131.31 -> 4; rows 43.51 -> 1, 42.42 -> 2
    assert set(page.sheets) == {"K52C001003", "K52C001004", "K52C002003", "K52C002004"}


def test_city_from_the_users_paper_moves_up_and_says_so():
    # From A3 landscape: A3 P, A2 L, A2 P fail as above; A1 landscape 683 × 508 holds 414 × 492
    page, = planner(paper="A3 landscape").plan([RISK], [CITY], CITY_AREA, [])
    assert page.paper == "A1 landscape"
    assert len(page.notes) == 1 and "A3 landscape" in page.notes[0] and "A1 landscape" in page.notes[0]


def test_small_city_stays_on_a4_portrait():
    # 15 × 40 km = 60 × 160 mm at 1:250 000 <= 76.8 × 222.7 mm (A4 portrait frame 80 × 232)
    x0, y0 = 606000.0, 4730000.0
    page, = planner().plan([RISK], [CITY], MapArea("0", "市", "City", box(x0, y0, x0 + 15000, y0 + 40000)), [])
    assert page.paper == "A4 portrait"


# --- fixed paper (a user template) ----------------------------------------------------

def test_fixed_paper_keeps_the_paper_and_notes_the_cut():
    fixed = planner(paper="A3 landscape", fixed_paper=True)
    pages = fixed.plan([RISK], [CITY, TOWNSHIP], CITY_AREA, [SMALL, BIG])
    assert {p.paper for p in pages} == {"A3 landscape"}
    city = [p for p in pages if p.scope == CITY]
    small = [p for p in pages if p.area is SMALL]
    big = [p for p in pages if p.area is BIG]
    assert len(city) == 1 and len(city[0].notes) == 1 and "cut" in city[0].notes[0]
    assert len(small) == 1 and small[0].notes == ()  # it fits: nothing to say
    assert len(big) == 1 + 9  # still one page per sheet, each too big for the page, after the overview
    assert all(len(p.notes) == 1 and "cut" in p.notes[0] for p in sheet_pages(big))
    assert big[0].overview and big[0].paper == "A3 landscape" and "cut" not in big[0].notes[0]


# --- batches --------------------------------------------------------------------------

def test_kinds_times_areas():
    kinds = map_kinds()
    assert [k.key for k in kinds] == ["risk", "zoning", "evacuation", "coverage", "hazards"]
    # per kind: city 1 + small 1 + big 1 overview + 9 sheets = 12 pages
    pages = planner().plan(kinds, [CITY, TOWNSHIP], CITY_AREA, [SMALL, BIG])
    assert len(pages) == 5 * 12
    for kind in kinds:
        mine = [p for p in pages if p.kind == kind]
        assert len(mine) == 12
        assert [(p.scope, p.area.code, p.sheet) for p in mine] == [(p.scope, p.area.code, p.sheet)
                                                                   for p in pages if p.kind == kinds[0]]
    assert len(planner().plan(kinds[:2], [TOWNSHIP], CITY_AREA, [SMALL, BIG])) == 2 * 11
    assert len(planner().plan(kinds, [CITY], CITY_AREA, [SMALL, BIG])) == len(kinds)  # one city page per kind
    assert planner().plan(kinds, [CITY], None, [SMALL]) == []  # no city area: no city page
    assert planner().plan([], [CITY, TOWNSHIP], CITY_AREA, [SMALL]) == []


# --- the subdistricts at 1:10000 --------------------------------------------------------
# GB/T 13989-2012, new numbering: a 1:10000 sheet is Δλ = 3′45″ by Δφ = 2′30″; inside the
# 1:1M sheet K52 (126°-132°E, 40°-44°N) its row is 4°/Δφ − ⌊(φ mod 4°)/Δφ⌋ (counted from the
# north, 96 rows) and its column ⌊(λ mod 6°)/Δλ⌋ + 1 (96 columns), scale code G.

def hand_sheet_10000(lon: float, lat: float) -> str:
    """1:10000 sheet number by the standard's formula, in arc-seconds (exact)."""
    dlon, dlat = 225, 150
    row = 4 * 3600 // dlat - math.floor(((lat * 3600) % (4 * 3600)) / dlat)
    col = math.floor(((lon * 3600) % (6 * 3600)) / dlon) + 1
    return f"K52G{row:03d}{col:03d}"


# 130°20′-130°23′E × 42°50.5′-42°54′N: 3′ × 3.5′ ≈ 4.1 × 6.5 km = 410 × 650 mm at 1:10000,
# far more than A3 landscape (278 × 223): one page per 1:10000 sheet. The formula gives
# columns ⌊(130°20′ − 126°)/3′45″⌋ + 1 = ⌊260/3.75⌋ + 1 = 70 and ⌊263/3.75⌋ + 1 = 71, rows
# 96 − ⌊(42°54′ − 40°)/2′30″⌋ = 96 − ⌊174/2.5⌋ = 96 − 69 = 27 and 96 − ⌊170.5/2.5⌋ = 28.
STREETS = MapArea("222404002000", "新安街道", "Xin'an Subdistrict",
                  lonlat_rect(deg(130, 20), deg(42, 50.5), deg(130, 23), deg(42, 54)), "街道")
TOWN = dataclasses.replace(BIG, kind="镇")


def test_hand_formula_for_1_10000_gives_the_corner_sheets():
    assert hand_sheet_10000(deg(130, 20), deg(42, 54)) == "K52G027070"
    assert hand_sheet_10000(deg(130, 23), deg(42, 50.5)) == "K52G028071"
    # a sheet's south-west corner belongs to it: 126° + 69 × 3′45″ = 130°18′45″, 44° − 28 × 2′30″ = 42°50′
    assert hand_sheet_10000(deg(130, 18.75), deg(42, 50)) == "K52G028070"


def test_subdistrict_gets_an_overview_and_one_page_per_1_10000_sheet():
    pages = planner().plan([RISK], [SUBDISTRICT], None, [STREETS, TOWN])
    overview, sheets = pages[0], pages[1:]
    expected = [hand_sheet_10000(lon, lat) for lat in (deg(42, 54), deg(42, 50.5))
                for lon in (deg(130, 20), deg(130, 23))]
    assert expected == ["K52G027070", "K52G027071", "K52G028070", "K52G028071"]
    assert [p.sheet for p in sheets] == expected  # north to south, west to east
    assert all(p.area is STREETS for p in pages)  # the 镇 has no 1:10000 page
    for page in sheets:
        assert (page.scale, page.scope, page.sheets, page.sheet_scale) == (10000, TOWNSHIP, (page.sheet,), 10000)
        # a 3′45″ × 2′30″ sheet ≈ 5.1 × 4.6 km = 510 × 463 mm: A1 landscape (683 × 508 usable) is the first
        # paper that holds it (A2 landscape 445 × 341, A2 portrait 278 × 508 do not)
        assert page.paper == "A1 landscape"
        assert page.folder() == "townships_1-10000"
        assert page.file_stem() == f"新安街道_自然灾害综合风险图_1-10000_{page.sheet}"
    # the overview: ≈ 4.2 × 6.5 km = 168 × 260 mm at 1:25000, the first of the series; A3 landscape
    # (278 × 223) and A3 portrait (160 × 341) do not hold it, A2 landscape (445 × 341) does
    assert overview.overview and (overview.scale, overview.paper) == (25000, "A2 landscape")
    assert overview.sheets == tuple(expected) and overview.printed_sheets == tuple(expected)
    assert overview.folder() == "townships_1-10000"  # beside its sheet pages
    assert overview.file_stem() == "新安街道_自然灾害综合风险图_1-25000_图幅总图"


def test_subdistrict_sheet_is_the_standard_trapezoid():
    """K52G028070: west 126° + 69 × 3′45″ = 130°18′45″, north 44° − 27 × 2′30″ = 42°52′30″."""
    page = next(p for p in planner().plan([RISK], [SUBDISTRICT], None, [STREETS]) if p.sheet == "K52G028070")
    x, y = TO_GK.transform(deg(130, 18.75 + 3.75 / 2), deg(42, 52.5 - 2.5 / 2))
    assert math.hypot(page.centre[0] - x, page.centre[1] - y) < 50  # the middle of the sheet


def test_subdistrict_series_leaves_the_1_50000_plan_alone():
    both = planner().plan([RISK], [TOWNSHIP, SUBDISTRICT], None, [STREETS, TOWN])
    alone = planner().plan([RISK], [TOWNSHIP], None, [STREETS, TOWN])
    assert [p for p in both if p.series_scale == 50000] == alone
    assert {p.sheet_scale for p in both if p not in alone} == {10000}


def test_subdistrict_pages_are_sheets_even_in_smaller_scale_mode():
    pages = planner(township_mode=SMALLER_SCALE).plan([RISK], [SUBDISTRICT], None, [STREETS])
    assert [p.scale for p in pages] == [25000, 10000, 10000, 10000, 10000]


# --- page records -----------------------------------------------------------------------

def test_page_round_trips_through_json():
    pages = planner(paper="A3 landscape").plan([ZONING], [CITY, TOWNSHIP, SUBDISTRICT], CITY_AREA,
                                               [SMALL, BIG, STREETS])
    assert any(p.sheet_scale == 10000 for p in pages) and any(p.area.kind for p in pages)
    for page in pages:
        back = page_from_dict(json.loads(json.dumps(page_to_dict(page), ensure_ascii=False)))
        # everything but the outline, which a worker process does not need
        assert back == dataclasses.replace(page, area=dataclasses.replace(page.area, geometry=None))


def test_file_stem_and_folder():
    area = MapArea("222404100000", "春化镇", "Chunhua Town", None)
    sheet_page = PageSpec(RISK, TOWNSHIP, area, 50000, "A1 landscape", (0.0, 0.0), ("K52E007018",), "K52E007018")
    assert sheet_page.file_stem() == "春化镇_自然灾害综合风险图_1-50000_K52E007018"
    assert sheet_page.folder() == "townships_1-50000"
    whole = dataclasses.replace(sheet_page, kind=ZONING, sheet=None)
    assert whole.file_stem() == "春化镇_自然灾害综合防治区划图_1-50000"
    city = PageSpec(RISK, CITY, MapArea("222404", "珲春市", "Hunchun", None), 250000, "A1 portrait", (0.0, 0.0), ())
    assert city.file_stem() == "珲春市_自然灾害综合风险图_1-250000"
    assert city.folder() == "city_1-250000"
    odd = dataclasses.replace(whole, area=MapArea("9", "a/b:c", "x", None))
    assert odd.file_stem() == "a_b_c_自然灾害综合防治区划图_1-50000"


def test_page_weight_is_paper_area():
    def page_on(paper):
        return PageSpec(RISK, TOWNSHIP, SMALL, 50000, paper, (0.0, 0.0), ())

    assert page_weight(page_on("A3 landscape")) == 420 * 297
    assert page_weight(page_on("A3 portrait")) == 420 * 297
    assert page_weight(page_on("A0 portrait")) == 841 * 1189
    # each A size has twice the area of the next (to within the mm rounding of ISO 216)
    assert page_weight(page_on("A2 landscape")) / page_weight(page_on("A3 landscape")) == pytest.approx(2, rel=0.01)


# --- map_specs --------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["A0 landscape", "A0 portrait", "A1 landscape", "A2 portrait", "A3 landscape",
                                   "A3 portrait", "A4 landscape", "A4 portrait"])
def test_paper_sizes_are_iso_216(paper):
    assert paper_size_mm(paper) == iso_page(paper)


def test_paper_names_and_bad_papers():
    assert len(paper_names()) == 10 and paper_names()[:2] == ["A4 landscape", "A4 portrait"]
    for bad in ("A5 landscape", "A3 sideways", "A3", "a3 landscape", ""):
        with pytest.raises(ValueError):
            paper_size_mm(bad)


def test_larger_papers():
    assert larger_papers("A3 landscape") == ["A3 landscape", "A3 portrait", "A2 landscape", "A2 portrait",
                                             "A1 landscape", "A1 portrait", "A0 landscape", "A0 portrait"]
    assert larger_papers("A0 portrait") == ["A0 portrait", "A0 landscape"]
    assert larger_papers("A4 portrait")[:3] == ["A4 portrait", "A4 landscape", "A3 portrait"]


def test_scale_text_groups_digits_in_threes():
    assert scale_text(50000) == "1:50 000"
    assert scale_text(250000) == "1:250 000"
    assert scale_text(1000000) == "1:1 000 000"
    assert scale_text(49999.6) == "1:50 000"


def test_map_kinds():
    assert [k.key for k in map_kinds()] == ["risk", "zoning", "evacuation", "coverage", "hazards"]
    assert map_kind("risk").title("zh-CN") == "自然灾害综合风险图"
    assert map_kind("risk").title("en") == "Comprehensive natural-hazard risk map"
    with pytest.raises(KeyError):
        map_kind("flood")
