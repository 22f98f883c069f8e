"""Location schedule: slot duration and interval, capacity, notice, horizon; closed dates.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 17:16:49+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEDULE_CHECK = (
    "slot_duration_minutes > 0 AND slot_interval_minutes > 0 AND capacity > 0 "
    "AND minimum_notice_minutes >= 0 AND booking_horizon_days > 0"
)


def upgrade() -> None:
    op.create_table(
        "closed_dates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["test_locations.id"],
            name=op.f("fk_closed_dates_location_id_test_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_dates")),
        sa.UniqueConstraint("location_id", "date", name="uq_closed_dates_location_date"),
    )
    with op.batch_alter_table("test_locations", schema=None) as batch_op:
        for name, default in (
            ("slot_duration_minutes", "10"),
            ("slot_interval_minutes", "15"),
            ("capacity", "1"),
            ("minimum_notice_minutes", "60"),
            ("booking_horizon_days", "90"),
        ):
            batch_op.add_column(
                sa.Column(name, sa.Integer(), server_default=default, nullable=False)
            )
        batch_op.create_check_constraint(op.f("ck_test_locations_schedule"), SCHEDULE_CHECK)


def downgrade() -> None:
    with op.batch_alter_table("test_locations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_test_locations_schedule"), type_="check")
        for name in (
            "booking_horizon_days",
            "minimum_notice_minutes",
            "capacity",
            "slot_interval_minutes",
            "slot_duration_minutes",
        ):
            batch_op.drop_column(name)
    op.drop_table("closed_dates")
