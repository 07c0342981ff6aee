"""Load the sample dataset, styled, into a QGIS project."""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)

from ..core.definitions import default_epsg
from ..core.errors import InputError
from ..core.layer_uri import layer_uri
from ..core.raster_io import no_sidecar_files
from ..core.schema import layer_specs
from ..paths import layers_dir, sample_gpkg, style_for

SAMPLE_GROUP_EN = "Hunchun sample data (synthetic)"
SAMPLE_GROUP_ZH = "珲春示例数据（合成）"
SYNTHETIC_NOTE = ("合成示例数据，非官方边界，不得用于出版 / "
                  "Synthetic sample data, not official boundaries, not for publication")

# Draw order, top first: points over lines over polygons over rasters.
_VECTOR_ORDER = (
    "fire_stations", "depots", "shelters", "hazard_sites", "settlements",
    "roads", "rivers", "townships", "flood_zones", "seismic_zones",
)
_RASTERS = ("forest", "dem")


def sample_layers() -> list[QgsMapLayer]:
    """Every sample layer, styled, in draw order (top first). Raises if any is missing."""
    gpkg = sample_gpkg()
    if not gpkg.exists():
        raise InputError(
            f"Sample data not found at {gpkg}. Run `make sample-data` or reinstall the plugin.",
            f"未找到示例数据 {gpkg}。请运行 `make sample-data` 或重新安装插件。",
        )
    layers: list[QgsMapLayer] = []
    # A raster layer computes its band statistics as it is made (for a default renderer
    # that its style then replaces), and GDAL saved them in a .aux.xml beside the sample
    # when the layer closed: with PAM off while the datasets are opened they never do.
    with no_sidecar_files():
        for name in _VECTOR_ORDER:
            spec = layer_specs()[name]
            layer = QgsVectorLayer(layer_uri(gpkg, name), f"{spec.zh} {spec.en}", "ogr")
            layers.append(_checked_and_styled(layer, name))
        for name in _RASTERS:
            label = {"dem": "高程 DEM", "forest": "森林覆盖 Forest cover"}[name]
            layer = QgsRasterLayer(str(layers_dir() / f"{name}.tif"), label, "gdal")
            layers.append(_checked_and_styled(layer, name))
    return layers


def _checked_and_styled(layer: QgsMapLayer, name: str) -> QgsMapLayer:
    if not layer.isValid():
        raise InputError(f"Sample layer '{name}' could not be opened.", f"无法打开示例图层“{name}”。")
    style = style_for(name)
    if style.exists():
        layer.loadNamedStyle(str(style))
    layer.setAbstract(SYNTHETIC_NOTE)
    layer.setShortName(name)
    return layer


def load_sample_data(project: QgsProject, language: str = "en") -> QgsLayerTreeGroup:
    """Add every sample layer to ``project`` in one group and set the project CRS."""
    layers = sample_layers()
    root = project.layerTreeRoot()
    title = SAMPLE_GROUP_ZH if language == "zh" else SAMPLE_GROUP_EN
    existing = root.findGroup(title)
    if existing is not None:
        for layer_id in existing.findLayerIds():
            project.removeMapLayer(layer_id)
        root.removeChildNode(existing)
    group = root.insertGroup(0, title)
    for layer in layers:
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{default_epsg()}"))
    return group
