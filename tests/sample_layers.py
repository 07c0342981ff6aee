"""Processing parameters pointing at the sample dataset, shared by the algorithm tests."""
from __future__ import annotations

from pathlib import Path

LAYER_PARAMS = {"townships": "TOWNSHIPS", "hazard_sites": "HAZARD_SITES", "settlements": "SETTLEMENTS",
                "shelters": "SHELTERS", "depots": "DEPOTS", "fire_stations": "FIRE_STATIONS", "roads": "ROADS",
                "rivers": "RIVERS", "seismic_zones": "SEISMIC_ZONES", "flood_zones": "FLOOD_ZONES"}


def sample_params(sample_gpkg: Path, folder: Path, **extra) -> dict:
    """Every census layer and raster of the sample, output into ``folder``."""
    params = {param: f"{sample_gpkg}|layername={layer}" for layer, param in LAYER_PARAMS.items()}
    params.update({"DEM": str(sample_gpkg.parent / "dem.tif"), "FOREST": str(sample_gpkg.parent / "forest.tif"),
                   "OUTPUT_FOLDER": str(folder)})
    params.update(extra)
    return params
