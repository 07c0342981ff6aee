"""Hunchun Risk 珲春风险制图: QGIS plugin entry point."""


def classFactory(iface):  # noqa: N802 (QGIS plugin API name)
    from .plugin import HunchunRiskPlugin

    return HunchunRiskPlugin(iface)
