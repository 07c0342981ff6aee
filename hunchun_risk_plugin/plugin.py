"""The plugin object QGIS loads: menu, toolbar and the Processing provider."""
from __future__ import annotations

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMessageBox

from .core.errors import HunchunRiskError
from .i18n import tr, user_language
from .mapping.sample_project import load_sample_data
from .paths import PLUGIN_DIR
from .processing_provider.provider import HunchunRiskProvider

MENU_TITLE = "珲春风险制图 / Hunchun Risk"


class HunchunRiskPlugin:
    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider: HunchunRiskProvider | None = None
        self.actions: list[QAction] = []
        self.toolbar = None

    def initProcessing(self) -> None:
        # Registered here, not only in initGui, so that qgis_process sees the provider.
        if self.provider is None:
            provider = HunchunRiskProvider()
            # addProvider deletes the provider and returns False when one with the
            # same id is already registered (e.g. by a second copy of the plugin).
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider

    def initGui(self) -> None:
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(MENU_TITLE)
        self.toolbar.setObjectName("HunchunRiskToolbar")
        self._add_action(
            "icon.svg",
            tr("Load sample data", "加载示例数据"),
            self.load_sample_data,
            tr("Add the synthetic Hunchun sample layers, styled, to the project",
               "将珲春合成示例数据（已配样式）加入当前项目"),
        )
        self._add_action(
            "resources/print_maps.svg",
            tr("Export printed maps…", "批量输出专题地图…"),
            self.export_maps,
            tr("Risk, zoning, evacuation and coverage maps for the city (1:250000) and townships (1:50000)",
               "输出全市 1:25万和各乡镇 1:5万风险图、防治区划图、疏散路线图和储备覆盖图"),
        )

    def _add_action(self, icon: str, text: str, callback, tip: str) -> QAction:
        action = QAction(QIcon(str(PLUGIN_DIR / icon)), text, self.iface.mainWindow())
        action.setObjectName(f"hunchunrisk_{len(self.actions)}")
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(callback)
        self.iface.addPluginToMenu(MENU_TITLE, action)
        self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def load_sample_data(self) -> None:
        try:
            load_sample_data(QgsProject.instance(), user_language())
        except HunchunRiskError as error:
            QMessageBox.warning(self.iface.mainWindow(), MENU_TITLE, error.message(user_language()))
            return
        canvas = self.iface.mapCanvas()
        if canvas is not None:
            canvas.setExtent(canvas.fullExtent())
            canvas.refresh()

    def export_maps(self) -> None:
        """The batch export dialog, with the project's census layers already chosen."""
        from processing import execAlgorithmDialog

        execAlgorithmDialog("hunchunrisk:exportmaps", export_parameters_from(QgsProject.instance()))

    def unload(self) -> None:
        for action in self.actions:
            self.iface.removePluginMenu(MENU_TITLE, action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            # Detach now: deleteLater alone keeps the action a child of the main
            # window until the event loop runs.
            action.setParent(None)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None


def export_parameters_from(project: QgsProject) -> dict:
    """Layer parameters of ``hunchunrisk:exportmaps`` for the project's layers whose short
    name is a schema layer name (the sample data's are)."""
    from .core.schema import census_inputs

    by_name = {item.name: item.parameter for item in census_inputs()}
    return {by_name[layer.shortName()]: layer.id() for layer in project.mapLayers().values()
            if layer.shortName() in by_name}
