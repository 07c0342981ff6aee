"""Reading users' files without writing beside them.

GDAL keeps what it learns of a dataset (statistics, a GeoPackage's metadata) in a
``.aux.xml`` file beside it ("PAM", persistent auxiliary metadata) when a dataset opened
for reading is closed. On a read-only share that fails, anywhere it changes someone
else's data folder. Inside ``no_sidecar_files()`` PAM is off for the datasets the
calling thread opens and closes, in each GDAL the process has: QGIS's (the system's,
through ``osgeo.gdal``), rasterio's and pyogrio's (their wheels bring their own). The
price: an existing ``.aux.xml`` is not read either (a raster that keeps its CRS only
there must carry it in the file).

Never through the environment: ``setenv`` while another thread reads the environment
(GDAL reads it for every configuration option it is asked for, Qt too) can crash the
process, since glibc reallocates the array ``getenv`` is walking. QGIS 3.22 died so in
the dock's runs: the main thread rendering while the task's thread set the variable.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

PAM_VARIABLE = "GDAL_PAM_ENABLED"
_OFF = "NO"


@contextmanager
def no_sidecar_files() -> Iterator[None]:
    """Datasets this thread opens inside write no ``.aux.xml`` beside their files
    (nestable, and safe in several threads at once)."""
    with ExitStack() as stack:
        for off in (_system_gdal_off, _rasterio_off, _pyogrio_off):
            stack.enter_context(off())
        yield


@contextmanager
def _system_gdal_off() -> Iterator[None]:
    """QGIS's GDAL: a thread-local option, so QGIS's own rendering threads still read
    and write the user's ``.aux.xml`` as usual."""
    try:
        from osgeo import gdal
    except ImportError:  # no GDAL bindings: core use outside QGIS
        yield
        return
    previous = gdal.GetThreadLocalConfigOption(PAM_VARIABLE, None)
    gdal.SetThreadLocalConfigOption(PAM_VARIABLE, _OFF)
    try:
        yield
    finally:
        gdal.SetThreadLocalConfigOption(PAM_VARIABLE, previous)


@contextmanager
def _rasterio_off() -> Iterator[None]:
    """rasterio's GDAL: ``rasterio.Env`` sets thread-local options off the main thread
    (and process-wide ones, under GDAL's lock, on it)."""
    try:
        import rasterio
    except ImportError:  # the plugin's packages not installed yet
        yield
        return
    with rasterio.Env(**{PAM_VARIABLE: _OFF}):
        yield


_PYOGRIO_LOCK = threading.Lock()
_pyogrio_users = 0
_pyogrio_previous: str | None = None


@contextmanager
def _pyogrio_off() -> Iterator[None]:
    """pyogrio's GDAL has process-wide options only: off while any thread is inside
    (only this plugin reads files through it), back as it was when the last one leaves."""
    try:
        import pyogrio
    except ImportError:
        yield
        return
    global _pyogrio_users, _pyogrio_previous
    with _PYOGRIO_LOCK:
        if _pyogrio_users == 0:
            _pyogrio_previous = pyogrio.get_gdal_config_option(PAM_VARIABLE)
            pyogrio.set_gdal_config_options({PAM_VARIABLE: _OFF})
        _pyogrio_users += 1
    try:
        yield
    finally:
        with _PYOGRIO_LOCK:
            _pyogrio_users -= 1
            if _pyogrio_users == 0:
                pyogrio.set_gdal_config_options({PAM_VARIABLE: _pyogrio_previous})
