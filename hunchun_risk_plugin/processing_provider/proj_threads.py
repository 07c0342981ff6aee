"""pyproj in QGIS's task threads: keep each pooled thread's PROJ context alive.

pyproj 3.7.0–3.7.2 (pyproj/_context.pyx) keep one PROJ context per thread in two places
with different lives: the pointer in an OS-thread slot (``PyThread_tss_set``), and the
``ContextManager`` that destroys it in a ``threading.local``, which lives as long as the
*Python thread state*. QGIS runs an algorithm in a thread of Qt's pool, which Python did
not create: every call into Python there (sip's ``PyGILState_Ensure``) gets a new thread
state that is deleted when the call returns. So when an algorithm ends, its thread state
goes, the ``threading.local`` drops the manager, and the context is destroyed while the
OS thread's slot still points at it; the next algorithm the pool gives that thread finds
the slot set and hands the freed context to PROJ: QGIS crashes in ``CRS()``. (pyproj 3.3
to 3.6 clone a context per object and are not affected; pyproj after 3.7.2 clears the slot,
pull #1541, and then keeps the context in the ``threading.local`` only, pull #1626.)

No pyproj setting helps (3.7 ignores ``set_use_global_context``), and the algorithms must
run where Processing puts them (their layers belong to that thread). So the plugin holds
on to the context pyproj made in each such thread, for as long as QGIS runs: the slot's
pointer stays valid, and that OS thread reuses the context for every later algorithm. The
cost is one PROJ context per pooled thread that ran one of our algorithms (Qt retires a
thread after 30 s idle, so a long session may keep a few), against a crash.
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# OS thread id -> the pyproj ContextManager made on it (keeps its PROJ context alive).
_KEPT: dict[int, object] = {}


@contextmanager
def proj_context_kept() -> Iterator[None]:
    """Run a block (an algorithm's processAlgorithm) so that a PROJ context pyproj makes
    on a thread Python did not create outlives the block's thread state."""
    try:
        yield
    finally:
        keep_thread_context()


def keep_thread_context() -> None:
    """Keep the PROJ context pyproj made on this thread's current thread state, if any."""
    if threading.current_thread() is threading.main_thread():
        return  # the main thread's thread state lives as long as QGIS
    manager = _context_manager()
    if manager is not None:
        # A new one means this thread state made it: either the slot was empty (a new OS
        # thread, so the one kept under a reused id is no one's any more) or pyproj keeps
        # contexts per thread state (after 3.7.2). A None: the slot's context, already kept.
        _KEPT[threading.get_native_id()] = manager


def _context_manager() -> object | None:
    """pyproj 3.7's manager of this thread state's PROJ context (None if it made none
    here, or if pyproj is older, with no per-thread context, or not loaded)."""
    module = sys.modules.get("pyproj._context")
    getter = getattr(module, "get_context_manager", None)
    return getter() if getter is not None else None
