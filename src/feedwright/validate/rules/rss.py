"""RSS 2.0 rules: required and singleton elements, guids, contacts, channel values.

Message class names in comments are the W3C Feed Validation Service's, so a
finding can be compared with what validator.w3.org/feed says.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validate.document import Document
from feedwright.validate.rules import Finding
from feedwright.validate.rules import rule
from feedwright.validate.rules._helpers import CONTENT_ENCODED
from feedwright.validate.rules._helpers import DC
from feedwright.validate.rules._helpers import RSS
from feedwright.validate.rules._helpers import RSS2
from feedwright.validate.rules._helpers import XML_LANG
from feedwright.validate.rules._helpers import A
from feedwright.validate.rules._helpers import atom_links
from feedwright.validate.rules._helpers import channel
from feedwright.validate.rules._helpers import children
from feedwright.validate.rules._helpers import first
from feedwright.validate.rules._helpers import full_uri_problem
from feedwright.validate.rules._helpers import is_email
from feedwright.validate.rules._helpers import items
from feedwright.validate.rules._helpers import parse_rfc822
from feedwright.validate.rules._helpers import rel_of
from feedwright.validate.rules._helpers import text


def _missing(doc: Document, tag: str) -> Iterator[Finding]:
    ch = channel(doc.root)
    if ch is not None and first(ch, tag) is None:
        yield Finding(node=ch)


@rule("rss-missing-channel", "error", "<rss> has no <channel>", formats=RSS)
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


@rule("rss-missing-channel-title", "error", "<channel> has no <title>", formats=RSS)
def missing_channel_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers list subscriptions by the channel title (W3C: MissingTitle); a
    feed without one shows up as its URL, or is refused.

    ## How to fix
    Add a non-empty `<title>` to `<channel>`, usually the site's name.
    """
    yield from _missing(doc, "title")


@rule("rss-missing-channel-link", "error", "<channel> has no <link>", formats=RSS)
def missing_channel_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The channel `<link>` is how readers send people to the website behind
    the feed (W3C: MissingLink); RSS 2.0 requires it.

    ## How to fix
    Add `<link>` with the absolute URL of the site's home page.
    """
    yield from _missing(doc, "link")


@rule("rss-missing-channel-description", "error", "<channel> has no <description>",
      formats=RSS)
def missing_channel_description(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS 2.0 requires a channel `<description>` (W3C: MissingDescription);
    directories and readers show it when someone decides whether to subscribe.

    ## How to fix
    Add a one-sentence plain-text `<description>` of the site.
    """
    yield from _missing(doc, "description")


@rule("rss-item-missing-title-and-description", "error",
      "<item> has neither <title> nor <description>", formats=RSS)
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
    seen: set[str] = set()
    for c in parent:
        tag = c.tag
        if isinstance(tag, str) and tag in names:
            if tag in seen:
                yield Finding(node=c, detail=f"<{etree.QName(c).localname}> repeated")
            seen.add(tag)


@rule("rss-duplicate-element", "error", "element may appear only once here", formats=RSS)
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


@rule("rss-duplicate-enclosure", "warning", "<item> has more than one <enclosure>", formats=RSS)
def duplicate_enclosure(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Most podcast clients download only one enclosure per item
    (W3C: DuplicateEnclosure); which one they pick varies.

    ## How to fix
    Keep one `<enclosure>` per item; publish other media as separate items
    or link them from the description.
    """
    for it in items(doc.root):
        for extra in children(it, "enclosure")[1:]:
            yield Finding(node=extra)


@rule("rss-missing-guid", "warning", "<item> has no <guid>", formats=RSS2)
def missing_guid(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers recognise items they have already shown by `<guid>`
    (W3C: MissingGuid). Without one they fall back to link or title, so an
    edited title or a changed URL shows the post again as new.

    ## How to fix
    Give each item a `<guid>` that never changes: its permalink, or a
    stable id with `isPermaLink="false"`.
    """
    for it in items(doc.root):
        if first(it, "guid") is None:
            yield Finding(node=it)


def _is_permalink(guid: etree._Element) -> bool:
    return (guid.get("isPermaLink") or "true").strip() != "false"


@rule("rss-guid-not-permalink", "error",
      "<guid> is taken as a permalink but is not a web URL", formats=RSS2)
def guid_not_permalink(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `isPermaLink` defaults to `true`, which promises that the guid is a URL a
    browser can open (W3C: InvalidHttpGUID, InvalidPermalink). Readers link
    the item to it, so a `tag:` URI or a bare number makes a broken link.

    ## How to fix
    Use the item's absolute `http(s)` permalink as guid, or keep the value
    and add `isPermaLink="false"`.
    """
    for it in items(doc.root):
        for g in children(it, "guid"):
            value = text(g)
            if not value or not _is_permalink(g):
                continue
            problem = full_uri_problem(value)
            if problem is None and not value.lower().startswith(("http://", "https://")):
                problem = f"{value!r} is not an http(s) URL"
            if problem is not None:
                yield Finding(node=g, detail=problem)


@rule("rss-guid-not-unique-enough", "warning", "<guid> is a short number", formats=RSS2)
def guid_not_unique_enough(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A guid must be unique across every feed a reader follows; a short
    number such as a database row id (eight digits or fewer) collides with
    other feeds' items (W3C: NotSufficientlyUnique), and items vanish.

    ## How to fix
    Prefix the number with something global, e.g.
    `https://example.org/posts/42` or `tag:example.org,2025:post-42`.
    """
    for it in items(doc.root):
        for g in children(it, "guid"):
            value = text(g)
            if value.isdigit() and len(value) <= 8 and not _is_permalink(g):
                yield Finding(node=g, detail=repr(value))


@rule("rss-duplicate-guid", "warning", "two items share a <guid>", formats=RSS2)
def duplicate_guid(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers treat items with the same guid as one item, so all but one of
    them are never shown (and which one survives varies by reader).

    ## How to fix
    Give every item its own guid; if two items are really the same post,
    remove one.
    """
    seen: set[str] = set()
    for it in items(doc.root):
        for g in children(it, "guid"):
            value = text(g)
            if value in seen:
                yield Finding(node=g, detail=repr(value))
            elif value:
                seen.add(value)


_CONTACTS = ("managingEditor", "webMaster")


def _contact_nodes(doc: Document) -> Iterator[etree._Element]:
    ch = channel(doc.root)
    if ch is None:
        return
    for tag in _CONTACTS:
        yield from children(ch, tag)
    for it in children(ch, "item"):
        yield from children(it, "author")


def _contact_email(value: str) -> tuple[str | None, bool]:
    """(the address found, whether the layout is RSS's ``email (Name)``)."""
    v = value.strip()
    if v.lower().startswith("mailto:"):
        v = v[7:]
    if is_email(v):
        return v, True
    if v.endswith(")") and "(" in v:
        addr = v[: v.index("(")].strip()
        return (addr, True) if is_email(addr) else (None, False)
    if "<" in v and v.endswith(">"):
        addr = v[v.rindex("<") + 1: -1].strip()
        return (addr, False) if is_email(addr) else (None, False)
    return None, False


@rule("rss-invalid-contact", "error", "contact has no valid e-mail address", formats=RSS)
def invalid_contact(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS defines `<author>`, `<managingEditor>` and `<webMaster>` as e-mail
    addresses (W3C: InvalidContact); readers that make them `mailto:` links
    or parse them for a name get nothing usable from a bare name.

    ## How to fix
    Write `jane@example.org (Jane Doe)`. To give only a name, use
    `<dc:creator>Jane Doe</dc:creator>` (namespace
    `http://purl.org/dc/elements/1.1/`) instead of `<author>`.
    """
    for node in _contact_nodes(doc):
        value = text(node)
        if value and _contact_email(value)[0] is None:
            yield Finding(node=node, detail=repr(value))


@rule("rss-contact-format", "warning", "contact is not written as 'email (Name)'", formats=RSS)
def contact_format(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The address is valid, but RSS's layout is `email (Name)`
    (W3C: EmailFormat); readers that split name from address show
    `Jane <jane@…>` verbatim.

    ## How to fix
    Write `jane@example.org (Jane Doe)`.
    """
    for node in _contact_nodes(doc):
        value = text(node)
        addr, proper = _contact_email(value) if value else (None, True)
        if addr is not None and not proper:
            yield Finding(node=node, detail=repr(value))


@rule("rss-invalid-ttl", "error", "<ttl> is not a positive whole number of minutes",
      formats=RSS)
def invalid_ttl(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<ttl>` tells readers how many minutes they may cache the feed
    (W3C: InvalidInteger); a value like `1h` or `-5` is ignored or breaks
    the reader's refresh schedule.

    ## How to fix
    Give a whole number of minutes, e.g. `<ttl>60</ttl>`, or remove it.
    """
    for node in children(channel(doc.root), "ttl"):
        value = text(node)
        if not value.isdigit() or int(value) <= 0:
            yield Finding(node=node, detail=repr(value))


@rule("rss-invalid-skip-hours", "error", "<skipHours> holds a bad or repeated hour",
      formats=RSS)
def invalid_skip_hours(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<skipHours>` lists up to 24 distinct GMT hours, each 0–23, when readers
    should not poll (W3C: InvalidHour, DuplicateValue); other values make
    readers skip or poll at the wrong times.

    ## How to fix
    Write one `<hour>` per hour to skip, each a number from 0 to 23, with no
    repeats.
    """
    for block in children(channel(doc.root), "skipHours"):
        seen: set[int] = set()
        for h in children(block, "hour"):
            value = text(h)
            if not value.isdigit() or int(value) > 23:
                yield Finding(node=h, detail=f"{value!r} is not an hour 0-23")
            elif int(value) in seen:
                yield Finding(node=h, detail=f"hour {value} repeated")
            else:
                seen.add(int(value))


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@rule("rss-invalid-skip-days", "error", "<skipDays> holds a bad or repeated day", formats=RSS)
def invalid_skip_days(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<skipDays>` lists up to seven distinct English day names
    (W3C: InvalidDay, DuplicateValue); a misspelt or abbreviated name is
    ignored, so readers poll on days the publisher meant to skip.

    ## How to fix
    Use the full capitalised names `Monday` … `Sunday`, each once.
    """
    for block in children(channel(doc.root), "skipDays"):
        seen: set[str] = set()
        for d in children(block, "day"):
            value = text(d)
            if value not in _DAYS:
                yield Finding(node=d, detail=f"{value!r} is not a day name")
            elif value in seen:
                yield Finding(node=d, detail=f"{value} repeated")
            else:
                seen.add(value)


@rule("rss-invalid-image-size", "error", "<image> width or height out of range", formats=RSS)
def invalid_image_size(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS caps the channel image at 144×400 pixels (W3C: InvalidWidth,
    InvalidHeight); readers lay out the header for that, and a larger or
    non-numeric size distorts it or is dropped.

    ## How to fix
    Give `<width>` 1–144 and `<height>` 1–400 as whole numbers (or leave them
    out: the defaults are 88×31), and scale the image to match.
    """
    for img in children(channel(doc.root), "image"):
        for tag, limit in (("width", 144), ("height", 400)):
            for node in children(img, tag):
                value = text(node)
                if not value.isdigit() or not 0 < int(value) <= limit:
                    yield Finding(node=node, detail=f"{tag} {value!r}, must be 1-{limit}")


@rule("rss-image-missing-element", "error", "<image> lacks <url>, <title> or <link>",
      formats=RSS)
def image_missing_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A channel `<image>` needs `<url>` (the picture), `<title>` (its alt
    text) and `<link>` (where a click goes) (W3C: MissingElement); readers
    drop images missing any of them.

    ## How to fix
    Add the missing child; `<title>` and `<link>` are normally the channel's
    own title and link.
    """
    for img in children(channel(doc.root), "image"):
        missing = [t for t in ("url", "title", "link") if first(img, t) is None]
        if missing:
            yield Finding(node=img, detail="missing " + ", ".join(f"<{t}>" for t in missing))


@rule("rss-image-link-mismatch", "warning", "<image><link> differs from the channel <link>",
      formats=RSS)
def image_link_mismatch(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS says the image link "in practice" is the channel's link
    (W3C: ImageLinkDoesntMatch); readers that show the logo as the site's
    home link send people somewhere else.

    ## How to fix
    Make `<image><link>` the same URL as the channel `<link>`.
    """
    ch = channel(doc.root)
    site = text(first(ch, "link"))
    if not site:
        return
    for img in children(ch, "image"):
        for node in children(img, "link"):
            if text(node) and text(node) != site:
                yield Finding(node=node, detail=repr(text(node)))


@rule("rss-enclosure-missing-attribute", "error",
      "<enclosure> needs url, length and type", formats=RSS)
def enclosure_missing_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Podcast clients need all three attributes (W3C: MissingAttribute):
    `url` to fetch, `type` to pick a player and `length` to plan the
    download; without them the episode cannot be played.

    ## How to fix
    Write `<enclosure url="https://…/ep1.mp3" length="12345678"
    type="audio/mpeg"/>`; use `length="0"` when the size is unknown.
    """
    for it in items(doc.root):
        for enc in children(it, "enclosure"):
            missing = [a for a in ("url", "length", "type") if enc.get(a) is None]
            if missing:
                yield Finding(node=enc, detail="missing " + ", ".join(missing))


@rule("rss-invalid-enclosure-length", "error",
      "<enclosure> length is not a byte count", formats=RSS)
def invalid_enclosure_length(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `length` is the file size in bytes (W3C: InvalidIntegerAttribute,
    UseZeroForUnknown); clients use it for progress bars and storage
    checks, and a value like `12MB` or `-1` breaks both.

    ## How to fix
    Give the size in bytes as a whole number, or `0` when unknown.
    """
    for it in items(doc.root):
        for enc in children(it, "enclosure"):
            value = enc.get("length")
            if value is not None and not value.strip().isdigit():
                yield Finding(node=enc, detail=repr(value))


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
    for it in children(ch, "item"):
        for tag in _URL_ELEMENTS_ITEM:
            for n in children(it, tag):
                yield n, text(n)
        for tag, attr in (("enclosure", "url"), ("source", "url")):
            for n in children(it, tag):
                value = n.get(attr)
                if value is not None:
                    yield n, value


@rule("rss-invalid-url", "error", "not an absolute URL", formats=RSS)
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS has no base URL: `<link>`, `<comments>`, `<docs>`, image and
    enclosure URLs must be complete (W3C: InvalidFullLink, InvalidUriChar).
    Readers cannot resolve `/posts/1/`, and a space or `<` in a URL breaks
    the link outright.

    ## How to fix
    Write full URLs starting with `https://`, and percent-encode spaces
    (`%20`) and other special characters.
    """
    for node, value in _url_nodes(doc):
        problem = full_uri_problem(value)
        if problem is not None and value.strip():
            yield Finding(node=node, detail=problem)


_SEMANTIC_PAIRS = (
    ("pubDate", DC + "date"), ("author", DC + "creator"), ("guid", A + "id"),
    ("category", DC + "subject"), ("pubDate", A + "published"), ("source", DC + "source"),
)


@rule("rss-duplicate-item-semantics", "warning",
      "item says the same thing twice in different vocabularies", formats=RSS)
def duplicate_item_semantics(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<pubDate>` and `<dc:date>`, `<author>` and `<dc:creator>`, `<guid>` and
    `<atom:id>`… mean the same (W3C: DuplicateItemSemantics). Readers pick
    one, and when the two disagree each reader shows something different.

    ## How to fix
    Keep the core RSS element (or only the extension) and remove the other.
    """
    for it in items(doc.root):
        present = {c.tag: c for c in it if isinstance(c.tag, str)}
        for core, ext in _SEMANTIC_PAIRS:
            if core in present and ext in present:
                later = present[ext]
                name = etree.QName(ext).localname
                yield Finding(node=later, detail=f"<{core}> and <{name}>")


@rule("rss-missing-self-link", "warning",
      '<channel> has no <atom:link rel="self">', formats=RSS2)
def missing_self_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The self link is the feed's own URL (W3C: MissingAtomSelfLink). Readers
    use it to follow a moved feed, and WebSub hubs need it; without it a
    copy saved elsewhere cannot say where the real feed lives.

    ## How to fix
    Declare `xmlns:atom="http://www.w3.org/2005/Atom"` and add
    `<atom:link href="https://example.org/feed.xml" rel="self"
    type="application/rss+xml"/>` to `<channel>`.
    """
    ch = channel(doc.root)
    if ch is not None and not any(rel_of(li) == "self" for li in atom_links(ch)):
        yield Finding(node=ch)


@rule("rss-content-without-description", "warning",
      "<content:encoded> without a <description> before it", formats=RSS2)
def content_without_description(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers and e-mail services that show a summary take `<description>`;
    with only `<content:encoded>` they show nothing or the whole post
    (W3C: NeedDescriptionBeforeContent).

    ## How to fix
    Add a short `<description>` (a summary) before `<content:encoded>`.
    """
    for it in items(doc.root):
        for c in it:
            if c.tag == "description":
                break
            if c.tag == CONTENT_ENCODED:
                yield Finding(node=c)
                break


@rule("rss-missing-language", "warning", "<channel> does not say its language", formats=RSS)
def missing_language(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers use the language for hyphenation, text-to-speech and
    translation offers; directories filter by it (W3C: MissingDCLanguage,
    a recommendation). Checked only with `--strict` and in builds.

    ## How to fix
    Add `<language>en</language>` (any RFC 5646 tag) to `<channel>`.
    """
    ch = channel(doc.root)
    if not doc.strict or ch is None:
        return
    if first(ch, "language") is None and first(ch, DC + "language") is None:
        if ch.get(XML_LANG) is None and doc.root.get(XML_LANG) is None:
            yield Finding(node=ch)


_DATE_TAGS = ("pubDate", "lastBuildDate")


def _rss_date_nodes(doc: Document) -> Iterator[etree._Element]:
    ch = channel(doc.root)
    if ch is None:
        return
    for p in (ch, *children(ch, "item")):
        for c in p:
            if c.tag in _DATE_TAGS:
                yield c


def _date_findings(doc: Document, status: str) -> Iterator[Finding]:
    for node in _rss_date_nodes(doc):
        value = text(node)
        verdict = parse_rfc822(value)
        if verdict.status == status:
            yield Finding(node=node, detail=verdict.detail)


@rule("rss-invalid-date", "error", "date is not an RFC 822 date", formats=RSS)
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS dates use RFC 822 with a four-digit year, e.g.
    `Tue, 10 Jun 2025 04:00:00 +0000` (W3C: InvalidRFC2822Date). Readers
    that cannot parse a date use the time they fetched the item, so old
    posts jump to the top. Impossible dates (30 February) count too.

    ## How to fix
    Format dates as `%a, %d %b %Y %H:%M:%S %z` in English, e.g. with Python's
    `email.utils.format_datetime`. Note `UTC` is not an RFC 822 zone: use
    `+0000` or `GMT`.
    """
    yield from _date_findings(doc, "invalid")


@rule("rss-incorrect-day-of-week", "error", "day of week does not match the date",
      formats=RSS)
def incorrect_day_of_week(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A wrong weekday (W3C: IncorrectDOW) means the date was built by hand or
    with the wrong time zone; strict parsers reject the whole date.

    ## How to fix
    Generate the date with a library (`email.utils.format_datetime`) instead
    of assembling the parts yourself.
    """
    yield from _date_findings(doc, "dow")


@rule("rss-problematic-date", "warning", "date is readable but not strict RFC 822",
      formats=RSS)
def problematic_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Two-digit years, a missing time zone, lower-case names or odd spacing
    (W3C: ProblematicalRFC822Date) are read differently by different
    readers; a missing zone alone can shift a post by a day.

    ## How to fix
    Write `Tue, 10 Jun 2025 04:00:00 +0000`: capitalised English names,
    single spaces, four-digit year, seconds and an explicit zone.
    """
    yield from _date_findings(doc, "problematic")
