"""A legend that fits its frame: long labels wrapped to the column width, each layer's
items kept in one column, and, when the items are still too tall, more columns or a
slightly smaller type (down to ``MIN_TYPE_SCALE``), never text cut at the frame.

The legend gets its own copy of the project's layer tree (the same project serves
pages on several papers, whose columns differ), and the wrapped labels are stored as
its nodes' user labels, so the legend renderer draws them as measured."""
from __future__ import annotations

from qgis.core import (
    QgsLayoutItemLegend,
    QgsLayoutUtils,
    QgsLegendStyle,
    QgsMapLayerLegendUtils,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont

from .layout_check import legend_content_size

STYLES = (QgsLegendStyle.Style.Title, QgsLegendStyle.Style.Group, QgsLegendStyle.Style.Subgroup,
          QgsLegendStyle.Style.SymbolLabel)
TYPE_SCALES = (1.0, 0.92, 0.85)
MIN_TYPE_SCALE = TYPE_SCALES[-1]
MAX_COLUMNS = 4
MIN_COLUMN_MM = 28.0  # narrower columns would break every label into words
_BASE = "hr_legend_base"  # the template's columns and font sizes, kept on the item


def fit_legend(legend: QgsLayoutItemLegend) -> None:
    """Wrap, re-column and (if need be) shrink the legend's type until its items fit: at
    the largest type that fits, the column count that makes the legend shortest (the
    room it leaves goes to the table below it)."""
    base = _base(legend)
    legend.setSplitLayer(False)  # a layer's items stay together in one column
    for scale in TYPE_SCALES:
        _set_type(legend, base, scale)
        fitting = []
        for count in range(base["columns"], MAX_COLUMNS + 1):
            if _column_width_for(legend, count) < MIN_COLUMN_MM:
                break
            legend.setColumnCount(count)
            wrap_labels(legend)
            need = legend_content_size(legend)
            if need.height() <= legend.rect().height() and need.width() <= legend.rect().width():
                fitting.append((need.height(), count))
        if fitting:
            legend.setColumnCount(min(fitting)[1])
            wrap_labels(legend)
            return


def own_layer_tree(legend: QgsLayoutItemLegend) -> None:
    """Give the legend its own copy of the project's layer tree, once per layout."""
    if legend.customProperty("hr_own_tree"):
        return
    legend.setAutoUpdateModel(True)   # drop a tree the template may carry (another project's layers)
    legend.setAutoUpdateModel(False)  # … and clone this project's
    legend.setCustomProperty("hr_own_tree", True)


def wrap_labels(legend: QgsLayoutItemLegend) -> None:
    """Break every item label and layer title that is wider than its column."""
    model = legend.model()
    column = _column_width(legend)
    label_font = _style_font(legend, QgsLegendStyle.Style.SymbolLabel)
    title_font = _style_font(legend, QgsLegendStyle.Style.Subgroup)
    settings = legend.legendSettings()
    label_gap = legend.style(QgsLegendStyle.Style.SymbolLabel).margin(QgsLegendStyle.Side.Left)
    item_width = column - settings.symbolSize().width() - label_gap
    for node in model.rootGroup().findLayers():
        title = node.layer().name() if node.layer() is not None else node.name()
        node.setCustomProperty("legend/title-label", wrapped(title, title_font, column))
        nodes = model.layerOriginalLegendNodes(node)
        # user labels are keyed by the renderer's own item index, which a node order hides
        order = (QgsMapLayerLegendUtils.legendNodeOrder(node) if QgsMapLayerLegendUtils.hasLegendNodeOrder(node)
                 else list(range(len(nodes))))
        for index, legend_node in zip(order, nodes):
            original = legend_node.data(Qt.ItemDataRole.EditRole) or legend_node.data(Qt.ItemDataRole.DisplayRole) or ""
            text = wrapped(str(original).replace("\n", " "), label_font, item_width)
            if text != original:
                QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, text)
        model.refreshLayerLegend(node)


def wrapped(text: str, font: QFont, width_mm: float) -> str:
    """``text`` broken into lines no wider than ``width_mm``: at spaces, and between
    Chinese characters when a run of them is longer than the line."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        if not line:
            candidate = word
        elif _cjk(line[-1]) and _cjk(word[0]):
            candidate = line + word
        else:
            candidate = f"{line} {word}"
        if QgsLayoutUtils.textWidthMM(font, candidate) <= width_mm or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return "\n".join(lines)


def _words(text: str) -> list[str]:
    """Space-separated words, with runs of Chinese characters split into single
    characters (a line may break between any two of them)."""
    words = []
    for word in text.split():
        run = ""
        for char in word:
            if _cjk(char):
                if run:
                    words.append(run)
                    run = ""
                words.append(char)
            else:
                run += char
        if run:
            words.append(run)
    return _glue_punctuation(words)


def _glue_punctuation(words: list[str]) -> list[str]:
    """Keep closing punctuation on the line of the word before it."""
    glued: list[str] = []
    for word in words:
        if glued and word[0] in "）)，、。：；%":
            glued[-1] += word
        else:
            glued.append(word)
    return glued


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _column_width(legend: QgsLayoutItemLegend) -> float:
    return _column_width_for(legend, max(1, legend.columnCount()))


def _column_width_for(legend: QgsLayoutItemLegend, count: int) -> float:
    inner = legend.rect().width() - 2 * legend.legendSettings().boxSpace()
    return (inner - (count - 1) * legend.columnSpace()) / count


def _style_font(legend: QgsLayoutItemLegend, style) -> QFont:
    rstyle = legend.style(style)
    if hasattr(rstyle, "textFormat"):  # QGIS >= 3.30: the style holds a text format
        fmt = rstyle.textFormat()
        font = QFont(fmt.font())
        font.setPointSizeF(fmt.size())
        return font
    return QFont(rstyle.font())


def _base(legend: QgsLayoutItemLegend) -> dict:
    """The template's column count and font sizes, read once and kept on the item (the
    layout serves page after page)."""
    stored = legend.customProperty(_BASE)
    if stored:
        columns, *sizes = (float(v) for v in str(stored).split(","))
        return {"columns": int(columns), "sizes": sizes}
    sizes = [_style_font(legend, style).pointSizeF() for style in STYLES]
    legend.setCustomProperty(_BASE, ",".join(str(v) for v in [legend.columnCount(), *sizes]))
    return {"columns": legend.columnCount(), "sizes": sizes}


def _set_type(legend: QgsLayoutItemLegend, base: dict, scale: float) -> None:
    for style, size in zip(STYLES, base["sizes"]):
        font = _style_font(legend, style)
        font.setPointSizeF(size * scale)
        rstyle = legend.style(style)
        if hasattr(rstyle, "textFormat"):
            fmt = rstyle.textFormat()
            fmt.setFont(font)
            fmt.setSize(size * scale)
            rstyle.setTextFormat(fmt)
        else:
            rstyle.setFont(font)
        legend.setStyle(style, rstyle)
