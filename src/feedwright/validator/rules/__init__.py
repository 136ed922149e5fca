"""The rule registry: every check the validator runs, with its stable code.

A rule is a small function registered with ``@rule(code, severity, message,
formats=...)``.  Its docstring is its documentation (``## Why it matters`` and
``## How to fix``); docs/rules.md is generated from ``RULES``.  Registration is
explicit (``MODULES``, the rule modules in a fixed order), never discovered
(yamllint's way).

A rule module is imported when a document it may judge is first checked,
not by every start of the program: ``feedwright validate feed.xml`` runs
in a process of its own, and importing every vocabulary's rules cost more
than a small feed takes to check.  What each module may judge is said by
its own code (the formats of its rules, and for an extension vocabulary
the ``NAMESPACES`` it declares) and indexed in ``_index.py``, generated
from the modules by scripts/gen_rules_doc.py (tests/validator/test_rules_doc.py
fails when it is stale).  A vocabulary's rules run only on a document that
declares one of its namespaces, whether or not its module was imported
before, so what is found never depends on what was checked earlier.
Reading ``RULES`` whole (``feedwright explain``, docs/rules.md, the tests)
imports every module first.
"""

from __future__ import annotations

import gc
import inspect
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Literal
from typing import TypeVar
from typing import cast

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.document import JsonDocument
from feedwright.validator.json_position import Path
from feedwright.validator.report import Issue
from feedwright.validator.report import Severity
from feedwright.validator.rules._xml import _INDEX
from feedwright.validator.rules._xml import A


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


#: Every rule module, in the order its rules run (a module's rules in the
#: order it registers them).  ``text`` comes before ``rss_text``, which
#: imports it.
MODULES = (
    "atom", "atom_content", "comments", "common", "conversations_network", "dublin_core",
    "enclosures", "feed_history", "feedburner", "feedsync", "geo", "identity", "itunes",
    "jsonfeed", "licenses", "media", "opml", "podcast", "publishing", "rss", "rss_old", "text",
    "rss_text", "rss_values", "syndication", "threading", "websub", "xhtml_meta",
)
_PACKAGE = __name__ + "."
#: The modules outside this package that register rules of their own when
#: imported (the parse, schema and transport layers): read whole, the
#: registry holds theirs too.
_LAYERS = ("feedwright.validator", "feedwright.validator.parse_rules",
           "feedwright.validator.schema", "feedwright.validator.json_schema")
#: Every module that registers rules, by its full name: what ``load_all`` imports.
EVERY_MODULE = (*(_PACKAGE + name for name in MODULES), *_LAYERS)


class Registry(Mapping[str, Rule]):
    """Every rule by its code: ``RULES``.

    Rules are registered as their modules are imported; reading the registry
    whole (iterating it, its length, a code not registered yet) imports
    every module first, so it is always complete to its readers.  Looking up
    a code already registered (what every issue carries) imports nothing.
    """

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._complete = False

    def load_all(self) -> None:
        """Import every rule module now."""
        self._load_all()

    def _load_all(self) -> dict[str, Rule]:
        if not self._complete:
            for name in EVERY_MODULE:
                import_module(name)
            self._complete = True
        return self._rules

    def __getitem__(self, code: str) -> Rule:
        try:
            return self._rules[code]
        except KeyError:
            return self._load_all()[code]

    def __contains__(self, code: object) -> bool:
        return code in self._rules or code in self._load_all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._load_all())

    def __len__(self) -> int:
        return len(self._load_all())

    def add(self, rule: Rule) -> None:
        """Register ``rule``; raises on a duplicate code.  Forgets every plan."""
        if rule.code in self._rules:
            raise ValueError(f"duplicate rule code {rule.code!r}")
        _PLANS.clear()
        self._rules[rule.code] = rule

    def __delitem__(self, code: str) -> None:
        """Unregister (a test's own rule).  Forgets every plan."""
        _PLANS.clear()
        del self._rules[code]

    def registered(self) -> Iterator[Rule]:
        """The rules registered so far, in registration order (imports nothing)."""
        return iter(self._rules.values())


RULES = Registry()
#: A rule of a plan, with its check (never None there).
Planned = tuple[Rule, "Check | JsonCheck"]
#: The rules that run on one kind of document, in module order (see ``_plan``).
_PLANS: dict[tuple[str, Scope | None, bool, bool, frozenset[str]], tuple[Planned, ...]] = {}


def rule(
    code: str, severity: Severity, message: str, *, formats: Iterable[str] = (),
    scope: Scope = "document", w3c: Iterable[str] = (), feed_only: bool = False,
) -> Callable[[AnyCheck], AnyCheck]:
    """Register ``check`` under ``code``; raises on a duplicate code."""

    def register(check: AnyCheck) -> AnyCheck:
        if scope == "relation" and _module_name(check) in SERVES:
            # run_rules does not look for a vocabulary's namespace in the
            # documents it checks for relations alone (the build's cut-down
            # feeds): a vocabulary's rule of that scope would never run.
            raise ValueError(f"{code}: an extension vocabulary's rules judge one document "
                             "(scope 'document'), not how entries relate")
        RULES.add(Rule(
            code=code,
            severity=severity,
            message=message,
            formats=frozenset(formats),
            check=check,
            doc=inspect.cleandoc(check.__doc__ or ""),
            scope=scope,
            w3c=tuple(w3c),
            feed_only=feed_only,
        ))
        return check

    return register


def layer_rule(
    code: str, severity: Severity, message: str, doc: str, *, w3c: Iterable[str] = (),
) -> Rule:
    """Register a rule raised by a layer (safe parse, schema) rather than a check."""
    made = Rule(code, severity, message, frozenset(), None, inspect.cleandoc(doc),
                w3c=tuple(w3c))
    RULES.add(made)
    return made


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


RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_ATOM_ENTRY = A + "entry"



def _module_name(check: object) -> str:
    """The rule module a check is defined in ("" for one from elsewhere: a test's)."""
    module = getattr(check, "__module__", "")
    return module.removeprefix(_PACKAGE) if module.startswith(_PACKAGE) else ""


def _module(r: Rule) -> str:
    """The rule module that registered ``r`` ("" for one from elsewhere: a test's)."""
    return _module_name(r.check)


#: Module → its place in MODULES; rules from elsewhere run after all of them.
_ORDER = {name: i for i, name in enumerate(MODULES)}


def _plan(fmt: str, scope: Scope | None, entry_document: bool, rdf: bool,
          vocabularies: frozenset[str]) -> tuple[Planned, ...]:
    """The rules that judge a document of this kind, in module order, each
    with its check.

    Chosen once per kind of document (format, scope, Atom entry document,
    RSS 0.90's RDF, the vocabularies it declares), not once per document:
    the build gate checks hundreds of small documents, and sifting 264
    rules for each cost more than some of the checks.  Registering a rule
    forgets every plan.  Module order, not the order the modules happened
    to be imported in, so the rules run in one order in every process.
    """
    key = (fmt, scope, entry_document, rdf, vocabularies)
    plan = _PLANS.get(key)
    if plan is None:
        chosen = [
            r for r in RULES.registered()
            if r.check is not None and fmt in r.formats and not (entry_document and r.feed_only)
            # RSS 0.90 is reported as rss09x, like <rss version="0.91">, but is
            # RDF: only the rules written for RDF (those naming rss1) understand it.
            and not (rdf and "rss1" not in r.formats)
            and (scope is None or r.scope == scope)
            # a vocabulary's rules judge only documents that declare it
            and (_module(r) not in SERVES or _module(r) in vocabularies)]
        chosen.sort(key=lambda r: _ORDER.get(_module(r), len(MODULES)))  # stable
        plan = _PLANS[key] = tuple((r, cast("Check | JsonCheck", r.check)) for r in chosen)
    return plan


#: Format → the vocabulary modules whose rules judge it.
_SERVING: dict[str, tuple[str, ...]] = {}
_NO_VOCABULARIES: frozenset[str] = frozenset()


def _vocabularies(doc: Document | JsonDocument) -> frozenset[str]:
    """The vocabulary modules whose namespaces ``doc`` declares (for its format)."""
    if not isinstance(doc, Document):
        return _NO_VOCABULARIES
    mine = _SERVING.get(doc.format)
    if mine is None:
        mine = _SERVING[doc.format] = tuple(
            name for name in SERVES if doc.format in FORMATS.get(name, ()))
    if not mine:
        return _NO_VOCABULARIES
    from feedwright.validator.rules._ext import declared  # one walk, memoised

    names = declared(doc)
    return frozenset(name for name in mine if not SERVES[name].isdisjoint(names))


def _load(fmt: str, vocabularies: frozenset[str]) -> None:
    """Import the rule modules that may judge a document of ``fmt`` declaring
    ``vocabularies``, if not yet (a module the index does not know: always)."""
    if (fmt, vocabularies) in _loaded:
        return
    for name in MODULES:
        formats = FORMATS.get(name)
        if formats is None or (fmt in formats and (name not in SERVES or name in vocabularies)):
            import_module(_PACKAGE + name)
    _loaded.add((fmt, vocabularies))


#: The kinds of document whose rule modules are imported.
_loaded: set[tuple[str, frozenset[str]]] = set()


def run_rules(doc: Document | JsonDocument, *, scope: Scope | None = None) -> list[Issue]:
    """Every issue every rule for ``doc.format`` finds (only those of ``scope``, if given).

    The build gate calls this for hundreds of small documents (each feed's
    head, each feed's entries cut down): what does not depend on the
    document is chosen once (``_plan``), and the loop around the checks
    costs a few calls per rule.
    """
    issues: list[Issue] = []
    entry_document = rdf = False
    xml = isinstance(doc, Document)
    if xml:
        tag = cast(Document, doc).root.tag
        entry_document = tag == _ATOM_ENTRY
        rdf = tag == RDF_ROOT
    # No vocabulary has rules of scope "relation" (``rule`` refuses them), so
    # a document checked for relations alone (the build's long cut-down
    # feeds) is not walked for the namespaces it declares.
    vocabularies = _vocabularies(doc) if scope != "relation" else _NO_VOCABULARIES
    _load(doc.format, vocabularies)
    plan = _plan(doc.format, scope, entry_document, rdf, vocabularies)
    # A few rules ask for a few children each: indexing every element's
    # children costs more than it saves (the build's relation checks are
    # faster without it: benchmarks/README.md, "Figures the code relies on").
    # The index and ``cycles.held`` inline: a context manager per document
    # costs more than a small document's cheaper rules.
    token = _INDEX.set({}) if scope is None and xml else None
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        append = issues.append
        for r, check in plan:
            for finding in check(doc):  # type: ignore[arg-type]  # formats choose the kind
                append(r.issue(doc, finding))
    finally:
        if collecting:
            gc.enable()
        if token is not None:
            _INDEX.reset(token)
    if entry_document:
        # An entry document's root is both "the feed" and its one entry to
        # rules that look at each: the same finding comes twice.
        return list(dict.fromkeys(issues))
    return issues


# What each module may judge, generated from the modules themselves.
from feedwright.validator.rules._index import FORMATS  # noqa: E402
from feedwright.validator.rules._index import SERVES  # noqa: E402
