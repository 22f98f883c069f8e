"""A patient profile's identity as the portal shows it wherever a profile is chosen or listed:
the name with the date of birth and, where set, the organisation's reference (`handle`), so
that two people of the same name are told apart (`templates/_macros/profiles.html`)."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from app.domain.models import Profile
from app.web.display import date_text


def born_text(profile: Profile) -> str:
    """`born 12 Apr 1985`: the date of birth in the page's language and date format."""
    return gettext("born %(date)s", date=date_text(profile.date_of_birth, "date"))


def reference_text(profile: Profile) -> str:
    """`reference anna-s`: the organisation's own reference (`handle`), or "" when it has none."""
    return gettext("reference %(handle)s", handle=profile.handle) if profile.handle else ""


def identity_details(profile: Profile) -> str:
    """`born 12 Apr 1985, reference anna-s`: what tells the profile apart from another of the
    same name."""
    return ", ".join(part for part in (born_text(profile), reference_text(profile)) if part)


def profile_label(profile: Profile) -> str:
    """`Anna Schmidt (born 12 Apr 1985, reference anna-s)`: the identity as one line of text,
    for an option of a select and a caption."""
    return f"{profile.full_name} ({identity_details(profile)})"


def init_identity(app: Flask) -> None:
    """Register the identity's filters with the app's Jinja environment."""
    app.add_template_filter(identity_details, "identity_details")
    app.add_template_filter(profile_label, "profile_label")
