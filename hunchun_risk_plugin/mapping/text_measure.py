"""How wide and tall a text is in a layout: lines broken at a width (at spaces, and
between Chinese characters), a label's font, the height of its lines. Shared by the
legend's and the notes' fitting and by the layout check that measures them."""
from __future__ import annotations

from qgis.core import QgsLayoutItemLabel, QgsLayoutUtils
from qgis.PyQt.QtGui import QFont

SLACK_MM = 0.8  # Qt's line breaking and QGIS's measure differ by a hair


def wrapped(text: str, font: QFont, width_mm: float) -> str:
    """``text`` broken into lines no wider than ``width_mm``: at spaces, and between
    Chinese characters when a run of them is longer than the line. Where it is not
    broken the text stays as it was (its spaces, and no space where it had none)."""
    lines: list[str] = []
    line = ""
    for gap, word in _words(text):
        candidate = line + gap + word if line else word
        if QgsLayoutUtils.textWidthMM(font, candidate) <= width_mm or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return "\n".join(lines)


def _words(text: str) -> list[tuple[str, str]]:
    """The places a line may break: (what stood before, word) for each space-separated
    word, with runs of Chinese characters split into single characters."""
    words: list[tuple[str, str]] = []
    for chunk in text.split():
        gap, run = " ", ""
        for char in chunk:
            if _cjk(char):
                if run:
                    words.append((gap, run))
                    gap, run = "", ""
                words.append((gap, char))
                gap = ""
            else:
                run += char
        if run:
            words.append((gap, run))
    return _glue_punctuation(words)


OPENING, CLOSING = "（(《“", "）)，、。：；%》”"


def _glue_punctuation(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep closing punctuation on the line of the word before it, and opening
    punctuation on the line of the word after it."""
    glued: list[tuple[str, str]] = []
    for gap, word in words:
        if glued and not gap and (word[0] in CLOSING or glued[-1][1][-1] in OPENING):
            glued[-1] = (glued[-1][0], glued[-1][1] + word)
        else:
            glued.append((gap, word))
    return glued


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def wrapped_lines(text: str, font: QFont, width_mm: float) -> str:
    """Each line of ``text`` broken to ``width_mm`` (its own line breaks kept)."""
    return "\n".join(wrapped(line, font, width_mm) if line.strip() else "" for line in text.split("\n"))


def font_of(holder) -> QFont:
    """The font at its point size of a label or legend style: a text format where QGIS
    has one (labels 3.24, legend styles 3.30 and later), else its font."""
    if hasattr(holder, "textFormat"):
        fmt = holder.textFormat()
        font = QFont(fmt.font())
        font.setPointSizeF(fmt.size())
        return font
    return QFont(holder.font())


def set_font_size(holder, size_pt: float) -> None:
    """Give a label or legend style its type at ``size_pt`` points (its text format's
    size where it has one, else its font's)."""
    if hasattr(holder, "setTextFormat"):
        fmt = holder.textFormat()
        fmt.setSize(size_pt)
        holder.setTextFormat(fmt)
    else:
        font = QFont(holder.font())
        font.setPointSizeF(size_pt)
        holder.setFont(font)


def label_line_width_mm(label: QgsLayoutItemLabel, slack: float = SLACK_MM) -> float:
    """The width a line of the label may take (less ``slack``)."""
    return label.rect().width() - 2 * label.marginX() - slack


def label_text_height_mm(label: QgsLayoutItemLabel, lines: str, slack: float = SLACK_MM) -> float:
    """The height ``lines`` take in the label, with its margins (and ``slack``)."""
    return QgsLayoutUtils.textHeightMM(font_of(label), lines) + 2 * label.marginY() + slack
