"""The urban subdistricts (街道) at 1:10000 and the evacuation maps' scenario, through
hunchunrisk:exportmaps on the sample data.

Hand facts used below (GB/T 13989-2012, new numbering): a 1:10000 sheet is 3′45″ × 2′30″,
scale code G; inside K52 (126°-132°E, 40°-44°N) its row is 96 − ⌊(φ − 40°)/2′30″⌋ and its
column ⌊(λ − 126°)/3′45″⌋ + 1. K52G028070 therefore spans 126° + 69 × 3′45″ = 130°18′45″ to
130°22′30″E and 44° − 28 × 2′30″ = 42°50′ to 42°52′30″N."""
from __future__ import annotations

import csv
import math
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import processing
import pytest
from pyproj import Transformer
from qgis.core import QgsLayoutItemMapGrid, QgsProcessingException, QgsUnitTypes
from sample_layers import sample_params
from shapely.geometry import box

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.map_pages import MapArea, PageSpec
from hunchun_risk_plugin.core.map_specs import map_kind
from hunchun_risk_plugin.processing_provider.algorithms.export_maps import NO_SCENARIO, evacuation_scenario

ROOT = Path(__file__).resolve().parents[1]
CITY, TOWNSHIP, SUBDISTRICT = 0, 1, 2
SUBDISTRICTS = ("靖和街道", "新安街道", "河南街道", "近海街道")  # kind 街道 in the sample
_RUNS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


@pytest.fixture
def runs(sample_gpkg, tmp_path_factory) -> dict[str, str]:
    """A coarse 新安街道 risk run, the flood_100y evacuation plan and the everyone-run (once)."""
    if not _RUNS:
        folder = tmp_path_factory.mktemp("runs")
        risk = processing.run("hunchunrisk:riskzoning", sample_params(sample_gpkg, folder / "risk", SCALE=1,
                                                                       CELL_SIZE=100, TOWNSHIP="新安街道"))
        _RUNS["RISK_TOWNSHIP"] = risk["RISK_ZONES"].split("|")[0]
        layers = sample_params(sample_gpkg, folder)
        for name, scenario in (("flood", "flood_100y"), ("everyone", "")):
            result = processing.run("hunchunrisk:evacuationroutes", {
                "ROADS": layers["ROADS"], "ORIGINS": layers["SETTLEMENTS"], "SHELTERS": layers["SHELTERS"],
                "HAZARD_POLYGONS": layers["FLOOD_ZONES"], "HAZARD_SITES": layers["HAZARD_SITES"],
                "TOWNSHIPS": layers["TOWNSHIPS"], "SCENARIO": scenario, "OUTPUT_FOLDER": str(folder / name)})
            _RUNS[f"{name}_routes"] = str(result["ROUTES"]).split("|")[0]
    return dict(_RUNS)


def export(sample_gpkg, folder: Path, **extra) -> dict:
    params = sample_params(sample_gpkg, folder)
    params.update({"DPI": 72, "WORKERS": 1, "MAP_DATE": "2026-01-01", **extra})
    return processing.run("hunchunrisk:exportmaps", params)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def index_rows(result: dict) -> list[dict]:
    with open(result["INDEX"], encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def hand_sheet(lon: float, lat: float) -> str:
    """1:10000 sheet number by the formula above, in arc-seconds (to the thousandth: a
    corner such as 42°50′ is no exact float)."""
    row = 96 - math.floor((round(lat * 3600, 3) - 40 * 3600) / 150)
    col = math.floor((round(lon * 3600, 3) - 126 * 3600) / 225) + 1
    return f"K52G{row:03d}{col:03d}"


def xinan(sample_gpkg) -> gpd.GeoSeries:
    townships = gpd.read_file(sample_gpkg, layer="townships", engine="pyogrio")
    return townships.loc[townships["name"] == "新安街道"].geometry


def test_hand_formula_places_the_sheet_corner():
    assert hand_sheet(130 + 18.75 / 60, 42 + 50 / 60) == "K52G028070"  # its own south-west corner
    assert hand_sheet(130 + 22.5 / 60 - 1 / 3600, 42 + 52.5 / 60 - 1 / 3600) == "K52G028070"  # 1″ inside its NE corner
    assert hand_sheet(130 + 22.5 / 60, 42 + 52.5 / 60) == "K52G027071"  # the NE corner is the next sheet's SW


def test_xinan_at_1_10000_is_an_overview_and_its_sheets(sample_gpkg, runs, tmp_path):
    result = export(sample_gpkg, tmp_path / "maps", KINDS=["risk"], SCALES=[TOWNSHIP, SUBDISTRICT],
                    ONLY_TOWNSHIPS="新安街道", RISK_TOWNSHIP=runs["RISK_TOWNSHIP"])
    rows = index_rows(result)
    # the sheets by hand: the 1:10000 sheets of the corners of 新安街道's lon/lat box (its
    # boundary enters all four: it fills 4-22 % of each)
    x0, y0, x1, y1 = xinan(sample_gpkg).to_crs(4490).total_bounds
    expected = sorted({hand_sheet(lon, lat) for lon in (x0, x1) for lat in (y0, y1)})
    assert expected == ["K52G027070", "K52G027071", "K52G028070", "K52G028071"]
    large = [r for r in rows if r["file"].startswith("townships_1-10000/")]
    assert [r["sheet"] for r in large] == [""] + expected  # the overview first
    assert [r["scale"] for r in large] == ["1:25000"] + ["1:10000"] * 4
    assert {r["paper"] for r in large[1:]} == {"A1 landscape"}
    assert [r["scale"] for r in rows if r not in large] == ["1:50000"]  # the 1:50000 page as before

    sheet_pdf = tmp_path / "maps" / "townships_1-10000" / "新安街道_自然灾害综合风险图_1-10000_K52G028070.pdf"
    text = pdf_text(sheet_pdf)
    for words in ("K52G028070", "1:10 000", "130°18′45″E", "42°52′30″N", "130°22′30″E", "42°50′00″N",
                  "K52G027069", "K52G029071", "全街道"):  # corners, adjoining sheets, the whole's column
        assert words in text, words
    # street names: every named street with more than 1 km inside the sheet (where the
    # sheet is clear of the legend column: the map face) is written on it
    sheet = gpd.GeoSeries([box(130 + 18.75 / 60, 42 + 50 / 60, 130 + 22.5 / 60, 42 + 52.5 / 60)], crs=4490)
    roads = gpd.read_file(sample_gpkg, layer="roads", engine="pyogrio").to_crs(4511)
    inside = roads.clip(sheet.to_crs(4511))
    inside = inside.loc[inside["name"].fillna("").str.len() > 0]
    lengths = inside.groupby("name").geometry.apply(lambda g: g.length.sum())
    long_streets = sorted(lengths.index[lengths > 1000])
    assert len(long_streets) >= 8
    missing = [name for name in long_streets if name not in text]
    assert missing == []
    # … and none on the 1:50000 page (where they would be a tangle)
    township_text = pdf_text(tmp_path / "maps" / "townships_1-50000" / "新安街道_自然灾害综合风险图_1-50000.pdf")
    assert [name for name in long_streets if name in township_text] == []


def test_a_township_that_is_no_subdistrict_is_refused_at_1_10000(sample_gpkg, runs, tmp_path):
    with pytest.raises(QgsProcessingException, match="春化镇"):
        export(sample_gpkg, tmp_path / "maps", KINDS=["risk"], SCALES=[SUBDISTRICT], ONLY_TOWNSHIPS="新安街道,春化镇",
               RISK_TOWNSHIP=runs["RISK_TOWNSHIP"])
    assert not (tmp_path / "maps").exists() or not any((tmp_path / "maps").rglob("*.pdf"))


def test_the_refusal_names_the_township_in_both_languages():
    from hunchun_risk_plugin.mapping.print_batch import check_subdistricts

    townships = [MapArea("1", name, name, None, "街道") for name in SUBDISTRICTS] + [
        MapArea("2", "春化镇", "Chunhua Town", None, "镇")]
    with pytest.raises(InputError) as error:
        check_subdistricts(townships[-1:], townships, named=True)
    assert "春化镇 (镇)" in error.value.en and "1:10000" in error.value.en
    assert "春化镇（镇）" in error.value.zh and "1:1万" in error.value.zh
    for name in SUBDISTRICTS:  # what can be printed instead
        assert name in error.value.en and name in error.value.zh
    check_subdistricts(townships, townships, named=False)  # all: the subdistricts are picked, no error
    with pytest.raises(InputError, match="has none"):
        check_subdistricts(townships[-1:], townships[-1:], named=False)


def test_1_10000_furniture_and_the_layout_reused_at_1_50000(sample_gpkg):
    """Graticule every 1′15″ with seconds and a 200 m scale bar (20 mm at 1:10000) on a
    1:10000 sheet page; the same layout then serving a 1:50000 sheet goes back to the
    template's whole-minute coordinates, 5′ and kilometres."""
    from hunchun_risk_plugin.mapping.map_project import MapSources, build_kind_project
    from hunchun_risk_plugin.mapping.page_layout import PageContext, fill_page, load_template
    from hunchun_risk_plugin.mapping.page_text import PageText
    from hunchun_risk_plugin.paths import template_file

    maps = build_kind_project(map_kind("risk"), "township",
                              MapSources({"townships": f"{sample_gpkg}|layername=townships",
                                          "roads": f"{sample_gpkg}|layername=roads"}))
    layout = load_template(template_file("A1 landscape"), maps)
    grid = next(g for g in layout.itemById("main_map").grids().asList() if g.crs().isGeographic())
    template_format = grid.annotationFormat()
    to_gk = Transformer.from_crs(4490, 4511, always_xy=True)
    area = MapArea("222404002000", "新安街道", "Xin'an Subdistrict", None, "街道")
    text = PageText("x", "2026-01-01", "s", False)
    large = PageSpec(map_kind("risk"), "township", area, 10000, "A1 landscape",
                     to_gk.transform(130 + 20.625 / 60, 42 + 51.25 / 60), ("K52G028070",), "K52G028070",
                     sheet_scale=10000)
    fill_page(layout, large, PageContext(maps, {}, None, None, text))
    bar = layout.itemById("scale_bar")
    assert grid.intervalX() == pytest.approx(1.25 / 60) and grid.intervalY() == pytest.approx(1.25 / 60)
    assert grid.annotationFormat() == QgsLayoutItemMapGrid.AnnotationFormat.DegreeMinuteSecondPadded
    assert bar.units() == QgsUnitTypes.DistanceUnit.DistanceMeters and bar.unitsPerSegment() == pytest.approx(200)
    assert layout.itemById("sheet_corner_nw").text() == "130°18′45″E\n42°52′30″N"
    roads = next(layer for layer in maps.legend_layers if layer.source().endswith("layername=roads"))
    assert roads.labelsEnabled()  # the street names
    settings = roads.labeling().settings()
    assert settings.fieldName == "name" and settings.scaleVisibility and settings.minimumScale >= 10000
    assert settings.minimumScale < 25000  # not on the overview page nor at 1:50000

    small = PageSpec(map_kind("risk"), "township", area, 50000, "A1 landscape",
                     to_gk.transform(130 + 22.5 / 60, 42 + 55 / 60), ("K52E007018",), "K52E007018")
    fill_page(layout, small, PageContext(maps, {}, None, None, text))
    assert grid.intervalX() == pytest.approx(5 / 60)
    assert grid.annotationFormat() == template_format
    assert bar.units() == QgsUnitTypes.DistanceUnit.DistanceKilometers and bar.unitsPerSegment() == pytest.approx(1)
    assert layout.itemById("sheet_corner_nw").text() == "130°15′E\n43°00′N"
    maps.project.clear()


def test_evacuation_maps_say_their_scenario(sample_gpkg, runs, tmp_path):
    scenario = tomllib.loads((ROOT / "hunchun_risk_plugin" / "scenarios" / "flood_100y.toml").read_text(
        encoding="utf-8"))["scenario"]
    flood = Path(runs["flood_routes"]).parent
    result = export(sample_gpkg, tmp_path / "flood", KINDS=["evacuation"], SCALES=[TOWNSHIP], ONLY_TOWNSHIPS="新安街道",
                    **{param: str(flood / f"{name}.gpkg") for param, name in
                       (("EVACUATION_ROUTES", "evacuation_routes"), ("SHELTER_LOAD", "shelter_load"),
                        ("UNREACHED", "unreached"))})
    text = pdf_text(Path(result["OUTPUT_FOLDER"]) / "townships_1-50000" / "新安街道_应急疏散路线图_1-50000.pdf")
    assert f"疏散情景 Scenario：{scenario['title_zh']}" in text  # the subtitle and the notes
    assert scenario["title_en"] in text
    assert evacuation_scenario(runs["everyone_routes"]) == NO_SCENARIO  # the run without a scenario says so
    assert evacuation_scenario(str(tmp_path / "elsewhere" / "routes.gpkg")) == ""  # no record: nothing made up


def test_the_demo_prints_the_flood_plan(tmp_path):
    """``make demo``'s maps step takes the evacuation layers from the flood_100y plan's
    folder, the coverage layers from the routing folder (which also holds the everyone-run)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from demo_steps.maps import maps_parameters
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    routing = tmp_path / "evacuation"
    for folder, names in ((routing, ("evacuation_routes", "shelter_load", "unreached", "settlement_times",
                                     "drive_time_zones")),
                          (routing / "flood_100y", ("evacuation_routes", "shelter_load", "unreached"))):
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / f"{name}.gpkg").write_bytes(b"")
    risk = {"city": {"RISK_ZONES": "c.gpkg|layername=risk_zones"}, "townships": {"RISK_ZONES": "t.gpkg"}}
    params = maps_parameters(tmp_path / "maps", risk, routing)
    for param in ("EVACUATION_ROUTES", "SHELTER_LOAD", "UNREACHED"):
        assert Path(params[param]).parent == routing / "flood_100y", param
    assert Path(params["SETTLEMENT_TIMES"]).parent == routing
    assert Path(params["DRIVE_TIME_ZONES"]).parent == routing
