"""Every portal session of a user ends together: each holds the user's session version, which
moves on at sign-out, with a new password and with a new role."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.accounts import hash_password, sign_in_email
from app.domain.errors import NotFound
from app.domain.messages import msg
from app.domain.models import User
from app.domain.transactions import write_transaction


def is_current_session(user: User, version: int) -> bool:
    """Answer whether a session holding `version` is still one of `user`'s open sessions."""
    return user.session_version == version


def move_session_version_on(session: Session, user_id: uuid.UUID) -> None:
    """Inside the caller's write transaction: end every session of the user, in one
    `UPDATE users SET session_version = session_version + 1`, so two changes at once both
    count and neither reads a stale version."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session="fetch")
    )


def end_user_sessions(session: Session, user_id: uuid.UUID) -> None:
    """Sign the user out everywhere: every session cookie issued to them so far, copies
    included, stops working (OWASP Session Management Cheat Sheet, "Manual session expiration").
    A user who is gone has nothing to end."""
    with write_transaction(session):
        move_session_version_on(session, user_id)


def change_password(session: Session, email: str, password: str) -> User:
    """Give the user with `email` (as sign-in looks it up) a new password, and end every
    session of theirs: whoever held the old password may hold a session too.

    Raises ValidationError (`password`: `ensure_strong_password`), NotFound (no such user).
    """
    password_hash = hash_password(password)
    with write_transaction(session):
        user = session.scalar(
            select(User).where(User.email == sign_in_email(email)).with_for_update()
        )
        if user is None:
            raise NotFound("User", msg("No user has the e-mail %(email)s.", email=email.strip()))
        user.password_hash = password_hash
        move_session_version_on(session, user.id)
    return user
