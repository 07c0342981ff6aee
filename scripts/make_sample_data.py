"""Generate the synthetic Hunchun sample dataset into layers/ (or --out DIR).

    .venv/bin/python scripts/make_sample_data.py [--out layers]

合成示例数据，非官方边界，不得用于出版 / Synthetic sample data, not official
boundaries, not for publication. The generator itself is the package
``scripts/sample_data/`` (one module per idea: terrain, hydrology, roads, settlements,
facilities, hazards, writing); this file is its entry point, and the name every
generated file records as its generator.
"""
from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:  # already there when this file is run, not when imported
    sys.path.insert(0, str(SCRIPTS))

from sample_data.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
