"""Vena's domain: models and every booking rule, free of the web framework."""
