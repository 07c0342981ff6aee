"""Processing parameters pointing at the sample dataset, shared by the algorithm tests."""
from __future__ import annotations

from pathlib import Path

from hunchun_risk_plugin.core.layer_uri import layer_uri
from hunchun_risk_plugin.core.schema import census_inputs, raster_specs

VECTOR_INPUTS = [item for item in census_inputs() if not item.is_raster]


def sample_params(sample_gpkg: Path, folder: Path, **extra) -> dict:
    """Every census layer and raster of the sample in ``sample_gpkg``'s folder, output into ``folder``."""
    params = {item.parameter: layer_uri(sample_gpkg, item.name) for item in VECTOR_INPUTS}
    for name, spec in raster_specs().items():
        if spec.sample_file:
            params[name.upper()] = str(sample_gpkg.parent / spec.sample_file)
    params.update({"OUTPUT_FOLDER": str(folder), **extra})
    return params
