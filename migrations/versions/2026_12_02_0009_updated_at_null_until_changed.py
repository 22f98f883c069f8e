"""`updated_at` null until an appointment's first change after its booking (contract).

`appointments.updated_at` becomes nullable and is emptied where it equals `created_at` and the
history holds nothing after the booking's own entry: such an appointment was never changed. The
index on `created_at` over those rows serves `updated_since`, which reads
`coalesce(updated_at, created_at)`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:08:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNCHANGED = sa.text("updated_at IS NULL")


def upgrade() -> None:
    # SQLite cannot drop NOT NULL in place: batch mode copies the table.
    with op.batch_alter_table("appointments") as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=True
        )
    op.execute(
        "UPDATE appointments SET updated_at = NULL WHERE updated_at = created_at AND NOT EXISTS "
        "(SELECT 1 FROM status_changes WHERE status_changes.appointment_id = appointments.id "
        "AND status_changes.sequence > 1)"
    )
    op.create_index(
        "ix_appointments_created_at_unchanged",
        "appointments",
        ["created_at"],
        postgresql_where=UNCHANGED,
        sqlite_where=UNCHANGED,
    )


def downgrade() -> None:
    op.drop_index("ix_appointments_created_at_unchanged", table_name="appointments")
    op.execute("UPDATE appointments SET updated_at = created_at WHERE updated_at IS NULL")
    with op.batch_alter_table("appointments") as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
