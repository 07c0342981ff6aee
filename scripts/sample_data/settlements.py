"""Settlements: villages in valleys and along rivers, communities in the city."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .facts import TOWNSHIP_FACTS, URBAN_KIND
from .names import NameBook
from .placement import pick_spaced
from .randomness import rng
from .settings import EPSG
from .surfaces import Surfaces
from .townships import seat_of, township_stem


def split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that add up exactly to total (largest remainder)."""
    raw = total * np.asarray(weights, float) / np.sum(weights)
    out = np.floor(raw).astype(np.int64)
    short = total - int(out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:short]] += 1
    return out


def make_settlements(townships: gpd.GeoDataFrame, surf: Surfaces, names: NameBook) -> gpd.GeoDataFrame:
    """Villages in valleys and along rivers, communities in the city; every unit's
    settlement populations add up exactly to its population. The first settlement of a
    unit is its seat."""
    g = surf.grid
    centres = g.centre(*np.indices(g.shape).reshape(2, -1))
    weight = _site_weight(surf)
    rows: list[dict] = []
    r = rng("settlements")
    for ti, town in townships.reset_index(drop=True).iterrows():
        pts = _settlement_points(r, town, surf, (surf.township == ti).ravel(), centres, weight)
        urban = town["kind"] == URBAN_KIND
        weights = r.lognormal(0.0, 0.55 if urban else 0.5, len(pts))
        weights[0] = weights[1:].sum() * (0.12 if urban else 0.30)  # the seat is the biggest
        pops = split_integer(int(town["population"]), weights)
        rows += _settlement_rows(town, pts, pops, names)
    return gpd.GeoDataFrame(rows, crs=EPSG)


def _site_weight(surf: Surfaces) -> np.ndarray:
    """Lowland, valley-floor and riverside cells are the likeliest village sites."""
    return (np.exp(-surf.valley.ravel() / 35.0) * np.exp(-surf.dem.ravel() / 450.0)
            * (1.0 + 2.5 * np.exp(-surf.river_dist.ravel() / 900.0)))


def _settlement_points(r: np.random.Generator, town: pd.Series, surf: Surfaces, in_town: np.ndarray,
                       centres: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The unit's seat and its other settlements on flat cells away from the rivers,
    spaced out (denser inside the built-up area)."""
    facts = TOWNSHIP_FACTS[town["name"]]
    urban = town["kind"] == URBAN_KIND
    seat = seat_of(town)
    flat = in_town & (surf.slope.ravel() < (6 if urban else 10)) & (surf.river_dist.ravel() > 200)
    builtup = surf.builtup.ravel()
    if urban:
        pools = [(flat & builtup, 420.0), (flat & ~builtup, 700.0)]
    else:
        pools = [(flat & ~builtup, 900.0), (flat & ~builtup, 650.0)]
    points, fallback = [seat], [seat]
    for mask, spacing in pools:
        need = facts.villages - len(points)
        idx = np.flatnonzero(mask)
        jitter = r.uniform(-0.4, 0.4, (len(idx), 2)) * surf.grid.cell
        picked = pick_spaced(r, centres[idx] + jitter, weight[idx], need, spacing, np.asarray(points))
        points += [centres[idx[i]] + jitter[i] for i in picked]
        fallback += [centres[idx[i]] for i in picked]
    if len(points) < facts.villages:
        raise RuntimeError(f"could not place {facts.villages} settlements in {town['name']}")
    # The jitter may cross the border of the unit: fall back to the cell centre (inside).
    inside = shapely.contains_xy(town.geometry, np.asarray(points)[:, 0], np.asarray(points)[:, 1])
    return np.where(inside[:, None], np.asarray(points), np.asarray(fallback))


def _settlement_rows(town: pd.Series, pts: np.ndarray, pops: np.ndarray, names: NameBook) -> list[dict]:
    """Records of the unit's settlements: codes under the unit's code, the seat a
    community named after the unit."""
    urban = town["kind"] == URBAN_KIND
    stem = township_stem(town["name"])
    prefix = town["code"][:9]
    rows = []
    for k, (p, pop) in enumerate(zip(pts, pops)):
        if k == 0:
            name, kind = names.reserve(f"{stem}社区"), "community"
        elif urban:
            name, kind = names.community(), "community"
        else:
            name, kind = names.village(), "village"
        rows.append({"code": f"{prefix}{k + 1:03d}", "name": name, "kind": kind, "population": int(pop),
                     "township_code": town["code"], "is_seat": k == 0, "geometry": shapely.Point(p)})
    return rows
