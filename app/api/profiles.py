"""`/profiles`: a partner's patients, within its organisation (contract, "Profile")."""

from __future__ import annotations

from flask import Response, jsonify, request

from app.api.auth import requires
from app.api.bodies import parse_json_object, parse_page_query
from app.api.idempotency import answer_once, idempotency_key
from app.api.pages import page_response
from app.api.serializers import profile_json
from app.clock import now
from app.db import get_session
from app.domain import profiles as service
from app.domain.access import Actor, Permission
from app.domain.models import Profile
from app.domain.rules import parse_path_id
from app.domain.transactions import Recorder


@requires(Permission.READ_PROFILES)
def list_profiles(actor: Actor) -> Response:
    """`GET /profiles?limit=&cursor=`: the organisation's profiles by name, a page at a time."""
    page = parse_page_query(request.args)
    return page_response(service.list_profiles(get_session(), actor=actor, **page), profile_json)


@requires(Permission.WRITE_PROFILES)
def create_profile(actor: Actor) -> tuple[Response, int]:
    """`POST /profiles` -> 201, the new profile. With an `Idempotency-Key`, a retry replays the
    first answer and creates nothing more."""
    key = idempotency_key()
    data = parse_json_object()

    def create(record: Recorder[Profile] | None) -> Profile:
        return service.create_profile(get_session(), data, actor=actor, now=now(), record=record)

    return answer_once(actor, key, create, profile_json, 201)


@requires(Permission.READ_PROFILES)
def get_profile(actor: Actor, profile_id: str) -> Response:
    """`GET /profiles/{id}`."""
    profile = service.get_profile(get_session(), parse_path_id(profile_id), actor=actor)
    return jsonify(profile_json(profile))


@requires(Permission.WRITE_PROFILES)
def update_profile(actor: Actor, profile_id: str) -> Response:
    """`PATCH /profiles/{id}`: changes the fields given; sets `updated_at` when a value changes."""
    pid = parse_path_id(profile_id)
    data = parse_json_object()
    profile = service.update_profile(get_session(), pid, data, actor=actor, now=now())
    return jsonify(profile_json(profile))
