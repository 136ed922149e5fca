"""RSS 2.0 value rules: dates, contacts, channel settings, image and enclosure values.

W3C message class names are given in each rule's doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import ParsedDate
from feedwright.validator.rules._dates import rss_dates
from feedwright.validator.rules._syntax import contact_email
from feedwright.validator.rules._xml import DC
from feedwright.validator.rules._xml import RSS
from feedwright.validator.rules._xml import RSS2
from feedwright.validator.rules._xml import XML_LANG
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import contact_nodes
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import text


@rule("rss-invalid-contact", "error", "contact has no valid e-mail address", formats=RSS,
      w3c=("InvalidContact", "InvalidAddrSpec"))
def invalid_contact(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS defines `<author>`, `<managingEditor>` and `<webMaster>` as e-mail
    addresses (W3C: InvalidContact); readers that make them `mailto:` links
    or parse them for a name get nothing usable from a bare name. A name
    in front with the address in parentheses (`Jane (jane@…)`) turns the
    layout around: readers take the name for the address. A `mailto:` URI
    (RFC 2368) is accepted: its decoded address counts.

    ## How to fix
    Write `jane@example.org (Jane Doe)`. To give only a name, use
    `<dc:creator>Jane Doe</dc:creator>` (namespace
    `http://purl.org/dc/elements/1.1/`) instead of `<author>`.
    """
    for node in contact_nodes(doc.root):
        value = text(node)
        if value and contact_email(value)[0] is None:
            yield Finding(node=node, detail=repr(value))


@rule("rss-contact-format", "warning", "contact is not written as 'email (Name)'", formats=RSS,
      w3c=("EmailFormat", "MissingRealName"))
def contact_format(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The address is valid, but RSS's layout is `email (Name)`
    (W3C: EmailFormat); readers that split name from address show
    `Jane <jane@…>`, `Jane, jane@…` or a `mailto:…?subject=` URI verbatim.

    ## How to fix
    Write `jane@example.org (Jane Doe)`.
    """
    for node in contact_nodes(doc.root):
        value = text(node)
        addr, proper = contact_email(value) if value else (None, True)
        if addr is not None and not proper:
            yield Finding(node=node, detail=repr(value))


@rule("rss-invalid-ttl", "error", "<ttl> is not a positive whole number of minutes",
      formats=RSS,
      w3c=("InvalidInteger", "InvalidNonNegativeInteger", "InvalidPositiveInteger"))
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


@rule("rss-invalid-skip-hours", "error", "<skipHours> holds a bad or repeated hour, or none",
      formats=RSS,
      w3c=("InvalidHour", "NotEnoughHoursInTheDay", "DuplicateValue", "MissingElement",
           "UseZeroForMidnight"))
def invalid_skip_hours(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<skipHours>` lists up to 24 distinct GMT hours, each 0–23, when readers
    should not poll (W3C: InvalidHour, DuplicateValue); other values make
    readers skip or poll at the wrong times. An empty `<skipHours>` says
    nothing (W3C: MissingElement): it is a leftover of a template, and
    readers that expect at least one hour may drop the whole element.
    `24` for midnight is refused too: RSS 2.0 allows 0–23, and readers
    match it against no hour at all. (The W3C validator only warns,
    UseZeroForMidnight, after an older convention; feedwright follows the
    RSS 2.0 specification.)

    ## How to fix
    Write one `<hour>` per hour to skip, each a number from 0 to 23, with no
    repeats; remove an empty `<skipHours>`.
    """
    for block in children(channel(doc.root), "skipHours"):
        seen: set[int] = set()
        if not children(block, "hour"):
            yield Finding(node=block, detail="it holds no <hour>")
        for h in children(block, "hour"):
            value = text(h)
            if not value.isdigit() or int(value) > 23:
                yield Finding(node=h, detail=f"{value!r} is not an hour 0-23")
            elif int(value) in seen:
                yield Finding(node=h, detail=f"hour {value} repeated")
            else:
                seen.add(int(value))


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@rule("rss-invalid-skip-days", "error", "<skipDays> holds a bad or repeated day, or none",
      formats=RSS,
      w3c=("InvalidDay", "EightDaysAWeek", "DuplicateValue", "MissingElement"))
def invalid_skip_days(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<skipDays>` lists up to seven distinct English day names
    (W3C: InvalidDay, DuplicateValue); a misspelt or abbreviated name is
    ignored, so readers poll on days the publisher meant to skip. An empty
    `<skipDays>` says nothing (W3C: MissingElement): it is a leftover of a
    template.

    ## How to fix
    Use the full capitalised names `Monday` … `Sunday`, each once; remove
    an empty `<skipDays>`.
    """
    for block in children(channel(doc.root), "skipDays"):
        seen: set[str] = set()
        if not children(block, "day"):
            yield Finding(node=block, detail="it holds no <day>")
        for d in children(block, "day"):
            value = text(d)
            if value not in _DAYS:
                yield Finding(node=d, detail=f"{value!r} is not a day name")
            elif value in seen:
                yield Finding(node=d, detail=f"{value} repeated")
            else:
                seen.add(value)


@rule("rss-invalid-image-size", "error", "<image> width or height out of range", formats=RSS,
      w3c=("InvalidWidth", "InvalidHeight"))
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
      formats=RSS,
      w3c=("MissingElement", "MissingLink"))
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
      formats=RSS,
      w3c=("ImageLinkDoesntMatch",))
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


@rule("rss-image-title-mismatch", "warning", "<image><title> differs from the channel <title>",
      formats=RSS)
def image_title_mismatch(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The image's title is its alt text, and RSS says it is "in practice"
    the channel's title (W3C: ImageTitleDoesntMatch, from the RSS Best
    Practices Profile); readers that show the logo beside the feed's name
    show two names for one feed.

    ## How to fix
    Make `<image><title>` the same text as the channel `<title>`.
    """
    ch = channel(doc.root)
    title = first(ch, "title")
    name = "" if title is None else title.text or ""
    if not name:
        return
    for img in children(ch, "image"):
        for node in children(img, "title"):
            if (node.text or "").strip() and node.text != name:
                yield Finding(node=node, detail=repr(node.text))


@rule("rss-image-url-format", "warning", "<image><url> is not a JPEG, GIF or PNG", formats=RSS)
def image_url_format(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS allows a channel image in GIF, JPEG or PNG only (W3C:
    ImageUrlFormat, judged by the URL's extension); readers that follow the
    specification do not show an SVG, ICO or WebP logo.

    ## How to fix
    Point `<image><url>` at a PNG, JPEG or GIF version of the logo.
    """
    for img in children(channel(doc.root), "image"):
        for node in children(img, "url"):
            ext = text(node).rsplit(".", 1)[-1].lower()
            if re.fullmatch(r"\w+", ext) and ext not in ("jpg", "jpeg", "gif", "png"):
                yield Finding(node=node, detail=repr(text(node)))


@rule("rss-enclosure-missing-attribute", "error",
      "<enclosure> needs url, length and type", formats=RSS,
      w3c=("MissingAttribute",))
def enclosure_missing_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Podcast clients need all three attributes (W3C: MissingAttribute):
    `url` to fetch, `type` to pick a player and `length` to plan the
    download; without them the episode cannot be played. Apple Podcasts
    requires all three, and a URL of plain ASCII (podcasters.apple.com,
    support article 823).

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
      "<enclosure> length is not a byte count", formats=RSS,
      w3c=("InvalidIntegerAttribute", "UseZeroForUnknown"))
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


@rule("rss-missing-language", "warning", "<channel> does not say its language", formats=RSS,
      w3c=("MissingDCLanguage",))
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


def _date_verdicts(doc: Document) -> list[tuple[etree._Element, ParsedDate]]:
    """Each RSS date element with its verdict, in document order (from the
    dates read once per document: ``rss_dates``)."""
    verdicts: list[tuple[etree._Element, ParsedDate]] = doc.memo(
        "rss.date_verdicts",
        lambda: [(node, verdict) for _p, dates in rss_dates(doc) for _t, node, verdict in dates])
    return verdicts


def _date_findings(doc: Document, status: str) -> Iterator[Finding]:
    for node, verdict in _date_verdicts(doc):
        if verdict.status == status:
            yield Finding(node=node, detail=verdict.detail)


@rule("rss-invalid-date", "error", "date is not an RFC 822 date", formats=RSS,
      w3c=("InvalidRFC2822Date",))
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS dates use RFC 822 with a four-digit year, e.g.
    `Tue, 10 Jun 2025 04:00:00 +0000` (W3C: InvalidRFC2822Date). Readers
    that cannot parse a date use the time they fetched the item, so old
    posts jump to the top (capyreader#353). One bad date can cost the whole
    feed: feed-io (PHP) and the Rust `atom` crate have refused entire
    feeds over a single one (alexdebril/feed-io#289,
    rust-syndication/atom#20). A missing zone leaves readers hours apart,
    and impossible dates (30 February) count too.

    ## How to fix
    Format dates as `%a, %d %b %Y %H:%M:%S %z` in English, e.g. with Python's
    `email.utils.format_datetime`. Always give a zone, and note `UTC` is not
    an RFC 822 zone: use `+0000` or `GMT`.
    """
    yield from _date_findings(doc, "invalid")


@rule("rss-incorrect-day-of-week", "error", "day of week does not match the date",
      formats=RSS,
      w3c=("IncorrectDOW",))
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
      formats=RSS,
      w3c=("ProblematicalRFC822Date",))
def problematic_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Two-digit years, lower-case names, military zone letters or odd spacing
    (W3C: ProblematicalRFC822Date) are read differently by different
    readers, or not at all by strict ones.

    ## How to fix
    Write `Tue, 10 Jun 2025 04:00:00 +0000`: capitalised English names,
    single spaces, four-digit year, seconds and an explicit zone.
    """
    yield from _date_findings(doc, "problematic")


_PORT = re.compile(r"[0-9]+")


@rule("rss-invalid-cloud-port", "error", "<cloud> port is not a port number", formats=RSS,
      w3c=("InvalidIntegerAttribute",))
def invalid_cloud_port(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<cloud>` tells subscribers where to register for rssCloud update
    notifications; its `port` is a TCP port, 1 to 65535 (W3C:
    InvalidIntegerAttribute). Port 0 or a non-number cannot be connected
    to, so every registration fails and subscribers fall back to polling.

    ## How to fix
    Give the port the notification service listens on (`port="80"`), or
    remove `<cloud>` if there is no such service.
    """
    for node in children(channel(doc.root), "cloud"):
        # A missing or non-numeric port is the schema's to report.
        v = (node.get("port") or "").strip()
        if _PORT.fullmatch(v) and not 0 < int(v) < 65536:
            yield Finding(node=node, detail=f"{v} is not a port 1-65535")


def _text_inputs(doc: Document) -> Sequence[etree._Element]:
    return children(channel(doc.root), "textInput")


@rule("rss-text-input", "warning", "<textInput> is ignored by nearly every reader",
      formats=RSS2, w3c=("AvoidTextInput",))
def text_input(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<textInput>` asks readers to show a search box that submits to the
    publisher's site. Almost none do (the RSS Advisory Board's profile
    advises against it; W3C: AvoidTextInput): the box never appears, and
    readers that do not know it may show its title and description as
    stray text.

    ## How to fix
    Link the site's search page from the channel description or the site
    itself, and remove `<textInput>`.
    """
    for node in _text_inputs(doc):
        yield Finding(node=node)


_FORM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.\-]*")


@rule("rss-invalid-text-input-name", "error", "<textInput><name> is not a form field name",
      formats=RSS, w3c=("InvalidFormComponentName",))
def invalid_text_input_name(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<name>` is the name of the query parameter the search box submits
    (`link?name=words`); HTML form field names of this kind start with a
    letter and hold letters, digits, `-`, `_`, `:` and `.` (W3C:
    InvalidFormComponentName). Readers that build the form from `42` or
    `search term` send a query the site does not read.

    ## How to fix
    Use the parameter the site's search page reads, e.g. `<name>q</name>`.
    """
    for box in _text_inputs(doc):
        for node in children(box, "name"):
            value = text(node)
            if not _FORM_NAME.fullmatch(value):
                yield Finding(node=node, detail=repr(value))
