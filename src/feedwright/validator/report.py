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

#: A code found more often than this in one input is folded into one text line.
FOLD_AFTER = 3

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
    #: False when the input could not be read at all (a missing file, a
    #: directory, a URL that fails): nothing was judged, and the CLI exits 2
    #: for it, not 1.  An input over the size cap was read up to the cap and
    #: is judged too large: readable.  Not part of the JSON contract.
    readable: bool = True

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
    return Report(report.path, report.format, issues, report.readable)


def exit_code(reports: Sequence[Report]) -> int:
    """``validate``'s exit code: 2 if any input could not be read at all, else 1
    if any is invalid, else 0, so CI can tell "the feed is invalid" (1) from
    "the feed could not be fetched" (2)."""
    if not all(r.readable for r in reports):
        return 2
    return 0 if all(r.valid for r in reports) else 1


def to_json(reports: Sequence[Report]) -> str:
    """The JSON contract: one array, one object per input, in input order."""
    return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 error``, ``2 errors``: a count with its noun in the right number.

    Every count the CLI prints goes through here ("wrote 1 entries" read
    as a bug).  ``nouns`` is the plural when it is not ``noun + "s"``.
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _where(path: str, issue: Issue) -> str:
    if issue.line is None:
        return path
    if issue.column is None:
        return f"{path}:{issue.line}"
    return f"{path}:{issue.line}:{issue.column}"


def _position(issue: Issue) -> str | None:
    if issue.line is None:
        return None
    return f"{issue.line}:{issue.column}" if issue.column is not None else str(issue.line)


def _issue_lines(r: Report, every: bool) -> tuple[list[str], int]:
    """The report's issue lines, and how many issues were folded into others.

    Each issue is one line; unless ``every``, a code found more than
    FOLD_AFTER times is one line, where its first issue is, with the count,
    the first positions and the first issue's message.
    """
    by_code: dict[tuple[str, str], list[Issue]] = {}
    for i in r.issues:
        by_code.setdefault((i.severity, i.code), []).append(i)
    out: list[str] = []
    folded = 0
    done: set[tuple[str, str]] = set()
    for i in r.issues:
        key = (i.severity, i.code)
        same = by_code[key]
        if every or len(same) <= FOLD_AFTER:
            out.append(f"{_where(r.path, i)}: {i.severity} {i.code}: {i.message}")
            continue
        if key in done:
            continue
        done.add(key)
        folded += len(same) - 1
        positions = [p for p in map(_position, same[:FOLD_AFTER]) if p is not None]
        first = f", first at {', '.join(positions)} …" if positions else ""
        out.append(f"{_where(r.path, i)}: {i.severity} {i.code} ×{len(same)}{first}: "
                   f"{i.message}")
    return out, folded


def verdict(r: Report) -> str:
    """The one line that says how an input fared."""
    if not r.readable:
        why = r.issues[0].message if r.issues else "unknown reason"
        return f"{r.path}: UNREADABLE ({why.split(': ', 1)[-1]})"
    word = "valid" if r.valid else "INVALID"
    return (f"{r.path}: {word} {r.format} "
            f"({counted(len(r.errors), 'error')}, {counted(len(r.warnings), 'warning')})")


def to_text(reports: Sequence[Report], *, every: bool = False, quiet: bool = False) -> str:
    """``path:line:col: severity code: message`` lines, grouped per input, then a summary.

    A code repeated more than FOLD_AFTER times in one input is folded into one
    line (``date-in-future ×301, first at 12:5, 40:5, 77:5 …``) unless
    ``every``; ``quiet`` prints only each input's verdict and the summary.
    """
    out: list[str] = []
    folded = 0
    for r in reports:
        if not quiet:
            lines, n = _issue_lines(r, every)
            out += lines
            folded += n
        out.append(verdict(r))
    n_unreadable = sum(1 for r in reports if not r.readable)
    n_bad = sum(1 for r in reports if not r.valid)
    summary = f"{len(reports)} checked, {len(reports) - n_bad} valid, {n_bad} invalid"
    if n_unreadable:
        summary += f" ({n_unreadable} could not be read)"
    out.append(summary)
    if folded:
        out.append(f"({counted(folded, 'repeated issue')} folded into the lines above; "
                   "--all lists every one)")
    return "\n".join(out)
