"""A batch of printed maps from resolved inputs: plan the pages, export them (in worker
processes or here), and write the index and provenance beside them. Everything lands
in a staging folder first and moves into place only when the whole batch succeeded."""
from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

from ..core.definitions import default_epsg, domain
from ..core.errors import InputError
from ..core.map_pages import CITY, SHEETS, SUBDISTRICT, TOWNSHIP, MapArea, PagePlanner, PageSpec, is_subdistrict
from ..core.map_specs import MapKind, maps_config, paper_name_of
from ..core.progress import Progress
from ..core.provenance import build_record, write_record
from ..core.qpt import main_map_frame_mm, page_size_mm
from ..core.routing.inputs import require_features, require_fields
from ..core.staging import staged_outputs
from .worker_pool import export_in_processes
from .page_exporter import ExportSettings, PageExporter
from .map_project import MapSources
from .page_text import PageText

INDEX_FILE, PROVENANCE_FILE = "index.csv", "provenance.json"


@dataclass
class MapBatch:
    sources: MapSources
    townships: gpd.GeoDataFrame           # code, name, name_en; in the map CRS
    kinds: Sequence[MapKind]
    scopes: Sequence[str]                 # CITY, TOWNSHIP and/or SUBDISTRICT (the 街道 at 1:10000)
    settings: ExportSettings
    text: PageText
    only: Sequence[str] = ()              # township names or codes; empty = all
    paper: str | None = None              # None = automatic
    township_mode: str = SHEETS
    workers: int = 2
    parameters: dict = field(default_factory=dict)   # for the provenance record

    def areas(self) -> tuple[MapArea, list[MapArea]]:
        rows = self.townships
        require_features(rows, "townships")
        require_fields(rows, ["code", "name"], "townships")  # pages are titled, filed and found by them
        if SUBDISTRICT in self.scopes:
            require_fields(rows, ["kind"], "townships")  # only subdistricts (街道) are printed at 1:10000
        name_en = rows["name_en"] if "name_en" in rows else rows["name"]
        kinds = rows["kind"] if "kind" in rows else [""] * len(rows)
        townships = [MapArea(str(c), str(n), str(e), g, str(k)) for c, n, e, g, k in
                     zip(rows["code"], rows["name"], name_en, rows.geometry, kinds)]
        facts = domain()["city"]
        city = MapArea(facts["code"], facts["name"], facts["name_en"], shapely.union_all(rows.geometry.values))
        chosen = chosen_townships(townships, self.only)
        if SUBDISTRICT in self.scopes:
            check_subdistricts(chosen, townships, named=any(w and w.strip() for w in self.only))
        return city, chosen

    def data_scopes(self) -> set[str]:
        """The scopes whose results the pages draw (the 1:10000 pages show the township results)."""
        return {TOWNSHIP if scope == SUBDISTRICT else scope for scope in self.scopes} & {CITY, TOWNSHIP}

    def plan(self) -> list[PageSpec]:
        def frame_for(paper: str) -> tuple[float, float]:
            return main_map_frame_mm(self.settings.template_for(paper))

        paper = self.paper
        if self.settings.template is not None:  # the house template's page, whatever was asked
            paper = paper_name_of(*(page_size_mm(self.settings.template) or (0.0, 0.0)))
        planner = PagePlanner(default_epsg(), frame_for, paper, fixed_paper=self.settings.template is not None,
                              township_mode=self.township_mode)
        city, townships = self.areas()
        return planner.plan(self.kinds, self.scopes, city, townships)


def chosen_townships(townships: list[MapArea], only: Sequence[str]) -> list[MapArea]:
    """The townships named (by name or code) in ``only``; all when empty. Unknown names
    are an error that lists the known ones."""
    wanted = [w.strip() for w in only if w and w.strip()]
    if not wanted:
        return townships
    known = {t.name: t for t in townships} | {t.code: t for t in townships}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        names = "、".join(t.name for t in townships)
        raise InputError(f"Unknown township(s): {', '.join(unknown)}. Known townships: {names}.",
                         f"未知乡镇：{'、'.join(unknown)}。已有乡镇：{names}。")
    picked = {known[w].code for w in wanted}
    return [t for t in townships if t.code in picked]


def check_subdistricts(chosen: list[MapArea], townships: list[MapArea], named: bool) -> None:
    """1:10000 is for the subdistricts only: a township named for it that is not one is
    an error naming it (and the subdistricts there are), as is a layer without any."""
    kinds = "、".join(maps_config()["subdistrict"]["kinds"])
    subdistricts = "、".join(t.name for t in townships if is_subdistrict(t))
    if not subdistricts:
        raise InputError(f"1:10000 maps are for subdistricts (kind {kinds}) only, and the townships layer has none "
                         "(field kind). Choose the 1:50000 township maps instead.",
                         f"1:1万地图仅适用于街道（kind 为 {kinds}），乡镇图层中没有街道（字段 kind）。"
                         "请改选乡镇 1:5万。")
    others = [t for t in chosen if not is_subdistrict(t)] if named else []
    if others:
        names = "、".join(f"{t.name} ({t.kind or '–'})" for t in others)
        names_zh = "、".join(f"{t.name}（{t.kind or '–'}）" for t in others)
        raise InputError(f"Only subdistricts (kind {kinds}) can be printed at 1:10000; not {names}. The subdistricts "
                         f"are {subdistricts}; print the others at 1:50000 in a separate run.",
                         f"只有街道（kind 为 {kinds}）可以输出 1:1万地图，{names_zh} 不行。街道有：{subdistricts}；"
                         "其他乡镇请另行按 1:5万输出。")


def run_batch(batch: MapBatch, destination: str | Path, progress: Progress,
              pages: Sequence[PageSpec] | None = None) -> dict:
    """Export every page (``pages``, or the batch's plan) into ``destination``; returns
    the files written."""
    pages = batch.plan() if pages is None else pages
    if not pages:
        raise InputError("Nothing to print: no map kind, scale or township was chosen.",
                         "没有可输出的地图：未选择地图类型、比例尺或乡镇。")
    for page in pages:
        for note in page.notes:
            progress.info(f"{page.file_stem()}: {note}")
    progress.info(f"{len(pages)} pages with {max(1, min(batch.workers, len(pages)))} process(es)")
    done: list[str] = []

    def finished(relative: str) -> None:
        done.append(relative)
        progress.info(f"[{len(done)}/{len(pages)}] {relative}")
        progress.step(0.98 * len(done) / len(pages))

    with staged_outputs(destination) as stage:
        fmt = batch.settings.file_format
        for page in pages:
            stage.path(page.relative_path(fmt))
        if batch.workers > 1 and len(pages) > 1:
            export_in_processes(pages, batch.sources, batch.settings, batch.text, stage.root, batch.workers,
                                finished, progress.cancelled)
        else:
            _export_here(pages, batch, stage.root, finished, progress)
        _write_index(pages, fmt, stage.path(INDEX_FILE))
        write_record(build_record("hunchunrisk:exportmaps", batch.parameters, dict(batch.sources.uris),
                                  {"pages": len(pages), "text": batch.text.__dict__}), stage.path(PROVENANCE_FILE))
        progress.step(1.0)
    return {"files": [str(stage.final_path(p.relative_path(fmt))) for p in pages],
            "index": str(stage.final_path(INDEX_FILE)), "provenance": str(stage.final_path(PROVENANCE_FILE))}


def _export_here(pages, batch: MapBatch, folder: Path, finished, progress: Progress) -> None:
    exporter = PageExporter(batch.sources, batch.settings, batch.text)
    for page in pages:
        progress.step(0.0)  # raises Cancelled when asked to stop
        relative = page.relative_path(batch.settings.file_format)
        exporter.export(page, folder / relative)
        finished(relative)


def _write_index(pages: Sequence[PageSpec], fmt: str, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads the Chinese
        writer = csv.writer(handle)
        writer.writerow(
            ["file", "kind", "kind_zh", "scope", "code", "name", "scale", "paper", "sheet", "sheets", "notes"])
        for p in pages:
            writer.writerow([p.relative_path(fmt), p.kind.key, p.kind.zh, p.scope, p.area.code, p.area.name,
                             f"1:{p.scale}", p.paper, p.sheet or "", " ".join(p.sheets), "; ".join(p.notes)])

