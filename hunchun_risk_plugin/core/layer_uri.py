"""OGR layer URIs (``file.gpkg|layername=roads``), the form QGIS and Processing pass
layers around in: built and read in one place, so no module splits them by hand."""
from __future__ import annotations

from pathlib import Path

_LAYER_NAME = "layername="


def layer_uri(path: str | Path, layer: str | None = None) -> str:
    """``path|layername=layer``, or the plain path when there is no layer name."""
    return f"{path}|{_LAYER_NAME}{layer}" if layer else str(path)


def uri_path(uri: str) -> str:
    """The data source file of ``uri`` (everything before the first ``|``)."""
    return str(uri).split("|", 1)[0]


def uri_layer(uri: str) -> str | None:
    """The ``layername`` option of ``uri``, or None when it names no layer."""
    for option in str(uri).split("|")[1:]:
        if option.startswith(_LAYER_NAME):
            return option[len(_LAYER_NAME):]
    return None


def layer_uris(path: str | Path, layers) -> dict[str, str]:
    """``{layer: uri}`` for several layers of one file."""
    return {layer: layer_uri(path, layer) for layer in layers}
