"""The interface's strings are Qt translations: the .ts holds every literal pair of the
code, finished; the shipped .qm answers each of them; tr() asks Qt first; every Chinese
locale reads the zh_CN file."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest

from hunchun_risk_plugin import i18n

TS = i18n.TRANSLATIONS / "hunchun_risk_zh_CN.ts"
QM = i18n.TRANSLATIONS / "hunchun_risk_zh_CN.qm"


def messages() -> dict[str, str]:
    root = ET.parse(TS).getroot()
    assert [c.findtext("name") for c in root.iter("context")] == [i18n.QT_CONTEXT]
    found = {}
    for message in root.iter("message"):
        translation = message.find("translation")
        assert translation.get("type") is None, message.findtext("source")  # no unfinished, no obsolete
        assert (translation.text or "").strip(), message.findtext("source")
        found[message.findtext("source")] = translation.text
    return found


def test_ts_holds_every_pair_of_the_code(repo_root):
    sys.path.insert(0, str(repo_root / "scripts"))
    try:
        import i18n_extract
    finally:
        sys.path.remove(str(repo_root / "scripts"))
    table, conflicts, f_string_pairs = i18n_extract.collect()
    assert conflicts == []  # one English string, one Chinese translation, the same {fields} on both sides
    # An f-string pair has no fixed source text for Qt to look up: write trf("… {n} …", "… {n} …", n=…).
    assert f_string_pairs == []
    assert messages() == table, "the .ts is behind the code: run make translations"
    assert i18n_extract.main(["--check"]) == 0
    assert table["Run all"] == "全部运行"  # a pair from the dock, read back from the file


def test_shipped_qm_answers_every_message(qgis_app):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    translator = QTranslator()
    assert translator.load(str(QM))
    QCoreApplication.installTranslator(translator)
    try:  # through QCoreApplication.translate, as tr() asks (UTF-8 sources: "Install…")
        for source, translation in messages().items():
            assert QCoreApplication.translate(i18n.QT_CONTEXT, source) == translation, source
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("locale, expected", [("zh_CN", True), ("zh-Hans", True), ("zh_TW", True),
                                              ("en_US", False), ("", False)])
def test_every_chinese_locale_reads_zh_cn(locale, expected):
    assert (i18n.translation_file(locale) == QM) is expected


def test_tr_asks_qt_first(qgis_app):
    from qgis.PyQt.QtCore import QSettings

    settings = QSettings()
    kept = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh_CN")
    translator = i18n.install_translator()
    try:
        assert translator is not None
        # The .qm's answer wins over the pair in the code; a string it lacks keeps its pair.
        assert i18n.tr("Run all", "not this") == "全部运行"
        assert i18n.tr("A string nobody extracted", "未提取的字符串") == "未提取的字符串"
        # A template is looked up before its values go in (the dock's CR line, worked by hand).
        assert i18n.trf("AHP consistency ratio CR = {cr:.3f} &lt; 0.10: consistent", "not this",
                        cr=0.0421) == "层次分析法一致性比率 CR = 0.042 &lt; 0.10，通过一致性检验"
        settings.setValue("locale/userLocale", "en_US")
        assert i18n.tr("Run all", "全部运行") == "Run all"
    finally:
        i18n.remove_translator(translator)
        for key, value in zip(("locale/overrideFlag", "locale/userLocale"), kept):
            settings.setValue(key, value) if value is not None else settings.remove(key)


def test_the_extractor_finds_templates_markers_and_help_and_refuses_f_strings(tmp_path, repo_root):
    sys.path.insert(0, str(repo_root / "scripts"))
    try:
        import i18n_extract
    finally:
        sys.path.remove(str(repo_root / "scripts"))
    source = tmp_path / "sample.py"
    source.write_text(
        'trf("Placed {n} people", "已安置 {n} 人", n=3)\n'
        'STEP = pair("Risk zoning", "风险区划")\n'
        'self.add(parameter, "Help text", "帮助文字", advanced=True)\n'
        'tr(f"Placed {n}", f"已安置 {n}")\n'
        'tr(*STEP)\n', encoding="utf-8")
    pairs, f_string_lines = i18n_extract.pairs_in(source)
    assert sorted((en, zh) for en, zh, _ in pairs) == [
        ("Help text", "帮助文字"), ("Placed {n} people", "已安置 {n} 人"), ("Risk zoning", "风险区划")]
    assert f_string_lines == [4]
    assert i18n_extract.fields("Placed {n} of {total:,}") == {"n", "total"}


def test_core_errors_are_looked_up_through_qt_too(qgis_app):
    from qgis.PyQt.QtCore import QSettings

    from hunchun_risk_plugin.core.errors import InputError

    literal = "Hazard polygon layer must hold polygons."  # core/routing/hazards.py, a literal pair
    settings = QSettings()
    kept = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh_CN")
    translator = i18n.install_translator()
    try:
        # The core's literal pair is in the .ts for review, and the .ts answer wins.
        assert i18n.error_text(InputError(literal, "not this")) == messages()[literal] != "not this"
        # A formatted error is not in the file: its own pair speaks.
        formatted = InputError("Layer 'x' has 3 bad rows.", "图层“x”有 3 行错误。")
        assert i18n.error_text(formatted) == "图层“x”有 3 行错误。"
        settings.setValue("locale/userLocale", "en_US")
        assert i18n.error_text(InputError(literal, "not this")) == literal
    finally:
        i18n.remove_translator(translator)
        for key, value in zip(("locale/overrideFlag", "locale/userLocale"), kept):
            settings.setValue(key, value) if value is not None else settings.remove(key)
