"""core.validation without QGIS: GeoDataFrames in, problems out."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from hunchun_risk_plugin.core.schema import layer_spec, layer_specs
from hunchun_risk_plugin.core.validation import facts_from_frame, field_type_of, validate_dataset, validate_layer


def settlements(crs=4511, **overrides) -> gpd.GeoDataFrame:
    data = {"code": ["a", "b"], "name": ["A", "B"], "kind": ["village", "community"],
            "population": [10, 20], "township_code": ["t", "t"]}
    data.update(overrides)
    return gpd.GeoDataFrame(data, geometry=[shapely.Point(0, 0), shapely.Point(1, 1)], crs=crs)


def codes(frame) -> set[str]:
    return {p.code for p in validate_layer(layer_spec("settlements"), facts_from_frame("settlements", frame))}


def test_a_clean_layer_has_no_problem():
    assert codes(settlements()) == set()


def test_integer_column_with_nulls_is_still_integer():
    assert field_type_of(pd.Series([1.0, None, 3.0])) == "integer"
    assert field_type_of(pd.Series([1.5, None])) == "real"


def test_each_fault_is_found():
    assert "crs_geographic" in codes(settlements(crs=4490))
    assert "crs_missing" in codes(settlements(crs=None))
    assert "id_duplicate" in codes(settlements(code=["a", "a"]))
    assert "id_null" in codes(settlements(code=["a", None]))
    assert "field_type" in codes(settlements(population=["x", "y"]))
    assert "field_missing" in codes(settlements().drop(columns=["township_code"]))
    assert "value_unknown" in codes(settlements(kind=["village", "hamlet"]))
    assert "value_out_of_range" in codes(settlements(population=[10, -1]))


def test_messages_name_layer_and_field_in_both_languages():
    problem = [p for p in validate_layer(layer_spec("settlements"),
                                         facts_from_frame("settlements", settlements().drop(columns=["population"])))][
                                             0]
    assert problem.field == "population"
    assert "settlements" in problem.en and "population" in problem.en
    assert "居民点" in problem.zh and "population" in problem.zh


def test_dataset_reports_every_absent_layer():
    problems = validate_dataset({"settlements": facts_from_frame("settlements", settlements())})
    missing = {p.layer for p in problems if p.code == "layer_missing"}
    assert missing == set(layer_specs()) - {"settlements"}
