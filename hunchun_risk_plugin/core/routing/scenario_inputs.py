"""What a scenario run reads besides the roads, settlements, shelters and hazard layers."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from .scenario import Scenario


@dataclass(frozen=True, eq=False)  # eq=False: frames have no truth value to compare by
class ScenarioInputs:
    """A scenario with the layers only a scenario reads.

    ``hazard_sites`` feed the ``hazard_sites`` triggers and the major-hazard distance of
    shelters; ``townships`` the vulnerable share and the shortfall table; ``candidates``
    (default: the settlements) the proposed new shelters, at most ``max_new_shelters``.
    """

    scenario: Scenario
    hazard_sites: gpd.GeoDataFrame | None = None
    townships: gpd.GeoDataFrame | None = None
    candidates: gpd.GeoDataFrame | None = None
    max_new_shelters: int = 0
