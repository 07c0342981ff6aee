"""The routing part of ``make demo``: evacuation routes and depot coverage on the sample
data, written as styled files into the demo output folder."""
from __future__ import annotations

from pathlib import Path

from hunchun_risk_plugin.paths import sample_inputs
from hunchun_risk_plugin.processing_provider.algorithms.analyses import WALKING_MODE


def run_routing_demo(output_folder: Path, risk_class_raster: Path | None = None) -> dict:
    """Run ``hunchunrisk:evacuationroutes`` (walking, flood zones closed, roads through
    risk classes ≥ 4 penalised when ``risk_class_raster`` is given: the composite class
    is high in the city because many people live there, which is no reason to close
    its streets) and ``hunchunrisk:depotcoverage`` on the
    sample data. Returns the output paths and the headline numbers."""
    import processing  # QGIS's Processing plugin, importable once QGIS is initialised

    folder = Path(output_folder)
    folder.mkdir(parents=True, exist_ok=True)
    layers = sample_inputs()

    evacuation = processing.run("hunchunrisk:evacuationroutes", {
        "ROADS": layers["ROADS"], "ORIGINS": layers["SETTLEMENTS"], "SHELTERS": layers["SHELTERS"],
        "MODE": WALKING_MODE, "HAZARD_POLYGONS": layers["FLOOD_ZONES"],
        "HAZARD_RASTER": str(risk_class_raster) if risk_class_raster else None,
        "CLOSE_FROM_CLASS": 6, "PENALISE_FROM_CLASS": 4, "PENALTY_FACTOR": 3.0, "OUTPUT_FOLDER": str(folder),
    })
    coverage = processing.run("hunchunrisk:depotcoverage", {
        **{name: layers[name] for name in ("ROADS", "DEPOTS", "FIRE_STATIONS", "SETTLEMENTS", "TOWNSHIPS")},
        "THRESHOLDS_HOURS": "1, 3, 10",
        "OUTPUT_FOLDER": str(folder),
    })
    return {
        "evacuation_routes": evacuation["ROUTES"],
        "shelter_load": evacuation["SHELTER_LOAD"],
        "unreached": evacuation["UNREACHED"],
        "evacuation_provenance": evacuation["PROVENANCE"],
        "population_placed": evacuation["POPULATION_PLACED"],
        "population_unreached": evacuation["POPULATION_UNREACHED"],
        "drive_time_zones": coverage["DRIVE_TIME_ZONES"],
        "settlement_times": coverage["SETTLEMENT_TIMES"],
        "depot_service": coverage["DEPOT_SERVICE"],
        "township_times": coverage["TOWNSHIP_TIMES"],
        "coverage_provenance": coverage["PROVENANCE"],
        "pop_beyond_rescue_3h": coverage["POP_BEYOND_RESCUE_3H"],
        "pop_beyond_aid_10h": coverage["POP_BEYOND_AID_10H"],
    }
