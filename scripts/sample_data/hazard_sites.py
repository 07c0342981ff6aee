"""Hazard sites: geological hazards on steep slopes near people, subsidence over old
mines, waterlogging in the low city, the major hazard installations and tailings ponds."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.features import rasterize
from scipy import ndimage

from hunchun_risk_plugin.core import definitions as defs

from .geometry import xy
from .grid import Grid, block_max, slope_degrees
from .placement import pick_spaced, random_point_in
from .randomness import rng
from .settings import EPSG
from .surfaces import SURFACE_FACTOR, Surfaces
from .townships import seat_of, township_codes_of

MAJOR_HAZARDS = [  # exactly four major hazard installations, in/near the industrial zone
    ("珲春热电厂液氨罐区", (130.431, 42.853), "large", 2600),
    ("边合区LNG储配站", (130.446, 42.839), "huge", 3800),
    ("化工园区氯气储罐区", (130.419, 42.836), "large", 1900),
    ("珲春市石油公司油库", (130.313, 42.869), "large", 2200),
]
OLD_MINES = [("英安煤矿", (130.335, 42.958)), ("板石煤矿", (130.505, 42.905))]
TAILINGS = [("杨泡金铜矿尾矿库", "杨泡满族乡"), ("春化金矿尾矿库", "春化镇"),
            ("哈达门钼矿尾矿库", "哈达门乡"), ("英安煤矸石堆场尾矿库", "英安镇")]
GEOLOGICAL_SITES = 140
WATERLOGGING_SITES = 12
# Threatened people by scale [low, high), capped by the nearest settlement's population.
PEOPLE_RANGE = {"small": (3, 40), "medium": (20, 150), "large": (80, 500), "huge": (250, 1200)}
WATERLOGGING_PEOPLE_FACTOR = 5  # city blocks: many more people per site


def make_hazard_sites(dem: np.ndarray, grid: Grid, surf: Surfaces, townships: gpd.GeoDataFrame,
                      settlements: gpd.GeoDataFrame, roads: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every hazard site inside the city, named, with threatened people and codes."""
    r = rng("hazards")
    rows = _geological_sites(r, dem, grid, surf, settlements, roads)
    rows += _subsidence_sites(r)
    rows += _waterlogging_sites(r, surf)
    for name, lonlat, scale, people in MAJOR_HAZARDS:
        rows.append({"kind": "major_hazard_installation", "scale": scale, "name": name,
                     "threatened_people": people, "geometry": shapely.Point(xy(*lonlat))})
    rows += _tailings_ponds(r, townships)
    frame = gpd.GeoDataFrame(rows, crs=EPSG)
    frame = frame[shapely.contains_xy(shapely.union_all(townships.geometry.values), frame.geometry.x, frame.geometry.y)]
    return _name_hazards(frame.reset_index(drop=True), townships, settlements, r)


def _distance_to(geoms: list[shapely.Geometry], g: Grid) -> np.ndarray:
    """Distance (m) from every cell to the nearest cell the geometries touch."""
    cells = rasterize([(gm, 1) for gm in geoms], out_shape=g.shape, transform=g.transform, all_touched=True)
    return ndimage.distance_transform_edt(cells == 0, sampling=g.cell)


def _geological_sites(r: np.random.Generator, dem: np.ndarray, grid: Grid, surf: Surfaces,
                      settlements: gpd.GeoDataFrame, roads: gpd.GeoDataFrame) -> list[dict]:
    """Landslides, collapses and debris flows on steep slopes close to villages or
    roads, each at the steepest 30 m cell of its 150 m cell."""
    g = surf.grid
    slope30 = slope_degrees(dem, grid.cell)
    steep = block_max(slope30, SURFACE_FACTOR)
    road_dist = _distance_to(list(roads.geometry), g)
    settle_cells = np.zeros(g.shape, np.uint8)
    sr, sc = g.rowcol(settlements.geometry.x.values, settlements.geometry.y.values)
    settle_cells[sr, sc] = 1
    settle_dist = ndimage.distance_transform_edt(settle_cells == 0, sampling=g.cell)
    ok = (surf.inside & ~surf.builtup & (steep >= 24) & ((settle_dist <= 2500) | (road_dist <= 400))).ravel()
    idx = np.flatnonzero(ok)
    near_people = np.minimum(settle_dist.ravel()[idx], road_dist.ravel()[idx] * 3)
    weight = (np.clip(steep.ravel()[idx] - 20, 1, None) ** 1.5) * np.exp(-near_people / 1500.0)
    cand = g.centre(idx // g.nx, idx % g.nx)
    picked = pick_spaced(r, cand, weight, GEOLOGICAL_SITES, 600.0)
    k = SURFACE_FACTOR
    sub = slope30.reshape(g.ny, k, g.nx, k)
    rows = []
    for i in picked:
        cr, cc = divmod(int(idx[i]), g.nx)
        block = sub[cr, :, cc, :]
        br, bc = np.unravel_index(int(np.argmax(block)), block.shape)
        p = grid.centre(np.array([cr * k + br]), np.array([cc * k + bc]))[0]
        kind = r.choice(["landslide", "collapse", "debris_flow"], p=[0.55, 0.30, 0.15])
        scale = r.choice(["small", "medium", "large", "huge"], p=[0.55, 0.30, 0.12, 0.03])
        rows.append({"kind": str(kind), "scale": str(scale), "geometry": shapely.Point(p)})
    return rows


def _subsidence_sites(r: np.random.Generator) -> list[dict]:
    """Ground subsidence over old coal workings."""
    rows = []
    for mine, lonlat in OLD_MINES:
        for k in range(3 if mine == "英安煤矿" else 2):
            p = np.asarray(xy(*lonlat)) + r.uniform(-1200, 1200, 2)
            rows.append({"kind": "ground_subsidence", "scale": str(r.choice(["small", "medium"])),
                         "name": f"{mine}采空区地面塌陷{k + 1}号", "geometry": shapely.Point(p)})
    return rows


def _waterlogging_sites(r: np.random.Generator, surf: Surfaces) -> list[dict]:
    """Waterlogging in the low parts of the city."""
    g = surf.grid
    idx = np.flatnonzero(surf.builtup.ravel())
    low = surf.dem.ravel()[idx]
    cand = g.centre(idx // g.nx, idx % g.nx) + r.uniform(-50, 50, (len(idx), 2))
    rows = []
    for i in pick_spaced(r, cand, np.exp(-(low - low.min()) / 4.0) + 1e-6, WATERLOGGING_SITES, 450.0):
        rows.append({"kind": "waterlogging", "scale": str(r.choice(["small", "medium"], p=[0.6, 0.4])),
                     "geometry": shapely.Point(cand[i])})
    return rows


def _tailings_ponds(r: np.random.Generator, townships: gpd.GeoDataFrame) -> list[dict]:
    """One tailings pond within 6 km of the seat of each mining township."""
    rows = []
    for name, unit in TAILINGS:
        town = townships[townships["name"] == unit].iloc[0]
        p = random_point_in(r, town.geometry, [], 0.0, near=seat_of(town), radius=6000.0)
        rows.append({"kind": "tailings_pond", "scale": str(r.choice(["medium", "large"])), "name": name,
                     "geometry": shapely.Point(p)})
    return rows


def _name_hazards(frame: gpd.GeoDataFrame, townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame,
                  r: np.random.Generator) -> gpd.GeoDataFrame:
    """Names after the nearest settlement, threatened people from scale and that
    settlement's size, codes and township codes."""
    kinds = defs.hazard_site_kinds()
    tree = shapely.STRtree(settlements.geometry.values)
    nearest = tree.nearest(frame.geometry.values)
    counts: dict[str, int] = {}
    names, people = [], []
    for i, row in frame.iterrows():
        s = settlements.iloc[int(nearest[i])]
        names.append(_hazard_name(row, s, kinds[row["kind"]]["zh"], counts))
        people.append(_threatened_people(row, s, r))
    frame["name"] = names
    frame["threatened_people"] = np.asarray(people, dtype=np.int64)
    frame.insert(0, "code", [f"HZ{i + 1:04d}" for i in range(len(frame))])
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


def _hazard_name(row: pd.Series, settlement: pd.Series, kind_zh: str, counts: dict[str, int]) -> str:
    """The site's own name, else the settlement's name and the kind (numbered from the
    second site of a kind at one settlement)."""
    if isinstance(row.get("name"), str):
        return row["name"]
    base = settlement["name"] + kind_zh
    counts[base] = counts.get(base, 0) + 1
    return base if counts[base] == 1 else f"{settlement['name']}{counts[base]}号{kind_zh}"


def _threatened_people(row: pd.Series, settlement: pd.Series, r: np.random.Generator) -> int:
    """The given number, else a random number in the scale's range, at most the
    settlement's population (but not below the range)."""
    if row.get("threatened_people") is not None and not pd.isna(row.get("threatened_people")):
        return int(row["threatened_people"])
    lo, hi = PEOPLE_RANGE[row["scale"]]
    if row["kind"] == "waterlogging":
        lo, hi = lo * WATERLOGGING_PEOPLE_FACTOR, hi * WATERLOGGING_PEOPLE_FACTOR
    return int(min(r.integers(lo, hi), max(lo, int(settlement["population"]))))
