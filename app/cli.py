"""Operator commands (contract, "Operator interface"); each calls domain services."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import make_url, select

from app.clock import now
from app.db import get_session
from app.domain import accounts, idempotency, user_sessions
from app.domain.data_checks import find_draws_without_panel
from app.domain.errors import DomainError, ValidationError
from app.domain.models import Role, TestLocation
from app.domain.rules import format_local
from app.migrate import upgrade_database
from app.seed import seed_demo

# Domain field names -> the command-line option that gives them, named in error messages.
OPTIONS = {"organisation": "--org", "locations": "--location"}


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a domain error into a ClickException: its message on stderr, exit status 1."""
    try:
        yield
    except ValidationError as error:
        messages = [
            f"{message} ({OPTIONS[field]})" if field in OPTIONS else message
            for field, field_messages in error.errors.items()
            for message in field_messages
        ]
        raise click.ClickException(" ".join(messages)) from None
    except DomainError as error:
        raise click.ClickException(error.message) from None


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the schema, or upgrade it to the newest migration (safe to repeat)."""
    upgrade_database(current_app.config["DATABASE_URL"])
    click.echo("The database is at the newest migration.")


DEMO_FLAG = "--i-know-this-is-a-demo"


@click.command("seed-demo")
@click.option(
    DEMO_FLAG,
    "demo_confirmed",
    is_flag=True,
    help="Seed a database that is not SQLite too (the demo users' password is public).",
)
@with_appcontext
def seed_demo_command(demo_confirmed: bool) -> None:
    """Add the demo organisation, locations, panels, profiles and users (safe to repeat).

    The demo users' password is printed in the README, so only SQLite (the embedded database of
    `make run`) is seeded unless the flag says the database is a demo one."""
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite" and not demo_confirmed:
        raise click.ClickException(
            f"Not seeding {url.render_as_string(hide_password=True)}: the demo users' password "
            "is printed in the README, so anyone could sign in to this database as an admin. "
            f"If it is a demo database that only you reach, run seed-demo {DEMO_FLAG}."
        )
    session = get_session()
    with domain_errors():
        created = seed_demo(session, now=now())
    if created:
        click.echo(
            "Added " + ", ".join(f"{kind}: {count}" for kind, count in created.items()) + "."
        )
    else:
        click.echo("The demo data is present already; nothing changed.")
    click.echo("Test locations:")
    query = select(TestLocation).order_by(TestLocation.country_code, TestLocation.name)
    for location in session.scalars(query):
        click.echo(f"  {location.id}  {location.name} ({location.timezone})")


@click.command("create-org")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's display name.")
@with_appcontext
def create_org_command(slug: str, name: str) -> None:
    """Create an organisation with SLUG."""
    with domain_errors():
        organisation = accounts.create_organisation(get_session(), slug, name, now=now())
    click.echo(f"Created organisation {organisation.slug} ({organisation.name}).")


@click.command("create-api-key")
@click.option("--org", "org_slug", required=True, metavar="SLUG", help="The key's organisation.")
@click.option(
    "--scope",
    "scopes",
    required=True,
    multiple=True,
    metavar="SCOPE",
    help="A scope from the contract, such as TEST_SESSIONS_SCHEDULE; repeat for several.",
)
@click.option("--name", default="API key", show_default=True, help="A label for the key.")
@with_appcontext
def create_api_key_command(org_slug: str, scopes: tuple[str, ...], name: str) -> None:
    """Create an API key; the key is printed once, alone on the last line, and stored hashed."""
    with domain_errors():
        api_key, secret = accounts.create_api_key(
            get_session(), org_slug, scopes, name=name, now=now()
        )
    click.echo(f"Created API key '{api_key.name}' for {org_slug} with {', '.join(api_key.scopes)}.")
    click.echo("Store it now: it is shown only this once.")
    click.echo(secret)


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, metavar="|".join(Role), help="The user's role.")
@click.option("--org", "org_slug", metavar="SLUG", help="Organisation (patient, coordinator).")
@click.option(
    "--location",
    "location_ids",
    type=click.UUID,
    multiple=True,
    metavar="ID",
    help="A test location's id (front desk); repeat for each location they work at.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 12 characters; asked for (hidden, twice) when absent.",
)
@with_appcontext
def create_user_command(
    email: str,
    role: str,
    org_slug: str | None,
    location_ids: tuple[uuid.UUID, ...],
    password: str,
) -> None:
    """Create a portal user with EMAIL; prompts for the password unless --password is given."""
    with domain_errors():
        user = accounts.create_user(
            get_session(),
            email,
            password,
            role,
            now=now(),
            organisation_slug=org_slug,
            location_ids=location_ids,
        )
    where = ", ".join(location.name for location in user.locations)
    click.echo(f"Created {user.role} {user.email}" + (f" at {where}." if where else "."))


@click.command("set-password")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 12 characters; asked for (hidden, twice) when absent.",
)
@with_appcontext
def set_password_command(email: str, password: str) -> None:
    """Give the portal user with EMAIL a new password; every session of theirs ends."""
    with domain_errors():
        user = user_sessions.change_password(get_session(), email, password)
    click.echo(f"New password set for {user.email}; every session of theirs has ended.")


@click.command("purge-idempotency-keys")
@with_appcontext
def purge_idempotency_keys_command() -> None:
    """Delete the API's idempotency keys older than IDEMPOTENCY_KEY_TTL_HOURS; print how many."""
    ttl = timedelta(hours=current_app.config["IDEMPOTENCY_KEY_TTL_HOURS"])
    deleted = idempotency.purge_expired_keys(get_session(), now=now(), ttl=ttl)
    click.echo(f"Deleted {deleted} expired idempotency key{'' if deleted == 1 else 's'}.")


@click.command("check-data")
@with_appcontext
def check_data_command() -> None:
    """List stored appointments that break a rule (blood drawn without a panel); exit with
    status 1 when there are any, 0 when all is well. Names no patient."""
    problems = find_draws_without_panel(get_session())
    for problem in problems:
        barcode = f", barcode {problem.barcode}" if problem.barcode else ""
        click.echo(
            f"{problem.appointment_id}  blood drawn without a panel: {problem.location_name}, "
            f"{format_local(problem.scheduled_at, problem.timezone)}{barcode}"
        )
    if problems:
        count = len(problems)
        raise click.ClickException(
            f"{count} appointment{' is' if count == 1 else 's are'} recorded as blood drawn "
            "without a panel."
        )
    click.echo("No stored appointment breaks a rule checked here.")


COMMANDS = (
    init_db_command,
    seed_demo_command,
    create_org_command,
    create_api_key_command,
    create_user_command,
    set_password_command,
    purge_idempotency_keys_command,
    check_data_command,
)


def init_cli(app: Flask) -> None:
    """Register the `flask --app app ...` commands."""
    for command in COMMANDS:
        app.cli.add_command(command)
