"""dates.parse_date_or_datetime: plain dates, or RFC 3339 datetimes that carry their offset."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

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
        ("2026-02-30", "day is out of range for month"),
        ("2026-04-02T25:00:00Z", "hour must be in 0..23"),
    ],
    ids=["no-offset", "no-offset-no-seconds", "prose", "unpadded", "empty", "feb-30", "hour-25"],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date_or_datetime(text)
    assert str(info.value) == message
