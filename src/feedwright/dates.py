"""Reading dates from inputs: one strict place for what authors may write.

Feed readers fall back to fetch time on dates they cannot parse, so the
inputs are held to RFC 3339 with an explicit offset (or a plain date).
"""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime

from feedwright.errors import quoted

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$"
)
#: The shape most inputs use, ``2026-04-02T10:00:00Z``: ``datetime.fromisoformat`` reads it
#: as written (3.11+), without the general path's second regex and offset rewriting.
_UTC_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)


def parse_date_or_datetime(value: str) -> date | datetime:
    """A ``YYYY-MM-DD`` date, or an RFC 3339 datetime that carries its offset.

    Raises:
        ValueError: With a message saying what was expected.
    """
    if _UTC_SECONDS.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass  # out of range (hour 25, February 30): the general path words the error
    return _parse_general(value)


def _parse_general(value: str) -> date | datetime:
    text = value.strip()
    try:  # the right shape, out of range (February 30, hour 25): say which value
        if _DATE.match(text):
            return date.fromisoformat(text)
        if _DATETIME.match(text):
            return datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"{quoted(value)} is not a real date or time: {exc}") from None
    if re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", text):
        example = text if len(text) <= 40 else text[:16]  # the match: date, hour, minute
        raise ValueError(
            f"{quoted(value)} has no UTC offset; add one, e.g. {example}Z or {example}+02:00")
    raise ValueError(f"{quoted(value)} is not a date (YYYY-MM-DD) or an RFC 3339 datetime")
