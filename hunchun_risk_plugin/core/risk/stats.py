"""Township statistics: area and share of each risk class and prevention zone,
population in each class, hazard-site count, mean index and dominant class."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from ..definitions import ClassDef


@dataclass
class Tally:
    """Per-township cell counts by class and index sums, accumulated block by block.
    Township ids are 1..n (0 = none); classes 0..k (0 = no data)."""

    townships: int
    classes: int
    zones: int

    def __post_init__(self) -> None:
        self.class_cells = np.zeros((self.townships + 1, self.classes + 1), dtype=np.int64)
        self.zone_cells = np.zeros((self.townships + 1, self.zones + 1), dtype=np.int64)
        self.index_sum = np.zeros(self.townships + 1, dtype=np.float64)

    def add(self, township_id: np.ndarray, risk_class: np.ndarray, zone: np.ndarray, index: np.ndarray) -> None:
        t = township_id.ravel().astype(np.int64)
        self.class_cells += np.bincount(t * (self.classes + 1) + risk_class.ravel(),
                                        minlength=self.class_cells.size).reshape(self.class_cells.shape)
        self.zone_cells += np.bincount(t * (self.zones + 1) + zone.ravel(),
                                       minlength=self.zone_cells.size).reshape(self.zone_cells.shape)
        valid = risk_class.ravel() > 0
        self.index_sum += np.bincount(t[valid], weights=index.ravel()[valid].astype(np.float64),
                                      minlength=self.townships + 1)


def township_table(townships: gpd.GeoDataFrame, tally: Tally, cell: float, classes: list[ClassDef],
                   zones: list[ClassDef], settlement_class: pd.DataFrame, site_counts: pd.Series) -> gpd.GeoDataFrame:
    """The statistics table, one row per township (in ``townships`` order, ids 1..n).

    ``settlement_class`` has columns township (id), risk_class, zone (prevention zone
    value) and population;
    ``site_counts`` is the hazard-site count by township id.
    """
    cell_km2 = cell * cell / 1e6
    table = townships[["code", "name"]].copy()
    if "name_en" in townships:
        table["name_en"] = townships["name_en"]
    table["area_km2"] = townships.geometry.area.to_numpy() / 1e6
    counts = tally.class_cells[1:, 1:]
    valid = counts.sum(axis=1)
    table["raster_area_km2"] = valid * cell_km2
    for c in classes:
        table[f"area_{c.key}_km2"] = counts[:, c.value - 1] * cell_km2
    for c in classes:
        table[f"share_{c.key}"] = np.where(valid > 0, counts[:, c.value - 1] / np.maximum(valid, 1), np.nan)
    ids = np.arange(1, len(townships) + 1)
    for c, people in zip(classes, _population_by(settlement_class, "risk_class", classes, ids)):
        table[f"pop_{c.key}"] = people
    table["population"] = table[[f"pop_{c.key}" for c in classes]].sum(axis=1)
    zone_counts = tally.zone_cells[1:, 1:]
    for z in zones:
        table[f"area_{z.key}_zone_km2"] = zone_counts[:, z.value - 1] * cell_km2
    for z, people in zip(zones, _population_by(settlement_class, "zone", zones, ids)):
        table[f"pop_{z.key}_zone"] = people
    table["hazard_sites"] = site_counts.reindex(ids, fill_value=0).to_numpy().astype(np.int64)
    table["mean_index"] = np.where(valid > 0, tally.index_sum[1:] / np.maximum(valid, 1), np.nan)
    dominant = counts.argmax(axis=1) + 1
    labels = {c.value: c for c in classes}
    table["dominant_class"] = np.where(valid > 0, dominant, 0)
    table["dominant_zh"] = [labels[v].zh if v in labels else "" for v in table["dominant_class"]]
    table["dominant_en"] = [labels[v].en if v in labels else "" for v in table["dominant_class"]]
    return gpd.GeoDataFrame(table, geometry=townships.geometry.values, crs=townships.crs)


def _population_by(settlements: pd.DataFrame, column: str, classes: list[ClassDef],
                   ids: np.ndarray) -> list[np.ndarray]:
    """People per township (rows ``ids``) in each class of ``column``, one array per class."""
    if column not in settlements:
        settlements = settlements.assign(**{column: 0})
    pivot = settlements.pivot_table(index="township", columns=column, values="population", aggfunc="sum", fill_value=0)
    return [(pivot[c.value] if c.value in pivot.columns else pd.Series(dtype=float))
            .reindex(ids, fill_value=0).to_numpy().astype(np.int64) for c in classes]
