"""Issue and Report values, and the text and JSON renderings of reports.

Bad feeds are values, not exceptions (yamllint's LintProblem, feedparser's
bozo): every input, even an unreadable one, yields a Report.  The JSON shape
is a published contract (docs/dev.md, "JSON report contract"): add fields
only with care.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Literal

Severity = Literal["error", "warning"]

#: Formats a report can name, as the JSON contract spells them.
REPORT_FORMATS = ("rss2", "atom1", "rss1", "rss09x", "atom03", "jsonfeed1", "opml", "unknown")


@dataclass(frozen=True)
class Issue:
    """One problem found in one input."""

    #: "error" or "warning".
    severity: Severity
    #: Stable rule code, e.g. ``rss-missing-channel-title``; see docs/rules.md.
    code: str
    #: One line a person can act on.
    message: str
    #: 1-based line in the input, when known.
    line: int | None = None
    #: 1-based column in the input, when known.
    column: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "column": self.column,
        }


def _issue_order(issue: Issue) -> tuple[int, int, str]:
    return (issue.line or 0, issue.column or 0, issue.code)


@dataclass(frozen=True)
class Report:
    """Everything found in one input."""

    #: The input as the user named it: a path, a URL or ``-``.
    path: str
    #: One of REPORT_FORMATS.
    format: str
    #: Issues in document order.
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    @property
    def valid(self) -> bool:
        """False iff at least one issue is an error (the JSON contract)."""
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "valid": self.valid,
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def build(cls, path: str, format: str, issues: Iterable[Issue]) -> Report:
        """Make a report with issues sorted into document order."""
        return cls(path=path, format=format, issues=tuple(sorted(issues, key=_issue_order)))


def promote_warnings(report: Report) -> Report:
    """Return the report with every warning made an error (``--strict``, the build gate)."""
    issues = tuple(
        Issue("error", i.code, i.message, i.line, i.column) if i.severity == "warning" else i
        for i in report.issues
    )
    return Report(report.path, report.format, issues)


def to_json(reports: Sequence[Report]) -> str:
    """The JSON contract: one array, one object per input, in input order."""
    return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 error``, ``2 errors``: a count with its noun in the right number.

    Every count the CLI prints goes through here ("wrote 1 entries" read
    as a bug).  ``nouns`` is the plural when it is not ``noun + "s"``.
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def to_text(reports: Sequence[Report]) -> str:
    """``path:line:col: severity code: message`` lines, grouped per input, then a summary."""
    out: list[str] = []
    for r in reports:
        for i in r.issues:
            where = r.path
            if i.line is not None:
                where += f":{i.line}"
                if i.column is not None:
                    where += f":{i.column}"
            out.append(f"{where}: {i.severity} {i.code}: {i.message}")
        verdict = "valid" if r.valid else "INVALID"
        out.append(
            f"{r.path}: {verdict} {r.format} "
            f"({counted(len(r.errors), 'error')}, {counted(len(r.warnings), 'warning')})"
        )
    n_bad = sum(1 for r in reports if not r.valid)
    out.append(f"{len(reports)} checked, {len(reports) - n_bad} valid, {n_bad} invalid")
    return "\n".join(out)
