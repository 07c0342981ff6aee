"""Hand-drawn facts (lon, lat). Everything else is derived from these and the seeds."""
from __future__ import annotations

from dataclasses import dataclass

CITY_CENTRE = (130.366, 42.863)  # 新安街道
FANGCHUAN = (130.640, 42.430)  # 防川, the far south tip
DEMO_ZONE = (130.428, 42.846)  # 边境经济合作示范区, industrial, east/south-east of the centre

# Clockwise outline: NW border with Wangqing/Dongning, Russia to the east and south-east,
# the long tail to 防川, then back north-west up the Tumen (DPRK on the far bank).
OUTLINE_LONLAT = [
    (130.09, 43.08), (130.15, 43.13), (130.25, 43.17), (130.37, 43.21), (130.49, 43.265),
    (130.61, 43.33), (130.71, 43.41), (130.80, 43.47), (130.86, 43.51), (130.95, 43.47),
    (131.03, 43.40), (131.13, 43.31), (131.24, 43.25), (131.31, 43.20), (131.22, 43.08),
    (131.10, 42.97), (130.98, 42.90), (130.86, 42.845), (130.78, 42.79), (130.72, 42.73),
    (130.685, 42.66), (130.67, 42.58), (130.66, 42.51), (130.65, 42.45), (130.64, 42.42),
    (130.628, 42.432), (130.612, 42.465), (130.595, 42.51), (130.575, 42.56), (130.545, 42.61),
    (130.50, 42.66), (130.44, 42.71), (130.37, 42.76), (130.30, 42.80), (130.24, 42.835),
    (130.18, 42.87), (130.12, 42.91), (130.085, 42.96), (130.07, 43.02),
]
TUMEN_UPSTREAM = (130.07, 43.02)  # where the Tumen starts to form the border
TUMEN_SW_PROBE = (130.44, 42.70)  # a point on the Tumen side, to pick the right arc


@dataclass(frozen=True)
class TownshipFacts:
    seat: tuple[float, float]  # seat (lon, lat), also the partition seed
    area_km2: float  # target area (rescaled so the total matches the outline)
    population: int
    elderly_share: float
    building_vulnerability: float
    villages: int  # number of settlements to place
    # Meteorological hazard index 0–1 (rainstorm, blizzard, cold wave, gale), invented like
    # the rest: higher in the northern mountains (春化, 哈达门: heavy snow and cold) and
    # on the south-east strip towards the sea (敬信: typhoon remnants and gales), lower in
    # the sheltered basin around the city.
    meteo_index: float


# Keyed by the Chinese name in domain.toml. Urban subdistricts hold ~150,000 people.
TOWNSHIP_FACTS = {
    "靖和街道": TownshipFacts((130.334, 42.876), 22, 38000, 0.16, 0.30, 13, 0.34),
    "新安街道": TownshipFacts((130.366, 42.865), 16, 48000, 0.15, 0.26, 15, 0.32),
    "河南街道": TownshipFacts((130.362, 42.834), 30, 34000, 0.17, 0.34, 12, 0.36),
    "近海街道": TownshipFacts((130.405, 42.868), 26, 30000, 0.14, 0.28, 11, 0.38),
    "春化镇": TownshipFacts((130.945, 43.195), 1650, 8500, 0.27, 0.72, 34, 0.66),
    "敬信镇": TownshipFacts((130.600, 42.575), 620, 10500, 0.28, 0.70, 33, 0.62),
    "板石镇": TownshipFacts((130.535, 42.885), 460, 14500, 0.23, 0.58, 32, 0.47),
    "英安镇": TownshipFacts((130.352, 42.985), 480, 14000, 0.22, 0.60, 33, 0.44),
    "马川子乡": TownshipFacts((130.255, 42.893), 230, 10500, 0.24, 0.62, 27, 0.41),
    "密江乡": TownshipFacts((130.130, 42.990), 420, 6500, 0.29, 0.76, 24, 0.52),
    "哈达门乡": TownshipFacts((130.400, 43.105), 560, 7000, 0.28, 0.74, 25, 0.58),
    "杨泡满族乡": TownshipFacts((130.720, 42.998), 480, 6500, 0.27, 0.73, 24, 0.50),
    "三家子满族乡": TownshipFacts((130.405, 42.760), 180, 11000, 0.25, 0.64, 26, 0.45),
}
URBAN_KIND = "街道"
# Extra partition anchors (besides the seat) that pull a unit's territory where it lies.
TOWNSHIP_ANCHORS = {
    "春化镇": [(131.06, 43.33), (131.15, 43.15)],
    "敬信镇": [(130.635, 42.47)],
    "板石镇": [(130.74, 42.81), (130.63, 42.90)],
    "杨泡满族乡": [(130.84, 42.97)],
    "哈达门乡": [(130.50, 43.20), (130.33, 43.14)],
    "英安镇": [(130.44, 42.99)],
    "密江乡": [(130.15, 43.07)],
}


@dataclass(frozen=True)
class RiverDef:
    name: str
    name_en: str
    parent: str | None  # river it flows into (None for the Tumen, built from the border)
    points: tuple[tuple[float, float], ...]  # source -> mouth (lon, lat)
    floor_m: float  # flat valley floor half-width
    wall_m: float  # width over which the valley side rises to the hills
    meander_m: float  # lateral noise amplitude


# Parents before tributaries: a tributary's mouth is placed on its parent.
RIVERS = [
    RiverDef("图们江", "Tumen River", None, (), 700, 3000, 0),
    RiverDef("珲春河", "Hunchun River", "图们江", (
        (131.02, 43.375), (130.99, 43.30), (130.96, 43.24), (130.93, 43.185), (130.88, 43.12),
        (130.82, 43.06), (130.74, 43.01), (130.66, 42.985), (130.58, 42.962), (130.51, 42.948),
        (130.455, 42.91), (130.415, 42.872), (130.37, 42.851), (130.33, 42.846), (130.30, 42.836),
        (130.27, 42.826)), 320, 1800, 180),
    RiverDef("密江", "Mijiang River", "图们江", (
        (130.21, 43.12), (130.18, 43.06), (130.145, 43.01), (130.12, 42.96), (130.105, 42.935)),
        180, 1100, 150),
    RiverDef("英安河", "Ying'an River", "珲春河", (
        (130.43, 43.165), (130.405, 43.09), (130.375, 43.03), (130.37, 42.96), (130.39, 42.90),
        (130.398, 42.866)), 200, 1200, 160),
    RiverDef("草帽顶子河", "Caomaodingzi River", "珲春河", (
        (130.60, 43.25), (130.57, 43.15), (130.545, 43.06), (130.525, 42.99), (130.515, 42.955)),
        150, 1000, 160),
    RiverDef("骆驼河子", "Luotuohezi River", "珲春河", (
        (130.80, 43.42), (130.83, 43.32), (130.845, 43.22), (130.855, 43.15), (130.85, 43.10)),
        150, 1000, 170),
    RiverDef("春化河", "Chunhua River", "珲春河", (
        (131.25, 43.205), (131.16, 43.215), (131.07, 43.21), (130.99, 43.205), (130.945, 43.215)),
        150, 1000, 170),
    RiverDef("板石河", "Banshi River", "珲春河", (
        (130.74, 42.905), (130.66, 42.89), (130.58, 42.875), (130.50, 42.872), (130.44, 42.875),
        (130.425, 42.878)), 180, 900, 140),
    RiverDef("五家山河", "Wujiashan River", "图们江", (
        (130.70, 42.74), (130.67, 42.70), (130.63, 42.66), (130.59, 42.63), (130.55, 42.61)),
        150, 900, 150),
]

# Control points of the broad relief (lon, lat, metres): low Tumen valley and Hunchun
# basin in the south-west, hills rising north and east, 老爷岭 (~1,477 m) in the north-east.
RELIEF_CONTROLS = [
    (130.366, 42.863, 30), (130.25, 42.88, 45), (130.45, 42.875, 60), (130.56, 42.905, 140),
    (130.12, 43.00, 170), (130.15, 43.10, 420), (130.28, 43.04, 320), (130.40, 43.16, 560),
    (130.55, 43.21, 650), (130.70, 43.32, 820), (130.85, 43.46, 900), (130.78, 43.15, 620),
    (131.00, 43.32, 1050), (131.13, 43.29, 1450), (131.26, 43.20, 950), (131.10, 43.05, 760),
    (130.95, 42.93, 480), (130.75, 42.92, 330), (130.68, 43.06, 450), (130.82, 42.79, 300),
    (130.71, 42.68, 240), (130.67, 42.55, 150), (130.56, 42.68, 120), (130.45, 42.77, 55),
    (130.64, 42.45, 40), (130.90, 43.18, 520), (130.48, 43.00, 330), (130.20, 42.94, 110),
]
PEAK_M = 1477.0  # 老爷岭, the highest point
BASIN_CENTRE = (130.345, 42.845)  # the Hunchun basin (plain round the city and the lower river)
BASIN_RADII_M = (9000.0, 6000.0)
