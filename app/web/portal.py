"""Registers the portal: sign-in, blueprints and error pages."""

from __future__ import annotations

from flask import Flask


def init_portal(app: Flask) -> None:
    """Register the portal's blueprints, Flask-Login and error pages."""
