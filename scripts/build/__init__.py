"""Build-time code: makes files that ship with the plugin (never imported by it)."""
