"""Checks made before any long work: the study area, the model's inputs (missing
layers and fields), empty or non-overlapping inputs and raster no-data holes.

Optional factors whose layer (or field) is absent are dropped and reported; their
weight is shared among the remaining factors of the same component; a hazard left
without factors is dropped and its weight shared among the other hazards.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import rasterio
from rasterio import features
from rasterio.warp import transform_bounds

from ..errors import InputError
from ..schema import layer_specs
from .grid import Grid, grid_for_bounds
from .model import FactorSpec, Model
from .sources import RiskInputs, read_on_grid

MAX_HOLE_SHARE = 0.02  # rasters may miss data on at most 2 % of the study area
TOWNSHIP_FIELDS = ("code", "name")


@dataclass
class Plan:
    """What a run will use: present factors, hazards and components, and notes."""

    factors: list[str]
    hazards: list[str]
    missing_factors: list[str] = field(default_factory=list)
    missing_hazards: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _label(layer: str) -> str:
    spec = layer_specs().get(layer)
    return f"{spec.zh} {layer}" if spec else layer


def check_townships(townships: gpd.GeoDataFrame | None) -> None:
    if townships is None:
        raise InputError("The townships layer is required: it defines the study area.",
                         "必须提供乡镇边界图层（townships）：它界定了分析范围。")
    if len(townships) == 0 or townships.geometry.is_empty.all():
        raise InputError("Layer 'townships' has no features. Choose the layer with the township boundaries.",
                         "图层“乡镇边界 townships”没有要素。请选择包含乡镇边界的图层。")
    for name in TOWNSHIP_FIELDS:
        if name not in townships.columns:
            raise InputError(f"Layer 'townships' has no field '{name}'. Add it or rename the matching field to "
                             f"'{name}'.",
                             f"图层“乡镇边界 townships”缺少字段“{name}”。请添加该字段或将对应字段重命名为“{name}”。")


def select_townships(townships: gpd.GeoDataFrame, wanted: str | None) -> gpd.GeoDataFrame:
    """The township whose name, English name or code is ``wanted`` (empty = all)."""
    if not wanted:
        return townships
    text = wanted.strip()
    hit = (townships["code"].astype(str) == text) | (townships["name"].astype(str) == text)
    if "name_en" in townships:
        hit |= townships["name_en"].astype(str).str.lower() == text.lower()
    if not hit.any():
        names = ", ".join(f"{n} ({c})" for n, c in zip(townships["name"], townships["code"]))
        raise InputError(f"Township '{text}' is not in layer 'townships'. Known townships: {names}.",
                         f"乡镇“{text}”不在乡镇边界图层中。已有乡镇：{names}。")
    return townships[hit]


def plan_run(model: Model, inputs: RiskInputs, area_bounds: tuple[float, float, float, float]) -> Plan:
    """Which factors the run can use; raises ``InputError`` for required ones that are
    missing, for missing fields and for empty or non-overlapping layers."""
    present, missing, notes = [], [], []
    for name, spec in model.factors.items():
        problem = _factor_problem(spec, inputs, area_bounds)
        if problem is None:
            present.append(name)
        elif (problem[0] == "layer" and spec.optional) or (problem[0] == "field" and spec.optional_field):
            missing.append(name)
            notes.append(f"factor '{name}' left out ({problem[1]}); its weight was shared among the other factors")
        else:
            raise InputError(problem[1], problem[2])
    hazards = [h for h, c in model.hazards.items() if any(f in present for f in c.factors)]
    dropped = [h for h in model.hazards if h not in hazards]
    notes += [f"hazard '{h}' left out (no usable factor); its weight was shared among the other hazards"
              for h in dropped]
    if not hazards:
        raise InputError("No hazard of the model has any usable input. Give at least one hazard's layers.",
                         "模型中没有任何灾种具备可用输入。请至少提供一个灾种的图层。")
    return Plan(present, hazards, missing, dropped, notes)


def _factor_problem(spec: FactorSpec, inputs: RiskInputs, bounds) -> tuple[str, str, str] | None:
    """(kind, en, zh) saying why a factor cannot be computed (kind: layer, field, empty,
    overlap), or None when it can."""
    layers = [spec.layer] + [spec.options[k] for k in ("rivers", "roads") if k in spec.options]
    for layer in layers:
        if not inputs.has(layer):
            return ("layer",
                    f"factor '{spec.name}' needs layer '{layer}', which was not given. Give the layer, or mark "
                    f"the factor optional in the model.",
                    f"因子“{spec.name}”需要图层“{_label(layer)}”，但未提供。请提供该图层，或在模型中将该因子设为可选。")
    frame = inputs.vector(spec.layer)
    if frame is not None:
        if len(frame) == 0:
            return ("empty",
                    f"layer '{spec.layer}' has no features. Choose the layer that holds the data, or leave it unset.",
                    f"图层“{_label(spec.layer)}”没有要素。请选择包含数据的图层，或不设置该图层。")
        for layer, names in spec.fields_needed().items():
            for name in names:
                if name not in frame.columns:
                    return ("field",
                            f"layer '{layer}' has no field '{name}' (needed by factor '{spec.name}'). Add the field "
                            f"or rename the matching field to '{name}'.",
                            f"图层“{_label(layer)}”缺少字段“{name}”（因子“{spec.name}”需要）。请添加该字段，"
                            f"或将对应字段重命名为“{name}”。")
        if not _overlaps(frame.total_bounds, bounds):
            return ("overlap", f"layer '{spec.layer}' does not overlap the study area. Check its CRS and extent.",
                    f"图层“{_label(spec.layer)}”与分析范围不重叠。请检查其坐标系和范围。")
    return None


def _overlaps(a, b) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def check_rasters(inputs: RiskInputs, used_layers: set[str], area: gpd.GeoDataFrame, grid: Grid) -> list[str]:
    """Each used raster must cover the study area, with no-data on at most
    ``MAX_HOLE_SHARE`` of it (checked on a coarse copy, so it is quick)."""
    notes = []
    for name in sorted(used_layers):
        path = inputs.rasters.get(name)
        if not path:
            continue
        try:
            with rasterio.open(path) as src:
                if src.crs is None:
                    raise InputError(f"Raster '{name}' ({path}) has no CRS. Assign its CRS (e.g. EPSG:4511).",
                                     f"栅格“{name}”（{path}）没有坐标系。请为其指定坐标系（如 EPSG:4511）。")
                raster_bounds = transform_bounds(src.crs, grid.crs_wkt, *src.bounds)
        except rasterio.errors.RasterioIOError as exc:
            raise InputError(f"Raster '{name}' ({path}) cannot be opened: {exc}.",
                             f"无法打开栅格“{name}”（{path}）：{exc}。") from exc
        if not _overlaps(raster_bounds, grid.bounds):
            raise InputError(f"Raster '{name}' does not overlap the study area. Check its CRS and extent.",
                             f"栅格“{name}”与分析范围不重叠。请检查其坐标系和范围。")
        coarse = grid_for_bounds(grid.bounds, max(grid.cell, 250.0), _crs(grid))
        values = read_on_grid(path, coarse, "nearest", fill_holes=False)
        inside = features.rasterize(((g, 1) for g in area.geometry), out_shape=coarse.shape,
                                    transform=coarse.transform, fill=0, dtype="uint8").astype(bool)
        share = float(np.isnan(values[inside]).mean()) if inside.any() else 0.0
        if share > MAX_HOLE_SHARE:
            raise InputError(
                f"Raster '{name}' has no data on {share:.0%} of the study area (at most {MAX_HOLE_SHARE:.0%} is "
                f"filled). Fill the holes or extend the raster.",
                f"栅格“{name}”在分析范围内有 {share:.0%} 的区域无数据（最多自动填补 {MAX_HOLE_SHARE:.0%}）。"
                "请填补空洞或扩展栅格范围。")
        if share > 0:
            notes.append(f"raster '{name}': no-data holes on {share:.1%} of the area filled from the nearest valid "
                         "cells")
    return notes


def _crs(grid: Grid):
    from pyproj import CRS

    return CRS.from_wkt(grid.crs_wkt)
