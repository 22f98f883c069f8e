"""Operator commands (contract, "Operator interface"); each calls domain services."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    """Register the `flask --app app ...` commands."""
