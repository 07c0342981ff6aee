"""The one place where the plugin's Python differs between Qt 5 (QGIS 3.22 to 3.x) and
Qt 6 (QGIS 4): the field type constants. ``QgsField.type()`` gives a ``QVariant.Type``
on Qt 5 and a ``QMetaType.Type`` on Qt 6, where ``QVariant.Type`` is gone; the constants
here are of the kind it gives, so they compare equal to it. scripts/check_qt6.py allows
``QVariant`` types in this module only."""
from __future__ import annotations

from qgis.PyQt.QtCore import QT_VERSION_STR

QT6 = int(QT_VERSION_STR.split(".")[0]) >= 6

if QT6:
    from qgis.PyQt.QtCore import QMetaType

    _T = QMetaType.Type
    STRING, INT, UINT, LONG_LONG, ULONG_LONG, DOUBLE, BOOL = (
        _T.QString, _T.Int, _T.UInt, _T.LongLong, _T.ULongLong, _T.Double, _T.Bool)
else:
    from qgis.PyQt.QtCore import QVariant

    _T = QVariant.Type
    STRING, INT, UINT, LONG_LONG, ULONG_LONG, DOUBLE, BOOL = (
        _T.String, _T.Int, _T.UInt, _T.LongLong, _T.ULongLong, _T.Double, _T.Bool)
