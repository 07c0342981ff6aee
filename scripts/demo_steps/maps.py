"""The printed-maps part of ``make demo``: every map kind at both scales for the
sample data, from the risk and routing results the demo has just written."""
from __future__ import annotations

from pathlib import Path

from hunchun_risk_plugin.core.layer_uri import uri_path
from hunchun_risk_plugin.processing_provider.algorithms.export_maps import RESULT_INPUTS

from .risk import sample_parameters


def run_maps_demo(output: Path, risk: dict, routing_folder: Path, dpi: int = 300) -> dict:
    """Export the full set into ``output``; ``risk`` is ``run_risk_demo``'s result."""
    import processing

    params = sample_parameters(Path(output))
    params.update({
        "RISK_CITY": uri_path(risk["city"]["RISK_ZONES"]),
        "RISK_TOWNSHIP": uri_path(risk["townships"]["RISK_ZONES"]),
        **{param: str(Path(routing_folder) / f"{name}.gpkg") for param, name, *_ in RESULT_INPUTS},
        "DPI": dpi, "WORKERS": 0,
    })
    return processing.run("hunchunrisk:exportmaps", params)
