"""The user's language and bilingual strings (English / zh_CN).

Strings are kept in pairs at the call site so a Chinese user never sees a message
that was only written in English.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import QLocale, QSettings


def user_language() -> str:
    """'zh' or 'en', from QGIS's locale setting (falling back to the system locale)."""
    settings = QSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "", type=str)
    else:
        locale = QLocale.system().name()
    return "zh" if (locale or "").lower().startswith("zh") else "en"


def tr(en: str, zh: str) -> str:
    return zh if user_language() == "zh" else en


def both(en: str, zh: str) -> str:
    """A label showing both languages, for names that appear in the toolbox."""
    return f"{zh} {en}" if user_language() == "zh" else f"{en} {zh}"
