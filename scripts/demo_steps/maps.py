"""The printed-maps part of ``make demo``: every map kind at both scales for the
sample data, from the risk and routing results the demo has just written. The
evacuation maps show the ``flood_100y`` plan (a plan for a real threat), not the
run that moves everyone."""
from __future__ import annotations

from pathlib import Path

from hunchun_risk_plugin.core.layer_uri import uri_path
from hunchun_risk_plugin.processing_provider.algorithms.export_maps import RESULT_INPUTS

from .risk import sample_parameters

EVACUATION_MAP_SCENARIO = "flood_100y"  # the scenario folder under the routing folder
EVACUATION_RESULTS = ("evacuation_routes", "shelter_load", "unreached")


def maps_parameters(output: Path, risk: dict, routing_folder: Path, dpi: int = 300,
                    ledger_folder: Path | None = None, scenario: str = EVACUATION_MAP_SCENARIO) -> dict:
    """``hunchunrisk:exportmaps`` parameters: the evacuation layers from
    ``routing_folder``/``scenario``, the coverage layers from ``routing_folder``, the
    hazard map's from ``ledger_folder``."""
    params = sample_parameters(Path(output))
    scenario_folder = Path(routing_folder) / scenario
    params.update({
        "RISK_CITY": uri_path(risk["city"]["RISK_ZONES"]),
        "RISK_TOWNSHIP": uri_path(risk["townships"]["RISK_ZONES"]),
        "DPI": dpi, "WORKERS": 0,
    })
    for param, name, *_ in RESULT_INPUTS:
        folders = (scenario_folder,) if name in EVACUATION_RESULTS else (routing_folder, ledger_folder)
        found = _result(name, *folders)
        if found is not None:
            params[param] = str(found)
    return params


def run_maps_demo(output: Path, risk: dict, routing_folder: Path, dpi: int = 300,
                  ledger_folder: Path | None = None) -> dict:
    """Export the full set into ``output``; ``risk`` is ``run_risk_demo``'s result."""
    import processing

    return processing.run("hunchunrisk:exportmaps", maps_parameters(output, risk, routing_folder, dpi, ledger_folder))


def _result(name: str, *folders: Path | None) -> Path | None:
    """``<name>.gpkg`` in the first folder that has it (None: exportmaps runs the analysis)."""
    for folder in folders:
        if folder is not None and (Path(folder) / f"{name}.gpkg").exists():
            return Path(folder) / f"{name}.gpkg"
    return None
