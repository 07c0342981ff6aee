"""The matcher picks the schema's layers by name, then by fields, and never a wrong one."""
from __future__ import annotations

from hunchun_risk_plugin.core.layer_matching import LayerFacts, match_layers
from hunchun_risk_plugin.core.schema import layer_specs


def vector(id_, name, geometry, fields=(), short=""):
    return LayerFacts(id_, name, short, geometry, frozenset(fields))


def test_by_short_name_and_by_labels():
    layers = [vector("a", "河流 Rivers", "line"), vector("b", "whatever", "polygon", short="townships"),
              vector("c", "道路", "line"), vector("d", "Emergency shelters", "point"),
              LayerFacts("e", "dem", is_raster=True)]
    assert match_layers(layers) == {"rivers": "a", "townships": "b", "roads": "c", "shelters": "d", "dem": "e"}


def test_wrong_geometry_never_matches_and_nothing_is_guessed():
    # 'Roads' as points is not the roads layer; a line layer named otherwise is left alone.
    layers = [vector("a", "Roads", "point"), vector("b", "河流 Rivers", "line"), vector("c", "my lines", "line")]
    assert match_layers(layers) == {"rivers": "b"}


def test_by_fields_when_exactly_one_layer_has_them():
    settlements = set(layer_specs()["settlements"].fields)
    one = [vector("x", "村屯 2024", "point", settlements | {"extra"})]
    assert match_layers(one) == {"settlements": "x"}
    two = one + [vector("y", "村屯 copy", "point", settlements)]
    assert "settlements" not in match_layers(two)  # ambiguous: left for the user


def test_a_layer_serves_one_input():
    # A polygon layer called 'townships' that also has the flood fields is still only townships.
    fields = set(layer_specs()["townships"].fields) | set(layer_specs()["flood_zones"].fields)
    assert match_layers([vector("t", "townships", "polygon", fields)]) == {"townships": "t"}
