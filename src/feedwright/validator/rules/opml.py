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

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import parse_rfc822
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._syntax import is_email
from feedwright.validator.rules._syntax import language_problem
from feedwright.validator.rules._xml import text

OPML = ("opml",)

#: OPML versions a reader may meet; 2.0 is the one the rules check against.
_VERSIONS = ("1.0", "1.1", "2.0")
#: Outline attributes that hold URLs (2.0: rss ``xmlUrl``/``htmlUrl``; link/include ``url``).
_URL_ATTRIBUTES = ("xmlUrl", "htmlUrl", "url")


def _outlines(doc: Document) -> Iterator[etree._Element]:
    """Every outline in ``<body>``, at any depth: the ones readers import
    (one elsewhere is ``opml-misplaced-outline``'s, and judged no further)."""
    body = doc.root.find("body")
    if body is not None:
        yield from body.iter("outline")


@rule("opml-invalid-version", "error", "<opml> has no known version", formats=OPML,
      w3c=("InvalidOPMLVersion", "MissingAttribute"))
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


@rule("opml-missing-head", "error", "<opml> has no <head>", formats=OPML,
      w3c=("MissingElement",))
def missing_head(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML requires one `<head>` and one `<body>` in `<opml>`.  The head
    holds the list's title and owner; importers that expect it (OPML
    editors, some readers' importers) refuse a list without one.

    ## How to fix
    Start the document with `<head><title>…</title></head>`, before `<body>`.
    """
    if doc.root.find("head") is None:
        yield Finding(doc.root)


@rule("opml-missing-title", "warning", "the OPML list has no <head><title>", formats=OPML)
def missing_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The title is what a reader calls the import (Feedly and Inoreader name
    the new folder after it; NetNewsWire shows it while importing).  OPML 2.0
    makes every head element optional, and W3C's validator does not ask for
    it, so this runs only with `--strict` (and in the build gate, which
    requires it of the lists feedwright writes).

    ## How to fix
    Add `<title>Your site: feeds</title>` to `<head>`.
    """
    head = doc.root.find("head")
    if doc.strict and head is not None and not text(head.find("title")):
        title = head.find("title")
        yield Finding(head if title is None else title)


@rule("opml-missing-body", "error", "<opml> has no <body> with an <outline>", formats=OPML,
      w3c=("MissingElement",))
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


@rule("opml-outline-missing-text", "error", "<outline> has no text attribute", formats=OPML,
      w3c=("MissingAttribute",))
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
    for outline in _outlines(doc):
        if not (outline.get("text") or "").strip():
            yield Finding(outline)


@rule("opml-rss-missing-xmlurl", "warning", 'an <outline type="rss"> has no xmlUrl',
      formats=OPML, w3c=("MissingXmlURL",))
def rss_missing_xmlurl(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A subscription is an `<outline type="rss">`, and OPML 2.0 requires its
    `xmlUrl`: the feed's address.  Without it there is nothing to subscribe
    to; readers skip the outline silently (Miniflux, NetNewsWire) and the
    subscription is lost on import.  A warning, as W3C's validator has it
    (the rest of the list still imports); the build gate refuses it.

    ## How to fix
    Add `xmlUrl="https://…/feed.xml"` with the feed's absolute URL (the
    attribute's name is case-sensitive: `xmlUrl`, not `xmlurl`).
    """
    for outline in _outlines(doc):
        if (outline.get("type") or "").lower() == "rss" and not (
                outline.get("xmlUrl") or "").strip():
            yield Finding(outline)


@rule("opml-invalid-url", "error", "an outline URL is not an absolute URL", formats=OPML,
      w3c=("InvalidFullLink",))
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An OPML list is read far from where it was published (imported from a
    file, mailed, moved between readers), so there is nothing to resolve a
    relative URL against: OPML 2.0 gives no base.  A reader importing
    `xmlUrl="/feeds/rss.xml"` fails to subscribe or subscribes to a URL on
    the wrong host.

    W3C's validator checks `htmlUrl` and `url` so (InvalidFullLink) but not
    `xmlUrl`, the one a reader needs most; this rule checks all three.

    ## How to fix
    Write `xmlUrl`, `htmlUrl` and `url` as absolute http(s) URLs.
    """
    for outline in _outlines(doc):
        for name in _URL_ATTRIBUTES:
            value = outline.get(name)
            if value is None:
                continue
            problem = full_uri_problem(value)
            if problem is not None:
                yield Finding(outline, f"{name}: {problem}")


@rule("opml-invalid-date", "error", "an OPML head date is not an RFC 822 date", formats=OPML,
      w3c=("InvalidRFC2822Date",))
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


#: Outline attributes that describe a subscription (W3C's list): an outline
#: with any of them and no ``type`` is not a subscription to any reader.
_SUBSCRIPTION_ATTRIBUTES = ("description", "htmlUrl", "language", "title", "version", "xmlUrl")
#: OPML 2.0's values of a subscription's ``version``.
_OUTLINE_VERSIONS = ("RSS", "RSS1", "RSS2", "scriptingNews")


@rule("opml-outline-missing-type", "warning", "an outline describes a feed but has no type",
      formats=OPML, w3c=("MissingOutlineType",))
def outline_missing_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers subscribe to the outlines whose `type` is `rss`; an outline with
    an `xmlUrl`, `htmlUrl`, `title` or `version` but no `type` is taken for
    a folder or a note by the strict importers (OPML editors, Thunderbird),
    and its feed is not subscribed to.  Only the lenient ones guess.

    ## How to fix
    Add `type="rss"` to each subscription; give a folder its `text` alone.
    """
    for outline in _outlines(doc):
        if outline.get("type") is None and any(
                outline.get(name) is not None for name in _SUBSCRIPTION_ATTRIBUTES):
            yield Finding(outline)


@rule("opml-rss-missing-title", "warning", 'an <outline type="rss"> has no title attribute',
      formats=OPML, w3c=("MissingTitleAttr",))
def rss_missing_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 2.0 lists `title` among a subscription's attributes ("probably the
    same as text"); readers that read it (NetNewsWire, Feedly) name the
    subscription after it, and without it fall back on the URL or on the
    feed's own title after a first fetch.

    ## How to fix
    Add `title` to each `<outline type="rss">`, the same as its `text`.
    """
    for outline in _outlines(doc):
        if (outline.get("type") or "").lower() == "rss" and outline.get("title") is None:
            yield Finding(outline)


@rule("opml-link-missing-url", "warning", 'an <outline type="link"> has no url attribute',
      formats=OPML, w3c=("MissingUrlAttr",))
def link_missing_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An outline of type `link` points somewhere with its `url` (OPML 2.0);
    without it there is nothing to open, and importers drop it.

    ## How to fix
    Add `url="https://…"`, or remove the outline.
    """
    for outline in _outlines(doc):
        if (outline.get("type") or "").lower() == "link" and outline.get("url") is None:
            yield Finding(outline)


@rule("opml-invalid-outline-version", "warning", "an outline's version is not an RSS version",
      formats=OPML, w3c=("InvalidOutlineVersion",))
def invalid_outline_version(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A subscription's `version` says which format its feed is in: `RSS2`,
    `RSS1`, `RSS` (0.9x) or `scriptingNews` (OPML 2.0).  Importers that use
    it to pick a parser may pick none for another value.

    ## How to fix
    Use one of RSS2, RSS1, RSS, scriptingNews, or leave `version` out (for
    Atom and JSON Feed, leave it out).
    """
    for outline in _outlines(doc):
        version = outline.get("version")
        if version is not None and version not in _OUTLINE_VERSIONS:
            yield Finding(outline, repr(version))


@rule("opml-misplaced-outline", "error", "an <outline> is outside <body>", formats=OPML,
      w3c=("UndefinedElement",))
def misplaced_outline(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Outlines live in `<body>` (or in other outlines); readers import only
    what they find there, so an outline in `<head>` or after `<body>` is
    silently left out of the import.

    ## How to fix
    Move the outline into `<body>`.
    """
    for outline in doc.root.iter("outline"):
        parent = outline.getparent()
        if parent is None or parent.tag not in ("body", "outline"):
            yield Finding(outline)


@rule("opml-invalid-boolean", "error", "isComment and isBreakpoint are true or false",
      formats=OPML, w3c=("InvalidTrueFalse",))
def invalid_boolean(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 2.0's `isComment` and `isBreakpoint` are the strings `true` or
    `false`; outliners read anything else their own way (a comment shown as
    text, or hidden), so the list reads differently in each.

    ## How to fix
    Write `isComment="true"` or leave the attribute out (false is the default).
    """
    for outline in _outlines(doc):
        for name in ("isComment", "isBreakpoint"):
            value = outline.get(name)
            if value is not None and value.lower() not in ("true", "false"):
                yield Finding(outline, f"{name}={value!r}")


@rule("opml-invalid-owner-email", "error", "<ownerEmail> is not an e-mail address",
      formats=OPML, w3c=("InvalidContact",))
def invalid_owner_email(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<ownerEmail>` is how people reach the list's owner (OPML 2.0); a value
    that is not an address (a name, a URL) leaves them no way to.

    ## How to fix
    Write a bare address, `someone@example.org`, or leave the element out.
    """
    head = doc.root.find("head")
    if head is None:
        return
    for el in head.iter("ownerEmail"):
        if not is_email(text(el)):
            yield Finding(el, repr(text(el)))


#: Attribute names OPML 2.0 gives outlines, by their lower case: a name that
#: differs from one of them only in case is a misspelling readers miss.
_KNOWN_ATTRIBUTES = {name.lower(): name for name in (
    "text", "type", "isComment", "isBreakpoint", "created", "category", "xmlUrl", "htmlUrl",
    "url", "description", "language", "title", "version")}


@rule("opml-misspelt-attribute", "error", "an outline attribute's name has the wrong case",
      formats=OPML, w3c=("UnexpectedAttribute",))
def misspelt_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    XML names are case-sensitive, and OPML's are `xmlUrl`, `htmlUrl`,
    `isComment`…: a reader looking for `xmlUrl` does not see `xmlurl` or
    `XMLURL`, and the subscription is lost on import (NetNewsWire and
    Miniflux match the exact name).  Other attributes are free in OPML 2.0
    ("any number of arbitrary attributes"), so only case variants of its
    own names are reported; W3C's validator reports every attribute it does
    not know (UnexpectedAttribute), against the specification.

    ## How to fix
    Spell the attribute as OPML does: `xmlUrl`, `htmlUrl`, `isComment`,
    `isBreakpoint`.
    """
    for outline in _outlines(doc):
        for name in outline.attrib:
            if not isinstance(name, str):
                continue
            known = _KNOWN_ATTRIBUTES.get(name.lower())
            if known is not None and known != name:
                yield Finding(outline, f"{name!r}: write {known!r}")


@rule("opml-invalid-language", "error", "an outline's language is not a language tag",
      formats=OPML, w3c=("InvalidLanguage",))
def invalid_language(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A subscription's `language` (OPML 2.0: the feed's language, as RSS's
    `<language>`) is an ISO 639 / RFC 5646 tag; readers that sort or filter
    subscriptions by language drop values such as `unknown` or `English`.

    ## How to fix
    Write a tag such as `en` or `en-GB`, or leave the attribute out.
    """
    for outline in _outlines(doc):
        value = outline.get("language")
        if value is None:
            continue
        problem = language_problem(value)
        if problem is not None:
            yield Finding(outline, problem)


@rule("opml-unknown-outline-type", "warning",
      "an OPML 1.0 outline has a type other than rss or link", formats=OPML,
      w3c=("InvalidOutlineType",))
def unknown_outline_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    OPML 1.0 lists (version 1.0 or 1.1) know the outline types `rss` and
    `link`; readers importing one skip outlines of any other type, so a
    feed typed `atom` or `feed` is not subscribed to.  OPML 2.0 lets
    applications define their own types, so a 2.0 list is not judged.

    ## How to fix
    Type subscriptions `rss` (whatever the feed's format), or declare the
    list `version="2.0"`.
    """
    if not (doc.root.get("version") or "").strip().startswith("1."):
        return
    for outline in _outlines(doc):
        kind = outline.get("type")
        if kind is not None and kind.lower() not in ("rss", "link"):
            yield Finding(outline, repr(kind))
