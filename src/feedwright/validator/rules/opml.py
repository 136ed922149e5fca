"""OPML 2.0 subscription lists (``feeds.opml`` and anyone's): head, body,
outlines, URLs and dates, as http://opml.org/spec2.opml fixes them.

Feed readers (NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird) import
OPML to subscribe to many feeds at once; what they cannot read in it they
skip, usually without saying which subscription was lost.  OPML has no
namespace, so these rules run only on a document whose root is ``<opml>``
(parse.py names it ``opml``); they cost nothing on feeds.
"""

from __future__ import annotations

from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import parse_rfc822
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._xml import text

OPML = ("opml",)

#: OPML versions a reader may meet; 2.0 is the one the rules check against.
_VERSIONS = ("1.0", "1.1", "2.0")
#: Outline attributes that hold URLs (2.0: rss ``xmlUrl``/``htmlUrl``; link/include ``url``).
_URL_ATTRIBUTES = ("xmlUrl", "htmlUrl", "url")


@rule("opml-invalid-version", "error", "<opml> has no known version", formats=OPML)
def invalid_version(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The root's `version` says which OPML a reader is looking at (1.0, 1.1,
    2.0); OPML 2.0 requires it.  Importers that check it refuse a list
    without one, and those that do not guess, sometimes wrongly (1.0 lists
    put subscriptions in attributes that 2.0 renamed).

    ## How to fix
    Write `<opml version="2.0">` (and the 2.0 attributes: `type="rss"`,
    `xmlUrl`, `htmlUrl`).
    """
    version = (doc.root.get("version") or "").strip()
    if version not in _VERSIONS:
        yield Finding(doc.root, repr(version) if version else "missing")


@rule("opml-missing-head", "error", "<opml> has no <head>", formats=OPML)
def missing_head(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 2.0: "`<opml>` has exactly one child, `<head>`, and then `<body>`".
    The head holds the list's title and dates; importers that walk the
    document by position (OPML's order is fixed) take the body for the head
    and import nothing.

    ## How to fix
    Start the document with `<head><title>…</title></head>`, before `<body>`.
    """
    children = [c for c in doc.root if isinstance(c.tag, str)]
    if not children or children[0].tag != "head":
        yield Finding(children[0] if children else doc.root)


@rule("opml-missing-title", "warning", "the OPML list has no <head><title>", formats=OPML)
def missing_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The title is what a reader calls the import (Feedly and Inoreader name
    the new folder after it; NetNewsWire shows it while importing).  OPML 2.0
    makes every head element optional, so this is a warning; the build gate
    (warnings are errors) requires it of the lists feedwright writes.

    ## How to fix
    Add `<title>Your site: feeds</title>` to `<head>`.
    """
    head = doc.root.find("head")
    if head is not None and not text(head.find("title")):
        title = head.find("title")
        yield Finding(head if title is None else title)


@rule("opml-missing-body", "error", "<opml> has no <body> with an <outline>", formats=OPML)
def missing_body(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 2.0 requires one `<body>` holding one or more `<outline>`
    elements: the subscriptions.  A list without them imports nothing, and
    most readers say only "no feeds found".

    ## How to fix
    Put each feed in `<body>` as `<outline type="rss" text="…" xmlUrl="…"/>`.
    """
    body = doc.root.find("body")
    if body is None:
        yield Finding(doc.root, "no <body>")
    elif body.find("outline") is None:
        yield Finding(body, "no <outline> in it")


@rule("opml-outline-missing-text", "error", "<outline> has no text attribute", formats=OPML)
def outline_missing_text(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 2.0: "Every outline element must have at least a text attribute",
    what an outliner or a reader shows for it.  Readers importing a
    subscription without one show its URL as its name, or an empty folder
    name for a group.

    ## How to fix
    Give every `<outline>` a `text` (the feed's title for a subscription,
    the folder's name for a group).
    """
    for outline in doc.root.iter("outline"):
        if not (outline.get("text") or "").strip():
            yield Finding(outline)


@rule("opml-rss-missing-xmlurl", "error", 'an <outline type="rss"> has no xmlUrl',
      formats=OPML)
def rss_missing_xmlurl(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A subscription is an `<outline type="rss">`, and OPML 2.0 requires its
    `xmlUrl`: the feed's address.  Without it there is nothing to subscribe
    to; readers skip the outline silently (Miniflux, NetNewsWire) and the
    subscription is lost on import.

    ## How to fix
    Add `xmlUrl="https://…/feed.xml"` with the feed's absolute URL (the
    attribute's name is case-sensitive: `xmlUrl`, not `xmlurl`).
    """
    for outline in doc.root.iter("outline"):
        if (outline.get("type") or "").lower() == "rss" and not (
                outline.get("xmlUrl") or "").strip():
            yield Finding(outline)


@rule("opml-invalid-url", "error", "an outline URL is not an absolute URL", formats=OPML)
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An OPML list is read far from where it was published (imported from a
    file, mailed, moved between readers), so there is nothing to resolve a
    relative URL against: OPML 2.0 gives no base.  A reader importing
    `xmlUrl="/feeds/rss.xml"` fails to subscribe or subscribes to a URL on
    the wrong host.

    ## How to fix
    Write `xmlUrl`, `htmlUrl` and `url` as absolute http(s) URLs.
    """
    for outline in doc.root.iter("outline"):
        for name in _URL_ATTRIBUTES:
            value = outline.get(name)
            if value is None:
                continue
            problem = full_uri_problem(value)
            if problem is not None:
                yield Finding(outline, f"{name}: {problem}")


@rule("opml-invalid-date", "error", "an OPML head date is not an RFC 822 date", formats=OPML)
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 2.0's `dateCreated` and `dateModified` are RFC 822 dates, as in
    RSS (`Thu, 02 Apr 2026 00:00:01 +0000`).  Tools that sync subscription
    lists compare `dateModified` to tell a changed list; one they cannot read
    counts as never changed, or is refused.

    ## How to fix
    Write the date as RFC 822 with a four-digit year and a numeric offset,
    e.g. Python's `email.utils.format_datetime`.
    """
    head = doc.root.find("head")
    if head is None:
        return
    for name in ("dateCreated", "dateModified"):
        for el in head.iter(name):
            verdict = parse_rfc822(text(el))
            if verdict.status != "ok":
                yield Finding(el, verdict.detail)
