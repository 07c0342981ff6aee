"""Hunchun Risk 珲春风险制图: QGIS plugin entry point.

Nothing here or in the modules imported before the dependency check imports more than
QGIS, Qt and the standard library, so the plugin loads (and says what is missing) in any
QGIS, whatever Python packages it has.
"""
from __future__ import annotations

from pathlib import Path


def private_dependency_dir() -> Path:
    """The private package folder of the QGIS profile this plugin runs in."""
    from . import dependencies

    profile = dependencies.profile_of_plugin()
    if profile is None:  # run from a checkout on QGIS_PLUGINPATH: the active profile
        from qgis.core import QgsApplication

        profile = Path(QgsApplication.qgisSettingsDirPath())
    return dependencies.dependency_dir(profile)


def classFactory(iface):
    from . import dependencies

    dependencies.activate(private_dependency_dir())  # before anything imports geopandas & co.
    from .plugin import HunchunRiskPlugin

    return HunchunRiskPlugin(iface)
