"""Catalogue use cases: an admin adds and edits panels, and adds the biomarkers they measure."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.messages import msg, too_long
from app.domain.models import Biomarker, Panel
from app.domain.pages import Keyset, Page, fetch_page
from app.domain.rules import ensure_printable_text, parse_uuid
from app.domain.transactions import write_transaction

_LOINC = re.compile(r"^(?P<number>\d{1,7})-(?P<check>\d)$")
# UCUM's case-sensitive codes are printable ASCII without spaces: mg/dL, 10*3/uL, [IU]/L, %.
_UCUM = re.compile(r"^[!-~]{1,32}$")
MAX_NAME_LENGTH = 200
THE_NAME = msg("The name")
MAX_DESCRIPTION_LENGTH = 2000
T = TypeVar("T")
BIOMARKER_ORDER = Keyset("biomarkers", (Biomarker.name, Biomarker.id))


def loinc_check_digit(number: str) -> int:
    """The check digit LOINC appends to a code's number: the Mod 10 (Luhn) algorithm."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10


def parse_loinc_code(value: object, field: str = "loinc_code") -> str:
    """A LOINC code: 1 to 7 digits, a hyphen and the right check digit (`2093-3`). Raises
    ValidationError(field) for another form or a wrong check digit (a mistyped code)."""
    text = value.strip() if isinstance(value, str) else ""
    match = _LOINC.match(text)
    if match is None:
        raise ValidationError(
            field,
            msg("The LOINC code must be 1 to 7 digits, a hyphen and a digit, such as 2093-3."),
        )
    expected = loinc_check_digit(match["number"])
    if int(match["check"]) != expected:
        raise ValidationError(
            field,
            msg(
                "%(code)s is not a LOINC code: its check digit would be %(digit)d. Copy the code "
                "again from loinc.org.",
                code=text,
                digit=expected,
            ),
        )
    return text


def parse_ucum_unit(value: object, field: str = "unit") -> str:
    """A UCUM unit code (`mg/dL`, `10*3/uL`, `%`): 1 to 32 printable characters, no spaces."""
    text = value.strip() if isinstance(value, str) else ""
    if not _UCUM.match(text):
        raise ValidationError(
            field,
            msg(
                "The unit must be a UCUM code of 1 to 32 characters without spaces, such as mg/dL."
            ),
        )
    return text


def parse_catalogue_name(value: object, field: str = "name") -> str:
    """A panel's or biomarker's name: 1 to 200 characters once trimmed, on one line, with no
    control character (`rules.ensure_printable_text`)."""
    if isinstance(value, str):
        ensure_printable_text(value, field)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError(field, msg("%(subject)s is required.", subject=THE_NAME))
    if len(text) > MAX_NAME_LENGTH:
        raise ValidationError(field, too_long(THE_NAME, MAX_NAME_LENGTH))
    return text


def _parse_description_lines(value: object, field: str) -> None:
    """A description may span lines, but holds no control character."""
    if isinstance(value, str):
        ensure_printable_text(value, field, multiline=True)


def _collect(
    errors: dict[str, list[str]], parse: Callable[[object, str], T], value: object, field: str
) -> T | None:
    """`parse(value, field)`, or None with its messages added to `errors`."""
    try:
        return parse(value, field)
    except ValidationError as error:
        for name, messages in error.errors.items():
            errors.setdefault(name, []).extend(messages)
        return None


def create_biomarker(session: Session, data: Mapping[str, object], *, actor: Actor) -> Biomarker:
    """Add a biomarker: `name`, `loinc_code` (unique in the catalogue), `unit` (UCUM).

    Raises Forbidden, ValidationError (every failing field), Conflict (field `loinc_code`).
    """
    ensure_permitted(actor, Permission.MANAGE_CATALOGUE)
    errors: dict[str, list[str]] = {}
    name = _collect(errors, parse_catalogue_name, data.get("name"), "name")
    code = _collect(errors, parse_loinc_code, data.get("loinc_code"), "loinc_code")
    unit = _collect(errors, parse_ucum_unit, data.get("unit"), "unit")
    if errors:
        raise ValidationError.from_errors(errors)
    taken = Conflict(
        msg("The catalogue has a biomarker with LOINC code %(code)s.", code=code),
        field="loinc_code",
    )
    with write_transaction(session):
        if session.scalar(select(Biomarker.id).where(Biomarker.loinc_code == code)):
            raise taken
        biomarker = Biomarker(name=name, loinc_code=code, unit=unit)
        session.add(biomarker)
        try:
            session.flush()
        except IntegrityError:
            raise taken from None  # added by another request since the check above
    return biomarker


def list_biomarkers(
    session: Session,
    *,
    actor: Actor,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[Biomarker]:
    """The catalogue's biomarkers by name: `limit` of them after the cursor `after` or before
    `before` (`pages.fetch_page`), or all of them without a limit (a panel's choices). Raises
    Forbidden, ValidationError("limit" or "cursor")."""
    ensure_permitted(actor, Permission.MANAGE_CATALOGUE)
    query = select(Biomarker)
    return fetch_page(session, query, BIOMARKER_ORDER, limit=limit, after=after, before=before)


def get_panel(session: Session, panel_id: uuid.UUID, *, actor: Actor) -> Panel:
    """One panel with its biomarkers. Raises Forbidden, NotFound."""
    ensure_permitted(actor, Permission.MANAGE_CATALOGUE)
    panel = session.scalar(
        select(Panel).options(selectinload(Panel.biomarkers)).where(Panel.id == panel_id)
    )
    if panel is None:
        raise NotFound("Panel")
    return panel


@dataclass(frozen=True)
class _PanelValues:
    name: str
    description: str
    requires_fasting: bool
    biomarkers: list[Biomarker]

    def apply(self, panel: Panel) -> None:
        panel.name, panel.description = self.name, self.description
        panel.requires_fasting, panel.biomarkers = self.requires_fasting, self.biomarkers


def create_panel(session: Session, data: Mapping[str, object], *, actor: Actor) -> Panel:
    """Add a panel: `name` (unique), `description`, `requires_fasting`, and `biomarker_ids` (one
    or more of the catalogue's). Raises Forbidden, ValidationError, Conflict (field `name`)."""
    ensure_permitted(actor, Permission.MANAGE_CATALOGUE)
    with write_transaction(session):
        values = _panel_values(session, data)
        _ensure_unique_name(session, values.name, None)
        panel = Panel()
        values.apply(panel)
        session.add(panel)
        _flush_unique_name(session, values.name)
    return panel


def update_panel(
    session: Session, panel_id: uuid.UUID, data: Mapping[str, object], *, actor: Actor
) -> Panel:
    """Replace a panel's name, description, fasting rule and biomarkers (as in `create_panel`);
    appointments that ordered it keep it. Raises Forbidden, NotFound, ValidationError,
    Conflict (field `name`)."""
    ensure_permitted(actor, Permission.MANAGE_CATALOGUE)
    with write_transaction(session):
        panel = session.get(Panel, panel_id)
        if panel is None:
            raise NotFound("Panel")
        values = _panel_values(session, data)
        _ensure_unique_name(session, values.name, panel_id)
        values.apply(panel)
        _flush_unique_name(session, values.name)
    return panel


def _panel_values(session: Session, data: Mapping[str, object]) -> _PanelValues:
    errors: dict[str, list[str]] = {}
    name = _collect(errors, parse_catalogue_name, data.get("name"), "name")
    description = data.get("description")
    text = description.strip() if isinstance(description, str) else ""
    if len(text) > MAX_DESCRIPTION_LENGTH:
        errors["description"] = [too_long(msg("The description"), MAX_DESCRIPTION_LENGTH)]
    _collect(errors, _parse_description_lines, text, "description")
    biomarkers = _biomarkers(session, data.get("biomarker_ids"), errors)
    if errors or name is None:
        raise ValidationError.from_errors(errors)
    return _PanelValues(name, text, data.get("requires_fasting") is True, biomarkers)


def _biomarkers(session: Session, value: object, errors: dict[str, list[str]]) -> list[Biomarker]:
    raw = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else []
    try:
        ids = {parse_uuid(item, "biomarker_ids") for item in raw}
    except ValidationError as error:
        errors["biomarker_ids"] = [error.message]
        return []
    if not ids:
        errors["biomarker_ids"] = [msg("Choose at least one biomarker the panel measures.")]
        return []
    query = select(Biomarker).where(Biomarker.id.in_(ids)).order_by(Biomarker.name)
    found = list(session.scalars(query))
    if len(found) < len(ids):
        errors["biomarker_ids"] = [msg("A chosen biomarker is no longer in the catalogue.")]
    return found


def _ensure_unique_name(session: Session, name: str, panel_id: uuid.UUID | None) -> None:
    query = select(Panel.id).where(func.lower(Panel.name) == name.lower())
    if panel_id is not None:
        query = query.where(Panel.id != panel_id)
    if session.scalar(query.limit(1)) is not None:
        raise _name_taken(name)


def _flush_unique_name(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise _name_taken(name) from None  # added by another request since the check


def _name_taken(name: str) -> Conflict:
    return Conflict(msg("The catalogue has a panel called %(name)s.", name=name), field="name")
