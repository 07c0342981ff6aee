"""``python -m scripts.sample_data [--out DIR]`` (from the repository root)."""
import sys

from .cli import main

sys.exit(main())
