"""WebSub (W3C Recommendation, formerly PubSubHubbub): a feed's hub links.

A feed that names a hub (``<link rel="hub">`` in Atom, ``<atom:link
rel="hub">`` in an RSS channel) is a WebSub topic, and WebSub 4 asks for
its hubs and exactly one ``rel="self"``: the topic URL subscribers
subscribe to and the hub is told of.  A missing self link is judged by the
formats' own rules (atom-missing-self-link, rss-missing-self-link,
jsonfeed-missing-feed-url), whose documents name WebSub; the W3C Feed
Validation Service knows ``hub`` as a registered relation and has no check
of its own on it, so this module's rule reports what W3C does not.

Cost: one look at the feed element's atom:link children (indexed per
document by ``_xml.children``), none at the entries.
"""

from __future__ import annotations

from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._xml import BOTH
from feedwright.validator.rules._xml import atom_links
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import rel_of


@rule("websub-several-self-links", "warning",
      "a feed that names a WebSub hub has more than one self link", formats=BOTH,
      feed_only=True)
def several_self_links(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A feed that names a hub (`rel="hub"`) is a WebSub topic, and WebSub
    asks for exactly one `rel="self"` beside its hubs: the topic's URL, the
    one readers subscribe to at the hub and the one the publisher tells the
    hub has changed. With two, a subscriber such as FreshRSS picks one of
    them, and when it is not the URL the publisher pings, the hub never
    sends that subscriber an update: the feed looks subscribed but is only
    polled. (The W3C validator has no check on hub links beyond knowing
    the relation.)

    ## How to fix
    Keep one `rel="self"` link on the feed, the exact URL it is published
    at, and tell the hub of that URL; a copy of the feed served at another
    address names its own URL as self.
    """
    feed = doc.root if doc.format == "atom1" else channel(doc.root)
    links = atom_links(feed)
    if not any(rel_of(li) == "hub" for li in links):
        return
    selfs = [li for li in links if rel_of(li) == "self"]
    for extra in selfs[1:]:
        yield Finding(node=extra, detail=f"{extra.get('href')!r}; the first is "
                                         f"{selfs[0].get('href')!r}")
