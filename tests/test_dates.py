"""dates.parse_date_or_datetime: plain dates, or RFC 3339 datetimes that carry their offset."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.dates import _parse_general
from feedwright.dates import parse_date_or_datetime

UTC = UTC
PLUS2 = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-31", date(2026, 3, 31)),
        ("  2026-03-31 ", date(2026, 3, 31)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2026-04-02T10:00:00Z", datetime(2026, 4, 2, 10, tzinfo=UTC)),
        ("2026-04-02t10:00:00z", datetime(2026, 4, 2, 10, tzinfo=UTC)),
        ("2026-04-02 10:00:00+02:00", datetime(2026, 4, 2, 10, tzinfo=PLUS2)),
        ("2026-04-02T10:00+02:00", datetime(2026, 4, 2, 10, tzinfo=PLUS2)),
        ("2026-04-02T10:00:00+0200", datetime(2026, 4, 2, 10, tzinfo=PLUS2)),
        ("2026-04-02T10:00:00.250-05:30",
         datetime(2026, 4, 2, 10, 0, 0, 250000, tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ],
    ids=["date", "date-padded", "leap-day", "utc-z", "lowercase-t-z", "space-offset",
         "no-seconds", "offset-no-colon", "fraction-negative-offset"],
)
def test_accepted(text: str, expected: date) -> None:
    got = parse_date_or_datetime(text)
    assert got == expected
    assert type(got) is type(expected)
    if isinstance(got, datetime):
        assert got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-04-02T10:00:00",
         "'2026-04-02T10:00:00' has no UTC offset; add one, e.g. 2026-04-02T10:00:00Z or "
         "2026-04-02T10:00:00+02:00"),
        ("2026-04-02 10:00",
         "'2026-04-02 10:00' has no UTC offset; add one, e.g. 2026-04-02 10:00Z or "
         "2026-04-02 10:00+02:00"),
        ("April 2, 2026", "'April 2, 2026' is not a date (YYYY-MM-DD) or an RFC 3339 datetime"),
        ("2026-4-2", "'2026-4-2' is not a date (YYYY-MM-DD) or an RFC 3339 datetime"),
        ("", "'' is not a date (YYYY-MM-DD) or an RFC 3339 datetime"),
        ("2026-02-30", "'2026-02-30' is not a real date or time: day is out of range for month"),
        ("2026-04-02T25:00:00Z",
         "'2026-04-02T25:00:00Z' is not a real date or time: hour must be in 0..23"),
    ],
    ids=["no-offset", "no-offset-no-seconds", "prose", "unpadded", "empty", "feb-30", "hour-25"],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date_or_datetime(text)
    assert str(info.value) == message


def _same_outcome(text: str) -> None:
    """The fast path for ``...Z`` gives what the general parser gives, errors included."""
    try:
        expected = _parse_general(text)
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            parse_date_or_datetime(text)
        assert str(info.value) == str(exc)
        return
    got = parse_date_or_datetime(text)
    assert got == expected
    assert type(got) is type(expected)
    if isinstance(got, datetime):
        assert isinstance(expected, datetime)
        assert got.tzinfo is expected.tzinfo
        assert got.utcoffset() == expected.utcoffset()


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_utc_fast_path_matches_general_path(moment: datetime) -> None:
    text = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"  # %Y does not pad years < 1000
    _same_outcome(text)
    assert parse_date_or_datetime(text) == moment.replace(microsecond=0, tzinfo=UTC)


_DIGIT_FIELD = st.integers(0, 99).map(lambda n: f"{n:02d}")


@settings(max_examples=1000, deadline=None)
@given(
    year=st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    fields=st.tuples(*[_DIGIT_FIELD] * 5),
    sep=st.sampled_from(["T", "t", " "]),
    zone=st.sampled_from(["Z", "z", "+00:00", "", "Z ", " Z", "\u0663"]),
    pad=st.sampled_from(["", " ", "\n"]),
)
@example(year="2026", fields=("02", "30", "10", "00", "00"), sep="T", zone="Z", pad="")
@example(year="0000", fields=("01", "01", "00", "00", "00"), sep="T", zone="Z", pad="")
@example(year="2026", fields=("04", "02", "24", "00", "00"), sep="T", zone="Z", pad="")
def test_fast_path_shape_and_out_of_range_values(
    year: str, fields: tuple[str, ...], sep: str, zone: str, pad: str
) -> None:
    month, day, hour, minute, second = fields
    _same_outcome(f"{pad}{year}-{month}-{day}{sep}{hour}:{minute}:{second}{zone}{pad}")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("0123456789-:TZz+. \u0663")), max_size=24))
def test_any_datelike_text(text: str) -> None:
    _same_outcome(text)
