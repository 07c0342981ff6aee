"""A legend that fits its frame: long labels wrapped to the column width, each layer's
items kept in one column, and, when the items are still too tall, more columns or a
slightly smaller type (down to ``MIN_TYPE_SCALE``), never text cut at the frame.

The legend gets its own copy of the project's layer tree for every page (the same
project serves pages on several papers, whose columns differ, and pages showing
different symbols), and the wrapped labels are stored as its nodes' user labels, so the
legend renderer draws them as measured.

What the legend lists is settled before it is fitted: QGIS's filter by map runs only
when the item is painted, so a fit measured before that saw the previous page's
filtered items (or, on the first page, every item), and the page then drew a
different set, re-balanced into other columns and cut at the frame. Here the filter
runs now, on this page's map (and sheet outline), the tree keeps just what it found,
and the item's own filter is switched off: what is measured is what is drawn."""
from __future__ import annotations

from qgis.core import (
    QgsGeometry,
    QgsLayerTreeModel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLegendStyle,
    QgsMapLayerLegendUtils,
)
from qgis.PyQt.QtCore import QSizeF, Qt
from qgis.PyQt.QtGui import QFont

from .layout_check import legend_content_size
from .legend_hits import judged_here, shown_items
from .text_measure import font_of, set_font_size, wrapped, wrapped_lines

STYLES = (QgsLegendStyle.Style.Title, QgsLegendStyle.Style.Group, QgsLegendStyle.Style.Subgroup,
          QgsLegendStyle.Style.SymbolLabel)
TYPE_SCALES = (1.0, 0.92, 0.85)
MIN_TYPE_SCALE = TYPE_SCALES[-1]
# a legend alone in its column (a portrait band) may grow its type into the room no
# other item can use: the band of an A1 city page was half empty under 10 pt labels
GROWN_TYPE_SCALES = (1.3, 1.15)
MAX_COLUMNS = 4
MIN_COLUMN_MM = 28.0  # narrower columns would break every label into words
_BASE = "hr_legend_base"  # the template's columns and font sizes, kept on the item


def fit_legend(legend: QgsLayoutItemLegend, alone: bool = False) -> None:
    """Wrap, re-column and (if need be) shrink the legend's type until its items fit: at
    the largest type that fits, the column count that makes the legend shortest (the
    room it leaves goes to the table below it). A legend ``alone`` in its column has
    no one to give room to: its type may grow (``GROWN_TYPE_SCALES``) and it takes the
    fewest columns that fit, so fewer labels are broken."""
    base = _base(legend)
    legend.setSplitLayer(False)  # a layer's items stay together in one column
    scales = (*GROWN_TYPE_SCALES, *TYPE_SCALES) if alone else TYPE_SCALES
    for scale in scales:
        _set_type(legend, base, scale)
        fitting, narrow = [], []
        for count in range(base["columns"], MAX_COLUMNS + 1):
            if _column_width_for(legend, count) < MIN_COLUMN_MM * max(1.0, scale):
                break
            legend.setColumnCount(count)
            wrap_labels(legend)
            need = legend_content_size(legend)
            if need.width() <= legend.rect().width():
                narrow.append((need.height(), count))
                if need.height() <= legend.rect().height():
                    fitting.append((need.height(), count))
                    if alone:
                        break  # the fewest columns that fit
        if fitting or scale == MIN_TYPE_SCALE and narrow:
            # nothing fits: the shortest at the smallest type (a caller may give it more room)
            legend.setColumnCount(min(fitting or narrow)[1])
            wrap_labels(legend)
            return


def own_layer_tree(legend: QgsLayoutItemLegend) -> None:
    """Give the legend a fresh copy of the project's layer tree (the previous page's
    copy lost the layers that page did not show)."""
    legend.model().setLegendFilterByMap(None)  # the previous page's filter, if any
    legend.setAutoUpdateModel(True)   # drop a tree the template may carry (another project's layers)
    legend.setAutoUpdateModel(False)  # … and clone this project's


_FILTER = "hr_filter_by_map"  # the template's "only show items inside linked map", kept on the item


def keep_what_the_map_shows(legend: QgsLayoutItemLegend, main: QgsLayoutItemMap,
                            outline: QgsGeometry | None = None) -> None:
    """If the template filters the legend by its map, do it now for this page: the
    symbols drawn inside the map's extent (and ``outline``, a sheet page's shape, in
    map coordinates) stay, other items and layers without any go, and the item's own
    filter is switched off so that the page is drawn with exactly these items."""
    if legend.customProperty(_FILTER) is None:
        legend.setCustomProperty(_FILTER, int(legend.legendFilterByMapEnabled()))
    if not int(legend.customProperty(_FILTER)):
        return
    legend.setLegendFilterByMapEnabled(False)
    model = legend.model()
    _hit_test_now(model)
    settings = _hit_test_settings(legend, main)
    nodes = model.rootGroup().findLayers()
    ours = {node.layerId() for node in nodes if judged_here(node)}  # the layers of many features
    answers = {node.layerId(): shown_items(node.layer(), settings, outline) for node in nodes if node.layerId() in ours}
    settings.setLayers([layer for layer in settings.layers() if layer.id() not in ours])
    model.setLegendFilter(settings, True, outline or QgsGeometry(), True)
    kept = [_order_of(node, answers[node.layerId()]) if node.layerId() in ours else _kept_order(model, node)
            for node in nodes]
    model.setLegendFilterByMap(None)  # from here on the tree itself holds the filter's answer
    for node, order in zip(nodes, kept):
        if order is None:
            continue
        if order:
            QgsMapLayerLegendUtils.setLegendNodeOrder(node, order)
            model.refreshLayerLegend(node)
        else:
            node.parent().removeChildNode(node)


def _hit_test_now(model) -> None:
    """The model's filter answers before the call returns: QGIS 3.32 and later run the
    hit test in a background task by default, and a legend read right after saw every
    item unfiltered (the 3.40 A4 legends listed all seven hazard kinds and were too
    tall for their frame)."""
    threaded = getattr(QgsLayerTreeModel, "UseThreadedHitTest", None)  # QGIS >= 3.32
    if threaded is not None:
        model.setFlag(threaded, False)


def _hit_test_settings(legend: QgsLayoutItemLegend, main: QgsLayoutItemMap):
    """The map settings QGIS's own legend filter uses (QgsLayoutItemLegend's
    doUpdateFilterByMap): the map's requested extent at the layout's resolution."""
    dpi = legend.layout().renderContext().dpi()
    extent = main.requestedExtent()
    size = QSizeF(extent.width(), extent.height()) * (main.mapUnitsToLayoutUnits() * dpi / 25.4)
    return main.mapSettings(extent, size, dpi, True)


def _kept_order(model, node) -> list[int] | None:
    """The renderer indices of ``node``'s items the filter kept; None when it filtered
    none out (a raster's ramp, a layer the filter does not judge)."""
    original, shown = model.layerOriginalLegendNodes(node), model.layerLegendNodes(node)
    if len(shown) == len(original):
        return None
    shown_ids = {id(n) for n in shown}  # both lists alive: one Python wrapper per QGIS node
    return [index for index, legend_node in zip(_node_order(node, len(original)), original)
            if id(legend_node) in shown_ids]


def _order_of(node, shown: set[int]) -> list[int] | None:
    """``_kept_order`` for a layer judged in legend_hits: its items in legend order that
    the map shows (None: all of them)."""
    order = _node_order(node, len(node.layer().renderer().legendSymbolItems()))
    kept = [index for index in order if index in shown]
    return None if len(kept) == len(order) else kept


def _node_order(node, count: int) -> list[int]:
    """The renderer's item indices in the order the legend shows them (user labels and
    the node order are keyed by them)."""
    if QgsMapLayerLegendUtils.hasLegendNodeOrder(node):
        return QgsMapLayerLegendUtils.legendNodeOrder(node)
    return list(range(count))


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
        order = _node_order(node, len(nodes))
        # every label read before any is set: QGIS 3.40 rebuilds (deletes) the layer's
        # legend nodes as soon as one user label changes
        shown = [(index, _label(legend_node)) for index, legend_node in zip(order, nodes)]
        for index, label in shown:
            original = _original_label(node, index, label)
            text = wrapped_lines(original, label_font, item_width)  # its own line breaks kept
            if text != label:
                QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, text)
        model.refreshLayerLegend(node)


def _label(legend_node) -> str:
    """The label the legend shows (a user label, once wrapped, is what EditRole gives)."""
    return str(legend_node.data(Qt.ItemDataRole.EditRole) or legend_node.data(Qt.ItemDataRole.DisplayRole) or "")


_ORIGINAL = "hr_legend/original-{}"  # the label before the first wrap, by renderer index


def _original_label(node, index: int, shown: str) -> str:
    """The label as the layer gave it, kept on the node the first time: each fit wraps
    that again (re-wrapping a wrapped label put spaces where its breaks had been,
    inside Chinese words: "封 闭")."""
    key = _ORIGINAL.format(index)
    if node.customProperty(key) is None:
        node.setCustomProperty(key, shown)
    return str(node.customProperty(key))


def _column_width(legend: QgsLayoutItemLegend) -> float:
    return _column_width_for(legend, max(1, legend.columnCount()))


def _column_width_for(legend: QgsLayoutItemLegend, count: int) -> float:
    inner = legend.rect().width() - 2 * legend.legendSettings().boxSpace()
    return (inner - (count - 1) * legend.columnSpace()) / count


def _style_font(legend: QgsLayoutItemLegend, style) -> QFont:
    return font_of(legend.style(style))


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
        rstyle = legend.style(style)
        set_font_size(rstyle, size * scale)
        legend.setStyle(style, rstyle)
