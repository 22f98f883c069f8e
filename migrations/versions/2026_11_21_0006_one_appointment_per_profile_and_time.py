"""One appointment per profile and start instant: a partial unique index over those not cancelled.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 21:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_CANCELLED = sa.text("status <> 'cancelled'")


def upgrade() -> None:
    # Doubles booked before this rule stop the upgrade: which one the person keeps is theirs to
    # say, so cancel the others (portal or API) and run `init-db` again.
    doubles = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM (SELECT profile_id, scheduled_at FROM appointments "
            "WHERE status <> 'cancelled' GROUP BY profile_id, scheduled_at HAVING count(*) > 1) "
            "AS doubles"
        )
    )
    if doubles:
        raise RuntimeError(
            f"{doubles} profile(s) hold two or more appointments at the same start time; cancel "
            "all but one of each, then upgrade again."
        )
    op.create_index(
        "uq_appointments_profile_scheduled",
        "appointments",
        ["profile_id", "scheduled_at"],
        unique=True,
        postgresql_where=NOT_CANCELLED,
        sqlite_where=NOT_CANCELLED,
    )


def downgrade() -> None:
    op.drop_index("uq_appointments_profile_scheduled", table_name="appointments")
