"""The log's own lines come in the user's language: validateinputs' ERROR/WARNING
prefixes and the road-network line the routing engines write (through the core's
Progress, which the algorithms give the user's language)."""
from __future__ import annotations

import pytest
from qgis_fixtures import LogFeedback, memory_layer


@pytest.fixture()
def locale(request, qgis_app):
    from qgis.PyQt.QtCore import QSettings

    from hunchun_risk_plugin import i18n

    settings = QSettings()
    kept = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", request.param)
    translator = i18n.install_translator()
    yield request.param
    i18n.remove_translator(translator)
    for key, value in zip(("locale/overrideFlag", "locale/userLocale"), kept):
        settings.setValue(key, value) if value is not None else settings.remove(key)


@pytest.mark.parametrize("locale, error, warning, other", [("zh_CN", "错误：", "警告：", ("ERROR", "WARNING")),
                                                           ("en_US", "ERROR: ", "WARNING: ", ("错误", "警告"))],
                         indirect=["locale"])
def test_validation_prefixes_speak_the_users_language(hunchun_provider, locale, error, warning, other):
    import processing

    log = LogFeedback()
    settlements = memory_layer("Point", "field=code:string&field=name:string&field=kind:string&field=population:integer"
                        "&field=township_code:string", [("POINT(500000 4750000)", ["a", "A村", "village", 10, "1"])])
    processing.run("hunchunrisk:validateinputs", {"SETTLEMENTS": settlements}, feedback=log)
    # Townships are required, depots optional: one of each kind of line at least.
    assert any(line.startswith(error) for line in log.lines), log.lines
    assert any(line.startswith(warning) for line in log.lines), log.lines
    assert not any(line.startswith(other) for line in log.lines), log.lines


@pytest.mark.parametrize("locale, network_line, other", [
    ("zh_CN", "道路网络：2 条路段，3 个节点，1 个连通分量", "Road network"),
    ("en_US", "Road network: 2 segments, 3 nodes, 1 connected component(s)", "道路网络"),
], indirect=["locale"])
def test_the_road_network_line_speaks_the_users_language(hunchun_provider, tmp_path, locale, network_line, other):
    import processing

    # A road A-B-C of two segments (3 nodes, one component: counted by hand).
    roads = memory_layer("LineString", "field=road_class:string",
                  [("LineString(500000 4750000, 501000 4750000)", ["county"]),
                   ("LineString(501000 4750000, 502000 4750000)", ["county"])])
    origins = memory_layer("Point", "field=code:string&field=population:integer",
                           [("POINT(500000 4750010)", ["o1", 5])])
    shelters = memory_layer("Point", "field=code:string&field=capacity:integer&field=kind:string",
                            [("POINT(502000 4750010)", ["s1", 100, "fixed_long"])])
    log = LogFeedback()
    processing.run("hunchunrisk:evacuationroutes", {
        "ROADS": roads, "ORIGINS": origins, "SHELTERS": shelters, "MODE": 1, "SNAP_TOLERANCE": 1.0,
        "OUTPUT_FOLDER": str(tmp_path / "evacuation")}, feedback=log)
    assert [line for line in log.lines if line.startswith(network_line)], log.lines
    assert not [line for line in log.lines if other in line], log.lines
