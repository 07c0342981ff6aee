"""Nothing lost on faults: a cancel at many points of each algorithm, and a disk that
fills while writing (RLIMIT_FSIZE in a subprocess), fail cleanly: no partial file, no
staging folder left, an older complete result in the same folder untouched."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap

import processing
import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback

from hunchun_risk_plugin.core.layer_uri import layer_uri
from sample_layers import sample_params


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


class CancelAt(QgsProcessingFeedback):
    """Cancels at the n-th progress report (never when n is 0; counts them)."""

    def __init__(self, n: int = 0):
        super().__init__()
        self.n, self.count = n, 0

    def setProgress(self, progress):  # noqa: N802 (Qt name)
        self.count += 1
        if self.n and self.count >= self.n:
            self.cancel()
        super().setProgress(progress)


def digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _runs(sample_gpkg):
    return {
        "riskzoning": sample_params(sample_gpkg, "", SCALE=1, TOWNSHIP="密江乡", CELL_SIZE=200),
        "evacuationroutes": {"ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": layer_uri(sample_gpkg, "settlements"),
                             "SHELTERS": layer_uri(sample_gpkg, "shelters")},
        "depotcoverage": {"ROADS": layer_uri(sample_gpkg, "roads"), "DEPOTS": layer_uri(sample_gpkg, "depots"),
                          "SETTLEMENTS": layer_uri(sample_gpkg, "settlements")},
    }


@pytest.mark.parametrize("algorithm", ["riskzoning", "evacuationroutes", "depotcoverage"])
def test_cancel_at_many_points_keeps_the_older_result(sample_gpkg, tmp_path, algorithm):
    out = tmp_path / "out"
    params = {**_runs(sample_gpkg)[algorithm], "OUTPUT_FOLDER": str(out)}
    counter = CancelAt()
    processing.run(f"hunchunrisk:{algorithm}", params, feedback=counter)  # the older, complete result
    older = digest(out)
    assert counter.count > 3 and older
    points = sorted({1, 2, counter.count // 4, counter.count // 2, (3 * counter.count) // 4, counter.count - 1})
    for n in points:
        with pytest.raises(QgsProcessingException) as error:
            processing.run(f"hunchunrisk:{algorithm}", params, feedback=CancelAt(n))
        assert "ancel" in str(error.value) or "取消" in str(error.value), (n, str(error.value))
        assert digest(out) == older, f"cancel at report {n} of {counter.count} changed the older result"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], n  # no staging folder left beside it


def test_a_disk_that_fills_while_writing_leaves_the_older_result(repo_root, sample_gpkg, tmp_path):
    """riskzoning in a subprocess whose files may not grow past 64 KiB: it fails, cleanly."""
    out = tmp_path / "out"
    params = {**_runs(sample_gpkg)["riskzoning"], "OUTPUT_FOLDER": str(out)}
    processing.run("hunchunrisk:riskzoning", params)
    older = digest(out)
    script = textwrap.dedent(f"""
        import os, resource, signal, sys
        sys.path[:0] = [{str(repo_root)!r}, {str(repo_root / 'tests')!r}]
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing us
        from qgis.core import QgsApplication
        app = QgsApplication([], False); app.initQgis()
        sys.path.append("/usr/share/qgis/python/plugins")
        from processing.core.Processing import Processing
        Processing.initialize()
        import processing
        from hunchun_risk_plugin.processing_provider.provider import HunchunRiskProvider
        provider = HunchunRiskProvider(); QgsApplication.processingRegistry().addProvider(provider)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
        try:
            processing.run("hunchunrisk:riskzoning", {params!r})
        except Exception as error:
            print("FAILED:", str(error)[:1500])
            sys.exit(3)
        sys.exit(0)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "could not be read or written" in result.stdout or "文件读写失败" in result.stdout, result.stdout[-2000:]
    assert digest(out) == older
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


class CancelAfter(QgsProcessingFeedback):
    """Cancels at the n-th progress report or log line (never when n is 0; counts them):
    the printed maps and the cards report mostly by log lines, page after page."""

    def __init__(self, n: int = 0):
        super().__init__()
        self.n, self.count = n, 0

    def _tick(self) -> None:
        self.count += 1
        if self.n and self.count >= self.n:
            self.cancel()

    def setProgress(self, progress):  # noqa: N802 (Qt name)
        self._tick()
        super().setProgress(progress)

    def pushInfo(self, info):  # noqa: N802
        self._tick()
        super().pushInfo(info)

    def pushDebugInfo(self, info):  # noqa: N802
        self._tick()
        super().pushDebugInfo(info)


def _cancel_everywhere(algorithm: str, params: dict, out) -> None:
    """Run once for the older result, then cancel at points spread over the run. Only
    a cancel after the files have moved into place (the closing message, Processing's
    own last report) may come too late; that run must then have left a whole result."""
    counter = CancelAfter()
    processing.run(f"hunchunrisk:{algorithm}", params, feedback=counter)
    older = digest(out)
    assert counter.count > 3 and older
    points = sorted({1, 2, counter.count // 4, counter.count // 2, (3 * counter.count) // 4,
                     counter.count - 2, counter.count - 1})
    for n in points:
        try:
            processing.run(f"hunchunrisk:{algorithm}", params, feedback=CancelAfter(n))
        except QgsProcessingException as error:
            assert "ancel" in str(error) or "取消" in str(error), (n, str(error))
            assert digest(out) == older, f"cancel at report {n} of {counter.count} changed the older result"
        else:
            assert n >= counter.count - 1, f"cancel at report {n} of {counter.count} was not honoured"
            assert set(digest(out)) == set(older)  # too late: the new result is whole
            older = digest(out)
        assert sorted(p.name for p in out.parent.iterdir()) == sorted(BESIDE), n  # no staging folder left
        assert not list(out.rglob(".hunchun-staging-*")), n


BESIDE = ["out", "risk"]  # what the fault tests of the maps and the ledger keep in tmp_path


@pytest.fixture
def township_risk(sample_gpkg, tmp_path) -> str:
    """risk_zoning.gpkg of a coarse 春化镇 run (a township of several 1:50000 sheets)."""
    result = processing.run("hunchunrisk:riskzoning", sample_params(sample_gpkg, tmp_path / "risk", SCALE=1,
                                                                    TOWNSHIP="春化镇", CELL_SIZE=500))
    return result["RISK_ZONES"].split("|")[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_at_many_points_of_the_maps_keeps_the_older_maps(sample_gpkg, township_risk, tmp_path, workers):
    out = tmp_path / "out"
    params = sample_params(sample_gpkg, out, RISK_TOWNSHIP=township_risk, KINDS=["risk"], SCALES=[1],
                           ONLY_TOWNSHIPS="春化镇", DPI=50, WORKERS=workers, MAP_DATE="2026-01-01")
    _cancel_everywhere("exportmaps", params, out)
    assert len([p for p in out.rglob("*.pdf")]) > 1  # several sheet pages: the cancels fell between pages


def test_cancel_at_many_points_of_the_ledger_keeps_the_older_ledger(sample_gpkg, tmp_path):
    out = tmp_path / "out"
    (tmp_path / "risk").mkdir()
    params = {**{name.upper(): layer_uri(sample_gpkg, name)
                 for name in ("hazard_sites", "settlements", "shelters", "roads", "townships")},
              "CARDS": True, "OUTPUT_FOLDER": str(out)}
    _cancel_everywhere("hazardledger", params, out)
    assert list((out / "cards").glob("*.pdf"))


def test_cancel_while_exportmaps_runs_the_missing_analyses_keeps_the_older_maps(sample_gpkg, tmp_path):
    """No risk result given: exportmaps runs riskzoning itself first (into
    OUTPUT_FOLDER/analysis). A cancel before that child has finished leaves everything as
    it was (a cancel pressed before the child starts must stop it too); a cancel after it
    leaves the older maps and the child's new result, which is whole (its own outputs
    are staged like every algorithm's)."""
    out = tmp_path / "out"
    (tmp_path / "risk").mkdir()
    params = sample_params(sample_gpkg, out, KINDS=["risk"], SCALES=[1], ONLY_TOWNSHIPS="密江乡", DPI=50,
                           WORKERS=1, MAP_DATE="2026-01-01")
    counter = CancelAfter()
    processing.run("hunchunrisk:exportmaps", params, feedback=counter)
    older = digest(out)
    analysis = {name for name in older if name.startswith("analysis/")}
    assert analysis and any(name.endswith(".pdf") for name in older)
    for n in (1, 2, counter.count // 8, counter.count // 3):
        with pytest.raises(QgsProcessingException) as error:
            processing.run("hunchunrisk:exportmaps", params, feedback=CancelAfter(n))
        assert "ancel" in str(error.value) or "取消" in str(error.value), (n, str(error.value))
        now = digest(out)
        assert {k: v for k, v in now.items() if k not in analysis} == \
            {k: v for k, v in older.items() if k not in analysis}, f"cancel at {n}: the maps changed"
        assert set(now) == set(older), f"cancel at {n}: analysis files came or went"
        if n <= 2:
            assert now == older, f"cancel at report {n}, before the analyses began, changed them"
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(BESIDE)
        assert not list(out.rglob(".hunchun-staging-*")), n
