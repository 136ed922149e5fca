"""The rule registry: every check the validator runs, with its stable code.

A rule is a small function registered with ``@rule(code, severity, message,
formats=...)``.  Its docstring is its documentation (``## Why it matters`` and
``## How to fix``); docs/rules.md is generated from ``RULES``.  Registration is
explicit (the imports at the bottom), never discovered (yamllint's way).
"""

from __future__ import annotations

import gc
import inspect
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Literal
from typing import TypeVar
from typing import cast

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.document import JsonDocument
from feedwright.validator.json_position import Path
from feedwright.validator.report import Issue
from feedwright.validator.report import Severity
from feedwright.validator.rules._xml import indexed
from feedwright.validator.rules._xml import is_entry_document


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
    #: In a JSON document: the value the problem is at, as keys and indices
    #: from the top (``("items", 3, "id")``); its first character gives the place.
    path: Path | None = None


#: A check of XML documents (RSS, Atom).
Check = Callable[[Document], Iterable[Finding]]
#: A check of JSON Feeds.
JsonCheck = Callable[[JsonDocument], Iterable[Finding]]
#: Either kind; a rule's ``formats`` say which documents it is given.
AnyCheck = TypeVar("AnyCheck", Check, JsonCheck)

#: What a rule judges (yamllint's rule types): "document", anything in one
#: document; "relation", how a feed's entries relate to each other and to the
#: feed's own date (order, shared ids and timestamps).  The build gate checks
#: each entry and each feed head on their own, then runs only the relation
#: rules over each feed's entries cut down to what relates them.
Scope = Literal["document", "relation"]


@dataclass(frozen=True)
class Rule:
    """A registered check."""

    #: Stable code, ``<format>-<what>`` (e.g. ``rss-missing-channel-title``).
    code: str
    #: "error" or "warning" (``--strict`` and the build gate treat warnings as errors).
    severity: Severity
    #: One-line message shown with every finding.
    message: str
    #: Formats the rule applies to (report.REPORT_FORMATS values); empty: not run by the
    #: rule loop (raised directly by the parse and schema layers).
    formats: frozenset[str]
    #: The check itself (given a JsonDocument for ``jsonfeed1``, else a
    #: Document); None for layer rules raised by parse/schema.
    check: Check | JsonCheck | None
    #: Markdown: why readers care and how to fix it.
    doc: str
    #: What the rule judges (see Scope).
    scope: Scope = "document"
    #: The W3C Feed Validation Service's message classes that report the same
    #: fault (``InvalidContact``): ``feedwright explain`` answers them, and
    #: scripts/w3c_agreement.py pairs verdicts by them.
    w3c: tuple[str, ...] = ()
    #: Whether the rule judges an Atom ``<feed>`` element itself: such rules do
    #: not run on an Atom entry document (RFC 4287 4.1.2, a root ``<entry>``,
    #: reported as ``atom1`` and judged by the entry rules).
    feed_only: bool = False

    def issue(self, doc: Document | JsonDocument | None, finding: Finding) -> Issue:
        """Turn a finding into an Issue at the right place."""
        line, column = finding.line, finding.column
        if finding.node is not None and isinstance(doc, Document):
            line, column = doc.where(finding.node)
        elif finding.path is not None and isinstance(doc, JsonDocument):
            line, column = doc.where(finding.path)
        message = f"{self.message}: {finding.detail}" if finding.detail else self.message
        return Issue(self.severity, self.code, message, line, column)


RULES: dict[str, Rule] = {}
#: The rules that run on one kind of document, in registration order (see ``_plan``).
_PLANS: dict[tuple[str, Scope | None, bool, bool], tuple[Rule, ...]] = {}


def rule(
    code: str, severity: Severity, message: str, *, formats: Iterable[str] = (),
    scope: Scope = "document", w3c: Iterable[str] = (), feed_only: bool = False,
) -> Callable[[AnyCheck], AnyCheck]:
    """Register ``check`` under ``code``; raises on a duplicate code."""

    def register(check: AnyCheck) -> AnyCheck:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code!r}")
        _PLANS.clear()
        RULES[code] = Rule(
            code=code,
            severity=severity,
            message=message,
            formats=frozenset(formats),
            check=check,
            doc=inspect.cleandoc(check.__doc__ or ""),
            scope=scope,
            w3c=tuple(w3c),
            feed_only=feed_only,
        )
        return check

    return register


def layer_rule(
    code: str, severity: Severity, message: str, doc: str, *, w3c: Iterable[str] = (),
) -> Rule:
    """Register a rule raised by a layer (safe parse, schema) rather than a check."""
    if code in RULES:
        raise ValueError(f"duplicate rule code {code!r}")
    _PLANS.clear()
    RULES[code] = Rule(code, severity, message, frozenset(), None, inspect.cleandoc(doc),
                       w3c=tuple(w3c))
    return RULES[code]


def by_w3c_class() -> dict[str, list[Rule]]:
    """W3C message class → the rules that report the same fault, as the rules declare."""
    out: dict[str, list[Rule]] = {}
    for r in RULES.values():
        for name in r.w3c:
            out.setdefault(name, []).append(r)
    return out


def get(code: str) -> Rule:
    """The rule registered under ``code``; KeyError names unknown codes."""
    try:
        return RULES[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}") from None


def _findings(r: Rule, doc: Document | JsonDocument) -> Iterable[Finding]:
    # A rule's formats decide which kind of document it is given.
    if isinstance(doc, JsonDocument):
        return cast(JsonCheck, r.check)(doc)
    return cast(Check, r.check)(doc)


RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"



def _plan(fmt: str, scope: Scope | None, entry_document: bool, rdf: bool) -> tuple[Rule, ...]:
    """The rules that judge a document of this kind, in registration order.

    Chosen once per kind of document (format, scope, Atom entry document,
    RSS 0.90's RDF), not once per document: the build gate checks hundreds
    of small documents, and sifting 264 rules for each cost more than some
    of the checks.  Registering a rule forgets every plan.
    """
    key = (fmt, scope, entry_document, rdf)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = tuple(
            r for r in RULES.values()
            if r.check is not None and fmt in r.formats and not (entry_document and r.feed_only)
            # RSS 0.90 is reported as rss09x, like <rss version="0.91">, but is
            # RDF: only the rules written for RDF (those naming rss1) understand it.
            and not (rdf and "rss1" not in r.formats)
            and (scope is None or r.scope == scope))
    return plan


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold off Python's cycle collector while the rules run.

    The rules make many small containers that live until the end (the
    children index, memoised values) and almost no cycles: the collector's
    full passes kept rescanning them, a quarter of the rules' time on a
    79 MB feed (1.3 s with, 1.0 s without).  What garbage there is, is freed
    by reference counting meanwhile, and the collector runs again after.
    Left as it was when someone else turned it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def run_rules(doc: Document | JsonDocument, *, scope: Scope | None = None) -> list[Issue]:
    """Every issue every rule for ``doc.format`` finds (only those of ``scope``, if given)."""
    issues: list[Issue] = []
    entry_document = rdf = False
    if isinstance(doc, Document):
        entry_document = is_entry_document(doc.root)
        rdf = doc.root.tag == RDF_ROOT
    # A few rules ask for a few children each: indexing every element's
    # children costs more than it saves (the build's relation checks are
    # faster without it: benchmarks/README.md, "Figures the code relies on").
    xml_full = scope is None and isinstance(doc, Document)
    with indexed() if xml_full else nullcontext(), _no_cycle_collection():
        for r in _plan(doc.format, scope, entry_document, rdf):
            for finding in _findings(r, doc):
                issues.append(r.issue(doc, finding))
    if entry_document:
        # An entry document's root is both "the feed" and its one entry to
        # rules that look at each: the same finding comes twice.
        return list(dict.fromkeys(issues))
    return issues


# Explicit registration, in a fixed order (yamllint's way, no discovery).
from feedwright.validator.rules import atom  # noqa: E402,F401
from feedwright.validator.rules import atom_content  # noqa: E402,F401
from feedwright.validator.rules import comments  # noqa: E402,F401
from feedwright.validator.rules import common  # noqa: E402,F401
from feedwright.validator.rules import conversations_network  # noqa: E402,F401
from feedwright.validator.rules import dublin_core  # noqa: E402,F401
from feedwright.validator.rules import enclosures  # noqa: E402,F401
from feedwright.validator.rules import feed_history  # noqa: E402,F401
from feedwright.validator.rules import feedburner  # noqa: E402,F401
from feedwright.validator.rules import feedsync  # noqa: E402,F401
from feedwright.validator.rules import geo  # noqa: E402,F401
from feedwright.validator.rules import identity  # noqa: E402,F401
from feedwright.validator.rules import itunes  # noqa: E402,F401
from feedwright.validator.rules import jsonfeed  # noqa: E402,F401
from feedwright.validator.rules import licenses  # noqa: E402,F401
from feedwright.validator.rules import media  # noqa: E402,F401
from feedwright.validator.rules import opml  # noqa: E402,F401
from feedwright.validator.rules import podcast  # noqa: E402,F401
from feedwright.validator.rules import publishing  # noqa: E402,F401
from feedwright.validator.rules import rss  # noqa: E402,F401
from feedwright.validator.rules import rss_old  # noqa: E402,F401
from feedwright.validator.rules import rss_text  # noqa: E402,F401
from feedwright.validator.rules import rss_values  # noqa: E402,F401
from feedwright.validator.rules import syndication  # noqa: E402,F401
from feedwright.validator.rules import text  # noqa: E402,F401
from feedwright.validator.rules import threading  # noqa: E402,F401
from feedwright.validator.rules import websub  # noqa: E402,F401
from feedwright.validator.rules import xhtml_meta  # noqa: E402,F401
