"""RELAX NG schemas (Atom per RFC 4287, our own RSS 2.0) applied to parsed documents.

Schema validity is necessary, not sufficient (validator-notes.md): RFC 4287's
schema accepts offset-less dates and ignores its Schematron rules, and ours
leaves values to the rules.  The schema catches structure the rules do not
look for; where a rule already explained a line, the rule's words win.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from collections.abc import Iterator
from importlib import resources

from lxml import etree

from feedwright.validate.document import Document
from feedwright.validate.report import Issue
from feedwright.validate.rules import RULES
from feedwright.validate.rules import Rule
from feedwright.validate.rules import layer_rule

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
)

_SCHEMAS: dict[str, tuple[str, Rule]] = {
    "atom1": ("atom.rng", ATOM_SCHEMA),
    "rss2": ("rss2.rng", RSS_SCHEMA),
}

# libxml2 reports an error, then "failed to validate content" for every
# ancestor; these generic follow-ups add nothing once the specific one is kept.
_CASCADE = frozenset({
    "RELAXNG_ERR_CONTENTVALID",
    "RELAXNG_ERR_INTERSEQ",
    "RELAXNG_ERR_DATATYPE",
    "RELAXNG_ERR_EXTRACONTENT",
})


@functools.cache
def load_schema(filename: str) -> etree.RelaxNG:
    """Compile a shipped schema once per process (the build gate checks hundreds of files)."""
    source = resources.files("feedwright.validate").joinpath("schemas", filename)
    with source.open("rb") as fh:
        tree = etree.parse(fh, etree.XMLParser(resolve_entities=False, no_network=True))
    return etree.RelaxNG(tree)


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


def _specific(log: etree._ListErrorLog) -> list[etree._LogEntry]:
    kept: list[etree._LogEntry] = []
    for err in log:
        path = err.path or ""
        if err.type_name in _CASCADE and any(
            k.path == path or (k.path or "").startswith(path + "/") for k in kept
        ):
            continue
        kept.append(err)
    return kept


def check_schema(doc: Document, *, already: Iterable[Issue] = ()) -> Iterator[Issue]:
    """Schema issues not already explained by a rule.

    Args:
        doc: A parsed document; only ``atom1`` and ``rss2`` have schemas.
        already: Issues found so far; a schema issue on a line where a rule
            already reported an error is dropped (the rule explains it better).

    Yields:
        ``atom-schema`` / ``rss-schema`` issues at the offending element.
    """
    if doc.format not in _SCHEMAS:
        return
    filename, rule = _SCHEMAS[doc.format]
    schema = load_schema(filename)
    if schema.validate(doc.root):
        return
    skip = _rule_error_lines(already)
    tree = doc.root.getroottree()
    for err in _specific(schema.error_log):
        line, column = err.line or None, None
        name = ""
        try:
            found = tree.xpath(err.path) if err.path else []
        except etree.XPathError:
            found = []
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            line, column = doc.where(found[0])
            qname = etree.QName(found[0])
            name = f"<{found[0].prefix + ':' if found[0].prefix else ''}{qname.localname}>: "
        if line in skip:
            continue
        yield Issue(rule.severity, rule.code, f"{rule.message}: {name}{err.message}", line, column)
