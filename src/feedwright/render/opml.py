"""``feeds.opml``: every feed the build writes as an OPML 2.0 subscription list.

Feed readers import OPML to subscribe to many feeds at once; the top-level
outlines become their folders.  The list has two groups: the main feed, and
one outline per tag feed, each in every format written (OPML 2.0 types every
subscription ``rss``, whatever the feed's format; ``version`` says which
RSS).  Its head has no ``<docs>`` (OPML 2.0's, unknown to W3C's validator:
UndefinedElement) and no ``dateCreated``/``dateModified`` (both optional): the
clock would change it on every build, and an entry's date on every new post,
while the list itself changes only when a feed is added or renamed; without
them it is rewritten only then, and sync tools that compare it see a change
only when there is one.
"""

from __future__ import annotations

from lxml import etree

from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.render.browser import FORMAT_LABELS

#: The subscription list's file, at the top of the output folder.
OPML_FILE = "feeds.opml"

#: OPML 2.0's ``version`` attribute of a subscription, by our format name.
_VERSIONS = {"rss": "RSS2"}


def _subscriptions(group: etree._Element, feed: Feed) -> None:
    for output in feed.outputs:
        label = f"{feed.title} ({FORMAT_LABELS.get(output.format, output.format)})"
        outline = etree.SubElement(group, "outline")
        outline.set("type", "rss")
        outline.set("text", label)
        outline.set("title", label)
        if output.format in _VERSIONS:
            outline.set("version", _VERSIONS[output.format])
        outline.set("xmlUrl", output.url)
        outline.set("htmlUrl", feed.home_url)
        outline.set("description", feed.description)
        outline.set("language", feed.language)


def opml(feedset: FeedSet) -> bytes:
    """The OPML 2.0 document listing every feed of ``feedset``."""
    main = feedset.feeds[0]
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{main.title}: feeds"
    etree.SubElement(head, "ownerName").text = main.author.name
    if main.author.email:
        etree.SubElement(head, "ownerEmail").text = main.author.email
    body = etree.SubElement(root, "body")
    # A group is a folder: its text alone (W3C's validator wants a type on an
    # outline with any other attribute: MissingOutlineType).
    group = etree.SubElement(body, "outline", text=main.title)
    _subscriptions(group, main)
    if len(feedset.feeds) > 1:
        tags = etree.SubElement(body, "outline", text=f"{main.title} by tag")
        for feed in feedset.feeds[1:]:
            _subscriptions(tags, feed)
    data: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True,
                                 encoding="UTF-8")
    return data
