"""Composite natural-hazard risk zoning: the engines behind ``hunchunrisk:riskzoning``.

Plain functions over numpy, rasterio, geopandas, shapely, pyproj and scipy; nothing
here imports QGIS. ``pipeline.run_zoning`` is the whole run for one area; the other
modules are one idea each (model file, AHP, transforms, grid, factor sources,
combination, classification, prevention zoning, statistics, polygons, outputs).
"""
