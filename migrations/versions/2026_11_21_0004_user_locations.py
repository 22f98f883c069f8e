"""User locations: front desk works at one or more test locations (users.location_id moves out).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 21:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_locations",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["test_locations.id"],
            name=op.f("fk_user_locations_location_id_test_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_locations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "location_id", name=op.f("pk_user_locations")),
    )
    op.execute(
        "INSERT INTO user_locations (user_id, location_id) "
        "SELECT id, location_id FROM users WHERE location_id IS NOT NULL"
    )
    # SQLite cannot drop a column with a foreign key in place: batch mode copies the table.
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_users_location_id_test_locations"), type_="foreignkey"
        )
        batch_op.drop_column("location_id")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("location_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_users_location_id_test_locations"),
            "test_locations",
            ["location_id"],
            ["id"],
        )
    # The single column keeps each user's first location, in the order the portal lists them.
    op.execute(
        "UPDATE users SET location_id = ("
        "SELECT user_locations.location_id FROM user_locations "
        "JOIN test_locations ON test_locations.id = user_locations.location_id "
        "WHERE user_locations.user_id = users.id "
        "ORDER BY test_locations.name, test_locations.id LIMIT 1)"
    )
    op.drop_table("user_locations")
