"""The user's language and bilingual strings (English / zh_CN).

Strings are kept in pairs at the call site so a Chinese user never sees a message
that was only written in English. ``tr`` looks the English up through Qt's translation
system first (``i18n/hunchun_risk_zh_CN.qm``, made from the pairs by
``scripts/i18n_extract.py`` and lrelease: ``make translations``), so a translator's
corrections in the ``.ts`` file win over the pair in the code.

A pair with values in it is a template, ``trf("Placed {placed} people", "已安置 {placed} 人",
placed=n)``: the template is the Qt source, the values are filled in after the lookup.
A pair defined in one place and translated in another (a table of step names) is marked
with ``pair(en, zh)``, Qt's QT_TRANSLATE_NOOP, so the extractor finds it too.
"""
from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

QT_CONTEXT = "hunchun_risk"
TRANSLATIONS = Path(__file__).resolve().parent / "i18n"


def user_locale() -> str:
    """QGIS's locale setting (falling back to the system locale): 'zh_CN', 'en_US'…"""
    settings = QSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "", type=str)
    else:
        locale = QLocale.system().name()
    return locale or ""


def user_language() -> str:
    """'zh' or 'en', from QGIS's locale setting (falling back to the system locale)."""
    return "zh" if user_locale().lower().startswith("zh") else "en"


def translation_file(locale: str) -> Path | None:
    """The .qm for ``locale``: every Chinese locale (zh_CN, zh-Hans, zh_TW…) reads the
    zh_CN translation, the only one there is; other locales keep the English."""
    return TRANSLATIONS / "hunchun_risk_zh_CN.qm" if locale.lower().startswith("zh") else None


def install_translator() -> QTranslator | None:
    """Install the plugin's translator for the user's locale (keep the returned object
    alive and give it to ``remove_translator`` on unload)."""
    path = translation_file(user_locale())
    if path is None or not path.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)


def tr(en: str, zh: str) -> str:
    if user_language() != "zh":
        return en
    translated = QCoreApplication.translate(QT_CONTEXT, en)
    return translated if translated != en else zh


def trf(en: str, zh: str, **values) -> str:
    """``tr`` of a template, then its ``{name}`` fields filled from ``values``."""
    return tr(en, zh).format(**values)


def pair(en: str, zh: str) -> tuple[str, str]:
    """Mark a pair for the translation file; translate it where it is shown, ``tr(*pair)``."""
    return en, zh


def error_text(error) -> str:
    """A core error (``HunchunRiskError``: an English/Chinese pair, the core has no Qt) in
    the user's language, its English looked up through Qt first like any pair: a literal
    error message is in the .ts for review (a formatted one keeps the code's pair)."""
    return tr(error.en, error.zh)


def both(en: str, zh: str) -> str:
    """A label showing both languages, for names that appear in the toolbox."""
    return f"{tr(en, zh)} {en}" if user_language() == "zh" else f"{en} {zh}"
