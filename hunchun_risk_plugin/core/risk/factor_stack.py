"""Combine aligned factor rasters already scored 0–1 into an index and classes, block
by block: the same arithmetic as the pipeline's index and class passes, for users who
build their factors elsewhere (and for the benchmark against gdal_calc)."""
from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import Window

from ..definitions import risk_classes
from ..progress import Progress
from . import classify
from .combine import combine

ROWS_PER_BLOCK = 256


def combine_rasters(paths: Sequence[Path], weights: Sequence[float], index_path: Path, class_path: Path,
                    rule: str = "weighted_sum", method: str = "natural_breaks",
                    thresholds: Sequence[float] = (), progress: Progress | None = None) -> list[float]:
    """Write the combined index (float32) and its classes (uint8, 1..5; 0 = no data);
    returns the class breaks. Inputs must share size and geotransform; no-data in any
    input makes the cell no-data."""
    progress = progress or Progress()
    total = float(sum(weights))
    weights = [w / total for w in weights]
    histogram = classify.Histogram()
    with contextlib.ExitStack() as stack:
        sources = [stack.enter_context(rasterio.open(p)) for p in paths]
        first = sources[0]
        profile = {"driver": "GTiff", "width": first.width, "height": first.height, "count": 1,
                   "crs": first.crs, "transform": first.transform}
        index_out = stack.enter_context(rasterio.open(index_path, "w+", dtype="float32", nodata=np.nan, **profile))
        windows = [Window(0, row, first.width, min(ROWS_PER_BLOCK, first.height - row))
                   for row in range(0, first.height, ROWS_PER_BLOCK)]
        for number, window in enumerate(windows):
            progress.step(0.7 * number / len(windows))
            layers = [_read(src, window) for src in sources]
            index = combine(layers, weights, rule)
            histogram.add(index)
            index_out.write(index, 1, window=window)
        breaks = _breaks(histogram, method, thresholds)
        class_out = stack.enter_context(rasterio.open(class_path, "w", dtype="uint8", nodata=0, **profile))
        for number, window in enumerate(windows):
            progress.step(0.7 + 0.3 * number / len(windows))
            class_out.write(classify.classify(index_out.read(1, window=window), breaks), 1, window=window)
    return breaks


def _read(src, window: Window) -> np.ndarray:
    data = src.read(1, window=window)
    if src.nodata is not None and not np.isnan(src.nodata):
        data[data == src.nodata] = np.nan
    return data


def _breaks(histogram: classify.Histogram, method: str, thresholds: Sequence[float]) -> list[float]:
    count = len(risk_classes())
    if method == "fixed":
        return list(thresholds)
    if method == "quantiles":
        return classify.strictly_increasing(classify.histogram_quantiles(histogram, count))
    return classify.strictly_increasing(classify.histogram_jenks(histogram, count))
