"""How readers tell items apart: what happens to an item they cannot identify.

Readers key items on the guid (RSS) and fall back to the link, then the
title; an item with neither guid nor link has nothing stable to be known by.
What readers then do is documented in their issue trackers
(/work/shared/validator-notes.md, "What real readers do with a feed").
"""

from __future__ import annotations

from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._xml import RSS
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import text


@rule("rss-item-without-guid-or-link", "warning", "<item> has neither a <guid> nor a <link>",
      formats=RSS)
def item_without_guid_or_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers recognise an item they have already shown by its `<guid>`, else
    by its `<link>`. An item with neither has nothing stable to be known by:
    CommaFeed does not store it at all (Athou/commafeed#1629), Feedbin makes a
    new entry of it on every fetch, so it comes back as unread again and again
    (feedbin/support#416), and others fall back to the title, so an edited
    title shows the item anew. RSS 2.0 allows such items (only a title or a
    description is required), so this is a warning; `rss-missing-guid` says
    the lesser fault of an item that has a link.

    ## How to fix
    Give each item a `<guid>` that never changes (`isPermaLink="false"` for
    an id that is not a URL), and a `<link>` to the page it announces.
    """
    for it in items(doc.root):
        if not text(first(it, "guid")) and not text(first(it, "link")):
            yield Finding(node=it)
