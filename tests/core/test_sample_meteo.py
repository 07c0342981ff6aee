"""The sample carries a meteorological index, so the default model runs whole on it:
every factor, every hazard, no note of anything left out."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from hunchun_risk_plugin.core.risk.checks import plan_run
from hunchun_risk_plugin.core.risk.model import load_model
from hunchun_risk_plugin.core.risk.sources import RiskInputs
from hunchun_risk_plugin.core.schema import layer_specs, raster_specs

LAYERS = Path(__file__).resolve().parents[2] / "layers"
GPKG = LAYERS / "hunchun_sample.gpkg"


def test_sample_townships_hold_a_meteorological_index_in_range():
    townships = gpd.read_file(GPKG, layer="townships", engine="pyogrio")
    assert "meteo_index" in layer_specs()["townships"].optional_fields
    assert townships["meteo_index"].notna().all()
    assert townships["meteo_index"].between(0, 1).all()
    assert townships["meteo_index"].nunique() > 1  # an index that differs between townships


def test_the_default_model_uses_every_factor_and_hazard_on_the_sample():
    present = {info[0] for info in pyogrio.list_layers(GPKG)}
    vectors = {name: gpd.read_file(GPKG, layer=name, engine="pyogrio") for name in layer_specs() if name in present}
    rasters = {name: str(LAYERS / spec.sample_file) if spec.sample_file else None
               for name, spec in raster_specs().items()}
    model = load_model(None)
    bounds = tuple(vectors["townships"].total_bounds)
    plan = plan_run(model, RiskInputs(vectors, rasters), bounds)
    # Population grid is the only input the sample lacks; no factor of the model reads it.
    assert not any(f.layer == "population" for f in model.factors.values())
    assert plan.missing_factors == [] and plan.missing_hazards == [] and plan.notes == []
    assert set(plan.factors) == set(model.factors)
    assert set(plan.hazards) == set(model.hazards) and "meteorological" in plan.hazards
