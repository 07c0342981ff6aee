"""The steps of ``make demo`` (scripts/demo.py): demo-only code, kept out of the plugin
package so the installable zip holds only what runs in QGIS."""
