"""Accounts: organisations, portal users with argon2id passwords, and hashed API keys."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.access import SCOPE_PERMISSIONS, Actor, actor_for_scopes, actor_for_user
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.messages import msg
from app.domain.models import ApiKey, Organisation, Role, TestLocation, User
from app.domain.passwords import ensure_strong_password
from app.domain.profile_rules import parse_email
from app.domain.rules import ensure_printable_text
from app.domain.transactions import write_transaction

API_KEY_PREFIX = "vena_"
# The organisation of patients who sign up themselves (the PUBLIC_ORGANISATION setting).
PUBLIC_ORGANISATION = "public"
PUBLIC_ORGANISATION_NAME = "Self-registered patients"
_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106) recommended parameters


def hash_password(password: str) -> str:
    """Return the argon2id hash of `password`. Raises ValidationError if it is too short or a
    commonly used one (`ensure_strong_password`)."""
    ensure_strong_password(password)
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Answer whether `password` matches the user's stored hash."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_api_key(secret: str) -> str:
    """SHA-256 hex digest of an API key. The keys are 256-bit random, so a fast hash suffices
    and allows the look-up by hash; the secret itself is never stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_organisation(session: Session, slug: str, name: str, *, now: datetime) -> Organisation:
    """Create an organisation. Raises ValidationError for an empty slug or name, Conflict if the
    slug is taken."""
    slug = slug.strip().lower()
    if not slug or not name.strip():
        raise ValidationError("slug", msg("An organisation needs a slug and a name."))
    with write_transaction(session):
        if session.scalar(select(Organisation).where(Organisation.slug == slug)):
            raise Conflict(
                msg("An organisation with slug '%(slug)s' exists already.", slug=slug), field="slug"
            )
        organisation = Organisation(slug=slug, name=name.strip(), created_at=now)
        session.add(organisation)
    return organisation


def get_organisation(session: Session, slug: str) -> Organisation:
    """The organisation with `slug`. Raises NotFound."""
    organisation = session.scalar(select(Organisation).where(Organisation.slug == slug.lower()))
    if organisation is None:
        raise NotFound("Organisation", msg("No organisation has the slug '%(slug)s'.", slug=slug))
    return organisation


def create_api_key(
    session: Session, organisation_slug: str, scopes: Iterable[str], *, name: str, now: datetime
) -> tuple[ApiKey, str]:
    """Create an API key with `scopes` (contract, "Scopes") for an organisation.

    Returns the stored key and the secret, which exists only in this return value. Raises
    NotFound (organisation), ValidationError (no scope, or an unknown one).
    """
    scopes = list(dict.fromkeys(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPE_PERMISSIONS]
    if not scopes or unknown:
        raise ValidationError(
            "scope",
            msg(
                "Give one or more of: %(scopes)s (unknown: %(unknown)s).",
                scopes=", ".join(SCOPE_PERMISSIONS),
                unknown=", ".join(unknown) or "none",
            ),
        )
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    with write_transaction(session):
        organisation = get_organisation(session, organisation_slug)
        api_key = ApiKey(
            organisation_id=organisation.id,
            name=name.strip() or "API key",
            prefix=secret[: len(API_KEY_PREFIX) + 6],
            secret_hash=hash_api_key(secret),
            scopes=scopes,
            created_at=now,
        )
        session.add(api_key)
    return api_key, secret


def authenticate_api_key(session: Session, secret: str | None) -> Actor | None:
    """The actor of a valid, unrevoked API key, or None for a missing, unknown or revoked one."""
    if not secret:
        return None
    api_key = session.scalar(select(ApiKey).where(ApiKey.secret_hash == hash_api_key(secret)))
    if api_key is None or api_key.revoked_at is not None:
        return None
    return actor_for_scopes(f"api_key:{api_key.name}", api_key.organisation_id, api_key.scopes)


def create_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    *,
    now: datetime,
    organisation_slug: str | None = None,
    location_ids: Iterable[uuid.UUID] = (),
) -> User:
    """Create a portal user. Patients and coordinators need an organisation, front desk one or
    more test locations (`location_ids`; other roles ignore them). Raises ValidationError
    (e-mail, password, role, missing link), NotFound (organisation, location), Conflict (e-mail
    taken)."""
    address = parse_email(email)
    if address is None:
        raise ValidationError("email", msg("An e-mail address is required."))
    try:
        role_value = Role(role)
    except ValueError:
        raise ValidationError(
            "role", msg("role must be one of %(roles)s.", roles=", ".join(Role))
        ) from None
    password_hash = hash_password(password)
    with write_transaction(session):
        organisation = get_organisation(session, organisation_slug) if organisation_slug else None
        locations: list[TestLocation] = []
        if role_value is Role.FRONT_DESK:
            locations = _front_desk_locations(session, location_ids)
        ensure_role_links(
            role_value, has_organisation=organisation is not None, location_count=len(locations)
        )
        return _add_user(
            session,
            address,
            password_hash,
            role_value,
            organisation_id=organisation.id if organisation else None,
            locations=locations,
            now=now,
        )


ORGANISATION_ROLES = (Role.PATIENT, Role.COORDINATOR)
NEEDS_ORGANISATION = {
    Role.PATIENT: msg("A patient needs an organisation."),
    Role.COORDINATOR: msg("A coordinator needs an organisation."),
}


def ensure_role_links(role: Role, *, has_organisation: bool, location_count: int) -> None:
    """Raise ValidationError unless the role has what it works for: patients and coordinators an
    organisation (field `organisation`), front desk one or more test locations (`locations`).
    Admins need neither; links a role does not use are dropped, not refused."""
    if role in ORGANISATION_ROLES and not has_organisation:
        raise ValidationError("organisation", NEEDS_ORGANISATION[role])
    if role is Role.FRONT_DESK and location_count == 0:
        raise ValidationError("locations", msg("Front desk needs one or more test locations."))


def _front_desk_locations(
    session: Session, location_ids: Iterable[uuid.UUID]
) -> list[TestLocation]:
    """The test locations named by `location_ids` (duplicates once). Raises NotFound naming the
    first unknown id."""
    locations: list[TestLocation] = []
    for location_id in dict.fromkeys(location_ids):
        location = session.get(TestLocation, location_id)
        if location is None:
            raise NotFound(
                "Test location", msg("No test location has the id %(id)s.", id=location_id)
            )
        locations.append(location)
    return locations


def register_patient(
    session: Session,
    email: str,
    password: str,
    *,
    now: datetime,
    organisation_slug: str = PUBLIC_ORGANISATION,
) -> User:
    """Create the account of a patient who signs up on their own.

    Self-registered patients belong to one organisation, `organisation_slug` (the
    PUBLIC_ORGANISATION setting; `public` unless configured). The first sign-up creates it, in
    the same transaction, so no set-up step is needed; an operator who wants sign-ups in an
    existing organisation names its slug instead. Its coordinators see these patients' profiles
    as any organisation's coordinators see theirs; a patient sees only the profiles they own.

    Raises ValidationError naming every failing field (`email`: missing or malformed;
    `password`: `ensure_strong_password`), Conflict(field="email") when the address has an
    account already.
    """
    errors: dict[str, list[str]] = {}
    address: str | None = None
    try:
        address = parse_email(email)
        if address is None:
            raise ValidationError("email", msg("An e-mail address is required."))
    except ValidationError as error:
        errors["email"] = [error.message]
    try:
        ensure_strong_password(password)
    except ValidationError as error:
        errors["password"] = [error.message]
    if errors or address is None:
        raise ValidationError.from_errors(errors)
    password_hash = _hasher.hash(password)
    with write_transaction(session):
        organisation = _sign_up_organisation(session, organisation_slug, now=now)
        return _add_user(
            session,
            address,
            password_hash,
            Role.PATIENT,
            organisation_id=organisation.id,
            now=now,
        )


def _sign_up_organisation(session: Session, slug: str, *, now: datetime) -> Organisation:
    query = select(Organisation).where(Organisation.slug == slug.strip().lower())
    organisation = session.scalar(query)
    if organisation is not None:
        return organisation
    try:
        # A savepoint: when two first sign-ups race, the loser's insert alone is undone.
        with session.begin_nested():
            organisation = Organisation(
                slug=slug.strip().lower(), name=PUBLIC_ORGANISATION_NAME, created_at=now
            )
            session.add(organisation)
    except IntegrityError:
        organisation = session.scalars(query).one()
    return organisation


def _add_user(
    session: Session,
    address: str,
    password_hash: str,
    role: Role,
    *,
    organisation_id: uuid.UUID | None,
    locations: Iterable[TestLocation] = (),
    now: datetime,
) -> User:
    taken = Conflict(
        msg("A user with e-mail %(email)s exists already.", email=address), field="email"
    )
    if session.scalar(select(User).where(User.email == address.lower())):
        raise taken
    user = User(
        email=address.lower(),
        password_hash=password_hash,
        role=role,
        organisation_id=organisation_id,
        locations=list(locations),
        created_at=now,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise taken from None  # another request took the address since the check above
    session.refresh(user, ["locations"])  # in the relationship's order, before the commit
    return user


def sign_in_email(email: str) -> str:
    """The form of an e-mail address that sign-in looks users up by (and that sign-in's rate
    limit counts attempts by): without surrounding spaces, lower case."""
    return email.strip().lower()


def authenticate_user(session: Session, email: str, password: str) -> User | None:
    """The user with this e-mail and password, or None; the same answer for either mistake.
    Raises ValidationError("email") for one with a control character, which no account has."""
    ensure_printable_text(email, "email")
    user = session.scalar(select(User).where(User.email == sign_in_email(email)))
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check, so e-mails are not probed
        return None
    return user if verify_password(user, password) else None


def user_actor(user: User) -> Actor:
    """The actor of a signed-in portal user (front desk: at every location they work at)."""
    return actor_for_user(
        f"{user.role}:{user.email}",
        user.role,
        user_id=user.id,
        organisation_id=user.organisation_id,
        location_ids=[location.id for location in user.locations],
    )
