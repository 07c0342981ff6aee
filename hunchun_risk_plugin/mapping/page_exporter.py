"""Export pages in this process: one QGIS project per (kind, scope), kept for all its
pages; one template load and fill per page; each file written beside its final name
and renamed when complete."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from qgis.core import Qgis, QgsLayoutExporter, QgsPrintLayout, QgsRectangle, QgsVectorLayer

from ..core.definitions import default_epsg
from ..core.layer_uri import uri_layer, uri_path
from ..core.map_pages import CITY, PageSpec, SheetProjector, shown_on_sheet
from ..core.stats_tables import figures_within
from ..core.ledger_table import LEDGER_SOURCE, LEDGER_STATS
from ..core.map_specs import MapKind
from .evacuation_layers import EvacuationFacts, numbers_from, rows_of
from .map_project import KindProject, MapSources, build_kind_project
from .page_layout import PageContext, fill_page, load_template
from .page_text import PageText
from ..paths import template_file

FORMATS = ("pdf", "png", "svg")


@dataclass(frozen=True)
class ExportSettings:
    file_format: str = "pdf"
    dpi: int = 300
    template: Path | None = None      # the user's .qpt for every page; None = shipped per paper

    def template_for(self, paper: str) -> Path:
        return self.template or template_file(paper)


class PageExporter:
    def __init__(self, sources: MapSources, settings: ExportSettings, text: PageText) -> None:
        self.sources = sources
        self.settings = settings
        self.text = text
        self._projects: dict[tuple[str, str], KindProject] = {}
        self._stats: dict[str, dict[str, dict]] = {}
        self._extents: dict[str, QgsRectangle | None] = {}
        self._layouts: dict[tuple[str, str, str], QgsPrintLayout] = {}
        self._evacuation_facts: EvacuationFacts | None = None
        self._frames: dict[str, object] = {}

    def export(self, page: PageSpec, path: Path) -> Path:
        return write_layout(self.filled_layout(page), path, self.settings)

    def filled_layout(self, page: PageSpec) -> QgsPrintLayout:
        """The page's layout, filled and ready to export (the layout tests measure it)."""
        maps = self._project(page.kind, page.scope)
        layout = self._layout(page, maps)
        stats = self._table_rows(LEDGER_SOURCE) if page.kind.stats == LEDGER_STATS else self._stats_for(page.scope)
        context = PageContext(maps, stats, self._extent("townships", page.scope, 0.04),
                              self._extent("context_prefecture", CITY, 0.03), self.text,
                              self._evacuation() if page.kind.key == "evacuation" else None,
                              self._sheet_figures(page))
        if page.scope == CITY:
            context.core_extent = self._core_extent()
        if page.kind.key == "coverage":
            context.settlement_times = self._rows("settlement_times")
            context.township_names = {str(r.get("code")): str(r.get("name")) for r in self._rows("townships")}
        fill_page(layout, page, context)
        _stamp_metadata(maps, page, self.text)
        return layout

    def close(self) -> None:
        """Drop the projects before QGIS exits (layers outliving the registry crash it)."""
        self._layouts.clear()
        for maps in self._projects.values():
            maps.project.clear()
        self._projects.clear()

    def _layout(self, page: PageSpec, maps: KindProject) -> QgsPrintLayout:
        """One loaded template per kind, scope and paper, filled afresh for each page (as
        an atlas reuses its layout): loading the .qpt anew costs as much as a small page."""
        key = (page.kind.key, page.scope, page.paper)
        if key not in self._layouts:
            self._layouts[key] = load_template(self.settings.template_for(page.paper), maps)
        return self._layouts[key]

    def _project(self, kind: MapKind, scope: str) -> KindProject:
        key = (kind.key, scope)
        if key not in self._projects:
            self._projects[key] = build_kind_project(kind, scope, self.sources)
        return self._projects[key]

    def _sheet_figures(self, page: PageSpec) -> dict | None:
        """Area and people by class on a sheet page (its sheet and the slivers it takes),
        for the 本图幅 columns of its table."""
        key = {"risk": "risk_zones", "zoning": "prevention_zones"}.get(page.kind.stats)
        if not page.sheet or key is None:
            return None
        zones = self._frame(key, page.scope)
        if zones is None:
            return None
        mine = zones.loc[zones["township_code"].astype(str) == page.area.code] if "township_code" in zones else zones
        shown = shown_on_sheet(page, SheetProjector(default_epsg()))
        return figures_within(page.kind.stats, mine, self._frame("settlements", page.scope), shown)

    def _core_extent(self) -> QgsRectangle | None:
        """The urban subdistricts' (kind 街道) extent, for the city maps' 局部放大图."""
        if "core" not in self._extents:
            uri = self.sources.uri("townships", CITY)
            layer = QgsVectorLayer(uri, "townships", "ogr") if uri else None
            extent = None
            if layer is not None and layer.isValid() and "kind" in layer.fields().names():
                boxes = [f.geometry().boundingBox() for f in layer.getFeatures() if str(f["kind"]) == "街道"]
                for box in boxes:
                    extent = QgsRectangle(box) if extent is None else extent
                    extent.combineExtentWith(box)
            self._extents["core"] = extent
        return self._extents["core"]

    def _rows(self, key: str) -> list[dict]:
        """A layer's attribute rows (no geometry), read once."""
        cache = f"rows:{key}"
        if cache not in self._frames:
            uri = self.sources.uri(key, "township")
            self._frames[cache] = rows_of(QgsVectorLayer(uri, key, "ogr")) if uri else []
        return self._frames[cache]

    def _frame(self, key: str, scope: str):
        """A layer as a GeoDataFrame in the map CRS, read once."""
        cache = f"{key}@{scope}"
        if cache not in self._frames:
            uri = self.sources.uri(key, scope)
            frame = None
            if uri:
                frame = gpd.read_file(uri_path(uri), layer=uri_layer(uri), engine="pyogrio")
                if frame.crs is not None:
                    frame = frame.to_crs(default_epsg())
            self._frames[cache] = frame
        return self._frames[cache]

    def _evacuation(self) -> EvacuationFacts:
        """Routes, people not placed and where each settlement lies, read once."""
        if self._evacuation_facts is None:
            def layer(key: str):
                uri = self.sources.uri(key, "township")
                return QgsVectorLayer(uri, key, "ogr") if uri else None

            settlements = rows_of(layer("settlements"))
            townships = rows_of(layer("townships"))
            self._evacuation_facts = EvacuationFacts(
                rows_of(layer("evacuation_routes")), rows_of(layer("unreached")),
                {str(r.get("code")): str(r.get("township_code")) for r in settlements},
                {str(r.get("code")): str(r.get("name")) for r in townships},
                numbers_from(self.sources.uri("shelter_load", "township")))
        return self._evacuation_facts

    def _stats_for(self, scope: str) -> dict[str, dict]:
        if scope not in self._stats:
            self._stats[scope] = self._rows_by_code(self.sources.uri("township_stats", scope))
        return self._stats[scope]

    def _table_rows(self, key: str) -> dict[str, dict]:
        """A result table by its ``code`` (the hazard ledger: one row per site), the same at every scale."""
        if key not in self._stats:
            self._stats[key] = self._rows_by_code(self.sources.uri(key, CITY))
        return self._stats[key]

    @staticmethod
    def _rows_by_code(uri: str | None) -> dict[str, dict]:
        layer = QgsVectorLayer(uri, "stats", "ogr") if uri else None
        rows = {}
        if layer is not None and layer.isValid():
            names = layer.fields().names()
            rows = {str(f["code"]): dict(zip(names, f.attributes())) for f in layer.getFeatures()}
        return rows

    def _extent(self, key: str, scope: str, grow: float) -> QgsRectangle | None:
        cache = f"{key}@{scope}"
        if cache not in self._extents:
            uri = self.sources.uri(key, scope)
            layer = QgsVectorLayer(uri, key, "ogr") if uri else None
            extent = None
            if layer is not None and layer.isValid():
                extent = QgsRectangle(layer.extent())
                extent.grow(max(extent.width(), extent.height()) * grow)
            self._extents[cache] = extent
        return self._extents[cache]


def _stamp_metadata(maps: KindProject, page: PageSpec, text: PageText) -> None:
    """Title, author and origin in the file's own metadata (PDF document properties),
    which QgsLayoutExporter copies from the project."""
    variables = text.variables(page)
    metadata = maps.project.metadata()
    metadata.setTitle(variables["hr_title"])
    metadata.setAuthor(text.compiled_by)
    metadata.setAbstract(
        f"{variables['hr_subtitle']}. {variables['hr_notes']}. {variables['hr_synthetic_note']}".strip())
    metadata.setKeywords({"hunchun_risk": [page.kind.key, page.scope, *page.sheets]})
    maps.project.setMetadata(metadata)


def pdf_export_settings(dpi: int) -> QgsLayoutExporter.PdfExportSettings:
    """Vector PDF with the words as text (searchable, copyable); rasters at ``dpi``."""
    options = QgsLayoutExporter.PdfExportSettings()
    options.rasterizeWholeImage = False
    options.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
    options.exportMetadata = True
    options.dpi = dpi
    return options


def write_layout(layout, path: Path, settings: ExportSettings) -> Path:
    """Export ``layout`` to ``path`` in the settings' format, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.partial{path.suffix}")
    exporter = QgsLayoutExporter(layout)
    if settings.file_format == "pdf":
        result = exporter.exportToPdf(str(temporary), pdf_export_settings(settings.dpi))
    elif settings.file_format == "png":
        options = QgsLayoutExporter.ImageExportSettings()
        options.dpi = settings.dpi
        result = exporter.exportToImage(str(temporary), options)
    else:
        options = QgsLayoutExporter.SvgExportSettings()
        options.dpi = settings.dpi
        options.forceVectorOutput = True
        options.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
        result = exporter.exportToSvg(str(temporary), options)
    if result != QgsLayoutExporter.ExportResult.Success or not temporary.exists():
        temporary.unlink(missing_ok=True)
        raise RuntimeError(f"export of {path.name} "
                           f"failed: {exporter.errorMessage() or f'QgsLayoutExporter code {result}'}")
    os.replace(temporary, path)
    return path
