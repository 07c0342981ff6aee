"""Road network building: speeds, directions, snapping, topology report, CRS handling."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString, Point

from hunchun_risk_plugin.core.definitions import road_classes, walking_speed_kmh
from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.routing.graph import DRIVING, WALKING, build_travel_graph
from hunchun_risk_plugin.core.routing.network import (
    BACKWARD_ONLY,
    BOTH_WAYS,
    FORWARD_ONLY,
    build_network,
    fallback_speed_kmh,
)


def roads(lines, crs=4511, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=list(lines), crs=crs)


def test_speed_field_overrides_class_and_null_falls_back_to_class_table():
    frame = roads(
        [LineString([(0, 0), (1000, 0)]), LineString([(1000, 0), (2000, 0)]), LineString([(2000, 0), (3000, 0)])],
        road_class=["national", "national", "no_such_class"], speed_kmh=[45.0, None, None],
    )
    network = build_network(frame)
    by_road = dict(zip(network.seg_road, network.seg_speed_kmh))
    assert by_road[0] == 45.0
    assert by_road[1] == float(road_classes()["national"]["speed_kmh"])
    slowest = min(float(c["speed_kmh"]) for c in road_classes().values())
    assert by_road[2] == slowest == fallback_speed_kmh()
    assert network.report.speed_sources == {"speed_field": 1, "road_class": 1, "fallback": 1}
    assert network.report.unknown_classes == ("no_such_class",)


def test_chinese_class_names_and_zero_speed_use_the_class_default():
    frame = roads([LineString([(0, 0), (1000, 0)])], road_class=[road_classes()["county"]["zh"]], speed_kmh=[0.0])
    network = build_network(frame)
    assert network.seg_speed_kmh[0] == float(road_classes()["county"]["speed_kmh"])


def test_oneway_values_are_read_as_directions():
    lines = [LineString([(i * 100, 0), (i * 100 + 100, 0)]) for i in range(5)]
    frame = roads(lines, oneway=[1, -1, 0, None, 1])
    network = build_network(frame)
    direction = dict(zip(network.seg_road, network.seg_direction))
    assert [direction[i] for i in range(5)] == [FORWARD_ONLY, BACKWARD_ONLY, BOTH_WAYS, BOTH_WAYS, FORWARD_ONLY]
    text = build_network(roads(lines[:3], oneway=["yes", "TF", "no"]))
    assert list(text.seg_direction[np.argsort(text.seg_road)]) == [FORWARD_ONLY, BACKWARD_ONLY, BOTH_WAYS]


def test_one_way_edges_exist_only_in_their_direction_when_driving_and_both_ways_walking():
    network = build_network(roads([LineString([(0, 0), (1000, 0)])], oneway=[1], road_class=["county"]))
    start, end = network.seg_from[0], network.seg_to[0]
    driving = build_travel_graph(network, DRIVING).matrix
    walking = build_travel_graph(network, WALKING).matrix
    assert driving[start, end] == pytest.approx(1000 / (50 / 3.6))
    assert driving[end, start] == 0  # absent
    assert walking[end, start] == pytest.approx(1000 / (walking_speed_kmh() / 3.6))


def test_ends_within_the_snap_tolerance_are_joined_and_farther_ones_are_not():
    frame = roads([LineString([(0, 0), (1000, 0)]), LineString([(1000.5, 0), (2000, 0)])])
    joined = build_network(frame, snap_tolerance=1.0)
    apart = build_network(frame, snap_tolerance=0.1)
    assert joined.report.components == 1 and joined.n_nodes == 3
    assert apart.report.components == 2 and apart.n_nodes == 4
    assert joined.report.merged_vertices == 1


def test_roads_connect_at_a_shared_interior_vertex_and_dangling_ends_are_counted():
    # A T: the branch starts at the middle vertex of the main road.
    frame = roads([LineString([(0, 0), (500, 0), (1000, 0)]), LineString([(500, 0), (500, 800)])])
    network = build_network(frame)
    assert network.report.components == 1
    assert network.n_nodes == 4 and network.n_segments == 3
    assert network.report.dangling_ends == 3


def test_disconnected_pieces_are_reported():
    frame = roads(
        [LineString([(0, 0), (1000, 0)]), LineString([(5000, 0), (6000, 0)]), LineString([(6000, 0), (7000, 0)])])
    report = build_network(frame).report
    assert report.components == 2
    assert report.largest_component_share == pytest.approx(3 / 5)


def test_multipart_and_z_lines_are_split_and_flattened():
    multi = MultiLineString([[(0, 0, 5), (1000, 0, 6)], [(2000, 0, 7), (3000, 0, 8)]])
    network = build_network(roads([multi], road_class=["county"]))
    assert network.report.multipart_features == 1
    assert network.report.had_z_or_m
    assert network.n_segments == 2 and network.node_xy.shape[1] == 2
    assert network.seg_length.sum() == pytest.approx(2000.0)


def test_missing_geometries_are_skipped_and_reported():
    frame = roads([LineString([(0, 0), (1000, 0)]), None])
    network = build_network(frame)
    assert network.report.features_without_geometry == 1
    assert network.n_segments == 1


def test_geographic_crs_is_reprojected_so_costs_match_the_metric_network():
    lines = [LineString([(500000, 4750000), (503000, 4750000)]), LineString([(503000, 4750000), (503000, 4754000)])]
    metric = roads(lines, road_class=["county", "county"])
    geographic = metric.to_crs(4490)
    a = build_network(metric)
    b = build_network(geographic)
    assert b.crs.to_epsg() == 4511
    assert b.report.reprojected_from is not None
    np.testing.assert_allclose(np.sort(b.seg_length), np.sort(a.seg_length), rtol=1e-6)
    feet = metric.to_crs("EPSG:2228")  # a US-feet CRS far away: still reprojected to a metric one
    c = build_network(feet)
    assert c.crs.axis_info[0].unit_name == "metre"
    assert c.seg_length.sum() == pytest.approx(7000.0, rel=2e-3)


@pytest.mark.parametrize(
    "frame, words",
    [
        (roads([]), "no features"),
        (gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=4511), "must hold lines"),
        (roads([LineString([(0, 0), (0.2, 0)])]), "longer than the snap tolerance"),
        (gpd.GeoDataFrame(geometry=[LineString([(0, 0), (10, 0)])]), "no coordinate reference system"),
    ],
)
def test_bad_road_layers_get_a_bilingual_error(frame, words):
    with pytest.raises(InputError) as error:
        build_network(frame)
    assert words in error.value.en
    assert error.value.zh != error.value.en
