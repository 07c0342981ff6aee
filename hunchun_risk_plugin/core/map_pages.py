"""Which pages a batch of printed maps has, and what each page shows.

The city map goes on the smallest A sheet that holds it at 1:250000. A township map
is one page at 1:50000 when the township fits the chosen paper; otherwise one page per
GB/T 13989 1:50000 sheet the township touches (each on paper big enough for the whole
sheet) or, by option, one page at the next standard smaller scale that fits. The urban
subdistricts (街道) may also be printed at 1:10000 (``SUBDISTRICT``): the same plan on
the GB/T 13989 1:10000 sheets, with an overview page at 1:25000 or 1:50000.
Pure planning: no QGIS; the layout code turns each ``PageSpec`` into a page.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Callable

import shapely
from pyproj import Transformer

from .definitions import domain
from .file_names import safe_file_name
from .map_specs import MapKind, larger_papers, maps_config
from .sheets import Sheet, sheets_intersecting

FrameFor = Callable[[str], tuple[float, float]]  # paper -> main map frame (w, h) in mm
CITY, TOWNSHIP = "city", "township"
# A series of township pages: the subdistricts at 1:10000. Their pages have the scope
# TOWNSHIP (they show the township results); only the plan differs.
SUBDISTRICT = "subdistrict"
OVERVIEW_NAME = "图幅总图"  # the file name's mark of a township's overview page
SEAM_M = 5.0  # a sliver and a sheet border along a seam this wide
SHEETS, SMALLER_SCALE = "sheets", "smaller_scale"


@dataclass(frozen=True)
class MapArea:
    """A township (or the whole city) to map; ``geometry`` in the map CRS (metres)."""
    code: str
    name: str
    name_en: str
    geometry: shapely.Geometry
    kind: str = ""                   # the townships layer's kind (街道/镇/乡)


@dataclass(frozen=True)
class PageSpec:
    kind: MapKind
    scope: str                       # CITY or TOWNSHIP
    area: MapArea
    scale: int
    paper: str
    centre: tuple[float, float]      # map centre in the map CRS
    sheets: tuple[str, ...]          # GB/T 13989 sheets the page's map area touches
    sheet: str | None = None         # set when the page is one standard sheet
    notes: tuple[str, ...] = field(default=())
    overview: bool = False           # the whole township, its sheet grid drawn and numbered
    printed_sheets: tuple[str, ...] = ()  # overview: the sheets that get a page of their own
    merged: tuple[str, ...] = ()     # sheet page: neighbouring sheets whose sliver of the township it also shows
    extra_clip: str = ""             # sheet page: WKT (map CRS) of those slivers, drawn beyond the neatline
    sheet_scale: int = 0             # the scale of the sheets in ``sheets`` (0: the page's scale)

    @property
    def series_scale(self) -> int:
        """The scale of the sheet series the page belongs to (an overview page's too)."""
        return self.sheet_scale or self.scale

    def file_stem(self) -> str:
        parts = [self.area.name, self.kind.zh, f"1-{self.scale}"]
        if self.sheet:
            parts.append(self.sheet)
        if self.overview:
            parts.append(OVERVIEW_NAME)
        return safe_file_name("_".join(parts))

    def folder(self) -> str:
        """The series folder: an overview page goes beside its township's sheet pages."""
        scale = self.series_scale if self.overview else self.scale
        return f"{'city' if self.scope == CITY else 'townships'}_1-{scale}"

    def relative_path(self, file_format: str) -> str:
        """Where the page's file goes in the output folder."""
        return f"{self.folder()}/{self.file_stem()}.{file_format}"


class PagePlanner:
    """Plans pages for a map CRS and a set of templates (``frame_for``)."""

    def __init__(self, epsg: int, frame_for: FrameFor, paper: str | None, fixed_paper: bool = False,
                 township_mode: str = SHEETS, min_sheet_share: float | None = None) -> None:
        self.frame_for = frame_for
        self.min_sheet_share = maps_config()["fit"]["min_sheet_share"] if min_sheet_share is None else min_sheet_share
        self.paper = paper
        self.fixed_paper = fixed_paper
        self.township_mode = township_mode
        self.sheets = SheetProjector(epsg)

    def plan(self, kinds: Sequence[MapKind], scopes: Iterable[str], city: MapArea | None,
             townships: Sequence[MapArea]) -> list[PageSpec]:
        scopes = set(scopes)
        areas: list[tuple[str, MapArea]] = []
        if CITY in scopes and city is not None:
            areas.append((CITY, city))
        if TOWNSHIP in scopes:
            areas.extend((TOWNSHIP, township) for township in townships)
        if SUBDISTRICT in scopes:
            areas.extend((SUBDISTRICT, township) for township in townships if is_subdistrict(township))
        layouts = [(scope, area, layout) for scope, area in areas for layout in self._layouts(scope, area)]
        return [PageSpec(kind, TOWNSHIP if scope == SUBDISTRICT else scope, area, **layout)
                for kind in kinds for scope, area, layout in layouts]

    def _layouts(self, scope: str, area: MapArea) -> list[dict]:
        if scope == CITY:
            return [self._city_layout(area)]
        if scope == SUBDISTRICT:
            series = maps_config()["subdistrict"]
            return self._township_layouts(area, maps_config()["scales"]["subdistrict"], series["overview_scales"],
                                          SHEETS)
        return self._township_layouts(area, maps_config()["scales"]["township"], maps_config()["scales"]["smaller"],
                                      self.township_mode)

    def _city_layout(self, area: MapArea) -> dict:
        scale = maps_config()["scales"]["city"]
        start = self.paper or "A4 portrait"
        paper, notes = self._paper_holding(area.geometry.bounds, scale, start)
        return dict(scale=scale, paper=paper, centre=_centre(area.geometry.bounds),
                    sheets=self._sheet_numbers(area.geometry, scale), notes=notes)

    def _township_layouts(self, area: MapArea, scale: int, smaller: Sequence[int], mode: str) -> list[dict]:
        """One page at ``scale`` when the township fits the paper; else an overview page
        (at the first of ``smaller`` that fits) and one page per sheet at ``scale`` it
        fills enough of, or (``mode`` SMALLER_SCALE) one page at a scale of ``smaller``."""
        paper = self.paper or maps_config()["paper"]["default_township"]
        bounds = area.geometry.bounds
        if self._fits(bounds, scale, paper):
            return [
                dict(scale=scale, paper=paper, centre=_centre(bounds),
                     sheets=self._sheet_numbers(area.geometry, scale), sheet_scale=scale)]
        if mode == SMALLER_SCALE:
            return [self._smaller_scale_layout(area, paper)]
        sheets = self.sheets_of(area.geometry, scale)
        printed, merged = self.sheets_worth_printing(area.geometry, sheets)
        layouts = [self._sheet_layout(area, sheet, scale, paper) for sheet in printed]
        pages = [self._overview_layout(area, paper, layouts[0]["paper"], printed, scale, smaller)]
        for sheet, layout in zip(printed, layouts):
            slivers = [s for s, host in merged.items() if host == sheet.number]
            if slivers:
                parts = [area.geometry.intersection(self.sheet_outline(s)) for s in slivers]
                layout.update(merged=tuple(s.number for s in slivers), extra_clip=shapely.union_all(parts).wkt,
                              notes=layout["notes"] + tuple(f"the township's sliver on {s.number} is drawn here"
                                                            for s in slivers))
            pages.append(layout)
        return pages

    def _overview_layout(self, area: MapArea, paper: str, largest: str, printed: Sequence[Sheet], sheet_scale: int,
                         series: Sequence[int]) -> dict:
        """The whole township on one page before its sheet pages (at ``sheet_scale``):
        the largest scale of ``series`` at which it fits a paper no larger than its sheet
        pages'."""
        bounds = area.geometry.bounds
        papers = [paper] if self.fixed_paper else larger_papers(paper)
        papers = papers[:papers.index(largest) + 1] if largest in papers else papers[:1]
        scale, chosen = next(((s, p) for s in series for p in papers if self._fits(bounds, s, p)), (series[-1], paper))
        return dict(scale=scale, paper=chosen, centre=_centre(bounds), overview=True, sheet_scale=sheet_scale,
                    sheets=self._sheet_numbers(area.geometry, sheet_scale),
                    printed_sheets=tuple(s.number for s in printed),
                    notes=(f"overview at 1:{scale} of its {len(printed)} sheet pages",))

    def sheets_worth_printing(self, geometry: shapely.Geometry, sheets: Sequence[Sheet]
                              ) -> tuple[list[Sheet], dict[Sheet, str]]:
        """The sheets the township fills at least ``[fit] min_sheet_share`` of (the
        largest one at least), and, for every other sheet, the printed sheet that shows its
        sliver: the one its sliver borders along the longest stretch (a sheet meeting it at a
        corner only does not count), the one the township fills most among equals."""
        least = self.min_sheet_share
        shares = {s: geometry.intersection(self.sheet_outline(s)).area / self.sheet_outline(s).area for s in sheets}
        printed = [s for s in sheets if shares[s] >= least] or [max(sheets, key=shares.get)]
        hosts = {}
        for sliver in (s for s in sheets if s not in printed):
            part = geometry.intersection(self.sheet_outline(sliver))
            seam = part.buffer(SEAM_M)
            host = max(printed, key=lambda s: (round(seam.intersection(self.sheet_outline(s)).area), shares[s]))
            hosts[sliver] = host.number
        return printed, hosts

    def _sheet_layout(self, area: MapArea, sheet: Sheet, scale: int, paper: str) -> dict:
        outline = self.sheet_outline(sheet)
        paper, notes = self._paper_holding(outline.bounds, scale, paper)
        return dict(scale=scale, paper=paper, centre=_centre(outline.bounds), sheets=(sheet.number,),
                    sheet=sheet.number, notes=notes, sheet_scale=scale)

    def _smaller_scale_layout(self, area: MapArea, paper: str) -> dict:
        bounds = area.geometry.bounds
        series = maps_config()["scales"]["smaller"]
        scale = next((s for s in series if self._fits(bounds, s, paper)), series[-1])
        notes = [f"{area.name} does not fit {paper} at 1:{maps_config()['scales']['township']}; printed at 1:{scale}"]
        if not self._fits(bounds, scale, paper):
            notes.append(f"it does not fit at 1:{scale} either; its edges are cut off")
        return dict(scale=scale, paper=paper, centre=_centre(bounds), notes=tuple(notes),
                    sheets=self._sheet_numbers(area.geometry, maps_config()["scales"]["township"]),
                    sheet_scale=maps_config()["scales"]["township"])

    def _paper_holding(self, bounds, scale: int, paper: str) -> tuple[str, tuple[str, ...]]:
        """``paper`` if its frame holds ``bounds`` at ``scale``, else the smallest larger
        one that does (unless the paper is fixed by a user template)."""
        candidates = [paper] if self.fixed_paper else larger_papers(paper)
        for candidate in candidates:
            if self._fits(bounds, scale, candidate):
                moved = self.paper is not None and candidate != paper  # the user chose the paper
                return candidate, (f"moved from {paper} to {candidate} to hold the map at 1:{scale}",) if moved else ()
        largest = candidates[-2] if len(candidates) > 1 else candidates[0]  # the largest size, same orientation
        return largest, (f"the map does not fit {largest} at 1:{scale}; its edges are cut off",)

    def _fits(self, bounds, scale: int, paper: str) -> bool:
        width_mm, height_mm = self.frame_for(paper)
        fill = maps_config()["fit"]["fill"]
        return ((bounds[2] - bounds[0]) * 1000 / scale <= width_mm * fill
                and (bounds[3] - bounds[1]) * 1000 / scale <= height_mm * fill)

    def sheet_outline(self, sheet: Sheet) -> shapely.Geometry:
        return self.sheets.outline(sheet)

    def sheets_of(self, geometry: shapely.Geometry, scale: int) -> list[Sheet]:
        return self.sheets.touching(geometry, scale)

    def _sheet_numbers(self, geometry: shapely.Geometry, scale: int) -> tuple[str, ...]:
        return tuple(sheet.number for sheet in self.sheets_of(geometry, scale))


def is_subdistrict(area: MapArea) -> bool:
    """Whether the township may be printed at 1:10000 (its kind is a subdistrict's)."""
    return area.kind in maps_config()["subdistrict"]["kinds"]


class SheetProjector:
    """GB/T 13989 sheets (defined in CGCS2000 longitude/latitude) against geometry in a
    projected map CRS."""

    def __init__(self, epsg: int) -> None:
        geographic = domain()["crs"]["geographic_epsg"]
        self._to_lonlat = Transformer.from_crs(epsg, geographic, always_xy=True)
        self._from_lonlat = Transformer.from_crs(geographic, epsg, always_xy=True)

    def to_lonlat(self, geometry: shapely.Geometry) -> shapely.Geometry:
        dense = shapely.segmentize(geometry, 250.0)
        return shapely.transform(dense, lambda xy: _stack(self._to_lonlat.transform(xy[:, 0], xy[:, 1])))

    def to_map(self, lon: float, lat: float) -> tuple[float, float]:
        return self._from_lonlat.transform(lon, lat)

    def outline(self, sheet: Sheet) -> shapely.Geometry:
        """The sheet's trapezoid in the map CRS (edges densified: meridians converge)."""
        return shapely.transform(sheet.polygon(32), lambda xy: _stack(self._from_lonlat.transform(xy[:, 0], xy[:, 1])))

    def touching(self, geometry: shapely.Geometry, scale: int) -> list[Sheet]:
        """Sheets whose area the geometry really enters (not just its bounding box)."""
        return sheets_intersecting(self.to_lonlat(geometry), scale)


SLIVER_MARGIN_M = 150.0  # a sliver drawn beyond the neatline, with its boundary


def shown_on_sheet(page: PageSpec, sheets: SheetProjector) -> shapely.Geometry:
    """What a sheet page shows (map CRS): the sheet's trapezoid and the slivers of the
    township on neighbouring sheets that it takes in."""
    from .sheets import sheet_from_number

    outline = sheets.outline(sheet_from_number(page.sheet))
    if not page.extra_clip:
        return outline
    return shapely.union_all([outline, shapely.from_wkt(page.extra_clip).buffer(SLIVER_MARGIN_M)])


def _centre(bounds) -> tuple[float, float]:
    return ((bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0)


def _stack(xy):
    import numpy as np

    return np.column_stack(xy)


def page_to_dict(page: PageSpec) -> dict:
    """A page as JSON-ready data, for export worker processes (no geometry: a page
    needs its area's names and code, not its outline)."""
    return {"kind": page.kind.key, "scope": page.scope, "scale": page.scale, "paper": page.paper,
            "centre": list(page.centre), "sheets": list(page.sheets), "sheet": page.sheet, "notes": list(page.notes),
            "area": {"code": page.area.code, "name": page.area.name, "name_en": page.area.name_en,
                     "kind": page.area.kind},
            "overview": page.overview, "printed_sheets": list(page.printed_sheets), "merged": list(page.merged),
            "extra_clip": page.extra_clip, "sheet_scale": page.sheet_scale}


def page_from_dict(data: dict) -> PageSpec:
    from .map_specs import map_kind

    area = MapArea(data["area"]["code"], data["area"]["name"], data["area"]["name_en"], None,
                   data["area"].get("kind", ""))
    return PageSpec(map_kind(data["kind"]), data["scope"], area, int(data["scale"]), data["paper"],
                    tuple(data["centre"]), tuple(data["sheets"]), data["sheet"], tuple(data["notes"]),
                    bool(data.get("overview")), tuple(data.get("printed_sheets", ())), tuple(data.get("merged", ())),
                    data.get("extra_clip", ""), int(data.get("sheet_scale", 0)))


CITY_PAGE_COST = 5.0  # a city page draws every feature of the city: measured 2.3-3.8 s against 0.3-0.6 s


def page_weight(page: PageSpec) -> float:
    """Relative export cost of a page, to hand out the heaviest first: rendering time
    grows with the paper's area, and a city page holds far more features."""
    from .map_specs import paper_size_mm

    try:
        width, height = paper_size_mm(page.paper)
    except ValueError:  # a house template's own page size
        width, height = 1.0, 1.0
    return width * height * (CITY_PAGE_COST if page.scope == CITY else 1.0)
