"""The analyses ``hunchunrisk:exportmaps`` runs when the maps need results it was not
given: risk zoning at each chosen scale, evacuation routes (walking, the flood zones
closed, under the export's scenario), the hazard ledger and depot coverage. Each runs
as a child algorithm into ``analysis/``."""
from __future__ import annotations

from pathlib import Path

from ...core.errors import Cancelled, InputError
from ...core.map_pages import CITY, TOWNSHIP
from ...core.layer_uri import layer_uri, uri_path
from ...core.risk.pipeline import RESULT_LAYERS
from ...core.routing.graph import MODES, WALKING
from ...core.routing.ledger import ledger_scenario_for
from ...core.routing.scenario import POLYGONS, RASTER, SITES, Scenario
from ...core.schema import census_inputs
from ...mapping.print_batch import MapBatch
from ...core.coverage_text import band_thresholds_hours
from ..base import step_feedback
from .evacuation_routes import LAYERS as EVACUATION_LAYERS
from .hazard_ledger import LAYERS as LEDGER_LAYERS

WALKING_MODE = MODES.index(WALKING)  # evacuationroutes' MODE enum index


# The layer a scenario trigger's source reads, as exportmaps' own parameter (the child
# evacuation calls the flood zones HAZARD_POLYGONS, a name the export's user never sees)
SCENARIO_SOURCE_PARAMETERS = {POLYGONS: ("FLOOD_ZONES", "Flood zones", "洪水淹没区"),
                              SITES: ("HAZARD_SITES", "Hazard sites", "隐患点")}


def check_scenario_layers(scenario: Scenario, parameters: dict) -> None:
    """Before any work: every layer the scenario's triggers read is given to the export
    (it runs the evacuation itself only when no EVACUATION_ROUTES are given)."""
    if parameters.get("EVACUATION_ROUTES"):
        return
    for trigger in scenario.triggers:
        if trigger.source == RASTER:
            raise InputError(
                f"Scenario '{scenario.name}' trigger '{trigger.key}' reads a risk raster, which Export maps does not "
                "pass on. Run Evacuation routes with this scenario and its HAZARD_RASTER, then give its results "
                "(EVACUATION_ROUTES, SHELTER_LOAD, UNREACHED) here.",
                f"疏散情景“{scenario.name}”的触发条件“{trigger.key}”读取风险栅格，批量出图不传递该栅格。请先用此情景和"
                "HAZARD_RASTER 运行“应急疏散路线”，再在此提供其结果（EVACUATION_ROUTES、SHELTER_LOAD、UNREACHED）。")
        needed = SCENARIO_SOURCE_PARAMETERS.get(trigger.source)
        if needed and not parameters.get(needed[0]):
            name, en, zh = needed
            raise InputError(
                f"Scenario '{scenario.name}' trigger '{trigger.key}' needs the {en} layer ({name}). Give it, "
                "choose another scenario, or give the evacuation results (EVACUATION_ROUTES…).",
                f"疏散情景“{scenario.name}”的触发条件“{trigger.key}”需要{zh}图层（{name}）。请提供该图层、改选情景，"
                "或直接提供疏散结果（EVACUATION_ROUTES 等）。")


def missing_analyses(parameters, context, feedback, batch: MapBatch, analysis: Path,
                     scenario: str = "") -> dict[str, str]:
    """Run what the maps need and were not given; ``scenario``: exportmaps' SCENARIO,
    already checked (empty: everyone leaves)."""
    kinds = {k.key for k in batch.kinds}
    have = batch.sources.uris
    given = {item.parameter: parameters[item.parameter] for item in census_inputs() if parameters.get(item.parameter)}
    if parameters.get("FIELD_MAP"):
        given["FIELD_MAP"] = parameters["FIELD_MAP"]  # the children match the user's fields the same way
    runs = []  # each a function of the feedback it reports to
    if kinds & {"risk", "zoning"}:
        for index, scope in enumerate((CITY, TOWNSHIP)):
            if scope in batch.data_scopes() and f"risk_zones@{scope}" not in have:
                runs.append(lambda fb, scope=scope, index=index:
                            _risk(parameters, context, fb, given, batch, scope, index, analysis))
    if "evacuation" in kinds and "evacuation_routes" not in have:
        runs.append(lambda fb: _evacuation(context, fb, given, scenario, analysis / "evacuation"))
    if "coverage" in kinds and "settlement_times" not in have:
        runs.append(lambda fb: _coverage(context, fb, given, analysis / "coverage"))
    if "hazards" in kinds and not {"hazard_ledger", "major_hazard_zones"} <= set(have):
        runs.append(lambda fb: _ledger(context, fb, given, scenario, analysis / "ledger"))
    # One share of the progress per child, so the bar only moves forward.
    steps = step_feedback(len(runs), feedback) if runs else feedback
    uris: dict[str, str] = {}
    for number, run in enumerate(runs):
        if steps is not feedback:
            steps.setCurrentStep(number)
        uris.update(run(steps))
    return uris


def _run(alg_id: str, params: dict, context, feedback) -> dict:
    import processing  # QGIS's Processing plugin, present wherever Processing runs

    if feedback is not None and feedback.isCanceled():
        raise Cancelled()
    feedback.pushInfo(f"running hunchunrisk:{alg_id} for the maps")
    # The maps need these results as files, not as layers in the user's project.
    asked = context.layersToLoadOnCompletion()
    try:
        return processing.run(f"hunchunrisk:{alg_id}", params, context=context, feedback=feedback,
                              is_child_algorithm=True)
    finally:
        context.setLayersToLoadOnCompletion(asked)


def _risk(parameters, context, feedback, given, batch: MapBatch, scope: str, index: int, analysis: Path):
    only = [w.strip() for w in batch.only if w and w.strip()]
    params = {**given, "MODEL": parameters.get("MODEL"), "SCALE": index,
              "TOWNSHIP": only[0] if scope == TOWNSHIP and len(only) == 1 else "",
              "OUTPUT_FOLDER": str(analysis / f"risk_{scope}")}
    result = _run("riskzoning", params, context, feedback)
    gpkg = uri_path(result["RISK_ZONES"])
    return {f"{layer}@{scope}": layer_uri(gpkg, layer) for layer in RESULT_LAYERS.values()}


def _require(given: dict, names: tuple[str, ...], maps_en: str, maps_zh: str) -> None:
    missing = [n for n in names if n not in given]
    if missing:
        raise InputError(f"The {maps_en} need the layers {', '.join(missing)} (or their results given).",
                         f"输出{maps_zh}需要图层 {', '.join(missing)}（或直接提供其分析结果）。")


def _evacuation(context, feedback, given: dict, scenario: str, folder: Path) -> dict[str, str]:
    """Walking, the flood zones closed; with a scenario, only the people it moves (its
    hazard sites and townships given), else everyone."""
    _require(given, ("ROADS", "SETTLEMENTS", "SHELTERS"), "evacuation route maps", "应急疏散路线图")
    params = {"ROADS": given["ROADS"], "ORIGINS": given["SETTLEMENTS"], "SHELTERS": given["SHELTERS"],
              "MODE": WALKING_MODE, "HAZARD_POLYGONS": given.get("FLOOD_ZONES"), "FIELD_MAP": given.get("FIELD_MAP"),
              "OUTPUT_FOLDER": str(folder)}
    if scenario:
        params.update({"SCENARIO": scenario, "HAZARD_SITES": given.get("HAZARD_SITES"),
                       "TOWNSHIPS": given.get("TOWNSHIPS")})
    result = _run("evacuationroutes", params, context, feedback)
    return {layer.base: str(result[layer.key]) for layer in EVACUATION_LAYERS}


def _coverage(context, feedback, given: dict, folder: Path) -> dict[str, str]:
    _require(given, ("ROADS", "DEPOTS", "SETTLEMENTS"), "depot coverage maps", "救灾物资储备覆盖图")
    result = _run("depotcoverage", {
        "ROADS": given["ROADS"], "DEPOTS": given["DEPOTS"], "FIRE_STATIONS": given.get("FIRE_STATIONS"),
        "SETTLEMENTS": given["SETTLEMENTS"], "TOWNSHIPS": given.get("TOWNSHIPS"),
        "THRESHOLDS_HOURS": band_thresholds_hours(),
        "FIELD_MAP": given.get("FIELD_MAP"),
        "OUTPUT_FOLDER": str(folder),
    }, context, feedback)
    return {"settlement_times": str(result["SETTLEMENT_TIMES"]), "drive_time_zones": str(result["DRIVE_TIME_ZONES"])}


def _ledger(context, feedback, given: dict, scenario: str, folder: Path) -> dict[str, str]:
    _require(given, ("HAZARD_SITES", "SETTLEMENTS", "SHELTERS", "ROADS"), "hazard distribution maps",
             "重大风险隐患分布平面图")
    result = _run("hazardledger", {
        **{name: given.get(name) for name in ("HAZARD_SITES", "SETTLEMENTS", "SHELTERS", "ROADS", "TOWNSHIPS")},
        "SCENARIO": ledger_scenario_for(scenario), "CARDS": False, "FIELD_MAP": given.get("FIELD_MAP"),
        "OUTPUT_FOLDER": str(folder),
    }, context, feedback)
    return {layer.base: str(result[layer.key]) for layer in LEDGER_LAYERS if layer.key != "LEDGER_ROUTES"}
