"""Other projects' notices stay out of the user's log panel: QGIS shows every Python
warning there, and rasterio 1.4 multiplies Affine matrices with ``*`` (affine 3 flags it
as PendingDeprecationWarning on every window) while files closed by the garbage
collector raise ResourceWarning; neither says anything a GIS technician can act on."""
from __future__ import annotations

import warnings

THIRD_PARTY = "(rasterio|affine|pyogrio|geopandas|shapely|pandas|osgeo|pyproj)"


def quiet_third_party_warnings() -> None:
    """Install the filters (again: QGIS's start-up resets them, so call it at load)."""
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module=THIRD_PARTY)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=THIRD_PARTY)
    warnings.filterwarnings("ignore", category=ResourceWarning)
