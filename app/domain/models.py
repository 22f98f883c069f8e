"""Typed ORM models: organisations, accounts, profiles, the catalogue and appointments."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.domain.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints predictably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppointmentStatus(enum.StrEnum):
    """The contract's appointment statuses: pending -> confirmed -> blood_drawn, or cancelled."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    BLOOD_DRAWN = "blood_drawn"
    CANCELLED = "cancelled"


class Role(enum.StrEnum):
    """Portal user roles; each maps to a set of permissions in `app.domain.access`."""

    PATIENT = "patient"
    COORDINATOR = "coordinator"
    FRONT_DESK = "front_desk"
    ADMIN = "admin"


def only_on(dialect: str, index: Index) -> Index:
    """`index`, created on `dialect`'s databases only, and part of the schema the migrations are
    checked against there only (`info["dialect"]`, read by `migrate.models_schema`). For an
    index on an expression: SQLite can hold one, but SQLAlchemy cannot reflect it, so nothing
    could check that the migrations made it, and SQLite's deployments are small."""
    index.info["dialect"] = dialect
    return index.ddl_if(dialect=dialect)


def _values(enum_type: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum_type)


class Organisation(Base):
    """A customer of Vena (a clinic group or lab partner); owns profiles, users and API keys."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# The test locations a front-desk user works at (one or more).
user_locations = Table(
    "user_locations",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("test_locations.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    """A portal sign-in: e-mail, argon2id password hash, role, and what the role works for
    (front desk: `locations`, by name; patient and coordinator: `organisation_id`)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN ({_values(Role)})", name="role"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    # Indexed for the organisations list, which counts each one's users.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Kept in each portal session; moving it on (sign-out, new password, new role) ends them all.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()
    locations: Mapped[list[TestLocation]] = relationship(
        secondary=user_locations, order_by="TestLocation.name, TestLocation.id"
    )


class ApiKey(Base):
    """A partner's API key: only the SHA-256 of the secret is kept, with its scopes and org."""

    __tablename__ = "api_keys"
    # An organisation's keys newest first (`organisation_admin.API_KEY_ORDER`), read backwards.
    __table_args__ = (
        Index("ix_api_keys_organisation_created", "organisation_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()


class Profile(Base):
    """A patient, as the contract's Profile: height in cm, weight in kg, sex as ISO/IEC 5218."""

    __tablename__ = "profiles"
    __table_args__ = (
        UniqueConstraint("organisation_id", "handle", name="uq_profiles_organisation_handle"),
        CheckConstraint("sex IN (1, 2)", name="sex"),
        # An organisation's profiles in the lists' keyset order (`profiles.PROFILE_ORDER`): a
        # page is one range scan of it.
        only_on(
            "postgresql",
            Index(
                "ix_profiles_organisation_name",
                "organisation_id",
                text("coalesce(last_name, '')"),
                "first_name",
                "id",
            ),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    handle: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[int] = mapped_column(SmallInteger)
    date_of_birth: Mapped[date] = mapped_column(Date)
    height: Mapped[float | None] = mapped_column(Float)
    weight: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()

    @property
    def full_name(self) -> str:
        """First and last name joined, for display."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class TestLocation(Base):
    """A place where blood is drawn. `open_hours` maps weekday names to lists of
    `{"open": "HH:MM", "close": "HH:MM"}` in the location's IANA `timezone`."""

    __tablename__ = "test_locations"
    __test__ = False  # not a pytest test class, despite its name
    __table_args__ = (
        CheckConstraint("default_status IN ('pending', 'confirmed')", name="default_status"),
        CheckConstraint(
            "slot_duration_minutes > 0 AND slot_interval_minutes > 0 AND capacity > 0 "
            "AND minimum_notice_minutes >= 0 AND booking_horizon_days > 0",
            name="schedule",
        ),
        CheckConstraint("early_arrival_minutes >= 0", name="early_arrival"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    company_name: Mapped[str | None] = mapped_column(String(200))
    address_line_1: Mapped[str] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(20))
    country_name: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    google_maps_url: Mapped[str | None] = mapped_column(String(500))
    image_url: Mapped[str | None] = mapped_column(String(500))
    open_hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    default_status: Mapped[str] = mapped_column(String(20), default="confirmed")
    # The schedule (minutes and days): how long a draw takes, how far apart slots start, how
    # many chairs draw at once, the notice a booking needs, and how far ahead it may lie.
    slot_duration_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    slot_interval_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    capacity: Mapped[int] = mapped_column(default=1, server_default="1")
    minimum_notice_minutes: Mapped[int] = mapped_column(default=60, server_default="60")
    booking_horizon_days: Mapped[int] = mapped_column(default=90, server_default="90")
    # Minutes before an appointment's start from which its blood draw may be recorded, on its
    # local day only (`draw_rules`).
    early_arrival_minutes: Mapped[int] = mapped_column(default=60, server_default="60")

    closed_dates: Mapped[list[ClosedDate]] = relationship(
        order_by="ClosedDate.date", cascade="all, delete-orphan"
    )


class ClosedDate(Base):
    """A local calendar date on which a test location is closed (a holiday), with the reason."""

    __tablename__ = "closed_dates"
    __table_args__ = (
        UniqueConstraint("location_id", "date", name="uq_closed_dates_location_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("test_locations.id", ondelete="CASCADE")
    )
    date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


panel_biomarkers = Table(
    "panel_biomarkers",
    Base.metadata,
    Column("panel_id", ForeignKey("panels.id", ondelete="CASCADE"), primary_key=True),
    Column("biomarker_id", ForeignKey("biomarkers.id", ondelete="CASCADE"), primary_key=True),
)


class Biomarker(Base):
    """A measured quantity, identified by its LOINC code, with its reporting unit (UCUM)."""

    __tablename__ = "biomarkers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    loinc_code: Mapped[str] = mapped_column(String(16), unique=True)
    unit: Mapped[str] = mapped_column(String(32))


class Panel(Base):
    """An orderable group of biomarkers (a lipid panel, HbA1c ...) from the shared catalogue."""

    __tablename__ = "panels"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    requires_fasting: Mapped[bool] = mapped_column(default=False)

    biomarkers: Mapped[list[Biomarker]] = relationship(
        secondary=panel_biomarkers, order_by=Biomarker.name
    )


class Appointment(Base):
    """A booked blood draw of one profile at one test location, at `scheduled_at` (UTC).

    `barcode` is the sample tube's number, set when the blood draw is recorded, unique across
    Vena: the database's unique constraint is what decides between two concurrent recordings.
    """

    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(AppointmentStatus)})", name="status"),
        Index("ix_appointments_location_scheduled", "location_id", "scheduled_at"),
        # The list's keyset order (soonest first, then id): a page is one range scan of it.
        Index("ix_appointments_scheduled_at_id", "scheduled_at", "id"),
        # `updated_since` reads `updated_at`, or `created_at` while that is null (never changed).
        Index(
            "ix_appointments_created_at_unchanged",
            "created_at",
            postgresql_where=text("updated_at IS NULL"),
            sqlite_where=text("updated_at IS NULL"),
        ),
        # One person, one place at a time: a profile holds at most one appointment that is not
        # cancelled per start instant (the database decides between concurrent bookings).
        Index(
            "uq_appointments_profile_scheduled",
            "profile_id",
            "scheduled_at",
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
            sqlite_where=text("status <> 'cancelled'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("profiles.id"), index=True)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("test_locations.id"))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Contract: null until the first change after the booking.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    profile: Mapped[Profile] = relationship()
    location: Mapped[TestLocation] = relationship()
    panels: Mapped[list[AppointmentPanel]] = relationship(
        back_populates="appointment",
        order_by="AppointmentPanel.added_at",
        cascade="all, delete-orphan",
    )
    status_history: Mapped[list[StatusChange]] = relationship(
        order_by="StatusChange.changed_at, StatusChange.sequence", cascade="all, delete-orphan"
    )


class AppointmentPanel(Base):
    """A panel ordered for an appointment, with the instant it was added."""

    __tablename__ = "appointment_panels"

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    panel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("panels.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    appointment: Mapped[Appointment] = relationship(back_populates="panels")
    panel: Mapped[Panel] = relationship()


class StatusChange(Base):
    """One entry of an appointment's status history: the status it entered, when, who and why.

    `sequence` orders entries that share an instant (a booking and its first status). `details`
    is what a reschedule or a panel change did, in the forms `app.domain.history_details` writes.
    """

    __tablename__ = "status_changes"
    __table_args__ = (
        UniqueConstraint("appointment_id", "sequence", name="uq_status_changes_sequence"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class SlotSeats(Base):
    """The chair counter of one slot at a test location: capacity is taken from this row.

    `taken` counts the slot's appointments that are not cancelled. Booking raises it with a
    conditional UPDATE that only succeeds while `taken` is below the location's capacity, so two
    concurrent bookings of the last chair cannot both win; cancelling lowers it. `starts_at` is
    the slot start (UTC), equal to the appointments' `scheduled_at`.
    """

    __tablename__ = "slot_seats"
    __table_args__ = (CheckConstraint("taken >= 0", name="taken"),)

    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("test_locations.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    taken: Mapped[int] = mapped_column(default=0, server_default="0")
