"""The plugin object QGIS loads: menu, toolbar and the Processing provider."""
from __future__ import annotations

import sys

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMessageBox, QPushButton

from . import dependencies
from .core.errors import HunchunRiskError
from .i18n import error_text, tr, user_language
from .paths import PLUGIN_DIR
from .processing_provider.provider import LOG_TAG, HunchunRiskProvider

MENU_TITLE = "珲春风险制图 / Hunchun Risk"
_told_console = False  # qgis_process loads the plugin once per command: say it once


class HunchunRiskPlugin:
    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider: HunchunRiskProvider | None = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.message = None  # the message bar item about missing packages
        self.install_task = None
        self.dock = None  # the 珲春风险制图面板, made when first opened
        self.translator = None

    def initProcessing(self) -> None:
        from .i18n import install_translator

        if self.translator is None:  # before any label is made
            self.translator = install_translator()
        # Registered here, not only in initGui, so that qgis_process sees the provider.
        if self.provider is None:
            provider = HunchunRiskProvider()
            # addProvider deletes the provider and returns False when one with the
            # same id is already registered (e.g. by a second copy of the plugin).
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider
                if not provider.ready:
                    self._report_missing()

    def _report_missing(self) -> None:
        """The log always; stderr once when there is no GUI (qgis_process)."""
        global _told_console
        en, zh = self.provider.messages()
        QgsMessageLog.logMessage(f"{en}\n{zh}", LOG_TAG, Qgis.MessageLevel.Warning)
        if self.iface is None and not _told_console:
            _told_console = True
            print(f"{en}\n{zh}", file=sys.stderr)

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
        self._add_action(
            "icon.svg",
            tr("Install Python packages…", "安装所需 Python 包…"),
            self.install_dependencies,
            tr("Install the Python packages the algorithms need into this QGIS profile",
               "将算法所需的 Python 包安装到当前 QGIS 配置文件夹"),
        )
        self.dock_action = self._add_action(
            "icon.svg",
            tr("Hunchun Risk panel", "珲春风险制图面板"),
            self.toggle_dock,
            tr("The whole workflow in one panel: inputs, risk zoning, evacuation, printed maps",
               "在一个面板中完成全部流程：输入、风险区划、疏散、专题地图"),
            name="hunchunrisk_dock_action",
        )
        self.dock_action.setCheckable(True)
        if self.provider is not None and not self.provider.ready:
            self.show_missing_message()

    def show_missing_message(self) -> None:
        """A message bar naming what is missing, with an Install… button."""
        bar = self.iface.messageBar()
        self.clear_message()
        problems = self.provider.problems
        text = (dependencies.headline(problems, user_language()) if problems
                else tr(*self.provider.messages()))
        item = bar.createMessage(MENU_TITLE, text)
        if not problems or any(p.installable for p in problems):
            button = QPushButton(tr("Install…", "安装…"), item)
            button.setObjectName("hunchunrisk_install_button")
            button.clicked.connect(self.install_dependencies)
            item.layout().addWidget(button)
        self.message = bar.pushWidget(item, Qgis.MessageLevel.Warning, 0)

    def clear_message(self) -> None:
        if self.message is not None:
            try:
                self.iface.messageBar().popWidget(self.message)
            except RuntimeError:  # already closed by the user
                pass
            self.message = None

    def install_dependencies(self) -> None:
        """The Install… dialog, then the pip run as a background task."""
        from .gui.dependency_installer import start_install

        self.install_task = start_install(self.iface, self.after_install)

    def after_install(self, restart_needed: bool) -> None:
        """Back on the main thread after a successful install: the real algorithms now,
        when nothing older is already imported; otherwise a restart."""
        self.install_task = None
        if self.provider is None:
            return
        self.provider.refreshAlgorithms()
        self.clear_message()
        if self.dock is not None:
            self.dock.refresh_ready()
        bar = self.iface.messageBar()
        if self.provider.ready and not restart_needed:
            bar.pushMessage(MENU_TITLE, tr("Python packages installed; the algorithms are ready.",
                                           "Python 包已安装，算法可以使用。"), Qgis.MessageLevel.Success, 10)
        else:
            QgsMessageLog.logMessage(self.provider.messages()[0], LOG_TAG, Qgis.MessageLevel.Warning)
            bar.pushMessage(MENU_TITLE, tr("Python packages installed: restart QGIS to use them.",
                                           "Python 包已安装，请重启 QGIS 后使用。"), Qgis.MessageLevel.Warning, 0)

    def _add_action(self, icon: str, text: str, callback, tip: str, name: str | None = None) -> QAction:
        action = QAction(QIcon(str(PLUGIN_DIR / icon)), text, self.iface.mainWindow())
        action.setObjectName(name or f"hunchunrisk_{len(self.actions)}")
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(callback)
        self.iface.addPluginToMenu(MENU_TITLE, action)
        self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def toggle_dock(self, checked: bool | None = None) -> None:
        """Show (making it the first time) or hide the panel."""
        from qgis.PyQt.QtCore import Qt

        from .gui.dock import HunchunRiskDock

        if self.dock is None:
            self.dock = HunchunRiskDock(self.iface, self._provider_ready, self._missing_text, self.install_dependencies,
                                        self.iface.mainWindow())
            self.dock.visibilityChanged.connect(self.dock_action.setChecked)
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        show = (not self.dock.isVisible()) if checked is None else bool(checked)
        self.dock.setVisible(show)
        if show:
            self.dock.raise_()

    def _provider_ready(self) -> bool:
        return self.provider is not None and self.provider.ready

    def _missing_text(self) -> str:
        if self.provider is None:
            return ""
        problems = self.provider.problems
        return dependencies.headline(problems, user_language()) if problems else tr(*self.provider.messages())

    def load_sample_data(self) -> None:
        from .mapping.sample_project import load_sample_data

        try:
            load_sample_data(QgsProject.instance(), user_language())
        except HunchunRiskError as error:
            QMessageBox.warning(self.iface.mainWindow(), MENU_TITLE, error_text(error))
            return
        canvas = self.iface.mapCanvas()
        if canvas is not None:
            canvas.setExtent(canvas.fullExtent())
            canvas.refresh()

    def export_maps(self) -> None:
        """The batch export dialog, with the project's census layers already chosen."""
        from processing import execAlgorithmDialog

        if self.provider is None or not self.provider.ready:
            execAlgorithmDialog("hunchunrisk:exportmaps", {})  # the placeholder says what is missing
            return
        execAlgorithmDialog("hunchunrisk:exportmaps", export_parameters_from(QgsProject.instance()))

    def unload(self) -> None:
        if self.install_task is not None:
            self.install_task.cancel()
            self.install_task = None
        self.clear_message()
        if self.dock is not None:
            self.dock.runner.cancel()
            self.dock.disconnect_project()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
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
        from .i18n import remove_translator

        remove_translator(self.translator)
        self.translator = None


def export_parameters_from(project: QgsProject) -> dict:
    """Layer parameters of ``hunchunrisk:exportmaps`` for the project's layers that are
    the schema's inputs (the one matcher of ``core/layer_matching.py``)."""
    from .core.schema import census_inputs
    from .processing_provider.project_layers import layer_defaults

    return layer_defaults({item.parameter: item.name for item in census_inputs()}, project)
