"""The Processing provider ``hunchunrisk``: thin algorithms over ``core``."""
