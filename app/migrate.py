"""Alembic, configured in code: upgrade a database to the newest migration, or write a revision."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

import app.domain.idempotency_models  # noqa: F401  (its table joins the metadata on import)
from app.config import defaults
from app.domain.models import Base

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Revision files sort by the time they were written: 2026_11_21_1430_add_closed_dates.py
FILE_TEMPLATE = "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d_%(slug)s"


def alembic_config(url: str) -> Config:
    """An Alembic Config for `url` with the script location set, independent of the cwd."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", FILE_TEMPLATE.replace("%", "%%"))
    config.set_main_option("timezone", "UTC")
    # The Config is ConfigParser-backed: a literal `%` (a URL-encoded password) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def models_schema(dialect: str) -> MetaData:
    """The models' tables as a database of `dialect` holds them: without the indexes that the
    models create on another dialect only (`models.only_on`). The migrations are checked
    against it (`migrations/env.py`, `tests/test_migrations.py`)."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        copy = table.to_metadata(metadata)
        for index in table.indexes:
            if index.info.get("dialect") not in (None, dialect):
                copy.indexes.discard(next(i for i in copy.indexes if i.name == index.name))
    return metadata


def upgrade_database(url: str) -> None:
    """Create the schema, or upgrade it to the newest migration; a no-op when it is current."""
    command.upgrade(alembic_config(url), "head")


def write_revision(url: str, message: str) -> None:
    """Autogenerate a new revision from the models' difference to the database at `url`,
    which must be at the newest migration. Review the file by hand before committing it."""
    command.revision(alembic_config(url), message=message, autogenerate=True)


def main(argv: list[str] | None = None) -> None:
    """`upgrade` or `revision -m MESSAGE`, on `--url` (default: DATABASE_URL, else the app's).

    Run as `python -c 'from app.migrate import main; main()' ...` (`make migration` does): the
    `app` package imports this module itself, so `python -m app.migrate` would load it twice."""
    parser = argparse.ArgumentParser(prog="app.migrate", description="Alembic for Vena.")
    parser.add_argument("action", choices=("upgrade", "revision"))
    parser.add_argument("-m", "--message", default="")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args(argv)
    url = args.url or default_url()
    if args.action == "upgrade":
        upgrade_database(url)
    elif not args.message:
        parser.error("revision needs -m MESSAGE")
    else:
        write_revision(url, args.message)


def default_url() -> str:
    """The app's default database: the SQLite file in `instance/`."""
    return str(defaults(MIGRATIONS.parent / "instance")["DATABASE_URL"])
