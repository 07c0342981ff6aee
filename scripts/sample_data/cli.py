"""Command line: ``python scripts/make_sample_data.py [--out DIR]``."""
from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from . import ROOT
from .build import build


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the dataset and print a summary; returns the exit status."""
    parser = argparse.ArgumentParser(description="Generate the synthetic Hunchun sample dataset.")
    parser.add_argument("--out", default=str(ROOT / "layers"), help="output folder (default: layers/)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    summary = build(out)
    for name, count in summary["layers"].items():
        print(f"  {name:14s} {count:6d}")
    total = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(f"  outline {summary['outline_km2']:.1f} km², {out} holds {total / 1e6:.1f} MB")
    return 0
