"""珲春风险制图面板 / Hunchun Risk panel: the whole workflow in one dock, in workflow
order (inputs and their check, risk zoning, evacuation and coverage, printed maps, Run
all). Widgets only: the choices become algorithm parameters in ``workflow.py`` and run
as tasks in ``task_runner.py``; settings are kept per project (QgsProject entries)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsMapLayerProxyModel,
    QgsProcessingUtils,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.schema import census_inputs
from ..i18n import error_text, pair, tr, trf, user_language
from ..paths import PLUGIN_DIR
from ..processing_provider.project_layers import (
    SETTINGS_SCOPE,
    matched_layers,
    remember_output_folder,
    results_beside_project,
)
from .task_runner import StepRunner
from .workflow import (
    CHECK,
    CITY,
    COVERAGE,
    EVACUATION,
    LEDGER,
    MAPS,
    RISK,
    RUN_ALL,
    SCALES,
    TOWNSHIP,
    DockChoices,
)

DOCK_OBJECT_NAME = "HunchunRiskDock"
TITLE = pair("Hunchun Risk panel", "珲春风险制图面板")
_FILTER = QgsMapLayerProxyModel.Filter
_GEOMETRY_FILTER = {"point": _FILTER.PointLayer, "line": _FILTER.LineLayer, "polygon": _FILTER.PolygonLayer,
                    None: _FILTER.RasterLayer}
_STEP_NAMES = {CHECK: pair("Checking the inputs", "正在检查输入"), RISK: pair("Risk zoning", "风险区划"),
               EVACUATION: pair("Evacuation routes to shelters", "应急疏散路线"),
               LEDGER: pair("Hazard-site ledger and cards", "隐患点台账与明白卡"),
               COVERAGE: pair("Depot coverage", "储备库覆盖"), MAPS: pair("Printed maps", "专题地图")}


def _entry(key: str, default: str = "") -> str:
    value, ok = QgsProject.instance().readEntry(SETTINGS_SCOPE, f"dock/{key}", default)
    return value if ok else default


def _write(key: str, value) -> None:
    QgsProject.instance().writeEntry(SETTINGS_SCOPE, f"dock/{key}", str(value))


def _narrow(combo: QComboBox) -> None:
    """A combo box that takes the dock's width, not its longest item's."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def _wrapping(check: QCheckBox, text: str) -> QWidget:
    """``check`` with ``text`` beside it that wraps in a narrow dock (a QCheckBox's own
    text never wraps); a click on the text toggles it too."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(text)
    label.setWordWrap(True)
    label.mousePressEvent = lambda _event: check.toggle()
    check.setAccessibleName(text)
    layout.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(label, 1)
    return row


def scenario_names() -> list[str]:
    """The scenarios shipped with the plugin (``scenarios/*.toml``): the folder is the list."""
    folder = PLUGIN_DIR / "scenarios"
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


class HunchunRiskDock(QgsDockWidget):
    def __init__(self, iface, ready: Callable[[], bool], missing_text: Callable[[], str],
                 install: Callable[[], None], parent=None) -> None:
        super().__init__(tr(*TITLE), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.iface = iface
        self.ready, self.missing_text, self.install = ready, missing_text, install
        self.runner = StepRunner(self, canvas=iface.mapCanvas())
        self.layer_boxes: dict[str, QgsMapLayerComboBox] = {}
        self._restoring = False
        self._build()
        self._wire()
        self.restore()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        body = QWidget()
        body.setObjectName("hunchunrisk_dock_body")
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self._missing_banner())
        column.addWidget(self._inputs_section())
        column.addWidget(self._risk_section())
        column.addWidget(self._evacuation_section())
        column.addWidget(self._maps_section())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QWidget()
        layout = QVBoxLayout(outer)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self._run_bar())
        self.setWidget(outer)

    def _section(self, title: str, name: str) -> tuple[QgsCollapsibleGroupBox, QFormLayout]:
        box = QgsCollapsibleGroupBox(title)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow dock puts the box under its label
        return box, form

    def _missing_banner(self) -> QWidget:
        self.banner = QWidget()
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(6, 6, 6, 6)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.install_button = QPushButton(tr("Install…", "安装…"))
        self.install_button.setObjectName("hunchunrisk_dock_install")
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.install_button)
        self.banner.setObjectName("hunchunrisk_dock_banner")
        self.banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.banner.setStyleSheet("#hunchunrisk_dock_banner { background: #fff4ce; border: 1px solid #e0c36a; "
                                  "border-radius: 3px; }")
        return self.banner

    def _inputs_section(self) -> QWidget:
        box, form = self._section(tr("1  Input data", "1  输入数据"), "hunchunrisk_dock_inputs")
        for item in census_inputs():
            combo = QgsMapLayerComboBox()
            combo.setObjectName(f"hunchunrisk_layer_{item.name}")
            combo.setFilters(_GEOMETRY_FILTER[item.geometry])
            combo.setAllowEmptyLayer(True)
            _narrow(combo)
            self.layer_boxes[item.name] = combo
            form.addRow(item.zh if user_language() == "zh" else item.en, combo)
        buttons = QHBoxLayout()
        self.find_button = QPushButton(tr("Find layers", "查找图层"))
        self.find_button.setToolTip(tr("Choose the project's layers that match the data schema",
                                       "按数据规范自动选择项目中的图层"))
        self.check_button = QPushButton(tr("Check inputs", "检查输入"))
        self.check_button.setObjectName("hunchunrisk_dock_check")
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.check_button)
        form.addRow(buttons)
        self.check_result = QLabel()
        self.check_result.setWordWrap(True)
        form.addRow(self.check_result)
        return box

    def _risk_section(self) -> QWidget:
        box, form = self._section(tr("2  Risk zoning", "2  风险区划"), "hunchunrisk_dock_risk")
        self.scale = QComboBox()
        _narrow(self.scale)
        self.scale.setObjectName("hunchunrisk_dock_scale")
        self.scale.addItem(tr("1:250000 city", "1:25万 全市"), CITY)
        self.scale.addItem(tr("1:50000 township", "1:5万 乡镇"), TOWNSHIP)
        form.addRow(tr("Scale", "比例尺"), self.scale)
        self.township = QComboBox()
        _narrow(self.township)
        self.township.setObjectName("hunchunrisk_dock_township")
        form.addRow(tr("Township", "乡镇"), self.township)
        self.model = QgsFileWidget()
        self.model.setObjectName("hunchunrisk_dock_model")
        self.model.setFilter(tr("Risk model (*.toml)", "风险模型 (*.toml)"))
        self.model.lineEdit().setPlaceholderText(tr("default Hunchun model", "珲春默认模型"))
        form.addRow(tr("Model", "模型"), self.model)
        self.weights = QLabel()
        self.weights.setObjectName("hunchunrisk_dock_weights")
        self.weights.setTextFormat(Qt.TextFormat.RichText)
        self.weights.setWordWrap(True)
        form.addRow(self.weights)
        self.risk_button = QPushButton(tr("Run risk zoning", "运行风险区划"))
        self.risk_button.setObjectName("hunchunrisk_dock_run_risk")
        form.addRow(self.risk_button)
        return box

    def _evacuation_section(self) -> QWidget:
        box, form = self._section(tr("3  Evacuation and coverage", "3  疏散与覆盖"), "hunchunrisk_dock_evacuation")
        self.scenario = QComboBox()
        _narrow(self.scenario)
        self.scenario.setObjectName("hunchunrisk_dock_scenario")
        self.scenario.addItem(tr("Everyone (no scenario)", "全部人口（不设情景）"), "")
        for name in scenario_names():
            self.scenario.addItem(name, name)
        form.addRow(tr("Scenario", "情景"), self.scenario)
        self.avoid_flood, self.avoid_risk = QCheckBox(), QCheckBox()
        form.addRow(QLabel(tr("Hazard avoidance", "避险")))
        form.addRow(_wrapping(self.avoid_flood, tr("Avoid the flood zones", "避开洪水淹没区")))
        form.addRow(_wrapping(self.avoid_risk, tr("Avoid high risk classes (from the risk zoning)",
                                                   "避开高风险等级区（取自风险区划）")))
        row = QHBoxLayout()
        self.evacuation_button = QPushButton(tr("Run evacuation", "运行疏散路线"))
        self.coverage_button = QPushButton(tr("Run depot coverage", "运行储备覆盖"))
        self.ledger_button = QPushButton(tr("Run hazard ledger and cards", "运行隐患点台账与明白卡"))
        self.ledger_button.setObjectName("hunchunrisk_dock_run_ledger")
        self.ledger_button.setToolTip(tr(
            "The hazard-site ledger (one row per site: threatened people, shelter, route) and one A5 card per site, "
            "for the sites the scenario triggers (without a hazard-site scenario: geological_rainstorm).",
            "隐患点风险台账（每个隐患点一行：威胁人数、避难场所、路线）及每个隐患点一张 A5 明白卡，"
            "按情景触发的隐患点（情景不含隐患点触发条件时用 geological_rainstorm）。"))
        row.addWidget(self.evacuation_button)
        row.addWidget(self.coverage_button)
        form.addRow(row)
        form.addRow(self.ledger_button)
        return box

    def _maps_section(self) -> QWidget:
        from ..core.map_specs import map_kinds

        box, form = self._section(tr("4  Printed maps", "4  专题地图"), "hunchunrisk_dock_maps")
        self.kind_boxes: list[QCheckBox] = []
        for index, kind in enumerate(map_kinds()):
            check = QCheckBox()
            check.setObjectName(f"hunchunrisk_dock_kind_{kind.key}")
            check.setProperty("kind_key", kind.key)
            check.setToolTip(f"{kind.zh} {kind.en}")
            self.kind_boxes.append(check)
            if not index:
                form.addRow(QLabel(tr("Maps", "地图类型")))
            form.addRow(_wrapping(check, kind.zh if user_language() == "zh" else kind.en))
        self.folder = QgsFileWidget()
        self.folder.setObjectName("hunchunrisk_dock_folder")
        self.folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        form.addRow(tr("Output folder", "输出文件夹"), self.folder)
        self.folder_note = QLabel()
        self.folder_note.setWordWrap(True)
        form.addRow(self.folder_note)
        self.maps_button = QPushButton(tr("Export maps", "输出地图"))
        form.addRow(self.maps_button)
        return box

    def _run_bar(self) -> QWidget:
        bar = QWidget()
        column = QVBoxLayout(bar)
        column.setContentsMargins(6, 4, 6, 6)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel(tr("Ready.", "就绪。"))
        self.status.setObjectName("hunchunrisk_dock_status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        self.run_all_button = QPushButton(tr("Run all", "全部运行"))
        self.run_all_button.setObjectName("hunchunrisk_dock_run_all")
        self.run_all_button.setDefault(True)
        font = self.run_all_button.font()
        font.setBold(True)
        self.run_all_button.setFont(font)
        self.cancel_button = QPushButton(tr("Cancel", "取消"))
        self.cancel_button.setObjectName("hunchunrisk_dock_cancel")
        self.cancel_button.setEnabled(False)
        row.addWidget(self.run_all_button, 1)
        row.addWidget(self.cancel_button)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addLayout(row)
        return bar

    # ------------------------------------------------------------------ wiring
    def _wire(self) -> None:
        self.install_button.clicked.connect(lambda: self.install())
        self.find_button.clicked.connect(self.find_layers)
        self.check_button.clicked.connect(lambda: self.run_steps([CHECK]))
        self.risk_button.clicked.connect(lambda: self.run_steps([RISK]))
        self.evacuation_button.clicked.connect(lambda: self.run_steps([EVACUATION]))
        self.ledger_button.clicked.connect(lambda: self.run_steps([LEDGER]))
        self.coverage_button.clicked.connect(lambda: self.run_steps([COVERAGE]))
        self.maps_button.clicked.connect(lambda: self.run_steps([MAPS]))
        self.run_all_button.clicked.connect(lambda: self.run_steps(list(RUN_ALL)))
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.scale.currentIndexChanged.connect(self._scale_changed)
        self.township.currentIndexChanged.connect(lambda: self._save("township", self.township.currentData() or ""))
        self.model.fileChanged.connect(self._model_changed)
        self.scenario.currentIndexChanged.connect(lambda: self._save("scenario", self.scenario.currentData() or ""))
        self.avoid_flood.toggled.connect(lambda on: self._save("avoid_flood", int(on)))
        self.avoid_risk.toggled.connect(lambda on: self._save("avoid_risk", int(on)))
        for check in self.kind_boxes:
            check.toggled.connect(lambda _: self._save("kinds", ",".join(self.choices().map_kinds)))
        self.folder.fileChanged.connect(self._folder_changed)
        for name, combo in self.layer_boxes.items():
            combo.layerChanged.connect(lambda layer, n=name: self._layer_changed(n, layer))
        self.runner.progress.connect(lambda value: self.progress.setValue(int(value)))
        self.runner.step_started.connect(self._step_started)
        self.runner.step_done.connect(self._step_done)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._finished)
        QgsProject.instance().readProject.connect(self.restore)

    def disconnect_project(self) -> None:
        try:
            QgsProject.instance().readProject.disconnect(self.restore)
        except TypeError:
            pass

    # ------------------------------------------------------------------ state
    def restore(self, *_args) -> None:
        """Every widget from this project's entries (matched layers where none is kept)."""
        self._restoring = True
        try:
            self.refresh_ready()
            found = matched_layers(QgsProject.instance())
            for name, combo in self.layer_boxes.items():
                kept = QgsProject.instance().mapLayer(_entry(f"layer/{name}"))
                combo.setLayer(kept or found.get(name))
            scale = _entry("scale", CITY)
            self.scale.setCurrentIndex(SCALES.index(scale) if scale in SCALES else 0)
            self._fill_townships()
            self._select_data(self.township, _entry("township"))
            self.model.setFilePath(_entry("model"))
            self._select_data(self.scenario, _entry("scenario"))
            self.avoid_flood.setChecked(_entry("avoid_flood", "1") == "1")
            self.avoid_risk.setChecked(_entry("avoid_risk", "1") == "1")
            every = ",".join(check.property("kind_key") for check in self.kind_boxes)
            kinds = {k for k in _entry("kinds", every).split(",") if k}
            for check in self.kind_boxes:
                check.setChecked(check.property("kind_key") in kinds)
            self.folder.setFilePath(_entry("output_folder") or results_beside_project(QgsProject.instance()) or "")
        finally:
            self._restoring = False
        self._scale_changed(save=False)
        self._model_changed(self.model.filePath(), save=False)
        self._folder_changed(self.folder.filePath(), save=False)

    def refresh_ready(self) -> None:
        ready = self.ready()
        self.banner.setVisible(not ready)
        self.banner_text.setText("" if ready else self.missing_text())
        for button in (self.check_button, self.risk_button, self.evacuation_button, self.ledger_button,
                       self.coverage_button, self.maps_button, self.run_all_button):
            button.setEnabled(ready and not self.runner.running)

    def _save(self, key: str, value) -> None:
        if not self._restoring:
            _write(key, value)

    @staticmethod
    def _select_data(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def choices(self) -> DockChoices:
        folder = self.folder.filePath().strip() or str(Path(QgsProcessingUtils.tempFolder()) / "hunchun_risk")
        return DockChoices(
            layers={name: box.currentLayer().id() for name, box in self.layer_boxes.items() if box.currentLayer()},
            scale=self.scale.currentData(), township=self.township.currentData() or "",
            model=self.model.filePath().strip(), scenario=self.scenario.currentData() or "",
            avoid_flood_zones=self.avoid_flood.isChecked(), avoid_high_risk=self.avoid_risk.isChecked(),
            map_kinds=tuple(c.property("kind_key") for c in self.kind_boxes if c.isChecked()),
            output_folder=folder)

    def find_layers(self) -> None:
        found = matched_layers(QgsProject.instance())
        for name, combo in self.layer_boxes.items():
            combo.setLayer(found.get(name))

    def _layer_changed(self, name: str, layer) -> None:
        self._save(f"layer/{name}", layer.id() if layer is not None else "")
        if name == "townships":
            self._fill_townships()

    def _fill_townships(self) -> None:
        keep = self.township.currentData()
        self.township.blockSignals(True)
        self.township.clear()
        self.township.addItem(tr("All townships, one after another", "全部乡镇（逐个）"), "")
        layer = self.layer_boxes["townships"].currentLayer()
        if layer is not None and layer.fields().indexOf("name") >= 0:
            names = sorted({str(f["name"]) for f in layer.getFeatures()})
            for name in names:
                self.township.addItem(name, name)
        self._select_data(self.township, keep or "")
        self.township.blockSignals(False)

    def _scale_changed(self, *_args, save: bool = True) -> None:
        self.township.setEnabled(self.scale.currentData() == TOWNSHIP)
        if save:
            self._save("scale", self.scale.currentData())

    def _model_changed(self, path: str, save: bool = True) -> None:
        """The weights and the AHP consistency ratio of the chosen model, live."""
        from ..core.errors import HunchunRiskError
        from .workflow import model_summary

        if save:
            self._save("model", path)
        try:
            rows, cr, name = model_summary(path, user_language())
        except HunchunRiskError as error:
            self.weights.setText(f"<span style='color:#b00020'>{error_text(error)}</span>")
            return
        except ImportError:  # numpy & co. missing: the banner says so
            self.weights.setText("")
            return
        top = max((w for _, w in rows), default=1.0) or 1.0
        bars = "".join(
            f"<tr><td>{label}</td><td align='right'>&nbsp;{weight:.2f}&nbsp;</td>"
            f"<td><span style='color:#c0392b'>{'█' * max(1, round(weight / top * 14))}</span></td></tr>"
            for label, weight in rows)
        if cr is None:
            verdict = tr("weights given directly (no AHP)", "直接给定权重（未用层次分析法）")
        elif cr < 0.10:
            verdict = trf("AHP consistency ratio CR = {cr:.3f} &lt; 0.10: consistent",
                          "层次分析法一致性比率 CR = {cr:.3f} &lt; 0.10，通过一致性检验", cr=cr)
        else:
            verdict = ("<span style='color:#b00020'>"
                       + trf("AHP consistency ratio CR = {cr:.3f} ≥ 0.10: revise the matrix",
                             "层次分析法一致性比率 CR = {cr:.3f} ≥ 0.10，请修改判断矩阵", cr=cr) + "</span>")
        self.weights.setText(f"<b>{name}</b><table cellspacing='1'>{bars}</table><small>{verdict}</small>")

    def _folder_changed(self, path: str, save: bool = True) -> None:
        path = (path or "").strip()
        if save and path:
            self._save("output_folder", path)
            remember_output_folder(QgsProject.instance(), "dock", path)
        if not path:
            self.folder_note.setText("<span style='color:#9a6700'>" + tr(
                "No folder chosen: results go to a temporary folder that QGIS deletes when it closes.",
                "未选择文件夹：结果将写入临时文件夹，QGIS 关闭时会被删除。") + "</span>")
        else:
            self.folder_note.setText("")

    # ------------------------------------------------------------------ running
    def run_steps(self, keys: list[str]) -> None:
        if self.runner.running or not self.ready():
            return
        choices = self.choices()
        if not self.folder.filePath().strip() and keys != [CHECK]:
            self.iface.messageBar().pushMessage(
                tr(*TITLE),
                trf("Results go to a temporary folder, deleted when QGIS closes: {folder}",
                    "结果写入临时文件夹，QGIS 关闭时将被删除：{folder}", folder=choices.output_folder),
                Qgis.MessageLevel.Warning, 8)
        self.progress.setValue(0)
        self._set_running(True)
        self.runner.run(keys, choices)

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        for button in (self.check_button, self.risk_button, self.evacuation_button, self.ledger_button,
                       self.coverage_button, self.maps_button, self.run_all_button, self.find_button):
            button.setEnabled(not running and self.ready())

    def _step_started(self, key: str) -> None:
        self.status.setText(trf("{step}…", "{step}…", step=tr(*_STEP_NAMES[key])))

    def _step_done(self, key: str, results: dict, added: list) -> None:
        if key == CHECK:
            text = results.get("SUMMARY", "")
            errors = int(results.get("ERRORS", 0) or 0)
            colour = "#b00020" if errors else "#1e7e34"
            self.check_result.setText(f"<span style='color:{colour}'>{text}</span>")
            if errors:
                self.iface.messageBar().pushMessage(tr(*TITLE), trf(
                    "{summary} See the log (Processing) for each layer and field.",
                    "{summary} 各图层和字段的问题见日志（Processing）。", summary=text), Qgis.MessageLevel.Warning, 10)
        if added:
            self.zoom_to(added)

    def zoom_to(self, layer_ids: list[str]) -> None:
        canvas = self.iface.mapCanvas()
        if canvas is None:
            return
        project = QgsProject.instance()
        target = canvas.mapSettings().destinationCrs()
        extent = QgsRectangle()
        for layer_id in layer_ids:
            layer = project.mapLayer(layer_id)
            if layer is None or layer.extent().isEmpty():
                continue
            box = layer.extent()
            if target.isValid() and layer.crs().isValid() and layer.crs() != target:
                box = QgsCoordinateTransform(layer.crs(), target, project).transformBoundingBox(box)
            if extent.isNull():
                extent = QgsRectangle(box)
            else:
                extent.combineExtentWith(box)
        if not extent.isNull() and not extent.isEmpty():
            canvas.setExtent(extent.buffered(max(extent.width(), extent.height()) * 0.03))
            canvas.refresh()

    def _failed(self, key: str, message: str) -> None:
        if self.runner.canceled:
            return
        text = message.strip() or tr("The step failed; see the log.", "该步骤失败，详见日志。")
        self.iface.messageBar().pushMessage(trf("{step} failed", "{step}失败", step=tr(*_STEP_NAMES[key])), text,
                                            Qgis.MessageLevel.Critical, 0)
        self.status.setText(text.splitlines()[0])

    def _finished(self, ok: bool) -> None:
        self._set_running(False)
        if ok:
            self.progress.setValue(100)
            self.status.setText(tr("Done.", "完成。"))
        elif self.runner.canceled:
            self.progress.setValue(0)
            self.status.setText(tr("Cancelled: nothing was written.", "已取消，未写入任何结果。"))
