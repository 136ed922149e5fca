"""The rule registry: every check the validator runs, with its stable code.

A rule is a small function registered with ``@rule(code, severity, message,
formats=...)``.  Its docstring is its documentation (``## Why it matters`` and
``## How to fix``); docs/rules.md is generated from ``RULES``.  Registration is
explicit (the imports at the bottom), never discovered (yamllint's way).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from feedwright.validate.document import Document
from feedwright.validate.report import Issue
from feedwright.validate.report import Severity


@dataclass(frozen=True)
class Finding:
    """What a rule's check yields: where, and optionally what exactly."""

    #: The element the problem is at (its start tag gives line and column).
    node: etree._Element | None = None
    #: Specific detail appended to the rule's message, e.g. the bad value.
    detail: str | None = None
    #: Explicit position when there is no node (e.g. a parser error).
    line: int | None = None
    column: int | None = None


Check = Callable[[Document], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered check."""

    #: Stable code, ``<format>-<what>`` (e.g. ``rss-missing-channel-title``).
    code: str
    #: "error" or "warning" (``--strict`` and the build gate treat warnings as errors).
    severity: Severity
    #: One-line message shown with every finding.
    message: str
    #: Formats the rule applies to (report.FORMATS values); empty: not run by the
    #: rule loop (raised directly by the parse and schema layers).
    formats: frozenset[str]
    #: The check itself; None for layer rules raised by parse/schema.
    check: Check | None
    #: Markdown: why readers care and how to fix it.
    doc: str

    def issue(self, doc: Document | None, finding: Finding) -> Issue:
        """Turn a finding into an Issue at the right place."""
        line, column = finding.line, finding.column
        if finding.node is not None and doc is not None:
            line, column = doc.where(finding.node)
        message = f"{self.message}: {finding.detail}" if finding.detail else self.message
        return Issue(self.severity, self.code, message, line, column)


RULES: dict[str, Rule] = {}


def rule(
    code: str, severity: Severity, message: str, *, formats: Iterable[str] = ()
) -> Callable[[Check], Check]:
    """Register ``check`` under ``code``; raises on a duplicate code."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code!r}")
        RULES[code] = Rule(
            code=code,
            severity=severity,
            message=message,
            formats=frozenset(formats),
            check=check,
            doc=inspect.cleandoc(check.__doc__ or ""),
        )
        return check

    return register


def layer_rule(code: str, severity: Severity, message: str, doc: str) -> Rule:
    """Register a rule raised by a layer (safe parse, schema) rather than a check."""
    if code in RULES:
        raise ValueError(f"duplicate rule code {code!r}")
    RULES[code] = Rule(code, severity, message, frozenset(), None, inspect.cleandoc(doc))
    return RULES[code]


def get(code: str) -> Rule:
    """The rule registered under ``code``; KeyError names unknown codes."""
    try:
        return RULES[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None


#: Rules that judge one entry on its own.  With ``feed_level_only`` the
#: entries were checked on their own already and may be cut down to ids,
#: links and dates, so these are skipped: they would judge the cut, not the
#: feed, and repeat work already done.  Rules that also judge the feed's head
#: or how entries relate are not listed here.
ENTRY_CONTENT_RULES = frozenset({
    "atom-missing-entry-id",
    "atom-missing-entry-title",
    "atom-missing-entry-updated",
    "atom-missing-author",
    "atom-missing-content-or-alternate",
    "atom-missing-summary",
    "atom-missing-textual-content",
    "atom-content-src-missing-type",
    "updated-before-published",
    "rss-item-missing-title-and-description",
    "rss-duplicate-enclosure",
    "rss-missing-guid",
    "rss-guid-not-permalink",
    "rss-guid-not-unique-enough",
    "rss-duplicate-item-semantics",
    "rss-content-without-description",
    "rss-enclosure-missing-attribute",
    "rss-invalid-enclosure-length",
})


def run_rules(doc: Document, *, feed_level_only: bool = False) -> Iterator[Issue]:
    """Every issue every rule for ``doc.format`` finds.

    With ``feed_level_only``, the ENTRY_CONTENT_RULES are skipped.
    """
    for r in RULES.values():
        if r.check is None or doc.format not in r.formats:
            continue
        if feed_level_only and r.code in ENTRY_CONTENT_RULES:
            continue
        for finding in r.check(doc):
            yield r.issue(doc, finding)


# Explicit registration, in a fixed order (yamllint's way, no discovery).
from feedwright.validate.rules import atom  # noqa: E402,F401
from feedwright.validate.rules import atom_content  # noqa: E402,F401
from feedwright.validate.rules import common  # noqa: E402,F401
from feedwright.validate.rules import rss  # noqa: E402,F401
from feedwright.validate.rules import rss_values  # noqa: E402,F401
from feedwright.validate.rules import text  # noqa: E402,F401
