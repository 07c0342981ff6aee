"""The core must keep working on the package versions users have (see make test-compat):
a deprecation that our own code triggers is an error here, in every environment, so the
next release that removes the API cannot surprise a user first."""
from __future__ import annotations

import warnings

import pytest

OUR_MODULES = r"hunchun_risk_plugin\."
DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
# Raised inside compiled code of other packages, so Python blames our calling line:
# rasterio 1.4's reader sets ndarray.shape, which numpy 2.5 deprecates.
NOT_OURS = ("Setting the shape on a NumPy array",)


@pytest.fixture(autouse=True)
def deprecations_in_our_code_are_errors():
    with warnings.catch_warnings():
        for category in DEPRECATIONS:
            warnings.filterwarnings("error", category=category, module=OUR_MODULES)
        for message in NOT_OURS:
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        yield
