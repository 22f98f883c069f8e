"""Tests of the browser portal."""
