"""JSON Feed 1.0 and 1.1 rules: version, items and ids, content, URLs, dates, authors.

The schema layer (json_schema.py) checks each value's type and which keys may
appear; these rules judge what the schema cannot, in words a person can act
on.  Every finding points at a JSON value by its path (``("items", 3, "id")``);
the validator finds its line and column only when it reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from feedwright.validator.document import JsonDocument
from feedwright.validator.json_position import Path
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import parse_rfc3339
from feedwright.validator.rules._json import DATE_KEYS
from feedwright.validator.rules._json import JSONFEED
from feedwright.validator.rules._json import VERSION_1_1
from feedwright.validator.rules._json import all_dates
from feedwright.validator.rules._json import clip
from feedwright.validator.rules._json import date_of
from feedwright.validator.rules._json import items
from feedwright.validator.rules._json import show
from feedwright.validator.rules._json import version
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules.common import EARLIEST
from feedwright.validator.rules.common import FUTURE_TOLERANCE

# --- the feed -------------------------------------------------------------


@rule("jsonfeed-unknown-version", "error", "version is not a JSON Feed version URL",
      formats=JSONFEED)
def unknown_version(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    Readers tell a JSON Feed from any other JSON by its `version`, and
    the specifications define exactly two: `https://jsonfeed.org/version/1`
    and `https://jsonfeed.org/version/1.1`. A variant (`http://`, a
    trailing slash, `version/2`) may be refused as not a feed at all, or
    read with the wrong version's rules.

    ## How to fix
    Write `"version": "https://jsonfeed.org/version/1.1"` (and use 1.1's
    `authors`), or `…/version/1` for a feed that keeps 1.0's `author`.
    """
    value = doc.feed.get("version")
    if version(doc) is None:
        yield Finding(path=("version",), detail=f"{show(value)}; use \"{VERSION_1_1}\"")


@rule("jsonfeed-missing-items", "error", "the feed has no items array", formats=JSONFEED)
def missing_items(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    `items` is required, even when empty (`"items": []`). Readers loop
    over it; without it (or with an object or `null` in its place) they
    report the feed as broken rather than as having no posts yet.

    ## How to fix
    Add `"items": [ … ]` at the top level, one object per post.
    """
    if "items" not in doc.feed:
        yield Finding(path=())
    elif not isinstance(doc.feed["items"], list):
        yield Finding(path=("items",), detail=f"found {show(doc.feed['items'], 40)}")


@rule("jsonfeed-missing-feed-url", "warning", "the feed has no feed_url", formats=JSONFEED)
def missing_feed_url(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    `feed_url` is the feed's identity and its self link: JSON Feed asks
    for it on every feed published on the web. Readers use it to follow
    a feed that moved and to de-duplicate subscriptions; WebSub hubs need
    it as the topic (RSS and Atom's self link, whose absence the W3C
    validator warns about too: MissingSelf).

    ## How to fix
    Add `"feed_url": "https://example.org/feed.json"`, the exact public URL
    the feed is served from.
    """
    if "feed_url" not in doc.feed:
        yield Finding(path=())


@rule("jsonfeed-next-url-is-feed-url", "error", "next_url is the feed's own URL",
      formats=JSONFEED)
def next_url_is_feed_url(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    `next_url` points at the next page of older items; JSON Feed forbids
    it to equal `feed_url`, since a reader that follows it would fetch the
    same page again and again.

    ## How to fix
    Point `next_url` at the page that holds the older items
    (`https://example.org/feed-2.json`), or leave it out.
    """
    next_url, feed_url = doc.feed.get("next_url"), doc.feed.get("feed_url")
    if isinstance(next_url, str) and next_url.strip() and next_url.strip() == feed_url:
        yield Finding(path=("next_url",), detail=show(next_url))


# --- items and their ids ----------------------------------------------------


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


@rule("jsonfeed-missing-item-id", "error", "item has no usable id", formats=JSONFEED)
def missing_item_id(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    The one thing JSON Feed insists on: readers must discard an item
    without an `id`, or whose `id` is blank or cannot be read as a string
    (`null`, `true`, an object). Such a post never shows up; and readers
    that key items on other fields instead show it again as new on every
    fetch, as Feedbin does for RSS items with neither guid nor link
    (feedbin/support#416).

    ## How to fix
    Give every item a non-empty string `id` that never changes, ideally
    its permalink: `"id": "https://example.org/posts/hello/"`.
    """
    for i, item in items(doc):
        if "id" not in item:
            yield Finding(path=("items", i))
            continue
        value = item["id"]
        if value is None or _blank(value) or not isinstance(value, str | int | float) \
                or isinstance(value, bool):
            yield Finding(path=("items", i, "id"), detail=show(value, 40))


@rule("jsonfeed-item-id-not-string", "warning", "item id is a number, not a string",
      formats=JSONFEED)
def item_id_not_string(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    JSON Feed 1.1 says `id` is a string. Numbers appear in the wild (1.0
    told readers to accept them), and readers coerce them to strings --
    but not all alike: JavaScript writes the number `1.0` as `"1"`, Python
    as `"1.0"`, and integers beyond 2^53 lose digits in JavaScript, so two
    posts can share an id or a post's id can change between readers.

    ## How to fix
    Quote the id: `"id": "2347259"`. Keep the same characters once
    published, or every reader shows the post again as new.
    """
    for i, item in items(doc):
        value = item.get("id")
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield Finding(path=("items", i, "id"), detail=f"{show(value, 40)}; write "
                          f"\"{show(value, 40)}\"")


def _id_key(value: object) -> str | None:
    # Readers coerce numbers to strings; a number and its digits are one id.
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return show(value)
    return None


@rule("jsonfeed-duplicate-item-id", "error", "two items share an id", formats=JSONFEED,
      scope="relation")
def duplicate_item_id(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    Readers know an item by its `id` alone: of items that share one,
    Miniflux keeps one and FreshRSS and NetNewsWire collapse them
    (miniflux/v2#4197, FreshRSS#3126, NetNewsWire#3356), so posts vanish
    or overwrite each other. A number and the same digits as a string
    (`1` and `"1"`) count as one id, as readers coerce numbers.

    ## How to fix
    Give each item its own id, e.g. its permalink; when two posts share a
    URL, add something that tells them apart.
    """
    seen: dict[str, int] = {}
    for i, item in items(doc):
        key = _id_key(item.get("id"))
        if key is None:
            continue
        if key in seen:
            yield Finding(path=("items", i, "id"),
                          detail=f"{show(item.get('id'), 60)}, as items[{seen[key]}] has")
        else:
            seen[key] = i


@rule("jsonfeed-item-missing-content", "error",
      "item has neither content_html nor content_text", formats=JSONFEED)
def item_missing_content(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    JSON Feed requires one or both of `content_html` and `content_text`
    in every item; readers open an item to show its content, and find a
    blank page (a `summary` is only a teaser for timelines).

    ## How to fix
    Add the post's HTML as `content_html` (or plain text as
    `content_text`); an empty string is allowed for posts with no body.
    """
    for i, item in items(doc):
        if "content_html" not in item and "content_text" not in item:
            yield Finding(path=("items", i))


# --- URLs -----------------------------------------------------------------------

_FEED_URLS = ("home_page_url", "feed_url", "next_url", "icon", "favicon")
_ITEM_URLS = ("url", "external_url", "image", "banner_image")
_AUTHOR_URLS = ("url", "avatar")


def _authors(parent: dict[str, Any], at: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    author = parent.get("author")
    if isinstance(author, dict):
        yield (*at, "author"), author
    many = parent.get("authors")
    if isinstance(many, list):
        for j, a in enumerate(many):
            if isinstance(a, dict):
                yield (*at, "authors", j), a


def _urls(doc: JsonDocument) -> Iterator[tuple[Path, object]]:
    feed = doc.feed
    for key in _FEED_URLS:
        yield (key,), feed.get(key)
    hubs = feed.get("hubs")
    for j, hub in enumerate(hubs if isinstance(hubs, list) else []):
        if isinstance(hub, dict):
            yield ("hubs", j, "url"), hub.get("url")
    parents: list[tuple[Path, dict[str, Any]]] = [((), feed)]
    for i, item in items(doc):
        at: Path = ("items", i)
        parents.append((at, item))
        for key in _ITEM_URLS:
            yield (*at, key), item.get(key)
        attachments = item.get("attachments")
        for j, att in enumerate(attachments if isinstance(attachments, list) else []):
            if isinstance(att, dict):
                yield (*at, "attachments", j, "url"), att.get("url")
    for at, parent in parents:
        for where, author in _authors(parent, at):
            for key in _AUTHOR_URLS:
                yield (*where, key), author.get(key)


@rule("jsonfeed-invalid-url", "error", "not an absolute URL", formats=JSONFEED)
def invalid_url(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    JSON Feed has no base URL: `home_page_url`, `feed_url`, `next_url`,
    `icon`, `favicon`, each item's `url`, `external_url`, `image` and
    `banner_image`, attachment URLs and authors' `url` and `avatar` must
    be complete. A reader cannot resolve `/posts/1/` (copies, caches and
    e-mail digests do not know where the feed came from; even `xml:base`
    support is partial in RSS and Atom readers, NetNewsWire#5088), and a
    space or `<` in a URL breaks the link outright.

    ## How to fix
    Write full URLs starting with `https://`, and percent-encode spaces
    (`%20`) and other special characters.
    """
    for path, value in _urls(doc):
        if isinstance(value, str):
            problem = full_uri_problem(value)
            if problem is not None:
                yield Finding(path=path, detail=clip(problem))


# --- dates -------------------------------------------------------------------

_NO_OFFSET = re.compile(r"\s*\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?\s*\Z")


def _dates(doc: JsonDocument) -> Iterator[tuple[Path, object]]:
    for i, item in items(doc):
        for key in DATE_KEYS:
            if key in item:
                yield ("items", i, key), item[key]


@rule("jsonfeed-invalid-date", "error", "date is not an RFC 3339 date-time with an offset",
      formats=JSONFEED)
def invalid_date(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    `date_published` and `date_modified` are RFC 3339 date-times, such as
    `2010-02-07T14:04:00-05:00`. Readers fall back to the time they
    fetched the feed for a date they cannot read (JSON Feed suggests
    exactly that; capyreader#353), so old posts jump to the top; without
    an offset, readers disagree by hours on when the post was published;
    and some libraries drop the whole feed over one bad date
    (alexdebril/feed-io#289).

    ## How to fix
    Write the date and time with `T` between them and an explicit offset:
    `2025-06-10T04:00:00Z` or `2025-06-10T06:00:00+02:00`.
    """
    for path, value in _dates(doc):
        if not isinstance(value, str):
            continue  # the schema reports a date that is not a string
        verdict = parse_rfc3339(value)
        if verdict.status == "ok":
            continue
        detail = verdict.detail
        if _NO_OFFSET.match(value):
            detail = f"{show(value)} has no UTC offset; add Z or +hh:mm"
        yield Finding(path=path, detail=clip(detail))


@rule("jsonfeed-date-in-future", "warning", "date is in the future", formats=JSONFEED)
def date_in_future(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    As `date-in-future` for RSS and Atom: a future date pins the post to
    the top of every reader's list until that day comes (NetNewsWire
    ignores a date more than a day ahead and uses the fetch time;
    Feedbin and selfoss clamp it to now: NetNewsWire#2808,
    fossar/selfoss#1452). It usually means a wrong time zone or a
    scheduled post published early. Third-party feeds get a day's slack
    for clocks and zones; with `--strict` (and in builds) any date after
    now counts.

    ## How to fix
    Check the offset of the dates, and publish scheduled posts only once
    their time has come.
    """
    limit = doc.now if doc.strict else doc.now + FUTURE_TOLERANCE
    for path, written, when in all_dates(doc):
        if when > limit:
            yield Finding(path=path, detail=show(written))


@rule("jsonfeed-implausible-date", "warning", "date is before 1990", formats=JSONFEED)
def implausible_date(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    As `implausible-date` for RSS and Atom: no feed predates the web, and
    a date in 1970 or 0001 is a zero or null timestamp that readers sort
    to the bottom of the list.

    ## How to fix
    Write the post's real date, or leave the key out when it is unknown.
    """
    for path, written, when in all_dates(doc):
        if when < EARLIEST:
            yield Finding(path=path, detail=show(written))


@rule("jsonfeed-modified-before-published", "warning",
      "date_modified is earlier than date_published", formats=JSONFEED)
def modified_before_published(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    As `updated-before-published` in Atom: JSON Feed 1.1 sets no order
    between the two dates, and a post scheduled after it was last edited
    may rightly have `date_modified` before `date_published`, so this is a
    warning. More often one of the two dates carries the wrong offset, and
    readers that show "updated" next to the post date, or sort by the later
    one, show an edit made before the post appeared.

    ## How to fix
    Unless the post was scheduled, set `date_modified` to the time of the
    last change (at or after `date_published`), or leave it out.
    """
    for i, item in items(doc):
        published = date_of(item.get("date_published"))
        modified = date_of(item.get("date_modified"))
        if published is not None and modified is not None and modified < published:
            yield Finding(path=("items", i, "date_modified"),
                          detail=f"{show(item['date_modified'])}, published "
                                 f"{show(item['date_published'])}")


# --- authors and versions ------------------------------------------------------


def _parents(doc: JsonDocument) -> Iterator[tuple[Path, dict[str, Any]]]:
    yield (), doc.feed
    for i, item in items(doc):
        yield ("items", i), item


@rule("jsonfeed-deprecated-author", "warning", "a JSON Feed 1.1 feed uses 1.0's author",
      formats=JSONFEED)
def deprecated_author(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    JSON Feed 1.1 replaced the single `author` object with an `authors`
    array, and readers written for 1.1 look for `authors` first. A 1.1
    feed with only `author` loses its author in readers that no longer
    read the deprecated field. (Both together are fine: the specification
    suggests it for readers of 1.0.)

    ## How to fix
    Write `"authors": [{"name": "…"}]`; keep `author` beside it only if
    readers of JSON Feed 1.0 matter to you.
    """
    if version(doc) != "1.1":
        return
    for at, parent in _parents(doc):
        if "author" in parent and "authors" not in parent:
            yield Finding(path=(*at, "author"), detail="use \"authors\": [ … ]")


@rule("jsonfeed-version-mismatch", "warning",
      "a JSON Feed 1.0 feed uses 1.1's authors without author", formats=JSONFEED)
def version_mismatch(doc: JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    `authors` is new in JSON Feed 1.1. Readers that implement only 1.0,
    told by `version` that this is a 1.0 feed, read the single `author`
    object and ignore `authors`, so they show no author at all. Readers
    of 1.1 read `authors` whatever the version says, so this is only a
    warning.

    ## How to fix
    Declare `"version": "https://jsonfeed.org/version/1.1"`; or, to stay
    at 1.0, add 1.0's `"author": {"name": "…"}` beside `authors`.
    """
    if version(doc) != "1.0":
        return
    for at, parent in _parents(doc):
        if "authors" in parent and "author" not in parent:
            yield Finding(path=(*at, "authors"))
