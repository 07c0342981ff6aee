# Hunchun Risk: set-up, tests, demo and packaging. `make help` lists the targets.
SHELL := /bin/bash
PY := .venv/bin/python
export QT_QPA_PLATFORM ?= offscreen
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)
export QGIS_PLUGINPATH := $(CURDIR)
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)

.PHONY: help setup test demo maps qgis package sample-data context-data styles templates bench clean

help:
	@echo "make setup        install Debian packages (as root/sudo) and the .venv"
	@echo "make test         run the whole test suite (bootstraps first)"
	@echo "make test-compat  run tests/core at the low and high end of the supported package versions (venvs in .cache/)"
	@echo "make lint         ruff with the project's configuration (pyproject.toml); CI runs it"
	@echo "make demo         run the main job on the sample data, results in output/"
	@echo "make maps         export every printed map of the sample data to output/maps (after make demo: reuses its results)"
	@echo "make qgis         start QGIS desktop with the plugin and the sample project"
	@echo "make package      build dist/hunchun_risk_plugin-$(VERSION).zip (Install from ZIP)"
	@echo "make wheelhouse   download the wheels of every supported environment to dist/wheelhouse/ (intranet installs)"
	@echo "make sample-data  regenerate layers/ from scripts/make_sample_data.py, then the styles"
	@echo "make context-data regenerate layers/context.gpkg (schematic Yanbian context for map insets)"
	@echo "make styles       regenerate every QML style in styles/"
	@echo "make templates    regenerate the print templates in hunchun_risk_plugin/templates/"
	@echo "make translations extract the zh/en string pairs into hunchun_risk_plugin/i18n/*.ts and build the .qm (lrelease)"
	@echo "make bench        run the benchmarks in benchmarks/"
	@echo "make test-qgis340 the QGIS-side tests and every algorithm on Debian 13's QGIS 3.40 LTR (a cached chroot, root)"

setup:
	@bash scripts/bootstrap.sh
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)

test: setup
	$(PY) -m pytest

.PHONY: test-compat
test-compat:
	bash scripts/test_compat.sh

.PHONY: lint
lint: setup
	$(PY) -m ruff check .

.PHONY: test-qgis340
test-qgis340:
	bash scripts/qgis340/run.sh

demo: setup
	$(PY) scripts/demo.py --output output

maps: setup
	$(PY) scripts/print_maps.py --output output/maps \
	  $$( [ -f output/risk/city/risk_zoning.gpkg ] && echo --risk-city output/risk/city/risk_zoning.gpkg ) \
	  $$( [ -f output/risk/townships/risk_zoning.gpkg ] && echo --risk-township output/risk/townships/risk_zoning.gpkg ) \
	  $$( [ -d output/evacuation ] && echo --results output/evacuation )

qgis: setup demo
	QT_QPA_PLATFORM= bash scripts/run_qgis.sh output/hunchun_sample.qgz

package:
	bash scripts/package.sh

.PHONY: wheelhouse
wheelhouse: setup
	$(PY) scripts/build_wheelhouse.py --out dist/wheelhouse

sample-data: setup
	$(PY) scripts/make_sample_data.py --out layers
	$(MAKE) styles

context-data: setup
	$(PY) scripts/make_context_data.py --styles

templates: setup
	$(PY) scripts/make_templates.py

styles: setup
	$(PY) scripts/make_styles.py
	$(PY) scripts/make_result_styles.py
	$(PY) scripts/make_routing_styles.py
	$(PY) scripts/make_ledger_styles.py

bench: setup
	$(PY) benchmarks/bench_risk.py
	$(PY) benchmarks/bench_routing.py
	$(PY) benchmarks/bench_export.py

clean:
	rm -rf output dist .pytest_cache .qgis_profile

.PHONY: translations
translations: setup
	$(PY) scripts/i18n_extract.py --report
	lrelease -silent hunchun_risk_plugin/i18n/hunchun_risk_zh_CN.ts
