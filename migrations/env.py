"""Alembic environment: the URL comes from the Config our code builds (`app.migrate`), else from
DATABASE_URL, else the app's default SQLite file; the target is the models' schema as that
database's dialect holds it (`app.migrate.models_schema`)."""

from __future__ import annotations

import os
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine, make_url, pool

from app.domain.types import UTCDateTime
from app.migrate import default_url, models_schema

config = context.config


def database_url() -> str:
    return (
        config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL") or default_url()
    )


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Revisions stay free of app imports: UTCDateTime's storage is a plain aware DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(database: str, **kwargs: Any) -> None:
    context.configure(
        target_metadata=models_schema(make_url(database).get_dialect().name),
        render_item=render_item,
        compare_type=True,
        # SQLite alters a table by copying it; batch mode writes migrations that way.
        render_as_batch=database.startswith("sqlite"),
        **kwargs,
    )


def run_migrations_offline() -> None:
    url = database_url()
    configure(url, url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        configure(url, connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
