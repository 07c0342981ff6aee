"""The dock's workflow as data: what the user chose (``DockChoices``) becomes the
parameters of the provider's own algorithms, step by step. No widgets here and no
analysis: the steps are the same ``hunchunrisk:*`` algorithms a dialog runs."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.schema import census_inputs

CITY, TOWNSHIP = "city", "township"
SCALES = (CITY, TOWNSHIP)  # riskzoning's SCALE enum, in its order

# Step keys, in workflow order: the order of "Run all".
CHECK, RISK, EVACUATION, LEDGER, COVERAGE, MAPS = "check", "risk", "evacuation", "ledger", "coverage", "maps"
RUN_ALL = (RISK, EVACUATION, LEDGER, COVERAGE, MAPS)
ALGORITHM = {CHECK: "validateinputs", RISK: "riskzoning", EVACUATION: "evacuationroutes",
             LEDGER: "hazardledger", COVERAGE: "depotcoverage", MAPS: "exportmaps"}


@dataclass
class DockChoices:
    """Everything the dock's widgets hold, as plain values (layer ids, paths, flags)."""
    layers: dict[str, str] = field(default_factory=dict)  # schema name -> layer id
    scale: str = CITY
    township: str = ""                                      # name or code; "" = every township
    model: str = ""                                         # model file; "" = the default model
    scenario: str = ""                                      # shipped name or file; "" = everyone
    avoid_flood_zones: bool = True
    avoid_high_risk: bool = True
    map_kinds: tuple[str, ...] = ()                         # exportmaps' KINDS: map kind keys (maps.toml)
    output_folder: str = ""

    def folder(self, step: str) -> str:
        sub = f"risk_{self.scale}" if step == RISK else step
        return str(Path(self.output_folder) / sub)


@dataclass(frozen=True)
class Step:
    key: str
    algorithm: str          # "hunchunrisk:riskzoning"
    parameters: dict


def _census(choices: DockChoices, names=None) -> dict[str, str]:
    return {item.parameter: choices.layers[item.name] for item in census_inputs()
            if item.name in choices.layers and (names is None or item.name in names)}


def check_step(choices: DockChoices) -> Step:
    from ..core.schema import layer_specs

    return Step(CHECK, f"hunchunrisk:{ALGORITHM[CHECK]}", _census(choices, set(layer_specs())))


def risk_step(choices: DockChoices) -> Step:
    params = {**_census(choices), "MODEL": choices.model or None, "SCALE": SCALES.index(choices.scale),
              "TOWNSHIP": choices.township if choices.scale == TOWNSHIP else "",
              "OUTPUT_FOLDER": choices.folder(RISK)}
    return Step(RISK, f"hunchunrisk:{ALGORITHM[RISK]}", params)


def evacuation_step(choices: DockChoices, results: dict | None = None) -> Step:
    layers = choices.layers
    params = {"ROADS": layers.get("roads"), "ORIGINS": layers.get("settlements"), "SHELTERS": layers.get("shelters"),
              "OUTPUT_FOLDER": choices.folder(EVACUATION)}
    if choices.scenario:
        params.update({"SCENARIO": choices.scenario, "HAZARD_SITES": layers.get("hazard_sites"),
                       "TOWNSHIPS": layers.get("townships")})
    if choices.avoid_flood_zones and layers.get("flood_zones"):
        params["HAZARD_POLYGONS"] = layers["flood_zones"]
    risk_class = (results or {}).get(RISK, {}).get("RISK_CLASS")
    if choices.avoid_high_risk and risk_class:
        params["HAZARD_RASTER"] = risk_class
    return Step(EVACUATION, f"hunchunrisk:{ALGORITHM[EVACUATION]}", {k: v for k, v in params.items() if v is not None})


def ledger_step(choices: DockChoices) -> Step:
    """The hazard-site ledger with its cards, for the sites the scenario triggers."""
    from ..core.routing.ledger import ledger_scenario_for  # here: the ledger needs geopandas

    layers = choices.layers
    params = {"HAZARD_SITES": layers.get("hazard_sites"), "SETTLEMENTS": layers.get("settlements"),
              "SHELTERS": layers.get("shelters"), "ROADS": layers.get("roads"), "TOWNSHIPS": layers.get("townships"),
              "SCENARIO": ledger_scenario_for(choices.scenario), "CARDS": True, "OUTPUT_FOLDER": choices.folder(LEDGER)}
    return Step(LEDGER, f"hunchunrisk:{ALGORITHM[LEDGER]}", {k: v for k, v in params.items() if v is not None})


def coverage_step(choices: DockChoices) -> Step:
    layers = choices.layers
    params = {"ROADS": layers.get("roads"), "DEPOTS": layers.get("depots"),
              "FIRE_STATIONS": layers.get("fire_stations"), "SETTLEMENTS": layers.get("settlements"),
              "TOWNSHIPS": layers.get("townships"),
              "OUTPUT_FOLDER": choices.folder(COVERAGE)}
    return Step(COVERAGE, f"hunchunrisk:{ALGORITHM[COVERAGE]}", {k: v for k, v in params.items() if v is not None})


def maps_step(choices: DockChoices, results: dict | None = None) -> Step:
    """The print batch at the chosen scale, given the results the earlier steps wrote
    (what is missing, exportmaps runs itself)."""
    results = results or {}
    params = {**_census(choices), "MODEL": choices.model or None, "KINDS": list(choices.map_kinds),
              "SCALES": [SCALES.index(choices.scale)],
              "ONLY_TOWNSHIPS": choices.township if choices.scale == TOWNSHIP else "",
              "OUTPUT_FOLDER": choices.folder(MAPS)}
    risk = results.get(RISK, {})
    if risk.get("RISK_ZONES"):
        params["RISK_CITY" if choices.scale == CITY else "RISK_TOWNSHIP"] = str(risk["RISK_ZONES"]).split("|")[0]
    for key in ("ROUTES", "SHELTER_LOAD", "UNREACHED"):
        if results.get(EVACUATION, {}).get(key):
            params["EVACUATION_ROUTES" if key == "ROUTES" else key] = results[EVACUATION][key]
    for key in ("SETTLEMENT_TIMES", "DRIVE_TIME_ZONES"):
        if results.get(COVERAGE, {}).get(key):
            params[key] = results[COVERAGE][key]
    return Step(MAPS, f"hunchunrisk:{ALGORITHM[MAPS]}", params)


def step_for(key: str, choices: DockChoices, results: dict | None = None) -> Step:
    builders = {CHECK: lambda: check_step(choices), RISK: lambda: risk_step(choices),
                EVACUATION: lambda: evacuation_step(choices, results), LEDGER: lambda: ledger_step(choices),
                COVERAGE: lambda: coverage_step(choices),
                MAPS: lambda: maps_step(choices, results)}
    return builders[key]()


def model_summary(path: str, language: str) -> tuple[list[tuple[str, float]], float | None, str]:
    """(hazard label, weight) rows, the AHP consistency ratio (None without AHP) and the
    model's name, from the core's model loader (raises its bilingual InputError)."""
    from ..core.risk.model import load_model

    model = load_model(path or None)
    rows = []
    for name, weight in model.hazard_weights.items():
        spec = model.hazards[name]
        label = (spec.label_zh if language == "zh" else spec.label_en) or name
        rows.append((label, float(weight)))
    cr = model.hazard_ahp.cr if model.hazard_ahp is not None else None
    return rows, cr, model.name
