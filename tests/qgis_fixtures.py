"""Small QGIS-side building blocks the tests share: a feedback that keeps what the
algorithm told the user, and memory layers made from WKT."""
from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsProcessingFeedback, QgsVectorLayer


class LogFeedback(QgsProcessingFeedback):
    """Keeps every info, warning and error line, in order (Processing's log panel)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info):  # noqa: N802 (QGIS name)
        self.lines.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):  # noqa: N802
        self.lines.append(warning)
        super().pushWarning(warning)

    def reportError(self, error, fatalError=False):  # noqa: N802, N803
        self.lines.append(error)
        super().reportError(error, fatalError)

    def text(self) -> str:
        return "\n".join(self.lines)


def memory_layer(geometry: str, fields: str, rows: list[tuple[str | None, list]],
                 crs: str = "EPSG:4511") -> QgsVectorLayer:
    """A memory layer of ``geometry`` ('Point', 'LineString', 'Polygon'…) with the fields
    of a memory-provider URI (``field=name:type&…``); each row is (WKT or None, attributes)."""
    layer = QgsVectorLayer(f"{geometry}?crs={crs}&{fields}", "fixture", "memory")
    assert layer.isValid(), f"memory layer {geometry}?crs={crs}&{fields}"
    features = []
    for wkt, attributes in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(attributes)
        if wkt:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer
