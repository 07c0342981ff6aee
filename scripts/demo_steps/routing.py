"""The routing part of ``make demo``: evacuation routes and depot coverage on the sample
data, written as styled files into the demo output folder."""
from __future__ import annotations

import json
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


DEMO_SCENARIOS = ("flood_100y", "geological_rainstorm")


def run_scenario_demo(output_folder: Path, scenarios=DEMO_SCENARIOS) -> dict[str, dict]:
    """``hunchunrisk:evacuationroutes`` with each shipped scenario (only the threatened
    population leaves, by priority, to the shelters the scenario allows; up to 10 new
    shelters proposed), one folder each; the flood zones close roads in the flood
    scenarios only, so the rainstorm plan is the one its ledger lists. Returns each
    run's figures."""
    import processing

    layers = sample_inputs()
    figures = {}
    for name in scenarios:
        result = processing.run("hunchunrisk:evacuationroutes", {
            "ROADS": layers["ROADS"], "ORIGINS": layers["SETTLEMENTS"], "SHELTERS": layers["SHELTERS"],
            "HAZARD_POLYGONS": layers["FLOOD_ZONES"] if name.startswith("flood") else None,
            "HAZARD_SITES": layers["HAZARD_SITES"],
            "TOWNSHIPS": layers["TOWNSHIPS"], "SCENARIO": name, "MAX_NEW_SHELTERS": 10,
            "OUTPUT_FOLDER": str(Path(output_folder) / name),
        })
        summary = json.loads(Path(result["PROVENANCE"]).read_text(encoding="utf-8"))["summary"]
        figures[name] = {"evacuees": summary["population_evacuees"], "placed": summary["population_placed"],
                         "not_placed": summary["population_unreached"], "shortfall": summary["shortfall"],
                         "proposed_shelters": summary.get("proposed_shelters", 0),
                         "proposed_people": summary.get("proposed_people", 0),
                         "shelters_excluded": summary["shelters_excluded"]}
    return figures


def run_ledger_demo(output_folder: Path) -> dict:
    """``hunchunrisk:hazardledger`` (the default geological_rainstorm scenario): the ledger
    and the 防灾避险明白卡 of every township."""
    import processing

    layers = sample_inputs()
    return processing.run("hunchunrisk:hazardledger", {
        **{name: layers[name] for name in ("HAZARD_SITES", "SETTLEMENTS", "SHELTERS", "ROADS", "TOWNSHIPS")},
        "OUTPUT_FOLDER": str(output_folder),
    })
