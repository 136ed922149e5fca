"""RELAX NG schemas (Atom per RFC 4287, our own RSS 2.0) applied to parsed documents.

Schema validity is necessary, not sufficient: RFC 4287's
schema accepts offset-less dates and ignores its Schematron rules, and ours
leaves values to the rules.  The schema catches structure the rules do not
look for; where a rule already explained a line, the rule's words win.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.report import Issue
from feedwright.validator.rules import RULES
from feedwright.validator.rules import Rule
from feedwright.validator.rules import layer_rule
from feedwright.validator.schema_explain import explain

ATOM_SCHEMA = layer_rule(
    "atom-schema",
    "error",
    "the feed does not match the Atom 1.0 schema (RFC 4287)",
    """
    ## Why it matters
    RFC 4287 defines which elements an Atom feed holds, where, and how often;
    readers rely on that shape (one `<id>`, `<updated>` as a date, entries
    inside the feed) and skip or misread what does not fit.

    ## How to fix
    Look at the element named in the message: move, rename or remove it, or
    add the element the schema expected.  Extensions are welcome in their own
    namespace, never in the Atom namespace.
    """,
    w3c=("UndefinedElement", "MissingNamespace", "UnexpectedText", "UnexpectedAttribute",
         "MissingElement", "MissingAttribute", "MissingHref"),
)
RSS_SCHEMA = layer_rule(
    "rss-schema",
    "error",
    "the feed does not match the RSS 2.0 structure",
    """
    ## Why it matters
    The RSS 2.0 specification fixes the channel's required elements and which
    elements may appear in a channel and an item; readers ignore or misread
    unknown elements without a namespace and values of the wrong kind.

    ## How to fix
    Look at the element named in the message.  Use `<rss version="2.0">`, give
    `<channel>` a `<title>`, `<link>` and `<description>`, and put extensions
    in a namespace (`atom:link`, `dc:creator`, `content:encoded`, …).
    """,
    w3c=("InvalidRSSVersion", "UndefinedElement", "MissingNamespace", "UnexpectedText",
         "UnexpectedAttribute", "InvalidBooleanAttribute", "MissingElement", "MissingAttribute",
         "MissingHref"),
)

_SCHEMAS: dict[str, tuple[str, Rule]] = {
    "atom1": ("atom.rng", ATOM_SCHEMA),
    "rss2": ("rss2.rng", RSS_SCHEMA),
}

# libxml2's RELAX NG validator stops checking a subtree at its first failure
# and then logs the alternatives it backtracked through, ancestors' "failed to
# validate content" and interleave noise.  So one document yields one schema
# issue: the most specific entry of the log, ranked by kind.
_RANK = {
    "RELAXNG_ERR_TYPEVAL": 0,
    "RELAXNG_ERR_VALUE": 0,
    "RELAXNG_ERR_INVALIDATTR": 0,
    "RELAXNG_ERR_NOELEM": 1,
    "RELAXNG_ERR_ELEMWRONG": 1,
    "RELAXNG_ERR_ELEMNAME": 1,
    "RELAXNG_ERR_EXTRACONTENT": 1,
    "RELAXNG_ERR_ELEMEXTRANS": 1,
    "RELAXNG_ERR_ATTRVALID": 2,
    "RELAXNG_ERR_INTEREXTRA": 3,
}
_NAMED = re.compile(r"[Ee]lement (\S+?)[,:]? ")
_EXTRA = re.compile(r"Extra element (\S+) in interleave")
# libxml2's wording, said the way a feed author thinks about it.
_PLAIN = (
    (_EXTRA, "not allowed here, or repeated"),
    (re.compile(r"Element (\S+) has extra content: (\S+)"), r"not allowed inside <\1>"),
    (re.compile(r"Element (\S+) failed to validate attributes"),
     "a missing, unexpected or invalid attribute"),
    # In an interleave libxml2 names the first pattern it tried, not the missing one.
    (re.compile(r"Expecting an element (\S+), got nothing"),
     r"a required child element is missing (libxml2's first guess: <\1>)"),
    (re.compile(r"Type (\S+) doesn't allow value '(.*)'", re.S), r"'\2' is not a valid \1"),
    (re.compile(r"Invalid attribute (\S+) for element (\S+)"), r"attribute \1 is not allowed"),
)


_compiled = threading.local()
_SCHEMA_FOLDER = os.path.join(os.path.dirname(__file__), "schemas")


def load_schema(filename: str) -> etree.RelaxNG:
    """Compile a shipped schema once per thread (the build gate checks hundreds of files).

    Not once per process: an lxml validator keeps its error log on itself, so
    two threads validating with one schema read each other's errors.
    """
    schemas: dict[str, etree.RelaxNG] = _compiled.__dict__.setdefault("schemas", {})
    if filename not in schemas:
        # A file beside this module (a wheel installs files): importlib.resources
        # would cost more to import than the schema takes to compile.
        with open(os.path.join(_SCHEMA_FOLDER, filename), "rb") as fh:
            tree = etree.parse(fh, etree.XMLParser(resolve_entities=False, no_network=True))
        schemas[filename] = etree.RelaxNG(tree)
    return schemas[filename]


def _rule_error_lines(already: Iterable[Issue]) -> set[int]:
    # Only errors raised by rules count: a rule *warning* must not hide a schema
    # error, or the report's validity would change; parse-layer issues explain
    # bytes, not structure.
    lines = set()
    for issue in already:
        rule = RULES.get(issue.code)
        if issue.severity == "error" and issue.line and rule and rule.check is not None:
            lines.add(issue.line)
    return lines


def _best(log: etree._ListErrorLog) -> etree._LogEntry | None:
    entries = list(log)
    if not entries:
        return None
    return min(entries, key=lambda e: _RANK.get(e.type_name, 9))  # min is stable: log order


def _locate(doc: Document, err: etree._LogEntry, log: etree._ListErrorLog) -> etree._Element | None:
    """The element an entry is about; libxml2's path is often the validator's cursor."""
    root = doc.root
    ns = {k: v for k, v in root.nsmap.items() if k}
    extra = _EXTRA.search(err.message)
    paths = [err.path] if err.path else []
    if extra:  # interleave entries carry no path; a sibling entry often does
        paths = [e.path for e in log if e.path and _last_step(e.path) == extra.group(1)]
    node = None
    for path in paths:
        try:
            found = root.getroottree().xpath(path, namespaces=ns)
        except (etree.XPathError, TypeError):
            continue
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            node = found[0]
            break
    if node is None and extra:
        node = next(iter(root.iter(extra.group(1))), None)
    named = _NAMED.match(err.message)
    if node is not None and named and "attribute" in err.message:
        # "Element rss failed to validate attributes" may point at a child.
        for candidate in (node, *node.iterancestors()):
            if _qname(candidate) == named.group(1):
                return candidate
    return node


def _last_step(path: str) -> str:
    return path.rsplit("/", 1)[-1].split("[", 1)[0]


def _qname(node: etree._Element) -> str:
    local = etree.QName(node).localname
    return f"{node.prefix}:{local}" if node.prefix else local


def check_schema(doc: Document, *, already: Iterable[Issue] = ()) -> Iterator[Issue]:
    """Schema issues not already explained by a rule.

    Args:
        doc: A parsed document; only ``atom1`` and ``rss2`` have schemas.
        already: Issues found so far; a schema issue on a line where a rule
            already reported an error is dropped (the rule explains it better).

    Yields:
        At most one ``atom-schema`` / ``rss-schema`` issue, at the first
        element the schema rejects (libxml2 stops checking a subtree there).
    """
    if doc.format not in _SCHEMAS:
        return
    filename, rule = _SCHEMAS[doc.format]
    schema = load_schema(filename)
    if schema.validate(doc.root):
        return
    rule_lines = _rule_error_lines(already)
    for fault, said in explain(doc.root, doc.format):
        line, column = doc.where(fault)
        if line is None or line not in rule_lines:  # else a rule explained it better
            yield Issue(rule.severity, rule.code, f"{rule.message}: {said}", line, column)
            return
    err = _best(schema.error_log)
    if err is None:
        return
    node = _locate(doc, err, schema.error_log)
    line, column = (doc.where(node) if node is not None else (err.line or None, None))
    if line is not None and line in rule_lines:
        return
    where = f"<{_qname(node)}>: " if node is not None else ""
    yield Issue(rule.severity, rule.code, f"{rule.message}: {where}{_plain(err.message)}",
                line, column)


def _plain(message: str) -> str:
    message = message.strip()
    for pattern, replacement in _PLAIN:
        m = pattern.fullmatch(message)
        if m:
            return m.expand(replacement)
    return message
