"""`make demo`: the main job on the sample data, results in output/.

Builds the styled sample project (output/hunchun_sample.qgz) and the city overview
map (output/overview.pdf); the risk-zoning and evacuation steps add their outputs, and
the printed maps (every kind, city and townships) go to output/maps.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from qgis.core import QgsProject, QgsReferencedRectangle  # noqa: E402


def quiet_third_party_warnings() -> None:
    """The demo prints progress, not other projects' deprecation notices: rasterio 1.4
    still multiplies Affine matrices with `*`, which affine 3 flags on every window."""
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="rasterio")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="(rasterio|pyogrio|geopandas|osgeo)")


def build_sample_project(output: Path) -> Path:
    from demo_steps.overview_layout import build_overview_layout, export_pdf
    from hunchun_risk_plugin.mapping.sample_project import load_sample_data

    project = QgsProject.instance()
    project.clear()
    project.setTitle("珲春市自然灾害风险制图（示例数据） Hunchun Risk sample project")
    group = load_sample_data(project, "zh")
    townships = [layer for layer in project.mapLayers().values() if layer.shortName() == "townships"][0]
    extent = townships.extent()
    extent.grow(400)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, project.crs()))
    layout = build_overview_layout(project, extent)
    project.layoutManager().addLayout(layout)
    export_pdf(layout, output / "overview.pdf")
    project_path = output / "hunchun_sample.qgz"
    if not project.write(str(project_path)):
        raise RuntimeError(f"could not write {project_path}")
    print(f"demo: {len(group.findLayerIds())} layers -> {project_path}")
    print(f"demo: overview map -> {output / 'overview.pdf'}")
    return project_path


def run_analyses(output: Path) -> None:
    """The analysis steps of the demo; each writes styled files into ``output``."""
    from demo_steps.maps import run_maps_demo
    from demo_steps.risk import run_risk_demo
    from demo_steps.routing import run_ledger_demo, run_routing_demo, run_scenario_demo

    started = time.time()
    risk = run_risk_demo(output / "risk")
    risk_class = risk["city"]["RISK_CLASS"]
    print(f"demo: risk zoning, both scales -> {output / 'risk'} ({time.time() - started:.0f} s)")
    started = time.time()
    routing = run_routing_demo(output / "evacuation", risk_class)
    print(f"demo: evacuation and depot coverage -> {output / 'evacuation'} ({time.time() - started:.0f} s)")
    started = time.time()
    plans = run_scenario_demo(output / "evacuation")
    for name, f in plans.items():
        print(f"demo:   scenario {name}: evacuees {f['evacuees']:,}, placed {f['placed']:,}, not "
              f"placed {f['not_placed']:,}, shortfall {f['shortfall']:,}, shelters excluded {f['shelters_excluded']}, "
              f"proposed sites {f['proposed_shelters']} for {f['proposed_people']:,} people "
              f"-> {output / 'evacuation' / name}")
    ledger = run_ledger_demo(output / "ledger")
    print(f"demo:   hazard-site ledger: {ledger['SITES']} sites, {ledger['EVACUEES']:,} people to evacuate; "
          f"cards -> {ledger['CARDS']} ({time.time() - started:.0f} s)")
    started = time.time()
    maps = run_maps_demo(output / "maps", risk, output / "evacuation", ledger_folder=output / "ledger")
    print(f"demo: printed maps, {maps['PAGES']} pages -> {output / 'maps'} ({time.time() - started:.0f} s)")
    print(f"demo:   placed in shelters {routing['population_placed']:,.0f}, not "
          f"placed {routing['population_unreached']:,.0f}; beyond 3 h rescue {routing['pop_beyond_rescue_3h']:,.0f}, "
          f"beyond 10 h aid {routing['pop_beyond_aid_10h']:,.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", default="output", type=Path)
    args = parser.parse_args()
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    from hunchun_risk_plugin.headless import qgis_session
    from hunchun_risk_plugin.processing_provider.provider import registered_provider

    with qgis_session(processing=True), registered_provider():
        quiet_third_party_warnings()  # QGIS's start-up resets the warning filters
        started = time.time()
        build_sample_project(output)
        run_analyses(output)
        print(f"demo: done in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
