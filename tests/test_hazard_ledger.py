"""``hunchunrisk:hazardledger`` through processing.run on the sample data: the ledger
table and its CSV, optional facts left blank where the layer has none, and the cards
(checked with poppler's pdfinfo and pdftotext, as a reader of the PDF would)."""
from __future__ import annotations

import csv
import subprocess

import geopandas as gpd
import pytest
from qgis.core import QgsFeatureRequest, QgsField, QgsProcessingException, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from hunchun_risk_plugin.core.file_names import safe_file_name
from hunchun_risk_plugin.processing_provider.algorithms.hazard_ledger import LAYERS

PHONE_SITE, PHONE = "HZ0005", "0433-7520000"


def sites_with_a_phone(sample_gpkg) -> QgsVectorLayer:
    """The sample's hazard sites in memory, with a phone field filled for one site only."""
    source = QgsVectorLayer(f"{sample_gpkg}|layername=hazard_sites", "hazard_sites", "ogr")
    layer = source.materialize(QgsFeatureRequest())
    layer.dataProvider().addAttributes([QgsField("phone", QVariant.String)])
    layer.updateFields()
    index = layer.fields().indexOf("phone")
    changes = {f.id(): {index: PHONE} for f in layer.getFeatures() if f["code"] == PHONE_SITE}
    layer.dataProvider().changeAttributeValues(changes)
    return layer


def inputs(sample_gpkg, **extra):
    layers = {name.upper(): f"{sample_gpkg}|layername={name}"
              for name in ("settlements", "shelters", "roads", "townships")}
    return {**layers, **extra}


@pytest.fixture()
def ledger_run(hunchun_provider, qgis_processing, sample_gpkg, tmp_path):
    import processing

    out = tmp_path / "ledger"
    result = processing.run("hunchunrisk:hazardledger", inputs(
        sample_gpkg, HAZARD_SITES=sites_with_a_phone(sample_gpkg), OUTPUT_FOLDER=str(out)))
    return result, out


def own_count(sample_gpkg):
    """Geological sites and their threatened people, counted directly from the layer."""
    sites = gpd.read_file(sample_gpkg, layer="hazard_sites")
    geological = sites[sites["kind"].isin(["landslide", "collapse", "debris_flow", "ground_subsidence"])
                       & (sites["threatened_people"] > 0)]
    return geological


def test_ledger_table_csv_and_cards_on_the_sample(ledger_run, sample_gpkg):
    result, out = ledger_run
    expected = own_count(sample_gpkg)
    # one row per geological site with threatened people; every threatened person counted once
    assert result["SITES"] == len(expected) and result["EVACUEES"] == int(expected["threatened_people"].sum())
    table = gpd.read_file(out / "hazard_ledger.gpkg")
    assert sorted(table["code"]) == sorted(expected["code"])
    assert table.set_index("code")["threatened_people"].to_dict() == expected.set_index("code")[
        "threatened_people"].to_dict()

    raw = (out / "hazard_ledger.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese
    with open(out / "hazard_ledger.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "name", "kind", "kind_zh", "kind_en", "scale", "scale_zh", "scale_en",
                             "township_code", "township", "threatened_people", "evacuees", "settlement_count",
                             "settlements", "shelters", "max_distance_m", "max_time_min", "not_placed",
                             "warning_signal", "monitor", "phone"]
    by_code = {r["code"]: r for r in rows}
    # the phone of the one site that has it; every other fact the layer lacks stays blank
    assert by_code[PHONE_SITE]["phone"] == PHONE
    assert {r["phone"] for c, r in by_code.items() if c != PHONE_SITE} == {""}
    assert {r["warning_signal"] for r in rows} == {""} and {r["monitor"] for r in rows} == {""}
    assert by_code[PHONE_SITE]["kind_zh"] == "崩塌" and by_code[PHONE_SITE]["scale_en"] in {"Small", "Medium", "Large",
                                                                                          "Huge"}
    for output in LAYERS:
        assert (out / output.file_name).exists() and (out / f"{output.base}.csv").exists()

    # cards: one PDF per township, one A5 page per site of that township
    for township, group in table.groupby("township"):
        pdf = out / "cards" / f"{safe_file_name(township)}_防灾避险明白卡.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Pages:           {len(group)}" in info
        assert "(A5)" in info and "420 x 595 pts" in info
    yingan = table[table["township"] == "英安镇"].sort_values("code")
    pdf = out / "cards" / "英安镇_防灾避险明白卡.pdf"
    routes = gpd.read_file(out / "hazard_ledger_routes.gpkg")
    for page, site in enumerate(yingan.itertuples(), start=1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert site.name in text and f"需转移 To evacuate：{site.evacuees}" in text
        for shelter in set(routes.loc[routes["site"] == site.code, "shelter_name"]):
            assert shelter in text
        if site.code == PHONE_SITE:
            assert PHONE in text


def test_a_scenario_without_site_triggers_is_an_error_and_writes_nothing(hunchun_provider, qgis_processing,
                                                                         sample_gpkg, tmp_path):
    import processing

    out = tmp_path / "ledger"
    with pytest.raises(QgsProcessingException, match="hazard-site trigger|隐患点触发条件"):
        processing.run("hunchunrisk:hazardledger", inputs(
            sample_gpkg, HAZARD_SITES=f"{sample_gpkg}|layername=hazard_sites", SCENARIO="flood_100y",
            OUTPUT_FOLDER=str(out)))
    assert not out.exists() or not any(out.iterdir())



def test_ledger_runs_on_the_main_thread(hunchun_provider, qgis_processing):
    """Its cards build a project and print layouts of their own; in a QGIS 3.40 worker
    thread that crashed, so Processing (and the dock) run it on the main thread."""
    from qgis.core import QgsApplication

    algorithm = QgsApplication.processingRegistry().createAlgorithmById("hunchunrisk:hazardledger")
    assert algorithm.flags() & algorithm.Flag.FlagNoThreading
