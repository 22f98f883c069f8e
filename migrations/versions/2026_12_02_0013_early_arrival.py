"""Early arrival: the minutes before an appointment's start from which its blood draw may be
recorded, per test location (60 for every existing one).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("test_locations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("early_arrival_minutes", sa.Integer(), server_default="60", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_test_locations_early_arrival"), "early_arrival_minutes >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("test_locations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_test_locations_early_arrival"), type_="check")
        batch_op.drop_column("early_arrival_minutes")
