"""exportmaps' progress only moves forward: one bar over the analyses it runs and the
pages it prints."""
from __future__ import annotations

import pytest


@pytest.mark.slow
def test_export_progress_only_moves_forward(hunchun_provider, qgis_processing, sample_gpkg, tmp_path):
    import processing
    from qgis.core import QgsProcessingFeedback
    from sample_layers import sample_params

    seen: list[float] = []
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(seen.append)
    params = sample_params(sample_gpkg, tmp_path, KINDS=["risk", "coverage"], SCALES=[1], ONLY_TOWNSHIPS="新安街道",
                           DPI=50)
    processing.run("hunchunrisk:exportmaps", params, feedback=feedback)
    assert (tmp_path / "analysis" / "risk_township").is_dir() and (tmp_path / "analysis" / "coverage").is_dir()
    assert len(seen) > 10 and max(seen) == pytest.approx(100)
    backwards = [(a, b) for a, b in zip(seen, seen[1:]) if b < a - 1e-9]
    assert backwards == []
