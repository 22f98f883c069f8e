"""Pagination indexes: appointments by (scheduled_at, id) for the list's keyset, and by updated_at.

The composite index replaces the one on scheduled_at alone, which it covers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 22:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_appointments_scheduled_at_id"), "appointments", ["scheduled_at", "id"]
    )
    op.drop_index(op.f("ix_appointments_scheduled_at"), table_name="appointments")
    op.create_index(op.f("ix_appointments_updated_at"), "appointments", ["updated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_appointments_updated_at"), table_name="appointments")
    op.create_index(op.f("ix_appointments_scheduled_at"), "appointments", ["scheduled_at"])
    op.drop_index(op.f("ix_appointments_scheduled_at_id"), table_name="appointments")
