"""Errors the engines raise, each worded in English and Chinese.

The Processing layer picks the user's language; the core never needs to know it.
"""
from __future__ import annotations


class HunchunRiskError(Exception):
    """Base error: carries an English and a Chinese message."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def message(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


class InputError(HunchunRiskError):
    """Bad input found before any work is done: names the layer, field or value."""


class Cancelled(HunchunRiskError):
    """The user cancelled; whatever was staged has been removed."""

    def __init__(self) -> None:
        super().__init__("Cancelled by the user.", "用户已取消。")
