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

    def initProcessing(self) -> None:  # noqa: N802 (QGIS API)
        # Registered here, not only in initGui, so that qgis_process sees the provider.
        if self.provider is None:
            provider = HunchunRiskProvider()
            # addProvider deletes the provider and returns False when one with the
            # same id is already registered (e.g. by a second copy of the plugin).
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
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
