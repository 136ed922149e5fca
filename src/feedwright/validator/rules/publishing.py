"""Publishing metadata feeds carry: AtomPub's ``app:`` and Bloglines' ``access:``.

Blog engines that speak the Atom Publishing Protocol (RFC 5023) leave its
entry metadata in the feeds they serve: ``app:edited`` (when the entry was
last edited, RFC 3339) and ``app:control/app:draft`` (``yes`` or ``no``).
Bloglines' access extension lets a feed say whether aggregators may show it
publicly: ``<access:restriction relationship="allow|deny"/>`` on the
document element.  W3C checks both (``entry.py``, ``rss.py``,
``extension.py``).  Every rule returns at once for a document that does not
name the namespace.
"""

from __future__ import annotations

from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import entry_elements
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._dates import parse_rfc3339

APP_NS = "http://www.w3.org/2007/app"
APP = f"{{{APP_NS}}}"
ACCESS_NS = "http://www.bloglines.com/about/specs/fac-1.0"
RESTRICTION = f"{{{ACCESS_NS}}}restriction"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (APP_NS, ACCESS_NS)


@rule("app-invalid-edited", "error", "<app:edited> is not an RFC 3339 date-time",
      formats=("atom1",), w3c=("InvalidRFC3339Date",))
def app_invalid_edited(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `app:edited` is when the entry was last edited (RFC 5023 section 10.2),
    written as Atom writes dates: `2025-06-09T09:30:00Z` (W3C:
    InvalidRFC3339Date). Publishing clients sort and synchronise entries by
    it; a value they cannot read makes them re-fetch or overwrite edits.

    ## How to fix
    Write a full RFC 3339 date-time with its offset, or remove the element.
    """
    if not uses(doc, APP_NS):
        return
    for entry in entry_elements(doc):
        for el in entry.iterchildren(APP + "edited"):
            verdict = parse_rfc3339(value(el))
            if verdict.status == "invalid":
                yield Finding(node=el, detail=verdict.detail or repr(value(el)))


@rule("app-invalid-draft", "error", '<app:draft> is not "yes" or "no"',
      formats=("atom1",), w3c=("InvalidYesNo",))
def app_invalid_draft(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `app:control/app:draft` says whether the entry is a draft, `yes` or
    `no` in lower case (RFC 5023 section 13.1.1; W3C: InvalidYesNo).
    Publishing clients read anything else their own way, so an entry meant
    to stay a draft may be shown as published, or the reverse.

    ## How to fix
    Write `<app:draft>yes</app:draft>` or `<app:draft>no</app:draft>`.
    """
    if not uses(doc, APP_NS):
        return
    for entry in entry_elements(doc):
        for control in entry.iterchildren(APP + "control"):
            for el in control.iterchildren(APP + "draft"):
                if (el.text or "") not in ("yes", "no"):
                    yield Finding(node=el, detail=repr(el.text or ""))


@rule("access-invalid-relationship", "error",
      '<access:restriction> relationship is not "allow" or "deny"', formats=XML_FEEDS,
      w3c=("InvalidAccessRestrictionRel", "MissingAttribute"))
def access_invalid_relationship(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The access extension has two answers: `relationship="allow"` (the feed
    may be shown in public listings and search) or `"deny"` (W3C:
    InvalidAccessRestrictionRel). A missing or other value (`Noncommercial`)
    answers neither way, so an aggregator that honours the extension cannot
    tell whether the feed may be listed.

    ## How to fix
    Write `<access:restriction relationship="deny"/>` (or `"allow"`).
    """
    if not uses(doc, ACCESS_NS):
        return
    for el in doc.root.iter(RESTRICTION):
        rel = el.get("relationship")
        if rel is None:
            yield Finding(node=el, detail="no relationship attribute")
        elif rel not in ("allow", "deny"):
            yield Finding(node=el, detail=repr(rel))


@rule("access-misplaced-restriction", "error",
      "<access:restriction> must be a child of <rss> or <feed>", formats=XML_FEEDS,
      w3c=("UndefinedElement",))
def access_misplaced_restriction(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The access extension puts its one element directly in the document
    element: `<rss>` (not `<channel>`) in RSS, `<feed>` in Atom (W3C:
    UndefinedElement). Aggregators look for it there only; anywhere else
    the restriction is not seen and the feed is treated as unrestricted.

    ## How to fix
    Move `<access:restriction …/>` to be the first child of `<rss>` or `<feed>`.
    """
    if not uses(doc, ACCESS_NS):
        return
    for el in doc.root.iter(RESTRICTION):
        if el.getparent() is not doc.root:
            yield Finding(node=el)
