"""The evacuation and depot-coverage algorithms through processing.run: the cross-check
against QGIS's own shortest path, bad input, and end-to-end runs on the sample data."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from qgis.core import QgsGeometry, QgsProcessingException, QgsVectorLayer
from qgis_fixtures import memory_layer
from rasterio.transform import from_origin

X0, Y0 = 500000.0, 4750000.0  # on the central meridian of EPSG:4511, where grid and ellipsoid agree


def jittered_grid(size: int = 8, spacing: float = 700.0, seed: int = 7):
    """Roads of a size × size grid with jittered nodes, random speeds, some one-way streets
    (one 2-vertex line per block side), and the node coordinates."""
    rng = np.random.default_rng(seed)
    nodes = {(i, j): (X0 + i * spacing + rng.uniform(-150, 150), Y0 + j * spacing + rng.uniform(-150, 150))
             for i in range(size) for j in range(size)}
    rows = []
    for (i, j), (x, y) in nodes.items():
        for di, dj in ((1, 0), (0, 1)):
            if (i + di, j + dj) not in nodes:
                continue
            x2, y2 = nodes[(i + di, j + dj)]
            speed = float(rng.choice([20.0, 30.0, 50.0, 70.0]))
            oneway = int(rng.choice([0, 0, 0, 1, -1]))
            rows.append((f"LineString({x} {y}, {x2} {y2})", [len(rows) + 1, "county", speed, oneway]))
    roads = memory_layer("LineString",
                         "field=road_id:integer&field=road_class:string&field=speed_kmh:double&field=oneway:integer",
                         rows)
    return roads, nodes


def points_layer(coordinates, prefix: str, extra_fields: str, extra_values) -> QgsVectorLayer:
    rows = [(f"Point({x} {y})", [f"{prefix}{n + 1}"] + list(extra_values)) for n, (x, y) in enumerate(coordinates)]
    return memory_layer("Point", f"field=code:string&{extra_fields}", rows)


def run_evacuation(processing, tmp_path, roads, origins, shelters, **extra):
    parameters = {
        "ROADS": roads, "ORIGINS": origins, "SHELTERS": shelters, "MODE": 1, "SNAP_TOLERANCE": 1.0,
        "OUTPUT_FOLDER": str(tmp_path / "evacuation"),
    }
    parameters.update(extra)
    return processing.run("hunchunrisk:evacuationroutes", parameters)


def features(path) -> list[dict]:
    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid(), path
    return [dict(zip(layer.fields().names(), f.attributes()), geometry=QgsGeometry(f.geometry()))
            for f in layer.getFeatures()]


def test_travel_times_equal_qgis_native_fastest_path(hunchun_provider, qgis_processing, tmp_path):
    import processing

    roads, nodes = jittered_grid()
    origin_nodes = [(0, 0), (3, 5), (7, 7), (6, 1), (2, 2), (5, 4)]
    shelter_nodes = [(7, 0), (0, 7), (4, 3), (1, 6)]
    origins = points_layer([nodes[n] for n in origin_nodes], "o", "field=population:integer", [10])
    shelters = points_layer([nodes[n] for n in shelter_nodes], "s", "field=capacity:integer&field=kind:string",
                            [100000, "fixed_long"])
    ours = {r["origin"]: r for r in features(run_evacuation(processing, tmp_path, roads, origins, shelters)["ROUTES"])}
    assert len(ours) == len(origin_nodes)
    for index, node in enumerate(origin_nodes):
        x, y = nodes[node]
        native = processing.run("native:shortestpathpointtolayer", {
            "INPUT": roads, "STRATEGY": 1, "DIRECTION_FIELD": "oneway", "VALUE_FORWARD": "1", "VALUE_BACKWARD": "-1",
            "VALUE_BOTH": "0", "DEFAULT_DIRECTION": 2, "SPEED_FIELD": "speed_kmh", "DEFAULT_SPEED": 50,
            "TOLERANCE": 1.0, "START_POINT": f"{x},{y} [EPSG:4511]", "END_POINTS": shelters,
            "OUTPUT": "TEMPORARY_OUTPUT",
        })["OUTPUT"]
        native_minutes = min(f["cost"] for f in native.getFeatures() if f["cost"] is not None) * 60.0
        route = ours[f"o{index + 1}"]
        assert route["time_min"] == pytest.approx(native_minutes, rel=1e-3, abs=1e-3)
        assert route["geometry"].length() == pytest.approx(route["distance_m"], abs=0.05)


def test_capacity_overflow_and_provenance_through_processing(hunchun_provider, qgis_processing, tmp_path):
    import processing

    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    origins = points_layer([(X0 + 500, Y0), (X0 + 1000, Y0)], "o", "field=population:integer", [100])
    shelters = memory_layer("Point", "field=code:string&field=capacity:integer&field=kind:string",
                            [(f"Point({X0} {Y0})", ["s1", 150, "fixed_long"]),
                             (f"Point({X0 + 4000} {Y0})", ["s2", 1000, "fixed_long"])])
    result = run_evacuation(processing, tmp_path, roads, origins, shelters)
    flows = {(r["origin"], r["shelter"]): r["population"] for r in features(result["ROUTES"])}
    assert flows == {("o1", "s1"): 100, ("o2", "s1"): 50, ("o2", "s2"): 50}
    load = {r["shelter"]: r for r in features(result["SHELTER_LOAD"])}
    assert load["s1"]["utilisation"] == pytest.approx(1.0) and load["s2"]["assigned"] == 50
    assert result["POPULATION_PLACED"] == 200 and result["POPULATION_UNREACHED"] == 0
    record = json.loads(Path(result["PROVENANCE"]).read_text(encoding="utf-8"))
    assert Path(result["PROVENANCE"]) == tmp_path / "evacuation" / "evacuation_routes_provenance.json"
    assert record["tool"] == "hunchunrisk:evacuationroutes" and record["summary"]["assignment_method"] == "min_cost_lp"


def test_hazard_raster_closes_the_bridge_through_processing(hunchun_provider, qgis_processing, tmp_path):
    import processing

    # Banks at y0 ± 100, bridges at x0 + 500 and x0 + 2500; class 5 over the middle of the near bridge.
    def line(*points):
        return "LineString(" + ", ".join(f"{X0 + x} {Y0 + y}" for x, y in points) + ")"

    roads = memory_layer("LineString", "field=road_class:string", [
        (line((0, -100), (500, -100), (2500, -100), (3000, -100)), ["county"]),
        (line((0, 100), (500, 100), (2500, 100), (3000, 100)), ["county"]),
        (line((500, -100), (500, 100)), ["county"]), (line((2500, -100), (2500, 100)), ["county"]),
    ])
    classes = np.ones((8, 80), dtype=np.uint8)
    classes[3:5, 9:11] = 5
    raster = tmp_path / "risk_class.tif"
    with rasterio.open(raster, "w", driver="GTiff", width=80, height=8, count=1, dtype="uint8", crs="EPSG:4511",
                       transform=from_origin(X0, Y0 + 200, 50, 50), nodata=0) as out:
        out.write(classes, 1)
    origins = points_layer([(X0 + 500, Y0 - 100)], "o", "field=population:integer", [10])
    shelters = points_layer([(X0 + 500, Y0 + 100)], "s", "field=capacity:integer&field=kind:string", [50, "fixed_long"])
    closed = run_evacuation(processing, tmp_path, roads, origins, shelters, HAZARD_RASTER=str(raster),
                            CLOSE_FROM_CLASS=5)
    assert features(closed["ROUTES"])[0]["distance_m"] == pytest.approx(4200.0)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"shelter_capacity": -3}, "negative"),
        ({"origin_field": "field=people:integer"}, "population"),
        ({"duplicate_origin": True}, "duplicate"),
    ],
)
def test_bad_input_is_a_processing_error_and_leaves_no_output(hunchun_provider, qgis_processing, tmp_path, change,
                                                              words):
    import processing

    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    origin_code = "o1" if change.get("duplicate_origin") else None
    origins = memory_layer("Point", f"field=code:string&{change.get('origin_field', 'field=population:integer')}",
                           [(f"Point({X0 + 500} {Y0})", ["o1", 5]),
                            (f"Point({X0 + 900} {Y0})", [origin_code or "o2", 5])])
    shelters = points_layer([(X0, Y0)], "s", "field=capacity:integer&field=kind:string",
                            [change.get("shelter_capacity", 10), "fixed_long"])
    with pytest.raises(QgsProcessingException, match=words):
        run_evacuation(processing, tmp_path, roads, origins, shelters)
    assert not (tmp_path / "evacuation").exists() or not any((tmp_path / "evacuation").iterdir())


def test_depot_coverage_thresholds_are_checked_before_any_output(hunchun_provider, qgis_processing, tmp_path):
    import processing

    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    depots = points_layer([(X0, Y0)], "d", "field=stock_tents:integer", [10])
    settlements = points_layer([(X0 + 1000, Y0)], "p", "field=population:integer", [10])
    with pytest.raises(QgsProcessingException, match="THRESHOLDS_HOURS"):
        processing.run("hunchunrisk:depotcoverage", {
            "ROADS": roads, "DEPOTS": depots, "SETTLEMENTS": settlements, "THRESHOLDS_HOURS": "1, three",
            "OUTPUT_FOLDER": str(tmp_path / "coverage")})
    # the thresholds are refused before the output folder is touched: no folder, no staging
    # directory beside it, nothing at all in tmp_path (the input layers live in memory)
    assert list(tmp_path.iterdir()) == []


def sample_layer(gpkg, name: str) -> str:
    return f"{gpkg}|layername={name}"


@pytest.mark.slow
def test_evacuation_on_the_sample_data(hunchun_provider, qgis_processing, sample_gpkg, tmp_path):
    import processing

    result = run_evacuation(
        processing, tmp_path, sample_layer(sample_gpkg, "roads"), sample_layer(sample_gpkg, "settlements"),
        sample_layer(sample_gpkg, "shelters"), MODE=1, HAZARD_POLYGONS=sample_layer(sample_gpkg, "flood_zones"),
    )
    routes = features(result["ROUTES"])
    load = features(result["SHELTER_LOAD"])
    unreached = features(result["UNREACHED"])
    settlements = QgsVectorLayer(sample_layer(sample_gpkg, "settlements"), "s", "ogr")
    total = sum(f["population"] or 0 for f in settlements.getFeatures())
    assert routes, "no route produced on the sample data"
    assert sum(r["population"] for r in routes) + sum(u["population"] for u in unreached) == total
    assert all(r["assigned"] <= r["capacity"] for r in load)
    for route in routes[:200]:
        assert route["geometry"].length() == pytest.approx(route["distance_m"], abs=0.05)
    flood = QgsVectorLayer(sample_layer(sample_gpkg, "flood_zones"), "f", "ogr")
    flood_union = QgsGeometry.unaryUnion([f.geometry() for f in flood.getFeatures()])
    # Routes of people outside the flood zones never run through them.
    outside = [r for r in routes if r["escape_m"] == 0]
    assert not any(r["geometry"].intersects(flood_union) and r["geometry"].intersection(flood_union).length() > 1.0
                   for r in outside)


@pytest.mark.slow
def test_depot_coverage_on_the_sample_data(hunchun_provider, qgis_processing, sample_gpkg, tmp_path):
    import processing

    folder = tmp_path / "coverage"
    result = processing.run("hunchunrisk:depotcoverage", {
        "ROADS": sample_layer(sample_gpkg, "roads"), "DEPOTS": sample_layer(sample_gpkg, "depots"),
        "FIRE_STATIONS": sample_layer(sample_gpkg, "fire_stations"),
        "SETTLEMENTS": sample_layer(sample_gpkg, "settlements"), "TOWNSHIPS": sample_layer(sample_gpkg, "townships"),
        "THRESHOLDS_HOURS": "1, 3, 10", "OUTPUT_FOLDER": str(folder),
    })
    names = {p.name for p in folder.iterdir()}
    for base in ("drive_time_zones", "settlement_times", "depot_service", "township_times"):
        assert f"{base}.gpkg" in names
    assert {"drive_time_zones.qml", "settlement_times.qml", "depot_coverage_provenance.json"} <= names
    assert not [n for n in names if n.startswith(".hunchun-staging-")]
    raw = (folder / "settlement_times.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    settlements = QgsVectorLayer(sample_layer(sample_gpkg, "settlements"), "s", "ogr")
    assert len(rows) == settlements.featureCount()
    timed = [r for r in rows if r["depot_min"]]
    assert timed and all(float(r["rescue_min"]) <= float(r["depot_min"]) + 1e-6 for r in timed)
    beyond = sum(int(r["population"]) for r in rows if r["beyond_rescue_3h"] == "1")
    assert result["POP_BEYOND_RESCUE_3H"] == beyond
    zones = features(result["DRIVE_TIME_ZONES"])
    assert [z["label"] for z in zones] == ["0–1 h", "1–3 h", "3–10 h"]
    townships = features(result["TOWNSHIP_TIMES"])
    for township in townships:
        if township["settlements"] and township["worst_depot_min"] is not None:
            assert township["mean_depot_min"] <= township["worst_depot_min"] + 1e-6


@pytest.mark.parametrize("algorithm", ["hunchunrisk:evacuationroutes", "hunchunrisk:depotcoverage"])
def test_cancel_stops_and_leaves_nothing(hunchun_provider, qgis_processing, tmp_path, algorithm):
    import processing
    from qgis.core import QgsProcessingFeedback

    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    people = points_layer([(X0 + 1000, Y0)], "p", "field=population:integer", [10])
    if algorithm.endswith("evacuationroutes"):
        shelters = points_layer([(X0, Y0)], "s", "field=capacity:integer&field=kind:string", [50, "fixed_long"])
        parameters = {"ROADS": roads, "ORIGINS": people, "SHELTERS": shelters, "OUTPUT_FOLDER": str(tmp_path)}
    else:
        depots = points_layer([(X0, Y0)], "d", "field=stock_tents:integer", [10])
        parameters = {"ROADS": roads, "DEPOTS": depots, "SETTLEMENTS": people, "OUTPUT_FOLDER": str(tmp_path)}
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        processing.run(algorithm, parameters, feedback=feedback)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_flood_scenario_on_the_sample_through_processing(hunchun_provider, qgis_processing, sample_gpkg, tmp_path):
    import processing

    result = run_evacuation(
        processing, tmp_path, sample_layer(sample_gpkg, "roads"), sample_layer(sample_gpkg, "settlements"),
        sample_layer(sample_gpkg, "shelters"), MODE=1, HAZARD_POLYGONS=sample_layer(sample_gpkg, "flood_zones"),
        SCENARIO="flood_100y", HAZARD_SITES=sample_layer(sample_gpkg, "hazard_sites"),
        TOWNSHIPS=sample_layer(sample_gpkg, "townships"), MAX_NEW_SHELTERS=5,
    )
    assert result["POPULATION_EVACUEES"] == 94258  # the 66 settlements in the 100-year zones (tests/core: own sjoin)
    assert result["POPULATION_PLACED"] + result["POPULATION_UNREACHED"] == 94258
    load = features(result["SHELTER_LOAD"])
    assert len(load) == 56
    excluded = [f for f in load if f["status"] == "excluded"]
    assert sum(f["reason_en"].startswith("inside") for f in excluded) == 14
    assert [f["name"] for f in excluded if "major hazard installation" in f["reason_en"]] == ["大房子村文化广场"]
    assert all(f["assigned"] == 0 for f in excluded)
    evacuees = features(result["EVACUEES"])
    assert sum(f["evacuees"] for f in evacuees) == 94258
    shortfall = features(result["SHORTFALL"])
    raw = (tmp_path / "evacuation" / "shelter_shortfall.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [int(r["shortfall"]) for r in rows] == [f["shortfall"] for f in shortfall]
    assert sum(int(r["evacuees"]) for r in rows) == 94258 and all(f["geometry"].area() > 0 for f in shortfall)
    proposed = features(result["PROPOSED_SHELTERS"])
    assert 0 < len(proposed) <= 5
    record = json.loads(Path(result["PROVENANCE"]).read_text(encoding="utf-8"))
    assert record["summary"]["scenario"]["name"] == "flood_100y"
    assert record["summary"]["by_priority"]["1"]["evacuees"] + record["summary"]["by_priority"]["2"][
        "evacuees"] == 94258


def test_without_a_scenario_no_plan_files_are_written(hunchun_provider, qgis_processing, tmp_path):
    import processing

    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    origins = points_layer([(X0 + 500, Y0)], "o", "field=population:integer", [10])
    shelters = points_layer([(X0, Y0)], "s", "field=capacity:integer&field=kind:string", [10, "fixed_long"])
    result = run_evacuation(processing, tmp_path, roads, origins, shelters)
    assert result["POPULATION_EVACUEES"] == 10 and "EVACUEES" not in result
    assert not (tmp_path / "evacuation" / "evacuees.gpkg").exists()


@pytest.mark.parametrize("scenario, words", [
    ("no_such_scenario", "neither a shipped scenario"),
    ("BAD_FILE", "radius_m"),
])
def test_a_bad_scenario_is_an_error_before_any_output(hunchun_provider, qgis_processing, tmp_path, scenario, words):
    import processing

    if scenario == "BAD_FILE":
        path = tmp_path / "bad.toml"
        path.write_text('[[triggers]]\nsource = "hazard_sites"\nsite_kinds = ["landslide"]\nradius_m = 0\n',
                        encoding="utf-8")
        scenario = str(path)
    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    origins = points_layer([(X0 + 500, Y0)], "o", "field=population:integer", [10])
    shelters = points_layer([(X0, Y0)], "s", "field=capacity:integer&field=kind:string", [10, "fixed_long"])
    with pytest.raises(QgsProcessingException, match=words):
        run_evacuation(processing, tmp_path, roads, origins, shelters, SCENARIO=scenario)
    assert not (tmp_path / "evacuation").exists()


def test_depot_coverage_by_default_cuts_the_zones_at_the_maps_bands(hunchun_provider, qgis_processing, tmp_path):
    """Without THRESHOLDS_HOURS the zones break at 15, 30 and 60 minutes and at the plan's
    3 h and 10 h targets, the classes the coverage maps draw (a 0–1 h zone would be drawn
    as 30–60 min); on a 4 km county road (40 km/h) from the depot everything lies within
    the first bands."""
    import processing

    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    depots = points_layer([(X0, Y0)], "d", "field=stock_tents:integer", [10])
    settlements = points_layer([(X0 + 1000, Y0)], "p", "field=population:integer", [10])
    result = processing.run("hunchunrisk:depotcoverage", {
        "ROADS": roads, "DEPOTS": depots, "SETTLEMENTS": settlements, "OUTPUT_FOLDER": str(tmp_path / "coverage")})
    zones = features(result["DRIVE_TIME_ZONES"])
    assert [(z["from_h"], z["to_h"]) for z in zones] == [(0, 0.25), (0.25, 0.5), (0.5, 1), (1, 3), (3, 10)]
