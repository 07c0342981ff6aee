"""The input layers Processing opens for a run are closed inside the run, with PAM off.

GDAL decides whether a dataset writes an ``.aux.xml`` beside its file when it first
needs its PAM, which for a GeoPackage (GDAL 3.10, QGIS 3.40) is when it is *closed*: it
then reads the file's metadata into PAM and saves it. Processing keeps the layers it
loaded from the parameters' paths in the run's context and closes them when the context
goes, after the run, outside ``no_sidecar_files()``: so the layers this plugin made
Processing open are closed before the window ends (a later step opens them again).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..core.raster_io import no_sidecar_files

# Providers whose layers are GDAL/OGR datasets on disk (memory layers have no file).
FILE_PROVIDERS = frozenset({"ogr", "gdal"})


@contextmanager
def inputs_closed_without_sidecars(context) -> Iterator[None]:
    """PAM off for the block, and the file layers the block added to ``context``'s
    temporary store removed (so closed) before it is back on. Layers the caller had put
    in the store stay: they are the caller's."""
    store = context.temporaryLayerStore() if context is not None else None
    before = set(store.mapLayers()) if store is not None else set()
    with no_sidecar_files():
        try:
            yield
        finally:
            if store is not None:
                opened = [layer for layer_id, layer in store.mapLayers().items()
                          if layer_id not in before and layer.providerType() in FILE_PROVIDERS]
                store.removeMapLayers(opened)
