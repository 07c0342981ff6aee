"""Model files with unknown keys, wrong types and negative weights: a clear error that
names the section and key (a misspelt key would otherwise fall back to a default)."""
from __future__ import annotations

import pytest

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.risk.model import DEFAULT_MODEL, parse_model

BASE = DEFAULT_MODEL.read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, words", [
    ('rule = "weighted_sum"', 'rule = "weighted_sum"\nrulez = 3', ["[risk]", "'rulez'", "'rule'"]),
    ('factors = ["geo_sites", "slope_geo"]', 'factors = ["geo_sites", "slope_geo"]\nweigths = [1, 2]',
     ["[hazards.geological]", "'weigths'", "Did you mean 'weights'"]),
    ("[polygons]", "[extra]\nx = 1\n\n[polygons]", ["(top level)", "'extra'"]),
    ("capacity_alpha = 0.4", 'capacity_alpha = "0.4"', ["[risk] capacity_alpha", "must be a number", "'0.4'"]),
    ("weights = [0.55, 0.45]", 'weights = ["a", 0.45]', ["[hazards.geological] weights", "'a'"]),
    ("weights = [0.55, 0.45]", "weights = [0.55, -0.45]", ["[hazards.geological]", "non-negative"]),
    ("weights = [0.55, 0.45]", "weights = 0.55", ["[hazards.geological] weights", "list of numbers"]),
    ("key_min_class = 4", "key_min_class = 4.5", ["[prevention] key_min_class", "whole number"]),
    ("thresholds = [0.05, 0.10, 0.15, 0.25]", 'thresholds = "0.05"', ["[classes] thresholds", "list of numbers"]),
    ("min_mapping_unit_mm = 2", "min_mapping_unit_mm = true", ["[polygons] min_mapping_unit_mm", "True"]),
])
def test_bad_model_files_are_named(old, new, words):
    assert old in BASE
    with pytest.raises(InputError) as error:
        parse_model(BASE.replace(old, new, 1), "m.toml")
    for word in words:
        assert word in error.value.en
    assert "风险模型" in error.value.zh


def test_the_default_model_still_parses():
    assert parse_model(BASE).capacity_alpha == 0.4
