"""Registers the portal: languages, sign-in, blueprints and error pages."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext
from flask_login import LoginManager

from app.web import (
    admin,
    admin_orgs,
    admin_panels,
    admin_users,
    api_docs,
    appointments,
    auth,
    booking,
    desk,
    panels,
    profiles,
)
from app.web.display import init_display
from app.web.errors import init_error_pages
from app.web.i18n import N_, init_i18n
from app.web.identity import init_identity
from app.web.sign_in_sessions import init_sessions, load_user


def init_portal(app: Flask) -> None:
    """Register the portal's languages, sessions, blueprints, Flask-Login and error pages."""
    init_i18n(app)
    init_sessions(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = N_("Please sign in to open that page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    for blueprint in (auth.bp, appointments.bp, booking.bp, desk.bp, admin.bp, profiles.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(panels.bp)
    app.register_blueprint(api_docs.bp)
    for admin_blueprint in (admin_panels.bp, admin_users.bp, admin_orgs.bp):
        app.register_blueprint(admin_blueprint)
    init_error_pages(app)
    init_display(app)
    init_identity(app)
