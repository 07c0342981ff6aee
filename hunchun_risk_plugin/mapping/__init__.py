"""QGIS project and layout building (QGIS side)."""
