"""A metric CRS for network costs.

Lengths are measured in the CRS the engine works in, so a geographic (degrees) or a
non-metre projected CRS would give wrong costs (the QGIS native-tool bug). Data in a
projected CRS with metre units is used as it is; anything else is reprojected to the
project's default CGCS2000 Gauss-Krüger zone (EPSG:4511) when the data lies inside
its area of use, or to the UTM zone of the data otherwise.
"""
from __future__ import annotations

import geopandas as gpd
from pyproj import CRS
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from ..definitions import default_epsg
from ..errors import InputError


def is_metric(crs: CRS) -> bool:
    """True for a projected CRS whose axes are in metres."""
    if not crs.is_projected:
        return False
    return all((axis.unit_name or "").lower() in ("metre", "meter") for axis in crs.axis_info[:2])


def metric_crs_for(frame: gpd.GeoDataFrame, layer: str) -> CRS:
    """The CRS to compute in: the frame's own when metric, else a local metric one."""
    if frame.crs is None:
        raise InputError(
            f"Layer '{layer}' has no coordinate reference system. Set its CRS (e.g. EPSG:4511) and run again.",
            f"图层“{layer}”没有坐标参考系。请设置坐标系（如 EPSG:4511）后重试。",
        )
    crs = CRS.from_user_input(frame.crs)
    if is_metric(crs):
        return crs
    lon_min, lat_min, lon_max, lat_max = frame.to_crs(4326).total_bounds
    default = CRS.from_epsg(default_epsg())
    area = default.area_of_use
    if area and area.west <= lon_min and lon_max <= area.east and area.south <= lat_min and lat_max <= area.north:
        return default
    infos = query_utm_crs_info(
        datum_name="WGS 84",
        area_of_interest=AreaOfInterest((lon_min + lon_max) / 2, (lat_min + lat_max) / 2,
                                        (lon_min + lon_max) / 2, (lat_min + lat_max) / 2),
    )
    return CRS.from_epsg(int(infos[0].code))


def to_crs(frame: gpd.GeoDataFrame, crs: CRS, layer: str) -> gpd.GeoDataFrame:
    """``frame`` in ``crs`` (a copy; inputs are never modified)."""
    if frame.crs is None:
        raise InputError(
            f"Layer '{layer}' has no coordinate reference system. Set its CRS and run again.",
            f"图层“{layer}”没有坐标参考系。请设置坐标系后重试。",
        )
    if CRS.from_user_input(frame.crs) == crs:
        return frame.copy()
    return frame.to_crs(crs)
