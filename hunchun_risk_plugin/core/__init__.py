"""Analysis engines of Hunchun Risk.

Everything under ``core`` works on numpy, geopandas, shapely, rasterio and pyproj
only: it never imports ``qgis``, so it runs and is tested without QGIS.
"""
