"""`/appointments`: booking, reading, rescheduling, cancelling, panels and the blood draw."""

from __future__ import annotations

from flask import Response, jsonify, request

from app.api.auth import requires
from app.api.bodies import (
    BarcodeBody,
    BookingBody,
    PanelsBody,
    RescheduleBody,
    parse_appointment_filters,
    parse_body,
)
from app.api.idempotency import answer_once, idempotency_key
from app.api.pages import page_response
from app.api.serializers import appointment_json
from app.clock import now
from app.db import get_session
from app.domain import appointments as service
from app.domain import lifecycle
from app.domain.access import Actor, Permission
from app.domain.models import Appointment
from app.domain.rules import parse_path_id
from app.domain.transactions import Recorder

SUCCESS = {"success": True}


@requires(Permission.READ_APPOINTMENTS)
def list_appointments(actor: Actor) -> Response:
    """`GET /appointments?profile_id=&location_id=&status=&from=&to=&updated_since=&limit=&cursor=`:
    soonest first, a page at a time; without `profile_id`, `from` and `to`, only those from two
    months ago to one month ahead."""
    query = parse_appointment_filters(request.args)
    found = service.list_appointments(get_session(), actor=actor, now=now(), **query)
    return page_response(found, appointment_json)


@requires(Permission.BOOK)
def book_appointment(actor: Actor) -> tuple[Response, int]:
    """`POST /appointments` -> 201; the status is the location's `default_status`. With an
    `Idempotency-Key`, a retry replays the first answer and books nothing more."""
    key = idempotency_key()
    booking = parse_body(BookingBody).to_request()

    def book(record: Recorder[Appointment] | None) -> Appointment:
        return service.book_appointment(
            get_session(), booking, actor=actor, now=now(), record=record
        )

    return answer_once(actor, key, book, appointment_json, 201)


@requires(Permission.READ_APPOINTMENTS)
def get_appointment(actor: Actor, appointment_id: str) -> Response:
    """`GET /appointments/{id}`."""
    appointment = service.get_appointment(get_session(), parse_path_id(appointment_id), actor=actor)
    return jsonify(appointment_json(appointment))


@requires(Permission.BOOK)
def reschedule_appointment(actor: Actor, appointment_id: str) -> tuple[Response, int]:
    """`PATCH /appointments/{id}`: a new `scheduled_at` and/or `location_id`. With an
    `Idempotency-Key`, a retry replays the first answer and moves nothing again."""
    key = idempotency_key()
    aid = parse_path_id(appointment_id)
    scheduled_at, location_id = parse_body(RescheduleBody).parsed()

    def move(record: Recorder[Appointment] | None) -> Appointment:
        return service.reschedule_appointment(
            get_session(),
            aid,
            actor=actor,
            now=now(),
            scheduled_at=scheduled_at,
            location_id=location_id,
            record=record,
        )

    return answer_once(actor, key, move, appointment_json, 200)


@requires(Permission.CANCEL)
def cancel_appointment(actor: Actor, appointment_id: str) -> tuple[Response, int]:
    """`DELETE /appointments/{id}`: the appointment, now `cancelled`, panels kept. With an
    `Idempotency-Key`, a retry replays that answer instead of a 409."""
    key = idempotency_key()
    aid = parse_path_id(appointment_id)

    def cancel(record: Recorder[Appointment] | None) -> Appointment:
        return lifecycle.cancel_appointment(
            get_session(), aid, actor=actor, now=now(), record=record
        )

    return answer_once(actor, key, cancel, appointment_json, 200)


@requires(Permission.BOOK)
def add_panels(actor: Actor, appointment_id: str) -> Response:
    """`POST /appointments/{id}/panels`: the appointment; an attached panel is left as it is."""
    aid = parse_path_id(appointment_id)
    panel_ids = parse_body(PanelsBody).parsed()
    appointment = lifecycle.add_panels(get_session(), aid, panel_ids, actor=actor, now=now())
    return jsonify(appointment_json(appointment))


@requires(Permission.BOOK)
def remove_panels(actor: Actor, appointment_id: str) -> Response:
    """`DELETE /appointments/{id}/panels` -> `{"success": true}`."""
    aid = parse_path_id(appointment_id)
    panel_ids = parse_body(PanelsBody).parsed()
    lifecycle.remove_panels(get_session(), aid, panel_ids, actor=actor, now=now())
    return jsonify(SUCCESS)


@requires(Permission.RECORD_DRAW)
def record_blood_draw(actor: Actor, appointment_id: str) -> tuple[Response, int]:
    """`POST /appointments/{id}/confirm {barcode}` -> `{"success": true}`; now `blood_drawn`.
    With an `Idempotency-Key`, a retry replays that answer instead of a 409."""
    key = idempotency_key()
    aid = parse_path_id(appointment_id)
    barcode = parse_body(BarcodeBody).barcode

    def draw(record: Recorder[Appointment] | None) -> Appointment:
        return lifecycle.record_blood_draw(
            get_session(), aid, barcode, actor=actor, now=now(), record=record
        )

    return answer_once(actor, key, draw, lambda _appointment: SUCCESS, 200)
