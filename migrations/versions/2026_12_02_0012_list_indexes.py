"""Indexes for the portal's keyset pages: an organisation's profiles by last and first name
(PostgreSQL; see `models.Profile`), its API keys newest first, and users by organisation (the
organisations list counts each one's users).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_profiles_organisation_name",
            "profiles",
            ["organisation_id", sa.text("coalesce(last_name, '')"), "first_name", "id"],
        )
    op.create_index(
        "ix_api_keys_organisation_created", "api_keys", ["organisation_id", "created_at", "id"]
    )
    op.create_index(op.f("ix_users_organisation_id"), "users", ["organisation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_users_organisation_id"), table_name="users")
    op.drop_index("ix_api_keys_organisation_created", table_name="api_keys")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_profiles_organisation_name", table_name="profiles")
