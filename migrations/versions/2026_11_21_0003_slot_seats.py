"""Slot seats: a chair counter per (test location, slot start), filled from the appointments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 19:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slot_seats",
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("taken >= 0", name=op.f("ck_slot_seats_taken")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["test_locations.id"],
            name=op.f("fk_slot_seats_location_id_test_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("location_id", "starts_at", name=op.f("pk_slot_seats")),
    )
    # Every appointment that is not cancelled holds a chair in its slot.
    op.execute(
        "INSERT INTO slot_seats (location_id, starts_at, taken) "
        "SELECT location_id, scheduled_at, COUNT(*) FROM appointments "
        "WHERE status <> 'cancelled' GROUP BY location_id, scheduled_at"
    )


def downgrade() -> None:
    op.drop_table("slot_seats")
