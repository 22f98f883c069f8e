"""Properties of the datetime parser (`parse_instant`), checked by Hypothesis over generated
values: any aware ISO 8601 date-time reads as its instant; any naive one is refused naming the
field; no text whatever makes it raise anything but ValidationError; and what the API writes
(`format_utc`, `format_local`) reads back as the same instant, to the second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.rules import format_local, format_utc, parse_instant

# Offsets from -23:59 to +23:59, odd minutes included (RFC 3339: time-numoffset).
OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Wall-clock times whose instant, at any such offset, lies in the range the parser accepts:
# the years 1 to 9999 less a day at each end (so that every zone's local time can show it).
WALL_TIMES = st.datetimes(
    min_value=datetime(1, 1, 3),  # noqa: DTZ001  # naive wall times, given an offset below
    max_value=datetime(9999, 12, 29, 23, 59, 59, 999_999),  # noqa: DTZ001  # likewise
)
# Instants whose wall time in any zone still lies within datetime's range.
INSTANTS = st.datetimes(
    min_value=datetime(2, 1, 1),  # noqa: DTZ001  # made aware by `timezones`
    max_value=datetime(9998, 12, 31, 23, 59, 59, 999_999),  # noqa: DTZ001  # likewise
    timezones=st.just(UTC),
)
# How much of the time of day is written: HH:MM, :SS, and 3 or 6 digits of fractions.
PRECISIONS = st.sampled_from(["minutes", "seconds", "milliseconds", "microseconds"])
SEPARATORS = st.sampled_from(["T", "t", " "])
FIELDS = st.sampled_from(["scheduled_at", "starts_at", "changed_since"])


def truncated(at: datetime, precision: str) -> datetime:
    """`at` without what `isoformat(timespec=precision)` leaves out."""
    if precision == "minutes":
        return at.replace(second=0, microsecond=0)
    if precision == "seconds":
        return at.replace(microsecond=0)
    if precision == "milliseconds":
        return at.replace(microsecond=at.microsecond // 1000 * 1000)
    return at


@st.composite
def aware_texts(draw: st.DrawFn) -> tuple[str, datetime]:
    """An aware ISO 8601 date-time as text, and the instant it names."""
    precision = draw(PRECISIONS)
    at = truncated(draw(WALL_TIMES), precision).replace(tzinfo=draw(OFFSETS))
    text = at.isoformat(sep=draw(SEPARATORS), timespec=precision)
    if at.utcoffset() == timedelta(0):
        text = text.replace("+00:00", draw(st.sampled_from(["Z", "z", "+00:00", "-00:00"])))
    return text, at


@given(aware_texts())
@example(("2026-11-23T10:30:00Z", datetime(2026, 11, 23, 10, 30, tzinfo=UTC)))
@example(("0001-01-02T23:59:00+23:59", datetime(1, 1, 2, 0, 0, tzinfo=UTC)))
@example(("9999-12-30T00:00:00-23:59", datetime(9999, 12, 30, 23, 59, tzinfo=UTC)))
# Regression: local mean time's offset has seconds; `format_local` writes it, so it is read too.
@example(("1891-06-01T12:00:00+00:53:28", datetime(1891, 6, 1, 11, 6, 32, tzinfo=UTC)))
def test_any_aware_date_time_reads_as_the_same_instant_in_utc(case):
    text, at = case
    parsed = parse_instant(text)
    assert parsed == at
    assert parsed.utcoffset() == timedelta(0)


@given(FIELDS, WALL_TIMES, PRECISIONS, SEPARATORS)
def test_any_naive_date_time_is_refused_naming_the_field(field, wall, precision, separator):
    text = wall.isoformat(sep=separator, timespec=precision)
    with pytest.raises(ValidationError) as caught:
        parse_instant(text, field)
    assert caught.value.field == field
    assert caught.value.message == f"{field} has no time zone: add Z or an offset such as +02:00."


# Regression: the first four raised OverflowError (converting to UTC) instead of ValidationError;
# the last two, within a day of the range's ends, overflowed in a zone's local time.
@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+00:01",
        "0001-01-01T00:00:00.5+23:59",
        "9999-12-31T23:59:59-00:01",
        "9999-12-31T23:00:00-23:59",
        "0001-01-01T12:00:00Z",
        "9999-12-31T12:00:00Z",
    ],
)
def test_an_instant_outside_the_years_1_to_9999_less_a_day_at_each_end_is_refused(text):
    with pytest.raises(ValidationError) as caught:
        parse_instant(text, "starts_at")
    assert caught.value.field == "starts_at"


ISO_LIKE = r"\A\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?\Z"


@given(
    st.one_of(
        st.text(),
        st.from_regex(ISO_LIKE),
        st.none(),
        st.integers(),
        st.floats(),
        st.binary(),
        st.datetimes(),
    )
)
@example("٢٠٢٦-١١-٢٣T10:30:00Z")
@example("2026-11-23T10:30:00+24:00")
@example("2026-02-29T10:30:00Z")
@example("2026-11-23T10:30:00\n")
@example("0001-01-01T00:00:00+00:01")
def test_any_value_at_all_reads_as_an_instant_or_is_refused_with_a_validation_error(value):
    refusal: ValidationError | None = None
    try:
        parsed = parse_instant(value, "starts_at")
    except ValidationError as error:
        refusal = error
    if refusal is None:
        assert isinstance(value, str)
        assert parsed.utcoffset() == timedelta(0)
    else:
        assert refusal.field == "starts_at"
        assert "starts_at" in refusal.message


@given(INSTANTS)
# Regression: strftime's `%Y` wrote this year as `999`, which the parser (rightly) refused.
@example(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC))
def test_what_format_utc_writes_reads_back_as_the_same_second(at):
    assert parse_instant(format_utc(at)) == at.replace(microsecond=0)


@given(INSTANTS, st.timezone_keys(allow_prefix=False))
@example(datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC), "Europe/Berlin")
@example(datetime(2026, 11, 23, 0, 0, tzinfo=UTC), "Australia/Adelaide")
# Regression: written with Abidjan's local mean time offset, -00:16:08, which was not read back.
@example(datetime(1912, 1, 1, 0, 0, tzinfo=UTC), "Africa/Abidjan")
def test_what_format_local_writes_reads_back_as_the_same_second(at, zone):
    assert parse_instant(format_local(at, zone)) == at.replace(microsecond=0)
