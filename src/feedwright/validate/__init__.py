"""Judge feed bytes, ours or anyone's: safe parse → format → schema → rules → Report.

This package knows nothing of feedwright's model; ``build`` uses it as the
gate in front of every write, at the strictest level.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timezone

from feedwright.validate.document import Document
from feedwright.validate.parse import DEFAULT_MAX_BYTES
from feedwright.validate.parse import parse
from feedwright.validate.report import Issue
from feedwright.validate.report import Report
from feedwright.validate.report import promote_warnings
from feedwright.validate.rules import RULES
from feedwright.validate.rules import run_rules
from feedwright.validate.schema import check_schema

__all__ = ["DEFAULT_MAX_BYTES", "Issue", "Report", "RULES", "validate"]


def validate(
    data: bytes,
    *,
    name: str,
    strict: bool = False,
    now: datetime | None = None,
    location: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Validate one feed document.

    Args:
        data: The document's bytes, exactly as read or fetched.
        name: How the report names the input (path, URL or ``-``).
        strict: Count warnings as errors (``--strict``; the build gate).
        now: Reference time for "in the future" rules; defaults to the clock.
        location: The URL the bytes came from, to check ``rel="self"`` against.
        max_bytes: Refuse larger documents with an error issue.

    Returns:
        A Report; never raises for anything wrong with ``data``.
    """
    now = now or datetime.now(timezone.utc)
    parsed = parse(data, name=name, max_bytes=max_bytes)
    issues = list(parsed.issues)
    if parsed.root is not None:
        doc = Document(name, data, parsed.root, parsed.format, now, location, strict=strict)
        issues.extend(run_rules(doc))
        issues.extend(check_schema(doc, already=issues))
    report = Report.build(name, parsed.format, issues)
    return promote_warnings(report) if strict else report
