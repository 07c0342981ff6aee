"""hunchunrisk:exportmaps through processing.run on the sample data: the PDF's words,
page size, map scale, sheet pages, a rendered page against a reference image, bad
inputs. Risk results come from coarse riskzoning runs made once per session.

The reference image (tests/data/reference/) is never written by a plain test run: a
missing one fails. After a deliberate change of the map design, regenerate it with
``HUNCHUN_UPDATE_REFERENCE=1 .venv/bin/python -m pytest tests/test_export_maps.py -k reference``
(that run fails on purpose after writing), look at the image, and commit it."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import processing
import pytest
from qgis.core import Qgis, QgsProcessingException
from qgis.PyQt.QtGui import QImage
from sample_layers import sample_params

from hunchun_risk_plugin.core.map_specs import map_kind, map_kinds, paper_names

KIND = {k.key: k.key for k in map_kinds()}  # KINDS takes the kind keys (static strings)
CITY, TOWNSHIP = 0, 1
MM_PER_POINT = 25.4 / 72
REFERENCE = Path(__file__).parent / "data" / "reference" / "xinan_risk_A3_landscape_50dpi.png"
UPDATE_REFERENCE = "HUNCHUN_UPDATE_REFERENCE"  # set to 1 to rewrite the reference image
_RISK: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


@pytest.fixture
def risk_results(sample_gpkg, tmp_path_factory) -> dict[str, str]:
    """risk_zoning.gpkg of a coarse city run and of a 新安街道 + 英安镇 township run (once)."""
    if not _RISK:
        folder = tmp_path_factory.mktemp("risk")
        city = processing.run("hunchunrisk:riskzoning",
                              sample_params(sample_gpkg, folder / "city", SCALE=0, CELL_SIZE=500))
        township = processing.run("hunchunrisk:riskzoning",
                                  sample_params(sample_gpkg, folder / "tw", SCALE=1, CELL_SIZE=100,
                                                                          TOWNSHIP=""))
        _RISK.update(RISK_CITY=city["RISK_ZONES"].split("|")[0], RISK_TOWNSHIP=township["RISK_ZONES"].split("|")[0])
    return dict(_RISK)



def export(sample_gpkg, risk_results, folder: Path, **extra) -> dict:
    params = sample_params(sample_gpkg, folder, **risk_results)
    params.update({"DPI": 72, "WORKERS": 1, "MAP_DATE": "2026-01-01", **extra})
    return processing.run("hunchunrisk:exportmaps", params)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_errors(path: Path) -> list[str]:
    """What poppler's renderer reports as wrong in the file (a strict reader such as
    Acrobat warns of the same)."""
    run = subprocess.run(["pdftoppm", "-r", "10", "-png", str(path), str(path.with_suffix(""))],
                         capture_output=True, text=True, check=True)
    for picture in path.parent.glob(f"{path.stem}*.png"):
        picture.unlink()
    return [line for line in run.stderr.splitlines() if "Error" in line]


def pdf_page_mm(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in line.split()[2:5:2])
    return width * MM_PER_POINT, height * MM_PER_POINT


def pdf_lines(path: Path) -> list[tuple[str, float, float]]:
    """Each text line of the page as poppler finds it: its words, its top and bottom (mm)."""
    import xml.etree.ElementTree as ElementTree

    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    root = ElementTree.fromstring(xhtml)
    return [(" ".join(word.text or "" for word in line.iter() if word.tag.endswith("word")),
             float(line.get("yMin")) * MM_PER_POINT, float(line.get("yMax")) * MM_PER_POINT)
            for line in root.iter() if line.tag.endswith("line")]


def index_rows(result: dict) -> list[dict]:
    with open(result["INDEX"], encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_township_risk_map_words_and_paper(sample_gpkg, risk_results, tmp_path):
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
                    ONLY_TOWNSHIPS="新安街道")
    assert result["PAGES"] == 1
    pdf = tmp_path / "maps" / "townships_1-50000" / "新安街道_自然灾害综合风险图_1-50000.pdf"
    assert pdf.exists()
    text = pdf_text(pdf)
    # Xin'an Subdistrict's centre (≈ 42.87°N 130.37°E) lies on K52E007018 (domain reference worked example)
    for words in ("珲春市新安街道自然灾害综合风险图", "K52E007018", "1:50 000", "CGCS2000 / 1985国家高程基准",
                  "高 High", "中高 Medium-high", "低 Low", "接图表", "2026-01-01", "合成示例数据"):
        assert words in text, words
    # the adjoining-sheet diagram: K52E007018's neighbours, worked out from the numbering rule
    for neighbour in ("K52E006017", "K52E006019", "K52E008017", "K52E008019", "K52E007017", "K52E007019"):
        assert neighbour in text
    assert pdf_page_mm(pdf) == pytest.approx((420.0, 297.0), abs=0.5)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Title:           珲春市新安街道自然灾害综合风险图" in info and "K52E007018" in info  # document properties
    row, = index_rows(result)
    assert row["scale"] == "1:50000" and row["paper"] == "A3 landscape" and row["sheet"] == ""


def test_map_item_scale_is_exact(sample_gpkg, risk_results, tmp_path):
    """The map frame's ground width over its paper width is the printed scale."""
    from hunchun_risk_plugin.core.map_pages import CITY as CITY_SCOPE
    from hunchun_risk_plugin.core.map_pages import MapArea, PageSpec
    from hunchun_risk_plugin.mapping.map_project import MapSources, build_kind_project
    from hunchun_risk_plugin.mapping.page_layout import PageContext, fill_page, load_template
    from hunchun_risk_plugin.mapping.page_text import PageText
    from hunchun_risk_plugin.paths import template_file

    sources = MapSources({"townships": f"{sample_gpkg}|layername=townships",
                          "risk_zones": f"{risk_results['RISK_CITY']}|layername=risk_zones"})
    kind = map_kind("risk")
    for scope, scale, paper in ((CITY_SCOPE, 250000, "A1 portrait"), ("township", 50000, "A3 landscape")):
        maps = build_kind_project(kind, scope, sources)
        layout = load_template(template_file(paper), maps)
        page = PageSpec(kind, scope, MapArea("222404002000", "新安街道", "Xin'an", None), scale, paper,
                        (620000.0, 4747000.0), ("K52E007018",))
        fill_page(layout, page, PageContext(maps, {}, None, None, PageText("x", "2026-01-01", "s", False)))
        main = layout.itemById("main_map")
        ground_m = main.extent().width()
        paper_mm = main.sizeWithUnits().width()
        assert ground_m * 1000 / paper_mm == pytest.approx(scale, rel=0.005)
        assert main.scale() == pytest.approx(scale, rel=0.005)
        assert main.extent().center().x() == pytest.approx(620000.0, abs=1.0)


def test_big_township_gets_one_page_per_sheet(sample_gpkg, risk_results, tmp_path):
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["zoning"]], SCALES=[TOWNSHIP],
                    ONLY_TOWNSHIPS="222404103000")  # 英安镇 by its code
    rows = index_rows(result)
    overview, rows = rows[0], rows[1:]  # the whole township first, its sheet grid numbered
    assert overview["sheet"] == "" and overview["file"].endswith("英安镇_自然灾害综合防治区划图_1-100000_图幅总图.pdf")
    assert "图幅总图" in pdf_text(tmp_path / "maps" / overview["file"])
    assert pdf_errors(tmp_path / "maps" / overview["file"]) == []
    sheets = {row["sheet"] for row in rows}
    assert len(rows) + 1 == result["PAGES"] > 2 and all(s.startswith("K52E") for s in sheets)
    assert len(sheets) == len(rows)
    for row in rows:
        pdf = tmp_path / "maps" / row["file"]
        assert pdf.name == f"英安镇_自然灾害综合防治区划图_1-50000_{row['sheet']}.pdf"
        text = pdf_text(pdf)
        assert f"英安镇自然灾害综合防治区划图（{row['sheet']}）" in text and "1:50 000" in text

        assert "重点防治区" in text or "一般防治区" in text
        # a whole 15' x 10' sheet at 1:50000 is about 410 x 370 mm: no A3 holds it
        assert row["paper"] in paper_names() and not row["paper"].startswith(("A3", "A4"))


def test_smaller_scale_option_prints_one_page_at_1_100000(sample_gpkg, risk_results, tmp_path):
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
                    ONLY_TOWNSHIPS="英安镇", TOWNSHIP_PAGES=1)
    row, = index_rows(result)
    # 英安镇 is about 33 x 24 km. The A3 landscape frame is 290 x 232 mm, 96 % usable: 278 x 223 mm.
    # At 1:100000 it needs 329 x 244 mm (too big); at 1:250000, 132 x 98 mm.
    assert row["scale"] == "1:250000"
    assert "1:250 000" in pdf_text(tmp_path / "maps" / row["file"])


def test_city_map_is_1_250000_on_a1(sample_gpkg, risk_results, tmp_path):
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[CITY])
    row, = index_rows(result)
    pdf = tmp_path / "maps" / row["file"]
    text = pdf_text(pdf)
    for words in ("珲春市自然灾害综合风险图", "1:250 000", "K52C001003", "K52C002004", "乡镇统计", "春化镇"):
        assert words in text, words
    # the city (≈ 100 x 122 km) is ≈ 400 x 486 mm at 1:250000: the first A size that holds it is A1
    assert row["paper"].startswith("A1")
    assert sorted(pdf_page_mm(pdf)) == pytest.approx([594.0, 841.0], abs=0.5)
    # the national boundary's translucent band, clipped away in the 局部放大图, was an
    # empty path filled: "No current point in closepath"
    assert pdf_errors(pdf) == []


def test_page_matches_reference_image(sample_gpkg, risk_results, tmp_path):
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
                    ONLY_TOWNSHIPS="新安街道", FORMAT=1, DPI=50)
    png = tmp_path / "maps" / index_rows(result)[0]["file"]
    image = _grey(QImage(str(png)))
    if os.environ.get(UPDATE_REFERENCE) == "1":  # explicit request only: never as a side effect
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, REFERENCE)
        pytest.fail(f"wrote {REFERENCE} because {UPDATE_REFERENCE}=1: look at it, commit it, rerun without the flag")
    if not REFERENCE.exists():
        pytest.fail(f"reference image missing: {REFERENCE}; create it with {UPDATE_REFERENCE}=1 "
                    f".venv/bin/python -m pytest tests/test_export_maps.py -k reference, then look at it and commit it")
    reference = _grey(QImage(str(REFERENCE)))
    assert image.shape == reference.shape
    difference = np.abs(image - reference)
    # grey levels, 0-255; a later QGIS than the reference's 3.22 draws hatches, label halos
    # and the contours' height labels a little differently (4.8 measured on 3.40)
    assert difference.mean() < (4.0 if Qgis.QGIS_VERSION_INT < 32400 else 6.0)
    # at most 2 % of pixels clearly different (4 % on a later QGIS, for the same reason: 3.0 %
    # measured on 3.40)
    assert (difference > 64).mean() < (0.02 if Qgis.QGIS_VERSION_INT < 32400 else 0.04)


def _grey(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits().asstring(stride * height), dtype=np.uint8).reshape(height, stride)
    return data[:, :width].astype(float)


def test_unknown_township_is_named_and_nothing_is_written(sample_gpkg, risk_results, tmp_path):
    with pytest.raises(QgsProcessingException) as error:
        export(sample_gpkg, risk_results, tmp_path / "maps", ONLY_TOWNSHIPS="新安街道, 不存在乡")
    assert "不存在乡" in str(error.value) and "春化镇" in str(error.value)
    assert not any((tmp_path / "maps").rglob("*.pdf"))


def test_template_without_main_map_is_refused(sample_gpkg, risk_results, tmp_path):
    template = tmp_path / "house.qpt"
    template.write_text('<Layout name="x"><LayoutItem type="65639" id="map1" size="100,100,mm"/></Layout>',
                        encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        export(sample_gpkg, risk_results, tmp_path / "maps", TEMPLATE=str(template))
    assert "main_map" in str(error.value)


def test_house_template_keeps_its_paper(sample_gpkg, risk_results, tmp_path):
    """A user's template is used as it is: its paper (here A2 portrait) for every page."""
    from hunchun_risk_plugin.paths import template_file

    house = tmp_path / "house.qpt"
    shutil.copyfile(template_file("A2 portrait"), house)
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
                    ONLY_TOWNSHIPS="新安街道", TEMPLATE=str(house))
    row, = index_rows(result)
    assert row["paper"] == "A2 portrait"
    assert pdf_page_mm(tmp_path / "maps" / row["file"]) == pytest.approx((420.0, 594.0), abs=0.5)


def test_cancel_stops_the_workers_and_leaves_nothing(sample_gpkg, risk_results, tmp_path):
    import geopandas as gpd

    from hunchun_risk_plugin.core.errors import Cancelled
    from hunchun_risk_plugin.core.map_pages import SHEETS
    from hunchun_risk_plugin.core.map_pages import TOWNSHIP as TOWNSHIP_SCOPE
    from hunchun_risk_plugin.core.progress import Progress
    from hunchun_risk_plugin.mapping.print_batch import MapBatch, run_batch
    from hunchun_risk_plugin.mapping.page_exporter import ExportSettings
    from hunchun_risk_plugin.mapping.map_project import MapSources
    from hunchun_risk_plugin.mapping.page_text import PageText

    townships = gpd.read_file(sample_gpkg, layer="townships")
    sources = MapSources({"townships": f"{sample_gpkg}|layername=townships",
                          "risk_zones@township": f"{risk_results['RISK_TOWNSHIP']}|layername=risk_zones"})
    done: list[str] = []
    progress = Progress(log=done.append, is_canceled=lambda: any(line.startswith("[1/") for line in done))
    batch = MapBatch(sources, townships, [map_kind("risk")], [TOWNSHIP_SCOPE], ExportSettings("pdf", 60),
                     PageText("x", "2026-01-01", "s", True), only=["春化镇"], township_mode=SHEETS, workers=2)
    out = tmp_path / "maps"
    with pytest.raises(Cancelled):
        run_batch(batch, out, progress)
    assert any(line.startswith("[1/") for line in done)  # it was cancelled mid-batch
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_a_reused_layout_prints_what_a_fresh_one_does(sample_gpkg, risk_results, tmp_path):
    """Workers refill one layout page after page: the second sheet page must come out as
    it does when exported alone."""
    import geopandas as gpd

    from hunchun_risk_plugin.core.map_pages import SHEETS
    from hunchun_risk_plugin.core.map_pages import TOWNSHIP as TOWNSHIP_SCOPE
    from hunchun_risk_plugin.mapping.print_batch import MapBatch
    from hunchun_risk_plugin.mapping.page_exporter import ExportSettings, PageExporter
    from hunchun_risk_plugin.mapping.map_project import MapSources
    from hunchun_risk_plugin.mapping.page_text import PageText

    sources = MapSources({"townships": f"{sample_gpkg}|layername=townships",
                          "roads": f"{sample_gpkg}|layername=roads",
                          "risk_zones@township": f"{risk_results['RISK_TOWNSHIP']}|layername=risk_zones"})
    settings, text = ExportSettings("png", 50), PageText("x", "2026-01-01", "s", True)
    batch = MapBatch(sources, gpd.read_file(sample_gpkg, layer="townships"), [map_kind("risk")],
                     [TOWNSHIP_SCOPE], settings, text, only=["英安镇"], township_mode=SHEETS, workers=1)
    first, second = [page for page in batch.plan() if page.sheet][:2]
    reused = PageExporter(sources, settings, text)
    reused.export(first, tmp_path / "a.png")
    reused.export(second, tmp_path / "b.png")
    PageExporter(sources, settings, text).export(second, tmp_path / "b_alone.png")
    difference = np.abs(_grey(QImage(str(tmp_path / "b.png"))) - _grey(QImage(str(tmp_path / "b_alone.png"))))
    assert difference.mean() < 1.0 and (difference > 64).mean() < 0.005
    reused.close()


def test_selected_features_only_prints_the_selection(sample_gpkg, risk_results, tmp_path):
    """'Selected features only' on TOWNSHIPS: the workers get the selection, not the file."""
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer

    townships = QgsVectorLayer(f"{sample_gpkg}|layername=townships", "townships", "ogr")
    QgsProject.instance().addMapLayer(townships)
    townships.selectByExpression("\"name\" = '河南街道'")
    try:
        result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
                        TOWNSHIPS=QgsProcessingFeatureSourceDefinition(townships.id(), True))
    finally:
        QgsProject.instance().removeMapLayer(townships.id())
    assert [row["name"] for row in index_rows(result)] == ["河南街道"]


def test_sheet_page_labels_the_neatline_corners(sample_gpkg, risk_results):
    """K52E006018: column 18 → west edge 126° + 17 × 15′ = 130°15′; row 6 → north edge
    44° − 5 × 10′ = 43°10′. The north-west corner label says so and sits at that corner."""
    from pyproj import Transformer

    from hunchun_risk_plugin.core.map_pages import MapArea, PageSpec
    from hunchun_risk_plugin.mapping.map_project import MapSources, build_kind_project
    from hunchun_risk_plugin.mapping.page_layout import PageContext, fill_page, load_template
    from hunchun_risk_plugin.mapping.page_text import PageText
    from hunchun_risk_plugin.paths import template_file

    maps = build_kind_project(map_kind("risk"), "township",
                              MapSources({"townships": f"{sample_gpkg}|layername=townships"}))
    corner_x, corner_y = Transformer.from_crs(4490, 4511, always_xy=True).transform(130.25, 43 + 10 / 60)
    layout = load_template(template_file("A1 landscape"), maps)
    page = PageSpec(map_kind("risk"), "township", MapArea("222404103000", "英安镇", "Ying'an", None), 50000,
                    "A1 landscape", (corner_x + 10000.0, corner_y - 9000.0), ("K52E006018",), "K52E006018")
    fill_page(layout, page, PageContext(maps, {}, None, None, PageText("x", "2026-01-01", "s", False)))
    label = layout.itemById("sheet_corner_nw")
    assert label.text() == "130°15′E\n43°10′N"
    main = layout.itemById("main_map")
    extent = main.extent()
    # where the corner falls on the page, from the map's extent and the frame's position (mm)
    x_mm = main.pos().x() + (corner_x - extent.xMinimum()) / extent.width() * main.rect().width()
    y_mm = main.pos().y() + (extent.yMaximum() - corner_y) / extent.height() * main.rect().height()
    box = label.sceneBoundingRect()
    assert box.right() == pytest.approx(x_mm - 1, abs=0.5) and box.bottom() == pytest.approx(y_mm - 1, abs=0.5)


def test_townships_without_names_are_refused_by_field(sample_gpkg, risk_results, tmp_path):
    import geopandas as gpd

    nameless = tmp_path / "nameless.gpkg"
    gpd.read_file(sample_gpkg, layer="townships").drop(columns=["name"]).to_file(nameless, layer="townships")
    with pytest.raises(QgsProcessingException) as error:
        export(sample_gpkg, risk_results, tmp_path / "maps", TOWNSHIPS=f"{nameless}|layername=townships",
               KINDS=[KIND["risk"]], SCALES=[TOWNSHIP])
    assert "townships" in str(error.value) and "name" in str(error.value)
    assert not [p for p in (tmp_path / "maps").rglob("*") if p.is_file()]


def test_the_hazard_map_draws_the_hazard_sites_in_its_own_style():
    """hazard_sites_by_scale is the hazard_sites data (maps.toml [layer_sources]) with the
    by-kind-and-scale style; a result given under its own key wins."""
    from hunchun_risk_plugin.mapping.map_project import MapSources
    from hunchun_risk_plugin.paths import style_for

    assert "hazard_sites_by_scale" in map_kind("hazards").layers and style_for("hazard_sites_by_scale").exists()
    assert MapSources({"hazard_sites": "sites.gpkg"}).uri("hazard_sites_by_scale", "township") == "sites.gpkg"
    assert MapSources({"hazard_sites": "a", "hazard_sites_by_scale": "b"}).uri("hazard_sites_by_scale", "city") == "b"
    assert MapSources({}).uri("hazard_sites_by_scale", "city") is None


def test_coverage_maps_key_the_circle_sizes_by_the_settlements_own_size_transform(sample_gpkg, tmp_path):
    """The settlements' circles (area ∝ people) get a collapsed size key at round values
    under their legend entry; each key circle is the size the settlement layer's own
    symbol gives a settlement of that many people, and the legend filtered by the map
    still shows it after the page is drawn."""
    import geopandas as gpd
    from qgis.core import QgsDataDefinedSizeLegend, QgsDataDefinedSizeLegendNode, QgsExpressionContext, QgsFeature

    from hunchun_risk_plugin.core.layer_uri import layer_uri
    from hunchun_risk_plugin.core.map_pages import TOWNSHIP as TOWNSHIP_SCOPE
    from hunchun_risk_plugin.mapping.map_project import MapSources
    from hunchun_risk_plugin.mapping.page_exporter import ExportSettings, PageExporter
    from hunchun_risk_plugin.mapping.page_text import PageText
    from hunchun_risk_plugin.mapping.print_batch import MapBatch

    sources = MapSources({"townships": layer_uri(sample_gpkg, "townships"), "roads": layer_uri(sample_gpkg, "roads"),
                          "settlement_times": layer_uri(sample_gpkg, "settlements")})
    settings, text = ExportSettings("png", 36), PageText("x", "2026-01-01", "s", True)
    batch = MapBatch(sources, gpd.read_file(sample_gpkg, layer="townships"), [map_kind("coverage")],
                     [TOWNSHIP_SCOPE], settings, text, only=["新安街道"], workers=1)
    exporter = PageExporter(sources, settings, text)
    try:
        page = batch.plan()[0]
        layout = exporter.filled_layout(page)
        maps = exporter._project(page.kind, page.scope)
        settlements = next(layer for layer in maps.legend_layers if layer.name().startswith("居民点"))
        key = maps.legend_layers[maps.legend_layers.index(settlements) + 1]
        size_key = key.legend().settings
        assert size_key.legendType() == QgsDataDefinedSizeLegend.LegendType.LegendCollapsed
        assert [(c.size, c.label) for c in size_key.classes()] == [(200, "200"), (1000, "1 000"), (5000, "5 000")]
        categories = settlements.renderer().categories()  # held: the symbols belong to these copies
        symbol_size = categories[0].symbol().dataDefinedSize()
        for size_class in size_key.classes():
            feature = QgsFeature(settlements.fields())
            feature["population"] = int(size_class.size)  # SizeClass.size: the value (QGIS names it so)
            context = QgsExpressionContext()
            context.setFields(settlements.fields())
            context.setFeature(feature)
            drawn, ok = symbol_size.valueAsDouble(context, 0.0)
            assert ok and size_key.sizeScaleTransformer().size(size_class.size) == pytest.approx(drawn, abs=1e-9)
        exporter.export(page, tmp_path / "coverage.png")  # drawn: the legend is filtered by the map
        legend = layout.itemById("legend")
        tree = legend.model().rootGroup()
        names = [node.layer().name() for node in tree.findLayers()]
        assert names.index(key.name()) == names.index(settlements.name()) + 1  # right under the settlements
        nodes = legend.model().layerLegendNodes(tree.findLayer(key))
        assert [type(n) for n in nodes] == [QgsDataDefinedSizeLegendNode]
    finally:
        exporter.close()


def test_the_hazard_map_names_the_scenario_of_its_ledger(sample_gpkg, risk_results, tmp_path):
    """The hazard ledger is one scenario's (hazardledger's SCENARIO, by default
    DEFAULT_SCENARIO): its map says which, in the subtitle and the notes, as the
    evacuation maps name their plan's; the risk map names none."""
    import tomllib

    from hunchun_risk_plugin.core.routing.ledger import DEFAULT_SCENARIO

    scenario = tomllib.loads((Path(__file__).parents[1] / "hunchun_risk_plugin" / "scenarios" /
                              f"{DEFAULT_SCENARIO}.toml").read_text(encoding="utf-8"))["scenario"]
    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["hazards"], KIND["risk"]],
                    SCALES=[TOWNSHIP], ONLY_TOWNSHIPS="新安街道")
    rows = {row["kind"]: row for row in index_rows(result)}
    hazards = pdf_text(tmp_path / "maps" / rows["hazards"]["file"])
    subtitle = next(line for line in hazards.splitlines() if "Major risks and hazard sites map" in line)
    assert f"疏散情景 Scenario：{scenario['title_zh']}" in subtitle
    assert "数据日期 Data date" in hazards
    assert "Scenario" not in pdf_text(tmp_path / "maps" / rows["risk"]["file"])
    # the notes, wrapped to their box, end above the synthetic-data warning (3.22 ran
    # them over it, 3.40 cut their last line)
    lines = pdf_lines(tmp_path / "maps" / rows["hazards"]["file"])
    first = next(i for i, line in enumerate(lines) if line[0].startswith("疏散情景"))
    last = next(i for i, line in enumerate(lines) if i > first and line[0].startswith("制图"))
    warning = next(line for line in lines if line[0].startswith("本图使用合成示例数据"))
    assert any("数据日期" in line[0] for line in lines[first:last])
    notes = "".join(f"疏散情景 Scenario：{scenario['title_zh']} / {scenario['title_en']}".split())
    assert notes in "".join("".join(line[0].split()) for line in lines[first:last])  # wherever its lines break
    assert max(line[2] for line in lines[first:last + 1]) <= warning[1] + 0.2


def test_a_scenario_moves_only_its_people_in_the_evacuation_exportmaps_runs(sample_gpkg, risk_results, tmp_path):
    """exportmaps without evacuation results runs them itself, under its SCENARIO: with
    flood_100y the people who leave are those of the settlements inside the sample's
    100-year flood zones (geopandas: points intersecting return_period_years <= 100),
    all of them (rate 1), and the map names that scenario; an unknown scenario fails
    before anything is written."""
    import tomllib

    import geopandas as gpd
    import pandas as pd

    result = export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["evacuation"]], SCALES=[TOWNSHIP],
                    ONLY_TOWNSHIPS="近海街道", SCENARIO="flood_100y")
    settlements = gpd.read_file(sample_gpkg, layer="settlements")
    zones = gpd.read_file(sample_gpkg, layer="flood_zones").query("return_period_years <= 100")
    inside = settlements[settlements.intersects(zones.union_all() if hasattr(zones, "union_all")
                                                else zones.unary_union)]
    evacuees = pd.read_csv(tmp_path / "maps" / "analysis" / "evacuation" / "evacuees.csv", dtype={"origin": str})
    assert 0 < len(inside) < len(settlements)
    assert set(evacuees["origin"]) == set(inside["code"].astype(str))
    assert evacuees["evacuees"].sum() == inside["population"].sum()
    title = tomllib.loads((Path(__file__).parents[1] / "hunchun_risk_plugin" / "scenarios" / "flood_100y.toml")
                          .read_text(encoding="utf-8"))["scenario"]["title_zh"]
    page = next(row for row in index_rows(result) if row["kind"] == "evacuation")
    assert f"疏散情景Scenario：{title}" in "".join(pdf_text(tmp_path / "maps" / page["file"]).split())
    with pytest.raises(QgsProcessingException, match="no_such_scenario"):
        export(sample_gpkg, risk_results, tmp_path / "bad", KINDS=[KIND["evacuation"]], SCALES=[TOWNSHIP],
               ONLY_TOWNSHIPS="近海街道", SCENARIO="no_such_scenario")
    assert not (tmp_path / "bad").exists()


def test_a_scenario_whose_layer_the_export_lacks_is_refused_naming_the_exports_parameter(sample_gpkg, risk_results,
                                                                                         tmp_path):
    """flood_100y's triggers read the flood zones: without FLOOD_ZONES the export says so
    in its own parameter's name (the child evacuation calls the layer HAZARD_POLYGONS, a
    name the export's dialog does not show), before anything is written."""
    with pytest.raises(QgsProcessingException, match=r"FLOOD_ZONES") as refused:
        export(sample_gpkg, risk_results, tmp_path / "no_zones", KINDS=[KIND["evacuation"]], SCALES=[TOWNSHIP],
               ONLY_TOWNSHIPS="近海街道", SCENARIO="flood_100y", FLOOD_ZONES=None)
    assert "HAZARD_POLYGONS" not in str(refused.value)
    assert not (tmp_path / "no_zones").exists()


def test_a_risk_result_that_is_missing_or_lacks_its_layers_is_refused_before_any_work(sample_gpkg, risk_results,
                                                                                      tmp_path):
    """RISK_TOWNSHIP naming no file, or a GeoPackage without the zoning layers (the
    sample's own input GeoPackage), is refused naming the parameter and, for the second,
    the layers pyogrio does not find in it; nothing is written."""
    import pyogrio

    with pytest.raises(QgsProcessingException, match=r"RISK_TOWNSHIP.*no_such\.gpkg"):
        export(sample_gpkg, risk_results, tmp_path / "missing", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
               ONLY_TOWNSHIPS="新安街道", RISK_TOWNSHIP=str(tmp_path / "no_such.gpkg"))
    assert not (tmp_path / "missing").exists()
    inputs = {layer for layer, _ in pyogrio.list_layers(sample_gpkg)}
    lacking = [layer for layer in ("risk_zones", "prevention_zones", "township_stats") if layer not in inputs]
    assert lacking
    with pytest.raises(QgsProcessingException, match="RISK_TOWNSHIP") as refused:
        export(sample_gpkg, risk_results, tmp_path / "wrong", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
               ONLY_TOWNSHIPS="新安街道", RISK_TOWNSHIP=str(sample_gpkg))
    assert all(layer in str(refused.value) for layer in lacking)
    assert not (tmp_path / "wrong").exists()


def test_a_risk_result_whose_zones_lack_the_class_field_is_refused_naming_it(sample_gpkg, risk_results, tmp_path):
    """A risk_zoning.gpkg whose risk_zones has lost its ``class`` field (copied with the
    column dropped) printed a map with no class colours and no word why: it is refused
    before any work, naming the layer and the field; nothing is written."""
    import shutil
    import sqlite3

    import pyogrio
    from qgis.core import QgsVectorLayer

    from hunchun_risk_plugin.core.layer_uri import layer_uri

    broken = tmp_path / "risk_zoning.gpkg"
    shutil.copy(risk_results["RISK_TOWNSHIP"], broken)
    with sqlite3.connect(broken) as db:
        db.execute("ALTER TABLE risk_zones DROP COLUMN class")
    assert "class" not in pyogrio.read_info(broken, layer="risk_zones")["fields"]
    assert QgsVectorLayer(layer_uri(broken, "risk_zones"), "z", "ogr").isValid()  # still a readable layer
    with pytest.raises(QgsProcessingException, match=r"RISK_TOWNSHIP.*risk_zones.*'class'"):
        export(sample_gpkg, risk_results, tmp_path / "maps", KINDS=[KIND["risk"]], SCALES=[TOWNSHIP],
               ONLY_TOWNSHIPS="新安街道", RISK_TOWNSHIP=str(broken))
    assert not (tmp_path / "maps").exists()
