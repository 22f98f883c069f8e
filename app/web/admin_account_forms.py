"""Forms of the admin's user, organisation and API key pages; the domain checks every rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField

from app.domain.access import SCOPE_PERMISSIONS
from app.domain.errors import ValidationError
from app.domain.models import Organisation, Role, TestLocation, User
from app.domain.organisation_admin import MAX_KEY_NAME, MAX_ORGANISATION_NAME
from app.domain.user_admin import ensure_role_links, parse_role
from app.web.fields import AS_NAMED, add_domain_error
from app.web.forms import CheckboxesField

ROLE_NAMES = {
    Role.PATIENT: lazy_gettext("Patient"),
    Role.COORDINATOR: lazy_gettext("Coordinator"),
    Role.FRONT_DESK: lazy_gettext("Front desk"),
    Role.ADMIN: lazy_gettext("Admin"),
}
# The domain's field names and NotFound entities -> these forms' inputs.
USER_FIELDS = {
    "org": "organisation",
    "organisation_slug": "organisation",
    "Organisation": "organisation",
    "location": "locations",
    "location_ids": "locations",
    "Test location": "locations",
}
KEY_FIELDS = {"scope": "scopes"}


def scope_choices() -> list[SelectChoice]:
    """The contract's scopes, each labelled with the permissions it grants (a reserved scope
    says it grants nothing yet)."""
    return [
        SelectChoice(
            scope,
            f"{scope} ({', '.join(sorted(permissions))})"
            if permissions
            else lazy_gettext("%(scope)s (reserved: grants nothing yet)", scope=scope),
        )
        for scope, permissions in SCOPE_PERMISSIONS.items()
    ]


class RoleForm(FlaskForm):
    """A role and what it works for: an organisation (patient, coordinator) or test locations
    (front desk). Build it with `for_choices`; its check is the domain's `ensure_role_links`."""

    role = SelectField(
        lazy_gettext("Role"),
        choices=[SelectChoice(role.value, name) for role, name in ROLE_NAMES.items()],
        validate_choice=False,
    )
    organisation = SelectField(lazy_gettext("Organisation"), validate_choice=False)
    locations = CheckboxesField(lazy_gettext("Test locations"), validate_choice=False)

    @classmethod
    def for_choices(
        cls, organisations: list[Organisation], locations: list[TestLocation], **kwargs: Any
    ) -> Self:
        """The form with the organisations (by slug) and test locations to choose from."""
        form = cls(**kwargs)
        form.organisation.choices = [SelectChoice("", gettext("None"))] + [
            SelectChoice(org.slug, f"{org.name} ({org.slug})") for org in organisations
        ]
        form.locations.choices = [
            SelectChoice(str(location.id), f"{location.name}, {location.city}")
            for location in locations
        ]
        return form

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """The fields' own checks, then the domain's: a known role with the links it needs."""
        valid = super().validate(extra_validators)
        try:
            ensure_role_links(
                parse_role(self.role.data),
                has_organisation=bool(self.organisation.data),
                location_count=len(self.locations.data or []),
            )
        except ValidationError as exc:
            add_domain_error(self, exc, names=AS_NAMED)
            return False
        return valid

    def link_data(self) -> dict[str, Any]:
        """The chosen organisation's slug (None without one) and location ids, for the domain."""
        return {
            "organisation_slug": self.organisation.data or None,
            "location_ids": list(self.locations.data or []),
        }


class NewUserForm(RoleForm):
    """A new portal user: e-mail, role and its links, and the first password."""

    email = EmailField(lazy_gettext("E-mail address"))
    password = PasswordField(lazy_gettext("Initial password"))


class UserRoleForm(RoleForm):
    """A user's new role; `confirmed` is set on the confirmation page that repeats the choice."""

    confirmed = HiddenField()


def user_role_data(user: User) -> Mapping[str, Any]:
    """A user's role and links as the role form's initial values."""
    return {
        "role": user.role,
        "organisation": user.organisation.slug if user.organisation else "",
        "locations": [str(location.id) for location in user.locations],
    }


class OrganisationForm(FlaskForm):
    """A new organisation: its slug and name."""

    slug = StringField(lazy_gettext("Slug"), render_kw={"maxlength": 64, "autocapitalize": "none"})
    name = StringField(lazy_gettext("Name"), render_kw={"maxlength": MAX_ORGANISATION_NAME})


class ApiKeyForm(FlaskForm):
    """A new API key: a name that says who uses it, and its scopes."""

    name = StringField(lazy_gettext("Name"), render_kw={"maxlength": MAX_KEY_NAME})
    scopes = CheckboxesField(lazy_gettext("Scopes"), choices=scope_choices(), validate_choice=False)
