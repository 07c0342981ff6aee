"""The printed-maps part of ``make demo``: every map kind at both scales for the
sample data, from the risk and routing results the demo has just written."""
from __future__ import annotations

from pathlib import Path

from hunchun_risk_plugin.core.layer_uri import uri_path
from hunchun_risk_plugin.processing_provider.algorithms.export_maps import RESULT_INPUTS

from .risk import sample_parameters


def run_maps_demo(output: Path, risk: dict, routing_folder: Path, dpi: int = 300,
                  ledger_folder: Path | None = None) -> dict:
    """Export the full set into ``output``; ``risk`` is ``run_risk_demo``'s result; the
    results are taken from ``routing_folder`` or, for the hazard map, ``ledger_folder``."""
    import processing

    params = sample_parameters(Path(output))
    params.update({
        "RISK_CITY": uri_path(risk["city"]["RISK_ZONES"]),
        "RISK_TOWNSHIP": uri_path(risk["townships"]["RISK_ZONES"]),
        **{param: str(_result(name, routing_folder, ledger_folder)) for param, name, *_ in RESULT_INPUTS
           if _result(name, routing_folder, ledger_folder) is not None},
        "DPI": dpi, "WORKERS": 0,
    })
    return processing.run("hunchunrisk:exportmaps", params)


def _result(name: str, *folders: Path | None) -> Path | None:
    """``<name>.gpkg`` in the first folder that has it (None: exportmaps runs the analysis)."""
    for folder in folders:
        if folder is not None and (Path(folder) / f"{name}.gpkg").exists():
            return Path(folder) / f"{name}.gpkg"
    return None
