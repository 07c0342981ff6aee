"""Ready for QGIS 4 (Qt 6): scripts/check_qt6.py finds no Qt5-only construct in the
plugin, scripts and benchmarks, and it does find each kind it is there for."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("check_qt6", ROOT / "scripts" / "check_qt6.py")
check_qt6 = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(check_qt6)


def findings(source: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    return check_qt6.check_file(path, with_enums=True)


def test_the_code_has_no_qt5_only_construct(qgis_app):
    files = check_qt6.python_files(check_qt6.DEFAULT_PATHS)
    assert len(files) > 50  # the plugin, scripts and benchmarks were all read
    assert [line for path in files for line in check_qt6.check_file(path, with_enums=True)] == []


@pytest.mark.parametrize("source, expected", [
    ("from PyQt5.QtCore import Qt\n", "through qgis.PyQt"),
    ("import sip\n", "through qgis.PyQt"),
    ("from qgis.PyQt.QtCore import QRegExp\n", "QRegularExpression"),
    ("dialog.exec_()\n", "exec()"),
    ("from qgis.PyQt.QtCore import QVariant\nnull = QVariant()\n", "NULL"),
    ("from qgis.PyQt.QtCore import QVariant\nkind = QVariant.Double\n", "qt_compat"),
    ("from qgis.PyQt.QtCore import Qt\nbutton = Qt.MidButton\n", "Qt.MouseButton.MiddleButton"),
    ("from qgis.PyQt.QtCore import Qt\nalign = Qt.AlignLeft | Qt.AlignTop\n", "Qt.AlignmentFlag.AlignLeft"),
    ("from qgis.core import QgsProcessing\nkind = QgsProcessing.TypeVectorPolygon\n",
     "QgsProcessing.SourceType.TypeVectorPolygon"),
    ("from qgis.PyQt.QtCore import Qt\nalign = Qt.AlignmentFlag.NoSuchFlag\n", "does not exist"),
])
def test_the_check_finds_each_qt5_only_construct(qgis_app, tmp_path, source, expected):
    found = findings(source, tmp_path)
    assert any(expected in line for line in found), found


def test_the_check_accepts_the_portable_spelling(qgis_app, tmp_path):
    source = (
        "from qgis.core import NULL, Qgis, QgsProcessing\n"
        "from qgis.PyQt.QtCore import Qt\n"
        "from qgis.PyQt import sip\n"
        "align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop\n"
        "kind = QgsProcessing.SourceType.TypeVectorPolygon\n"
        "text = Qgis.TextRenderFormat.AlwaysText\n"
        "gone = sip.isdeleted\n"
        "dialog.exec()\n"
    )
    ast.parse(source)
    assert findings(source, tmp_path) == []


def test_field_type_constants_are_what_qgsfield_reports(qgis_app):
    from qgis.core import QgsField

    from hunchun_risk_plugin import qt_compat
    from hunchun_risk_plugin.processing_provider.layer_io import field_type_name

    expected = {qt_compat.STRING: "string", qt_compat.INT: "integer", qt_compat.LONG_LONG: "integer",
                qt_compat.DOUBLE: "real", qt_compat.BOOL: "boolean"}
    for kind, name in expected.items():
        field = QgsField("f", kind)
        assert field.type() == kind
        assert field_type_name(field) == name
