"""Reading users' files without writing beside them.

GDAL keeps what it learns of a raster (statistics, histograms) in a ``.aux.xml`` file
beside it ("PAM", persistent auxiliary metadata) when a dataset opened for reading
is closed. On a read-only share that fails, anywhere it changes someone else's data
folder. Inside ``no_sidecar_files()`` PAM is off for every dataset opened, by QGIS's
GDAL and by rasterio's (both read the ``GDAL_PAM_ENABLED`` environment variable when a
dataset opens, and keep the setting for its life). The price: an existing ``.aux.xml``
is not read either (a raster that keeps its CRS only there must carry it in the file).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

PAM_VARIABLE = "GDAL_PAM_ENABLED"


@contextmanager
def no_sidecar_files() -> Iterator[None]:
    """Datasets opened inside write no ``.aux.xml`` beside their files (nestable)."""
    previous = os.environ.get(PAM_VARIABLE)
    os.environ[PAM_VARIABLE] = "NO"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PAM_VARIABLE, None)
        else:
            os.environ[PAM_VARIABLE] = previous
