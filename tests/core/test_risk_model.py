"""The model file: the default parses with AHP weights; bad files get clear errors;
nothing in it is ever executed."""
from __future__ import annotations

import pytest

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.risk.model import DEFAULT_MODEL, load_model, parse_model

MINIMAL = """
[risk]
weights = { flood = 1 }
[hazards.flood]
factors = ["zone"]
[exposure]
factors = ["zone"]
[vulnerability]
factors = ["zone"]
[capacity]
factors = ["zone"]
[factors.zone]
source = "polygon_field"
layer = "flood_zones"
field = "return_period_years"
transform = { kind = "reclass", table = [[0, 50, 1.0]] }
"""


def test_default_model_parses_with_consistent_ahp():
    model = load_model()
    assert model.source == str(DEFAULT_MODEL)
    assert set(model.hazards) == {"flood", "geological", "forest_fire", "earthquake", "meteorological"}
    assert sum(model.hazard_weights.values()) == pytest.approx(1.0)
    assert model.hazard_ahp.cr < 0.10
    assert max(model.hazard_weights, key=model.hazard_weights.get) == "flood"
    assert model.hazards["forest_fire"].rule == "geometric_mean"


def test_minimal_model_and_weight_normalisation():
    model = parse_model(
        MINIMAL.replace('factors = ["zone"]\n[exposure]', 'factors = ["zone"]\nweights = [4]\n[exposure]'))
    assert model.hazards["flood"].weights == (1.0,) and model.rule == "weighted_sum"


@pytest.mark.parametrize("change, words", [
    (("[risk]", "[risk]\nrule = \"__import__('os').system('true')\""), "is not one of"),
    (('source = "polygon_field"', 'source = "python"'), "is not one of"),
    (('layer = "flood_zones"', 'layer = "dem"'), "needs a vector layer"),
    (('field = "return_period_years"', 'field = "x"\nradius = 3'), "unknown option"),
    (('[[0, 50, 1.0]]', '[[50, 0, 1.0]]'), "low < high"),
    (("[capacity]\nfactors = [\"zone\"]", "[capacity]\nfactors = [\"nothing\"]"), "no [factors.nothing]"),
    (("weights = { flood = 1 }", "weights = { flood = 1, quake = 1 }"), "exactly the hazards"),
])
def test_bad_models_are_refused_with_the_place_named(change, words):
    with pytest.raises(InputError) as error:
        parse_model(MINIMAL.replace(*change))
    assert words in error.value.en


def test_ahp_matrix_with_fractions_and_cr_refusal():
    good = MINIMAL.replace('factors = ["zone"]\n[exposure]',
                           'factors = ["zone", "zone"]\nahp = [[1, 3], ["1/3", 1]]\n[exposure]')
    assert parse_model(good).hazards["flood"].weights == pytest.approx((0.75, 0.25))
    saaty = ('ahp = [[1, 5, 6, 7], ["1/5", 1, 4, 6], ["1/6", "1/4", 1, 4], ["1/7", "1/6", "1/4", 1]]')
    bad = MINIMAL.replace('factors = ["zone"]\n[exposure]',
                          f'factors = ["zone", "zone", "zone", "zone"]\n{saaty}\n[exposure]')
    with pytest.raises(InputError) as error:
        parse_model(bad)
    assert "[hazards.flood]" in error.value.en and "CR" in error.value.en


def test_invalid_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text("[risk\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_model(path)
    assert "not valid TOML" in error.value.en
