"""Puts a domain error's messages beside the form fields they name (flaskbb style)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm

from app.domain.errors import Conflict, DomainError, NotFound, ValidationError
from app.domain.rules import ensure_printable_text

# Domain field names (the contract's) -> the portal form's field names.
DOMAIN_FIELDS: Mapping[str, str] = {
    "scheduled_at": "time",
    "profile_id": "profile",
    "location_id": "location",
    "timezone": "location",
    "panel_ids": "panels",
    "barcode": "barcode",
    "reason": "reason",
    "email": "email",
    "password": "password",
}
# For forms whose inputs carry the domain's field names (the admin pages).
AS_NAMED: Mapping[str, str] = {}
# NotFound entities -> the field whose value named them.
ENTITY_FIELDS: Mapping[str, str] = {
    "Profile": "profile",
    "Test location": "location",
    "Panel": "panels",
}


def _messages_by_field(
    error: DomainError, names: Mapping[str, str] | None
) -> dict[str | None, list[str]]:
    fields = DOMAIN_FIELDS if names is None else names
    if isinstance(error, ValidationError):
        return {fields.get(name, name): list(msgs) for name, msgs in error.errors.items()}
    if isinstance(error, Conflict) and error.field:
        return {fields.get(error.field, error.field): [error.message]}
    if isinstance(error, NotFound):
        entity = ENTITY_FIELDS.get(error.entity) if names is None else names.get(error.entity)
        return {entity: [error.message]}
    return {None: [error.message]}


def add_domain_error(
    form: FlaskForm,
    error: DomainError,
    *,
    fallback: str | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """Show `error`'s messages beside the fields they concern.

    `names` maps domain field names (and NotFound's entities) to the form's inputs when they
    differ; a form whose inputs carry the domain's own names passes `AS_NAMED`. Without it the
    booking forms' names apply (`DOMAIN_FIELDS`, `ENTITY_FIELDS`). A message that names no
    field of `form` goes to `fallback` if given (the one input the form has), else to the
    form-level errors shown above the form.
    """
    for name, messages in _messages_by_field(error, names).items():
        target = form._fields.get(name) if name else None
        if target is None and fallback:
            target = form._fields.get(fallback)
        if target is None:
            form.form_errors = [*form.form_errors, *messages]
        else:
            target.errors = [*target.errors, *messages]


def search_text(args: Mapping[str, str], name: str = "q", most: int = 100) -> tuple[str, list[str]]:
    """The search text `args[name]` of a GET search form, trimmed and cut to `most` characters,
    and the messages to show beside its field. Text holding a control character or line break
    (`rules.ensure_printable_text`) is no search: it comes back empty, with the message."""
    text = args.get(name, "").strip()[:most]
    try:
        ensure_printable_text(text, name)
    except ValidationError as error:
        return "", error.errors[name]
    return text, []


def error_status(error: DomainError) -> int:
    """The status of a page re-shown with a domain error: 409 for a conflict, else 422."""
    return 409 if isinstance(error, Conflict) else 422


def focus_first_error(form: FlaskForm) -> str:
    """Give the first field with an error the `autofocus` attribute, so the keyboard and screen
    reader land on it after a failed submit (WCAG 3.3.1). Called from the `form_errors` macro,
    which renders before the fields; returns "" so it prints nothing."""
    for field in form:
        if field.errors and field.type not in ("CSRFTokenField", "HiddenField"):
            field.render_kw = {**(field.render_kw or {}), "autofocus": True}
            break
    return ""
