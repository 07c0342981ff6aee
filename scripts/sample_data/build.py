"""The whole pipeline: landscape, then the vector layers on it, then the files."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import geopandas as gpd
import numpy as np
import shapely

from hunchun_risk_plugin.core.schema import layer_specs

from .facilities import make_depots, make_fire_stations, make_shelters
from .forest import make_forest
from .grid import Grid, make_grid
from .hazard_sites import make_hazard_sites
from .hazard_zones import make_flood_zones, make_seismic_zones
from .hydrology import River, Valley, carve_valleys, make_rivers, rivers_frame
from .names import NameBook
from .outline import make_builtup, make_outline
from .relief import ReliefModel
from .roads import make_roads
from .settings import DEM_NODATA, FOREST_NODATA
from .settlements import make_settlements
from .surfaces import make_surfaces
from .terrain import make_terrain
from .townships import make_townships
from .writing import conform, write_gpkg, write_raster

GPKG_NAME = "hunchun_sample.gpkg"
DEM_NAME = "dem.tif"
FOREST_NAME = "forest.tif"
Log = Callable[[str], None]


@dataclass
class Landscape:
    """The physical city every layer is placed on."""

    outline: shapely.Polygon
    grid: Grid  # 30 m
    dem: np.ndarray  # carved, float32 m
    rivers: list[River]
    valleys: dict[str, Valley]
    builtup: shapely.Polygon


def make_landscape(log: Log) -> Landscape:
    """Outline, rivers and the carved terrain."""
    outline = make_outline()
    relief = ReliefModel.default()
    rivers = make_rivers(outline, relief)
    grid = make_grid(outline)
    log(f"outline {outline.area / 1e6:.1f} km², grid {grid.nx}x{grid.ny}")
    dem = make_terrain(grid, relief, outline, rivers)
    valleys = carve_valleys(dem, grid, rivers)
    log("terrain")
    return Landscape(outline, grid, dem, rivers, valleys, make_builtup(outline))


def make_layers(land: Landscape, log: Log) -> dict[str, gpd.GeoDataFrame]:
    """Every vector layer, keyed by its schema name (not yet conformed)."""
    hunchun_river = next(r for r in land.rivers if r.name == "珲春河")
    townships = make_townships(land.outline, hunchun_river.line)
    surf = make_surfaces(land.dem, land.grid, land.outline, land.rivers, land.builtup, townships)
    settlements = make_settlements(townships, surf, NameBook())
    log(f"townships, {len(settlements)} settlements")
    roads = make_roads(surf, land.outline, land.rivers, townships, settlements)
    log(f"{len(roads)} road segments")
    frames = {
        "townships": townships, "settlements": settlements,
        "shelters": make_shelters(townships, settlements, land.builtup),
        "depots": make_depots(townships, settlements, land.builtup),
        "hazard_sites": make_hazard_sites(land.dem, land.grid, surf, townships, settlements, roads),
        "roads": roads, "rivers": rivers_frame(land.rivers),
        "fire_stations": make_fire_stations(townships),
        "seismic_zones": make_seismic_zones(land.outline),
        "flood_zones": make_flood_zones(land.dem, land.grid, land.valleys, land.outline),
    }
    log("facilities and zones")
    return frames


def write_rasters(out_dir: Path, land: Landscape, settlements: gpd.GeoDataFrame) -> None:
    """dem.tif and forest.tif, nodata outside the outline buffered by 1 km."""
    grid = land.grid
    keep = grid.mask_of(land.outline.buffer(1000.0))
    # Float32 rounded to 1/8 m: no integer terracing in hillshades, and binary fractions
    # keep the low mantissa bits zero so DEFLATE still compresses well.
    dem_out = np.where(keep, np.round(land.dem * 8.0) / 8.0, DEM_NODATA).astype(np.float32)
    write_raster(out_dir / DEM_NAME, dem_out, grid, DEM_NODATA, "Elevation (m) 高程", "metre")
    forest = make_forest(land.dem, grid, land.builtup, land.valleys, settlements)
    keep60 = keep.reshape(grid.ny // 2, 2, grid.nx // 2, 2).any(axis=(1, 3))
    forest_out = np.where(keep60, forest, FOREST_NODATA).astype(np.float32)
    write_raster(out_dir / FOREST_NAME, forest_out, grid.coarsen(2), FOREST_NODATA,
                 "Forest cover share 0-1 森林覆盖率", "1")


def build(out_dir: Path) -> dict[str, object]:
    """Generate the dataset into out_dir; returns feature counts and the outline area."""
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:5.1f}s] {msg}", flush=True)

    land = make_landscape(log)
    frames = make_layers(land, log)
    # The schema's layer order is the GeoPackage's.
    layers = {name: conform(name, frames[name]) for name in layer_specs()}
    out_dir.mkdir(parents=True, exist_ok=True)
    write_gpkg(out_dir / GPKG_NAME, layers)
    write_rasters(out_dir, land, frames["settlements"])
    log("written")
    return {"layers": {k: len(v) for k, v in layers.items()}, "outline_km2": land.outline.area / 1e6}
