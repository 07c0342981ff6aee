"""Facts about map data sources: which layers are files a worker process can open,
whether a dataset declares itself synthetic, and the schematic context layers."""
from __future__ import annotations

from pathlib import Path

from ..core.layer_uri import layer_uri, uri_layer, uri_path
from ..paths import layers_dir

CONTEXT_LAYERS = ("prefecture", "counties", "neighbours")


def context_uris() -> dict[str, str]:
    """The schematic Yanbian context for the city map's location inset, when shipped."""
    gpkg = layers_dir() / "context.gpkg"
    if not gpkg.exists():
        return {}
    return {f"context_{name}": layer_uri(gpkg, name) for name in CONTEXT_LAYERS}


def is_file_layer(layer) -> bool:
    """An OGR layer backed by a file (so another process can open the same URI)."""
    return layer.providerType() == "ogr" and Path(uri_path(layer.source())).is_file()


def declares_synthetic(uri: str) -> bool:
    """True when the layer's GeoPackage/OGR metadata calls the data synthetic, as the
    sample dataset does: then every printed page must say so."""
    if not uri:
        return False
    path, layer_name = uri_path(uri), uri_layer(uri)
    try:
        from osgeo import ogr

        dataset = ogr.Open(path)
        if dataset is None:
            return False
        layer = dataset.GetLayerByName(layer_name) if layer_name else dataset.GetLayer(0)
        texts = [str(v) for v in (layer.GetMetadata() or {}).values()] if layer is not None else []
        texts += [str(v) for v in (dataset.GetMetadata() or {}).values()]
    except (ImportError, RuntimeError):
        return False
    return any("synthetic" in t.lower() or "合成" in t for t in texts)
