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
