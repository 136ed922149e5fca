"""Safe parsing and format detection: hostile input gets an issue, never a hang.

(Skeleton: hardened by the validator issue.)
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from feedwright.validate.report import Issue
from feedwright.validate.rules import layer_rule

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

NOT_WELL_FORMED = layer_rule(
    "xml-not-well-formed",
    "error",
    "the document is not well-formed XML",
    """
    ## Why it matters
    Readers parse feeds as XML; one syntax error and most of them show nothing.

    ## How to fix
    Fix the markup at the given line and column (unclosed tag, bare `&`, …).
    """,
)

ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Parsed:
    root: etree._Element | None
    format: str
    issues: tuple[Issue, ...]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


def detect_format(root: etree._Element) -> str:
    """Name the feed format from the root element."""
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "rss":
        version = root.get("version", "")
        return "rss2" if version.startswith("2") else "rss09x"
    if tag == f"{{{ATOM_NS}}}feed":
        return "atom1"
    return "unknown"


def parse(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Parsed:
    """Parse ``data`` safely; problems come back as issues, not exceptions."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        issue = Issue("error", NOT_WELL_FORMED.code, f"{NOT_WELL_FORMED.message}: {exc.msg}",
                      line, column)
        return Parsed(None, "unknown", (issue,))
    return Parsed(root, detect_format(root), ())
