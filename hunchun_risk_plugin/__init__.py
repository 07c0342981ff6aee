"""Hunchun Risk 珲春风险制图: QGIS plugin entry point.

Nothing here or in the modules imported before the dependency check imports more than
QGIS, Qt and the standard library, so the plugin loads (and says what is missing) in any
QGIS, whatever Python packages it has.
"""
from __future__ import annotations


def classFactory(iface):
    from . import dependencies

    dependencies.activate(dependencies.private_dependency_dir())  # before anything imports geopandas & co.
    from .plugin import HunchunRiskPlugin

    return HunchunRiskPlugin(iface)
