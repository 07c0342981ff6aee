"""Hunchun Risk 珲春风险制图: QGIS plugin entry point."""


def classFactory(iface):
    from .plugin import HunchunRiskPlugin

    return HunchunRiskPlugin(iface)
