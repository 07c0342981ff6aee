"""core.input_geometry: the documented repair of input geometries, checked by hand."""
from __future__ import annotations

import geopandas as gpd
import shapely

from hunchun_risk_plugin.core.input_geometry import repair_geometries


def test_bow_tie_is_made_two_triangles_and_z_dropped_and_missing_named():
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # crosses itself at (1, 1)
    box_z = shapely.Polygon([(10, 0, 5), (11, 0, 5), (11, 1, 5), (10, 1, 5)])
    frame = gpd.GeoDataFrame({"code": ["a", "b", "c", "d"]},
                             geometry=[bow_tie, box_z, None, shapely.Polygon()], crs="EPSG:4511")
    repaired, notes = repair_geometries(frame, "polygon", "townships", "code")
    # the two triangles (0,0)-(1,1)-(0,2) and (2,0)-(1,1)-(2,2), each of area 1
    assert repaired.geometry.iloc[0].is_valid and repaired.geometry.iloc[0].area == 2.0
    assert repaired.geometry.iloc[0].geom_type == "MultiPolygon"
    assert not repaired.geometry.iloc[1].has_z and repaired.geometry.iloc[1].area == 1.0
    assert len(repaired) == 4 and repaired.geometry.iloc[2] is None  # kept: the engines account for them
    text = " ".join(en for en, _ in notes)
    assert "Z/M values of 1 feature(s)" in text and "1 invalid geometr(ies) repaired with make_valid (a)" in text
    assert "2 feature(s) have no geometry (c, d)" in text
    assert frame.geometry.iloc[0].wkb == bow_tie.wkb  # the input frame is not changed


def test_make_valid_leftovers_of_another_kind_are_dropped():
    # a polygon collapsing to a line: make_valid gives a LineString, no polygon is left
    spike = shapely.Polygon([(0, 0), (1, 0), (2, 0), (1, 0)])
    frame = gpd.GeoDataFrame({"code": ["s"]}, geometry=[spike], crs="EPSG:4511")
    repaired, _ = repair_geometries(frame, "polygon", "townships", "code")
    assert repaired.geometry.iloc[0] is None


def test_valid_layers_are_left_alone():
    frame = gpd.GeoDataFrame({"code": ["p"]}, geometry=[shapely.Point(1, 2)], crs="EPSG:4511")
    repaired, notes = repair_geometries(frame, "point", "settlements", "code")
    assert notes == [] and repaired.geometry.iloc[0].equals(shapely.Point(1, 2))


def test_multipoints_in_a_point_layer_become_points():
    frame = gpd.GeoDataFrame({"code": ["one", "two"]},
                             geometry=[shapely.MultiPoint([(1, 2)]), shapely.MultiPoint([(0, 0), (4, 2)])],
                             crs="EPSG:4511")
    repaired, notes = repair_geometries(frame, "point", "settlements", "code")
    assert repaired.geometry.iloc[0].equals(shapely.Point(1, 2))
    assert repaired.geometry.iloc[1].equals(shapely.Point(2, 1))  # the centroid, by hand
    assert "replaced by their centroid (two)" in notes[-1][0]
