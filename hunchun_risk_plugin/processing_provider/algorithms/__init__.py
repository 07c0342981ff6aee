"""Every algorithm of the provider, in toolbox order."""
from __future__ import annotations


def algorithm_classes() -> list[type]:
    from .validate_inputs import ValidateInputsAlgorithm

    return [ValidateInputsAlgorithm]
