"""The data the API fuzzer (test_fuzz.py) runs against: two organisations, and the rule that
organisation A's key never reaches organisation B's profile or appointment.

Random UUIDs almost never name an existing object, and random instants almost never a free slot,
so the fuzzer would rarely get past 404 and 400. The fuzz test therefore lets Hypothesis choose,
for each generated id, whether it stays random or becomes A's or B's object of that kind, and for
each well-formed `scheduled_at` whether it becomes one of next Monday's slots. Hypothesis draws
those choices like any other data, so it still shrinks and replays a failing case.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.domain.models import Organisation
from tests.conftest import NOW
from tests.factories import (
    make_api_key,
    make_appointment,
    make_location,
    make_panel,
    make_profile,
)

# The generated requests by operation and by answer status, for the terminal summary.
FUZZ_CASES = pytest.StashKey[Counter[str]]()
FUZZ_STATUSES = pytest.StashKey[Counter[int]]()

TARGETS = ("own", "other", "random")  # the first is what Hypothesis shrinks towards
# Which kind of object an id names, by the name it has in a path or a body.
_KINDS = {
    "profile_id": "profile",
    "appointment_id": "appointment",
    "location_id": "location",
    "panel_ids": "panel",
}


@dataclass(frozen=True)
class World:
    """A's full-scope key and objects, B's profile and appointment, the shared catalogue.

    `own` and `other` map each kind to the id of A's and B's object (B has no locations or
    panels of its own: the catalogue is shared, so those kinds map to the same object).
    """

    key: str
    own: dict[str, str]
    other: dict[str, str]
    slots: tuple[str, ...]

    @property
    def secrets(self) -> set[str]:
        """What a response to A must never contain: B's ids."""
        return {self.other["profile"], self.other["appointment"]}

    def pick(self, name: str, target: str, value: Any) -> Any:
        """`value` (a generated id or list of ids named `name`), or, for `target` "own" or
        "other", A's or B's object of that kind in its place; other names are left alone."""
        kind = _KINDS.get(name)
        if kind is None or target == "random":
            return value
        known = (self.own if target == "own" else self.other)[kind]
        return [known] if isinstance(value, list) else known

    def names_other(self, *parts: Any) -> bool:
        """Whether any of `parts` (path parameters, query, body) names one of B's objects."""
        text = " ".join(str(part) for part in parts if part is not None)
        return any(secret in text for secret in self.secrets)


def build_world(session: Session, org: Organisation, other_org: Organisation) -> World:
    """A location and panel; A's profile with a confirmed appointment next week that has the
    panel; the same for B; a key of A holding every scope."""
    location = make_location(session, capacity=3)
    panel = make_panel(session)
    profiles = [make_profile(session, owner) for owner in (org, other_org)]
    appointments = [
        make_appointment(session, profile, location, panels=[panel]) for profile in profiles
    ]
    shared = {"location": str(location.id), "panel": str(panel.id)}
    own, other = (
        {**shared, "profile": str(profile.id), "appointment": str(appointment.id)}
        for profile, appointment in zip(profiles, appointments, strict=True)
    )
    booked = appointments[0].scheduled_at
    assert booked > NOW
    # The booked slot (two of three chairs taken), then free ones that morning.
    slots = tuple(
        f"{booked + timedelta(minutes=15 * step):%Y-%m-%dT%H:%M:%SZ}" for step in range(-4, 2)
    )
    return World(key=make_api_key(session, org), own=own, other=other, slots=slots)


def record_case(config: pytest.Config, operation: str, status: int) -> None:
    """Count one generated request of `operation` and its answer's status."""
    config.stash.setdefault(FUZZ_CASES, Counter())[operation] += 1
    config.stash.setdefault(FUZZ_STATUSES, Counter())[status] += 1


def fuzz_summary(config: pytest.Config) -> str | None:
    """One line saying how many generated requests ran, over how many operations, and what
    statuses they got; None when the fuzzer did not run."""
    cases = config.stash.get(FUZZ_CASES, None)
    if not cases:
        return None
    statuses = config.stash[FUZZ_STATUSES]
    answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    return (
        f"schemathesis: {cases.total()} generated requests over {len(cases)} operations ({answers})"
    )
