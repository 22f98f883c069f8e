"""Request body schemas: the pydantic body models' own JSON schemas, and the profile bodies.

Profiles are checked field by field by the domain (`app.domain.profiles`), not by a pydantic
model, so their schemas are written here from the contract's "Profile" rules.
"""

from __future__ import annotations

from pydantic import BaseModel

from app.api.bodies import BarcodeBody, BookingBody, PanelsBody, RescheduleBody
from app.api.openapi.patterns import PRINTABLE_LINE, latin_name_pattern
from app.api.openapi.schemas import DAY, LANGUAGE, SEX, Schema, measure
from app.domain.profile_rules import HEIGHT_RANGE_CM, WEIGHT_RANGE_KG

_NAME_RULE = (
    "1 to 100 characters: Latin-script letters, spaces, hyphens and apostrophes (trimmed, NFC)."
)


def model_schema(model: type[BaseModel]) -> Schema:
    """`model`'s JSON schema (pydantic, JSON Schema 2020-12 as OpenAPI 3.1 uses), without the
    class's own title and docstring: the component's name and the operation describe it."""
    schema = model.model_json_schema()
    schema.pop("title", None)
    schema.pop("description", None)
    return schema


_PROFILE_FIELDS: dict[str, Schema] = {
    "handle": {
        "type": ["string", "null"],
        "maxLength": 100,
        "pattern": PRINTABLE_LINE,
        "description": "The partner's own reference, unique within the organisation; one line, "
        "no control characters.",
    },
    "first_name": {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "pattern": latin_name_pattern(),
        "description": _NAME_RULE,
    },
    "last_name": {
        "type": ["string", "null"],
        "maxLength": 100,
        "pattern": latin_name_pattern(optional=True),
        "description": _NAME_RULE,
    },
    "email": {"type": ["string", "null"], "format": "email"},
    "phone": {
        "type": ["string", "null"],
        # Trimmed before it is read; an empty string is no number, as null is.
        "pattern": r"^(|\s*\+[1-9][0-9]{1,14}\s*)$",
        "description": "E.164, such as +4930123456789; empty or null for none.",
    },
    "sex": SEX,
    "date_of_birth": {**DAY, "description": "In the past."},
    "height": measure(HEIGHT_RANGE_CM, "cm"),
    "weight": measure(WEIGHT_RANGE_KG, "kg"),
    "language": {"anyOf": [LANGUAGE, {"type": "null"}], "description": "Default (or null): en."},
}

PROFILE_INPUT: Schema = {
    "type": "object",
    "description": "A new profile. Unknown fields are ignored.",
    "properties": _PROFILE_FIELDS,
    "required": ["first_name", "sex", "date_of_birth"],
}
PROFILE_CHANGES: Schema = {
    "type": "object",
    "description": "The fields to change; the others keep their values.",
    "properties": _PROFILE_FIELDS,
}

INPUT_SCHEMAS: dict[str, Schema] = {
    "ProfileInput": PROFILE_INPUT,
    "ProfileChanges": PROFILE_CHANGES,
    "BookingRequest": model_schema(BookingBody),
    "RescheduleRequest": model_schema(RescheduleBody),
    "PanelsRequest": model_schema(PanelsBody),
    "BarcodeRequest": model_schema(BarcodeBody),
}
