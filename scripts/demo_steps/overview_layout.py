"""The city overview map: every sample layer on one A3 sheet, exported to PDF."""
from __future__ import annotations

import math
from pathlib import Path

from qgis.core import (
    QgsLayoutItemMap,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import Qt

from hunchun_risk_plugin.mapping.layout_parts import (
    add_graticule,
    add_label,
    add_legend,
    add_north_arrow,
    add_numeric_scale,
    add_scale_bar,
    hide_rasters_and_group_titles,
    place,
    standard_notes,
)

A3_PORTRAIT = (297.0, 420.0)
MARGIN = 15.0
NICE_SCALES = (250_000, 300_000, 400_000, 500_000, 750_000, 1_000_000)


def fitting_scale(extent: QgsRectangle, width_mm: float, height_mm: float) -> int:
    """The smallest round scale at which ``extent`` fits the frame."""
    needed = max(extent.width() / (width_mm / 1000.0), extent.height() / (height_mm / 1000.0))
    for scale in NICE_SCALES:
        if scale >= needed:
            return scale
    return int(math.ceil(needed / 100_000) * 100_000)


def build_overview_layout(project: QgsProject, extent: QgsRectangle,
                          title: str = "珲春市概况图（示例数据）") -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("overview 概况图")
    page = layout.pageCollection().page(0)
    page.setPageSize("A3", page.Portrait)
    width, height = A3_PORTRAIT
    map_top, map_width, map_height = 32.0, width - 2 * MARGIN, 312.0
    map_item = QgsLayoutItemMap(layout)
    map_item.setCrs(project.crs())
    place(map_item, layout, MARGIN, map_top, map_width, map_height)
    map_item.setExtent(extent)
    map_item.setScale(fitting_scale(extent, map_width, map_height))
    map_item.setFrameEnabled(True)
    add_graticule(map_item, 0.25)
    add_label(layout, title, MARGIN, 10, map_width, 12, 20, True, Qt.AlignmentFlag.AlignHCenter)
    add_label(layout, "Hunchun City overview (synthetic sample data)", MARGIN, 21, map_width, 7, 10, False,
              Qt.AlignmentFlag.AlignHCenter)
    map_bottom = map_top + map_height
    legend = add_legend(layout, map_item, "图例 Legend", MARGIN, map_bottom + 3, columns=5)
    legend.setFrameEnabled(False)
    legend.setSymbolHeight(2.5)
    legend.setStyleFont(QgsLegendStyle.Style.SymbolLabel, legend.styleFont(QgsLegendStyle.Style.SymbolLabel))
    legend.rstyle(QgsLegendStyle.Style.Symbol).setMargin(QgsLegendStyle.Side.Top, 1.0)
    legend.rstyle(QgsLegendStyle.Style.Subgroup).setMargin(QgsLegendStyle.Side.Top, 1.5)
    hide_rasters_and_group_titles(legend)
    # The south-east corner of the frame is empty (Hunchun's tail runs south along
    # the Tumen): north arrow top-right, scale bottom-right, inside the frame.
    add_north_arrow(layout, width - MARGIN - 18, map_top + 5)
    add_numeric_scale(layout, map_item, width - MARGIN - 70, map_bottom - 22)
    add_scale_bar(layout, map_item, width - MARGIN - 70, map_bottom - 15, 10)
    add_label(layout, standard_notes("scripts/make_sample_data.py 生成的合成数据 / synthetic data"),
              MARGIN, height - MARGIN - 16, map_width, 16, 6)
    return layout


def export_pdf(layout: QgsPrintLayout, path: Path, dpi: int = 200) -> Path:
    """Export atomically, with the printed maps' PDF settings."""
    from hunchun_risk_plugin.mapping.page_exporter import ExportSettings, write_layout

    return write_layout(layout, path, ExportSettings("pdf", dpi))
