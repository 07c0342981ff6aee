"""Evacuation layers as the printed maps show them: memory copies of the shelter-load
and route layers with two fields added, ``hr_no`` (the shelter's number, the same on
every page) and ``hr_label`` (what the map writes beside it), and the facts of the
settlement → shelter table. The input layers are never changed."""
from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import QgsFeatureRequest, QgsField, QgsVectorLayer

from ..qt_compat import INT, STRING
from ..core.evacuation_text import route_label, shelter_label, shelter_numbers

LABELLED = {"shelter_load": (shelter_label, "shelter"), "evacuation_routes": (route_label, "shelter")}


@dataclass
class EvacuationFacts:
    """What the evacuation table of a page needs, read once per worker."""
    routes: list[dict] = field(default_factory=list)
    unreached: list[dict] = field(default_factory=list)
    township_of: dict[str, str] = field(default_factory=dict)   # settlement code -> township code
    township_names: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)       # shelter code -> number


def plain(value):
    """A QGIS attribute as plain Python (NULL → None)."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value


def rows_of(layer: QgsVectorLayer | None) -> list[dict]:
    if layer is None or not layer.isValid():
        return []
    names = layer.fields().names()
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    return [{n: plain(v) for n, v in zip(names, f.attributes())} for f in layer.getFeatures(request)]


def numbers_from(shelter_load_uri: str | None) -> dict[str, int]:
    rows = rows_of(QgsVectorLayer(shelter_load_uri, "shelters", "ogr")) if shelter_load_uri else []
    return shelter_numbers(r.get("shelter") for r in rows)


def labelled_copy(layer: QgsVectorLayer, key: str, numbers: dict[str, int]) -> QgsVectorLayer:
    """``layer`` copied into memory with ``hr_no`` and ``hr_label`` filled in."""
    make_label, code_field = LABELLED[key]
    copy = layer.materialize(QgsFeatureRequest())
    copy.setName(layer.name())
    provider = copy.dataProvider()
    provider.addAttributes([QgsField("hr_no", INT), QgsField("hr_label", STRING)])
    copy.updateFields()
    names = copy.fields().names()
    number_at, label_at = names.index("hr_no"), names.index("hr_label")
    changes = {}
    for feature in copy.getFeatures():
        row = {n: plain(v) for n, v in zip(names, feature.attributes())}
        number = numbers.get(str(row.get(code_field)))
        changes[feature.id()] = {number_at: number, label_at: make_label(row, number)}
    provider.changeAttributeValues(changes)
    return copy
