"""RSS 2.0 structure rules: required and singleton elements, guids, URLs, self link.

Message class names in rule docs are the W3C Feed Validation Service's, so a
finding can be compared with what validator.w3.org/feed says.  Value checks
(contacts, dates, channel settings, images, enclosures) are in rss_values.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import rss_guids
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._xml import CONTENT_ENCODED
from feedwright.validator.rules._xml import DC
from feedwright.validator.rules._xml import RSS
from feedwright.validator.rules._xml import RSS2
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import atom_links
from feedwright.validator.rules._xml import by_tag
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import rel_of
from feedwright.validator.rules._xml import tagged_children
from feedwright.validator.rules._xml import text


def _missing(doc: Document, tag: str) -> Iterator[Finding]:
    ch = channel(doc.root)
    if ch is not None and first(ch, tag) is None:
        yield Finding(node=ch)


@rule("rss-missing-channel", "error", "<rss> has no <channel>", formats=RSS,
      w3c=("MissingElement",))
def missing_channel(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Everything an RSS feed says lives in its one `<channel>`; without it
    readers find no title, no link and no items, and show nothing.

    ## How to fix
    Wrap the feed's metadata and `<item>`s in a single `<channel>` element
    directly inside `<rss>`.
    """
    if channel(doc.root) is None:
        yield Finding(node=doc.root)


@rule("rss-missing-channel-title", "error", "<channel> has no <title>", formats=RSS,
      w3c=("MissingTitle",))
def missing_channel_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers list subscriptions by the channel title (W3C: MissingTitle); a
    feed without one shows up as its URL, or is refused.

    ## How to fix
    Add a non-empty `<title>` to `<channel>`, usually the site's name.
    """
    yield from _missing(doc, "title")


@rule("rss-missing-channel-link", "error", "<channel> has no <link>", formats=RSS,
      w3c=("MissingLink",))
def missing_channel_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The channel `<link>` is how readers send people to the website behind
    the feed (W3C: MissingLink); RSS 2.0 requires it.

    ## How to fix
    Add `<link>` with the absolute URL of the site's home page.
    """
    yield from _missing(doc, "link")


@rule("rss-missing-channel-description", "error", "<channel> has no <description>",
      formats=RSS,
      w3c=("MissingDescription",))
def missing_channel_description(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS 2.0 requires a channel `<description>` (W3C: MissingDescription);
    directories and readers show it when someone decides whether to subscribe.

    ## How to fix
    Add a one-sentence plain-text `<description>` of the site.
    """
    yield from _missing(doc, "description")


@rule("rss-item-missing-title-and-description", "error",
      "<item> has neither <title> nor <description>", formats=RSS,
      w3c=("ItemMustContainTitleOrDescription",))
def item_missing_title_and_description(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An item must have at least a title or a description
    (W3C: ItemMustContainTitleOrDescription); with neither, readers have
    nothing to show in the item list.

    ## How to fix
    Give every `<item>` a `<title>`, and preferably a `<description>` too.
    """
    for it in items(doc.root):
        if first(it, "title") is None and first(it, "description") is None:
            yield Finding(node=it)


_CHANNEL_SINGLETONS = (
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
    "pubDate", "lastBuildDate", "generator", "docs", "cloud", "ttl", "image", "rating",
    "textInput", "skipHours", "skipDays",
)
_ITEM_SINGLETONS = (
    "title", "link", "description", "author", "comments", "guid", "pubDate", "source",
    CONTENT_ENCODED,
)


def _duplicates(parent: etree._Element, names: tuple[str, ...]) -> Iterator[Finding]:
    get = by_tag(parent).get
    for name in names:  # the common case, told from the index without a walk
        found = get(name)
        if found is not None and len(found) > 1:
            break
    else:
        return
    seen: set[str] = set()
    for tag, c in tagged_children(parent):
        if isinstance(tag, str) and tag in names:
            if tag in seen:
                yield Finding(node=c, detail=f"<{etree.QName(c).localname}> repeated")
            seen.add(tag)


@rule("rss-duplicate-element", "error", "element may appear only once here", formats=RSS,
      w3c=("DuplicateElement", "TooMany"))
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS allows one `<title>`, `<link>`, `<pubDate>`, `<guid>`… per channel or
    item (W3C: DuplicateElement). Readers keep either the first or the last
    copy, so what subscribers see depends on the reader.

    ## How to fix
    Remove the extra copy; for several categories use `<category>`, which
    may repeat.
    """
    ch = channel(doc.root)
    if ch is None:
        return
    yield from _duplicates(ch, _CHANNEL_SINGLETONS)
    for it in children(ch, "item"):
        yield from _duplicates(it, _ITEM_SINGLETONS)


@rule("rss-duplicate-enclosure", "warning", "<item> has more than one <enclosure>", formats=RSS,
      w3c=("DuplicateEnclosure",))
def duplicate_enclosure(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Most podcast clients download only one enclosure per item
    (W3C: DuplicateEnclosure); which one they pick varies, and Apple
    Podcasts ignores enclosures whose URL another item already used
    (podcasters.apple.com, support article 823).

    ## How to fix
    Keep one `<enclosure>` per item; publish other media as separate items
    or link them from the description.
    """
    for it in items(doc.root):
        for extra in children(it, "enclosure")[1:]:
            yield Finding(node=extra)


@rule("rss-missing-guid", "warning", "<item> has no <guid>", formats=RSS2,
      w3c=("MissingGuid",))
def missing_guid(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers recognise items they have already shown by `<guid>`
    (W3C: MissingGuid). Without one they fall back to link or title, so an
    edited title or a changed URL shows the post again as new, as a guid
    that changes between fetches does in every reader (miniflux/v2#2358,
    NetNewsWire#3835). An item with no link either is worse
    (`rss-item-without-guid-or-link`).

    ## How to fix
    Give each item a `<guid>` that never changes: its permalink, or a
    stable id with `isPermaLink="false"`.
    """
    for it in items(doc.root):
        if first(it, "guid") is None:
            yield Finding(node=it)


def _guids(doc: Document) -> list[tuple[etree._Element, str]]:
    """Every item's guids with their stripped text, in document order, found
    once for the three rules that judge them (``rss_guids``)."""
    return rss_guids(doc)


def _is_permalink(guid: etree._Element) -> bool:
    return (guid.get("isPermaLink") or "true").strip() != "false"


@rule("rss-guid-not-permalink", "error",
      "<guid> is taken as a permalink but is not a web URL", formats=RSS2,
      w3c=("InvalidUriChar", "InvalidHttpGUID", "InvalidPermalink", "NotBlank"))
def guid_not_permalink(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `isPermaLink` defaults to `true`, which promises that the guid is a URL a
    browser can open (W3C: InvalidHttpGUID, InvalidPermalink). Readers link
    the item to it, so a `tag:` URI or a bare number makes a broken link.

    ## How to fix
    Use the item's absolute `http(s)` permalink as guid, or keep the value
    and add `isPermaLink="false"`.
    """
    for g, value in _guids(doc):
        if not _is_permalink(g):
            continue
        problem = full_uri_problem(value)
        if problem is None and value.lower().startswith(("tag:", "urn:")):
            problem = f"{value!r} is an identifier, not a URL a browser can open"
        if problem is not None:
            yield Finding(node=g, detail=problem)


@rule("rss-guid-not-unique-enough", "warning", "<guid> is a short number", formats=RSS2,
      w3c=("NotSufficientlyUnique",))
def guid_not_unique_enough(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A guid must be unique across every feed a reader follows; a short
    number such as a database row id (eight digits or fewer) collides with
    other feeds' items (W3C: NotSufficientlyUnique), and items vanish.

    ## How to fix
    Prefix the number with something global, e.g.
    `https://example.org/posts/42` or `tag:example.org,2025:post-42`.
    """
    for g, value in _guids(doc):
        if value.isdigit() and len(value) <= 8 and not _is_permalink(g):
            yield Finding(node=g, detail=repr(value))


@rule("rss-duplicate-guid", "error", "two items share a <guid>", formats=RSS2,
      scope="relation",
      w3c=("DuplicateEntries", "DuplicateValue"))
def duplicate_guid(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers treat items with the same guid as one item, so all but one of
    them are never shown, and which one survives varies by reader: Miniflux
    keeps one of them, FreshRSS and NetNewsWire collapse them into one
    (miniflux/v2#4197, FreshRSS#3126, NetNewsWire#3356). The W3C validator
    reports this as an error too (W3C: DuplicateValue).

    ## How to fix
    Give every item its own guid; if two items are really the same post,
    remove one.
    """
    seen: set[str] = set()
    for g, value in _guids(doc):
        if value in seen:
            yield Finding(node=g, detail=repr(value))
        elif value:
            seen.add(value)


_URL_ELEMENTS_CHANNEL = ("link", "docs")
_URL_ELEMENTS_ITEM = ("link", "comments")


def _url_nodes(doc: Document) -> Iterator[tuple[etree._Element, str]]:
    ch = channel(doc.root)
    if ch is None:
        return
    for tag in _URL_ELEMENTS_CHANNEL:
        for n in children(ch, tag):
            yield n, text(n)
    for img in children(ch, "image"):
        for tag in ("url", "link"):
            for n in children(img, tag):
                yield n, text(n)
    for box in children(ch, "textInput"):
        for n in children(box, "link"):
            yield n, text(n)
    for it in children(ch, "item"):
        kids = by_tag(it)  # four kinds of children: one look-up of the item
        for tag in _URL_ELEMENTS_ITEM:
            for n in kids.get(tag, ()):
                yield n, text(n)
        for tag, attr in (("enclosure", "url"), ("source", "url")):
            for n in kids.get(tag, ()):
                value = n.get(attr)
                if value is not None:
                    yield n, value


@rule("rss-invalid-url", "error", "not an absolute URL", formats=RSS,
      w3c=("InvalidFullLink", "InvalidUriChar", "UriNotIri", "InvalidURIAttribute",
           "InvalidURLAttribute"))
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS has no base URL: `<link>`, `<comments>`, `<docs>`, image,
    text input and enclosure URLs must be complete (W3C: InvalidFullLink, InvalidUriChar,
    UriNotIri). Readers cannot resolve `/posts/1/` or an empty `<link/>`, a
    space, `<` or `[` in a URL breaks the link outright, and RSS URLs are
    URIs: non-ASCII characters (`/café`) must be percent-encoded.

    ## How to fix
    Write full URLs starting with `https://`, and percent-encode spaces
    (`%20`), brackets (`%5B`, `%5D`), non-ASCII characters (`caf%C3%A9`) and
    other special characters.
    """
    for node, value in _url_nodes(doc):
        problem = full_uri_problem(value)
        if problem is None and not value.isascii():
            odd = next((c for c in value.strip() if not c.isascii()), None)
            if odd is not None:
                problem = f"{value.strip()!r} contains {odd!r}; percent-encode it"
        if problem is not None:
            yield Finding(node=node, detail=problem)


_SEMANTIC_PAIRS = (
    ("pubDate", DC + "date"), ("author", DC + "creator"), ("guid", A + "id"),
    ("category", DC + "subject"), ("pubDate", A + "published"), ("source", DC + "source"),
)


@rule("rss-duplicate-item-semantics", "warning",
      "item says the same thing twice in different vocabularies", formats=RSS,
      w3c=("DuplicateItemSemantics",))
def duplicate_item_semantics(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<pubDate>` and `<dc:date>`, `<author>` and `<dc:creator>`, `<guid>` and
    `<atom:id>`… mean the same (W3C: DuplicateItemSemantics). Readers pick
    one, and when the two disagree each reader shows something different.

    ## How to fix
    Keep the core RSS element (or only the extension) and remove the other.
    """
    for it in items(doc.root):
        present = by_tag(it)  # the last child of a tag is the one a dict of them keeps
        for core, ext in _SEMANTIC_PAIRS:
            if core in present and ext in present:
                later = present[ext][-1]
                name = etree.QName(ext).localname
                yield Finding(node=later, detail=f"<{core}> and <{name}>")


@rule("rss-missing-self-link", "warning",
      '<channel> has no <atom:link rel="self">', formats=RSS2,
      w3c=("MissingSelf", "MissingAtomSelfLink"))
def missing_self_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The self link is the feed's own URL (W3C: MissingAtomSelfLink). Readers
    use it to follow a moved feed, and WebSub hubs need it (FreshRSS
    subscribes by WebSub when a feed names its hub and self URL); without it
    a copy saved elsewhere cannot say where the real feed lives.

    ## How to fix
    Declare `xmlns:atom="http://www.w3.org/2005/Atom"` and add
    `<atom:link href="https://example.org/feed.xml" rel="self"
    type="application/rss+xml"/>` to `<channel>`.
    """
    ch = channel(doc.root)
    if ch is not None and not any(rel_of(li) == "self" for li in atom_links(ch)):
        yield Finding(node=ch)


@rule("rss-content-without-description", "warning",
      "<content:encoded> without a <description> before it", formats=RSS2,
      w3c=("NeedDescriptionBeforeContent",))
def content_without_description(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers and e-mail services that show a summary take `<description>`;
    with only `<content:encoded>` they show nothing or the whole post
    (W3C: NeedDescriptionBeforeContent, which W3C also reports when the
    `<description>` comes after `<content:encoded>`, as it does here).
    Generators that write the two in the wrong order trip it on every item
    (@astrojs/rss users: the3ash/astro-chiri#143).

    ## How to fix
    Add a short `<description>` (a summary) before `<content:encoded>`.
    """
    for it in items(doc.root):
        if CONTENT_ENCODED not in by_tag(it):
            continue
        for tag, c in tagged_children(it):
            if tag == "description":
                break
            if tag == CONTENT_ENCODED:
                yield Finding(node=c)
                break
