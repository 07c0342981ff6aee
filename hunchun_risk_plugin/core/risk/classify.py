"""Class breaks for the five risk classes: natural breaks (Jenks/Fisher, default),
quantiles, or fixed thresholds; and classing an index with them.

Breaks are the k − 1 inner upper bounds: class 1 holds x ≤ b₁, class k holds x > b_{k−1}.
For rasters the values are first binned into a fine histogram (``Histogram``) over the
whole area, block by block, and the optimisation runs on the weighted bin centres:
exact up to one bin width (range / 4096), deterministic, bounded memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HISTOGRAM_BINS = 4096


def jenks_breaks(values: np.ndarray, classes: int, weights: np.ndarray | None = None) -> list[float]:
    """Fisher–Jenks optimal breaks: the partition of the sorted values into ``classes``
    runs with the least total within-class sum of squared deviations (weighted when
    ``weights`` are given). Returns the upper bound of each class but the last."""
    order = np.argsort(values, kind="stable")
    x = np.asarray(values, dtype=np.float64)[order]
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)[order]
    keep = w > 0
    x, w = x[keep], w[keep]
    n = len(x)
    if n <= classes:
        return [float(v) for v in x[:-1]] if n > 1 else []
    cw = np.concatenate([[0.0], np.cumsum(w)])
    c1 = np.concatenate([[0.0], np.cumsum(w * x)])
    c2 = np.concatenate([[0.0], np.cumsum(w * x * x)])

    def ssd(start: np.ndarray, end: int) -> np.ndarray:
        """Within-class SSD of x[start:end] for many starts and one end."""
        weight = cw[end] - cw[start]
        total = c1[end] - c1[start]
        return c2[end] - c2[start] - total * total / weight

    cost = np.full((classes + 1, n + 1), np.inf)
    split = np.zeros((classes + 1, n + 1), dtype=np.int64)
    cost[1, 1:] = [ssd(np.array([0]), end)[0] for end in range(1, n + 1)]
    for k in range(2, classes + 1):
        for end in range(k, n + 1):
            starts = np.arange(k - 1, end)
            candidates = cost[k - 1, starts] + ssd(starts, end)
            best = int(np.argmin(candidates))
            cost[k, end] = candidates[best]
            split[k, end] = starts[best]
    breaks, end = [], n
    for k in range(classes, 1, -1):
        end = int(split[k, end])
        breaks.append(float(x[end - 1]))
    return sorted(breaks)


@dataclass
class Histogram:
    """A fixed-range histogram of index values accumulated block by block."""

    low: float = 0.0
    high: float = 1.0
    bins: int = HISTOGRAM_BINS
    counts: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.counts is None:
            self.counts = np.zeros(self.bins, dtype=np.int64)

    def add(self, values: np.ndarray) -> None:
        finite = values[np.isfinite(values)]
        counts, _ = np.histogram(finite, bins=self.bins, range=(self.low, self.high))
        self.counts += counts

    def centres(self) -> np.ndarray:
        edges = np.linspace(self.low, self.high, self.bins + 1)
        return 0.5 * (edges[:-1] + edges[1:])

    def upper_edges(self) -> np.ndarray:
        return np.linspace(self.low, self.high, self.bins + 1)[1:]


def histogram_jenks(histogram: Histogram, classes: int) -> list[float]:
    """Natural breaks of the binned values; each break is the upper edge of the last
    bin of its class, so every value in that bin falls in the class."""
    used = histogram.counts > 0
    centres, edges = histogram.centres()[used], histogram.upper_edges()[used]
    breaks = jenks_breaks(centres, classes, histogram.counts[used].astype(float))
    return [float(edges[np.searchsorted(centres, b)]) for b in breaks]


def histogram_quantiles(histogram: Histogram, classes: int) -> list[float]:
    """Equal-count breaks: the upper bin edges where the cumulative share passes i/k."""
    cumulative = np.cumsum(histogram.counts) / max(histogram.counts.sum(), 1)
    edges = histogram.upper_edges()
    return [float(edges[min(np.searchsorted(cumulative, i / classes), len(edges) - 1)]) for i in range(1, classes)]


def quantile_breaks(values: np.ndarray, classes: int) -> list[float]:
    """Equal-count breaks of raw values (numpy's linear quantiles)."""
    return [float(q) for q in np.quantile(values, [i / classes for i in range(1, classes)])]


def strictly_increasing(breaks: list[float]) -> list[float]:
    """Nudge equal breaks apart (a flat index gives repeated quantiles)."""
    out: list[float] = []
    for b in breaks:
        out.append(b if not out or b > out[-1] else float(np.nextafter(out[-1], np.inf)))
    return out


def classify(values: np.ndarray, breaks: list[float]) -> np.ndarray:
    """Class 1..k (uint8) by the inner breaks (x ≤ b₁ → 1); 0 where values are NaN."""
    classes = (np.searchsorted(np.asarray(breaks, dtype=np.float64), values, side="left") + 1).astype(np.uint8)
    classes[~np.isfinite(values)] = 0
    return classes
