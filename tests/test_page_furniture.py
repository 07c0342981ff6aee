"""The furniture of every kind of page fits: legend items inside the legend's frame,
tables inside theirs, no two pieces of furniture on top of each other, all on the
page. Measured from the layout items' geometry in QGIS (``mapping/layout_check.py``),
first checked on hand-made layouts whose overlaps are known."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import processing
import pytest
from qgis.core import (
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLegendStyle,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from sample_layers import sample_params

from hunchun_risk_plugin.core.layer_uri import layer_uri
from hunchun_risk_plugin.core.map_pages import CITY, SUBDISTRICT, TOWNSHIP
from hunchun_risk_plugin.core.map_specs import map_kinds, paper_names
from hunchun_risk_plugin.core.schema import census_inputs
from hunchun_risk_plugin.mapping.layout_check import layout_problems, legend_content_size
from hunchun_risk_plugin.mapping.text_measure import font_of, wrapped
from hunchun_risk_plugin.mapping.map_project import MapSources, layer_title
from hunchun_risk_plugin.mapping.page_exporter import ExportSettings, PageExporter
from hunchun_risk_plugin.mapping.page_text import PageText
from hunchun_risk_plugin.mapping.print_batch import MapBatch
from hunchun_risk_plugin.mapping.source_facts import context_uris

MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters
_PROJECTS: list = []
_RESULTS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


@pytest.fixture
def sources(sample_gpkg, tmp_path_factory) -> MapSources:
    """Every layer the four kinds show: the sample, a coarse risk run per scale, one
    evacuation and one coverage run (made once)."""
    if not _RESULTS:
        folder = tmp_path_factory.mktemp("furniture")
        params = sample_params(sample_gpkg, folder)
        for scope, index, cell in ((CITY, 0, 500), (TOWNSHIP, 1, 100)):
            run = processing.run("hunchunrisk:riskzoning", {**params, "SCALE": index, "CELL_SIZE": cell, "TOWNSHIP": "",
                                                            "OUTPUT_FOLDER": str(folder / scope)})
            gpkg = run["RISK_ZONES"].split("|")[0]
            _RESULTS.update({f"{layer}@{scope}": layer_uri(gpkg, layer)
                             for layer in ("risk_zones", "prevention_zones", "township_stats")})
        evacuation = processing.run("hunchunrisk:evacuationroutes", {
            "ROADS": params["ROADS"], "ORIGINS": params["SETTLEMENTS"], "SHELTERS": params["SHELTERS"], "MODE": 0,
            "HAZARD_POLYGONS": params["FLOOD_ZONES"], "OUTPUT_FOLDER": str(folder / "evacuation")})
        coverage = processing.run("hunchunrisk:depotcoverage", {
            "ROADS": params["ROADS"], "DEPOTS": params["DEPOTS"], "FIRE_STATIONS": params["FIRE_STATIONS"],
            "SETTLEMENTS": params["SETTLEMENTS"], "TOWNSHIPS": params["TOWNSHIPS"], "THRESHOLDS_HOURS": "1, 3, 10",
            "OUTPUT_FOLDER": str(folder / "coverage")})
        outputs = (("evacuation_routes", "ROUTES"), ("shelter_load", "SHELTER_LOAD"), ("unreached", "UNREACHED"))
        for key, output in outputs:
            _RESULTS[key] = str(evacuation[output])
        for key in ("settlement_times", "drive_time_zones"):
            _RESULTS[key] = str(coverage[key.upper()])
    uris = dict(context_uris())
    uris.update({item.name: layer_uri(sample_gpkg, item.name) for item in census_inputs() if not item.is_raster})
    return MapSources({**uris, **_RESULTS})


def _page_type(page) -> tuple:
    """What makes a page's furniture differ: its scope, whether it is one sheet (at
    which series scale), the overview of a township's sheets or a single page."""
    if page.sheet:
        return page.scope, "sheet", page.series_scale
    return page.scope, "overview" if page.overview else "single"


@pytest.fixture(scope="module")
def pages_by_paper(sample_gpkg) -> dict[str, list]:
    """One page of each type the exporter plans on each paper: its automatic choice
    for every township and subdistrict, and each paper the user can ask for (risk
    pages; a kind's pages are the same pages with another kind)."""
    townships = gpd.read_file(sample_gpkg, layer="townships")
    risk = [k for k in map_kinds() if k.key == "risk"]
    chosen: dict[str, dict[tuple, object]] = {paper: {} for paper in paper_names()}
    for paper in [None, *paper_names()]:
        for scope in (CITY, TOWNSHIP, SUBDISTRICT):
            batch = MapBatch(MapSources({}), townships, risk, [scope], ExportSettings("pdf", 72),
                             PageText("x", "2026-01-01", "s", True), paper=paper)
            for page in batch.plan():
                chosen[page.paper].setdefault(_page_type(page), page)
    return {paper: list(pages.values()) for paper, pages in chosen.items()}


@pytest.fixture(scope="module")
def furniture_exporter():
    """One exporter for every case (its projects and loaded templates are reused)."""
    holder: dict = {}
    yield holder
    if "exporter" in holder:
        holder["exporter"].close()


@pytest.mark.parametrize("paper", paper_names())
@pytest.mark.parametrize("kind", [k.key for k in map_kinds()])
def test_every_page_of_a_kind_fits_on_every_paper(kind, paper, sources, pages_by_paper, furniture_exporter):
    """Each kind on each paper, on every type of page planned there (city, township
    single, overview and 1:50000 sheet, subdistrict overview and 1:10000 sheet): the
    legend's items, as the export draws them, inside the legend's frame, and no two
    pieces of furniture overlapping."""
    if "exporter" not in furniture_exporter:
        furniture_exporter["exporter"] = PageExporter(sources, ExportSettings("pdf", 72),
                                                      PageText("x", "2026-01-01", "s", True))
    exporter = furniture_exporter["exporter"]
    the_kind = next(k for k in map_kinds() if k.key == kind)
    pages = [replace(page, kind=the_kind) for page in pages_by_paper[paper]]
    themes = {layer_title(key) for key in the_kind.legend_first}
    assert pages, paper  # every paper is planned for something
    for page in pages:
        layout = exporter.filled_layout(page)
        legend = layout.itemById("legend")
        assert legend.model().rootGroup().findLayers(), page.file_stem()  # the legend has something to fit
        assert layout_problems(layout) == [], page.file_stem()
        # the thematic block leads: no other layer before one of the kind's own
        # (a size key belongs to the layer whose circles it explains)
        shown = [n.layer() for n in legend.model().rootGroup().findLayers()]
        names = {layer.id(): layer.name() for layer in shown}
        thematic = [layer.name() in themes or names.get(layer.customProperty("hr_size_key_of")) in themes
                    for layer in shown]
        assert thematic == sorted(thematic, reverse=True), page.file_stem()


def _kinds_within(sites: gpd.GeoDataFrame, extent, grow: float) -> set[str]:
    """The hazard kinds with a site inside the map extent grown by ``grow`` of its size."""
    dx, dy = extent.width() * grow, extent.height() * grow
    inside = sites.cx[extent.xMinimum() - dx:extent.xMaximum() + dx, extent.yMinimum() - dy:extent.yMaximum() + dy]
    return set(inside["kind"])


def test_the_legend_lists_the_hazard_kinds_inside_the_map_and_no_other(sample_gpkg, sources, pages_by_paper,
                                                                        furniture_exporter):
    """新安街道's page: the legend's hazard-site classes are those with a site inside the
    map's extent (geopandas on the sample; a margin of 3 % either way for the symbols'
    size), worked out before the page is drawn (QGIS 3.32 and later filter in a
    background task unless told not to)."""
    if "exporter" not in furniture_exporter:
        furniture_exporter["exporter"] = PageExporter(sources, ExportSettings("pdf", 72),
                                                      PageText("x", "2026-01-01", "s", True))
    page = next(p for pages in pages_by_paper.values() for p in pages
                if p.scope == TOWNSHIP and "新安街道" in p.file_stem() and not p.sheet and not p.overview)
    layout = furniture_exporter["exporter"].filled_layout(page)
    main, legend = layout.itemById("main_map"), layout.itemById("legend")
    sites = gpd.read_file(sample_gpkg, layer="hazard_sites").to_crs(main.crs().authid())
    node = next(n for n in legend.model().rootGroup().findLayers() if n.layer().name().startswith("隐患点"))
    renderer = node.layer().renderer()
    label_kind = {c.label(): c.value() for c in renderer.categories()}
    listed = {label_kind[n.data(Qt.DisplayRole).replace("\n", " ")] for n in legend.model().layerLegendNodes(node)}
    extent = main.requestedExtent()
    assert _kinds_within(sites, extent, -0.03) <= listed <= _kinds_within(sites, extent, 0.03)
    assert len(listed) < len(renderer.categories())  # the sample's kinds are not all in 新安


def test_legend_labels_are_the_renderers_broken_at_spaces_or_between_characters(sources, pages_by_paper,
                                                                               furniture_exporter):
    """The evacuation map's long legend labels (its walking standard), after the page's
    fits at several column counts and type sizes: each shown label is one of the
    layer renderer's own labels (QGIS's legendSymbolItems) with line breaks put in,
    never a space more than it had (re-wrapping a wrapped label once put spaces inside
    Chinese words: "封 闭")."""
    if "exporter" not in furniture_exporter:
        furniture_exporter["exporter"] = PageExporter(sources, ExportSettings("pdf", 72),
                                                      PageText("x", "2026-01-01", "s", True))
    evacuation = next(k for k in map_kinds() if k.key == "evacuation")
    checked = 0
    for page in pages_by_paper["A4 portrait"] + pages_by_paper["A2 portrait"]:
        legend = furniture_exporter["exporter"].filled_layout(replace(page, kind=evacuation)).itemById("legend")
        for node in legend.model().rootGroup().findLayers():
            own = {"".join(item.label().split()): item.label() for item in node.layer().renderer().legendSymbolItems()}
            for legend_node in legend.model().layerLegendNodes(node):
                shown = str(legend_node.data(Qt.DisplayRole))
                original = own.get("".join(shown.split()))
                if original is None:  # a size key or a raster ramp: not a renderer's class label
                    continue
                assert shown.count(" ") <= original.count(" "), (page.file_stem(), shown, original)
                checked += "\n" in shown
    assert checked >= 3  # some labels were broken


def _layout() -> QgsPrintLayout:
    project = QgsProject()  # its own project: no layer another test left behind
    _PROJECTS.append(project)  # Python owns it: kept while the layouts live
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()  # one A4 landscape page, 297 x 210 mm
    return layout


def _label(layout, item_id: str, x: float, y: float, width: float, height: float) -> QgsLayoutItemLabel:
    label = QgsLayoutItemLabel(layout)
    label.setId(item_id)
    label.setText(item_id)
    layout.addLayoutItem(label)
    label.attemptMove(QgsLayoutPoint(x, y, MM))
    label.attemptResize(QgsLayoutSize(width, height, MM))
    return label


def test_overlapping_furniture_is_reported_with_its_overlap():
    layout = _layout()
    _label(layout, "a", 10, 10, 40, 20)
    _label(layout, "b", 40, 25, 30, 30)   # overlaps a by 10 x 5 mm
    _label(layout, "c", 100, 10, 20, 20)  # clear of both
    _label(layout, "d", 280, 190, 30, 10)  # 13 mm past the right edge of the 297 mm page
    assert layout_problems(layout) == ["d leaves the page", "a overlaps b (10.0 x 5.0 mm)"]


def test_a_legend_too_small_for_its_items_is_reported(sample_gpkg):
    layout = _layout()
    roads = QgsVectorLayer(f"{sample_gpkg}|layername=roads", "道路 Roads", "ogr")
    roads.loadNamedStyle(str(Path(__file__).parent.parent / "styles" / "roads.qml"))
    layout.project().addMapLayer(roads)
    try:
        legend = QgsLayoutItemLegend(layout)
        legend.setId("legend")
        legend.setResizeToContents(False)
        layout.addLayoutItem(legend)
        legend.attemptMove(QgsLayoutPoint(10, 10, MM))
        legend.attemptResize(QgsLayoutSize(20, 15, MM))  # the 7 road classes need far more
        legend.updateLegend()
        need = legend_content_size(legend)
        assert need.width() > 20 and need.height() > 15
        assert layout_problems(layout) == [f"legend legend: items need {need.width():.1f} x {need.height():.1f} mm, "
                                           "its frame is 20.0 x 15.0 mm"]
        legend.attemptResize(QgsLayoutSize(need.width() + 1, need.height() + 1, MM))
        assert layout_problems(layout) == []
    finally:
        layout.project().removeMapLayer(roads.id())


def test_labels_wrap_at_the_column_width_between_words_and_chinese_characters():
    from hunchun_risk_plugin.mapping.layout_parts import font

    label_font = font(6)
    one_line = wrapped("国道 National road", label_font, 200)
    assert one_line == "国道 National road"
    unbroken = "制图 Software：Hunchun Risk 0.3.0（QGIS）；数据日期 Data date：2026-12-03"
    assert wrapped(unbroken, label_font, 200) == unbroken  # no space added where the text had none
    broken = wrapped(unbroken, label_font, 30).split("\n")
    assert len(broken) > 2 and all(line in unbroken for line in broken)  # each line as the text had it
    assert "".join(broken).replace(" ", "") == unbroken.replace(" ", "")
    lines = wrapped("次重点防治区 Secondary key prevention zone", label_font, 25).split("\n")
    assert len(lines) > 1
    assert "".join(lines).replace(" ", "") == "次重点防治区Secondarykeypreventionzone"
    from qgis.core import QgsLayoutUtils

    assert all(QgsLayoutUtils.textWidthMM(label_font, line) <= 25 for line in lines)
    narrow = wrapped("未能安置的居民点", label_font, 8).split("\n")  # Chinese breaks between characters
    assert "".join(narrow) == "未能安置的居民点" and len(narrow) >= 2


def test_national_boundary_is_the_city_outline_away_from_every_county(tmp_path):
    """A 10 x 10 km city with one county along its west side: the other three sides
    (30 km) are the national boundary, the west side (10 km) the county-level one."""
    import geopandas as gpd
    from shapely.geometry import box

    from hunchun_risk_plugin.mapping.context_layers import boundary_layer

    counties = tmp_path / "counties.gpkg"
    gpd.GeoDataFrame({"name": ["西县", "本市"], "is_hunchun": [0, 1]},
                     geometry=[box(-20000, -5000, 0, 15000), box(0, 0, 10000, 10000)], crs=4511).to_file(counties)
    layer = boundary_layer(box(0, 0, 10000, 10000), f"{counties}|layername=counties", 4511)
    lengths = {f["national"]: f.geometry().length() for f in layer.getFeatures()}
    # within BORDER_GAP_M (3 km) of the county: the west side and 3 km of the north and south sides
    assert lengths[0] == pytest.approx(10000 + 2 * 3000, abs=1.0)
    assert lengths[1] == pytest.approx(40000 - lengths[0], abs=1.0)


def test_sources_line_gives_the_newest_input_files_date(tmp_path):
    import os
    from datetime import datetime

    from hunchun_risk_plugin.processing_provider.algorithms.export_maps import data_date

    old, new = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    for path, day in ((old, datetime(2024, 3, 1, 12)), (new, datetime(2025, 6, 30, 12))):
        path.write_bytes(b"x")
        os.utime(path, (day.timestamp(), day.timestamp()))
    assert data_date({"townships": f"{old}|layername=townships", "roads": str(new),
                      "context_counties": __file__}) == "2025-06-30"  # the context file does not count


def _template_sizes(paper: str) -> tuple[float, float]:
    """The legend's item-label size and the statistics table's type (pt) as the
    shipped template gives them, read from the .qpt's XML (not through our code)."""
    import xml.etree.ElementTree as ET

    from hunchun_risk_plugin.paths import template_file

    root = ET.parse(template_file(paper)).getroot()
    items = {i.get("id"): i for i in root.iter("LayoutItem")}
    style = next(s for s in items["legend"].iter("style") if s.get("name") == "symbolLabel")
    label_pt = float(style.find("styleFont").get("description").split(",")[1])  # QFont: family,size,...
    table = next(m for m in root.iter("LayoutMultiFrame") if m.get("uuid") == items["stats_table"].get("multiFrame"))
    return label_pt, float(table.find("contentTextFormat/text-style").get("fontSize"))


@pytest.mark.parametrize("kind", ["risk", "evacuation"])
def test_a_portrait_band_gives_its_room_to_larger_type(kind, sources, pages_by_paper, furniture_exporter):
    """The A1 city page's band below the map: the legend and the table each have a
    column of their own, and their type grows into it beyond the template's (the band
    was half empty under 10 pt labels), while everything still fits."""
    if "exporter" not in furniture_exporter:
        furniture_exporter["exporter"] = PageExporter(sources, ExportSettings("pdf", 72),
                                                      PageText("x", "2026-01-01", "s", True))
    the_kind = next(k for k in map_kinds() if k.key == kind)
    page = next(p for p in pages_by_paper["A1 portrait"] if p.scope == CITY)
    layout = furniture_exporter["exporter"].filled_layout(replace(page, kind=the_kind))
    label_pt, table_pt = _template_sizes("A1 portrait")
    legend = layout.itemById("legend")
    shown_pt = font_of(legend.style(QgsLegendStyle.Style.SymbolLabel)).pointSizeF()
    assert shown_pt >= 1.15 * label_pt - 1e-6, (shown_pt, label_pt)
    table = layout.itemById("stats_table").multiFrame()
    assert table.contentTextFormat().size() >= 1.15 * table_pt - 1e-6, (table.contentTextFormat().size(), table_pt)
    assert layout_problems(layout) == [], page.file_stem()


def test_a_table_under_the_legend_keeps_the_templates_type(sources, pages_by_paper, furniture_exporter):
    """A3 landscape township page: the table stacked under the legend gets the room a short
    legend leaves as rows, never as larger type (it once grew after the stacking had moved
    it up, as if it were alone in its column)."""
    if "exporter" not in furniture_exporter:
        furniture_exporter["exporter"] = PageExporter(sources, ExportSettings("pdf", 72),
                                                      PageText("x", "2026-01-01", "s", True))
    page = next(p for p in pages_by_paper["A3 landscape"] if p.scope == TOWNSHIP and not p.sheet)
    layout = furniture_exporter["exporter"].filled_layout(page)
    _, table_pt = _template_sizes("A3 landscape")
    assert layout.itemById("stats_table").multiFrame().contentTextFormat().size() == pytest.approx(table_pt)


def _listing(layout) -> list[tuple[str, list[str]]]:
    model = layout.itemById("legend").model()
    return [(node.layer().name(), [str(n.data(Qt.DisplayRole)) for n in model.layerLegendNodes(node)])
            for node in model.rootGroup().findLayers()]


@pytest.mark.parametrize("kind", ["risk", "evacuation"])
def test_the_quick_legend_filter_lists_what_qgis_own_filter_lists(kind, sources, pages_by_paper, monkeypatch):
    """The layers of many features (roads, contours) are judged in legend_hits, not by
    QGIS's hit test: on every type of page on every paper the legend lists exactly what
    QGIS's own filter, run on every layer, lists; and some page leaves road classes out
    (so the comparison covers the filtering, not only the layers' presence)."""
    from hunchun_risk_plugin.mapping import legend_fit

    the_kind = next(k for k in map_kinds() if k.key == kind)
    pages = [replace(page, kind=the_kind) for paper in paper_names() for page in pages_by_paper[paper]]
    exporter = PageExporter(sources, ExportSettings("pdf", 72), PageText("x", "2026-01-01", "s", True))
    judged, roads_left_out = set(), False
    real = legend_fit.judged_here

    def spy(node) -> bool:
        answer = real(node)
        if answer:
            judged.add(node.layer().name())
        return answer

    try:
        ours = []
        monkeypatch.setattr(legend_fit, "judged_here", spy)
        for page in pages:
            ours.append(_listing(exporter.filled_layout(page)))
        monkeypatch.setattr(legend_fit, "judged_here", lambda node: False)
        for page, listed in zip(pages, ours):
            assert listed == _listing(exporter.filled_layout(page)), page.file_stem()
            road_items = next((items for name, items in listed if name == layer_title("roads")), [])
            roads_left_out |= 0 < len(road_items) < 7
    finally:
        exporter.close()
    assert layer_title("roads") in judged
    assert roads_left_out


def test_the_national_boundary_is_drawn_over_the_townships_outline(sources, pages_by_paper, furniture_exporter):
    """Where a township ends at the frontier, its bold outline hid the national
    boundary's dash-dot: on a township page the boundaries come above the outline (and
    the veil over the neighbours), on the city page above the theme as before."""
    if "exporter" not in furniture_exporter:
        furniture_exporter["exporter"] = PageExporter(sources, ExportSettings("pdf", 72),
                                                      PageText("x", "2026-01-01", "s", True))
    pages = [p for paper in paper_names() for p in pages_by_paper[paper]]
    township = next(p for p in pages if p.scope == TOWNSHIP and not p.sheet and not p.overview)
    city = next(p for p in pages if p.scope == CITY)
    for page in (township, city):
        layout = furniture_exporter["exporter"].filled_layout(page)
        names = [layer.name() for layer in layout.itemById("main_map").layers()]  # top first
        theme = layer_title(page.kind.legend_first[0])  # the risk pages' class zones
        assert names.index("boundaries") < names.index(theme), page.file_stem()
        if page is township:
            assert names.index("boundaries") < names.index("outline") < names.index("veil")
        else:
            assert "outline" not in names
