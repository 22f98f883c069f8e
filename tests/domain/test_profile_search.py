"""Searching profiles: part of a name or the handle, any case, within the access context."""

from __future__ import annotations

import pytest

from app.domain.profiles import list_profiles
from tests.factories import make_profile


@pytest.fixture
def names(session, world):
    make_profile(session, world.org, first_name="Lena")
    make_profile(session, world.org, first_name="Jonas")
    make_profile(session, world.other_org, first_name="Lenard")

    def search(text):
        return sorted(
            p.first_name for p in list_profiles(session, actor=world.coordinator, search=text)
        )

    return search


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("len", ["Lena"]),
        ("  JONAS ", ["Jonas"]),
        ("", ["Anna", "Jonas", "Lena"]),
        ("zz", []),
        ("lena schmidt", ["Lena"]),
        ("schm  jon", ["Jonas"]),
    ],
)
def test_a_search_matches_part_of_a_name_in_any_case_within_the_organisation(names, text, found):
    assert names(text) == found


@pytest.mark.parametrize("text", ["%", "_", "\\"])
def test_like_wildcards_in_the_search_are_taken_literally(names, text):
    assert names(text) == []
