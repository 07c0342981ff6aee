"""Layer URIs in QGIS's own OGR form (``path|layername=x``), checked against the
strings QGIS writes (as documented for the OGR provider)."""
from hunchun_risk_plugin.core.layer_uri import layer_uri, layer_uris, uri_layer, uri_path


def test_build_and_read_back():
    uri = layer_uri("/data/珲春 样例/a.gpkg", "roads")
    assert uri == "/data/珲春 样例/a.gpkg|layername=roads"
    assert uri_path(uri) == "/data/珲春 样例/a.gpkg"
    assert uri_layer(uri) == "roads"


def test_plain_paths_and_other_options():
    assert layer_uri("/data/dem.tif") == "/data/dem.tif"
    assert uri_layer("/data/dem.tif") is None
    assert uri_path("/d/a.gpkg|subset=\"x\" > 1|layername=flood_zones") == "/d/a.gpkg"
    assert uri_layer("/d/a.gpkg|layerid=0|layername=flood_zones") == "flood_zones"
    assert uri_layer("/d/a.shp|layerid=0") is None


def test_several_layers_of_one_file():
    assert layer_uris("x.gpkg", ("a", "b")) == {"a": "x.gpkg|layername=a", "b": "x.gpkg|layername=b"}
