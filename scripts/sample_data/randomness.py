"""Reproducible random streams and smooth noise.

Each component draws from its own named stream, so changing how one layer is made does
not shift the random numbers of any other layer.
"""
from __future__ import annotations

import zlib

import numpy as np
from scipy import ndimage

from .settings import BASE_SEED


def rng(name: str) -> np.random.Generator:
    """An independent, reproducible random stream per component."""
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode("utf-8"))])


def smooth1d_noise(r: np.random.Generator, n: int, sigma: float, wrap: bool = False) -> np.ndarray:
    """Unit-variance smooth 1-D noise (sigma in samples)."""
    raw = r.standard_normal(n)
    out = ndimage.gaussian_filter1d(raw, sigma, mode="wrap" if wrap else "reflect")
    return out / (out.std() + 1e-12)


def smooth2d_noise(r: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Unit-variance smooth 2-D noise (sigma in cells)."""
    out = ndimage.gaussian_filter(r.standard_normal(shape).astype(np.float32), sigma, mode="reflect")
    return out / (out.std() + 1e-12)


def smooth_field_at(pts: np.ndarray, r: np.random.Generator, scale: float) -> np.ndarray:
    """A unit-variance smooth random field (correlation ~scale) sampled at points: a sum
    of random plane waves, cheap and independent of any grid."""
    angles = r.uniform(0, 2 * np.pi, 12)
    wavelength = scale * r.uniform(0.7, 1.6, 12)
    phase = r.uniform(0, 2 * np.pi, 12)
    proj = pts[:, :1] * np.cos(angles) + pts[:, 1:2] * np.sin(angles)
    return np.sqrt(2.0 / 12) * np.cos(2 * np.pi * proj / wavelength + phase).sum(axis=1)
