"""JSON Feed 1.1 feed and item (https://jsonfeed.org/version/1.1).

Written with the standard library: JSON needs no builder.  Byte-identical on
rebuild: keys in a fixed order, fixed separators and indentation, UTF-8 with
no ``\\u`` escapes for non-ASCII text.  An item's ``id`` is the Atom entry's
``<id>``, so a reader that follows both formats sees one post.

An item is indented for its place in ``items`` and ends without a newline;
``SEPARATOR`` joins two of them, and the head ends and the tail starts so
that a feed with no items is still a JSON Feed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import Output

FORMAT = "json"
VERSION = "https://jsonfeed.org/version/1.1"
#: Between two items: the comma ends one item's last line.
SEPARATOR = b",\n"

#: The extension object that carries reading time and word count (JSON Feed:
#: custom keys start with an underscore; readers ignore what they do not know).
EXTENSION = "_feedwright"

_ITEM_INDENT = b"    "
#: An item's own keys sit one level inside it; nested objects' keys deeper.
_RELATING = re.compile(rb'\n(      "(?:id|url|date_published|date_modified)": [^\n]*)')


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, separators=(",", ": ")).encode()


def _authors(authors: tuple[Author, ...]) -> list[dict[str, str]]:
    # JSON Feed authors have a name, a url and an avatar; no e-mail.
    return [{k: v for k, v in (("name", a.name), ("url", a.uri)) if v} for a in authors]


def item(entry: Entry) -> dict[str, Any]:
    """The JSON Feed item of one entry, as Python values in the order written."""
    out: dict[str, Any] = {"id": entry.id, "url": entry.url, "title": entry.title}
    if entry.content:
        if entry.summary:
            out["summary"] = entry.summary
        out["content_html"] = entry.content
    else:
        # An item needs content_html or content_text; the summary is the text
        # (or the title, as Atom does, when there is none).
        out["content_text"] = entry.summary or entry.title
    out["date_published"] = entry.published.isoformat()
    if entry.updated is not None:
        out["date_modified"] = entry.updated.isoformat()
    if entry.authors:
        out["authors"] = _authors(entry.authors)
    if entry.tags:
        out["tags"] = list(entry.tags)
    stats = {k: v for k, v in (("reading_time", entry.reading_time),
                               ("word_count", entry.word_count)) if v}
    if stats:
        out[EXTENSION] = stats
    return out


def item_bytes(value: dict[str, Any]) -> bytes:
    """An item's bytes, indented for its place in the feed's ``items``."""
    return b"\n".join(_ITEM_INDENT + line for line in _dump(value).split(b"\n"))


def fragment(entry: Entry) -> bytes:
    """The item of one entry, indented for its place in ``items``."""
    return item_bytes(item(entry))


def skeleton(fragment: bytes) -> bytes:
    """An item cut down to what relates items: id, url, dates (still JSON)."""
    kept = b",\n".join(line.rstrip(b",") for line in _RELATING.findall(fragment))
    return _ITEM_INDENT + b"{\n" + kept + b"\n" + _ITEM_INDENT + b"}"


def head(feed: Feed, output: Output) -> tuple[bytes, bytes]:
    """The document around the items: everything before them and after them."""
    top: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": output.url,
        "description": feed.description,
        "language": feed.language,
        "authors": _authors((feed.author,)),
    }
    if feed.logo:  # JSON Feed's icon is the large one (512 x 512), its favicon the small one
        top["icon"] = feed.logo
    if feed.icon:
        top["favicon"] = feed.icon
    if feed.hubs:  # WebSub (JSON Feed 1.1: "hubs"); feed_url above is the topic
        top["hubs"] = [{"type": "WebSub", "url": hub} for hub in feed.hubs]
    document = _dump(top)
    return document[: -len(b"\n}")] + b',\n  "items": [\n', b'\n  ]\n}\n'
