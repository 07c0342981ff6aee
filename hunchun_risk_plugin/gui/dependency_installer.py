"""The Install… dialog and the background task that runs pip (see ``installer.py``)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from .. import dependencies, installer
from ..i18n import tr, trf, user_language
from ..interpreter import python_interpreter

LOG_TAG = "Hunchun Risk"
TITLE = "珲春风险制图 / Hunchun Risk"


def log(line: str, level=Qgis.MessageLevel.Info) -> None:
    QgsMessageLog.logMessage(line, LOG_TAG, level)


class InstallTask(QgsTask):
    """pip into a staged copy of the private folder, swapped in when complete; cancel
    stops pip and deletes the copy."""

    def __init__(self, plan: installer.Plan, folder: Path, python: str, wheel_dir: Path | None,
                 on_done: Callable[[installer.InstallResult | None, installer.InstallError | None], None]) -> None:
        super().__init__(tr("Installing Python packages for Hunchun Risk", "正在安装珲春风险制图所需 Python 包"),
                         QgsTask.Flag.CanCancel)
        self.plan, self.folder, self.python, self.wheel_dir = plan, folder, python, wheel_dir
        self.on_done = on_done
        self.result: installer.InstallResult | None = None
        self.error: installer.InstallError | None = None

    def run(self) -> bool:
        try:
            self.result = installer.install(self.plan, self.folder, self.python, self.wheel_dir, log=log,
                                            is_canceled=self.isCanceled,
                                            report=lambda fraction: self.setProgress(100.0 * fraction))
        except installer.InstallError as error:
            self.error = error
            return False
        except Exception as error:  # noqa: BLE001 - reported in the log, never a crash of QGIS
            self.error = installer.InstallError(f"{type(error).__name__}: {error}", f"{type(error).__name__}：{error}")
            return False
        return True

    def finished(self, ok: bool) -> None:  # main thread
        if self.error is None and not ok:
            self.error = installer.InstallCancelled()
        self.on_done(self.result if ok else None, self.error)


class SourceDialog(QDialog):
    """From the internet (PyPI) or from a wheel folder (intranet)."""

    def __init__(self, parent, plan: installer.Plan, folder: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Install Python packages", "安装 Python 包"))
        layout = QVBoxLayout(self)
        tested = plan.constraints.name if plan.constraints else tr("none (untested environment)", "无（未测试环境）")
        layout.addWidget(QLabel(trf("To install: {packages}\nInto: {folder}\nTested set: {tested}",
                                    "将安装：{packages}\n安装到：{folder}\n测试版本集：{tested}",
                                    packages=" ".join(plan.specs), folder=folder, tested=tested)))
        self.pypi = QRadioButton(tr("From the internet (PyPI)", "从互联网（PyPI）安装"))
        self.wheels = QRadioButton(tr("From a wheel folder…", "从离线安装包文件夹安装…"))
        self.pypi.setChecked(True)
        layout.addWidget(self.pypi)
        layout.addWidget(self.wheels)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText(tr("folder made by make wheelhouse", "make wheelhouse 生成的文件夹"))
        browse = QPushButton(tr("Browse…", "浏览…"))
        browse.clicked.connect(self.browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Wheel folder", "安装包文件夹"), self.path.text())
        if chosen:
            self.path.setText(chosen)
            self.wheels.setChecked(True)

    def wheel_dir(self) -> Path | None:
        return Path(self.path.text()) if self.wheels.isChecked() and self.path.text().strip() else None


def start_install(iface, on_success: Callable[[bool], None]) -> InstallTask | None:
    """Ask where from, then run the install as a QgsTask; ``on_success(restart_needed)``."""
    parent = iface.mainWindow()
    folder = dependencies.private_dependency_dir()
    problems = dependencies.check()
    plan = installer.make_plan(problems, installer.constraints_for())
    if plan.blocked:
        QMessageBox.warning(parent, TITLE, dependencies.describe(plan.blocked, user_language()))
    if not plan.specs:
        if not problems:
            on_success(False)
        return None
    python = python_interpreter()
    if python is None:
        QMessageBox.warning(parent, TITLE, trf(
            "QGIS's Python interpreter was not found. Run in a terminal (OSGeo4W shell on Windows):\n"
            "python \"{script}\"",
            "找不到 QGIS 自带的 Python。请在终端（Windows 上为 OSGeo4W Shell）中运行：\n"
            "python \"{script}\"", script=dependencies.PLUGIN_DIR / "install_dependencies.py"))
        return None
    dialog = SourceDialog(parent, plan, folder)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    wheel_dir = dialog.wheel_dir()
    bar = iface.messageBar()

    def done(result, error) -> None:
        if error is not None:
            log(f"{error.message('en')}\n{error.message('zh')}", Qgis.MessageLevel.Critical)
            level = (Qgis.MessageLevel.Info if isinstance(error, installer.InstallCancelled)
                     else Qgis.MessageLevel.Critical)
            bar.pushMessage(TITLE, error.message(user_language()).splitlines()[0]
                            + tr(" (details in the log)", "（详见日志）"), level, 0)
            return
        log(trf("Installed: {packages}", "已安装：{packages}", packages=" ".join(result.installed)),
            Qgis.MessageLevel.Success)
        dependencies.activate(folder)
        on_success(result.restart_needed)

    task = InstallTask(plan, folder, python, wheel_dir, done)
    QgsApplication.taskManager().addTask(task)
    bar.pushMessage(TITLE, tr("Installing Python packages in the background (progress in the task bar, "
                              "pip output in the log)…", "正在后台安装 Python 包（进度见任务栏，pip 输出见日志）…"),
                    Qgis.MessageLevel.Info, 5)
    return task
