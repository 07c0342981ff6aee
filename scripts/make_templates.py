"""Write the plugin's standard print templates, one .qpt per paper, into
hunchun_risk_plugin/templates/ (``make templates``). Exports load these files; copy
one into the layout designer to make a house template (docs/printed_maps.md)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", nargs="*", help="e.g. 'A3 landscape' (default: every A0–A4 paper)")
    args = parser.parse_args()
    from hunchun_risk_plugin.core.map_specs import paper_names
    from hunchun_risk_plugin.headless import qgis_session

    with qgis_session():
        from build.template_builder import build_template, save_template

        from hunchun_risk_plugin.paths import template_file

        for paper in args.papers or paper_names():
            path = save_template(build_template(paper), template_file(paper))
            print(f"templates: {paper} -> {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
