"""Status history details: what a reschedule or a panel change did (`app.domain.history_details`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:09:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("status_changes") as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("status_changes") as batch_op:
        batch_op.drop_column("details")
