"""Every algorithm of the provider, in toolbox order."""
from __future__ import annotations


def algorithm_classes() -> list[type]:
    from .depot_coverage import DepotCoverageAlgorithm
    from .evacuation_routes import EvacuationRoutesAlgorithm
    from .export_maps import ExportMapsAlgorithm
    from .hazard_ledger import HazardLedgerAlgorithm
    from .risk_zoning import RiskZoningAlgorithm
    from .validate_inputs import ValidateInputsAlgorithm

    return [ValidateInputsAlgorithm, RiskZoningAlgorithm, EvacuationRoutesAlgorithm, DepotCoverageAlgorithm,
            HazardLedgerAlgorithm, ExportMapsAlgorithm]
