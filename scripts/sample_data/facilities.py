"""Facilities: shelters, relief-stock depots and fire stations."""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from hunchun_risk_plugin.core import definitions as defs

from .facts import CITY_CENTRE, DEMO_ZONE, URBAN_KIND
from .geometry import xy
from .placement import random_point_in
from .randomness import rng
from .settings import EPSG
from .townships import seat_of, township_by_code, township_codes_of, township_stem

URBAN_SHELTERS = [  # name, kind, indoor, nominal effective area m², unit
    ("珲春市体育场", "central", False, 42000, "新安街道"),
    ("珲春市人民广场", "fixed_long", False, 26000, "新安街道"),
    ("珲春市第一中学", "fixed_medium", True, 6400, "靖和街道"),
    ("珲春市第二中学", "fixed_short", True, 4200, "河南街道"),
    ("珲春市第一实验小学", "fixed_short", True, 3000, "新安街道"),
    ("珲春河滨公园", "fixed_medium", False, 30000, "河南街道"),
    ("靖和文化广场", "emergency", False, 5200, "靖和街道"),
    ("近海公园", "fixed_short", False, 16000, "近海街道"),
    ("珲春国际大酒店", "fixed_short", True, 2400, "近海街道"),
    ("边合区体育馆", "fixed_short", True, 5000, "近海街道"),
    ("河南广场", "emergency", False, 3600, "河南街道"),
    ("新安街道文化广场", "emergency", False, 2800, "新安街道"),
    ("珲春市职业高级中学", "fixed_medium", True, 5200, "靖和街道"),
    ("靖和公园", "fixed_long", False, 22000, "靖和街道"),
    ("东山公园", "fixed_short", False, 12000, "近海街道"),
    ("珲春市第五中学", "fixed_short", True, 3600, "近海街道"),
    ("河南小学", "fixed_short", True, 2600, "河南街道"),
]
SHELTER_CAPACITY_SHARE = 0.80  # total capacity as a share of the urban population
# Both city depots in the urban subdistricts; the second towards the industrial zone.
CITY_DEPOTS = [("珲春市救灾物资储备库", 1500.0, "新安街道"), ("珲春市近海应急物资储备库", 800.0, "近海街道")]
CITY_DEPOT_FIRST_SHARE = 0.6  # the first city depot's share of the plan's stock
# Stock range [low, high) of a township depot, per item.
SMALL_STOCK = {"tents": (5, 16), "folding_beds": (20, 61), "quilts": (60, 201), "mattresses": (40, 121),
               "cotton_coats": (40, 151), "heating_stoves": (3, 11), "floor_pads": (50, 151), "prefab_houses": (0, 3),
               "lighting_lamps": (0, 3), "underwear_sets": (20, 61)}

# A shelter site before capacities are set: name, kind, indoor, nominal area m², point.
ShelterSite = tuple[str, str, bool, float, np.ndarray]


def make_shelters(townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame,
                  builtup: shapely.Polygon) -> gpd.GeoDataFrame:
    """Schools, stadiums, parks and squares. Capacity = floor(area / m² per person of the
    kind), areas scaled so the total is ~80 % of the urban population."""
    r = rng("shelters")
    taken: list[np.ndarray] = []
    sites = _urban_shelters(r, townships, builtup, taken)
    sites += _community_squares(r, townships, settlements, taken)
    sites += _rural_shelters(r, townships, settlements, taken)
    kinds = defs.shelter_kinds()
    urban_pop = int(townships.loc[townships["kind"] == URBAN_KIND, "population"].sum())
    raw = sum(a / kinds[k]["area_per_person_m2"] for _, k, _, a, _ in sites)
    scale = SHELTER_CAPACITY_SHARE * urban_pop / raw
    records = []
    for i, (name, kind, indoor, area, p) in enumerate(sites):
        eff = float(round(area * scale / 10.0) * 10.0)
        records.append({"code": f"SH{i + 1:03d}", "name": name, "kind": kind, "indoor": bool(indoor),
                        "effective_area_m2": eff,
                        "capacity": math.floor(eff / float(kinds[kind]["area_per_person_m2"])),
                        "geometry": shapely.Point(p)})
    frame = gpd.GeoDataFrame(records, crs=EPSG)
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


def _urban_shelters(r: np.random.Generator, townships: gpd.GeoDataFrame, builtup: shapely.Polygon,
                    taken: list[np.ndarray]) -> list[ShelterSite]:
    """The named city shelters, inside the built-up part of their unit."""
    by_name = {row["name"]: row for _, row in townships.iterrows()}
    sites = []
    for name, kind, indoor, area, unit in URBAN_SHELTERS:
        poly = shapely.intersection(by_name[unit].geometry, builtup.buffer(-100))
        if poly.is_empty:
            poly = by_name[unit].geometry
        p = random_point_in(r, poly, taken, 350.0)
        taken.append(p)
        sites.append((name, kind, indoor, area, p))
    return sites


def _community_squares(r: np.random.Generator, townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame,
                       taken: list[np.ndarray]) -> list[ShelterSite]:
    """Emergency squares next to six random urban communities."""
    urban_units = townships[townships["kind"] == URBAN_KIND]["code"].tolist()
    communities = settlements[settlements["township_code"].isin(urban_units) & ~settlements["is_seat"]]
    sites = []
    for _, s in communities.iloc[r.permutation(len(communities))[:6]].iterrows():
        p = random_point_in(r, township_by_code(townships, s["township_code"]).geometry, taken, 250.0,
                            near=np.array([s.geometry.x, s.geometry.y]), radius=250.0)
        taken.append(p)
        sites.append((f"{s['name']}广场", "emergency", False, float(r.integers(8, 17) * 100), p))
    return sites


def _rural_shelters(r: np.random.Generator, townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame,
                    taken: list[np.ndarray]) -> list[ShelterSite]:
    """A school and a square at every rural seat, a square in its largest villages."""
    sites = []
    for _, town in townships[townships["kind"] != URBAN_KIND].iterrows():
        stem = township_stem(town["name"])
        seat = seat_of(town)
        for label, kind, indoor, area in ((f"{stem}中心学校", "fixed_short", True, 2200.0),
                                          (f"{stem}文化广场", "emergency", False, 1400.0)):
            p = random_point_in(r, town.geometry, taken, 150.0, near=seat, radius=500.0)
            taken.append(p)
            sites.append((label, kind, indoor, area, p))
        villages = settlements[(settlements["township_code"] == town["code"]) & ~settlements["is_seat"]]
        n_extra = 2 if town.geometry.area > 450e6 else 1
        for _, v in villages.nlargest(n_extra, "population").iterrows():
            p = random_point_in(r, town.geometry, taken, 100.0, near=np.array([v.geometry.x, v.geometry.y]),
                                radius=250.0)
            taken.append(p)
            sites.append((f"{v['name']}文化广场", "emergency", False, float(r.integers(6, 11) * 100), p))
    return sites


def make_depots(townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame,
                builtup: shapely.Polygon) -> gpd.GeoDataFrame:
    """Two city depots holding exactly the plan's stock, a depot per rural town seat and
    a few village depots with small stocks."""
    r = rng("depots")
    items = defs.depot_items()
    taken: list[np.ndarray] = []
    rows = _city_depots(r, townships, builtup, items, taken)
    rows += _township_depots(r, townships, items, taken)
    rows += _village_depots(r, settlements, items)
    frame = gpd.GeoDataFrame(rows, crs=EPSG)
    frame = frame.rename(columns={key: defs.depot_stock_field(key) for key in items})
    frame.insert(0, "code", [f"DP{i + 1:02d}" for i in range(len(frame))])
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


def _city_depots(r: np.random.Generator, townships: gpd.GeoDataFrame, builtup: shapely.Polygon, items: dict,
                 taken: list[np.ndarray]) -> list[dict]:
    """The two city depots; together they hold exactly the plan's total of every item."""
    by_name = {row["name"]: row for _, row in townships.iterrows()}
    first = {key: round(spec["plan_total"] * CITY_DEPOT_FIRST_SHARE) for key, spec in items.items()}
    rows = []
    for k, (name, area, unit) in enumerate(CITY_DEPOTS):
        p = random_point_in(r, shapely.intersection(by_name[unit].geometry, builtup), taken, 300.0)
        taken.append(p)
        stock = {key: (first[key] if k == 0 else int(spec["plan_total"]) - first[key]) for key, spec in items.items()}
        rows.append({"name": name, "level": "city", "area_m2": area, "geometry": shapely.Point(p), **stock})
    return rows


def _township_depots(r: np.random.Generator, townships: gpd.GeoDataFrame, items: dict,
                     taken: list[np.ndarray]) -> list[dict]:
    """A depot near every rural seat with a small random stock."""
    rows = []
    for _, town in townships[townships["kind"] != URBAN_KIND].iterrows():
        seat = seat_of(town)
        p = random_point_in(r, town.geometry, taken, 100.0, near=seat, radius=400.0)
        stock = {key: int(r.integers(*SMALL_STOCK[key])) for key in items}
        rows.append({"name": f"{town['name']}救灾物资储备点", "level": "township",
                     "area_m2": float(r.integers(12, 31) * 10), "geometry": shapely.Point(p), **stock})
    return rows


def _village_depots(r: np.random.Generator, settlements: gpd.GeoDataFrame, items: dict) -> list[dict]:
    """Depots in the three largest villages, with a very small stock."""
    rural = settlements[(settlements["kind"] == "village")]
    rows = []
    for _, v in rural.nlargest(3, "population").iterrows():
        p = np.array([v.geometry.x, v.geometry.y]) + r.uniform(-80, 80, 2)
        stock = {key: int(r.integers(0, max(1, SMALL_STOCK[key][0] + 1))) for key in items}
        rows.append({"name": f"{v['name']}应急物资储备点", "level": "village",
                     "area_m2": float(r.integers(3, 7) * 10), "geometry": shapely.Point(p), **stock})
    return rows


def make_fire_stations(townships: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Two stations in the city (the centre and the demonstration zone), one at 春化."""
    r = rng("fire")
    centre = np.asarray(xy(*CITY_CENTRE))
    sites = [
        ("珲春市城区消防救援站", centre + np.array([-700.0, 450.0]), 40),
        ("示范区消防救援站", np.asarray(xy(*DEMO_ZONE)) + np.array([300.0, -200.0]), 24),
        ("春化镇消防救援站", seat_of(townships[townships["name"] == "春化镇"].iloc[0]) + r.uniform(-150, 150, 2), 14),
    ]
    frame = gpd.GeoDataFrame({
        "code": [f"FS{i + 1:02d}" for i in range(len(sites))],
        "name": [s[0] for s in sites],
        "firefighters": [s[2] for s in sites],
    }, geometry=[shapely.Point(s[1]) for s in sites], crs=EPSG)
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame
