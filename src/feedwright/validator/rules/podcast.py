"""Podcasting 2.0 vocabulary (``https://podcastindex.org/namespace/1.0``).

The Podcast Index's namespace (spec: github.com/Podcastindex-org/podcast-namespace,
``docs/1.0.md`` and ``docs/tags/*.md``) adds transcripts, chapters, funding
links, credits, a show GUID, alternate media and value-for-value payments.
Podcast Index, Fountain, Podverse, Castamatic, Pocket Casts, Apple Podcasts
(transcripts) and others read it.  The W3C Feed Validation Service only
says the namespace is unsupported (w3c/feedvalidator#116); these rules check
what the specification requires.  Feeds written before 2021 declared the
namespace as the specification's GitHub URL; both URIs are read.

Speed: a document that names neither URI costs two byte searches; one that
does is walked once for the namespace's elements (memoised).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from datetime import datetime

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import parse_rfc822
from feedwright.validator.rules._ext import declared
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._syntax import is_email
from feedwright.validator.rules._syntax import is_mime_type
from feedwright.validator.rules._xml import RSS

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
#: The URI the first feeds used (the specification's page on GitHub).
PODCAST_NS_OLD = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
_NAMESPACES = (PODCAST_NS, PODCAST_NS_OLD)


def _elements(doc: Document) -> list[tuple[etree._Element, str]]:
    """Every element of the namespace, with its local name, in document order."""
    def compute() -> list[tuple[etree._Element, str]]:
        used = [ns for ns in _NAMESPACES if ns in declared(doc)]
        if not used:
            return []
        if len(used) == 1:
            nodes = doc.root.iter(f"{{{used[0]}}}*")
        else:  # both URIs in one document: one walk keeps document order
            prefixes = tuple(f"{{{ns}}}" for ns in used)
            nodes = (n for n in doc.root.iter()
                     if isinstance(n.tag, str) and n.tag.startswith(prefixes))
        return [(node, str(node.tag).rpartition("}")[2]) for node in nodes]
    result: list[tuple[etree._Element, str]] = doc.memo("podcast-elements", compute)
    return result


def _named(doc: Document, *names: str) -> Iterator[tuple[etree._Element, str]]:
    for node, local in _elements(doc):
        if local in names:
            yield node, local


def _parent_name(node: etree._Element) -> str:
    parent = node.getparent()
    if parent is None or not isinstance(parent.tag, str):
        return ""
    tag = parent.tag
    if tag[0] != "{":
        return tag
    namespace, _, local = tag[1:].partition("}")
    if namespace in _NAMESPACES:
        return local
    return f"{parent.prefix}:{local}" if parent.prefix else tag


@rule("podcast-wrong-namespace", "warning",
      "the podcast prefix is bound to a misspelt namespace", formats=RSS)
def wrong_namespace(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Namespaces are compared character by character: under
    `xmlns:podcast="http://podcastindex.org/namespace/1.0"` (http), with a
    trailing slash or in other capitals, the `<podcast:…>` elements belong
    to no vocabulary apps know, so transcripts, chapters, funding links
    and the show's GUID are all ignored. feedwright checks none of them
    either.

    ## How to fix
    Declare `xmlns:podcast="https://podcastindex.org/namespace/1.0"`,
    exactly so, on the root element.
    """
    # Declarations on the root and the channel, where feeds make them.
    for node in (doc.root, next(doc.root.iterchildren("channel"), None)):
        if node is None:
            continue
        uri = node.nsmap.get("podcast")
        if uri is not None and uri not in _NAMESPACES:
            yield Finding(node=node, detail=repr(uri))
            return


# --- the show's identity --------------------------------------------------

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\Z",
                   re.I)


@rule("podcast-invalid-guid", "error", "<podcast:guid> is not a UUIDv5", formats=RSS)
def invalid_guid(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<podcast:guid>` is the show's identity for life, kept when it moves
    to another host or URL: the Podcast Index and the apps built on it
    find a moved show by it, and value-for-value payments and
    `<podcast:remoteItem>` references name shows by it. The specification makes it a UUIDv5
    (made from the feed's first URL); anything else, such as a URL or the
    episode-style `tag:` id, is not recognised and the show is matched by
    its URL again, which breaks when the URL changes.

    ## How to fix
    Generate a UUIDv5 from the feed URL without its scheme and trailing
    slash, in the namespace `ead4c236-bf58-58c6-a2c6-a6b28d128cb6`
    (Python: `uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
    "example.org/podcast.xml")`), once, and never change it. A show
    already in the Podcast Index has one there: use that.
    """
    for node, _ in _named(doc, "guid"):
        value = (node.text or "").strip()
        m = _UUID.match(value)
        if m is None:
            yield Finding(node=node, detail=f"{value!r} is not a UUID")
        elif m.group(1) != "5":
            yield Finding(node=node, detail=f"{value!r} is a version {m.group(1)} UUID")


@rule("podcast-invalid-locked", "error", "<podcast:locked> is not yes or no", formats=RSS)
def invalid_locked(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<podcast:locked>yes</podcast:locked>` tells other hosting platforms
    to refuse to import the show, protecting it from being taken over;
    the specification allows `yes` or `no` only, so `true` or `1` leaves
    the show open to import. Its `owner` attribute is the e-mail address
    a new host writes to for consent; one that is not an address cannot
    be reached.

    ## How to fix
    Write `<podcast:locked owner="podcast@example.org">yes</podcast:locked>`
    (or `no`).
    """
    for node, _ in _named(doc, "locked"):
        value = (node.text or "").strip()
        if value.lower() not in ("yes", "no"):
            yield Finding(node=node, detail=repr(value))
        owner = node.get("owner")
        if owner is not None and not is_email(owner):
            yield Finding(node=node, detail=f"owner {owner!r} is not an e-mail address")


_MEDIUMS = ("podcast", "music", "video", "film", "audiobook", "newsletter", "blog",
            "publisher", "course")
MEDIUMS = frozenset((*_MEDIUMS, *(m + "L" for m in _MEDIUMS), "mixed"))


@rule("podcast-invalid-medium", "error", "<podcast:medium> is not a known medium",
      formats=RSS)
def invalid_medium(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apps change how they present a feed by its `<podcast:medium>`: a
    `music` feed plays at 1x without skipping silence, an `audiobook`
    keeps its chapter order. The value comes from a fixed list
    (`podcast`, `music`, `video`, `film`, `audiobook`, `newsletter`,
    `blog`, `publisher`, `course`, each also with an `L` for a list feed,
    and `mixed`), compared exactly; anything else is read as `podcast`.

    ## How to fix
    Write one of the listed values in lower case (with a capital `L` for
    a list feed: `musicL`), or remove the element for a plain podcast.
    """
    for node, _ in _named(doc, "medium"):
        value = (node.text or "").strip()
        if value not in MEDIUMS:
            yield Finding(node=node, detail=repr(value))


# --- attributes -----------------------------------------------------------

#: Required attributes, per element (the specification's "(required)").
REQUIRED: dict[str, tuple[str, ...]] = {
    "transcript": ("url", "type"),
    "chapters": ("url", "type"),
    "funding": ("url",),
    "alternateEnclosure": ("type",),
    "source": ("uri",),
    "integrity": ("type", "value"),
    "value": ("type", "method"),
    "valueRecipient": ("type", "address", "split"),
    "valueTimeSplit": ("startTime", "duration"),
    "soundbite": ("startTime", "duration"),
    "trailer": ("url", "pubdate"),
    "contentLink": ("href",),
    "image": ("href",),
    "images": ("srcset",),
    "liveItem": ("status", "start"),
    "remoteItem": ("feedGuid",),
    "socialInteract": ("protocol",),
    "chat": ("server", "protocol"),
}


@rule("podcast-missing-attribute", "error", "Podcasting 2.0 element lacks a required attribute",
      formats=RSS)
def missing_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Each Podcasting 2.0 element has attributes the specification requires:
    a `<podcast:transcript>` or `<podcast:chapters>` without `url` and
    `type` cannot be fetched or read, a `<podcast:funding>` without `url`
    is a button to nowhere, a `<podcast:valueRecipient>` without `address`
    or `split` cannot be paid. Apps skip such elements.

    ## How to fix
    Add the attributes named in the message, e.g.
    `<podcast:transcript url="https://example.org/ep1.vtt" type="text/vtt"/>`.
    """
    for node, local in _elements(doc):
        required = REQUIRED.get(local)
        if not required:
            continue
        missing = [a for a in required if not (node.get(a) or "").strip()]
        if missing:
            yield Finding(node=node,
                          detail=f"<podcast:{local}> needs " + ", ".join(missing))


#: Attributes holding URLs, per element.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "transcript": ("url",),
    "chapters": ("url",),
    "funding": ("url",),
    "person": ("img", "href"),
    "source": ("uri",),
    "trailer": ("url",),
    "contentLink": ("href",),
    "image": ("href",),
    "license": ("url",),
    "socialInteract": ("uri",),
    "remoteItem": ("feedUrl",),
}


@rule("podcast-invalid-url", "error", "Podcasting 2.0 URL is not an absolute URL",
      formats=RSS)
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS has no base URL, and apps fetch transcripts, chapters, artwork and
    media from these attributes as they stand: a relative path, a space
    or an empty value cannot be fetched, so the transcript, chapters or
    funding link never appears.

    ## How to fix
    Write full URLs (`https://example.org/ep1/chapters.json`), with
    spaces and other special characters percent-encoded. A
    `<podcast:source uri>` may use another scheme (`ipfs://…`), but must
    be absolute too.
    """
    for node, local in _elements(doc):
        for attr in URL_ATTRIBUTES.get(local, ()):
            value = node.get(attr)
            if value is None or not value.strip():
                continue  # missing: podcast-missing-attribute, when required
            problem = full_uri_problem(value)
            if problem is not None:
                yield Finding(node=node, detail=f"<podcast:{local} {attr}>: {problem}")


#: Attributes holding media types, per element.
MIME_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "transcript": ("type",),
    "chapters": ("type",),
    "alternateEnclosure": ("type",),
    "source": ("contentType",),
    "trailer": ("type",),
    "image": ("type",),
}


@rule("podcast-invalid-mime-type", "error", "Podcasting 2.0 type is not a media type",
      formats=RSS)
def invalid_mime_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apps choose how to read a transcript (`text/vtt`, `application/x-subrip`,
    `application/json`, `text/html`), a chapters file
    (`application/json+chapters`) or an alternate media file by its `type`;
    a value such as `vtt` or `json` is no media type, and the file is
    skipped.

    ## How to fix
    Write the file's media type: `type="text/vtt"`,
    `type="application/json+chapters"`, `type="audio/mpeg"`.
    """
    for node, local in _elements(doc):
        for attr in MIME_ATTRIBUTES.get(local, ()):
            value = node.get(attr)
            if value is None or not value.strip():
                continue
            if not is_mime_type(value):
                yield Finding(node=node, detail=f"<podcast:{local} {attr}={value!r}>")


# --- numbers --------------------------------------------------------------


def _whole(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _decimal(value: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?|\.\d+", value) is not None


#: (element, attribute or None for the text, what it must be, check).
_NUMBERS: tuple[tuple[str, str | None, str, Callable[[str], bool]], ...] = (
    ("season", None, "a whole number", _whole),
    ("episode", None, "a number", _decimal),
    ("alternateEnclosure", "length", "a byte count", _whole),
    ("alternateEnclosure", "height", "a whole number of pixels", _whole),
    ("alternateEnclosure", "bitrate", "a number of bits per second", _decimal),
    ("valueRecipient", "split", "a whole number of shares", _whole),
    ("value", "suggested", "a number", _decimal),
    ("soundbite", "startTime", "a number of seconds", _decimal),
    ("soundbite", "duration", "a number of seconds", _decimal),
    ("valueTimeSplit", "startTime", "a number of seconds", _decimal),
    ("valueTimeSplit", "duration", "a number of seconds", _decimal),
)


@rule("podcast-invalid-number", "error", "Podcasting 2.0 value is not a number", formats=RSS)
def invalid_number(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apps sort and group episodes by `<podcast:season>` (a whole number)
    and `<podcast:episode>` (a number, `100.5` allowed), divide payments
    by each `<podcast:valueRecipient split>`, and show sizes and bitrates
    of alternate media; text such as `Season 2` or `40%` is dropped, and
    a recipient without a number of shares is not paid.

    ## How to fix
    Write the bare number (`<podcast:season>2</podcast:season>`,
    `split="40"`); put a season's name in `name="…"` and an episode's
    label in `display="…"`.
    """
    by_element: dict[str, list[tuple[str | None, str, Callable[[str], bool]]]] = {}
    for element, attr, what, check in _NUMBERS:
        by_element.setdefault(element, []).append((attr, what, check))
    for node, local in _elements(doc):
        for attr, what, check in by_element.get(local, ()):
            raw = node.text if attr is None else node.get(attr)
            if raw is None and attr is not None:
                continue
            value = (raw or "").strip()
            if not check(value):
                where = f"<podcast:{local}>" if attr is None else f"<podcast:{local} {attr}>"
                yield Finding(node=node, detail=f"{where} {value!r}; expected {what}")


# --- structure ------------------------------------------------------------

_ITEMISH = ("item", "liveItem")
#: Where each element may appear (its parent's local name; "channel" and "item" are
#: RSS's, the others this namespace's).
PARENTS: dict[str, tuple[str, ...]] = {
    "guid": ("channel",),
    "locked": ("channel",),
    "medium": ("channel",),
    "trailer": ("channel",),
    "podroll": ("channel",),
    "updateFrequency": ("channel",),
    "publisher": ("channel",),
    "block": ("channel",),
    "liveItem": ("channel",),
    "transcript": _ITEMISH,
    "chapters": _ITEMISH,
    "season": ("item",),
    "episode": ("item",),
    "soundbite": _ITEMISH,
    "alternateEnclosure": _ITEMISH,
    "source": ("alternateEnclosure",),
    "integrity": ("alternateEnclosure",),
    "valueRecipient": ("value", "valueTimeSplit"),
    "valueTimeSplit": ("value",),
    "person": ("channel", *_ITEMISH),
    "funding": ("channel", *_ITEMISH),
    "value": ("channel", *_ITEMISH),
}


@rule("podcast-misplaced-element", "error", "Podcasting 2.0 element is in the wrong place",
      formats=RSS)
def misplaced_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Each element belongs to the show (`<channel>`), to an episode
    (`<item>`), or inside another Podcasting 2.0 element; apps look for it
    only there. A `<podcast:guid>` in an item is taken for nothing (or
    confused with the show's), `<podcast:transcript>` on the channel is
    never shown, and a `<podcast:source>` outside
    `<podcast:alternateEnclosure>` is ignored.

    ## How to fix
    Move the element: `guid`, `locked`, `medium`, `trailer` to
    `<channel>`; `transcript`, `chapters`, `season`, `episode`,
    `soundbite`, `alternateEnclosure` to `<item>`; `source` into
    `<podcast:alternateEnclosure>`, `valueRecipient` into `<podcast:value>`.
    """
    for node, local in _elements(doc):
        allowed = PARENTS.get(local)
        if allowed is None:
            continue
        parent = _parent_name(node)
        if parent not in allowed:
            shown = f"<{parent}>" if parent else "the document's root"
            yield Finding(node=node, detail=f"<podcast:{local}> inside {shown}")


#: What an element must hold: (child, what the parent is for).
_CHILDREN = {"alternateEnclosure": "source", "value": "valueRecipient"}


@rule("podcast-missing-child", "error",
      "Podcasting 2.0 element lacks the child elements it needs", formats=RSS)
def missing_child(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A `<podcast:alternateEnclosure>` lists where its media is in one or
    more `<podcast:source uri="…">`, and a `<podcast:value>` whom to pay
    in one or more `<podcast:valueRecipient>`; without them there is no
    file to play and no one to pay, and apps drop the element.

    ## How to fix
    Add `<podcast:source uri="https://…"/>` inside each
    `<podcast:alternateEnclosure>`, and `<podcast:valueRecipient … />`
    elements inside each `<podcast:value>`.
    """
    for node, local in _named(doc, *_CHILDREN):
        child = _CHILDREN[local]
        ns = etree.QName(node).namespace
        if next(node.iterchildren(f"{{{ns}}}{child}"), None) is None:
            yield Finding(node=node, detail=f"<podcast:{local}> has no <podcast:{child}>")


_SINGLE = frozenset(("guid", "locked", "medium", "podroll", "updateFrequency", "chapters",
                     "season", "episode", "license"))


@rule("podcast-duplicate-element", "error",
      "Podcasting 2.0 element may appear only once here", formats=RSS)
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A show has one `<podcast:guid>`, one `<podcast:locked>`, one
    `<podcast:medium>`; an episode one `<podcast:chapters>`,
    `<podcast:season>` and `<podcast:episode>` (the specification's
    "Count: Single"). With two, apps keep either one, so the same feed
    means different things in different apps.

    ## How to fix
    Keep one copy and remove the others (several transcripts, people,
    funding links or alternate enclosures may repeat).
    """
    seen: set[tuple[etree._Element, str]] = set()
    for node, local in _elements(doc):
        if local not in _SINGLE:
            continue
        parent = node.getparent()
        if parent is None:
            continue
        key = (parent, local)
        if key in seen:
            yield Finding(node=node, detail=f"<podcast:{local}> repeated")
        seen.add(key)


# --- dates and live streams ---------------------------------------------------

_ISO8601 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?\Z")


def _iso8601_problem(value: str) -> str | None:
    m = _ISO8601.match(value)
    if m is None:
        return f"{value!r} is not an ISO 8601 date-time"
    y, mo, d, h, mi, sec = (int(g or 0) for g in m.groups())
    try:
        datetime(y, mo, d)
    except ValueError as exc:
        return f"{value!r}: {exc}"
    if h > 23 or mi > 59 or sec > 60:
        return f"{value!r}: time out of range"
    return None


@rule("podcast-invalid-date", "error", "Podcasting 2.0 date is not in its required format",
      formats=RSS)
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A `<podcast:trailer>` is dated by its `pubdate`, an RSS (RFC 2822)
    date like `<pubDate>`; a `<podcast:liveItem>` announces its `start` and
    `end` as ISO 8601 timestamps. Apps sort trailers and show when a live
    stream begins by them; a date they cannot read sorts the trailer
    last, or leaves the stream with no announced time.

    ## How to fix
    Write `pubdate="Thu, 01 Apr 2021 08:00:00 -0500"` and
    `start="2021-09-26T07:30:00-06:00"` (with the offset).
    """
    for node, local in _named(doc, "trailer", "liveItem"):
        if local == "trailer":
            value = node.get("pubdate")
            if value is not None and value.strip():
                parsed = parse_rfc822(value)
                if parsed.status == "invalid":
                    yield Finding(node=node, detail=f"pubdate: {parsed.detail}")
            continue
        for attr in ("start", "end"):
            value = node.get(attr)
            if value is None or not value.strip():
                continue
            problem = _iso8601_problem(value.strip())
            if problem is not None:
                yield Finding(node=node, detail=f"{attr}: {problem}")


@rule("podcast-invalid-live-status", "error",
      "<podcast:liveItem> status is not pending, live or ended", formats=RSS)
def invalid_live_status(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apps decide from `status` alone whether a live stream is about to
    start (`pending`), on air (`live`) or over (`ended`); the
    specification allows those three values only, and a stream marked
    `online` or `Live` is shown as none of them.

    ## How to fix
    Write `status="pending"`, `status="live"` or `status="ended"`, in
    lower case, and update it as the stream starts and ends.
    """
    for node, _ in _named(doc, "liveItem"):
        status = node.get("status")
        if status is not None and status.strip() and status.strip() not in (
                "pending", "live", "ended"):
            yield Finding(node=node, detail=repr(status))


# --- value for value ------------------------------------------------------

#: The specification's slug list (docs/examples/value/valueslugs.txt), by attribute.
VALUE_TYPES = frozenset(("lightning", "bitcoin"))
VALUE_METHODS = frozenset(("keysend", "amp", "lnaddress", "wallet"))
RECIPIENT_TYPES = frozenset(("node", "lnaddress", "wallet"))
_PUBKEY = re.compile(r"0[23][0-9a-fA-F]{64}\Z")


@rule("podcast-unknown-value-slug", "warning",
      "<podcast:value> names a payment type or method apps do not know", formats=RSS)
def unknown_value_slug(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apps that send value-for-value payments (Fountain, Podverse,
    Castamatic, Breez) act on the slugs of the specification's list:
    `type` `lightning` (or `bitcoin`), `method` `keysend`, `amp` or
    `lnaddress`, recipient `type` `node`, `lnaddress` or `wallet`. An
    unknown or misspelt slug (`Lightning`, `key-send`) makes them skip the
    whole block, so no one is paid.

    ## How to fix
    Use the slugs as listed, in lower case:
    `<podcast:value type="lightning" method="keysend">` with
    `<podcast:valueRecipient type="node" …/>`.
    """
    for node, local in _named(doc, "value", "valueRecipient"):
        checks = ((("type", VALUE_TYPES), ("method", VALUE_METHODS)) if local == "value"
                  else (("type", RECIPIENT_TYPES),))
        for attr, known in checks:
            value = node.get(attr)
            if value is not None and value.strip() and value.strip() not in known:
                yield Finding(node=node, detail=f"<podcast:{local} {attr}={value!r}>")


@rule("podcast-invalid-recipient-address", "error",
      "<podcast:valueRecipient> address does not fit its type", formats=RSS)
def invalid_recipient_address(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A recipient of `type="node"` is paid at a Lightning node's public key,
    66 hexadecimal digits starting `02` or `03`; one of `type="lnaddress"`
    at a Lightning Address, written like an e-mail address. An address
    that does not fit cannot be paid: apps skip that recipient (its share
    is lost) or refuse the whole payment.

    ## How to fix
    Copy the node's public key (`02d5c1bf…1d27f52`, 66 characters) or the
    Lightning Address (`alice@getalby.com`) exactly, without spaces.
    """
    for node, _ in _named(doc, "valueRecipient"):
        kind = (node.get("type") or "").strip()
        address = (node.get("address") or "").strip()
        if not address:
            continue  # podcast-missing-attribute
        if kind == "node" and not _PUBKEY.match(address):
            yield Finding(node=node, detail=f"{address!r} is not a node public key")
        elif kind == "lnaddress" and not is_email(address):
            yield Finding(node=node, detail=f"{address!r} is not a Lightning Address")


# --- people ---------------------------------------------------------------

#: The Podcast Taxonomy Project's groups and roles (taxonomy.json), lower case.
TAXONOMY: dict[str, frozenset[str]] = {
    "creative direction": frozenset((
        "director", "assistant director", "executive producer", "senior producer",
        "producer", "associate producer", "development producer", "creative director")),
    "cast": frozenset((
        "host", "co-host", "guest host", "guest", "voice actor", "narrator", "announcer",
        "reporter")),
    "writing": frozenset((
        "author", "editorial director", "co-writer", "writer", "songwriter", "guest writer",
        "story editor", "managing editor", "script editor", "script coordinator",
        "researcher", "editor", "fact checker", "translator", "transcriber", "logger")),
    "audio production": frozenset((
        "studio coordinator", "technical director", "technical manager", "audio engineer",
        "remote recording engineer", "post production engineer")),
    "audio post-production": frozenset((
        "audio editor", "sound designer", "foley artist", "composer", "theme music",
        "music production", "music contributor")),
    "administration": frozenset((
        "production coordinator", "booking coordinator", "production assistant",
        "content manager", "marketing manager", "sales representative", "sales manager")),
    "visuals": frozenset(("graphic designer", "cover art designer")),
    "community": frozenset(("social media manager",)),
    "misc.": frozenset(("consultant", "intern")),
    "video production": frozenset((
        "camera operator", "lighting designer", "camera grip", "assistant camera")),
    "video post-production": frozenset(("editor", "assistant editor")),
}
_ROLES = frozenset().union(*TAXONOMY.values())


@rule("podcast-unknown-person-role", "warning",
      "<podcast:person> role or group is not in the Podcast Taxonomy", formats=RSS)
def unknown_person_role(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apps group credits by `role` and `group`, which name entries of the
    Podcast Taxonomy Project's list (compared without regard to case);
    a role such as `presenter` or `hosts` is not on it, so the person is
    listed under no role, or not at all.

    ## How to fix
    Use a role from the taxonomy (`host`, `co-host`, `guest`, `producer`,
    `editor`, `composer`…) and its group (`cast`, `creative direction`,
    `audio post-production`…), or leave them out: the defaults are
    `host` in `cast`.
    """
    for node, _ in _named(doc, "person"):
        role = node.get("role")
        group = node.get("group")
        g = group.strip().lower() if group is not None else None
        r = role.strip().lower() if role is not None else None
        if g is not None and g not in TAXONOMY:
            yield Finding(node=node, detail=f"group {group!r}")
        elif r is not None and r not in _ROLES:
            # A known role in another group passes: the specification's own
            # example credits a "guest" in group "writing".
            yield Finding(node=node, detail=f"role {role!r}")


@rule("podcast-empty-person", "error", "<podcast:person> has no name", formats=RSS)
def empty_person(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The element's text is the person's name, which the specification says
    cannot be blank; apps show an empty credit or drop it, with its link
    and picture.

    ## How to fix
    Write the person's name or alias inside the element:
    `<podcast:person role="host">Jane Doe</podcast:person>`.
    """
    for node, _ in _named(doc, "person"):
        if not (node.text or "").strip():
            yield Finding(node=node)
